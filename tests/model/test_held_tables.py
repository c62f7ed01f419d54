"""Issue 13: the long-lived model holds mart_gaps as a table (a scenario's model keeps the view),
both give the same rows; figures a model remembers are copies; the per-PMC ranking in SQL is the
old "heaviest period of each PMC" selection."""
from __future__ import annotations

import pandas as pd

from pipelines import model as gm
from pipelines.demo import build_demo
from pipelines import store
import pytest


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("held") / "demo.duckdb")


def _kind(model, name: str) -> str:
    return model.query("select table_type from information_schema.tables where table_name = ?",
                       [name])["table_type"].iloc[0]


def test_mart_gaps_is_a_table_and_equals_the_view(demo):
    with gm.build_from_file(demo) as held:
        assert _kind(held, "mart_gaps") != "VIEW"
        order = "order by product, market, period_start"
        as_table = held.query(f"select * from mart_gaps {order}")
        # the same SQL file as a view, on the same model
        held.cursor.execute("drop table mart_gaps")
        gm.create(held.cursor, "mart_gaps", materialized="view")
        assert _kind(held, "mart_gaps") == "VIEW"
        pd.testing.assert_frame_equal(as_table, held.query(f"select * from mart_gaps {order}"))


def test_a_scenario_model_keeps_the_view(demo):
    class Empty:
        name, changes = "nothing", []
    con = store.snapshot(demo, lambda mem: gm._resolve_versions(mem, None).values())
    with gm.build(con, scenario=Empty()) as model:
        assert _kind(model, "mart_gaps") == "VIEW"
    con.close()


def test_remembered_figures_are_copies(demo):
    with gm.build_from_file(demo) as model:
        first = model.fill_rates("market")
        first["fill_rate"] = -1.0
        again = model.fill_rates("market")
        assert (again["fill_rate"] >= 0).all()
        classes = model.market_classes()
        classes["priority_class"] = 99
        assert (model.market_classes()["priority_class"] < 99).all()


def test_conflicts_per_pmc_is_each_pmcs_heaviest_period_in_the_top_conflicts_order(demo):
    with gm.build_from_file(demo) as model:
        every = model.conflicts()
        assert every.duplicated(["product", "market"]).any(), "the demo has PMCs short twice"
        heaviest = every.drop_duplicates(["product", "market"]).drop(columns="rank")
        per_pmc = model.conflicts(per_pmc=True)
        keys = ["rank", "product", "market", "period"]
        assert per_pmc[keys].values.tolist() == model.top_conflicts()[keys].values.tolist()
        # the same rows as each PMC's first PMC-period in the ranking of all conflicts
        expected = per_pmc[["product", "market"]].merge(heaviest, on=["product", "market"])
        pd.testing.assert_frame_equal(per_pmc.drop(columns="rank"), expected)
        assert len(model.conflicts(7, per_pmc=True)) == 7
