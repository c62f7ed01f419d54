"""Pure figure builders of the scenario page: base against scenario, and what each change did."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n
from dashboard.charts import GREY, RED, SUPPLIED, _layout
from dashboard.i18n import t
from pipelines.model.levers import class_letter


def class_fill(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Fill rate per class, base beside scenario."""
    classes = [t("col_class", lang) + " " + class_letter(c) for c in frame["priority_class"]]
    fig = go.Figure([
        go.Bar(name=t("scn_base", lang), x=classes, y=frame["fill_rate_base"], marker_color=GREY),
        go.Bar(name=t("scn_scenario", lang), x=classes, y=frame["fill_rate_scenario"],
               marker_color=SUPPLIED)])
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    return _layout(fig, lang, 320, t("scn_fill_class", lang))


def line_overload(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Overload hours per line, base beside scenario."""
    fig = go.Figure([
        go.Bar(name=t("scn_base", lang), x=frame["line"], y=frame["overload_hours_base"],
               marker_color=GREY),
        go.Bar(name=t("scn_scenario", lang), x=frame["line"], y=frame["overload_hours_scenario"],
               marker_color=RED)])
    return _layout(fig, lang, 320, t("scn_overload_line", lang))


def waterfall(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Shortfall hours of the base, what each change added or removed, and the scenario's total."""
    labels = [t("scn_base", lang)] + [t("scn_change_label", lang, change=r.change, kind=r.kind)
                                      for r in frame.iloc[1:].itertuples()]
    values = [frame["value"].iloc[0]] + list(frame["delta"].iloc[1:])
    fig = go.Figure(go.Waterfall(
        x=labels + [t("scn_scenario", lang)], y=values + [frame["value"].iloc[-1]],
        measure=["absolute"] + ["relative"] * (len(frame) - 1) + ["total"],
        text=[i18n.number(v, lang, 1) for v in values + [frame["value"].iloc[-1]]],
        increasing={"marker": {"color": RED}}, decreasing={"marker": {"color": SUPPLIED}},
        totals={"marker": {"color": GREY}}))
    return _layout(fig, lang, 360, t("scn_waterfall", lang))
