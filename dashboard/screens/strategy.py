"""Strategy and goals: classes per market/PMC, utilisation band per line, fill-rate targets, goals;
every save a new version with time and user; Excel export and import."""
import pandas as pd
import streamlit as st

from dashboard import access, i18n, queries, ui, views
from dashboard.queries import meeting as qm
from dashboard.i18n import t, t_text
from pipelines.store.strategy import PART_SHEETS

lang = ui.lang()
CLASSES = ["A", "B", "C"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.title(t("page_strategy", lang))
st.caption(t("sg_intro", lang))
mstamp = qm.meeting_stamp()
current = qm.strategy(mstamp)
vid = current.version_id or 0
if current.version_id is None:
    st.info(t("sg_defaults", lang), icon=":material/info:")
else:
    st.caption(t("sg_current", lang, version=vid, when=i18n.datetime(current.created_at, lang),
                 user=current.user or "–"))
if (saved := st.session_state.pop("_sg_saved", None)) is not None:
    st.success(t("sg_saved", lang, version=saved), icon=":material/check_circle:")
if kept := st.session_state.pop("_sg_kept", None):  # an import without some of the four sheets
    st.info(t("sg_import_kept", lang, parts=", ".join(t_text(PART_SHEETS[p], lang) for p in kept)),
            icon=":material/info:")
if unread := st.session_state.pop("_sg_unread", None):  # a comment column beside a table
    st.info(t("sg_import_unread", lang, columns=", ".join(unread)), icon=":material/info:")

# what the plan knows, offered in the editors' drop-downs
choice = ui.plan()
lines, markets = [], []
if choice.has_forecast:
    try:
        lines = sorted(queries.line_load(choice.current)["line"].dropna().astype(str).unique())
        markets = sorted(queries.demand_by(choice.current, "market")["group"].dropna().astype(str).unique())
    except Exception:  # noqa: BLE001 - the editor works without a plan
        lines, markets = [], []


current = qm.editable_strategy(mstamp, choice.current if markets else None, tuple(lines))


def _letter(value) -> str | None:
    return None if value is None or pd.isna(value) else i18n.priority_class(value)


def _pct(value) -> str | None:
    return views.percent_text(value, lang)


def _percent_column(header: str) -> st.column_config.TextColumn:
    """Text, not a number column: the number column turns "xyz" into 0 and clamps without a word;
    views.percent_entries refuses such entries by row and value instead."""
    return st.column_config.TextColumn(t(header, lang), required=True)


def _choices(known: list[str], stored: pd.Series) -> list[str]:
    return sorted(set(known) | {str(v) for v in stored.dropna()}, key=str.casefold)


def _pick(header: str, options: list[str], required: bool = False):
    """A drop-down column when the plan offers values, else free text."""
    if options:
        return st.column_config.SelectboxColumn(t(header, lang), options=options, required=required)
    return st.column_config.TextColumn(t(header, lang), required=required)


left, right = st.columns(2)
with left:
    ui.heading(t("sg_priorities", lang), t("sg_priorities_hint", lang))
    priorities = st.data_editor(
        current.priorities.assign(priority_class=current.priorities["priority_class"].map(_letter)),
        num_rows="dynamic", hide_index=True, placeholder="", key=f"sg_priorities_{vid}", width="stretch",
        column_order=["market", "product", "priority_class"],
        column_config={"market": _pick("col_market", _choices(markets, current.priorities["market"]), True),
                       "product": st.column_config.TextColumn(t("col_product", lang)),
                       "priority_class": st.column_config.SelectboxColumn(t("col_class", lang), options=CLASSES,
                                                                         required=True)})
    ui.heading(t("sg_targets", lang), t("sg_targets_hint", lang))
    targets = st.data_editor(
        current.fill_targets.assign(priority_class=current.fill_targets["priority_class"].map(_letter),
                                    target=current.fill_targets["target"].map(_pct).astype("string")),
        num_rows="dynamic", hide_index=True, placeholder="", key=f"sg_targets_{vid}", width="stretch",
        column_order=["priority_class", "market", "target"],
        column_config={"priority_class": st.column_config.SelectboxColumn(t("col_class", lang), options=CLASSES),
                       "market": _pick("col_market", _choices(markets, current.fill_targets["market"])),
                       "target": _percent_column("col_target_pct")})
with right:
    ui.heading(t("sg_bands", lang), t("sg_bands_hint", lang))
    bands = st.data_editor(
        current.bands.assign(min_utilization=current.bands["min_utilization"].map(_pct).astype("string"),
                             max_utilization=current.bands["max_utilization"].map(_pct).astype("string")),
        num_rows="dynamic", hide_index=True, placeholder="", key=f"sg_bands_{vid}", width="stretch",
        column_order=["line", "min_utilization", "max_utilization"],
        column_config={"line": _pick("col_line", _choices(lines, current.bands["line"]), True),
                       "min_utilization": _percent_column("col_band_low"),
                       "max_utilization": _percent_column("col_band_high")})
    ui.heading(t("sg_goals", lang), t("sg_goals_hint", lang))
    goals = st.data_editor(
        current.goals.assign(active=current.goals["active"].fillna(True).astype(bool)),
        num_rows="dynamic", hide_index=True, placeholder="", key=f"sg_goals_{vid}", width="stretch",
        column_order=["goal_id", "text", "active"], disabled=["goal_id"],
        column_config={"goal_id": st.column_config.TextColumn(t("col_goal_id", lang), width="small"),
                       "text": st.column_config.TextColumn(t("col_goal_text", lang), width="medium"),
                       "active": st.column_config.CheckboxColumn(t("col_active", lang), default=True)})

note_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
note = note_col.text_input(t("sg_note", lang), key=f"sg_note_{vid}")
may_edit = access.may("strategy")
saving = save_col.button(t("sg_save", lang), type="primary", icon=":material/save:", key="sg_save",
                         width="stretch", disabled=not may_edit)
if not may_edit:
    st.caption(access.refused("strategy", lang))
if saving:
    band_shares, band_problems = views.percent_entries(
        bands, {"min_utilization": t("col_band_low", lang), "max_utilization": t("col_band_high", lang)},
        t("sg_bands", lang), lang, 0, 200)
    target_shares, target_problems = views.percent_entries(
        targets, {"target": t("col_target_pct", lang)}, t("sg_targets", lang), lang, 0, 100)
    if problems := band_problems + target_problems:
        st.error(t("strategy_numbers_refused", lang, count=len(problems)), icon=":material/block:")
        for problem in problems:
            st.caption(ui.text(problem))
        saving = False
if saving:
    edited = qm.new_strategy(priorities=priorities, bands=band_shares, fill_targets=target_shares, goals=goals)
    try:
        st.session_state["_sg_saved"] = qm.save_strategy(edited, note)
    except qm.Rejected as refused:
        st.error(t("sg_refused", lang, count=len(refused.errors)), icon=":material/block:")
        # the editor's own section names, not the stored tables' ("bands", "fill_targets")
        section = {"priorities": t_text("sg_priorities", lang), "bands": t_text("sg_bands", lang),
                   "fill_targets": t_text("sg_targets", lang), "goals": t_text("sg_goals", lang)}
        ui.table(views.table(pd.DataFrame(
            [{"sheet": section.get(e.sheet, e.sheet), "row": e.row, "value": e.value,
              "message": e.message(lang)} for e in refused.errors]), [
            ("sheet", "col_table", "text"), ("row", "col_row", "text"), ("value", "col_value", "text"),
            ("message", "col_message", "text")], lang), hide_index=True, key="sg_errors")
    else:
        st.rerun()

st.divider()
history_col, excel_col = st.columns([2, 1])
with history_col:
    st.subheader(t("sg_history", lang), anchor=False)
    history = qm.strategy_history(mstamp)
    if history.empty:
        st.caption(t("sg_defaults", lang))
    else:
        counts = [f"{r.priorities} · {r.bands} · {r.fill_targets} · {r.goals}" for r in history.itertuples()]
        ui.table(views.table(history.assign(counts=counts), [
            ("strategy_version_id", "col_version", "text"), ("created_at", "col_created", "datetime"),
            ("user_name", "col_user", "text"), ("note", "col_note", "text"), ("source", "col_source", "text"),
            ("counts", "col_counts", "text")], lang), hide_index=True, key="sg_history")
with excel_col:
    st.subheader(t("sg_excel", lang), anchor=False)
    st.download_button(t("sg_export", lang), qm.strategy_workbook(mstamp, lang),
                       file_name=f"Einklang_Strategie_v{vid}.xlsx", mime=XLSX, key="sg_export",
                       icon=":material/download:", on_click="ignore", width="stretch")
    upload = st.file_uploader(t("sg_import", lang), type=["xlsx", "xlsm", "xls", "ods"], key="sg_import_file")
    if upload is not None and st.button(t("sg_import_button", lang), key="sg_import", icon=":material/upload:",
                                        disabled=not may_edit):
        try:
            report = qm.import_strategy(upload.getvalue(), upload.name)
            st.session_state["_sg_saved"], st.session_state["_sg_kept"] = report.version_id, report.kept
            st.session_state["_sg_unread"] = report.unread
        except qm.Rejected as refused:
            st.error(t("sg_refused", lang, count=len(refused.errors)), icon=":material/block:")
            ui.table(views.table(pd.DataFrame(
                [{"file": e.file, "sheet": e.sheet, "row": e.row, "column": e.column, "header": e.header,
                  "value": e.value, "message": e.message(lang)} for e in refused.errors]), [
                ("file", "col_file", "text"), ("sheet", "col_sheet", "text"), ("row", "col_row", "text"),
                ("column", "col_column", "text"), ("header", "col_header", "text"),
                ("value", "col_value", "text"), ("message", "col_message", "text")], lang),
                hide_index=True, key="sg_import_errors")
        else:
            st.rerun()
