"""Pure figure builders: DataFrame in, plotly figure out. No Streamlit here, so tests need none.

Colours carry meaning and nothing else: red is shortfall or overload, blues are what is
supplied or planned (darker = more important class), grey is context.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts.room import make_room, shorten_row_labels
from dashboard.i18n import t, t_text
from pipelines.text import plain

RED = "#d62728"
DARK_RED = "#8b0000"
SUPPLIED = "#4c78a8"
GREY = "#8c8c8c"
LIGHT = "#eef1f5"
CAPACITY = "#222222"
CLASS_COLORS = {1: "#1f3b73", 2: "#4c78a8", 3: "#9ecae9"}
FONT_SIZE = 16
PROJECTOR_FONT_SIZE = 22
TEXT = "#1a1a1a"  # labels dark: light grey cannot be read across the room
HEATMAP_X_LABELS = 26
# utilisation: neutral below the band, amber from the band's top, strong red above 100 %
UTIL_NEUTRAL, UTIL_IN_BAND, UTIL_AMBER, UTIL_ORANGE, UTIL_RED = (
    "#e9ecef", "#c9d1da", "#f5c04a", "#e8890c", "#d62728")


def unit_text(unit: object, lang: str) -> str:
    """An article's unit for a chart: plotly reads labels and hovers as HTML-like markup, and the
    unit comes from a file (the product master), so it is escaped."""
    return plain.html(i18n.unit_label(unit, lang))


def quantity_text(value: object, unit: object, lang: str, decimals: int | None = None) -> str:
    """A quantity with its unit for a chart label or hover (escaped, as unit_text)."""
    return plain.html(i18n.quantity(value, unit, lang, decimals))

def _plain_values(values):
    """Strings among a trace's values with < > & as entities (plotly reads <a>, <b>, <br>...)."""
    if isinstance(values, str):
        return plain.html(values)
    if isinstance(values, np.ndarray) and values.dtype.kind not in "OU":
        return values
    if isinstance(values, (list, tuple, np.ndarray)) and any(isinstance(v, str) for v in values):
        return [plain.html(v) if isinstance(v, str) else v for v in values]
    return values


def plain_figure(fig: go.Figure) -> go.Figure:
    """Every label, category, name and annotation of `fig` as plain text: a name from a file
    never becomes a link or markup in a chart (hover templates are the builders' own)."""
    for trace in fig.data:
        for attr in ("x", "y", "text", "hovertext", "name", "labels"):
            if attr in trace and trace[attr] is not None:
                trace[attr] = _plain_values(trace[attr])
    layout = fig.layout
    for name in [k for k in layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        axis = layout[name]
        for attr in ("ticktext", "categoryarray"):
            if axis[attr] is not None:
                axis[attr] = _plain_values(list(axis[attr]))
    for note in layout.annotations or ():
        if note.text:
            note.text = plain.html(note.text)
    return fig


def _layout(fig: go.Figure, lang: str, height: int, title: str | None = None) -> go.Figure:
    plain_figure(fig)
    fig.update_layout(
        height=height, separators=i18n.plotly_separators(lang),
        font={"size": FONT_SIZE, "color": TEXT}, margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        title={"text": title} if title else None,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        hoverlabel={"font": {"size": FONT_SIZE}},
    )
    fig.update_xaxes(tickfont={"color": TEXT}, title_font={"color": TEXT})
    fig.update_yaxes(tickfont={"color": TEXT}, title_font={"color": TEXT})
    return make_room(fig)


def for_projector(fig: go.Figure) -> go.Figure:
    """The same figure for the projector: larger type everywhere, room for the larger labels."""
    fig = go.Figure(fig)
    scale = PROJECTOR_FONT_SIZE / FONT_SIZE
    fig.update_layout(font={"size": PROJECTOR_FONT_SIZE, "color": TEXT},
                      hoverlabel={"font": {"size": PROJECTOR_FONT_SIZE}})
    fig.update_xaxes(tickfont={"size": PROJECTOR_FONT_SIZE - 2, "color": TEXT},
                     title_font={"size": PROJECTOR_FONT_SIZE, "color": TEXT})
    fig.update_yaxes(tickfont={"size": PROJECTOR_FONT_SIZE - 2, "color": TEXT},
                     title_font={"size": PROJECTOR_FONT_SIZE, "color": TEXT})
    if fig.layout.height:
        fig.update_layout(height=round(fig.layout.height * 1.15))
    for note in fig.layout.annotations or ():
        size = note.font.size if note.font and note.font.size else FONT_SIZE
        note.font.size = round(size * scale)
    for trace in fig.data:
        if trace.type in ("bar", "waterfall") and trace.text is not None:
            trace.textfont = {"size": PROJECTOR_FONT_SIZE - 2}
            trace.constraintext = "none"  # plotly would shrink the labels to the bars' width
    for trace in fig.data:  # a colour bar's title turned beside it: across, it took 190 px
        if trace.type == "heatmap" and trace.colorbar.title.text:
            trace.colorbar.title.side = "right"
    if shorten_row_labels(fig):  # a heatmap's long row labels would leave no room for its cells
        fig.update_layout(margin={"l": 10})  # make_room's own (no builder sets it): made anew
    return make_room(fig)  # the margins for the larger labels


def _period_axis(periods: pd.Series | list, lang: str) -> tuple[list[str], dict[str, str]]:
    """Chronological periods and their labels in the language (periods sort as text), without
    gaps: a heatmap of only the weeks with a conflict put KW 02 beside KW 05 with nothing to say
    that three weeks were left out, and its every-other-column labels were read as the wrong week."""
    ordered = _without_gaps(sorted({str(p) for p in periods}))
    return ordered, {p: i18n.period(p, lang) for p in ordered}


def _without_gaps(ordered: list[str]) -> list[str]:
    """Every ISO week (`2027-W05`) or month (`2027-05`) from the first to the last; other labels as
    they are."""
    import datetime as dt
    if len(ordered) < 2:
        return ordered
    try:
        if all(len(p) == 8 and p[4:6] == "-W" for p in ordered):
            start = dt.date.fromisocalendar(int(ordered[0][:4]), int(ordered[0][6:]), 1)
            end = dt.date.fromisocalendar(int(ordered[-1][:4]), int(ordered[-1][6:]), 1)
            weeks = (end - start).days // 7 + 1
            return [(start + dt.timedelta(weeks=k)).strftime("%G-W%V") for k in range(weeks)] \
                if weeks <= 520 else ordered
        if all(len(p) == 7 and p[4] == "-" for p in ordered):
            first, last = int(ordered[0][:4]) * 12 + int(ordered[0][5:]) - 1, \
                int(ordered[-1][:4]) * 12 + int(ordered[-1][5:]) - 1
            return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)] \
                if last - first < 240 else ordered
    except ValueError:
        return ordered
    return ordered


def empty_figure(message: str, height: int = 240) -> go.Figure:
    """A figure that says why there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(text=plain.html(message), showarrow=False, font={"size": 18, "color": GREY},
                       xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


# --- heatmaps with click targets -----------------------------------------------------------------

def _clickable_heatmap(cells: pd.DataFrame, *, row: str, row_order: list[str], z: str,
                       tag: str, keys: list[str], hover: str, lang: str, colorscale, zmin: float,
                       zmax: float, colorbar_title: str, colorbar_format: str,
                       agreement_marks: pd.DataFrame | None = None,
                       colorbar_ticks: dict | None = None) -> go.Figure:
    """A heatmap with an invisible bar exactly over each cell: plotly selects bars, not heatmap
    cells, and Streamlit passes on selections only. `agreement_marks` writes agreement symbols
    on the cells they cover.

    Bars, not markers: a marker is a circle of fixed pixel size, and where markers are wider than
    a cell (104 weeks on a screen) plotly gives every marker under the pointer the same distance
    and takes the first, the column to the left. A bar of width 1 from row - 0.5 to row + 0.5 is
    hit only inside its own cell, and an empty cell hits nothing. Both traces sit on numeric axes
    labelled by tick text, so each bar carries only its keys and hover figures (a few bytes)."""
    periods, labels = _period_axis(cells["period"], lang)
    # min_count: a cell without a value (no capacity, beyond the forecast) stays empty, not 0 %
    matrix = (cells.groupby([row, "period"], observed=True, sort=False)[z].sum(min_count=1)
              .unstack("period").reindex(index=row_order, columns=periods))
    colorbar = {"title": {"text": colorbar_title}, "tickformat": colorbar_format, "thickness": 14}
    colorbar.update(colorbar_ticks or {})
    fig = go.Figure(go.Heatmap(
        z=matrix.to_numpy(), x=list(range(len(periods))), y=list(range(len(row_order))),
        colorscale=colorscale, zmin=zmin, zmax=zmax, hoverinfo="skip", xgap=1, ygap=1,
        colorbar=colorbar))
    marks = cells[cells[row].isin(row_order)]
    column = {p: i for i, p in enumerate(periods)}
    line_of = {r: i for i, r in enumerate(row_order)}
    data = marks[keys].astype(str)
    data.insert(0, "_tag", tag)
    data["_period_label"] = marks["period"].map(labels)
    data["_value"] = marks[hover]
    fig.add_trace(go.Bar(
        x=marks["period"].map(column).to_numpy(), y=np.ones(len(marks)),
        base=marks[row].map(line_of).to_numpy() - 0.5, width=1.0,
        marker={"color": "rgba(0,0,0,0)", "line": {"width": 0}},
        customdata=data.to_numpy(), showlegend=False, name="",
        # the keys stay as stored in customdata (a click opens them); the hover shows them as text
        hovertext=data[keys[:-1]].agg(" · ".join, axis=1).to_numpy(),
        hovertemplate="%{hovertext} · %{customdata[" + str(len(keys) + 1) + "]}<br>%{customdata["
        + str(len(keys) + 2) + "]}<extra></extra>"))
    fig.update_layout(barmode="overlay")
    if agreement_marks is not None and len(agreement_marks):
        _add_marks(fig, agreement_marks, cells=cells, row=row, rows=line_of, columns=column)
    fig.update_layout(clickmode="event+select", dragmode=False, hovermode="closest")
    # at most about 26 period labels: more cannot be read across the room, and plotly measures
    # every label's box before it draws (a third of the heatmap's drawing time at 104 weeks)
    step = -(-len(periods) // HEATMAP_X_LABELS)
    fig.update_xaxes(tickmode="array", tickvals=list(range(0, len(periods), step)),
                     ticktext=[labels[p] for p in periods[::step]], showgrid=False, zeroline=False,
                     tickangle=-45, range=[-0.5, len(periods) - 0.5])
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(row_order))), ticktext=row_order,
                     showgrid=False, zeroline=False, automargin=True,
                     range=[len(row_order) - 0.5, -0.5])
    return fig


def _add_marks(fig: go.Figure, marks: pd.DataFrame, *, cells: pd.DataFrame, row: str,
               rows: dict, columns: dict) -> None:
    """Agreement marks (◆ open, ✓ held, ◐ partly, ✗ not held) written on the cells they cover.
    On a clickable cell the symbol is the click bar's own text, so a click still opens the
    cell; a covered cell that is no longer short gets a text the pointer passes through."""
    symbols = (marks.assign(_row=marks[row].astype(str), _period=marks["period"].astype(str))
               .groupby(["_row", "_period"])["symbol"]
               .agg(lambda s: "".join(dict.fromkeys(s))))
    clickable = fig.data[1]
    shown = cells[cells[row].isin(rows)]
    at = list(zip(shown[row].astype(str), shown["period"].astype(str)))
    clickable.text = [symbols.get(k, "") for k in at]
    clickable.textposition = "inside"
    clickable.insidetextanchor = "middle"
    clickable.textangle = 0
    clickable.textfont = {"size": FONT_SIZE, "color": CAPACITY}
    rest = [(r, p, v) for (r, p), v in symbols.items() if (r, p) not in set(at)
            and r in rows and p in columns]
    if rest:
        fig.add_trace(go.Scatter(
            x=[columns[p] for _, p, _ in rest], y=[rows[r] for r, _, _ in rest],
            text=[v for *_, v in rest], mode="text", textposition="middle center",
            textfont={"size": FONT_SIZE, "color": CAPACITY}, hoverinfo="skip", showlegend=False,
            name=""))


def pmc_heatmap(cells: pd.DataFrame, lang: str, row_order: list[str] | None = None,
                marks: pd.DataFrame | None = None) -> go.Figure:
    """Conflicts by PMC and period (mart_conflict_cells), colour = the share of the cell's demand
    that is short (0-100 %, one scale for pieces, cups and kilograms); the hover names the
    shortfall in the article's unit and in line hours. Columns: product, market, period,
    shortfall, short_share, unit, shortfall_hours, label (row label); row_order top to bottom
    (default: largest share first). `marks` (product, market, period, symbol) writes agreements on
    the cells they cover."""
    if cells.empty:
        return empty_figure(t("no_conflicts", lang))
    cells = cells.copy()
    if row_order is None:
        row_order = (cells.groupby("label")["short_share"].max()
                     .sort_values(ascending=False).index.tolist())
    hours = cells["shortfall_hours"] if "shortfall_hours" in cells else pd.Series(None, index=cells.index)
    units = cells["unit"] if "unit" in cells else pd.Series(None, index=cells.index)
    cells["hover"] = [
        " · ".join(part for part in (
            t("col_shortfall", lang) + ": " + (quantity_text(v, u, lang, 0) if isinstance(u, str)
                                                else i18n.number(v, lang)),
            f"{i18n.number(h, lang, 1)} h" if h is not None and not pd.isna(h) else "",
            t("heatmap_share_hover", lang, share=i18n.percent(s, lang, 0))) if part)
        for v, u, h, s in zip(cells["shortfall"], units, hours, cells["short_share"])]
    fig = _clickable_heatmap(
        cells, row="label", row_order=row_order, z="short_share", tag="pmc",
        keys=["product", "market", "period"], hover="hover", lang=lang,
        colorscale=[[0, "#fff5f0"], [0.35, "#fc9272"], [1, DARK_RED]], zmin=0, zmax=1,
        colorbar_title=t("heatmap_share", lang), colorbar_format=".0%",
        agreement_marks=_pmc_marks(marks, cells))
    return _layout(fig, lang, height=max(320, 36 + 26 * len(row_order) + 80))


def _pmc_marks(marks: pd.DataFrame | None, cells: pd.DataFrame) -> pd.DataFrame | None:
    """Marks of PMC agreements with the heatmap's row label (market compared case-blind)."""
    if marks is None or marks.empty:
        return None
    pmc = marks[marks["scope"] == "pmc"] if "scope" in marks else marks
    labels = (cells.assign(_market=cells["market"].astype(str).str.casefold())
              .drop_duplicates(["product", "_market"])[["product", "_market", "label"]])
    out = pmc.assign(_market=pmc["market"].astype(str).str.casefold()).merge(
        labels, on=["product", "_market"])
    return out[["label", "period", "symbol"]] if len(out) else None


def _line_marks(marks: pd.DataFrame | None, rows: list[str]) -> pd.DataFrame | None:
    if marks is None or marks.empty:
        return None
    folded = {r.casefold(): r for r in rows}
    line = marks[marks["scope"] == "line"]
    out = line.assign(line=line["line"].astype(str).str.casefold().map(folded)).dropna(subset=["line"])
    return out[["line", "period", "symbol"]] if len(out) else None


def utilisation_scale(band: tuple[float, float], zmax: float, lang: str) -> tuple[list, dict]:
    """The colour scale of utilisation and the colour bar's ticks: overload is the loudest.

    Below the target band neutral grey, inside it a little darker, amber from the band's top,
    orange towards 100 %, strong red above 100 % (darker the more); the ticks mark the band."""
    lo, hi = (min(max(b, 0.0), 1.0) for b in band)
    lo, hi, full = lo / zmax, max(hi, lo) / zmax, 1.0 / zmax
    scale = [[0, "#f8f9fa"], [lo, UTIL_NEUTRAL], [max(hi - 0.001, lo), UTIL_IN_BAND],
             [hi, UTIL_AMBER], [full - 0.001, UTIL_ORANGE], [full, UTIL_RED], [1, DARK_RED]]
    values = sorted({0.0, band[0], 1.0, zmax})  # the band's top is in the title (ticks collide)
    return scale, {"tickmode": "array", "tickvals": values,
                   "ticktext": [i18n.percent(v, lang) for v in values]}


def _in_band_terms(utilisation: float, band: tuple[float, float], reference: tuple[float, float]) -> float:
    """A line's utilisation placed on the reference band's colour scale by where it stands against
    its own band: below, inside, above it (up to 100 %), over 100 % as it is."""
    if utilisation is None or pd.isna(utilisation):
        return utilisation
    (lo, hi), (ref_lo, ref_hi) = band, reference
    if utilisation >= 1 or hi >= 1:
        return utilisation
    if utilisation <= lo:
        return utilisation * ref_lo / lo if lo > 0 else ref_lo
    if utilisation <= hi:
        return ref_lo + (utilisation - lo) * (ref_hi - ref_lo) / (hi - lo) if hi > lo else ref_hi
    return ref_hi + (utilisation - hi) * (1 - ref_hi) / (1 - hi)


def line_heatmap(load: pd.DataFrame, lang: str, band: tuple[float, float] = (0.75, 0.9),
                 marks: pd.DataFrame | None = None,
                 bands: dict[str, tuple[float, float]] | None = None) -> go.Figure:
    """Utilisation per line and period: neutral below the band, amber from its top, red above 100 %.
    Columns: line, period, utilisation (ratio, may be empty), required_hours, available_hours.
    `marks` (scope, line, period, symbol) writes line agreements on the cells they cover. `bands`
    (line -> band): where lines have bands of their own, each cell is coloured against its own
    line's band (amber from the top of that line's band), the hover says the band."""
    if load.empty:
        return empty_figure(t("empty_title", lang))
    load = load.copy()
    rows = sorted(load["line"].astype(str).unique(), key=str.casefold)
    load["line"] = load["line"].astype(str)
    own = {str(line): tuple(b) for line, b in (bands or {}).items()}
    several = len({own.get(line, band) for line in rows}) > 1
    band_text = {line: t("target_band_ticks", lang) + " " + i18n.percent(own.get(line, band)[0], lang) + "–"
                 + i18n.percent(own.get(line, band)[1], lang) for line in rows}
    beyond = load["beyond_forecast"].fillna(False).astype(bool) if "beyond_forecast" in load \
        else pd.Series(False, index=load.index)
    load["hover"] = (pd.Series([
        t_text("beyond_forecast_hover", lang) if b else i18n.percent(v, lang) if pd.notna(v)
        else t("no_capacity_data", lang) for v, b in zip(load["utilisation"], beyond)],
        index=load.index) + " · "
        + load["required_hours"].map(lambda v: i18n.number(v, lang)) + " / "
        + load["available_hours"].map(lambda v: i18n.number(v, lang)) + " h"
        + (" · " + load["line"].map(band_text) if several else ""))
    # after the forecast's last period the load is not known: an empty cell, not a free line
    load["shown"] = pd.Series([float("nan") if b else _in_band_terms(u, own.get(line, band), band)
                               if several else u
                               for u, line, b in zip(load["utilisation"], load["line"], beyond)],
                              index=load.index, dtype=float)
    zmax = 1.5
    scale, ticks = utilisation_scale(band, zmax, lang)
    title = t("col_utilisation", lang) + "<br>" + (
        t("target_band_per_line", lang) if several else
        t("target_band_ticks", lang) + " " + i18n.percent(band[0], lang) + "–" + i18n.percent(band[1], lang))
    if several:  # the reference band's ticks mean nothing on a line with a band of its own
        ticks = {"tickmode": "array", "tickvals": [0.0, band[0], 1.0, zmax],
                 "ticktext": [i18n.percent(0.0, lang), t("target_band_ticks", lang),
                              i18n.percent(1.0, lang), i18n.percent(zmax, lang)]}
    fig = _clickable_heatmap(
        load, row="line", row_order=rows, z="shown", tag="line", keys=["line", "period"],
        hover="hover", lang=lang, colorscale=scale, zmin=0, zmax=zmax,
        colorbar_title=title, colorbar_format=".0%", colorbar_ticks=ticks,
        agreement_marks=_line_marks(marks, rows))
    return _layout(fig, lang, height=max(300, 36 + 34 * len(rows) + 80))


def clicked_target(event: object) -> dict[str, str] | None:
    """The drill-down query parameters of the first clicked heatmap cell, or None.

    `event` is what `st.plotly_chart(..., on_select="rerun")` returns (a dict-like with
    selection.points[*].customdata)."""
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        data = point.get("customdata") if isinstance(point, dict) else None
        if not data:
            continue
        if data[0] == "pmc" and len(data) >= 4:
            return {"product": str(data[1]), "market": str(data[2]), "period": str(data[3])}
        if data[0] == "line" and len(data) >= 3:
            return {"line": str(data[1]), "period": str(data[2])}
    return None


# --- the drill-down ----------------------------------------------------------------------------

def _highlight(fig: go.Figure, x: list[str], label: str | None) -> None:
    """Shade the period being discussed (category axes take numeric positions for shapes)."""
    if label and label in x:
        i = x.index(label)
        fig.add_vrect(x0=i - 0.5, x1=i + 0.5, line={"width": 0}, fillcolor="#f2c94c",
                      opacity=0.35, layer="below")
        fig.add_annotation(x=i, y=1, yref="paper", showarrow=False, text="▼",
                           font={"color": CAPACITY, "size": 16}, yshift=8)


def demand_supplied(series: pd.DataFrame, lang: str, period: str | None = None,
                    unit: str | None = None) -> go.Figure:
    """Supplied (blue) and shortfall (red) stacked up to demand per period, in the article's
    `unit` (the y axis says which). Columns: period, demand, supplied, shortfall."""
    if series.empty:
        return empty_figure(t("no_conflicts", lang))
    periods, labels = _period_axis(series["period"], lang)
    s = (series.set_index(series["period"].astype(str))[["demand", "supplied", "shortfall"]]
         .reindex(periods).fillna(0.0))
    x = [labels[p] for p in periods]
    fig = go.Figure()
    fig.add_bar(x=x, y=s["supplied"], name=t("col_supplied", lang), marker_color=SUPPLIED,
                hovertemplate="%{x}: %{y:,.0f}<extra>" + t("col_supplied", lang) + "</extra>")
    fig.add_bar(x=x, y=s["shortfall"].clip(lower=0), name=t("col_shortfall", lang),
                marker_color=RED,
                hovertemplate="%{x}: %{y:,.0f}<extra>" + t("col_shortfall", lang) + "</extra>")
    fig.add_scatter(x=x, y=s["demand"], name=t("col_demand", lang), mode="lines",
                    line={"color": CAPACITY, "width": 2, "shape": "hvh"},
                    hovertemplate="%{x}: %{y:,.0f}<extra>" + t("col_demand", lang) + "</extra>")
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_xaxes(type="category", tickangle=-45)
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero",
                     title={"text": unit_text(unit, lang)})
    _highlight(fig, x, i18n.period(period, lang) if period else None)
    return _layout(fig, lang, height=360)


def line_load(load: pd.DataFrame, capacity: pd.DataFrame, lang: str,
              period: str | None = None) -> go.Figure:
    """Required hours of a line stacked by priority class against the available hours.
    load: period, priority_class, required_hours; capacity: period, available_hours[, max_hours]."""
    if load.empty and capacity.empty:
        return empty_figure(t("empty_title", lang))
    periods, labels = _period_axis(pd.concat([load["period"], capacity["period"]]), lang)
    x = [labels[p] for p in periods]
    fig = go.Figure()
    by_class = (load.groupby(["priority_class", "period"])["required_hours"].sum()
                if not load.empty else pd.Series(dtype=float))
    for cls in sorted({int(c) for c in load["priority_class"].dropna()}) if not load.empty else []:
        ys = by_class.loc[cls].reindex(periods).fillna(0)
        name = t("col_class", lang) + " " + i18n.priority_class(cls)
        fig.add_bar(x=x, y=ys.values, name=name, marker_color=CLASS_COLORS.get(cls, GREY),
                    hovertemplate="%{x}: %{y:,.1f} h<extra>" + name + "</extra>")
    cap = capacity.set_index(capacity["period"].astype(str)).reindex(periods)
    fig.add_scatter(x=x, y=cap["available_hours"], name=t("col_available_hours", lang),
                    mode="lines", line={"color": CAPACITY, "width": 3, "shape": "hvh"},
                    hovertemplate="%{x}: %{y:,.1f} h<extra></extra>")
    if "max_hours" in cap and cap["max_hours"].notna().any():
        fig.add_scatter(x=x, y=cap["max_hours"], name=t("col_max_hours", lang),
                        mode="lines", line={"color": GREY, "width": 2, "dash": "dot", "shape": "hvh"})
    if not load.empty:
        required = load.groupby("period")["required_hours"].sum().reindex(periods).fillna(0)
        over = required > cap["available_hours"].fillna(0)
        if over.any():
            fig.add_scatter(x=[labels[p] for p in required[over].index], y=required[over].values,
                            mode="markers", name=t("col_overload_hours", lang),
                            marker={"color": RED, "size": 12, "symbol": "triangle-down"},
                            hovertemplate="%{x}: %{y:,.1f} h<extra></extra>")
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_xaxes(type="category", tickangle=-45)
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero", title={"text": "h"})
    _highlight(fig, x, i18n.period(period, lang) if period else None)
    _beyond_forecast(fig, cap, len(x), lang)
    return _layout(fig, lang, height=380)


def _beyond_forecast(fig: go.Figure, cap: pd.DataFrame, periods: int, lang: str) -> None:
    """Grey the periods after the forecast's last one (mart_load.beyond_forecast): their hours are
    not free, their demand is not known yet."""
    if "beyond_forecast" not in cap:
        return
    beyond = cap["beyond_forecast"].fillna(False).astype(bool).to_numpy()
    if not beyond.any():
        return
    first = int(beyond.argmax())
    fig.add_vrect(x0=first - 0.5, x1=periods - 0.5, line={"width": 0}, fillcolor=GREY,
                  opacity=0.15, layer="below")
    fig.add_annotation(x=first - 0.5, y=1, yref="paper", xanchor="left", yanchor="top", showarrow=False,
                       text=t_text("beyond_forecast_band", lang), font={"color": GREY})


def levers_chart(levers: pd.DataFrame, shortfall: float, lang: str,
                 unit: str | None = None) -> go.Figure:
    """How much of the shortfall (red line) each lever closes on its own, in the article's `unit`.
    Columns: label, closes."""
    if levers.empty:
        return empty_figure(t("no_levers", lang), height=160)
    lv = levers.sort_values("closes")
    colors = [SUPPLIED if c >= shortfall - 1e-9 else "#9ecae9" for c in lv["closes"]]
    fig = go.Figure(go.Bar(
        x=lv["closes"], y=lv["label"], orientation="h", marker_color=colors,
        text=[i18n.number(v, lang) for v in lv["closes"]], textposition="auto",
        hovertemplate="%{y}: %{x:,.0f}<extra></extra>"))
    fig.add_vline(x=shortfall, line={"color": RED, "width": 3, "dash": "dash"},
                  annotation_text=t("col_shortfall", lang) + " " + quantity_text(shortfall, unit, lang, 0),
                  annotation_font={"color": RED}, annotation_position="top")
    fig.update_xaxes(tickformat=",.0f", rangemode="tozero",
                     title={"text": unit_text(unit, lang)})
    fig.update_yaxes(automargin=True)
    fig = _layout(fig, lang, height=max(220, 90 + 48 * len(lv)))
    fig.update_layout(margin={"t": 50})  # room for the shortfall label above the bars
    return fig


# --- capacity and demand pages -------------------------------------------------------------------

def bottlenecks(ranking: pd.DataFrame, lang: str) -> go.Figure:
    """Overload hours per line, biggest at the top. Columns: line, overload_hours."""
    ranking = ranking[ranking["overload_hours"] > 0]
    if ranking.empty:
        return empty_figure(t("no_conflicts", lang), height=160)
    r = ranking.sort_values("overload_hours")
    fig = go.Figure(go.Bar(
        x=r["overload_hours"], y=r["line"].astype(str), orientation="h", marker_color=RED,
        text=[i18n.number(v, lang) + " h" for v in r["overload_hours"]], textposition="auto",
        hovertemplate="%{y}: %{x:,.0f} h<extra></extra>"))
    fig.update_xaxes(tickformat=",.0f", title={"text": t("col_overload_hours", lang)})
    fig.update_yaxes(type="category", automargin=True)
    return _layout(fig, lang, height=max(200, 60 + 40 * len(r)))


def demand_over_time(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Forecast per group over time, the comparison dashed. Columns: period, group, quantity,
    version ('current' | 'previous'), unit (one for the chart: kg, pieces or h; Model.demand_by)."""
    if frame.empty:
        return empty_figure(t("empty_title", lang))
    periods, labels = _period_axis(frame["period"], lang)
    x_order = [labels[p] for p in periods]
    palette = ["#1f3b73", "#4c78a8", "#72b7b2", "#54a24b", "#b279a2", "#9d755d", "#bab0ac",
               "#e45756", "#f58518", "#eeca3b"]
    fig = go.Figure()
    groups = (frame[frame["version"] == "current"].groupby("group")["quantity"].sum()
              .sort_values(ascending=False).index.tolist())
    groups += [g for g in frame["group"].unique() if g not in groups]
    for i, group in enumerate(groups):
        color = palette[i % len(palette)]
        for version, dash, show in (("current", "solid", True), ("previous", "dot", False)):
            part = frame[(frame["group"] == group) & (frame["version"] == version)]
            if part.empty:
                continue
            s = part.groupby("period")["quantity"].sum().reindex(periods)
            suffix = "" if version == "current" else " (" + t("col_previous", lang) + ")"
            fig.add_scatter(x=x_order, y=s.values, mode="lines", name=f"{group}{suffix}",
                            legendgroup=str(group), showlegend=show or part.empty,
                            line={"color": color, "width": 3 if version == "current" else 2,
                                  "dash": dash},
                            hovertemplate="%{x}: %{y:,.0f}<extra>" + plain.html(f"{group}{suffix}")
                            + "</extra>")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x_order, tickangle=-45)
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero", title={"text": _unit_of(frame, lang)})
    return _layout(fig, lang, height=420)


def _unit_of(frame: pd.DataFrame, lang: str) -> str:
    """The one unit of a chart over articles (Model.demand_by), as the axis title."""
    if "unit" not in frame.columns or frame.empty:
        return ""
    return unit_text(frame["unit"].iloc[0], lang)


WATERFALL_LABELS = 8  # steps that carry their size as text; smaller ones say it on hover


def demand_waterfall(change: pd.DataFrame, lang: str) -> go.Figure:
    """From the comparison's total to the current total, one step per group, every bar in the one
    measure of cmp_forecast_change_by_group (kg, the articles' one unit or line hours).
    Columns: group, previous, current; optional unit, unrouted_products, change_value.

    Readable from across the room: the totals carry their figure inside their bars, the biggest
    steps above theirs (only the WATERFALL_LABELS biggest, which come first: more would run into
    each other), group names written horizontally over two lines, the axis in compact figures."""
    if change.empty:
        return empty_figure(t("no_comparison", lang), height=200)
    unit = change["unit"].iloc[0] if "unit" in change.columns else None
    c = change.assign(delta=change["current"] - change["previous"])
    c = c[c["delta"].abs() > 1e-9].sort_values("delta", key=abs, ascending=False)
    previous_total = float(change["previous"].sum())
    current_total = float(change["current"].sum())
    x = [t("total_previous", lang)] + c["group"].astype(str).tolist() + [t("total_current", lang)]
    y = [previous_total] + c["delta"].tolist() + [current_total]
    measure = ["absolute"] + ["relative"] * len(c) + ["total"]
    text = [_amount(previous_total, unit, lang)] + [
        ("+" if d > 0 else "") + _amount(d, unit, lang) if rank < WATERFALL_LABELS else ""
        for rank, d in enumerate(c["delta"])] + [_amount(current_total, unit, lang)]
    unrouted = _count(change, "unrouted_products")
    hover = [_with_unit(previous_total, unit, lang)] + [
        _step_hover(r, unit, lang) for r in c.to_dict("records")] + [
        _with_unit(current_total, unit, lang) + _unrouted_note(unrouted, lang)]
    fig = go.Figure(go.Waterfall(
        x=x, y=y, measure=measure, text=text, customdata=hover,
        textposition=["auto"] + ["outside"] * len(c) + ["auto"], insidetextfont={"color": "white"},
        increasing={"marker": {"color": SUPPLIED}}, decreasing={"marker": {"color": GREY}},
        totals={"marker": {"color": "#1f3b73"}}, connector={"line": {"color": GREY}},
        cliponaxis=False, hovertemplate="%{x}: %{customdata}<extra></extra>"))
    # the axis starts at 0: a change of 0.002 % must not look like a jump (each step's size is
    # written on it)
    levels = [previous_total] + list(previous_total + c["delta"].cumsum()) + [current_total]
    high = max(levels + [1.0])
    ticks = _nice_ticks(high * 1.15)
    fig.update_yaxes(range=[0, high * 1.15], rangemode="tozero", tickmode="array", tickvals=ticks,
                     ticktext=[i18n.compact(v, lang) for v in ticks],
                     title={"text": _unit_of(change, lang)})
    fig = _layout(fig, lang, height=400)
    # names over two lines instead of slanted and cut off (set after _layout, which escapes
    # every category: these are the escaped categories and the line break is our own)
    fig.update_xaxes(type="category", tickmode="array", tickvals=list(fig.data[0].x),
                     ticktext=[_two_lines(name) for name in fig.data[0].x])
    make_room(fig)  # the labels in two lines
    if unrouted:  # what an hours total leaves out is said on the chart, not only in a hover
        # after _layout (which makes every annotation plain text): our own line break, in two
        # lines because the meeting shows the chart in a narrow column, in large type
        note = plain.html(t_text("wf_unrouted", lang, count=unrouted)).replace(": ", ":<br>", 1)
        fig.add_annotation(text=note, xref="paper", yref="paper", x=0, y=1, xanchor="left",
                           yanchor="bottom", align="left", showarrow=False, font={"color": TEXT})
        fig.update_layout(margin={"t": 56})
    return fig


def _nice_ticks(top: float, count: int = 5) -> list[float]:
    """About `count` round tick values from 0 to `top`: 1, 2 or 5 times a power of ten apart, and
    whole numbers (the labels have no decimals)."""
    raw = max(top / count, 1.0)
    power = 10 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [float(v) for v in np.arange(0, top + step * 1e-9, step) if v <= top]


def _two_lines(name: str, width: int = 12) -> str:
    """A category label broken at its middle space when longer than `width` characters."""
    if len(name) <= width or " " not in name:
        return name
    middle = len(name) / 2
    cut = min((i for i, ch in enumerate(name) if ch == " "), key=lambda i: abs(i - middle))
    return name[:cut] + "<br>" + name[cut + 1:]


def _amount(value: float, unit: object, lang: str) -> str:
    """A waterfall step's size: hours to one decimal below 1,000, other units below 10, else whole
    (millions compact)."""
    if abs(value) >= 1e6:
        return i18n.compact(value, lang)
    fine = abs(value) < 1000 if unit == "h" else abs(value) < 10 and value != round(value)
    return i18n.number(value, lang, 1 if fine else 0)


def _with_unit(value: float, unit: object, lang: str, sign: bool = False) -> str:
    text = _amount(value, unit, lang)
    text = ("+" if sign and value > 0 else "") + text
    return f"{text} {unit_text(unit, lang)}" if unit else text


def _count(frame: pd.DataFrame, column: str) -> int:
    return int(frame[column].fillna(0).sum()) if column in frame.columns else 0


def _unrouted_note(count: int, lang: str) -> str:
    return "<br>" + plain.html(t_text("wf_unrouted", lang, count=count)) if count else ""


def _step_hover(row: dict, unit: object, lang: str) -> str:
    """One group's step in the hover: its change with the unit, in money where every article has a
    price, and the articles an hours total leaves out."""
    text = _with_unit(row["delta"], unit, lang, sign=True)
    value = row.get("change_value")
    if value is not None and not pd.isna(value):
        text += " · " + ("+" if value > 0 else "") + i18n.money(value, lang)
    return text + _unrouted_note(int(row.get("unrouted_products") or 0), lang)
