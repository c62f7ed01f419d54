"""Overview: KPIs against the last meeting, the conflict heatmap, the top conflicts, what is new."""
import streamlit as st

from dashboard import charts, i18n, queries, ui, views
from dashboard.i18n import t
from dashboard.queries import meeting as qm

lang, choice = ui.lang(), ui.plan()

st.title(t("page_overview", lang))
if not ui.require_model(choice, lang):
    st.stop()

key = choice.current
since = queries.horizon_start(key)
marks = qm.marks(key, qm.meeting_stamp(), lang)  # agreements on the cells and conflicts they cover


# --- heatmap -------------------------------------------------------------------------------------
def _clicked() -> None:
    target = charts.clicked_target(st.session_state.get("heatmap"))
    if target:  # straight to the drill-down, without drawing the overview once more first
        st.switch_page(ui.CONFLICT, query_params=target)


def _heatmap() -> None:
    """Conflicts by PMC (or utilisation by line) and period; a click opens the drill-down."""
    st.subheader(t("heatmap_title", lang))
    by = st.segmented_control(t("heatmap_by", lang), ["pmc", "line"], default="pmc", key="hm_by",
                              required=True, label_visibility="collapsed",
                              format_func=lambda v: t(f"heatmap_by_{v}", lang))
    if by == "line":
        load = queries.line_load(key)
        bands = queries.bands(key)
        band = next(iter(bands.values()), queries.DEFAULT_BAND)
        figure = charts.line_heatmap(load, lang, band, marks=marks, bands=bands)
    else:
        figure, shown, total = queries.pmc_heatmap(key, lang, marks)
        if total > shown:
            st.caption(t("heatmap_more", lang, shown=shown, total=i18n.number(total, lang)))
    ui.chart(figure, key="heatmap", on_select=_clicked, selection_mode="points",
                    config={"displayModeBar": False})
    st.caption(t("line_heatmap_hint" if by == "line" else "heatmap_hint", lang)
               + (" " + t("mark_legend", lang) if len(marks) else ""))


# The heatmap is sent before the KPI tiles above it: the browser starts loading plotly.js (about
# a second on the meeting room's machine) as soon as the chart element arrives.
kpi_box = st.container()
_heatmap()
before = queries.kpis(choice.previous, since) if ui.previous_usable(choice) else {}
with kpi_box:
    ui.kpi_tiles(queries.kpis(key), before, lang)
    if before:
        st.caption(t("compare_version", lang) + ": " + ui.text(st.session_state.get("_vs_label", "")))


# --- top conflicts and what is new ---------------------------------------------------------------
left, right = st.columns([3, 1])
with left:
    ui.heading(t("top_conflicts", lang), t("top_conflicts_hint", lang))
    top = queries.top_conflicts(key, lang)
    covered = qm.marks_by_conflict(key, qm.meeting_stamp(), lang)
    queries.prefetch_drill_down(key, lang, top)
    if top.empty:
        st.success(t("no_conflicts", lang))
    for r in top.itertuples():
        with st.container(border=True):
            a, b = st.columns([4, 1], vertical_alignment="center")
            a.markdown(f"**{r.rank}. {ui.text(views.pmc_label(r.product, r.product_name, r.market, getattr(r, 'product_display', None)))}** · "
                       f"{i18n.period(r.period, lang)} · {t('col_class', lang)} "
                       f"{i18n.priority_class(r.priority_class)} · {ui.conflict_shortfall(r, lang)}")
            if r.periods_short > 1:
                a.caption(t("periods_short", lang, total=i18n.quantity(r.total_shortfall, r.unit, lang, 0),
                            count=r.periods_short))
            if r.explanation:
                a.caption(ui.text(r.explanation))
            ui.agreement_mark(a, covered, r.product, r.market, lang)
            b.page_link(ui.CONFLICT, label=t("open", lang), icon=":material/arrow_forward:",
                        query_params={"product": r.product, "market": r.market,
                                      "period": r.period})
with right:
    ui.heading(t("new_this_cycle", lang))
    new = queries.new_this_cycle(key, choice.previous if before else None)
    if not any(new.values()):
        st.caption(t("nothing_new", lang))
    for group, text_key in (("products", "new_products_title"), ("markets", "new_markets_title"),
                            ("pmcs", "new_pmcs")):
        if new[group]:
            st.markdown(f"**{t(text_key, lang)}** ({len(new[group])})")
            shown = new[group][:12]
            st.caption(", ".join(map(ui.text, shown)) + (" …" if len(new[group]) > 12 else ""))
