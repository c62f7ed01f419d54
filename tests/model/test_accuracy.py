"""Forecast accuracy against hand-computed values (spec section 6)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.model import accuracy as acc

from seed import add_version


def _history(con):
    """Two forecast cycles and actuals of two weeks.

    W01 (Mon 2027-01-04): only F1 (as of 2026-12-20) lies before it; F2 (as of 2027-01-04, the
    Monday itself) does not. W02 (Mon 2027-01-11): F2 is the latest before it.
    """
    add_version(con, "markets", [{"market": "LEH", "priority_class": 1},
                                 {"market": "Export", "priority_class": 3}])
    f1 = add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 100},
        {"product": "P1", "market": "LEH", "period": "2027-W02", "quantity": 100},
        {"product": "P2", "market": "Export", "period": "2027-W01", "quantity": 50}], as_of="2026-12-20")
    f2 = add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 999},
        {"product": "P1", "market": "LEH", "period": "2027-W02", "quantity": 120},
        {"product": "P3", "market": "LEH", "period": "2027-W02", "quantity": 10}], as_of="2027-01-04")
    add_version(con, "forecast", [   # after both weeks began: never used for them
        {"product": "P1", "market": "LEH", "period": "2027-W02", "quantity": 150}], as_of="2027-01-12")
    add_version(con, "actuals", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 80},
        {"product": "P1", "market": "LEH", "period": "2027-W02", "quantity": 150},
        {"product": "P4", "market": "LEH", "period": "2027-W02", "quantity": 5},
        {"product": "P1", "market": "LEH", "period": "2026-W50", "quantity": 7}])  # no forecast before
    return f1, f2


def test_each_period_uses_the_latest_version_before_its_first_day(con):
    f1, f2 = _history(con)
    rows = acc.forecast_vs_actual(con)
    got = [(r.product, r.market, r.period, r.forecast_version_id, r.forecast, r.actual)
           for r in rows.itertuples()]
    assert got == [
        ("P1", "LEH", "2027-W01", f1, 100, 80),
        ("P2", "Export", "2027-W01", f1, 50, 0),       # forecast, nothing sold
        ("P1", "LEH", "2027-W02", f2, 120, 150),
        ("P3", "LEH", "2027-W02", f2, 10, 0),
        ("P4", "LEH", "2027-W02", f2, 0, 5),            # sold without forecast
    ]


def test_wape_and_bias_by_hand(con):
    _history(con)
    total = acc.accuracy(con, "total").iloc[0]
    # |F-A|: 20 + 50 + 30 + 10 + 5 = 115; F-A: 20 + 50 - 30 + 10 - 5 = 45; A = 80 + 150 + 5 = 235
    assert total["wape"] == pytest.approx(115 / 235)
    assert total["bias"] == pytest.approx(45 / 235)
    assert total["periods"] == 2

    pmc = acc.accuracy(con, "pmc").set_index(["product", "market"])
    assert pmc.loc[("P1", "LEH"), "wape"] == pytest.approx(50 / 230)
    assert pmc.loc[("P1", "LEH"), "bias"] == pytest.approx(-10 / 230)
    assert pmc.loc[("P2", "Export"), "wape"] != pmc.loc[("P2", "Export"), "wape"]  # NaN: nothing sold
    assert pmc.loc[("P4", "LEH"), "bias"] == pytest.approx(-1.0)

    market = acc.accuracy(con, "market").set_index("market")
    assert market.loc["LEH", "wape"] == pytest.approx(65 / 235)
    assert market.loc["LEH", "bias"] == pytest.approx(-5 / 235)

    by_class = acc.accuracy(con, "class").set_index("priority_class")
    assert by_class.loc[1, "abs_error"] == 65 and by_class.loc[3, "abs_error"] == 50


def test_until_keeps_only_periods_that_ended(con):
    _history(con)
    total = acc.accuracy(con, "total", until="2027-01-10").iloc[0]   # W01 ends Sunday 2027-01-10
    assert total["periods"] == 1
    assert total["wape"] == pytest.approx(70 / 80)
    assert acc.accuracy(con, "total", until="2027-01-09").iloc[0]["periods"] == 0


def test_months_sum_weeks_and_choose_the_version_before_the_month(con):
    _history(con)
    month = acc.accuracy(con, "market", grain="month").set_index("market")
    # January 2027: only F1 lies before 2027-01-01; F1 LEH = 200, actual LEH = 80 + 150 + 5
    assert month.loc["LEH", "forecast"] == 200
    assert month.loc["LEH", "actual"] == 235
    assert month.loc["LEH", "wape"] == pytest.approx(35 / 235)


def test_worst_offenders_rank_by_units_missed(con):
    _history(con)
    worst = acc.worst_offenders(con, top=2)
    assert worst[["rank", "product", "market", "abs_error"]].values.tolist() == \
        [[1, "P1", "LEH", 50], [2, "P2", "Export", 50]]


def test_series_for_the_chart(con):
    _history(con)
    series = acc.accuracy_series(con)
    assert series[["period", "forecast", "actual"]].values.tolist() == \
        [["2027-W01", 150, 80], ["2027-W02", 130, 155]]
    one = acc.accuracy_series(con, product="P1", market="leh")
    assert one["forecast"].tolist() == [100, 120]


def test_no_actuals_no_accuracy(con):
    add_version(con, "forecast", [{"product": "P1", "market": "LEH", "period": "2027-W01",
                                   "quantity": 1}], as_of="2026-12-01")
    assert acc.forecast_vs_actual(con).empty
    assert acc.accuracy(con, "market").empty


@pytest.mark.slow
def test_demo_company_accuracy_matches_the_generator(tmp_path):
    from pipelines import store
    from pipelines.demo import SAMPLE_DIR, build_demo

    expected = json.loads((Path(SAMPLE_DIR) / "expected.json").read_text(encoding="utf-8"))["accuracy"]
    con = store.connect(build_demo(tmp_path / "demo.duckdb"))
    market = acc.accuracy(con, "market").set_index("market")
    for name, figures in expected["by_market"].items():
        assert market.loc[name, "wape"] == pytest.approx(figures["wape"], abs=5e-4), name
        assert market.loc[name, "bias"] == pytest.approx(figures["bias"], abs=5e-4), name
    pmc = acc.accuracy(con, "pmc").set_index(["product", "market"])
    for sample in expected["sample_pmcs"]:
        assert pmc.loc[(sample["product"], sample["market"]), "wape"] == \
            pytest.approx(sample["wape"], abs=5e-4)
    assert acc.worst_offenders(con, 3)["market"].tolist().count("Discount") >= 2
    con.close()


def test_forecast_and_actuals_in_different_units_are_compared_in_the_articles_unit(con):
    # cheese in pieces of 0.5 kg: the forecast gives kg, the delivery export pieces
    add_version(con, "products", [{"product": "KAE", "line": "L1", "rate": 10, "unit": "Stk",
                                   "net_weight": 0.5}])
    add_version(con, "forecast", [{"product": "KAE", "market": "LEH", "period": "2027-W01",
                                   "quantity": 60, "unit": "kg"}], as_of="2026-12-20")
    add_version(con, "actuals", [{"product": "KAE", "market": "LEH", "period": "2027-W01",
                                  "quantity": 100, "unit": "ST"}])
    (row,) = acc.forecast_vs_actual(con).itertuples()
    # 60 kg / 0.5 = 120 pieces against 100 pieces sold (not 60 against 100)
    assert (row.forecast, row.actual, row.error) == (120.0, 100.0, 20.0)


def test_a_market_adds_its_articles_in_kg_and_ranks_offenders_by_kg(con):
    # butter in kg and yoghurt cups of 0.5 kg in one market
    add_version(con, "products", [
        {"product": "BUT", "line": "L1", "rate": 100, "unit": "kg"},
        {"product": "JOG", "line": "L2", "rate": 1000, "unit": "Becher", "net_weight": 0.5}])
    add_version(con, "forecast", [
        {"product": "BUT", "market": "LEH", "period": "2027-W01", "quantity": 160},
        {"product": "JOG", "market": "LEH", "period": "2027-W01", "quantity": 300}], as_of="2026-12-20")
    add_version(con, "actuals", [
        {"product": "BUT", "market": "LEH", "period": "2027-W01", "quantity": 100},
        {"product": "JOG", "market": "LEH", "period": "2027-W01", "quantity": 400}])
    pmc = acc.accuracy(con, "pmc").set_index("product")
    # each PMC in its own unit: 60 kg of 100, 100 cups of 400
    assert (pmc.loc["BUT", "abs_error"], pmc.loc["BUT", "unit"]) == (60.0, "kg")
    assert (pmc.loc["JOG", "abs_error"], pmc.loc["JOG", "unit"]) == (100.0, "Becher")
    (market,) = acc.accuracy(con, "market").to_dict("records")
    # in kg: |F-A| = 60 + 100 x 0.5 = 110, A = 100 + 400 x 0.5 = 300; F-A = 60 - 50 = 10
    # (in mixed units it was 160 / 500 and -40 / 500)
    assert (market["abs_error"], market["actual"], market["unit"]) == (110.0, 300.0, "kg")
    assert market["wape"] == pytest.approx(110 / 300) and market["bias"] == pytest.approx(10 / 300)
    # the worst offender missed 60 kg of butter, not 100 cups (50 kg); the market's chart is in kg
    assert acc.worst_offenders(con, 2)["product"].tolist() == ["BUT", "JOG"]
    series = acc.accuracy_series(con, market="LEH")
    assert series[["forecast", "actual", "unit"]].values.tolist() == [[310.0, 300.0, "kg"]]
    own = acc.accuracy_series(con, product="JOG", market="LEH")
    assert own[["forecast", "actual", "unit"]].values.tolist() == [[300.0, 400.0, "Becher"]]
