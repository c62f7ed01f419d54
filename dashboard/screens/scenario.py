"""What-if: build a scenario from a few widgets or a TOML file, see it beside the base, save it."""
import hashlib

import streamlit as st

from dashboard import queries, ui, views
from dashboard.charts import scenario as charts
from dashboard.i18n import t
from dashboard.queries import scenario as door

lang, choice = ui.lang(), ui.plan()
st.title(t("page_scenario", lang))
if not ui.require_model(choice, lang):
    st.stop()
key, db = choice.current, queries.settings().db

# --- where the text comes from: a saved scenario (bound to ?scenario=NAME), an upload, the widgets
saved = door.saved(db)
texts = dict(zip(saved["name"], saved["text"]))
name = st.selectbox(t("scn_saved", lang), [""] + list(texts), key="scenario", bind="query-params",
                    format_func=lambda n: n or t("scn_new", lang))
upload = st.file_uploader(t("scn_upload", lang), type=["toml"], key="scn_upload")
lever = st.query_params.get("from")  # a drill-down's lever: /scenario?from=extra_hours&line=..
source = (("upload", hashlib.sha256(upload.getvalue()).hexdigest()) if upload
          else ("saved", name) if name or not lever else ("lever", lever))
if st.session_state.get("_scn_source") != source:
    st.session_state["_scn_source"] = source
    st.session_state["scn_text"] = (
        upload.getvalue().decode("utf-8", "replace") if upload
        else texts.get(name) if name
        else door.lever_text(lever, st.query_params.to_dict(), lang) if lever else ""
    ) or door.TEMPLATE.format(name=t("scn_new_name", lang))


def _append(block: str) -> None:
    st.session_state["scn_text"] = st.session_state["scn_text"].rstrip("\n") + "\n" + block


def _window(prefix: str) -> dict:
    return {field: st.session_state.get(f"{prefix}_{field}", "").strip() for field in ("from", "to")}


def _add_capacity() -> None:
    _append(door.change_text("capacity", line=st.session_state["cap_line"], **_window("cap"),
                             hours=float(st.session_state["cap_hours"])))


def _add_demand() -> None:
    _append(door.change_text("demand", market=st.session_state["dem_market"], **_window("dem"),
                             percent=float(st.session_state["dem_percent"])))


lines, markets = door.choices(key)
with st.expander(t("scn_add_title", lang), expanded=True):
    left, right = st.columns(2)
    with left.container(border=True):
        st.caption(t("scn_add_capacity", lang))
        st.selectbox(t("scn_line", lang), lines, key="cap_line")
        a, b = st.columns(2)
        a.text_input(t("scn_from", lang), key="cap_from")
        b.text_input(t("scn_to", lang), key="cap_to")
        st.number_input(t("scn_hours", lang), value=8.0, step=1.0, key="cap_hours")
        st.button(t("scn_add", lang), key="cap_add", on_click=_add_capacity)
    with right.container(border=True):
        st.caption(t("scn_add_demand", lang))
        st.selectbox(t("scn_market", lang), markets, key="dem_market")
        a, b = st.columns(2)
        a.text_input(t("scn_from", lang), key="dem_from")
        b.text_input(t("scn_to", lang), key="dem_to")
        st.number_input(t("scn_percent", lang), value=10.0, step=5.0, key="dem_percent")
        st.button(t("scn_add", lang), key="dem_add", on_click=_add_demand)

text = st.text_area(t("scn_editor", lang), key="scn_text", height=220,
                    help=t("scn_editor_help", lang))
st.download_button(t("scn_download", lang), text.encode("utf-8"), file_name="scenario.toml",
                   mime="application/toml", key="scn_download")

errors = door.check(key, text)
if errors:
    st.error(t("scn_refused", lang, count=len(errors)), icon=":material/error:")
    st.dataframe(views.error_frame(errors, lang), hide_index=True, key="scn_errors")
    st.stop()
if "[[change]]" not in text:
    st.info(t("scn_no_changes", lang))

# --- base beside scenario ------------------------------------------------------------------------
result = door.comparison(key, text)
st.text(f"{t('scn_scenario', lang)}: {result['name']}")  # a user's text: never markdown
ui.kpi_tiles(result["scenario"], result["base"], lang)
st.caption(t("scn_tiles_caption", lang))
left, right = st.columns(2)
left.plotly_chart(charts.class_fill(door.class_fill(key, text), lang), key="scn_class_fill",
                  config={"displayModeBar": False})
right.plotly_chart(charts.line_overload(door.line_overload(key, text), lang), key="scn_overload",
                   config={"displayModeBar": False})
ui.chart(charts.waterfall(door.contributions(key, text), lang), key="scn_waterfall",
                config={"displayModeBar": False})
ui.heading(t("scn_moves", lang))
st.dataframe(views.table(result["moves"], [
    ("product", "col_product", "text"), ("market", "col_market", "text"),
    ("base_shortfall", "scn_col_base_shortfall", "qty"),
    ("scenario_shortfall", "scn_col_scenario_shortfall", "qty"),
    ("change", "col_change", "qty"), ("change_hours", "col_shortfall_hours", "dec1")], lang),
    hide_index=True, key="scn_moves")

if st.button(t("scn_save", lang), key="scn_save", type="primary"):
    stored = door.save(db, text)
    st.success(t("scn_stored", lang, **stored), icon=":material/check:")
    # the whole address, its name quoted (a + or % in it reads back as typed), as code: never markdown
    st.caption(t("scn_link", lang))
    kept = {k: st.query_params[k] for k in ("lang", "plan") if k in st.query_params}
    st.code(views.share_url(st.context.url, {**kept, "scenario": stored["name"]}), language=None,
            wrap_lines=True)
    # started from a drill-down: back to that conflict, with this scenario chosen in its agreement form
    origin = {k: st.query_params.get(k) for k in ("product", "market", "line", "period")}
    origin = {k: origin[k] for k in (("product", "market", "period") if origin["product"] and origin["market"]
                                     else ("line", "period")) if origin[k]}
    if lever and "period" in origin:
        st.page_link(ui.CONFLICT, label=t("scn_agree_link", lang), icon=":material/handshake:",
                     query_params={**origin, "ag_scenario": stored["name"]})
