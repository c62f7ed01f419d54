"""Figure builders of the meeting, strategy and look-back pages: DataFrame in, plotly figure out.

Same colours as charts.py: red is shortfall or a miss, blues are supplied or planned, grey context;
verdicts read green (held), amber (partly), red (not held).
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n
from dashboard.charts import GREY, RED, SUPPLIED, empty_figure
from dashboard.charts.room import crowded
from dashboard.i18n import t
from pipelines.text import plain

GREEN = "#2e7d32"
AMBER = "#ef8f00"
VERDICT_COLORS = {"held": GREEN, "partly": AMBER, "not_held": RED, "past": GREY, "open": GREY}
ACTUAL = "#222222"
# the plot's width in half of the page (the look-back's columns) on a 1280 px screen, margins off
HALF_PLOT_WIDTH = 320


def market_waterfall(by_market: pd.DataFrame, lang: str) -> go.Figure:
    """Forecast change per market from the comparison's total to the current one.
    Columns: market, previous, current (change, unit, unrouted_products, change_value optional)."""
    frame = by_market.rename(columns={"market": "group"}) \
        if not by_market.empty else pd.DataFrame(columns=["group", "previous", "current"])
    # the axis starts at 0, as on the demand page: the steps carry their size as text
    return charts.demand_waterfall(frame, lang)


def capacity_changes(change: pd.DataFrame, lang: str) -> go.Figure:
    """Available hours added (blue) or lost (red) per line and period.
    Columns: line, period, change_hours."""
    if change.empty:
        return empty_figure(t("mt_capacity_none", lang), height=160)
    periods, labels = charts._period_axis(change["period"], lang)
    x = [labels[p] for p in periods]
    fig = go.Figure()
    for line, part in change.groupby("line", sort=True):
        hours = part.groupby(part["period"].astype(str))["change_hours"].sum().reindex(periods)
        fig.add_bar(x=x, y=hours.values, name=str(line),
                    marker_color=[RED if (v or 0) < 0 else SUPPLIED for v in hours.fillna(0)],
                    hovertemplate="%{x}: %{y:+,.1f} h<extra>" + plain.html(line) + "</extra>")
    fig.update_layout(barmode="group", showlegend=change["line"].nunique() > 1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x, tickangle=-45)
    fig.update_yaxes(tickformat="+,.0f", title={"text": t("col_change_hours", lang)},
                     zeroline=True, zerolinecolor=GREY)
    return charts._layout(fig, lang, height=300)


def verdicts(judged: pd.DataFrame, lang: str) -> go.Figure:
    """Shortfall then (grey) and now (coloured by the verdict) per agreement.
    Columns: agreement_id, text, shortfall_before, shortfall_now, verdict, verdict_label."""
    if judged.empty:
        return empty_figure(t("mt_no_previous", lang), height=160)
    frame = judged.reset_index(drop=True)
    labels = [f"#{a} {_short(text)}" for a, text in zip(frame["agreement_id"], frame["text"])]
    fig = go.Figure()
    fig.add_bar(y=labels, x=frame["shortfall_before"], orientation="h", name=t("col_before", lang),
                marker_color="#c7c7c7",
                hovertemplate="%{y}: %{x:,.0f}<extra>" + t("col_before", lang) + "</extra>")
    fig.add_bar(y=labels, x=frame["shortfall_now"], orientation="h", name=t("col_now", lang),
                marker_color=[VERDICT_COLORS.get(v, GREY) for v in frame["verdict"]],
                text=[f"{lbl} · {i18n.number(v, lang)}" for lbl, v in
                      zip(frame["verdict_label"], frame["shortfall_now"])],
                textposition="outside", cliponaxis=False,
                hovertemplate="%{y}: %{x:,.0f}<extra>" + t("col_now", lang) + "</extra>")
    top = float(pd.concat([frame["shortfall_before"], frame["shortfall_now"]]).fillna(0).max() or 1)
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_xaxes(tickformat=",.0f", range=[0, top * 1.45], title={"text": t("col_shortfall", lang)})
    fig.update_yaxes(autorange="reversed", automargin=True)
    return charts._layout(fig, lang, height=max(220, 110 + 70 * len(frame)))


def _short(text: object, size: int = 38) -> str:
    text = str(text or "")
    return text if len(text) <= size else text[: size - 1] + "…"


def fill_against_target(fill: pd.DataFrame, lang: str) -> go.Figure:
    """Fill rate per market as bars (red below its target) with the target as a black tick.
    Columns: market, fill_rate, target, priority_class."""
    fill = fill.dropna(subset=["fill_rate"]) if not fill.empty else fill
    if fill.empty:
        return empty_figure(t("empty_title", lang), height=160)
    frame = fill.sort_values(["priority_class", "market"]).reset_index(drop=True)
    # the value goes into the row label: the axis starts near the targets, so bar texts would hide
    labels = [f"{m} ({i18n.priority_class(c)}) · {i18n.percent(v, lang, 1)}"
              for m, c, v in zip(frame["market"], frame["priority_class"], frame["fill_rate"])]
    below = frame["fill_rate"] < frame["target"] - 1e-9
    fig = go.Figure()
    fig.add_bar(y=labels, x=frame["fill_rate"], orientation="h", name=t("col_fill_rate", lang),
                marker_color=[RED if b else SUPPLIED for b in below],
                hovertemplate="%{y}: %{x:.1%}<extra></extra>")
    fig.add_scatter(y=labels, x=frame["target"], mode="markers", name=t("col_target", lang),
                    marker={"symbol": "line-ns", "size": 34, "line": {"width": 4, "color": ACTUAL}},
                    hovertemplate="%{y}: " + t("col_target", lang) + " %{x:.0%}<extra></extra>")
    low = max(0.0, min(float(frame["fill_rate"].min()), float(frame["target"].min())) - 0.1)
    fig.update_xaxes(tickformat=".0%", range=[low, 1.005])
    fig.update_yaxes(autorange="reversed", automargin=True)
    return charts._layout(fig, lang, height=max(240, 90 + 52 * len(frame)))


def band_breaches(checks: pd.DataFrame, lang: str) -> go.Figure:
    """Line-periods above (red) and below (grey) their target band, per line.
    Columns: check ('band_over' | 'band_under' | ...), line."""
    bands = checks[checks["check"].isin(["band_over", "band_under"])] if not checks.empty else checks
    if bands.empty:
        return empty_figure(t("mt_all_in_band", lang), height=160)
    counts = bands.groupby(["line", "check"]).size().unstack(fill_value=0)
    lines = sorted(counts.index.astype(str), key=str.casefold)
    counts = counts.reindex(lines).fillna(0)
    fig = go.Figure()
    for check, color in (("band_over", RED), ("band_under", "#9ecae9")):
        if check in counts:
            fig.add_bar(y=lines, x=counts[check], orientation="h", name=t(check, lang),
                        marker_color=color, text=counts[check].astype(int), textposition="auto",
                        hovertemplate="%{y}: %{x}<extra>" + t(check, lang) + "</extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title={"text": t("col_periods", lang)}, tickformat=",d")
    fig.update_yaxes(autorange="reversed", type="category", automargin=True)
    return charts._layout(fig, lang, height=max(220, 90 + 44 * len(lines)))


def forecast_vs_actual(series: pd.DataFrame, lang: str) -> go.Figure:
    """Forecast (blue) and actual (black, dotted) per closed period; below, the error per period
    as bars (red: planned too high). Columns: period, forecast, actual, unit (the axis title)."""
    if series.empty:
        return empty_figure(t("lb_no_actuals", lang))
    from plotly.subplots import make_subplots
    periods, labels = charts._period_axis(series["period"], lang)
    s = series.assign(period=series["period"].astype(str)).groupby("period")[["forecast", "actual"]] \
        .sum().reindex(periods)
    x = [labels[p] for p in periods]
    error = s["forecast"] - s["actual"]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28], vertical_spacing=0.05)
    fig.add_scatter(x=x, y=s["forecast"], mode="lines+markers", name=t("col_forecast", lang),
                    line={"color": SUPPLIED, "width": 3}, row=1, col=1,
                    hovertemplate="%{x}: %{y:,.0f}<extra>" + t("col_forecast", lang) + "</extra>")
    fig.add_scatter(x=x, y=s["actual"], mode="lines+markers", name=t("col_actual", lang),
                    line={"color": ACTUAL, "width": 3, "dash": "dot"}, row=1, col=1,
                    hovertemplate="%{x}: %{y:,.0f}<extra>" + t("col_actual", lang) + "</extra>")
    fig.add_bar(x=x, y=error, name=t("col_error", lang), row=2, col=1,
                marker_color=[RED if (v or 0) > 0 else "#9ecae9" for v in error.fillna(0)],
                hovertemplate="%{x}: %{y:+,.0f}<extra>" + t("col_error", lang) + "</extra>")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x)
    fig.update_xaxes(tickangle=-45, row=2, col=1)
    unit = series["unit"].iloc[0] if "unit" in series and isinstance(series["unit"].iloc[0], str) else None
    if unit:  # one article's unit, or the look-back's one measure (kg, the one unit, hours)
        fig.update_yaxes(title_text=charts.unit_text(unit, lang), row=1, col=1)
        for trace in fig.data:
            trace.hovertemplate = trace.hovertemplate.replace("}<extra>", "} " + charts.unit_text(unit, lang) + "<extra>")
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(tickformat="+,.0f", zeroline=True, zerolinecolor=GREY, row=2, col=1)
    return charts._layout(fig, lang, height=460)


def accuracy_bars(frame: pd.DataFrame, label: str, lang: str) -> go.Figure:
    """WAPE (bars) and bias (diamonds, red when over-forecast) per group.
    Columns: `label` (the group), wape, bias."""
    frame = frame.dropna(subset=["wape"]) if not frame.empty else frame
    if frame.empty:
        return empty_figure(t("lb_no_actuals", lang), height=160)
    names = frame[label].map(lambda v: i18n.priority_class(v) if label == "priority_class" else str(v))
    fig = go.Figure()
    fig.add_bar(x=names, y=frame["wape"], name=t("col_wape", lang), marker_color=SUPPLIED,
                text=[i18n.percent(v, lang, 1) for v in frame["wape"]], textposition="outside",
                cliponaxis=False, hovertemplate="%{x}: %{y:.1%}<extra>WAPE</extra>")
    fig.add_scatter(x=names, y=frame["bias"], mode="markers", name=t("col_bias", lang),
                    marker={"symbol": "diamond", "size": 16,
                            "color": [RED if (b or 0) > 0 else ACTUAL for b in frame["bias"].fillna(0)]},
                    hovertemplate="%{x}: %{y:+.1%}<extra>Bias</extra>")
    top = float(pd.concat([frame["wape"], frame["bias"].abs()]).max() or 0.1)
    low = min(0.0, float(frame["bias"].min() or 0))
    fig.update_yaxes(tickformat=".0%", range=[low * 1.3, top * 1.3], zeroline=True,
                     zerolinecolor=GREY)
    fig.update_xaxes(type="category")
    if crowded(names, HALF_PLOT_WIDTH):
        fig.update_xaxes(tickangle=-45)
    return charts._layout(fig, lang, height=340)
