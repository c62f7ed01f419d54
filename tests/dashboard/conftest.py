"""Databases for the dashboard tests: the demo company, a tiny hand-made company, an empty store."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import store
from dash_seed import build_tiny

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    from pipelines.demo import build_demo
    path = build_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    _read_facts(path)
    return path


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")


@pytest.fixture
def empty_db(tmp_path) -> Path:
    path = tmp_path / "empty.duckdb"
    store.connect(path).close()
    return path


@pytest.fixture
def app(monkeypatch):
    """An AppTest factory on a database file, in a language."""
    from streamlit.testing.v1 import AppTest

    def make(db: Path, lang: str = "de") -> AppTest:
        monkeypatch.setenv("EINKLANG_DB", str(db))
        monkeypatch.setenv("EINKLANG_LANG", lang)
        # generous: the first run of a module builds the model cold, on a shared 2-core machine
        return AppTest.from_file(APP, default_timeout=180)
    return make



@pytest.fixture(scope="session")
def demo_facts(demo_db) -> dict[str, dict[str, str]]:
    """The demo's top conflict on a routed product (it has levers) and its most overloaded
    line-period, read right after the build (later the app holds the file open)."""
    return DEMO_FACTS


@pytest.fixture(scope="session")
def demo_conflict(demo_facts) -> dict[str, str]:
    return demo_facts["conflict"]


@pytest.fixture(scope="session")
def demo_line_period(demo_facts) -> dict[str, str]:
    return demo_facts["line_period"]


DEMO_FACTS: dict[str, dict[str, str]] = {}


def _read_facts(db: Path) -> None:
    from pipelines import model
    con = store.connect(db, read_only=True)
    try:
        top = model.conflicts(con)
        load = model.load(con)
    finally:
        con.close()
    row = top[top["line"].notna()].iloc[0]
    DEMO_FACTS["conflict"] = {"product": row["product"], "market": row["market"],
                              "period": row["period"]}
    row = load.sort_values("overload_hours", ascending=False).iloc[0]
    DEMO_FACTS["line_period"] = {"line": row["line"], "period": row["period"]}
