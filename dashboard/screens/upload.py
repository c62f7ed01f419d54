"""Upload: check exports (what was recognised, every error), map unknown columns, store, versions."""
import hashlib

import pandas as pd
import streamlit as st

from dashboard.queries import meeting as qm
from pipelines import auth

from dashboard import access, i18n, queries, templates, ui, views
from dashboard.i18n import t
from pipelines.text import render
from pipelines.text.tables import (as_of_text, change_keys, change_summary, change_totals_frame,
                                   change_totals_title, reconciliation_frame, skipped_frame)

lang = ui.lang()
limit_mb = float(queries.settings().max_file_mb)
KINDS = ("forecast", "capacity", "plan", "products", "alternates", "markets", "actuals")
MAPPING_ERRORS = {"kind_unknown", "kind_mismatch", "header_not_found", "duplicate_header",
                  "mapping_header_missing", "measure_not_quantity"}


def kind_label(kind: str | None) -> str:
    from pipelines.text import kind_label as label
    return t("upload_kind_auto", lang) if kind is None else label(kind, lang)


def error_table(errors) -> pd.DataFrame:
    rows = [{"file": e.file, "sheet": e.sheet, "row": e.row, "column": e.column, "header": e.header,
             "value": e.value, "message": e.message(lang)} for e in errors]
    return views.table(pd.DataFrame(rows), [
        ("sheet", "col_sheet", "text"), ("row", "col_row", "text"), ("column", "col_column", "text"),
        ("header", "col_header", "text"), ("value", "col_value", "text"),
        ("message", "col_message", "text")], lang)


def sheet_table(read) -> pd.DataFrame:
    from pipelines.text import field_label
    rows = [{"sheet": s.sheet, "kind": kind_label(s.kind) if s.kind else "–",
             "layout": t(f"layout_{s.layout}", lang) if s.layout else "–",
             "grain": t(f"grain_{s.grain}", lang) if s.grain else "–",
             "header_row": s.header_row, "rows": _sheet_rows(s.frame),
             "records": len(s.frame) if s.frame is not None else 0,
             "skipped": s.skipped_rows, "totals": s.totals_rows,
             "columns": ", ".join(f"{field_label(f, lang)} ← {h}"
                                  for f, h in {**(s.columns or {}), **(s.aux_columns or {})}.items())}
            for s in read.sheets]
    return views.table(pd.DataFrame(rows), [
        ("sheet", "col_sheet", "text"), ("kind", "col_kind", "text"), ("layout", "col_layout", "text"),
        ("grain", "col_grain", "text"), ("header_row", "col_header_row", "text"),
        ("rows", "col_rows", "int"), ("records", "col_records", "int"), ("skipped", "col_skipped", "int"),
        ("totals", "col_totals", "int"), ("columns", "col_columns", "text")], lang)


def _sheet_rows(frame) -> int:
    """The sheet's rows read, as the user counts them in Excel: a wide sheet's 10,000 rows make
    1,040,000 records (one per row and period), shown beside them."""
    if frame is None or not len(frame):
        return 0
    return int(frame["_row"].nunique()) if "_row" in frame.columns else len(frame)


def progress_bar(file_name: str):
    bar = st.progress(0.0, text=t("upload_reading", lang, file=file_name))

    def report(stage: str, fraction: float) -> None:
        stage_text = t(f"stage_{stage}", lang) if f"stage_{stage}" in i18n.TEXTS else stage
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=f"{ui.text(file_name)}: {stage_text}")
    return bar, report


def mapping_form(name: str, digest: str, result) -> None:
    """Unknown headers: the user names which column holds which field; ingest remembers it."""
    from pipelines.contract import KINDS as SPEC
    from pipelines.text import field_label
    headers = sorted({str(h) for s in (result.read.sheets if result.read else [])
                      for h in (s.headers or []) if h is not None and str(h).strip()})
    if not headers:
        return
    with st.expander(t("mapping_title", lang), expanded=True):
        st.caption(t("mapping_hint", lang))
        kind = st.selectbox(t("col_kind", lang), KINDS, key=f"map_kind_{digest}",
                            format_func=kind_label)
        mapping = {}
        cols = st.columns(3)
        for i, field in enumerate(SPEC[kind].fields):
            label = field_label(field, lang) + (" *" if field in SPEC[kind].required else "")
            choice = cols[i % 3].selectbox(label, [None] + headers, key=f"map_{digest}_{field}",
                                           format_func=lambda h: t("mapping_none", lang) if h is None else h)
            if choice:
                mapping[field] = choice
        c1, c2 = st.columns(2)
        header_row = c1.number_input(render("mapping_header_row", lang), min_value=0, max_value=25,
                                     value=0, step=1, key=f"map_header_row_{digest}",
                                     help=render("mapping_header_row_help", lang))
        measure = c2.text_input(render("mapping_measure", lang), key=f"map_measure_{digest}",
                                help=render("mapping_measure_help", lang)).strip()
        if st.button(t("mapping_apply", lang), key=f"map_apply_{digest}", type="primary"):
            st.session_state[f"mapping_{digest}"] = (kind, mapping, int(header_row) or None, measure or None)
            st.rerun()


st.title(t("page_upload", lang))

with st.expander(t("upload_kind", lang)):
    c1, c3 = st.columns(2)
    forced_kind = c1.selectbox(t("upload_kind", lang), [None, *KINDS], format_func=kind_label,
                               key="upload_kind")
    # the date given here applies to every file; each preview proposes its own and may change it
    as_of = c3.date_input(t("upload_as_of", lang), value=None, key="upload_as_of",
                          format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD",
                          help=render("as_of_auto_help", lang))
    merge = st.checkbox(t("upload_merge", lang), key="upload_merge")

files = st.file_uploader(t("upload_files", lang), type=["xlsx", "xlsm", "xls", "ods", "csv"],
                         accept_multiple_files=True, key="upload_files", max_upload_size=int(limit_mb),
                         help=t("upload_limit", lang, mb=i18n.number(limit_mb, lang)))

def show_changes(staged, digest: str, merge: bool) -> None:
    """What storing would change against the current version of each kind (computed in pipelines)."""
    key = f"changes_{digest}_{merge}"
    if key not in st.session_state:
        st.session_state[key] = staged.result.changes if staged.merge == merge and \
            staged.result.changes else queries.upload_changes(staged, merge)
    list_changes(st.session_state[key], digest, "changes_title")


def list_changes(changes: list, digest: str, title: str) -> None:
    """The changes of one upload against the version before it, under `title`."""
    if not changes:
        return
    st.markdown(f"**{render(title, lang)}**")
    for n, change in enumerate(changes):
        st.text(change_summary(change, lang))
        if change.totals and change.base_version is not None:
            st.caption(ui.text(change_totals_title(change, lang)))
            st.dataframe(change_totals_frame(change, lang), hide_index=True, key=f"changes_{digest}_{n}")
        for line in change_keys(change, lang):
            st.text(line)


for upload in files or []:
    data = upload.getvalue()
    # the one hash of these bytes, kept per uploaded file: reruns, the preview and storing reuse it
    hashed = f"sha256_{upload.file_id}"
    if hashed not in st.session_state:
        st.session_state[hashed] = hashlib.sha256(data).hexdigest()
    sha256 = st.session_state[hashed]
    digest = sha256[:16]
    st.divider()
    if len(data) > limit_mb * 1024 * 1024:
        st.error(t("upload_too_large", lang, file=upload.name,
                   size=i18n.number(len(data) / 1024 / 1024, lang, 1), mb=i18n.number(limit_mb, lang)))
        continue
    mapped_kind, mapping, header_row, measure = st.session_state.get(f"mapping_{digest}",
                                                                     (None, None, None, None))
    kind = mapped_kind or forced_kind
    stored = st.session_state.get(f"stored_{digest}")
    shape = {"header_row": header_row, "measure": measure}
    check_key = f"check_{digest}_{kind}_{sorted((mapping or {}).items())}_{header_row}_{measure}"
    staged = None
    if stored is not None:
        check = stored
    elif check_key in st.session_state:
        staged = st.session_state[check_key]
        check = staged.result
    else:
        bar, report = progress_bar(upload.name)
        staged = queries.stage_upload(data, upload.name, kind=kind, mapping=mapping, merge=merge,
                                      sha256=sha256, progress=report, **shape)
        bar.empty()
        st.session_state[check_key] = staged
        check = staged.result
    if not check.ok:
        st.error(t("upload_refused", lang, file=upload.name, count=len(check.errors)),
                 icon=":material/block:")
        ui.table(error_table(check.errors), hide_index=True, key=f"errors_{digest}",
                     column_config={t("col_message", lang): st.column_config.TextColumn(width="large")})
        if check.read is not None and check.read.skipped_sheets:
            st.caption(render("skipped_title", lang))
            st.dataframe(skipped_frame(check, lang), hide_index=True, key=f"skipped_{digest}")
        if {e.key for e in check.errors} & MAPPING_ERRORS:
            mapping_form(upload.name, digest, check)
        continue
    if stored is None:
        st.markdown(f"**{t('upload_preview', lang, file=upload.name)}**")
    else:
        versions = ", ".join(f"{kind_label(v.kind)} #{v.version}" for v in stored.versions)
        key = "upload_existing" if stored.existing else "upload_stored"
        st.success(t(key, lang, file=upload.name, versions=versions), icon=":material/check_circle:")
    if check.read is not None:
        ui.table(sheet_table(check.read), hide_index=True, key=f"sheets_{digest}",
                     column_config={t("col_columns", lang): st.column_config.TextColumn(width="large")})
        if check.reconciliation:
            st.caption(render("reconciliation_title", lang))
            st.dataframe(reconciliation_frame(check, lang), hide_index=True, key=f"reconciliation_{digest}")
        if check.read.skipped_sheets:
            st.caption(render("skipped_title", lang))
            st.dataframe(skipped_frame(check, lang), hide_index=True, key=f"skipped_{digest}")
    if (as_of_line := as_of_text(check, lang)) is not None:
        st.text(as_of_line)
    if check.warnings:
        st.markdown(f"**{t('warnings', lang)}**")
        st.markdown("\n".join(f"- {ui.text(w.message(lang))}" for w in check.warnings))
    kinds = sorted({s.kind for s in (check.read.sheets if check.read else []) if s.kind} | ({kind} if kind else set()))
    refused = [k for k in kinds if not auth.may_upload(access.role(), k)]
    if stored is None and refused:
        allowed = [kind_label(k) for k in KINDS if auth.may_upload(access.role(), k)]
        st.error(t("access_upload_refused", lang, file=upload.name, role=access.role_name(access.role(), lang),
                   kinds=", ".join(kind_label(k) for k in refused),
                   allowed=t("access_upload_allowed", lang, kinds=", ".join(allowed)) if allowed
                   else t("access_nothing", lang)), icon=":material/lock:")
        continue
    store_now = False
    if stored is not None and not stored.existing:
        list_changes(st.session_state.get(f"stored_changes_{digest}") or [], digest, "changes_title_stored")
    if stored is None:
        show_changes(staged, digest, merge)
        # as-of and label in one form with the store button: typing them starts no rerun, so a
        # date committed while the label is typed can no longer reset the label (it did, in a real
        # browser: the date commits on blur and its rerun remounted the label's input)
        with st.form(key=f"store_form_{digest}", border=False, enter_to_submit=False):
            c1, c2 = st.columns(2)
            chosen_as_of = None
            if check.as_of is not None:
                chosen_as_of = c1.date_input(render("upload_as_of_preview", lang),
                                             value=as_of or check.as_of, key=f"as_of_{digest}_{as_of}",
                                             format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD")
            version_label = c2.text_input(t("upload_label", lang), key=f"label_{digest}").strip() or None
            store_now = st.form_submit_button(t("upload_store", lang), key=f"store_{digest}",
                                              type="primary", icon=":material/save:")
    if stored is None and store_now:
        _, report = progress_bar(upload.name)
        result = queries.store_upload(
            staged, as_of=chosen_as_of if chosen_as_of != check.as_of else None, label=version_label,
            merge=merge, progress=report, user=qm.current_user())
        st.session_state[f"stored_{digest}"] = result
        if result.ok:  # what the preview said storing changes, kept in the past tense
            st.session_state[f"stored_changes_{digest}"] = st.session_state.get(f"changes_{digest}_{merge}")
        for key in [k for k in st.session_state if str(k).startswith((f"check_{digest}", f"changes_{digest}"))]:
            del st.session_state[key]  # the parsed file is not needed once stored
        st.rerun()

# --- versions and templates ----------------------------------------------------------------------
st.divider()
st.subheader(t("versions_title", lang))
versions = queries.versions(queries.stamp())
if versions.empty:
    st.caption(t("versions_empty", lang))
else:
    shown = versions.assign(kind=versions["kind"].map(kind_label),
                            mode=versions["mode"].map(lambda m: t(f"mode_{m}", lang)
                                                      if f"mode_{m}" in i18n.TEXTS else m))
    ui.table(views.table(shown, [
        ("version", "col_version", "text"), ("kind", "col_kind", "text"),
        ("label", "col_label", "text"), ("file_name", "col_file", "text"),
        ("as_of", "col_as_of", "date"), ("created_at", "col_created", "datetime"),
        ("rows", "col_rows", "int"), ("mode", "col_mode", "text"),
        ("user_name", "col_user", "text")], lang), hide_index=True, key="version_list")
st.subheader(t("templates_title", lang))
st.caption(t("templates_hint", lang))
for column, kind in zip(st.columns(len(KINDS)), KINDS):
    with column:
        st.markdown(f"**{kind_label(kind)}**")
        for template_lang in ("de", "en"):
            st.download_button(
                template_lang.upper(), templates.template(kind, template_lang),
                file_name=f"einklang_{kind}_{template_lang}.xlsx", key=f"tpl_{kind}_{template_lang}",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                icon=":material/download:", on_click="ignore",
                help=t(f"template_{template_lang}", lang))
