"""Given/expect tests of the plan comparison, fill rates and the conflict ranking."""
from __future__ import annotations

import threading

import pandas as pd

from pipelines import model as gap_model
from pipelines.model import build
from tests.model.conftest import add_version

W = "2027-W10"


def base(con):
    add_version(con, "products", [dict(product="A", line="L1", rate=10),
                                  dict(product="B", line="L2", rate=5)])
    add_version(con, "markets", [dict(market="LEH", priority_class=1),
                                 dict(market="Export", priority_class=2),
                                 dict(market="Discount", priority_class=3)])
    add_version(con, "alternates", [dict(product="A", line="L2", rate=2)])
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=10),
                                  dict(line="L2", period=W, available_hours=10),
                                  dict(line="L1", period="2027-W11", available_hours=100)])
    add_version(con, "forecast", [
        dict(product="A", market="LEH", period=W, quantity=60),
        dict(product="A", market="Export", period=W, quantity=40),
        dict(product="A", market="Discount", period=W, quantity=100),
        dict(product="A", market="Discount", period="2027-W11", quantity=100),
        dict(product="B", market="Export", period=W, quantity=10)])


def test_plan_allocates_units_by_class(con, settings):
    base(con)
    add_version(con, "plan", [dict(product="A", period=W, planned_quantity=80),
                              dict(product="A", period="2027-W11", planned_quantity=40, line="L2"),
                              dict(product="B", period=W, planned_quantity=100)])
    model = build(con, settings=settings)
    gaps = model.plan_comparison("pmc")
    got = {(r.product, r.market, r.period): (r.demand, r.plan_supplied, r.plan_gap)
           for r in gaps.itertuples()}
    # 80 planned: LEH 60 fits, Export (class B) gets the 20 left of 40, Discount nothing
    assert got == {("A", "LEH", W): (60.0, 60.0, 0.0), ("A", "Export", W): (40.0, 20.0, 20.0),
                   ("A", "Discount", W): (100.0, 0.0, 100.0),
                   ("A", "Discount", "2027-W11"): (100.0, 40.0, 60.0),
                   ("B", "Export", W): (10.0, 10.0, 0.0)}
    load = {(r.line, r.period): (r.planned_hours, r.available_hours if pd.notna(r.available_hours)
                                 else None, bool(r.plan_fits), r.excess_hours)
            for r in model.plan_comparison("line").itertuples()}
    # A on its master line L1 at 10/h; A on alternate L2 at 2/h; B on L2 at 5/h
    assert load == {("L1", W): (8.0, 10.0, True, 0.0), ("L2", "2027-W11"): (20.0, None, False, 20.0),
                    ("L2", W): (20.0, 10.0, False, 10.0)}


def test_plan_comparison_empty_without_plan(con, settings):
    base(con)
    model = build(con, settings=settings)
    assert not model.has_plan()
    assert model.plan_comparison("pmc").empty and model.plan_comparison("line").empty


def test_fill_rates_by_pmc_market_class_line_and_horizon(con, settings):
    base(con)
    model = build(con, settings=settings)
    by_class = model.fill_rates("class").set_index("priority_class")["fill_rate"].to_dict()
    # W10 L1: LEH 6 h, Export 4 h fill 10 h; Discount gets 0 in W10, 100 of 100 in W11
    assert by_class == {1: 1.0, 2: 1.0, 3: 0.5}
    w10 = model.fill_rates("market", start=W, end=W).set_index("market")
    assert w10.loc["Discount", "fill_rate"] == 0.0 and w10.loc["Discount", "demand"] == 100.0
    pmc = model.fill_rates("pmc", start="2027-W11").set_index(["product", "market"])
    assert list(pmc.index) == [("A", "Discount")] and pmc.iloc[0]["fill_rate"] == 1.0
    by_line = model.fill_rates("line").set_index("line")
    assert by_line.loc["L1", "supplied"] == 200.0 and by_line.loc["L2", "fill_rate"] == 1.0


def test_conflicts_ranked_by_shortfall_hours_over_class(con, settings):
    base(con)
    add_version(con, "forecast", [
        dict(product="A", market="LEH", period=W, quantity=100),
        dict(product="A", market="Discount", period=W, quantity=240),
        dict(product="B", market="LEH", period=W, quantity=100)])
    top = gap_model.conflicts(con, top=2)
    # A/Discount: 240 short at 10/h = 24 h / class 3 = 8; B/LEH: 50 short at 5/h = 10 h / class 1
    # = 10. By units A/Discount would lead (240 / 3 = 80 against 50); by hours B/LEH does.
    assert list(zip(top["rank"], top["product"], top["market"], top["shortfall_hours"], top["weight"])) == [
        (1, "B", "LEH", 10.0, 10.0), (2, "A", "Discount", 24.0, 8.0)]
    assert len(gap_model.conflicts(con, top=1)) == 1 and len(gap_model.conflicts(con)) == 2


def test_module_functions_and_threads(con, settings):
    base(con)
    assert list(gap_model.gaps(con).columns[:9]) == [
        "product", "market", "period", "period_start", "line", "priority_class", "demand",
        "supplied", "shortfall"]
    assert {"line", "period", "required_hours", "available_hours", "utilization"} <= set(
        gap_model.load(con).columns)
    model = build(con, settings=settings)
    results, errors = [], []

    def work():
        try:
            results.append(len(model.gaps()) + len(model.load()))
        except Exception as exc:  # pragma: no cover - the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 1


def test_conflicts_reason_text(con, settings):
    base(con)
    frame = build(con, settings=settings).conflicts(lang="de")
    assert frame.iloc[0]["reason_text"] == "Kapazität reicht nicht"


def test_kpis_given_a_handful_of_rows(con, settings):
    base(con)
    model = build(con, settings=settings)
    # W10 on L1: 10 h for LEH 6 h + Export 4 h + Discount 10 h; Discount (class C) gets nothing
    assert model.kpis() == {
        "fill_rate": round(210 / 310, 6),
        "fill_rate_by_class": {"A": 1.0, "B": 1.0, "C": 0.5},
        "overloaded_line_periods": 1,   # L1 W10 at 200 %; L2 W10 at 20 %, L1 W11 at 10 %
        "open_conflicts": 1,            # A · Discount · W10
        "shortfall_hours": 10.0,
        "shortfall_value": None,        # no prices in the master
    }
    assert model.kpis(since="2027-W11") == {
        "fill_rate": 1.0, "fill_rate_by_class": {"A": None, "B": None, "C": 1.0},
        "overloaded_line_periods": 0, "open_conflicts": 0, "shortfall_hours": 0.0,
        "shortfall_value": None}
    assert model.horizon_start().isoformat() == "2027-03-08"


def test_kpi_value_counts_only_priced_shortfall(con, settings):
    base(con)
    add_version(con, "products", [dict(product="A", line="L1", rate=10, price=2.5),
                                  dict(product="B", line="L2", rate=5)])
    assert build(con, settings=settings).kpis()["shortfall_value"] == 250.0


def test_top_conflicts_bottlenecks_and_reduced_capacity(con, settings):
    base(con)
    model = build(con, settings=settings)
    top = model.top_conflicts()
    # A/Discount gets none of L1's 10 h: 100 short at 10/h = 10 h, class C: weight 10 / 3
    assert [(r.rank, r.product, r.market, r.period, r.weight, r.total_shortfall,
             r.total_shortfall_hours, r.periods_short, r.without_hours) for r in top.itertuples()] == [
        (1, "A", "Discount", W, round(10 / 3, 6), 100.0, 10.0, 1, False)]
    lines = [(r.rank, r.line, r.overload_hours, r.overloaded_periods, r.peak_utilisation)
             for r in model.bottlenecks().itertuples()]
    assert lines == [(1, "L1", 10.0, 1, 2.0), (2, "L2", 0.0, 0, 0.2)]
    reduced = [(r.line, r.period, r.available_hours, r.usual_hours)
               for r in model.reduced_capacity().itertuples()]
    assert reduced == [("L1", W, 10.0, 55.0)]   # below 80 % of L1's median (10, 100) = 55 h


def test_strategy_checks_take_the_market_target_before_the_class_target(con, settings):
    from pipelines.store import strategy as st
    base(con)
    st.set_fill_target(con, 0.4, market="discount")   # Discount's own target, folded key
    st.set_fill_target(con, 0.99, priority_class=3)   # beaten by the market's own
    st.set_band(con, "l2", 0.3, 0.9)
    checks = build(con, settings=settings).strategy_checks()
    got = sorted((r.check, r.product or r.line, r.market or r.period, round(r.value, 6),
                  r.target if r.target == r.target else None) for r in checks.itertuples())
    # Discount fills 100 of 200 = 50 % >= its own 40 %; L1 W10 at 200 % over 75-90 %;
    # L1 W11 at 10 % and L2 W10 at 20 % under their bands; no class-A market short
    assert got == [("band_over", "L1", W, 2.0, None), ("band_under", "L1", "2027-W11", 0.1, None),
                   ("band_under", "L2", W, 0.2, None)]


def test_conflict_cells_follow_the_top_conflicts_ranking(con, settings):
    # X: one period 9 short in class A (weight 9); Y: three periods 8 short in class B (weight 4
    # each, 12 summed). The heatmap used to rank by the sum (Y first); it now follows top conflicts.
    add_version(con, "products", [dict(product="X", line="L1", rate=1), dict(product="Y", line="L2", rate=1)])
    add_version(con, "markets", [dict(market="LEH", priority_class=1), dict(market="Export", priority_class=2)])
    weeks = ["2027-W10", "2027-W11", "2027-W12"]
    add_version(con, "capacity", [dict(line=line, period=w, available_hours=1)
                                  for line in ("L1", "L2") for w in weeks])
    add_version(con, "forecast", [dict(product="X", market="LEH", period="2027-W10", quantity=10)]
                + [dict(product="Y", market="Export", period=w, quantity=9) for w in weeks])
    model = build(con, settings=settings)
    cells = model.conflict_cells()
    assert [(r.product, r.period, r.shortfall, r.rank) for r in cells.itertuples()] == [
        ("X", "2027-W10", 9.0, 1), ("Y", "2027-W10", 8.0, 2), ("Y", "2027-W11", 8.0, 2),
        ("Y", "2027-W12", 8.0, 2)]
    assert model.top_conflicts()["product"].tolist() == ["X", "Y"]
    assert model.conflict_cells(top=1)["product"].tolist() == ["X"]
    # the heatmap's colour: the share of the cell's demand short (X: 9 of 10; Y: 8 of 9), and the
    # shortfall in line hours at rate 1
    assert [(r.short_share, r.shortfall_hours) for r in cells.itertuples()] == [
        (0.9, 9.0), (round(8 / 9, 6), 8.0), (round(8 / 9, 6), 8.0), (round(8 / 9, 6), 8.0)]
    assert model.short_pmcs() == 2


def test_top_conflicts_weigh_hours_not_mixed_units_and_list_the_unrouted_first(con, settings):
    # K: kg at 100 kg/h; S: pieces at 1000/h; both on L1 (no hours in W10); N: cups, no line;
    # U: pieces, no line. LEH is class A, Export B, Discount C.
    add_version(con, "products", [
        dict(product="K", line="L1", rate=100, unit="kg"),
        dict(product="S", line="L1", rate=1000, unit="Stk"),
        dict(product="N", unit="Becher"),
        dict(product="U")])
    add_version(con, "markets", [dict(market="LEH", priority_class=1),
                                 dict(market="Export", priority_class=2),
                                 dict(market="Discount", priority_class=3)])
    add_version(con, "capacity", [dict(line="L1", period=w, available_hours=0)
                                  for w in ("2027-W10", "2027-W11")])
    add_version(con, "forecast", [
        dict(product="K", market="LEH", period="2027-W10", quantity=500),       # 5 h, weight 5
        dict(product="S", market="LEH", period="2027-W10", quantity=2000),      # 2 h, weight 2
        dict(product="S", market="Export", period="2027-W10", quantity=8000),   # 8 h, weight 4
        dict(product="S", market="Export", period="2027-W11", quantity=6000),   # 6 h, weight 3
        dict(product="N", market="Discount", period="2027-W11", quantity=3),    # no hours, class C
        dict(product="U", market="Export", period="2027-W11", quantity=1),      # no hours, class B
        dict(product="U", market="Export", period="2027-W10", quantity=1)])
    model = build(con, settings=settings)
    top = model.top_conflicts()
    # without hours first (class B before C), then by weight: by units S/Export (8000 / 2) and
    # S/LEH (2000) would lead K/LEH (500 kg); by hours K/LEH (5 h, A) leads S/Export (8 h, B)
    def shown(x):
        return None if pd.isna(x) else x
    assert [(r.rank, r.product, r.market, r.period, r.without_hours, shown(r.weight),
             shown(r.total_shortfall_hours)) for r in top.itertuples()] == [
        (1, "U", "Export", "2027-W10", True, None, None),
        (2, "N", "Discount", "2027-W11", True, None, None),
        (3, "K", "LEH", "2027-W10", False, 5.0, 5.0),
        (4, "S", "Export", "2027-W10", False, 4.0, 14.0),
        (5, "S", "LEH", "2027-W10", False, 2.0, 2.0)]
    # the heatmap's rows and the pack's list stand in the same order
    assert model.conflict_cells()[["product", "market"]].drop_duplicates().values.tolist() == \
        top[["product", "market"]].values.tolist()
    per_pmc = model.conflicts(per_pmc=True)
    assert per_pmc[["rank", "product", "market", "period"]].values.tolist() == \
        top[["rank", "product", "market", "period"]].values.tolist()
    # the PMC-periods by the same weight: S/Export's W11 (6 h / 2 = 3) after S/Export's W10
    periods = model.conflicts()
    assert [(r.product, r.market, r.period) for r in periods.itertuples()] == [
        ("U", "Export", "2027-W10"), ("U", "Export", "2027-W11"), ("N", "Discount", "2027-W11"),
        ("K", "LEH", "2027-W10"), ("S", "Export", "2027-W10"), ("S", "Export", "2027-W11"),
        ("S", "LEH", "2027-W10")]
