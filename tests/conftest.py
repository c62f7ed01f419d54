"""Fixtures every test folder may use: a fresh store file per test (folders may override them)."""
from __future__ import annotations

import pytest

from pipelines import store


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "einklang.duckdb"


@pytest.fixture
def con(db_path):
    con = store.connect(db_path)
    yield con
    con.close()
