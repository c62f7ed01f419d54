"""Property: a scenario computed incrementally over a built base (model.scenario_model) gives the
same figures as a full rebuild with the scenario laid over staging (build(scenario=...)), on random
small plans and random scenarios; closing it leaves the base as it was."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from pipelines import store
from pipelines.model import build, scenario_model
from pipelines.scenario import change_text, parse
from pipelines.settings import load_settings
from tests.model.conftest import add_version
from tests.model.test_property import LINES, MARKETS, PERIODS, PRODUCTS, plans
from tests.scenario.test_property import NOTHING

window = st.one_of(st.just({}), st.tuples(st.sampled_from(PERIODS), st.sampled_from(PERIODS)).map(
    lambda w: {"from": min(w), "to": max(w)}))
keys = st.fixed_dictionaries({}, optional={"market": st.sampled_from(MARKETS + ("m1",)),
                                           "product": st.sampled_from(PRODUCTS)})
changes = st.one_of(
    st.tuples(st.just("demand"), keys, window,
              st.one_of(st.builds(lambda p: {"percent": p}, st.sampled_from((-100, -50, 0, 20, 300))),
                        st.builds(lambda u: {"units": u}, st.sampled_from((-30, 0, 5, 40)))))
    .map(lambda t: ("demand", {**t[1], **t[2], **t[3]})),
    st.tuples(st.sampled_from(PRODUCTS), st.sampled_from(MARKETS + ("Neu",)), st.sampled_from((0, 7, 50)),
              window, st.sampled_from((None, "A", "C")))
    .map(lambda t: ("new_pmc", {"product": t[0], "market": t[1], "quantity": t[2], **t[3],
                                "class": t[4]})),
    st.tuples(st.sampled_from(LINES), st.sampled_from((-20, -5, 0, 8, 30)), window)
    .map(lambda t: ("capacity", {"line": t[0], "hours": t[1], **t[2]})),
    st.tuples(st.sampled_from(MARKETS), st.sampled_from((None,) + PRODUCTS), st.sampled_from("ABC"))
    .map(lambda t: ("priority", {"market": t[0], "product": t[1], "class": t[2]})),
    st.tuples(st.sampled_from(PRODUCTS), st.sampled_from(LINES), st.sampled_from((0.5, 2.0, 10.0)))
    .map(lambda t: ("routing", {"product": t[0], "line": t[1], "rate": t[2]})),
)


CHANGEOVER = {"P1": 1.5, "P3": 4.0}


def plan_store(plan) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    store.migrate(con)
    # P1 and P3 lose hours to a changeover: its share moves with the PMCs of the same article-period
    add_version(con, "products", [dict(product=p, line=l, rate=r, changeover_hours=CHANGEOVER.get(p))
                                  for p, (l, r) in plan["products"].items()])
    add_version(con, "markets", [dict(market=m, priority_class=c) for m, c in plan["markets"].items()])
    add_version(con, "capacity", [dict(line=l, period=t, available_hours=h)
                                  for (l, t), h in plan["capacity"].items()])
    add_version(con, "forecast", [dict(product=p, market=m, period=t, quantity=q)
                                  for (p, m, t), q in plan["forecast"].items()])
    return con


def figures(model) -> tuple:
    """Every mart a person sees, in a fixed order (row order is not part of a table's meaning)."""
    def table(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        return frame.sort_values(keys).reset_index(drop=True)
    return (model.gaps(), model.load(), model.kpis(), model.top_conflicts(),
            table(model.query("select * from mart_kpi_periods"), ["period_start", "priority_class"]),
            model.bottlenecks(), table(model.strategy_checks(), ["check", "product", "market", "line",
                                                                 "period_start"]),
            model.fill_rates("class"))


def assert_same(incremental: tuple, full: tuple) -> None:
    for ours, theirs in zip(incremental, full):
        if isinstance(ours, dict):
            _kpis_close(ours, theirs)
        else:
            pd.testing.assert_frame_equal(ours, theirs, check_exact=False, rtol=1e-9, atol=1e-9,
                                          check_dtype=False)


def _kpis_close(ours: dict, theirs: dict) -> None:
    assert ours.keys() == theirs.keys()
    for key in ours:
        if isinstance(ours[key], dict):
            assert ours[key].keys() == theirs[key].keys()
            for cls in ours[key]:
                assert (ours[key][cls] is None) == (theirs[key][cls] is None)
                if ours[key][cls] is not None:
                    assert ours[key][cls] == pytest.approx(theirs[key][cls], abs=1e-9)
        elif ours[key] is None or theirs[key] is None:
            assert ours[key] is theirs[key]
        else:
            assert ours[key] == pytest.approx(theirs[key], abs=1e-9)


def scenario_of(items) -> str:
    return 'name = "zufall"\n' + "".join(change_text(kind, **fields) for kind, fields in items)


@hyp_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans, items=st.lists(changes, max_size=4))
def test_incremental_equals_full_rebuild(plan, items):
    con = plan_store(plan)
    settings = load_settings(env={})
    scenario = parse(scenario_of(items))
    with build(con, settings=settings, scenario=scenario) as full:
        expected = figures(full)
    with build(con, settings=settings) as base:
        before = figures(base)
        with scenario_model(base, scenario) as shifted:
            assert shifted.scenario == "zufall"
            assert_same(figures(shifted), expected)
        assert_same(figures(base), before)  # the base is as it was
    con.close()


@hyp_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans, toml=st.sampled_from(NOTHING))
def test_incremental_without_changes_equals_the_base_exactly(plan, toml):
    con = plan_store(plan)
    with build(con, settings=load_settings(env={})) as base:
        gaps, load, kpis, top = base.gaps(), base.load(), base.kpis(), base.top_conflicts()
        with scenario_model(base, parse('name = "nichts"\n' + toml)) as shifted:
            assert shifted.gaps().equals(gaps) and shifted.load().equals(load)
            assert shifted.top_conflicts().equals(top) and shifted.kpis() == kpis
    con.close()


def test_a_class_change_moves_the_changeover_share_of_the_articles_other_pmcs():
    """P1 changes over (1.5 h): in the base its class-A market carries the whole changeover; when
    the class-C market becomes A, the share is split by demand, so the A market's row changes
    although the scenario never names it. The incremental model must recompute it too."""
    market_a, market_c = MARKETS[0], MARKETS[1]
    plan = {"products": {"P1": (LINES[0], 10.0), "P2": (LINES[0], 5.0)},
            "markets": {market_a: 1, market_c: 3},
            "capacity": {(LINES[0], PERIODS[0]): 12.0},
            "forecast": {("P1", market_a, PERIODS[0]): 30, ("P1", market_c, PERIODS[0]): 90,
                         ("P2", market_c, PERIODS[0]): 20}}
    con = plan_store(plan)
    settings = load_settings(env={})
    scenario = parse(scenario_of([("priority", {"market": market_c, "class": "A"})]))
    with build(con, settings=settings, scenario=scenario) as full:
        expected = figures(full)
        hours = full.query("select market, required_hours from int_demand where product = 'P1' "
                           "order by market")
    # 30 and 90 units at 10/h, the 1.5 h changeover shared 1:3 once both are class A
    assert hours.required_hours.round(6).tolist() == [3.375, 10.125]  # M1, M2
    with build(con, settings=settings) as base:
        with scenario_model(base, scenario) as shifted:
            assert_same(figures(shifted), expected)
    con.close()


def test_a_capacity_change_recomputes_the_figures_of_rows_no_change_names():
    """Only the capacity changes, so no demand row is recomputed; but class C is now served in full
    (its share 0.5 -> 1), and the headline figures must take its rows' new supplied quantities
    (scn_reallocated_demand): the base's figures plus the changed rows' delta alone stay the base's."""
    market_a, market_c = MARKETS[0], MARKETS[1]
    plan = {"products": {"P2": (LINES[0], 1.0)},
            "markets": {market_a: 1, market_c: 3},
            "capacity": {(LINES[0], PERIODS[0]): 10.0},
            "forecast": {("P2", market_a, PERIODS[0]): 6, ("P2", market_c, PERIODS[0]): 8}}
    con = plan_store(plan)
    settings = load_settings(env={})
    scenario = parse(scenario_of([("capacity", {"line": LINES[0], "hours": 4})]))
    with build(con, settings=settings, scenario=scenario) as full:
        expected = figures(full)
    with build(con, settings=settings) as base:
        assert base.kpis()["fill_rate_by_class"]["C"] == 0.5
        with scenario_model(base, scenario) as shifted:
            kpi_rows = shifted.query("select priority_class, demand, supplied, shortfall, "
                                     "open_conflicts from mart_kpi_periods order by priority_class")
            assert [tuple(r) for r in kpi_rows.itertuples(index=False)] == [
                (1, 6.0, 6.0, 0.0, 0), (3, 8.0, 8.0, 0.0, 0)]
            assert_same(figures(shifted), expected)
    con.close()


def test_a_class_left_without_pmc_periods_is_dropped():
    """The only class-B PMC of the line-period becomes class A: a fresh sum has no class-B row in
    the allocation or the headline figures, so base + delta must drop it (pmc_periods 0), not keep
    it with 0 hours."""
    market_a, market_b = MARKETS[0], MARKETS[1]
    plan = {"products": {"P2": (LINES[0], 1.0)},
            "markets": {market_a: 1, market_b: 2},
            "capacity": {(LINES[0], PERIODS[0]): 10.0},
            "forecast": {("P2", market_a, PERIODS[0]): 6, ("P2", market_b, PERIODS[0]): 8}}
    con = plan_store(plan)
    settings = load_settings(env={})
    scenario = parse(scenario_of([("priority", {"market": market_b, "class": "A"})]))
    with build(con, settings=settings, scenario=scenario) as full:
        expected = figures(full)
    with build(con, settings=settings) as base:
        with scenario_model(base, scenario) as shifted:
            classes = shifted.query("select priority_class, required_hours, share "
                                    "from int_class_hours order by priority_class")
            assert [tuple(r) for r in classes.itertuples(index=False)] == [(1, 14.0, 10 / 14)]
            kpi_rows = shifted.query("select priority_class, pmc_periods from mart_kpi_periods "
                                     "order by priority_class")
            assert [tuple(r) for r in kpi_rows.itertuples(index=False)] == [(1, 2)]
            assert_same(figures(shifted), expected)
    con.close()
