"""Meeting mode: one meeting (date, cycle, participants) walked through the fixed agenda, one screen
per step, readable on a projector; the pack (Excel + PDF) one click away."""
import datetime as dt

import streamlit as st

from dashboard import access, i18n, queries, ui, views
from dashboard.charts import meeting as charts_meeting
from dashboard.queries import meeting as qm
from dashboard.i18n import t, t_text
from pipelines.meeting import STATUSES, lever_label, status_label
from pipelines.pack import part_failed_text

lang = ui.lang()
STEPS = [1, 2, 3, 4, 5]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.title(t("page_meeting", lang))
if not ui.require_model(ui.plan(), lang):
    st.stop()
stamp, mstamp = queries.stamp(), qm.meeting_stamp()
meetings = qm.meetings(mstamp)
ids = [int(m) for m in meetings["meeting_id"]]
labels = views.meeting_labels(meetings, lang)

# a meeting created on the last run is chosen before the picker is drawn (a drawn widget is fixed)
if (created := st.session_state.pop("_meeting_created", None)) in ids:
    st.session_state["meeting"] = created
    st.session_state["step"] = 1
# ?meeting=<id>&step=<n> open a meeting at a step (the URL holds ids, not the pickers' labels);
# without them, the step this session was last on (a drill-down and back keeps the step)
remembered = st.session_state.get("_agenda", {})
if "step" not in st.session_state:
    wanted = st.query_params.get("step") or str(remembered.get("step", 1))
    st.session_state["step"] = int(wanted) if wanted in {str(s) for s in STEPS} else 1
if "meeting" not in st.session_state:
    wanted = st.query_params.get("meeting") or str(remembered.get("meeting", ""))
    if wanted.isdigit() and int(wanted) in ids:
        st.session_state["meeting"] = int(wanted)

def new_meeting_form() -> None:
    """Date, cycle, participants: the meeting is fixed on the current data and strategy."""
    with st.form("mt_new_form", border=False, clear_on_submit=True):
        a, b, c = st.columns([1, 1, 3])
        date = a.date_input(t("mt_date", lang), value=dt.date.today(), key="mt_new_date",
                            format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD")
        cycle = b.text_input(t("mt_cycle", lang), key="mt_new_cycle", help=t("mt_cycle_help", lang),
                             placeholder=f"KW {dt.date.today().isocalendar()[1]}")
        people = c.text_input(t("mt_participants", lang), key="mt_new_people")
        title = st.text_input(t("mt_title", lang), key="mt_new_title")
        if st.form_submit_button(t("mt_create", lang), type="primary", icon=":material/event:",
                                 key="mt_create", disabled=not access.may("meeting")):
            week = f"KW {date.isocalendar()[1]}" if lang == "de" else f"W{date.isocalendar()[1]}"
            st.session_state["_meeting_created"] = qm.create_meeting(
                date, people.split(","), cycle.strip() or week, title, lang)
            st.rerun()  # also closes the dialog


if not ids:
    with st.container(border=True):
        st.info(t("mt_none_yet", lang))
        new_meeting_form()
    ui.load_chart_library()  # the agenda's step 1 draws charts right after the click
    st.stop()

head, new_col, pack_col = st.columns([2, 1, 1], vertical_alignment="bottom")
meeting_id = head.selectbox(t("mt_choose", lang), ids, key="meeting", format_func=labels.get)
if new_col.button(t("mt_new", lang), icon=":material/add:", key="mt_new", width="stretch",
                  disabled=not access.may("meeting"), help=None if access.may("meeting") else access.refused("meeting", lang)):
    st.dialog(t("mt_new", lang), width="large")(new_meeting_form)()
meeting = qm.meeting(mstamp, meeting_id)
key = qm.meeting_key(stamp, meeting)
with pack_col.popover(t("mt_pack", lang), icon=":material/download:", width="stretch"):
    st.caption(t("mt_pack_hint", lang))
    # The popover's body runs on every rerun: on a large plan the pack is built when a part is
    # downloaded (a part that failed is named here from then on); a small plan's is built now.
    pack_args = (stamp, mstamp, meeting_id, meeting.get("lang") or lang)
    pack_files, pack_failed = qm.pack(*pack_args) if qm.pack_is_quick(key) else \
        (qm.pack_if_built(*pack_args) or ({}, {}))
    for part, reason in pack_failed.items():
        st.warning(ui.text(part_failed_text(part, reason, lang)), icon=":material/warning:")
    if "xlsx" not in pack_failed:
        st.download_button(t("mt_pack_xlsx", lang), qm.pack_part(*pack_args, "xlsx"),
                           file_name=qm.pack_name(meeting, "xlsx"), mime=XLSX, key="mt_pack_xlsx",
                           icon=":material/table:", on_click="ignore", width="stretch")
    if "pdf" not in pack_failed:
        st.download_button(t("mt_pack_pdf", lang), qm.pack_part(*pack_args, "pdf"),
                           file_name=qm.pack_name(meeting, "pdf"), mime="application/pdf", key="mt_pack_pdf",
                           icon=":material/picture_as_pdf:", on_click="ignore", width="stretch")

st.header(t("mt_header", lang, date=i18n.date(meeting["meeting_date"], lang), cycle=meeting["cycle"] or "–")
          + (f" – {ui.text(meeting['title'])}" if meeting.get("title") else ""), anchor=False)
if meeting["participants"]:
    st.caption(t("mt_people", lang, names=", ".join(map(str, meeting["participants"]))))
try:
    queries.model(key)
except Exception as exc:  # the meeting's versions no longer build (e.g. a deleted file)
    ui.fail(exc, lang)
    st.stop()


def _to_top() -> None:
    st.session_state["_to_top"] = True


def _go(delta: int) -> None:
    step = st.session_state.get("step") or 1
    st.session_state["step"] = min(max(step + delta, STEPS[0]), STEPS[-1])
    _to_top()


# Our own constant script: "Weiter" and "Zurück" open the next step at its top. Streamlit scrolls
# inside its main section (`stMain`), not the window. The script runs when its element arrives,
# early in the run, while the old step's elements are still on the page (marked stale): it keeps
# the main section at its top until the run has finished, nothing stale is left and that has held
# for half a second (on a slow machine that is later, not wrong), and stops at once when the user
# scrolls or presses a key. An arrow function, so nothing leaks into the page's global scope
# (Streamlit adds the script as a classic <script>: a top-level `const top` collides with
# `window.top` and never ran). The run number in the comment makes each script new, so it runs.
TO_TOP = """<script>/* run RUN */
(() => {
  const start = performance.now(), quit = new AbortController();
  for (const kind of ["wheel", "touchmove", "keydown", "pointerdown"]) {
    window.addEventListener(kind, () => quit.abort(), {passive: true, signal: quit.signal});
  }
  let settled = null;
  const tick = () => {
    if (quit.signal.aborted) return;
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) main.scrollTo({top: 0, behavior: "instant"});
    window.scrollTo({top: 0, behavior: "instant"});
    const state = document.querySelector('[data-testid="stApp"]')?.getAttribute("data-test-script-state");
    const done = (state == null || state === "notRunning") && !document.querySelector('[data-stale="true"]');
    const now = performance.now();
    settled = done ? (settled ?? now) : null;
    if ((settled !== null && now - settled >= 500) || now - start > 60000) { quit.abort(); return; }
    setTimeout(tick, 50);
  };
  tick();
})();
</script>"""


step = st.segmented_control(t("mt_step", lang), STEPS, key="step", required=True, format_func=lambda s: t(f"mt_step_{s}", lang),
                            width="stretch", on_change=_to_top)
step = step if step in STEPS else 1
st.query_params.update({"meeting": str(meeting_id), "step": str(step)})
st.session_state["_agenda"] = {"meeting": meeting_id, "step": step}
if st.session_state.pop("_to_top", False):
    st.session_state["_to_top_n"] = st.session_state.get("_to_top_n", 0) + 1  # a new script each time
    with st.container(key=f"mt_to_top_{st.session_state['_to_top_n']}"):  # a new element: it runs again
        st.html(TO_TOP.replace("RUN", str(st.session_state["_to_top_n"])), unsafe_allow_javascript=True)
st.divider()


# --- 1: what changed -----------------------------------------------------------------------------
def what_changed() -> None:
    pairs = qm.compared_versions(stamp, mstamp, meeting_id)
    current, previous = pairs["forecast"]
    if previous is None:
        st.info(t("mt_change_none", lang))
        return
    names = queries.versions(stamp).set_index("version")

    def label(version: int) -> str:
        if version not in names.index:
            return f"#{version}"
        return views.version_name(names.loc[version])
    st.subheader(t("mt_change_since", lang, current=label(current), previous=label(previous)), anchor=False)
    # on the projector the waterfall takes the whole width (beside the table its labels collide
    # at the projector's type size) and the moves follow below it
    left, right = (st.container(), st.container()) if ui.projector() else st.columns([5, 6])
    with left:
        st.markdown(f"**{t('mt_waterfall', lang)}**")
        ui.chart(charts_meeting.market_waterfall(
            qm.forecast_change_by_market(stamp, current, previous), lang),
            config={"displayModeBar": False}, key="mt_waterfall")
    with right:
        title, toggle = st.columns([3, 2], vertical_alignment="center")
        title.markdown(f"**{t('mt_moves', lang)}**")
        by = toggle.segmented_control(t("mt_moves_by", lang), ["pmc", "pmc_period"], default="pmc",
                                      required=True, key="mt_moves_by", label_visibility="collapsed",
                                      format_func=lambda v: t(f"mt_moves_{v}", lang))
        moves = views.moves_named(qm.biggest_moves(stamp, current, previous, by=by), lang)
        ui.table(views.table(moves, [
            ("product", "col_product", "text"), ("product_name", "col_name", "text"),
            ("market", "col_market", "text")]
            + ([("period", "col_period", "period")] if by == "pmc_period" else [])
            + [("current", "col_current", "qty"), ("change", "col_change", "qty")], lang),
            hide_index=True, key="mt_moves")
    st.subheader(t("mt_capacity_changes", lang), anchor=False)
    cap_current, cap_previous = pairs["capacity"]
    capacity = qm.capacity_change(stamp, cap_current, cap_previous)
    if capacity.empty:
        st.caption(t("mt_capacity_none", lang))
    else:
        ui.chart(charts_meeting.capacity_changes(capacity, lang), config={"displayModeBar": False},
                        key="mt_capacity")


# --- 2: did last meeting's agreements hold? ------------------------------------------------------
def lookback() -> None:
    before = qm.previous_meeting(mstamp, meeting_id)
    if before is None:
        st.info(t("mt_no_previous", lang))
        return
    then = qm.meeting(mstamp, before)
    st.subheader(t("mt_lookback_of", lang, date=i18n.date(then["meeting_date"], lang)), anchor=False)
    judged = qm.judged(key, mstamp, lang, before)
    if judged.empty:
        st.info(t("mt_no_agreements_then", lang))
        return
    counts = judged["verdict"].value_counts()
    cols = st.columns(3)
    for col, verdict in zip(cols, ("held", "partly", "not_held")):
        col.metric(t(f"mt_count_{verdict}", lang), int(counts.get(verdict, 0)), border=True)
    st.caption(t("mt_verdict_rule", lang))
    if counts.get("open", 0):
        st.info(t("mt_open_unjudged", lang, count=int(counts["open"])), icon=":material/hourglass_empty:")
    ui.chart(charts_meeting.verdicts(judged, lang), config={"displayModeBar": False},
                    key="mt_verdicts")
    ui.table(views.table(judged, [
        ("agreement_id", "col_agreement_id", "text"), ("text", "col_agreement", "text"),
        ("owner", "col_owner", "text"), ("concerns", "col_concerns", "periods_in"),
        ("shortfall_before", "col_before", "qty"), ("shortfall_now", "col_now", "qty"),
        ("verdict_label", "col_verdict", "text")], lang), hide_index=True, key="mt_judged")


# --- 3: KPIs against the goals -------------------------------------------------------------------
def kpis() -> None:
    version = meeting.get("strategy_version_id")
    checks = qm.strategy_checks(key, mstamp, version, lang)
    fill = qm.fill_against_target(key, mstamp, version)
    ui.kpi_tiles(queries.kpis(key), {}, lang)
    count = checks["check"].value_counts()
    row = st.columns(4)
    for col, check, label in zip(row, ("class_a_short", "fill_rate", "band_over", "band_under"),
                                 ("kpi_class_a_short", "kpi_pmcs_below", "kpi_lines_over",
                                  "kpi_lines_under")):
        col.metric(t(label, lang), i18n.number(int(count.get(check, 0)), lang), border=True)
    left, right = st.columns([1, 1])
    with left:
        st.subheader(t("mt_fill_vs_target", lang), anchor=False)
        ui.chart(charts_meeting.fill_against_target(fill, lang), config={"displayModeBar": False},
                        key="mt_fill")
    with right:
        st.subheader(t("mt_lines_outside", lang), anchor=False)
        ui.chart(charts_meeting.band_breaches(checks, lang), config={"displayModeBar": False},
                        key="mt_bands")
    tabs = st.tabs([t("mt_class_a_short", lang), t("mt_pmcs_below", lang), t("mt_lines_outside", lang)])
    for tab, wanted, columns in (
            (tabs[0], ["class_a_short"], [("market", "col_market", "text"), ("period", "col_period", "period"),
                                          ("demand", "col_demand", "qty"), ("shortfall", "col_shortfall", "qty"),
                                          ("shortfall_hours", "col_shortfall_hours", "dec1")]),
            (tabs[1], ["fill_rate"], [("product", "col_product", "text"), ("market", "col_market", "text"),
                                      ("priority_class", "col_class", "class"), ("value", "col_fill_rate", "pct"),
                                      ("target", "col_target", "pct"), ("shortfall", "col_shortfall", "qty")]),
            (tabs[2], ["band_over", "band_under"], [("message", "col_check", "text")])):
        with tab:
            part = checks[checks["check"].isin(wanted)]
            if part.empty:
                st.caption(t("mt_no_class_a_short" if wanted == ["class_a_short"] else "mt_all_in_band", lang))
            else:
                ui.table(views.table(part, columns, lang), hide_index=True, key=f"mt_checks_{wanted[0]}")


# --- 4: top conflicts ----------------------------------------------------------------------------
def conflicts() -> None:
    st.caption(t("mt_top_hint", lang))
    # the overview's ten (warm since start-up), of which the agenda shows the first eight
    top = queries.top_conflicts(key, lang).head(8)
    covered = qm.marks_by_conflict(key, mstamp, lang)
    if top.empty:
        st.success(t("no_conflicts", lang))
    for r in top.itertuples():
        with st.container(border=True):
            a, b = st.columns([5, 1], vertical_alignment="center")
            a.markdown(f"#### {r.rank}\\. {ui.text(views.pmc_label(r.product, r.product_name, r.market, getattr(r, 'product_display', None)))} · "
                       f"{i18n.period(r.period, lang)}")
            a.markdown(f"{t('col_class', lang)} **{i18n.priority_class(r.priority_class)}** · "
                       f"{ui.conflict_shortfall(r, lang)}"
                       + (f" · {t('periods_short', lang, total=i18n.quantity(r.total_shortfall, r.unit, lang, 0), count=r.periods_short)}"
                          if r.periods_short > 1 else ""))
            if r.explanation:
                a.caption(ui.text(r.explanation))
            ui.agreement_mark(a, covered, r.product, r.market, lang)
            b.page_link(ui.CONFLICT, label=t("open", lang), icon=":material/arrow_forward:",
                        query_params={"product": r.product, "market": r.market, "period": r.period,
                                      "meeting": str(meeting_id), "step": str(step)})


# --- 5: decisions --------------------------------------------------------------------------------
def decisions() -> None:
    st.subheader(t("mt_decisions", lang), anchor=False)
    agreed = qm.agreements_in_units(key, mstamp, meeting_id)
    if agreed.empty:
        st.info(t("mt_no_decisions", lang))
        return
    shown = agreed.assign(lever=[lever_label(v, lang) for v in agreed["lever"]],
                          status=[status_label(s, lang) for s in agreed["status"]])
    columns = [("agreement_id", "col_agreement_id", "text"), ("text", "col_agreement", "text"),
               ("lever", "col_lever", "text"), ("owner", "col_owner", "text"), ("due_date", "col_due", "date"),
               ("goal_id", "col_goal", "text"), ("concerns", "col_concerns", "periods_in"),
               ("shortfall_before", "col_before", "qty"), ("status", "col_status", "text"),
               ("scenario", "col_scenario", "text")]
    if agreed["goal_id"].isna().all():  # room on the projector for what matters
        columns.remove(("goal_id", "col_goal", "text"))
    if "scenario" not in agreed or agreed["scenario"].isna().all():
        columns.remove(("scenario", "col_scenario", "text"))
    ui.table(views.table(shown, columns, lang), hide_index=True, key="mt_agreements")
    with st.expander(t("mt_edit", lang), icon=":material/edit:"):
        texts = {int(r.agreement_id): f"#{r.agreement_id} {r.text}" for r in agreed.itertuples()}
        picked = st.selectbox(t("mt_edit_pick", lang), list(texts), format_func=texts.get, key="mt_edit_pick")
        row = agreed[agreed["agreement_id"] == picked].iloc[0]
        goals = qm.strategy(mstamp).goals
        goal_ids = [None] + [str(g) for g in goals["goal_id"]]
        if row["goal_id"] and row["goal_id"] not in goal_ids:
            goal_ids.append(row["goal_id"])
        with st.form(f"mt_edit_form_{picked}_{row['revision']}", border=False):
            text = st.text_area(t("ag_text", lang), value=row["text"], key=f"mt_edit_text_{picked}")
            a, b, c, d = st.columns(4)
            lever = a.text_input(t("ag_lever", lang), value=lever_label(row["lever"], lang),
                                 key=f"mt_edit_lever_{picked}")
            owner = b.text_input(t("ag_owner", lang), value=row["owner"] or "", key=f"mt_edit_owner_{picked}")
            due = c.date_input(t("ag_due", lang), value=row["due_date"] if row["due_date"] is not None
                               and str(row["due_date"]) not in ("NaT", "None") else None,
                               key=f"mt_edit_due_{picked}", format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD")
            status = d.selectbox(t("col_status", lang), list(STATUSES), index=list(STATUSES).index(row["status"]),
                                 format_func=lambda s: status_label(s, lang), key=f"mt_edit_status_{picked}")
            goal = st.selectbox(t("ag_goal", lang), goal_ids,
                                index=goal_ids.index(row["goal_id"]) if row["goal_id"] in goal_ids else 0,
                                format_func=lambda g: g or t("ag_goal_none", lang), key=f"mt_edit_goal_{picked}")
            if st.form_submit_button(t("mt_save_edit", lang), type="primary", key="mt_edit_save",
                                     disabled=not access.may("meeting")):
                # a model lever keeps its key when its label was left as it was
                unchanged = lever == lever_label(row["lever"], lang)
                try:
                    revision = qm.edit_agreement(
                        picked, text=text, lever=row["lever"] if unchanged else (lever.strip() or None),
                        owner=owner.strip() or None, due_date=due, status=status, goal_id=goal)
                except Exception as exc:  # a UserError (empty text) in words
                    ui.fail(exc, lang)
                else:
                    st.session_state["_mt_edit_saved"] = revision
                    st.rerun()
        if (revision := st.session_state.pop("_mt_edit_saved", None)) is not None:
            st.success(t("mt_edit_saved", lang, revision=revision))
        st.markdown(f"**{t('mt_history', lang)}**")
        history = qm.agreement_history(mstamp, picked)
        ui.table(views.table(history.assign(lever=[lever_label(v, lang) for v in history["lever"]]), [
            ("revision", "col_revision", "text"), ("revised_at", "col_revised", "datetime"),
            ("user_name", "col_user", "text"), ("text", "col_agreement", "text"),
            ("lever", "col_lever", "text"), ("owner", "col_owner", "text"),
            ("due_date", "col_due", "date"), ("status", "col_status", "text")], lang),
            hide_index=True, key="mt_history")


{1: what_changed, 2: lookback, 3: kpis, 4: conflicts, 5: decisions}[step]()

st.divider()
back, _, forward = st.columns([1, 4, 1])
back.button(t("mt_back", lang), icon=":material/arrow_back:", on_click=_go, args=(-1,), key="mt_back",
            disabled=step == STEPS[0], width="stretch")
forward.button(t("mt_next", lang), icon=":material/arrow_forward:", on_click=_go, args=(1,), key="mt_next",
               disabled=step == STEPS[-1], width="stretch", type="primary")
