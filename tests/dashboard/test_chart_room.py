"""Margins made before plotly draws (dashboard/charts/room.py): each side gets the room its labels,
title, legend or colour bar take, so plotly's automargin adds nothing and draws once. The browser
test `test_charts_are_drawn_in_one_pass` checks the same against what Chromium draws."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.charts.room import make_room

WEEKS = [f"2027-W{w:02d}" for w in range(1, 53)]


def _series(scale: float) -> pd.DataFrame:
    return pd.DataFrame({"period": WEEKS, "demand": [scale * (1 + i % 3) for i in range(52)],
                         "supplied": [scale for _ in WEEKS], "shortfall": [scale * (i % 3) for i in range(52)]})


def _margin(fig: go.Figure) -> dict[str, int]:
    m = fig.layout.margin
    return {"l": m.l, "r": m.r, "t": m.t, "b": m.b}


def test_a_time_chart_has_room_for_slanted_weeks_its_values_and_the_legend_above():
    small = _margin(charts.demand_supplied(_series(10), "de", "2027-W05", "ST"))
    large = _margin(charts.demand_supplied(_series(1_000_000), "de", "2027-W05", "ST"))
    # "KW 05/2027" slanted by 45° below the plot, the legend's one row above it
    assert small["b"] >= 70 and small["t"] >= 40
    # "3.000.000" takes six more digits and two separators than "30" on the left
    assert large["l"] - small["l"] >= 6 * 6
    assert small["r"] == large["r"] == 10  # nothing on the right


def test_the_heatmap_has_room_for_its_row_labels_and_colour_bar():
    cells = pd.DataFrame({"product": ["100101", "100102"], "market": ["LEH", "Discount"],
                          "period": ["2027-W05", "2027-W06"], "shortfall": [10.0, 5.0],
                          "short_share": [0.5, 0.2], "label": ["100101 Joghurt Erdbeere 150 g · LEH",
                                                                "100102 Quark · Discount"],
                          "unit": ["ST", "ST"], "shortfall_hours": [1.0, 0.5]})
    m = _margin(charts.pmc_heatmap(cells, "de"))
    longest = len("100101 Joghurt Erdbeere 150 g · LEH")
    assert m["l"] >= longest * 0.45 * 12.75  # the row labels at the theme's tick size
    assert m["r"] >= 14 + 60                 # the colour bar, its "100 %" and title


def test_a_margin_is_only_ever_widened():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    fig.update_layout(margin={"l": 300, "r": 10, "t": 10, "b": 10}, font={"size": 16})
    make_room(fig)
    assert fig.layout.margin.l == 300       # a builder's wider margin stays
    assert fig.layout.margin.b > 10          # the category labels below get room


def test_the_projector_gets_the_room_of_its_larger_type():
    fig = charts.demand_supplied(_series(100), "de", "2027-W05", "ST")
    big = charts.for_projector(fig)
    assert all(big.layout.margin[s] >= fig.layout.margin[s] for s in ("l", "t", "b"))
    assert big.layout.margin.b > fig.layout.margin.b and big.layout.margin.l > fig.layout.margin.l


def test_stacked_subplots_get_the_room_of_their_left_axes_and_bottom_labels():
    """The look-back's forecast over actuals with the error below (two rows, one shared x axis):
    the left margin holds the wider of the two plots' value labels and the top plot's unit, the
    bottom the slanted weeks of the lower plot (the upper one shows none)."""
    from dashboard.charts.meeting import forecast_vs_actual
    weeks = [f"2027-W{w:02d}" for w in range(1, 27)]
    series = pd.DataFrame({"period": weeks, "forecast": [1_200_000.0 + i for i in range(26)],
                           "actual": [1_000_000.0] * 26, "unit": ["kg"] * 26})
    m = _margin(forecast_vs_actual(series, "de"))
    assert m["l"] >= len("1.320.000") * 0.55 * 12.75 + 20  # the values and the axis title "kg"
    assert m["b"] >= 60                                     # "KW 01/2027" slanted by 45°
    small = _margin(forecast_vs_actual(series.assign(forecast=10.0, actual=12.0), "de"))
    assert m["l"] - small["l"] >= 5 * 6                     # counted from the values, not fixed


def test_subplots_side_by_side_keep_their_margins():
    from plotly.subplots import make_subplots
    fig = make_subplots(rows=1, cols=2)
    fig.add_bar(x=["a"], y=[1], row=1, col=1)
    fig.add_bar(x=["a"], y=[2], row=1, col=2)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    assert _margin(make_room(fig)) == {"l": 10, "r": 10, "t": 10, "b": 10}
    right = go.Figure(go.Bar(x=["a"], y=[1], yaxis="y2"))
    right.update_layout(yaxis2={"side": "right", "overlaying": "y"}, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    assert _margin(make_room(right)) == {"l": 10, "r": 10, "t": 10, "b": 10}


def test_values_it_cannot_count_leave_the_margins_as_they_are():
    fig = go.Figure(go.Scatter(x=pd.to_datetime(["2027-01-04", "2027-01-11"]), y=[1, "n/a"] * 1))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, font={"size": 16})
    make_room(fig)  # neither axis can be estimated from its values; nothing raises
    assert fig.layout.margin.r == 10


def test_the_projector_heatmap_shortens_long_row_labels_but_keeps_number_and_market():
    """In projector type a heatmap's row labels took 607 of the 791 px a 1280 px screen gives the
    chart: they are cut in the middle, the article number and the market stay whole."""
    long_name = "Eis am Stiel Vanille-Schoko 6er & Nuss"
    cells = pd.DataFrame({"product": ["100506", "4711"], "market": ["Handelsmarke", "LEH"],
                          "period": ["2027-W05", "2027-W06"], "shortfall": [10.0, 5.0],
                          "short_share": [0.5, 0.2],
                          "label": [f"100506 {long_name} · Handelsmarke", "4711 Quark · LEH"],
                          "unit": ["ST", "ST"], "shortfall_hours": [1.0, 0.5]})
    fig = charts.pmc_heatmap(cells, "de")
    assert list(fig.layout.yaxis.ticktext) == [f"100506 {long_name.replace('&', '&amp;')} · Handelsmarke",
                                               "4711 Quark · LEH"]  # the screen keeps them whole
    big = charts.for_projector(fig)
    first, second = big.layout.yaxis.ticktext
    assert first.startswith("100506 Eis") and first.endswith("… · Handelsmarke")
    assert len(first) * 0.55 * 20 <= 320 + 11  # at the projector's 20 px tick type
    assert second == "4711 Quark · LEH"       # short labels stay as they are
    assert big.layout.margin.l < 320 + 40      # the margin follows the shortened labels
    assert "&" not in first.replace("&amp;", "")  # an entity is never cut in half
    from dashboard.charts.room import _shortened
    assert _shortened("100507 Vanilleeis 5 l Gastro · Großverbraucher", 29) == "100507 Van… · Großverbraucher"
    assert _shortened("A very long label without a market part", 20) == "A very long label w…"
