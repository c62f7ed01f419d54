"""The runner names the SQL model that failed, with its statement, and DuckDB's message."""
from __future__ import annotations

import duckdb
import pytest

from pipelines.model import runner


def test_a_failing_model_names_its_file_and_statement(tmp_path, monkeypatch):
    (tmp_path / "mart_broken.sql").write_text(
        "-- materialized: table\nwith final as (select no_such_column from range(3))\n"
        "select * from final\n", encoding="utf-8")
    monkeypatch.setattr(runner, "SQL_DIR", tmp_path)
    con = duckdb.connect()
    with pytest.raises(runner.ModelError) as caught:
        runner.create(con, "mart_broken")
    assert caught.value.name == "mart_broken"
    assert "In SQL model mart_broken.sql" in str(caught.value)
    assert "no_such_column" in str(caught.value)
    assert "create or replace temp table mart_broken" in caught.value.statement


def test_every_model_of_the_dag_exists_and_declares_its_materialisation():
    from pipelines.model import MODELS
    for name in MODELS:
        text = runner.sql_text(name)
        assert text.startswith("-- materialized:"), name
        assert "select * from final" in text, f"{name} ends in its final CTE"
