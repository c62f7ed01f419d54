"""Given/expect tests of the forecast change per group in one measure (cmp_forecast_change_by_group,
spec 5 "Units"): kg where every article weighs, the one unit where all share it, else line hours;
unrouted articles add no hours and are counted. Every expected figure is computed by hand."""
from __future__ import annotations

import math

from pipelines.model import compare as cmp

from seed import add_version

W1, W2 = "2027-W01", "2027-W02"


def _forecasts(con, previous: dict, current: dict) -> tuple[int, int]:
    """Two forecast versions from {(product, market): quantity} in W01 (units as the master's)."""
    def rows(quantities):
        return [{"product": p, "market": m, "period": W1, "quantity": q}
                for (p, m), q in quantities.items()]
    prev = add_version(con, "forecast", rows(previous), as_of="2026-12-20")
    cur = add_version(con, "forecast", rows(current), as_of="2027-01-02")
    return cur, prev


def _by(frame, column="group"):
    return {r[column]: r for r in frame.to_dict("records")}


def test_kg_where_every_article_weighs(con):
    # butter in kg (1 kg per unit), yoghurt cups of 0.5 kg
    add_version(con, "products", [
        {"product": "BUT", "line": "L1", "rate": 100, "unit": "kg", "product_group": "Butter",
         "price": 8.0},
        {"product": "JOG", "line": "L2", "rate": 1000, "unit": "Becher", "net_weight": 0.5,
         "product_group": "Joghurt", "price": 1.0}])
    cur, prev = _forecasts(con, {("BUT", "LEH"): 100, ("JOG", "LEH"): 400, ("JOG", "Export"): 200},
                           {("BUT", "LEH"): 150, ("JOG", "LEH"): 300, ("JOG", "Export"): 200})
    markets = _by(cmp.forecast_change_by_group(con, cur, prev))
    # LEH: 100 kg + 400 x 0.5 = 300 kg before, 150 + 150 = 300 kg now; Export 100 kg, unchanged
    assert [(g, r["previous"], r["current"], r["change"], r["unit"], r["basis"])
            for g, r in markets.items()] == [("Export", 100.0, 100.0, 0.0, "kg", "weight"),
                                             ("LEH", 300.0, 300.0, 0.0, "kg", "weight")]
    # money where every article has a price: +50 kg x 8 - 100 cups x 1 = 300
    assert markets["LEH"]["change_value"] == 300.0 and markets["Export"]["change_value"] == 0.0
    groups = _by(cmp.forecast_change_by_group(con, cur, prev, by="product_group"))
    assert (groups["Butter"]["change"], groups["Joghurt"]["change"]) == (50.0, -50.0)
    assert {r["unit"] for r in groups.values()} == {"kg"}


def test_the_one_unit_where_all_articles_share_it(con):
    add_version(con, "products", [{"product": "A", "line": "L1", "rate": 10, "unit": "ST"},
                                  {"product": "B", "line": "L1", "rate": 20, "unit": "Stück"}])
    cur, prev = _forecasts(con, {("A", "LEH"): 10, ("B", "LEH"): 5},
                           {("A", "LEH"): 12, ("B", "LEH"): 8})
    (row,) = cmp.forecast_change_by_group(con, cur, prev).to_dict("records")
    # pieces however the master spells them; no price: no money
    assert (row["previous"], row["current"], row["change"], row["unit"], row["basis"]) == \
        (15.0, 20.0, 5.0, "Stk", "unit")
    assert math.isnan(row["change_value"]) and row["unrouted_products"] == 0


def test_line_hours_where_units_are_mixed_and_for_every_group(con):
    # pieces without a net weight and kg: no common measure but hours (quantity / rate)
    add_version(con, "products", [
        {"product": "P", "line": "L1", "rate": 50, "unit": "Stk", "product_group": "Stück"},
        {"product": "K", "line": "L2", "rate": 20, "unit": "kg", "product_group": "Käse"}])
    cur, prev = _forecasts(con, {("P", "LEH"): 100, ("K", "LEH"): 40, ("K", "Export"): 20},
                           {("P", "LEH"): 200, ("K", "LEH"): 40, ("K", "Export"): 60})
    markets = cmp.forecast_change_by_group(con, cur, prev)
    # Export is kg only, but the chart needs one measure: hours for every group.
    # LEH: 100/50 + 40/20 = 4 h before, 200/50 + 40/20 = 6 h now; Export 1 h -> 3 h
    assert [(r.group, r.previous, r.current, r.change, r.unit, r.basis) for r in markets.itertuples()] == [
        ("Export", 1.0, 3.0, 2.0, "h", "hours"), ("LEH", 4.0, 6.0, 2.0, "h", "hours")]
    assert markets["unrouted_products"].tolist() == [0, 0]


def test_unrouted_articles_add_no_hours_and_are_counted(con):
    add_version(con, "products", [
        {"product": "P", "line": "L1", "rate": 50, "unit": "Stk", "product_group": "Joghurt"},
        {"product": "U", "unit": "Becher", "product_group": "Joghurt"},                 # no line
        {"product": "R", "line": "L1", "rate": 80, "rate_unit": "kg/h", "unit": "Stk",
         "product_group": "Joghurt"}])                                           # kg/h, no weight
    cur, prev = _forecasts(con, {("P", "LEH"): 100, ("U", "LEH"): 30, ("R", "LEH"): 7},
                           {("P", "LEH"): 150, ("U", "LEH"): 90, ("R", "LEH"): 9,
                            ("NEU", "LEH"): 500})                            # not in the master
    (row,) = cmp.forecast_change_by_group(con, cur, prev).to_dict("records")
    # only P has hours: 100/50 = 2 h -> 150/50 = 3 h; U, R and NEU are left out and counted
    assert (row["previous"], row["current"], row["change"], row["unit"], row["unrouted_products"]) == \
        (2.0, 3.0, 1.0, "h", 3)
    groups = _by(cmp.forecast_change_by_group(con, cur, prev, by="product_group"))
    assert (groups["Joghurt"]["change"], groups["Joghurt"]["unrouted_products"]) == (1.0, 2)
    assert (groups["–"]["change"], groups["–"]["unrouted_products"]) == (0.0, 1)


def test_an_article_the_master_does_not_know_weighs_in_the_unit_the_forecast_gives(con):
    add_version(con, "products", [{"product": "BUT", "line": "L1", "rate": 100, "unit": "kg"}])
    prev = add_version(con, "forecast", [
        {"product": "BUT", "market": "LEH", "period": W1, "quantity": 100, "unit": "kg"}])
    cur = add_version(con, "forecast", [
        {"product": "BUT", "market": "LEH", "period": W1, "quantity": 100, "unit": "kg"},
        {"product": "NEU", "market": "LEH", "period": W1, "quantity": 2, "unit": "t"},
        {"product": "NEU", "market": "LEH", "period": W2, "quantity": 1, "unit": "t"}])
    (row,) = cmp.forecast_change_by_group(con, cur, prev).to_dict("records")
    # NEU in tonnes (1000 kg each) inside both horizons (W01 only): +2 t = +2000 kg
    assert (row["previous"], row["current"], row["change"], row["unit"]) == (100.0, 2100.0, 2000.0, "kg")


def test_the_product_master_chosen_sets_the_measure(con):
    first = add_version(con, "products", [{"product": "A", "line": "L1", "rate": 10, "unit": "Stk"},
                                          {"product": "B", "line": "L1", "rate": 10, "unit": "kg"}])
    later = add_version(con, "products", [
        {"product": "A", "line": "L1", "rate": 10, "unit": "Stk", "net_weight": 0.2},
        {"product": "B", "line": "L1", "rate": 10, "unit": "kg"}])
    cur, prev = _forecasts(con, {("A", "LEH"): 10, ("B", "LEH"): 1}, {("A", "LEH"): 20, ("B", "LEH"): 1})
    # without the net weight: hours (10/10 + 1/10 -> 20/10 + 1/10); with it: kg (2 + 1 -> 4 + 1)
    before = cmp.forecast_change_by_group(con, cur, prev, products_version=first).iloc[0]
    assert (before["previous"], before["current"], before["unit"]) == (1.1, 2.1, "h")
    after = cmp.forecast_change_by_group(con, cur, prev, products_version=later).iloc[0]
    assert (after["previous"], after["current"], after["unit"]) == (3.0, 5.0, "kg")
    assert cmp.forecast_change_by_group(con, cur, prev).iloc[0]["unit"] == "kg"   # latest master


def test_a_version_written_in_another_unit_is_compared_in_the_articles_unit(con):
    # cheese kept in pieces of 0.25 kg: last time Sales wrote kilograms, this time pieces
    add_version(con, "products", [{"product": "KAE", "line": "L1", "rate": 100, "unit": "Stk",
                                   "net_weight": 0.25}])
    prev = add_version(con, "forecast", [
        {"product": "KAE", "market": "LEH", "period": W1, "quantity": 50, "unit": "kg"},
        {"product": "KAE", "market": "LEH", "period": W2, "quantity": 25, "unit": "KG"}],
        as_of="2026-12-20")
    cur = add_version(con, "forecast", [
        {"product": "KAE", "market": "LEH", "period": W1, "quantity": 200},
        {"product": "KAE", "market": "LEH", "period": W2, "quantity": 120, "unit": "ST"}],
        as_of="2027-01-02")
    change = cmp.forecast_change(con, cur, prev).set_index("period")
    # 50 kg / 0.25 = 200 pieces: no move in W01; 25 kg = 100 pieces against 120: +20 in W02
    assert change.loc[W1, ["previous", "current", "change", "status"]].tolist() == \
        [200.0, 200.0, 0.0, "same"]
    assert change.loc[W2, ["previous", "current", "change"]].tolist() == [100.0, 120.0, 20.0]
    assert set(change["unit"]) == {"Stk"}
    (move,) = cmp.biggest_moves(con, 10, current=cur, previous=prev).to_dict("records")
    assert (move["product"], move["change"], move["unit"], move["periods"]) == ("KAE", 20.0, "Stk", 2)
    # the total per market: pieces weigh, so kg: +20 x 0.25
    (row,) = cmp.forecast_change_by_group(con, cur, prev).to_dict("records")
    assert (row["change"], row["unit"]) == (5.0, "kg")


def test_a_weight_that_cannot_be_converted_keeps_its_unit(con):
    # an article in pieces without net weight, forecast in kg: nothing to convert through
    add_version(con, "products", [{"product": "X", "line": "L1", "rate": 10, "unit": "Stk"}])
    prev = add_version(con, "forecast", [{"product": "X", "market": "LEH", "period": W1,
                                          "quantity": 40, "unit": "kg"}], as_of="2026-12-20")
    cur = add_version(con, "forecast", [{"product": "X", "market": "LEH", "period": W1,
                                         "quantity": 30, "unit": "kg"}], as_of="2027-01-02")
    (move,) = cmp.biggest_moves(con, 10, current=cur, previous=prev).to_dict("records")
    assert (move["change"], move["unit"]) == (-10.0, "kg")
