"""Given/expect tests of int_demand, int_class_hours, mart_gaps and mart_load: spec section 5."""
from __future__ import annotations

import pandas as pd
import pytest

from pipelines.errors import UserError
from pipelines.model import build
from tests.model.conftest import add_version

W = "2027-W10"


def setup(con, capacity, forecast, products=None, markets=None):
    add_version(con, "products", products or [
        dict(product="A", line="L1", rate=10), dict(product="B", line="L1", rate=5)])
    add_version(con, "markets", markets or [
        dict(market="LEH", priority_class=1), dict(market="Export", priority_class=2),
        dict(market="Discount", priority_class=3)])
    if capacity is not None:
        add_version(con, "capacity", capacity)
    add_version(con, "forecast", forecast)


def gaps(con, settings, **kwargs):
    frame = build(con, settings=settings, **kwargs).gaps()
    return {(r.product, r.market, r.period): (r.demand, r.supplied, r.shortfall,
                                              None if r.reason != r.reason else r.reason)
            for r in frame.itertuples()}


def test_exact_fit_gives_shortfall_exactly_zero(con, settings):
    # 0.1 + 0.2 hours: the float sum is 0.30000000000000004, the capacity is typed as 0.3
    setup(con, [dict(line="L1", period=W, available_hours=0.3)], [
        dict(product="A", market="LEH", period=W, quantity=1),
        dict(product="A", market="Export", period=W, quantity=2)])
    result = gaps(con, settings)
    assert result[("A", "LEH", W)] == (1.0, 1.0, 0.0, None)
    assert result[("A", "Export", W)] == (2.0, 2.0, 0.0, None)


def test_first_class_that_does_not_fit_shares_and_later_classes_get_nothing(con, settings):
    # need: class A 10 h, class B 10 h + 30 h, class C 10 h; available 30 h
    setup(con, [dict(line="L1", period=W, available_hours=30)], [
        dict(product="A", market="LEH", period=W, quantity=100),
        dict(product="A", market="Export", period=W, quantity=100),
        dict(product="B", market="Export", period=W, quantity=150),
        dict(product="B", market="Discount", period=W, quantity=50)])
    result = gaps(con, settings)
    assert result[("A", "LEH", W)] == (100.0, 100.0, 0.0, None)
    # class B gets the 20 h left in proportion to 10 h : 30 h -> 5 h and 15 h
    assert result[("A", "Export", W)] == (100.0, 50.0, 50.0, "capacity")
    assert result[("B", "Export", W)] == (150.0, 75.0, 75.0, "capacity")
    assert result[("B", "Discount", W)] == (50.0, 0.0, 50.0, "capacity")
    load = build(con, settings=settings).load().iloc[0]
    assert (load.required_hours, load.available_hours, load.served_hours, load.utilization) == (
        60.0, 30.0, 30.0, 2.0)
    assert (load.free_hours, load.overload_hours, bool(load.no_capacity)) == (0.0, 30.0, False)


def test_zero_hours_and_missing_capacity_supply_nothing(con, settings):
    setup(con, [dict(line="L1", period=W, available_hours=0)], [
        dict(product="A", market="LEH", period=W, quantity=10),
        dict(product="A", market="LEH", period="2027-W11", quantity=20)])
    result = gaps(con, settings)
    assert result[("A", "LEH", W)] == (10.0, 0.0, 10.0, "no_capacity")
    assert result[("A", "LEH", "2027-W11")] == (20.0, 0.0, 20.0, "no_capacity")
    load = build(con, settings=settings).load()
    assert [(r.period, r.required_hours, r.available_hours if r.available_hours == r.available_hours
             else None, r.utilization if r.utilization == r.utilization else None, r.no_capacity)
            for r in load.itertuples()] == [(W, 1.0, 0.0, None, True), ("2027-W11", 2.0, None, None, True)]


def test_no_capacity_input_at_all(con, settings):
    setup(con, None, [dict(product="A", market="LEH", period=W, quantity=10)])
    assert gaps(con, settings)[("A", "LEH", W)] == (10.0, 0.0, 10.0, "no_capacity")


def test_unrouted_product_is_all_shortfall_and_takes_no_hours(con, settings):
    setup(con, [dict(line="L1", period=W, available_hours=1)], [
        dict(product="NEW", market="LEH", period=W, quantity=10),
        dict(product="NORATE", market="LEH", period=W, quantity=3),
        dict(product="A", market="Export", period=W, quantity=10)],
        products=[dict(product="A", line="L1", rate=10), dict(product="NORATE", line="L1", rate=None)])
    result = gaps(con, settings)
    assert result[("NEW", "LEH", W)] == (10.0, 0.0, 10.0, "no_routing")
    assert result[("NORATE", "LEH", W)] == (3.0, 0.0, 3.0, "no_routing")
    assert result[("A", "Export", W)] == (10.0, 10.0, 0.0, None)
    frame = build(con, settings=settings).gaps().set_index("product")
    assert bool(frame.loc["NEW", "is_new_product"]) and pd.isna(frame.loc["NEW", "line"])
    assert not frame.loc["NORATE", "is_new_product"] and pd.isna(frame.loc["NORATE", "required_hours"])


def test_unknown_market_is_class_b(con, settings):
    # 10 h available; class A (LEH) 5 h fits, then class B: Export 5 h + unknown Neu 5 h share 5 h
    setup(con, [dict(line="L1", period=W, available_hours=10)], [
        dict(product="A", market="LEH", period=W, quantity=50),
        dict(product="A", market="Export", period=W, quantity=50),
        dict(product="A", market="Neu", period=W, quantity=50),
        dict(product="A", market="Discount", period=W, quantity=50)])
    frame = build(con, settings=settings).gaps().set_index("market")
    assert frame.loc["Neu", "priority_class"] == 2 and bool(frame.loc["Neu", "is_new_market"])
    assert frame["supplied"].to_dict() == {"LEH": 50.0, "Export": 25.0, "Neu": 25.0, "Discount": 0.0}


def test_monthly_forecast_against_weekly_capacity_across_a_month_boundary(con, settings):
    # March 2027 holds W09..W12 (Thursdays 4-25 March); W13 (Mon 29 March, Thu 1 April) is April
    setup(con, [dict(line="L1", period=f"2027-W{w:02d}", available_hours=10) for w in range(9, 14)], [
        dict(product="A", market="LEH", period="2027-03", quantity=500),
        dict(product="A", market="LEH", period="2027-04", quantity=50)])
    model = build(con, settings=settings)
    assert model.grain == "month"
    result = gaps(con, settings)
    assert result[("A", "LEH", "2027-03")] == (500.0, 400.0, 100.0, "capacity")
    assert result[("A", "LEH", "2027-04")] == (50.0, 50.0, 0.0, None)
    load = model.load().set_index("period")
    assert load["available_hours"].to_dict() == {"2027-03": 40.0, "2027-04": 10.0}


def test_grain_week_refused_when_an_input_is_monthly(con, settings):
    setup(con, [dict(line="L1", period="2027-W10", available_hours=10)],
          [dict(product="A", market="LEH", period="2027-03", quantity=5)])
    with pytest.raises(UserError) as err:
        build(con, grain="week", settings=settings)
    assert err.value.key == "model_grain_week" and "forecast" in err.value.message("en")


def test_a_version_other_than_the_latest(con, settings):
    setup(con, [dict(line="L1", period=W, available_hours=10)],
          [dict(product="A", market="LEH", period=W, quantity=50)])
    old_capacity = add_version(con, "capacity", [dict(line="L1", period=W, available_hours=2)])
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=100)])
    assert gaps(con, settings)[("A", "LEH", W)] == (50.0, 50.0, 0.0, None)
    assert gaps(con, settings, versions={"capacity": old_capacity})[("A", "LEH", W)] == (
        50.0, 20.0, 30.0, "capacity")
    # a kind mapped to None is left out: no capacity at all
    assert gaps(con, settings, versions={"capacity": None})[("A", "LEH", W)][3] == "no_capacity"


def test_unknown_version_is_refused(con, settings):
    setup(con, None, [dict(product="A", market="LEH", period=W, quantity=1)])
    with pytest.raises(UserError) as err:
        build(con, versions={"capacity": 1}, settings=settings)  # version 1 is the products version
    assert err.value.key == "model_version_unknown"


def test_shortfall_value_and_names(con, settings):
    setup(con, [dict(line="L1", period=W, available_hours=1)],
          [dict(product="A", market="LEH", period=W, quantity=20)],
          products=[dict(product="A", line="L1", rate=10, name="Joghurt", product_group="Molkerei",
                         price=0.5, margin=0.1)],
          markets=[dict(market="LEH", priority_class=1, name="Lebensmittelhandel")])
    row = build(con, settings=settings).gaps().iloc[0]
    assert (row.product_name, row.market_name, row.product_group) == (
        "Joghurt", "Lebensmittelhandel", "Molkerei")
    assert (row.shortfall, row.shortfall_value, row.shortfall_margin) == (10.0, 5.0, 1.0)


def test_load_lists_capacity_without_demand(con, settings):
    setup(con, [dict(line="L1", period=W, available_hours=10, max_hours=12),
                dict(line="L2", period=W, available_hours=5)],
          [dict(product="A", market="LEH", period=W, quantity=50)])
    load = build(con, settings=settings).load().set_index("line")
    assert load.loc["L2", "required_hours"] == 0.0 and load.loc["L2", "utilization"] == 0.0
    assert load.loc["L1", "utilization"] == 0.5 and load.loc["L1", "headroom_hours"] == 2.0
    assert load.loc["L1", "free_hours"] == 5.0


def test_load_after_the_forecasts_last_period_is_beyond_the_forecast_not_free(con, settings):
    # capacity for three weeks, demand in the first only (the forecast's horizon ends there);
    # L2 has no demand at all, yet its first week is within the horizon
    setup(con, [dict(line="L1", period=p, available_hours=10) for p in ("2027-W10", "2027-W11", "2027-W12")]
          + [dict(line="L2", period="2027-W10", available_hours=5),
             dict(line="L2", period="2027-W12", available_hours=5)],
          [dict(product="A", market="LEH", period="2027-W10", quantity=50)])
    load = build(con, settings=settings).load()
    beyond = {(r.line, r.period): r.beyond_forecast for r in load.itertuples()}
    assert beyond == {("L1", "2027-W10"): False, ("L1", "2027-W11"): True, ("L1", "2027-W12"): True,
                      ("L2", "2027-W10"): False, ("L2", "2027-W12"): True}
    # the figures themselves are as before: the flag says how to read them
    after = load.set_index(["line", "period"]).loc[("L1", "2027-W11")]
    assert (after.required_hours, after.free_hours) == (0.0, 10.0)


def test_versions_may_name_actuals_which_the_model_ignores(con, settings):
    setup(con, None, [dict(product="A", market="LEH", period=W, quantity=1)])
    actuals = add_version(con, "actuals", [dict(product="A", market="LEH", period=W, quantity=1)])
    model = build(con, versions={"actuals": actuals, "plan": None}, settings=settings)
    assert "actuals" not in model.versions and "plan" not in model.versions
    with pytest.raises(ValueError):
        build(con, versions={"forcast": 1}, settings=settings)
