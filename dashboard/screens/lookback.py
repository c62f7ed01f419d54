"""Looking back: forecast accuracy (WAPE, bias) per market, class and PMC over the closed periods,
the worst offenders, and forecast against actual for a chosen market or PMC."""
import streamlit as st

from dashboard import i18n, queries, ui, views
from dashboard.charts import meeting as charts_meeting
from dashboard.queries import meeting as qm
from dashboard.i18n import t

lang = ui.lang()
st.title(t("page_lookback", lang))
stamp, mstamp = queries.stamp(), qm.meeting_stamp()
versions = queries.versions(stamp)
if not len(versions) or not (versions["kind"] == "forecast").any():
    ui.empty_state(lang, needs=["forecast", "actuals"])
    st.stop()
total = qm.accuracy(stamp, mstamp, "total")
if total.empty or not total["periods"].fillna(0).iloc[0]:
    st.info(t("lb_no_actuals", lang), icon=":material/info:")
    st.page_link(ui.UPLOAD, label=t("go_upload", lang), icon=":material/upload_file:")
    st.stop()
st.caption(t("lb_intro", lang))

overall = total.iloc[0]
a, b, c, d = st.columns(4)
a.metric(t("lb_total_wape", lang), i18n.percent(overall["wape"], lang, 1), border=True)
b.metric(t("lb_total_bias", lang), ("+" if (overall["bias"] or 0) > 0 else "") + i18n.percent(overall["bias"], lang, 1),
         border=True)
c.metric(t("lb_periods", lang), i18n.number(overall["periods"], lang), border=True)
# in the look-back's one measure (acc_accuracy: kg, the one unit or line hours)
d.metric(t("col_abs_error", lang),
         f'{i18n.compact(overall["abs_error"], lang)} {i18n.unit_label(overall["unit"], lang)}', border=True)
st.caption(t("lb_bias_hint", lang))

left, right = st.columns([1, 1])
with left:
    by = st.segmented_control(t("lb_by", lang), ["market", "class"], default="market", required=True,
                              key="lb_by", format_func=lambda v: t("col_market" if v == "market" else "col_class", lang))
    column = "market" if by == "market" else "priority_class"
    grouped = qm.accuracy(stamp, mstamp, by)
    ui.chart(charts_meeting.accuracy_bars(grouped, column, lang), config={"displayModeBar": False},
                    key="lb_bars")
    ui.table(views.table(grouped, [
        (column, "col_market" if by == "market" else "col_class", "text" if by == "market" else "class"),
        ("forecast", "col_forecast", "qty"), ("actual", "col_actual", "qty"),
        ("abs_error", "col_abs_error", "qty"), ("wape", "col_wape", "pct"), ("bias", "col_bias", "pct")], lang),
        hide_index=True, key="lb_grouped")
with right:
    st.subheader(t("lb_worst", lang), anchor=False)
    worst = qm.worst_offenders(stamp, mstamp, 12)
    ui.table(views.table(worst, [
        ("rank", "col_rank", "text"), ("product", "col_product", "text"), ("market", "col_market", "text"),
        ("priority_class", "col_class", "class"), ("abs_error", "col_abs_error", "qty"),
        ("wape", "col_wape", "pct"), ("bias", "col_bias", "pct")], lang), hide_index=True, key="lb_worst")

st.subheader(t("lb_chart", lang), anchor=False)
by_market = qm.accuracy(stamp, mstamp, "market")
market_options = [None] + by_market["market"].astype(str).tolist()
a, b = st.columns(2)
market = a.selectbox(t("lb_pick_market", lang), market_options, key="lb_market", bind="query-params",
                     format_func=lambda m: t("lb_all", lang) if m is None else m)
pmcs = worst if market is None else qm.accuracy(stamp, mstamp, "pmc")
if market is not None:
    pmcs = pmcs[pmcs["market"].str.casefold() == market.casefold()].sort_values("abs_error_measured", ascending=False)
pmc_options = [None] + [f"{p} · {m}" for p, m in zip(pmcs["product"], pmcs["market"])]
pmc = b.selectbox(t("lb_pick_pmc", lang), pmc_options, key="lb_pmc",
                  format_func=lambda v: t("lb_all", lang) if v is None else v)
product, pmc_market = (pmc.split(" · ", 1) if pmc else (None, market))
series = qm.accuracy_series(stamp, mstamp, product, pmc_market)
ui.chart(charts_meeting.forecast_vs_actual(series, lang), config={"displayModeBar": False},
                key="lb_series")
