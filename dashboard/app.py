"""Einklang dashboard entry: page set-up, navigation, and the sidebar's language and plan pickers.

Started by `einklang serve` (streamlit run dashboard/app.py) with EINKLANG_DB / EINKLANG_LANG set.
"""
from __future__ import annotations

import streamlit as st

from dashboard import access, i18n, queries, ui, views
from dashboard.i18n import t, t_text
from dashboard.queries import PlanChoice
from pipelines.text import kind_label

# the favicon as an emoji: Streamlit draws it as an inline SVG, where a material icon's favicon
# is fetched from fonts.gstatic.com (a network without internet shows none, and tests reach out)
st.set_page_config(page_title="Einklang", page_icon="⚖️", layout="wide",
                   initial_sidebar_state="expanded")


def language_picker() -> str:
    """The sidebar's language, kept in the address as its code (?lang=en), the way a shared link
    writes it. Not bind="query-params": Streamlit would store the option's label (?lang=English)
    and drop a code as unknown. A session's first run reads the link (a code or a name); every run
    writes the code back, so it survives page switches; the server's default is left out."""
    default = queries.settings().lang
    if "lang" not in st.session_state:
        st.session_state["lang"] = i18n.lang_code(st.query_params.get("lang")) or default
    chosen = st.segmented_control(t("language", ui.lang()), list(i18n.LANGS), key="lang",
                                  required=True, format_func=i18n.LANG_NAMES.__getitem__)
    chosen = chosen if chosen in i18n.LANGS else default
    if chosen != default and st.query_params.get("lang") != chosen:
        st.query_params["lang"] = chosen
    elif chosen == default and "lang" in st.query_params:
        del st.query_params["lang"]
    return chosen


with st.sidebar:
    lang = language_picker()
    st.toggle(t("projector_mode", lang), key="projector", bind="query-params",
              help=t("projector_help", lang))
if ui.projector():
    st.html(ui.PROJECTOR_CSS)

if access.login_configured() and not access.email():
    st.title(t("access_login_title", lang))
    st.write(t("access_login_body", lang))
    st.button(t("access_login", lang), on_click=st.login, type="primary", icon=":material/login:",
              key="login")
    st.stop()
with st.sidebar:
    if access.login_configured():
        st.caption(t("access_signed_in", lang, email=access.email(), role=access.role_name(access.role(), lang)))
        st.button(t("access_logout", lang), on_click=st.logout, icon=":material/logout:", key="logout")
    else:
        st.caption(t("access_local", lang))

# Sections of the navigation: planning (what the meeting looks at) and data (what feeds it).
PAGES = {
    t("nav_planning", lang): [
        st.Page(ui.OVERVIEW, title=t("page_overview", lang), icon=":material/dashboard:",
                url_path="overview", default=True),
        st.Page(ui.CONFLICT, title=t("page_conflict", lang), icon=":material/troubleshoot:",
                url_path="conflict"),
        st.Page(ui.CAPACITY, title=t("page_capacity", lang), icon=":material/factory:",
                url_path="capacity"),
        st.Page(ui.DEMAND, title=t("page_demand", lang), icon=":material/trending_up:",
                url_path="demand"),
        st.Page("screens/meeting.py", title=t("page_meeting", lang), icon=":material/groups:",
                url_path="meeting"),
        st.Page("screens/lookback.py", title=t("page_lookback", lang), icon=":material/history:",
                url_path="lookback"),
        st.Page("screens/scenario.py", title=t("page_scenario", lang), icon=":material/alt_route:",
                url_path="scenario"),
    ],
    t("nav_data", lang): [
        st.Page(ui.UPLOAD, title=t("page_upload", lang), icon=":material/upload_file:",
                url_path="upload"),
        st.Page("screens/strategy.py", title=t("page_strategy", lang), icon=":material/flag:",
                url_path="strategy"),
        st.Page("screens/access.py", title=t("page_access", lang), icon=":material/key:",
                url_path="access"),
    ],
}
page = st.navigation(PAGES)


BASELINE = -1


def baseline_choice(stamp, lang: str):
    """The default comparison from the store (the same for every session): the plan at the last
    meeting ("Stand Meeting 26.11.2026"), else the previous upload; and what to call it."""
    from dashboard.queries import meeting as qm
    key, meeting = qm.baseline_key(stamp, qm.meeting_stamp())
    if meeting is None:
        return key, t_text("baseline_previous", lang)
    return key, t_text("baseline_meeting", lang, date=i18n.date(meeting["meeting_date"], lang))


def _version_labels(frame, lang: str) -> dict[int, str]:
    """Each stored version's option text in the pickers, computed once per run (the pickers call
    their format function once per option: a store keeps every upload)."""
    return {int(r["version"]): i18n.t_text("version_option", lang, version=int(r["version"]),
                                           kind=kind_label(r["kind"], lang), label=views.version_name(r))
            for r in frame.to_dict("records")}


def _version_label(version: int, labels: dict[int, str], none_text: str) -> str:
    if not version:
        return none_text
    return labels.get(int(version), f"#{version}")


try:
    stamp = queries.stamp()
except Exception as exc:  # the file is locked by another process, unreadable, or not a database
    ui.log.warning("database unavailable", exc_info=exc)
    st.error(t("db_unavailable", lang, db=queries.settings().db, detail=type(exc).__name__), icon=":material/error:")
    st.stop()
versions = queries.versions(stamp)
with st.sidebar:
    if len(versions):
        ids = [int(v) for v in versions["version"]]
        labels = _version_labels(versions, lang)
        baseline, baseline_meeting = baseline_choice(stamp, lang)
        # 0 stands for "the current plan" / "no comparison", BASELINE for the default comparison
        current = st.selectbox(
            t("plan_version", lang), [0] + ids[1:], key="plan", bind="query-params",
            format_func=lambda v: _version_label(v, labels, t("version_current", lang)),
            help=t("version_help", lang))
        previous = st.selectbox(
            t("compare_version", lang), [BASELINE, 0] + ids, index=0, key="vs", bind="query-params",
            format_func=lambda v: t_text("baseline_option", lang, what=baseline_meeting) if v == BASELINE
            else _version_label(v, labels, t("version_none", lang)),
            help=t("baseline_help", lang))
        if previous == BASELINE:
            st.session_state["_vs_label"] = baseline_meeting
            compared = baseline
        else:
            st.session_state["_vs_label"] = _version_label(previous, labels, "")
            compared = queries.version_key(stamp, previous) if previous else None
        st.session_state["_plan_choice"] = PlanChoice(queries.version_key(stamp, current or None),
                                                      compared)
    else:
        st.session_state["_plan_choice"] = PlanChoice(queries.version_key(stamp), None)

try:
    page.run()
except Exception as exc:  # noqa: BLE001 - a page never shows a traceback: ui.fail logs it
    ui.fail(exc, lang)
