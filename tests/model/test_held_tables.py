"""Issue 13: the long-lived model holds mart_gaps and mart_conflict_episodes as tables (a scenario's model keeps the view),
both give the same rows; figures a model remembers are copies; the per-PMC ranking in SQL is the
old "heaviest period of each PMC" selection."""
from __future__ import annotations

import pandas as pd

from pipelines import model as gm
from pipelines.demo import build_demo
from pipelines import store
from tests.pack.test_pack_scale import mid_size_plan
import pytest


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("held") / "demo.duckdb")


def _kind(model, name: str) -> str:
    return model.query("select table_type from information_schema.tables where table_name = ?",
                       [name])["table_type"].iloc[0]


@pytest.mark.parametrize("name, order", [
    ("mart_gaps", "product, market, period_start"),
    ("mart_conflict_episodes", "scope, product, market, line, period_start"),
])
def test_held_marts_are_tables_and_equal_their_views(demo, name, order):
    with gm.build_from_file(demo) as held:
        assert name in gm.HELD_AS_TABLES
        assert _kind(held, name) != "VIEW"
        as_table = held.query(f"select * from {name} order by {order}")
        assert len(as_table) > 0
        # the same SQL file as a view, on the same model
        held.cursor.execute(f"drop table {name}")
        gm.create(held.cursor, name, materialized="view")
        assert _kind(held, name) == "VIEW"
        pd.testing.assert_frame_equal(as_table, held.query(f"select * from {name} order by {order}"))


def test_the_gaps_are_stored_article_by_article(tmp_path):
    """stg_forecast is written ordered by PMC and period and the joins after it keep the rows of
    an article close together, so a drill-down's lookup of one PMC reads about one row group
    (122,880 rows) of the held gaps instead of all of them (docs/performance.md). Row order is not
    a figure: this checks only the layout, on a plan of three row groups (a random order puts
    every article into all three)."""
    db = mid_size_plan(tmp_path / "mid.duckdb", products=1000, markets=6, weeks=52)
    with gm.build_from_file(db) as model:
        for name in ("stg_forecast", "int_demand", "mart_gaps"):
            groups = model.query(f"""
                select count(*) as articles, avg(groups) as mean, max(groups) as most
                from (select product, count(distinct rowid // 122880) as groups
                      from {name} group by product)""").iloc[0]
            assert groups["articles"] == 1000
            assert groups["mean"] <= 1.5 and groups["most"] <= 3, f"{name}: {groups.to_dict()}"


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
