"""Shared page pieces: the chosen language and plan, empty states, KPI tiles, plain text,
escaped downloads and the one place an unexpected error is shown."""
from __future__ import annotations

import logging
import secrets

import pandas as pd
import streamlit as st

from dashboard import charts, i18n, queries
from dashboard.i18n import t
from dashboard.queries import PlanChoice
from pipelines.text import kind_label, plain
from pipelines.text.tables import kpi_delta, kpi_rows, kpi_text, kpi_unchanged

log = logging.getLogger("einklang.dashboard")

# page files, relative to app.py (st.switch_page / st.page_link take these). Not in a folder
# named pages/: Streamlit would route /overview etc. to it directly, bypassing st.navigation.
OVERVIEW = "screens/overview.py"
CONFLICT = "screens/conflict.py"
CAPACITY = "screens/capacity.py"
DEMAND = "screens/demand.py"
UPLOAD = "screens/upload.py"


# Projector mode: larger type for what the room reads (our own constant CSS, no user text in it).
PROJECTOR_CSS = """<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.4rem !important; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] * { font-size: 3.2rem !important; line-height: 1.2; }
[data-testid="stMain"] [data-testid="stMetricDelta"],
[data-testid="stMain"] [data-testid="stMetricDelta"] * { font-size: 1.35rem !important; }
[data-testid="stMain"] [data-testid="stTable"] table { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stTable"] td, [data-testid="stMain"] [data-testid="stTable"] th { white-space: normal; }
</style>"""
STATIC_ROWS = 40  # tables up to this many rows are drawn in full (no scrolling inside a box)


def projector() -> bool:
    """Projector mode, chosen in the sidebar (kept in the URL as ?projector=true)."""
    return bool(st.session_state.get("projector"))


def chart(figure, **kwargs):
    """st.plotly_chart with the projector's type sizes when projector mode is on."""
    kwargs.setdefault("config", {"displayModeBar": False})
    return st.plotly_chart(charts.for_projector(figure) if projector() else figure, **kwargs)


CHART_PRELOAD = "chart_preload"


def load_chart_library() -> None:
    """On a page without a chart whose next run draws some (the first meeting's form): an empty,
    hidden chart, so that the browser loads and starts plotly.js (0.6-0.9 s of its main thread in
    a new tab) while the form is filled in, not after the click (docs/performance.md)."""
    import plotly.graph_objects as go
    with st.container(key=CHART_PRELOAD):
        st.html(f"<style>.st-key-{CHART_PRELOAD} {{display: none}}</style>")
        st.plotly_chart(go.Figure(), config={"displayModeBar": False, "staticPlot": True},
                        key=f"{CHART_PRELOAD}_figure")


AGENDA_PARAMS = ("meeting", "step")


def keep_agenda(params: dict[str, str]) -> dict[str, str]:
    """`params` plus the agenda's meeting and step when the current page was opened from it."""
    kept = {k: st.query_params[k] for k in AGENDA_PARAMS if k in st.query_params}
    return {**params, **kept} if len(kept) == len(AGENDA_PARAMS) else dict(params)


def back_link(lang: str) -> None:
    """Back to the agenda step the drill-down was opened from, else to the overview."""
    meeting, step = (st.query_params.get(k) for k in AGENDA_PARAMS)
    if meeting and step and step.isdigit():
        st.page_link("screens/meeting.py", label=t("back_agenda", lang, step=t(f"mt_step_{step}", lang)
                                                   if 1 <= int(step) <= 5 else step),
                     query_params={"meeting": meeting, "step": step})
    else:
        st.page_link(OVERVIEW, label=t("back_overview", lang))


def lang() -> str:
    value = st.session_state.get("lang")
    return value if value in i18n.LANGS else queries.settings().lang


def plan() -> PlanChoice:
    """The plan chosen in the sidebar (the current plan until app.py has drawn the picker)."""
    choice = st.session_state.get("_plan_choice")
    if choice is None:
        stamp = queries.stamp()
        choice = PlanChoice(queries.version_key(stamp), None)
    return choice


def empty_state(lang: str, needs: list[str] | None = None) -> None:
    """What to do when there is nothing to show yet: upload, or build the demo company."""
    with st.container(border=True):
        st.subheader(t("empty_title", lang))
        st.markdown(t("empty_body", lang))
        if needs:
            st.caption(t("empty_needs", lang, kinds=", ".join(kind_label(k, lang) for k in needs)))
        st.page_link(UPLOAD, label=t("go_upload", lang), icon=":material/upload_file:")


def require_model(choice: PlanChoice, lang: str) -> bool:
    """True when the gap model can be built on the chosen plan; else an empty state or the reason."""
    if not choice.has_forecast:
        empty_state(lang, needs=[k for k, v in choice.current
                                 if v is None and k in ("forecast", "capacity", "products")])
        return False
    try:
        queries.model(choice.current)
    except ImportError:
        st.warning(t("model_missing", lang))
        return False
    except Exception as exc:  # a UserError (e.g. mixed grains) or a broken store
        fail(exc, lang)
        return False
    return True


def previous_usable(choice: PlanChoice) -> bool:
    """A comparison was chosen and the model builds on it."""
    if choice.previous is None or dict(choice.previous).get("forecast") is None:
        return False
    try:
        queries.model(choice.previous)
    except Exception:
        return False
    return True


def heading(text: str, caption: str | None = None) -> None:
    st.subheader(text)
    if caption:
        st.caption(caption)


def kpi_tiles(now: dict, before: dict, lang: str) -> None:
    """The headline figures of Model.kpis as tiles, with their change against the comparison, in
    the words, units and order of kpi_rows/kpi_text: the overview, meeting step 3, the pack and the
    command line show exactly these numbers. Fill rates on the first row, the rest below."""
    grain = now.get("grain", "week")
    was = {key: value for key, _, value, _ in kpi_rows(before, lang, grain)} if before else {}
    rows = kpi_rows(now, lang, grain)
    for group in ([r for r in rows if r[3] == "percent"], [r for r in rows if r[3] != "percent"]):
        for col, (key, label, value, kind) in zip(st.columns(len(group)), group):
            delta = kpi_delta(value, was.get(key), kind, lang)
            same = kpi_unchanged(delta, kind, lang)
            col.metric(label, kpi_text(value, kind, lang), delta, border=True,
                       delta_color="off" if same else "normal" if kind == "percent" else "inverse",
                       delta_arrow="off" if same else "auto",
                       help=t(f"kpi_help_{key}", lang) if f"kpi_help_{key}" in i18n.TEXTS else None)


def text(value: object) -> str:
    """Text from a file or a user for a markdown-rendering element: shown as typed."""
    return plain.markdown(value)


def fail(exc: BaseException, lang: str) -> None:
    """The one way a page shows an error: a UserError in words, anything else by a reference
    number only (its text and traceback go to the server log, never to the page)."""
    if callable(getattr(exc, "message", None)):
        st.error(text(exc.message(lang)), icon=":material/error:")
        return
    ref = secrets.token_hex(4)
    log.error("unexpected error %s", ref, exc_info=exc)
    st.error(t("unexpected_error", lang, ref=ref), icon=":material/error:")


def table(frame: pd.DataFrame, *, key: str, file_name: str | None = None, static: bool = False,
          **kwargs) -> None:
    """A display table and its CSV download, in which no cell starts a formula (the built-in
    export is off in .streamlit/config.toml: it writes cells as they are).

    `static` (and every short table in projector mode) draws the table in full as text that
    wraps, without a scroll box: long hints stay readable. st.table reads markdown, so every
    cell and header is escaped first."""
    if (static or projector()) and len(frame) <= STATIC_ROWS:
        shown = frame.copy()
        shown.columns = [text(c) for c in shown.columns]
        for column in shown.columns:
            shown[column] = [text(v) if isinstance(v, str) else ("" if v is None or v is pd.NA
                             or (isinstance(v, float) and pd.isna(v)) else v) for v in shown[column]]
        st.table(shown, hide_index=kwargs.get("hide_index", True))
    else:
        if len(frame) <= STATIC_ROWS:  # all rows in view: no scroll box inside the page
            kwargs.setdefault("height", "content")
        st.dataframe(frame, key=key, **kwargs)
    if len(frame):
        st.download_button(t("download_csv", lang()), plain.csv(frame), file_name=file_name or f"{key}.csv",
                           mime="text/csv", key=f"{key}_csv", icon=":material/download:",
                           on_click="ignore", type="tertiary")


def agreement_mark(column, covered: dict, product: str, market: str, lang: str) -> None:
    """The agreements on a top conflict (queries.meeting.marks_by_conflict), under its line."""
    found = covered.get(("pmc", str(product), str(market).casefold()))
    if found:
        column.markdown(f":blue-badge[:material/handshake: {t('col_agreements', lang)}: {text(found)}]")


def conflict_shortfall(row, lang: str) -> str:
    """A top conflict's shortfall as the list shows it (markdown): the quantity in the article's
    unit, then what it is ranked by, the line hours missing, or that it has none (ranked first)."""
    shortfall = f":red[**{t('col_shortfall', lang)} {i18n.quantity(row.shortfall, row.unit, lang, 0)}**]"
    if row.without_hours:
        return shortfall + f" · :orange-badge[{t('top_without_hours', lang)}]"
    return shortfall + " · " + t("top_hours", lang, hours=i18n.number(row.shortfall_hours, lang, 1))
