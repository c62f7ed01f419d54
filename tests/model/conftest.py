"""Fresh store files with a handful of rows per input kind, for given/expect tests of the gap model."""
from __future__ import annotations

import pytest

from pipelines import store
from pipelines.model import period_start_of
from pipelines.settings import load_settings


def add_version(con, kind: str, rows: list[dict], grain: str | None = "auto") -> int:
    """Store `rows` (dicts of the kind's columns) as a new version of `kind`; its id."""
    vid = con.execute("select nextval('version_seq')").fetchone()[0]
    if grain == "auto":
        periods = [r["period"] for r in rows if "period" in r]
        grain = None if not periods else ("week" if all("W" in p for p in periods) else "month")
    con.execute("insert into versions (version_id, kind, created_at, grain, rows) "
                "values (?, ?, now(), ?, ?)", [vid, kind, grain, len(rows)])
    columns = store.DATA_COLUMNS[kind]
    values = []
    for row in rows:
        row = dict(row)
        if "period" in columns and "period_start" not in row:
            row["period_start"] = period_start_of(row["period"])
        values.append([vid] + [row.get(c) for c in columns])
    if values:
        con.executemany(f"insert into {kind} (version_id, {', '.join(columns)}) "
                        f"values (?, {', '.join('?' for _ in columns)})", values)
    return vid


@pytest.fixture
def con(tmp_path):
    connection = store.connect(tmp_path / "einklang.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def settings():
    return load_settings(env={})
