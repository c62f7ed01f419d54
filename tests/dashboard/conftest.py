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
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb")


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
        return AppTest.from_file(APP, default_timeout=60)
    return make
