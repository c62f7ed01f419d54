"""Demand: forecast per market or product group over time, this cycle against the comparison."""
import streamlit as st

from dashboard import charts, queries, ui, views
from dashboard.i18n import t
from dashboard.queries import meeting as qm

lang, choice = ui.lang(), ui.plan()
st.title(t("page_demand", lang))
if not ui.require_model(choice, lang):
    st.stop()
key = choice.current
since = queries.horizon_start(key)
by = st.segmented_control(t("demand_by", lang), ["market", "product_group"], default="market",
                          key="demand_by", required=True,
                          format_func=lambda v: t("col_market" if v == "market" else "col_group", lang))
current = queries.demand_by(key, by, since)
compare = ui.previous_usable(choice)
# the comparison on the same axis: in the current plan's unit where its rows allow that
previous = queries.demand_by(choice.previous, by, since, current["basis"].iloc[0] if len(current) else None) \
    if compare else None
if previous is not None and len(previous) and len(current) \
        and previous["basis"].iloc[0] != current["basis"].iloc[0]:
    current = queries.demand_by(key, by, since, "hours")
    previous = queries.demand_by(choice.previous, by, since, "hours")

problems = queries.unit_problems(key)
if len(problems):
    # not silently wrong: say which articles' forecasts could not be turned into line hours
    articles = sorted(problems["product"].astype(str).unique())
    st.warning(t("unit_problems_warning", lang, count=len(problems), articles=", ".join(articles[:8])
                 + (" …" if len(articles) > 8 else "")), icon=":material/straighten:")
st.subheader(t("demand_title", lang))
ui.chart(charts.demand_over_time(views.stacked_versions(current, previous), lang),
                config={"displayModeBar": False})

st.subheader(t("demand_change", lang))
if not compare:
    st.info(t("no_comparison", lang))
    st.stop()
# the same version change as meeting step 1 and the pack (cmp_forecast_change_by_group)
change = qm.forecast_change_by_group(queries.stamp(), dict(key).get("forecast"),
                                     dict(choice.previous).get("forecast"), by, dict(key).get("products"))
ui.chart(charts.demand_waterfall(change, lang), config={"displayModeBar": False})
st.subheader(t("demand_biggest", lang))
# the same version change as meeting step 1 and the pack (pipelines.model.compare)
moves = qm.biggest_moves(queries.stamp(), dict(key).get("forecast"),
                         dict(choice.previous).get("forecast"), top=15)
ui.table(views.table(moves, [
    ("product", "col_product", "text"), ("product_name", "col_name", "text"),
    ("market", "col_market", "text"), ("previous", "col_previous", "qty"),
    ("current", "col_current", "qty"), ("change", "col_change", "qty")], lang), hide_index=True, key="demand_moves")
