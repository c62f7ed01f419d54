"""Quantities on chart axes carry their unit (issue 10): the article's on a drill-down, the one
unit of Model.demand_by over articles."""
from __future__ import annotations

import pandas as pd

from dashboard import charts


def series() -> pd.DataFrame:
    return pd.DataFrame({"period": ["2027-W03", "2027-W04"], "demand": [100.0, 90.0],
                         "supplied": [80.0, 90.0], "shortfall": [20.0, 0.0]})


def test_drill_down_axes_name_the_article_unit():
    assert charts.demand_supplied(series(), "de", unit="kg").layout.yaxis.title.text == "kg"
    assert charts.demand_supplied(series(), "en", unit="Stk").layout.yaxis.title.text == "pcs"
    levers = pd.DataFrame({"label": ["Vorproduzieren"], "closes": [12.0]})
    fig = charts.levers_chart(levers, 20.0, "de", "Stk")
    assert fig.layout.xaxis.title.text == "Stk"
    assert fig.layout.shapes and "20 Stk" in fig.layout.annotations[0].text


def test_demand_charts_over_articles_show_the_one_unit():
    frame = pd.DataFrame({"period": ["2027-W03", "2027-W03"], "group": ["LEH", "LEH"],
                          "quantity": [5.0, 4.0], "version": ["current", "previous"],
                          "unit": ["h", "h"]})
    assert charts.demand_over_time(frame, "de").layout.yaxis.title.text == "h"
    change = pd.DataFrame({"group": ["LEH"], "previous": [4.0], "current": [5.0], "unit": ["kg"]})
    assert charts.demand_waterfall(change, "en").layout.yaxis.title.text == "kg"


def test_the_waterfall_says_its_one_measure_on_the_axis_and_in_the_hover():
    # the mart's columns (cmp_forecast_change_by_group): every group in line hours
    change = pd.DataFrame({"group": ["LEH", "Export"], "previous": [10.0, 4.0], "current": [12.5, 4.0],
                           "change": [2.5, 0.0], "unit": ["h", "h"], "basis": ["hours", "hours"],
                           "unrouted_products": [1, 0], "change_value": [None, 0.0]})
    fig = charts.demand_waterfall(change, "de")
    assert fig.layout.yaxis.title.text == "h"
    (bars,) = fig.data
    assert list(bars.x) == ["Vergleich gesamt", "LEH", "Aktuell gesamt"]
    assert list(bars.text) == ["14,0", "+2,5", "16,5"]
    assert bars.customdata[0] == "14,0 h"
    assert bars.customdata[1] == "+2,5 h<br>1 Artikel ohne Linie oder Leistung: nicht in den Linienstunden"
    # what the hours leave out is said on the chart itself too
    assert "1 Artikel ohne Linie" in fig.layout.annotations[0].text
    kg = change.assign(unit="kg", unrouted_products=0, change_value=[120.0, 0.0])
    fig = charts.demand_waterfall(kg, "en")
    assert fig.layout.yaxis.title.text == "kg" and not fig.layout.annotations
    assert fig.data[0].customdata[1] == "+2.5 kg · +€120"
