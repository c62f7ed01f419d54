"""Fixtures of the meeting-side tests: a fresh store file per test."""
from __future__ import annotations

import pytest

from pipelines import store
from seed import add_version, period_start, small_company  # noqa: F401


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "einklang.duckdb"


@pytest.fixture
def con(db_path):
    con = store.connect(db_path)
    yield con
    con.close()
