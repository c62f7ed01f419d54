"""Given/expect tests of units and changeovers (spec sections 2 and 5): changeover hours shared by
the most important class, kg/h rates through the net weight, forecast units converted in the
model, and what cannot be converted said so. Every expected figure is computed by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from pipelines.model import build
from tests.model.conftest import add_version

W, W2 = "2027-W10", "2027-W11"


def gap(model, product, market, period=W):
    frame = model.gaps().set_index(["product", "market", "period"])
    return frame.loc[(product, market, period)]


def test_changeover_goes_to_the_top_class_in_proportion_to_demand(con, settings):
    # A: rate 10/h, changeover 2 h; B: rate 5/h, changeover 1 h; both on L1 (7 h in W10)
    add_version(con, "products", [dict(product="A", line="L1", rate=10, changeover_hours=2),
                                  dict(product="B", line="L1", rate=5, changeover_hours=1)])
    add_version(con, "markets", [dict(market="M1", priority_class=1), dict(market="M2", priority_class=1),
                                 dict(market="M3", priority_class=2)])
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=7),
                                  dict(line="L1", period=W2, available_hours=100)])
    add_version(con, "forecast", [
        dict(product="A", market="M1", period=W, quantity=30),   # run 3 h + 2*30/40 = 1.5 h
        dict(product="A", market="M2", period=W, quantity=10),   # run 1 h + 2*10/40 = 0.5 h
        dict(product="A", market="M3", period=W, quantity=20),   # run 2 h, class B carries none
        dict(product="B", market="M3", period=W, quantity=10),   # run 2 h + its own 1 h
        dict(product="A", market="M3", period=W2, quantity=20)])  # alone in W11: carries the 2 h
    model = build(con, settings=settings)
    assert gap(model, "A", "M1")[["required_hours", "changeover_hours"]].tolist() == [4.5, 1.5]
    assert gap(model, "A", "M2")[["required_hours", "changeover_hours"]].tolist() == [1.5, 0.5]
    assert gap(model, "A", "M3")[["required_hours", "changeover_hours"]].tolist() == [2.0, 0.0]
    assert gap(model, "B", "M3")[["required_hours", "changeover_hours"]].tolist() == [3.0, 1.0]
    # class A needs 6 h and fits; class B needs 5 h and gets the 1 h left: share 0.2
    assert gap(model, "A", "M1")["shortfall"] == 0
    assert gap(model, "A", "M3")[["supplied", "shortfall", "served_hours"]].tolist() == [4.0, 16.0, 0.4]
    assert gap(model, "B", "M3")[["supplied", "shortfall", "served_hours"]].tolist() == [2.0, 8.0, 0.6]
    assert gap(model, "A", "M3", W2)[["required_hours", "changeover_hours"]].tolist() == [4.0, 2.0]
    load = model.load().set_index("period")
    assert load.loc[W, "required_hours"] == 11.0 and load.loc[W2, "required_hours"] == 4.0


def test_a_rate_in_kg_per_hour_is_units_per_hour_through_the_net_weight(con, settings):
    add_version(con, "products", [
        dict(product="K", line="L1", rate=100, rate_unit="kg/h", unit="Stk", net_weight=0.25),  # 400/h
        dict(product="J", line="L1", rate=50, rate_unit="kg/h", unit="kg"),                     # 50 kg/h
        dict(product="N", line="L1", rate=80, rate_unit="kg/h")])                      # no net weight
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=40)])
    add_version(con, "forecast", [dict(product="K", market="LEH", period=W, quantity=800),
                                  dict(product="J", market="LEH", period=W, quantity=100),
                                  dict(product="N", market="LEH", period=W, quantity=5)])
    model = build(con, settings=settings)
    assert gap(model, "K", "LEH")[["rate", "required_hours", "unit"]].tolist() == [400.0, 2.0, "Stk"]
    assert gap(model, "J", "LEH")[["rate", "required_hours", "unit"]].tolist() == [50.0, 2.0, "kg"]
    n = gap(model, "N", "LEH")
    assert (n["reason"], n["shortfall"], pd.isna(n["line"])) == ("no_net_weight", 5.0, True)
    assert model.load()["required_hours"].tolist() == [4.0]


def test_forecast_units_are_converted_in_the_model_whatever_the_upload_order(con, settings):
    # the forecast comes first, the master data after it
    add_version(con, "forecast", [
        dict(product="K", market="LEH", period=W, quantity=100, unit="KG"),   # 100 / 0.25 = 400 Stk
        dict(product="K", market="LEH", period=W, quantity=500, unit="g"),    # 0.5 / 0.25 = 2 Stk
        dict(product="K", market="LEH", period=W2, quantity=7, unit="ST"),    # pieces are pieces
        dict(product="P", market="LEH", period=W, quantity=30, unit="KG"),    # no net weight
        dict(product="Q", market="LEH", period=W, quantity=4, unit="Karton")])  # not a kg unit
    add_version(con, "products", [dict(product="K", line="L1", rate=100, net_weight=0.25),
                                  dict(product="P", line="L1", rate=10),
                                  dict(product="Q", line="L1", rate=10, unit="kg")])
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=100),
                                  dict(line="L1", period=W2, available_hours=100)])
    model = build(con, settings=settings)
    k = gap(model, "K", "LEH")
    assert (k["demand"], k["unit"], k["required_hours"], k["shortfall"]) == (402.0, "Stk", 4.02, 0.0)
    assert gap(model, "K", "LEH", W2)["demand"] == 7.0
    p = gap(model, "P", "LEH")
    # not silently wrong: kept in the given unit, short in full, taking no hours, saying why
    assert (p["demand"], p["unit"], p["shortfall"], p["reason"], pd.isna(p["line"])) == \
        (30.0, "kg", 30.0, "no_net_weight", True)
    q = gap(model, "Q", "LEH")
    assert (q["demand"], q["unit"], q["reason"]) == (4.0, "Karton", "unit_mismatch")
    problems = model.unit_problems()
    assert problems[["product", "quantity", "unit_given", "article_unit", "unit_problem", "in_gaps"]] \
        .values.tolist() == [["P", 30.0, "KG", "Stk", "no_net_weight", True],
                             ["Q", 4.0, "Karton", "kg", "unit_mismatch", True]]
    # a corrected net weight applies at once: 30 kg / 0.5 kg = 60 Stk, 6 h at 10/h
    add_version(con, "products", [dict(product="K", line="L1", rate=100, net_weight=0.25),
                                  dict(product="P", line="L1", rate=10, net_weight=0.5),
                                  dict(product="Q", line="L1", rate=10, unit="kg")])
    model = build(con, settings=settings)
    p = gap(model, "P", "LEH")
    assert (p["demand"], p["unit"], p["required_hours"], pd.isna(p["reason"])) == (60.0, "Stk", 6.0, True)


def test_partly_convertible_pmc_period_keeps_the_converted_part_and_lists_the_rest(con, settings):
    add_version(con, "products", [dict(product="P", line="L1", rate=10)])
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=100)])
    add_version(con, "forecast", [dict(product="P", market="LEH", period=W, quantity=20, unit="Stk"),
                                  dict(product="P", market="LEH", period=W, quantity=3, unit="kg")])
    model = build(con, settings=settings)
    assert gap(model, "P", "LEH")[["demand", "unit", "shortfall"]].tolist() == [20.0, "Stk", 0.0]
    assert model.unit_problems()[["quantity", "unit_given", "in_gaps"]].values.tolist() == \
        [[3.0, "kg", False]]


@pytest.mark.parametrize("units, expected", [
    (["kg", "kg"], ("weight", 30.0, "kg")),           # kg articles: kilograms
    (["Stk", "kg"], ("weight", 22.5, "kg")),          # 10 pieces of 0.25 kg + 20 kg
    (["Stk", "Stk"], ("unit", 30.0, "Stk")),          # only pieces, one without net weight
    (["Becher", "kg"], (None, None, None)),           # a cup without weight: hours and money only
])
def test_quantity_total_over_articles_follows_the_units_rule(con, settings, units, expected):
    nets = {"kg": None, "Stk": 0.25, "Becher": None}
    first, second = units
    add_version(con, "products", [
        dict(product="A", line="L1", rate=10, unit=first, net_weight=nets[first] if second != "Stk" else None),
        dict(product="B", line="L1", rate=10, unit=second, net_weight=nets[second])])
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=100)])
    add_version(con, "forecast", [dict(product="A", market="LEH", period=W, quantity=10),
                                  dict(product="B", market="LEH", period=W, quantity=20)])
    model = build(con, settings=settings)
    total = model.quantity_total("demand")
    assert (total["basis"], total["value"], total["unit"]) == expected


def test_explanations_name_the_unit_and_what_cannot_be_converted(con, settings):
    add_version(con, "products", [dict(product="BUT", line="L1", rate=100, unit="kg"),
                                  dict(product="P", line="L1", rate=10)])
    add_version(con, "markets", [dict(market="LEH", priority_class=1)])
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=10)])
    add_version(con, "forecast", [dict(product="BUT", market="LEH", period=W, quantity=1500),
                                  dict(product="P", market="LEH", period=W, quantity=30, unit="KG")])
    model = build(con, settings=settings)
    text = model.explain("BUT", "LEH", W, "de")
    assert "1.000 seiner 1.500 kg" in text and "Stück" not in text
    assert model.explain("BUT", "LEH", W, "en").startswith("L1 needs 15 h")
    assert model.explain("P", "LEH", W, "en") == (
        "P is given in kg, but the product master has no net weight per pcs; the 30 kg for LEH in "
        "week 10 cannot be turned into line hours and are short in full. A net weight in the product "
        "master fixes this.")
    assert model.conflicts(lang="de").set_index("product").loc["P", "reason_text"] == \
        "kein Nettogewicht für die kg-Angabe"


def test_demand_by_group_is_in_kg_where_all_articles_weigh_else_in_hours(con, settings):
    add_version(con, "products", [dict(product="A", line="L1", rate=10, unit="kg", product_group="Käse"),
                                  dict(product="B", line="L1", rate=5, net_weight=0.25, product_group="Butter")])
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=100)])
    add_version(con, "forecast", [dict(product="A", market="LEH", period=W, quantity=10),
                                  dict(product="B", market="LEH", period=W, quantity=20)])
    model = build(con, settings=settings)
    frame = model.demand_by("product_group").sort_values("group")
    assert frame[["group", "quantity", "unit"]].values.tolist() == [["Butter", 5.0, "kg"],
                                                                    ["Käse", 10.0, "kg"]]
    assert model.demand_by("market", basis="unit")[["quantity", "unit", "basis"]].values.tolist() == \
        [[5.0, "h", "hours"]]   # kg and pieces are no one unit: line hours, 10/10 + 20/5
