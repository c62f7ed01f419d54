"""Capacity: utilisation per line and period against the target band, bottlenecks, maintenance."""
import streamlit as st

from dashboard import charts, i18n, queries, ui, views
from dashboard.i18n import t
from dashboard.queries import meeting as qm

lang, choice = ui.lang(), ui.plan()
goto = st.session_state.pop("_goto", None)
if goto:
    st.switch_page(ui.CONFLICT, query_params=goto)

st.title(t("page_capacity", lang))
if not ui.require_model(choice, lang):
    st.stop()
key = choice.current
load = queries.line_load(key)
if load.empty:
    ui.empty_state(lang, needs=["capacity", "products"])
    st.stop()

bands = queries.bands(key)
band = next(iter(bands.values()), queries.DEFAULT_BAND)
by_band: dict[tuple, list[str]] = {}
for line, line_band in sorted(bands.items()):
    by_band.setdefault(tuple(line_band), []).append(str(line))
band_text = (f"{i18n.percent(band[0], lang)} – {i18n.percent(band[1], lang)}" if len(by_band) <= 1 else
             "; ".join(f"{', '.join(lines)} {i18n.percent(lo, lang)} – {i18n.percent(hi, lang)}"
                       for (lo, hi), lines in by_band.items()))
ui.heading(t("utilisation_title", lang),
           ui.text(f"{t('target_band', lang)}: {band_text}. ") + t("line_heatmap_hint", lang))


def _clicked() -> None:
    target = charts.clicked_target(st.session_state.get("capacity_heatmap"))
    if target:
        st.session_state["_goto"] = target


marks = qm.marks(key, qm.meeting_stamp(), lang)
ui.chart(charts.line_heatmap(load, lang, band, marks=marks, bands=bands), key="capacity_heatmap",
         on_select=_clicked, selection_mode="points", config={"displayModeBar": False})
if len(marks[marks["scope"] == "line"]):
    st.caption(t("mark_legend", lang))

left, right = st.columns([3, 2])
with left:
    st.subheader(t("bottlenecks", lang))
    ranking = queries.bottlenecks(key)
    ui.chart(charts.bottlenecks(ranking, lang), config={"displayModeBar": False})
    ui.table(views.table(ranking, [
        ("line", "col_line", "text"), ("overload_hours", "col_overload_hours", "int"),
        ("overloaded_periods", "kpi_overloaded" if queries.kpis(key)["grain"] == "week"
         else "kpi_overloaded_month", "int"),
        ("peak_utilisation", "col_peak_utilisation", "pct"),
        ("band", "target_band", "band")], lang), hide_index=True, key="cap_bottlenecks")
with right:
    ui.heading(t("maintenance", lang), t("maintenance_hint", lang))
    shutdowns = queries.maintenance(key)
    if shutdowns.empty:
        st.caption(t("no_maintenance", lang))
    else:
        ui.table(views.table(shutdowns, [
            ("line", "col_line", "text"), ("period", "col_period", "period"),
            ("available_hours", "col_available_hours", "int"),
            ("usual_hours", "col_usual_hours", "int")], lang), hide_index=True, key="cap_maintenance")
