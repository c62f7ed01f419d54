"""Meeting chart builders as pure functions: frames in, figures out, no Streamlit."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts import meeting as cm


def test_market_waterfall_steps_from_previous_to_current_total():
    by_market = pd.DataFrame({"market": ["LEH", "Discount", "Export NL"], "previous": [1000.0, 500.0, 200.0],
                              "current": [1300.0, 450.0, 200.0], "change": [300.0, -50.0, 0.0]})
    fig = cm.market_waterfall(by_market, "de")
    (bars,) = fig.data
    assert bars.type == "waterfall"
    assert list(bars.x) == ["Vergleich gesamt", "LEH", "Discount", "Aktuell gesamt"], "unchanged markets left out"
    assert list(bars.y) == [1700.0, 300.0, -50.0, 1950.0]
    assert list(bars.measure) == ["absolute", "relative", "relative", "total"]
    assert bars.text[1] == "+300" and bars.text[3] == "1.950"
    assert fig.layout.yaxis.range[0] <= 1650 and fig.layout.yaxis.range[1] >= 2000


def test_market_waterfall_does_not_exaggerate_a_small_change():
    """Issue 10: an axis from 66 Mio. made +1.126 look like a jump; the axis starts at 0 and the
    step says its size in text."""
    by_market = pd.DataFrame({"market": ["Export NL"], "previous": [69_700_000.0], "current": [69_701_126.0]})
    fig = cm.market_waterfall(by_market, "de")
    low, high = fig.layout.yaxis.range
    assert low == 0 and high >= 69_701_126.0
    assert fig.data[0].text[1] == "+1.126"


def test_market_waterfall_without_comparison_says_so():
    fig = cm.market_waterfall(pd.DataFrame(columns=["market", "previous", "current", "change"]), "en")
    assert not fig.data and "comparison" in fig.layout.annotations[0].text


def test_capacity_changes_red_where_hours_are_lost():
    change = pd.DataFrame({"line": ["KAS-1", "KAS-1"], "period": ["2027-W03", "2027-W02"],
                           "change_hours": [8.0, -48.0]})
    fig = cm.capacity_changes(change, "de")
    (bars,) = fig.data
    assert list(bars.x) == ["KW 02/2027", "KW 03/2027"], "chronological"
    assert list(bars.y) == [-48.0, 8.0]
    assert list(bars.marker.color) == [cm.RED, cm.SUPPLIED]
    assert "Keine Kapazitätsänderung" in cm.capacity_changes(change.iloc[0:0], "de").layout.annotations[0].text


def judged() -> pd.DataFrame:
    return pd.DataFrame({"agreement_id": [1, 2, 3], "text": ["Butter vorziehen", "Revision verschieben " * 3, "x"],
                         "shortfall_before": [30000.0, 40000.0, 100.0], "shortfall_now": [0.0, 52000.0, 40.0],
                         "verdict": ["held", "not_held", "partly"],
                         "verdict_label": ["gehalten", "nicht gehalten", "teilweise"]})


def test_verdicts_colour_the_gap_now_by_the_verdict():
    fig = cm.verdicts(judged(), "de")
    then, now = fig.data
    assert list(then.x) == [30000.0, 40000.0, 100.0]
    assert list(now.marker.color) == [cm.GREEN, cm.RED, cm.AMBER]
    assert now.text[1] == "nicht gehalten · 52.000"
    assert now.y[1].startswith("#2 Revision") and now.y[1].endswith("…"), "long texts are cut"
    assert fig.layout.xaxis.range[1] > 52000, "room for the labels"
    assert not cm.verdicts(judged().iloc[0:0], "de").data


def test_fill_against_target_marks_markets_below_their_target():
    fill = pd.DataFrame({"market": ["LEH", "Discount"], "priority_class": [1, 2],
                         "fill_rate": [0.96, 0.97], "target": [0.98, 0.95]})
    fig = cm.fill_against_target(fill, "en")
    bars, targets = fig.data
    assert list(bars.y) == ["LEH (A) · 96.0%", "Discount (B) · 97.0%"]
    assert list(bars.marker.color) == [cm.RED, cm.SUPPLIED]
    assert list(targets.x) == [0.98, 0.95]


def test_band_breaches_count_periods_per_line():
    checks = pd.DataFrame({"check": ["band_over", "band_over", "band_under", "fill_rate"],
                           "line": ["BUT-1", "BUT-1", "EIS-1", None]})
    fig = cm.band_breaches(checks, "de")
    over, under = fig.data
    assert over.name == "über dem Band" and list(over.x) == [2, 0]
    assert list(under.x) == [0, 1] and list(under.y) == ["BUT-1", "EIS-1"]
    assert "Zielband" in cm.band_breaches(checks.iloc[3:], "de").layout.annotations[0].text


def test_forecast_vs_actual_error_red_when_planned_too_high():
    series = pd.DataFrame({"period": ["2026-W46", "2026-W45"], "forecast": [120.0, 90.0],
                           "actual": [100.0, 100.0]})
    fig = cm.forecast_vs_actual(series, "de")
    forecast, actual, error = fig.data
    assert list(error.x) == ["KW 45/2026", "KW 46/2026"]
    assert list(error.y) == [-10.0, 20.0]
    assert list(error.marker.color)[1] == cm.RED
    assert (forecast.name, actual.name) == ("Prognose", "Ist")
    assert list(actual.y) == [100.0, 100.0]
    assert error.yaxis == "y2", "the error has its own panel below the lines"


@pytest.mark.parametrize("label, values", [("market", ["LEH", "Discount"]), ("priority_class", ["A", "B"])])
def test_accuracy_bars_wape_and_bias(label, values):
    frame = pd.DataFrame({label: ["LEH", "Discount"] if label == "market" else [1, 2],
                          "wape": [0.08, 0.16], "bias": [0.01, 0.15]})
    fig = cm.accuracy_bars(frame, label, "de")
    wape, bias = fig.data
    assert list(wape.x) == values
    assert wape.text[1] == "16,0 %"
    assert list(bias.y) == [0.01, 0.15]
    assert fig.layout.separators == ",."
