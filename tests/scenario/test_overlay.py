"""Given/expect tests of the scenario overlay: each change kind on a handful of rows."""
from __future__ import annotations

import pytest

from pipelines.model import build
from pipelines.scenario import parse
from tests.model.conftest import add_version

W10, W11 = "2027-W10", "2027-W11"


def base(con):
    """L1 makes A (10/h), L2 makes B (5/h), 10 h each per week; only A Discount W10 falls short
    (LEH 6 h first, Discount gets the 4 h left: 40 of 100)."""
    add_version(con, "products", [dict(product="A", line="L1", rate=10, product_group="Joghurt", price=2),
                                  dict(product="B", line="L2", rate=5, product_group="Butter", price=3)])
    add_version(con, "markets", [dict(market="LEH", priority_class=1),
                                 dict(market="Export", priority_class=2),
                                 dict(market="Discount", priority_class=3)])
    add_version(con, "capacity", [dict(line=l, period=w, available_hours=10)
                                  for l in ("L1", "L2") for w in (W10, W11)])
    add_version(con, "forecast", [
        dict(product="A", market="LEH", period=W10, quantity=60),
        dict(product="A", market="Discount", period=W10, quantity=100),
        dict(product="A", market="Discount", period=W11, quantity=50),
        dict(product="B", market="Export", period=W10, quantity=30)])


def gaps_of(con, settings, toml=None):
    scenario = parse('name = "t"\n' + toml, con) if toml is not None else None
    with build(con, settings=settings, scenario=scenario) as model:
        gaps = {(r.product, r.market, r.period): (r.demand, r.supplied, r.priority_class)
                for r in model.gaps().itertuples()}
        return gaps, model.kpis(), model.load()


def test_base_as_expected(con, settings):
    base(con)
    gaps, kpis, _ = gaps_of(con, settings)
    assert gaps[("A", "Discount", W10)] == (100, 40, 3)
    assert kpis["open_conflicts"] == 1 and kpis["shortfall_hours"] == 6 and kpis["shortfall_value"] == 120


def test_demand_percent_for_a_market_in_a_window(con, settings):
    base(con)
    gaps, kpis, _ = gaps_of(con, settings, '[[change]]\nkind = "demand"\nmarket = "discount"\n'
                                           'from = "KW 11/2027"\nto = "2027-W11"\npercent = 20\n')
    assert gaps[("A", "Discount", W11)] == (60, 60, 3)      # 6 h of 10: still served
    assert gaps[("A", "Discount", W10)] == (100, 40, 3)     # outside the window
    assert kpis["shortfall_hours"] == 6


def test_demand_units_for_a_pmc(con, settings):
    base(con)
    gaps, kpis, _ = gaps_of(con, settings, '[[change]]\nkind = "demand"\nproduct = "A"\n'
                                           'market = "Discount"\nto = "2027-W10"\nunits = -50\n')
    # 50 units = 5 h; LEH 6 h first, 4 h left: 40 served, 10 short
    assert gaps[("A", "Discount", W10)] == (50, 40, 3)
    assert gaps[("A", "Discount", W11)] == (50, 50, 3)
    assert kpis["shortfall_hours"] == 1


def test_demand_for_a_product_group_never_below_zero(con, settings):
    base(con)
    gaps, kpis, _ = gaps_of(con, settings, '[[change]]\nkind = "demand"\nproduct_group = "Butter"\n'
                                           'percent = 100\n[[change]]\nkind = "demand"\n'
                                           'market = "LEH"\nunits = -1000\n')
    assert gaps[("B", "Export", W10)] == (60, 50, 2)        # 12 h needed, 10 there
    assert ("A", "LEH", W10) not in gaps                    # demand 0: no PMC-period
    assert gaps[("A", "Discount", W10)] == (100, 100, 3)    # LEH's 6 h are free now
    assert kpis["open_conflicts"] == 1 and kpis["shortfall_hours"] == 2


def test_capacity_added_and_removed(con, settings):
    base(con)
    gaps, kpis, load = gaps_of(con, settings, '[[change]]\nkind = "capacity"\nline = "L1"\n'
                                              'from = "2027-W10"\nto = "2027-W10"\nhours = 6\n'
                                              '[[change]]\nkind = "capacity"\nline = "L1"\n'
                                              'from = "2027-W11"\nhours = -6\n')
    assert gaps[("A", "Discount", W10)] == (100, 100, 3)
    assert gaps[("A", "Discount", W11)] == (50, 40, 3)      # 4 h left
    hours = {(r.line, r.period): r.available_hours for r in load.itertuples()}
    assert hours == {("L1", W10): 16, ("L1", W11): 4, ("L2", W10): 10, ("L2", W11): 10}
    assert kpis["shortfall_hours"] == 1 and kpis["overloaded_line_periods"] == 1


def test_new_pmc_with_class_on_a_new_market(con, settings):
    base(con)
    gaps, kpis, _ = gaps_of(con, settings, '[[change]]\nkind = "new_pmc"\nproduct = "B"\n'
                                           'market = "Tankstellen"\nquantity = 25\nclass = "A"\n'
                                           'from = "2027-W10"\nto = "2027-W11"\n')
    # W10 on L2: Tankstellen (A) 5 h first, Export (B) 6 h gets the 5 h left: 25 of 30
    assert gaps[("B", "Tankstellen", W10)] == (25, 25, 1)
    assert gaps[("B", "Tankstellen", W11)] == (25, 25, 1)
    assert gaps[("B", "Export", W10)] == (30, 25, 2)
    assert kpis["open_conflicts"] == 2 and kpis["shortfall_hours"] == 7


def test_priority_for_a_market(con, settings):
    base(con)
    gaps, kpis, _ = gaps_of(con, settings, '[[change]]\nkind = "priority"\nmarket = "Discount"\n'
                                           'class = "A"\n')
    # LEH and Discount both A on L1 W10: 16 h needed, 10 there, shared in proportion
    assert gaps[("A", "LEH", W10)] == pytest.approx((60, 37.5, 1))
    assert gaps[("A", "Discount", W10)] == pytest.approx((100, 62.5, 1))
    assert kpis["fill_rate_by_class"]["C"] is None and kpis["shortfall_hours"] == 6


def test_priority_for_a_pmc(con, settings):
    base(con)
    gaps, _, _ = gaps_of(con, settings, '[[change]]\nkind = "priority"\nmarket = "LEH"\n'
                                        'product = "A"\nclass = 3\n')
    # both C now: 16 h for 10, each served 62.5 %
    assert gaps[("A", "LEH", W10)] == pytest.approx((60, 37.5, 3))
    assert gaps[("A", "Discount", W10)] == pytest.approx((100, 62.5, 3))


def test_routing_to_another_line(con, settings):
    base(con)
    gaps, kpis, load = gaps_of(con, settings, '[[change]]\nkind = "routing"\nproduct = "A"\n'
                                              'line = "L2"\nrate = 20\n')
    # L2 W10: LEH 3 h (A), Export 6 h (B), Discount 5 h (C) gets the 1 h left: 20 units
    assert gaps[("A", "Discount", W10)] == (100, 20, 3)
    assert gaps[("A", "LEH", W10)] == (60, 60, 1)
    assert gaps[("A", "Discount", W11)] == (50, 50, 3)
    required = {(r.line, r.period): r.required_hours for r in load.itertuples()}
    assert required[("L2", W10)] == 14 and required[("L1", W10)] == 0
    assert kpis["shortfall_hours"] == 4


def test_base_unchanged_after_a_scenario_on_the_same_connection(con, settings):
    base(con)
    before = gaps_of(con, settings)[0]
    gaps_of(con, settings, '[[change]]\nkind = "capacity"\nline = "L1"\nhours = 100\n')
    assert gaps_of(con, settings)[0] == before


def test_a_new_pmc_takes_its_articles_unit_in_the_full_and_the_incremental_scenario(con, settings):
    """macros.sql `scenario_unit`: a changed PMC-period without a staged row is in its article's
    unit (not the Stk default), whichever way the scenario is computed."""
    from pipelines.model import scenario_model
    base(con)
    add_version(con, "products", [dict(product="A", line="L1", rate=10, product_group="Joghurt", price=2),
                                  dict(product="B", line="L2", rate=5, product_group="Butter", price=3),
                                  dict(product="C", line="L2", rate=20, product_group="Käse", unit="kg")])
    toml = ('name = "t"\n[[change]]\nkind = "new_pmc"\nproduct = "C"\nmarket = "LEH"\n'
            'quantity = 40\nfrom = "2027-W11"\nto = "2027-W11"\n')

    def row(model):
        gaps = model.gaps()
        c = gaps[(gaps["product"] == "C") & (gaps["period"] == W11)].iloc[0]
        return c["demand"], c["unit"], c["required_hours"]

    with build(con, settings=settings, scenario=parse(toml, con)) as full:
        assert row(full) == (40, "kg", 2.0)
    with build(con, settings=settings) as plan, scenario_model(plan, parse(toml, con)) as shifted:
        assert row(shifted) == (40, "kg", 2.0)
