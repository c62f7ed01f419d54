"""Chart builders as pure functions: frames in, figures out, no Streamlit."""
from __future__ import annotations

import pandas as pd

from dashboard import charts


def cells() -> pd.DataFrame:
    return pd.DataFrame({
        "product": ["1001", "1001", "2002"], "market": ["LEH", "LEH", "Discount"],
        "period": ["2027-W03", "2027-W04", "2027-W03"], "shortfall": [500.0, 250.0, 1200.0],
        "demand": [1000.0, 900.0, 1500.0], "short_share": [0.5, 0.277778, 0.8],
        "unit": ["Stk", "Stk", "kg"], "shortfall_hours": [5.0, 2.5, None],
        "label": ["1001 · LEH", "1001 · LEH", "2002 · Discount"]})


def test_pmc_heatmap_cells_carry_drill_down_keys_and_german_labels():
    fig = charts.pmc_heatmap(cells(), "de", ["2002 · Discount", "1001 · LEH"])
    heat, marks = fig.data
    assert list(fig.layout.xaxis.ticktext) == ["KW 03/2027", "KW 04/2027"]
    assert list(fig.layout.yaxis.ticktext) == ["2002 · Discount", "1001 · LEH"]
    # the colour is the share of demand short, on one fixed scale whatever the unit
    assert heat.z[0][0] == 0.8 and pd.isna(heat.z[0][1]) and heat.z[1][0] == 0.5
    assert (heat.zmin, heat.zmax) == (0, 1) and heat.colorbar.tickformat == ".0%"
    assert [list(c)[:4] for c in marks.customdata] == [
        ["pmc", "1001", "LEH", "2027-W03"], ["pmc", "1001", "LEH", "2027-W04"],
        ["pmc", "2002", "Discount", "2027-W03"]]
    # the click layer: one bar exactly over each cell (column x, rows base .. base + 1)
    assert list(marks.x) == [0, 1, 0] and list(marks.base) == [0.5, 0.5, -0.5]
    assert marks.type == "bar" and marks.width == 1.0 and set(marks.y) == {1.0}
    assert list(marks.customdata[2])[4:] == ["KW 03/2027", "Fehlmenge: 1.200 kg · 80 % des Bedarfs"]
    assert list(marks.customdata[0])[5] == "Fehlmenge: 500 Stk · 5,0 h · 50 % des Bedarfs"
    assert fig.layout.separators == ",."
    assert fig.layout.clickmode == "event+select"


def test_pmc_heatmap_english_and_empty():
    fig = charts.pmc_heatmap(cells(), "en")
    assert list(fig.layout.xaxis.ticktext) == ["W03 2027", "W04 2027"]
    assert fig.layout.separators == ".,"
    empty = charts.pmc_heatmap(cells().iloc[0:0], "de")
    assert not empty.data and "Keine Konflikte" in empty.layout.annotations[0].text


def test_line_heatmap_marks_overload_red():
    load = pd.DataFrame({"line": ["L1", "L1", "L2"], "period": ["2027-W01", "2027-W02", "2027-W01"],
                         "utilisation": [0.8, 1.4, None], "required_hours": [32.0, 56.0, 5.0],
                         "available_hours": [40.0, 40.0, 0.0]})
    fig = charts.line_heatmap(load, "de")
    heat, marks = fig.data
    assert heat.colorscale[-1][1] == charts.DARK_RED
    assert list(marks.customdata[1])[:3] == ["line", "L1", "2027-W02"]
    assert "keine Kapazitätsdaten" in marks.customdata[2][-1]


def test_a_line_without_capacity_data_or_beyond_the_forecast_is_an_empty_cell_not_free():
    load = pd.DataFrame({"line": ["L1", "L1", "L2", "L2"],
                         "period": ["2027-W01", "2027-W02", "2027-W01", "2027-W02"],
                         "utilisation": [0.8, 0.0, None, 0.0], "required_hours": [32.0, 0.0, 5.0, 0.0],
                         "available_hours": [40.0, 40.0, 0.0, 20.0],
                         "beyond_forecast": [False, True, False, True]})
    fig = charts.line_heatmap(load, "de")
    heat, marks = fig.data
    assert heat.z[0][0] == 0.8  # L1 in W01
    assert pd.isna(heat.z[0][1]) and pd.isna(heat.z[1][0]) and pd.isna(heat.z[1][1])
    hover = {tuple(c[1:3]): c[-1] for c in marks.customdata}
    assert hover[("L1", "2027-W02")].startswith("nach dem Prognosehorizont: Bedarf noch unbekannt · 0 / 40 h")
    assert hover[("L2", "2027-W01")].startswith("keine Kapazitätsdaten")


def test_line_load_greys_the_weeks_after_the_forecast():
    load = pd.DataFrame({"period": ["2027-W01"], "priority_class": [1], "required_hours": [30.0]})
    capacity = pd.DataFrame({"period": ["2027-W01", "2027-W02", "2027-W03"],
                             "available_hours": [40.0] * 3, "max_hours": [None] * 3,
                             "beyond_forecast": [False, True, True]})
    fig = charts.line_load(load, capacity, "en", "2027-W01")
    grey = [s for s in fig.layout.shapes if s.fillcolor == charts.GREY]
    assert [(s.x0, s.x1) for s in grey] == [(0.5, 2.5)]
    assert "no forecast" in [a.text for a in fig.layout.annotations]
    within = charts.line_load(load, capacity.assign(beyond_forecast=False), "en", "2027-W01")
    assert not [s for s in within.layout.shapes if s.fillcolor == charts.GREY]


def test_clicked_target():
    assert charts.clicked_target({"selection": {"points": [
        {"customdata": ["pmc", "1001", "LEH", "2027-W03", "KW 03/2027", "x"]}]}}) == {
        "product": "1001", "market": "LEH", "period": "2027-W03"}
    assert charts.clicked_target({"selection": {"points": [
        {"customdata": ["line", "L1", "2027-W02", "KW 02/2027", "x"]}]}}) == {
        "line": "L1", "period": "2027-W02"}
    assert charts.clicked_target({"selection": {"points": []}}) is None
    assert charts.clicked_target(None) is None


def test_demand_supplied_stacks_shortfall_in_red():
    series = pd.DataFrame({"period": ["2027-W02", "2027-W01"], "demand": [100.0, 80.0],
                           "supplied": [60.0, 80.0], "shortfall": [40.0, 0.0]})
    fig = charts.demand_supplied(series, "de", "2027-W02")
    supplied, short, demand = fig.data
    assert list(supplied.x) == ["KW 01/2027", "KW 02/2027"]
    assert list(short.y) == [0.0, 40.0] and short.marker.color == charts.RED
    assert fig.layout.barmode == "stack"


def test_line_load_stacks_classes_and_flags_overload():
    load = pd.DataFrame({"period": ["2027-W01", "2027-W01", "2027-W02"],
                         "priority_class": [1, 2, 1], "required_hours": [30.0, 20.0, 10.0]})
    capacity = pd.DataFrame({"period": ["2027-W01", "2027-W02"], "available_hours": [40.0, 40.0],
                             "max_hours": [48.0, 48.0]})
    fig = charts.line_load(load, capacity, "en")
    names = [t.name for t in fig.data]
    assert names[:2] == ["Class A", "Class B"]
    overload = fig.data[-1]
    assert list(overload.x) == ["W01 2027"] and overload.marker.color == charts.RED


def test_levers_chart_and_bottlenecks():
    levers = pd.DataFrame({"label": ["Vorproduktion", "Zusatzstunden"], "closes": [100.0, 400.0]})
    fig = charts.levers_chart(levers, 400.0, "de")
    assert list(fig.data[0].text) == ["100", "400"]
    ranking = pd.DataFrame({"line": ["A", "B"], "overload_hours": [0.0, 12.5]})
    assert list(charts.bottlenecks(ranking, "de").data[0].y) == ["B"]


def test_demand_charts():
    frame = pd.DataFrame({"period": ["2027-W01", "2027-W02"] * 2, "group": ["LEH"] * 4,
                          "quantity": [10.0, 12.0, 9.0, 9.0],
                          "version": ["current", "current", "previous", "previous"]})
    fig = charts.demand_over_time(frame, "de")
    assert [t.line.dash for t in fig.data] == ["solid", "dot"]
    change = pd.DataFrame({"group": ["LEH", "Discount"], "previous": [100.0, 50.0],
                           "current": [120.0, 40.0]})
    wf = charts.demand_waterfall(change, "de").data[0]
    assert list(wf.measure) == ["absolute", "relative", "relative", "total"]
    assert list(wf.y) == [150.0, 20.0, -10.0, 160.0]


def test_waterfall_labels_stay_readable_on_the_projector():
    """Issue 10: the totals carry their figure, only the 8 biggest steps theirs (more run into each
    other), names are written over two lines (escaped; the line break is the chart's own), the
    axis in compact figures from 0."""
    groups = [f"Markt Nummer {i}" for i in range(10)] + ["<a href='x'>Böse Gruppe</a>"]
    change = pd.DataFrame({"group": groups, "previous": [1e6] * 11,
                           "current": [1e6 + 1000 * (i + 1) for i in range(11)]})
    fig = charts.demand_waterfall(change, "de")
    wf = fig.data[0]
    assert wf.text[0] == "11 Mio." and wf.text[-1] == "11,1 Mio."
    steps = list(wf.text[1:-1])
    assert steps[:8] == ["+11.000", "+10.000", "+9.000", "+8.000", "+7.000", "+6.000", "+5.000", "+4.000"]
    assert steps[8:] == ["", "", ""], "the smallest steps say their size on hover only"
    assert list(wf.textposition) == ["auto"] + ["outside"] * 11 + ["auto"]
    ticks = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext))
    assert ticks["Markt Nummer 3"] == "Markt<br>Nummer 3"
    assert ticks["Vergleich gesamt"] == "Vergleich<br>gesamt"
    bad = [text for text in ticks.values() if "Böse" in text][0]
    assert "<a" not in bad and "&lt;a" in bad
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.tickvals[0] == 0
    assert list(fig.layout.yaxis.ticktext)[-1].endswith("Mio.")


def test_agreement_marks_are_written_on_the_cells_they_cover():
    """Issue 10: the mark is the click marker's text (the cell still opens); a covered cell that
    is no longer short gets a text of its own that takes no clicks."""
    import pandas as pd
    from dashboard import charts as ch
    cells = pd.DataFrame({"product": ["A", "A", "B"], "market": ["LEH", "LEH", "LEH"],
                          "period": ["2027-W01", "2027-W03", "2027-W01"],
                          "shortfall": [5.0, 3.0, 1.0], "short_share": [0.5, 0.3, 0.1],
                          "label": ["A · LEH", "A · LEH", "B · LEH"]})
    marks = pd.DataFrame({"scope": ["pmc", "pmc", "line", "pmc"], "product": ["A", "B", None, "A"],
                          "market": ["leh", "LEH", None, "LEH"], "line": [None, None, "l1", None],
                          "period": ["2027-W01", "2027-W03", "2027-W01", "2027-W09"],
                          "symbol": ["◆", "✓", "✗", "◆"]})
    fig = ch.pmc_heatmap(cells, "de", ["A · LEH", "B · LEH"], marks=marks)
    clickable = fig.data[1]
    keyed = {tuple(c[1:4]): text for c, text in zip(clickable.customdata, clickable.text)}
    assert keyed == {("A", "LEH", "2027-W01"): "◆", ("A", "LEH", "2027-W03"): "",
                     ("B", "LEH", "2027-W01"): ""}
    assert clickable.type == "bar" and clickable.textposition == "inside"  # the click layer is bars
    # B is no longer short in W03 (a column of the heatmap, the third: W02 has no conflict but keeps
    # its column): a text that takes no clicks; W09 is not on the heatmap
    extra = fig.data[2]
    assert (list(extra.x), list(extra.y), list(extra.text), extra.hoverinfo) == ([2], [1], ["✓"], "skip")
    assert len(fig.data) == 3
    load = pd.DataFrame({"line": ["L1", "L1"], "period": ["2027-W01", "2027-W02"],
                         "utilisation": [1.2, 0.5], "required_hours": [12.0, 5.0],
                         "available_hours": [10.0, 10.0]})
    fig = ch.line_heatmap(load, "de", marks=marks)
    assert list(fig.data[1].text) == ["✗", ""]
    assert ch.pmc_heatmap(cells, "de", ["A · LEH", "B · LEH"]).data[1].text is None


def test_the_heatmap_leaves_no_week_out_between_its_conflicts():
    """Conflicts in KW 50, KW 52 and KW 02: the columns run KW 50 ... KW 02 without a gap (KW 53
    of 2026 included), so a column is never read as the wrong week."""
    import pandas as pd
    from dashboard import charts as ch
    cells = pd.DataFrame({"product": ["A", "A", "A"], "market": ["LEH"] * 3,
                          "period": ["2026-W50", "2026-W52", "2027-W02"], "shortfall": [1.0, 2.0, 3.0],
                          "short_share": [0.1, 0.2, 0.3], "label": ["A · LEH"] * 3})
    fig = ch.pmc_heatmap(cells, "de", ["A · LEH"])
    assert fig.data[0].x == tuple(range(6)) and list(fig.data[1].x) == [0, 2, 5]
    assert list(fig.layout.xaxis.ticktext)[:2] == ["KW 50/2026", "KW 51/2026"]


def test_each_line_is_coloured_against_its_own_target_band():
    """BUT-1 with a band of 85-95 %, L2 with the default 75-90 %: 92 % is inside BUT-1's band
    (not amber) and above L2's (amber); the hover names each line's band."""
    import pandas as pd
    from dashboard import charts as ch
    load = pd.DataFrame({"line": ["BUT-1", "L2"], "period": ["2027-W01", "2027-W01"],
                         "utilisation": [0.92, 0.92], "required_hours": [92.0, 92.0],
                         "available_hours": [100.0, 100.0]})
    fig = ch.line_heatmap(load, "de", (0.75, 0.9), bands={"BUT-1": (0.85, 0.95), "L2": (0.75, 0.9)})
    but, l2 = fig.data[0].z[0][0], fig.data[0].z[1][0]
    assert 0.75 < but < 0.9 < l2 < 1.0  # inside the reference band's colours, above it
    assert "Zielband 85 %–95 %" in fig.data[1].customdata[0][-1]
    assert "Zielband der Linie" in fig.data[0].colorbar.title.text
    same = ch.line_heatmap(load, "de", (0.75, 0.9), bands={"BUT-1": (0.75, 0.9), "L2": (0.75, 0.9)})
    assert same.data[0].z[0][0] == 0.92  # one band for all: the utilisation itself
