"""Read -> validate -> store: one upload becomes versions in one transaction, or nothing."""
from __future__ import annotations

import copy
import datetime as dt
import getpass
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from pipelines import store
from pipelines.contract import KINDS
from pipelines.errors import UserError
from pipelines.read import ReadResult, read_file
from pipelines.settings import Settings, load_settings
from pipelines.text import kind_label
from pipelines.store.validate import FOLDED_KEYS, KindBatch, canonical_keys, combine, fold_key

Progress = Callable[[str, float], None]
INSERT_SLICE = 1_000_000


@dataclass
class VersionInfo:
    kind: str
    version: int | None
    rows: int
    merged_rows: int
    skipped_rows: int
    sheets: list[str]
    grain: str | None
    layout: str
    header_row: int
    dropped_duplicates: int = 0
    existing: bool = False

    def to_dict(self) -> dict:
        return {"kind": self.kind, "version": self.version, "rows": self.rows,
                "merged_rows": self.merged_rows, "skipped_rows": self.skipped_rows,
                "sheets": self.sheets, "grain": self.grain, "layout": self.layout,
                "header_row": self.header_row, "dropped_duplicates": self.dropped_duplicates,
                "existing": self.existing}


@dataclass
class IngestResult:
    """What an upload did (or, as a dry run, would do)."""

    file: str
    status: str                      # 'ok' | 'rejected'
    versions: list[VersionInfo] = field(default_factory=list)
    errors: list[UserError] = field(default_factory=list)
    warnings: list[UserError] = field(default_factory=list)
    new: dict[str, list[str]] = field(default_factory=lambda: {"products": [], "markets": []})
    read: ReadResult | None = None
    existing: bool = False
    reconciliation: list[dict] = field(default_factory=list)
    as_of: dt.date | None = None        # the forecast's as-of date (given, from the name, or today)
    as_of_source: str | None = None     # 'given' | 'name' | 'today'
    changes: list = field(default_factory=list)  # store.changes.KindChange per kind, against current

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def skipped_sheets(self, lang: str = "de") -> list[dict]:
        from pipelines.text.catalogue import SKIP_REASONS

        return [{"sheet": sheet, "reason": reason,
                 "why": SKIP_REASONS.get(reason, {}).get(lang, reason)}
                for sheet, reason in (self.read.skipped_sheets if self.read else [])]

    def to_dict(self, lang: str = "de") -> dict:
        if not self.ok:
            return {"status": "rejected", "errors": [e.to_dict(lang) for e in self.errors],
                    "skipped_sheets": self.skipped_sheets(lang)}
        return {"status": "ok", "versions": [v.to_dict() for v in self.versions],
                "warnings": [w.message(lang) for w in self.warnings], "new": self.new,
                "existing": self.existing, "reconciliation": self.reconciliation,
                "skipped_sheets": self.skipped_sheets(lang),
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "as_of_source": self.as_of_source,
                "changes": [c.to_dict() for c in self.changes]}


def ingest_file(con: duckdb.DuckDBPyConnection, path: str | Path, **kwargs) -> IngestResult:
    """Ingest a file from disk (see `ingest_bytes`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return IngestResult(file=path.name, status="rejected",
                            errors=[UserError("unreadable", file=path.name, params={"detail": str(exc)})])
    return ingest_bytes(con, data, path.name, **kwargs)


def ingest_bytes(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, *,
                 kind: str | None = None, merge: bool = False, as_of: dt.date | str | None = None,
                 label: str | None = None, user: str | None = None,
                 mapping: dict[str, str] | None = None, settings: Settings | None = None,
                 progress: Progress | None = None, dry_run: bool = False,
                 hidden_sheets: tuple[str, ...] | list[str] = (), header_row: int | None = None,
                 measure: str | None = None) -> IngestResult:
    """Read, validate and store one upload: every kind in it becomes a version, all or nothing.

    With `dry_run`, nothing is stored; the result shows what was recognised, every error and
    what would change against the current versions (`changes`).
    """
    errors = _check_arguments(file_name, kind, as_of)
    if errors:
        return IngestResult(file=file_name, status="rejected", errors=errors)
    sha256 = hashlib.sha256(data).hexdigest()
    if not dry_run and (existing := _existing_result(con, sha256, file_name)) is not None:
        return existing
    staged = stage(con, data, file_name, kind=kind, mapping=mapping, settings=settings,
                   progress=progress, hidden_sheets=hidden_sheets, header_row=header_row,
                   measure=measure, as_of=as_of, sha256=sha256, merge=merge, diff=dry_run)
    if dry_run or not staged.result.ok:
        return staged.result
    return store_staged(con, staged, merge=merge, label=label, user=user, settings=settings,
                        progress=progress)


@dataclass
class Staged:
    """An upload read and validated, not stored yet: the preview shows it and storing writes it,
    so a file is read, validated and hashed once however long the user looks at the preview."""

    file_name: str
    data: bytes
    sha256: str
    result: IngestResult
    batches: list[KindBatch]
    mapping: dict[str, str] | None = None
    merge: bool = False  # the merge choice `result.changes` was computed for

    def changes(self, con, merge: bool = False) -> list:
        """What storing would change against the current versions (see `store.changes`)."""
        from pipelines.store.changes import changes
        if not self.result.ok:
            return []
        written: dict[str, str] = {}
        for sheet in sorted(self.result.read.sheets if self.result.read else [],
                            key=lambda s: s.kind != "products"):
            for normal, text in sheet.product_display.items():
                written.setdefault(normal, text)
        return changes(con, self.batches, merge, written)


def stage(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, *,
          kind: str | None = None, mapping: dict[str, str] | None = None,
          settings: Settings | None = None, progress: Progress | None = None,
          hidden_sheets: tuple[str, ...] | list[str] = (), header_row: int | None = None,
          measure: str | None = None, as_of: dt.date | str | None = None,
          sha256: str | None = None, merge: bool = False, diff: bool = True) -> Staged:
    """Read and validate one upload against the store, storing nothing; with `diff`,
    `result.changes` holds what storing it (with or without `merge`) would change.
    `sha256` saves hashing the bytes again."""
    settings = settings or load_settings()
    progress = progress or (lambda stage, fraction: None)
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    errors = _check_arguments(file_name, kind, as_of)
    if errors:
        return Staged(file_name, data, sha256, IngestResult(file=file_name, status="rejected",
                                                            errors=errors), [], mapping)
    given_as_of = _as_date(as_of)

    progress("read", 0.0)
    read = read_file(data, file_name, kind=kind, mapping=mapping,
                     known_mappings=_known_mappings(con), settings=settings, hidden_sheets=hidden_sheets,
                     header_row=header_row, measure=measure, sha256=sha256,
                     progress=lambda stage, f: progress("read" if stage == "done" else stage, 0.8 * f))
    result = IngestResult(file=file_name, status="ok", read=read)
    staged = Staged(file_name, data, sha256, result, [], mapping, merge)
    as_of_date, result.as_of_source = (given_as_of, "given") if given_as_of else \
        default_as_of(file_name, [s.sheet for s in read.sheets if s.kind == "forecast"])
    if any(s.kind == "forecast" for s in read.sheets):
        result.as_of = as_of_date
    if not read.ok:
        result.status, result.errors = "rejected", read.all_errors()
        return staged

    progress("validate", 0.8)
    for sheet in read.sheets:
        sheet.frame = compact(sheet.frame)
    batches, errors = _batches(read, file_name)
    _fold_keys(batches, _known_keys(con))
    if errors:
        result.status, result.errors = "rejected", errors
        return staged

    staged.batches = batches
    result.new = _new_keys(con, batches)
    result.warnings = _warnings(file_name, batches, read, result.new)
    result.versions = [_version_info(b) for b in batches]
    result.reconciliation = reconcile(read, batches)
    if diff:
        result.changes = staged.changes(con, merge)
    return staged


def store_staged(con: duckdb.DuckDBPyConnection, staged: Staged, *, merge: bool = False,
                 as_of: dt.date | str | None = None, label: str | None = None,
                 user: str | None = None, settings: Settings | None = None,
                 progress: Progress | None = None) -> IngestResult:
    """Store an upload `stage` read and validated, in one transaction: nothing is read again.
    `as_of` overrides the date the preview proposed; the same bytes stored meanwhile return the
    existing versions."""
    if not staged.result.ok:
        return staged.result
    if (existing := _existing_result(con, staged.sha256, staged.file_name)) is not None:
        return existing
    errors = _check_arguments(staged.file_name, None, as_of)
    if errors:
        return IngestResult(file=staged.file_name, status="rejected", errors=errors)
    settings = settings or load_settings()
    progress = progress or (lambda stage, fraction: None)
    result = copy.copy(staged.result)
    result.versions = [copy.copy(v) for v in staged.result.versions]
    if (given := _as_date(as_of)) is not None and result.as_of is not None:
        result.as_of, result.as_of_source = given, "given"
    batches = staged.batches
    _fold_keys(batches, _known_keys(con))  # a key another upload stored since the preview
    progress("store", 0.85)
    user = user or settings.user or _os_user()
    with store.transaction(con):
        _store_file(con, staged.sha256, staged.file_name, staged.data)
        for batch, info in zip(batches, result.versions):
            info.version, info.rows = _store_version(
                con, batch, file_name=staged.file_name, sha256=staged.sha256, user=user, label=label,
                as_of=result.as_of if batch.kind == "forecast" else None,
                merge=merge or KINDS[batch.kind].merge_within_periods)
        _store_keys(con, batches, result.versions)
        _store_product_display(con, result.read, result.versions)
        _remember_mappings(con, batches, staged.mapping)
    progress("done", 1.0)
    return result


def _fold_keys(batches: list[KindBatch], known: dict[tuple[str, str], str]) -> None:
    for batch in batches:
        # keys fold the same way across the sheets of one upload too: the forecast's `LEH SÜD`
        # and the markets sheet's `LEH Süd` are one market, shown as first seen
        batch.frame = canonical_keys(batch.frame, known)
        for column, key_type in FOLDED_KEYS.items():
            if column in batch.frame.columns:
                for text in pd.unique(batch.frame[column].dropna()):
                    known.setdefault((key_type, fold_key(text)), str(text))


def _existing_result(con, sha256: str, file_name: str) -> IngestResult | None:
    existing = _existing_versions(con, sha256)
    if not existing:
        return None
    return IngestResult(file=file_name, status="ok", versions=existing, existing=True,
                        warnings=[UserError("same_file", file=file_name, params={
                            "version": ", ".join(str(v.version) for v in existing),
                            "kind": existing[0].kind})])


_CYCLE_WEEK = re.compile(r"(?<![a-z])(?:kw|cw|wk|w)\s*(\d{1,2})\s*(?:[-/.]\s*)?((?:19|20)\d{2}|\d{2})(?!\d)|"
                         r"((?:19|20)\d{2})\s*(?:[-/.]\s*)?(?:kw|cw|wk|w)\s*(\d{1,2})(?!\d)")


def default_as_of(file_name: str, sheet_names: list[str], today: dt.date | None = None) -> tuple[dt.date, str]:
    """The forecast's as-of date: the Monday of the cycle week the file or sheet name gives
    (`Absatzplanung_KW48_2026.xlsx`), else the upload day (spec section 4)."""
    for name in [file_name.rsplit("/", 1)[-1], *sheet_names]:
        folded = re.sub(r"[_\s]+", " ", name.lower())
        for m in _CYCLE_WEEK.finditer(folded):
            week, year = (m[1], m[2]) if m[1] else (m[4], m[3])
            year_no = int(year) + (2000 if len(year) == 2 else 0)
            try:
                return dt.date.fromisocalendar(year_no, int(week), 1), "name"
            except ValueError:
                continue
    return today or dt.date.today(), "today"


def stored_frame(batch: KindBatch) -> pd.DataFrame:
    """The rows of a batch as they go into the store (zero rows of additive kinds carry nothing)."""
    return _stored_rows(batch, batch.frame.reindex(columns=list(store.DATA_COLUMNS[batch.kind])))


def _carried(batch: KindBatch, frame: pd.DataFrame) -> pd.Series | None:
    """Which rows carry something into the store: zero rows of additive kinds carry nothing
    (None: every row)."""
    spec = KINDS[batch.kind]
    return frame[spec.wide_value].fillna(0) != 0 if spec.additive else None


def _stored_rows(batch: KindBatch, frame: pd.DataFrame) -> pd.DataFrame:
    carried = _carried(batch, frame)
    return frame if carried is None else frame[carried]


def reconcile(read: ReadResult, batches: list[KindBatch]) -> list[dict]:
    """Per accepted sheet: cells and sum read against the sum stored, the totals rows and columns
    checked and skipped, the columns not read (spec section 2: nothing is lost silently)."""
    from pipelines.read.sheet import reconciled_field

    out = []
    by_kind = {b.kind: b for b in batches}
    for sheet in read.sheets:
        batch = by_kind.get(sheet.kind)
        value = reconciled_field(sheet.kind)
        stored, zero_cells = None, 0
        if batch is not None and value is not None:
            frame = batch.frame
            if len(batch.sheets) > 1 and "_sheet" in frame.columns:
                frame = frame[frame["_sheet"] == sheet.sheet]
            stored = float(pd.to_numeric(frame[value], errors="coerce").fillna(0).sum()) if len(frame) else 0.0
            carried = _carried(batch, frame)  # the rows _stored_rows leaves out, counted
            zero_cells = 0 if carried is None else int((~carried).sum())
        dropped = batch.dropped_sum.get(sheet.sheet, 0.0) if batch is not None else 0.0
        out.append({"sheet": sheet.sheet, "kind": sheet.kind, "cells_read": sheet.cells_read,
                    "sum_read": round(sheet.sum_read, 6) if value else None,
                    "sum_stored": round(stored, 6) if stored is not None else None,
                    "sum_duplicates_dropped": round(dropped, 6), "zero_cells": zero_cells,
                    "totals_checked": list(sheet.totals_checked),
                    "columns_not_read": list(sheet.columns_not_read)})
    return out


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Repeated text as categories and period starts as datetimes: a wide export melts into
    millions of rows that repeat a few hundred keys, so this keeps memory and DuckDB's scan small."""
    out = {}
    for column in frame.columns:
        series = frame[column]
        if column != "period_start" and (series.dtype == object or pd.api.types.is_string_dtype(series)):
            series = series.astype("category")
        out[column] = series
    result = pd.DataFrame(out, index=frame.index, copy=False)
    if "period_start" in result.columns and isinstance(result["period_start"].dtype, pd.CategoricalDtype):
        # a melted wide sheet's starts, one category per period column
        starts = result["period_start"].cat
        as_dates = pd.to_datetime(pd.Series(np.asarray(starts.categories, dtype=object)),
                                  errors="coerce").to_numpy()
        by_code = np.full(len(as_dates) + 1, np.datetime64("NaT"), dtype=as_dates.dtype)
        by_code[1:] = as_dates
        result["period_start"] = by_code[starts.codes.to_numpy().astype(np.int64) + 1]
    elif "period_start" in result.columns and "period" in result.columns and result["period_start"].dtype == object:
        # one start per period (the first row's), spread back over the rows by the period's code
        codes = result["period"].cat.codes.to_numpy()
        firsts = pd.Series(codes).drop_duplicates()
        starts = pd.to_datetime(pd.Series(frame["period_start"].to_numpy()[firsts.index.to_numpy()]),
                                errors="coerce").to_numpy()
        by_code = np.full(len(result["period"].cat.categories) + 1, np.datetime64("NaT"), dtype=starts.dtype)
        by_code[firsts.to_numpy().astype(np.int64) + 1] = starts
        result["period_start"] = by_code[codes.astype(np.int64) + 1]
    return result


def _check_arguments(file_name: str, kind: str | None, as_of: object) -> list[UserError]:
    errors = []
    if kind is not None and kind not in KINDS:
        errors.append(UserError("kind_name_unknown", file=file_name, value=kind,
                                params={"kinds": ", ".join(KINDS)}))
    if as_of is not None and _as_date(as_of) is None:
        errors.append(UserError("as_of_invalid", file=file_name, value=str(as_of)))
    return errors


def _as_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database in some containers
        return ""


def _batches(read: ReadResult, file_name: str) -> tuple[list[KindBatch], list[UserError]]:
    by_kind: dict[str, list] = {}
    for sheet in read.sheets:
        if sheet.kind:
            by_kind.setdefault(sheet.kind, []).append(sheet)
    batches, errors = [], []
    for kind in KINDS:  # contract order: stable version numbering within one upload
        if kind in by_kind:
            batch, errs = combine(kind, by_kind[kind], file_name)
            batches.append(batch)
            errors.extend(errs)
            if not errs and batch.frame.empty:
                # a header without rows (a filtered export, an emptied template) would store an
                # empty version as the current one and wipe the figures it replaces
                first = by_kind[kind][0]
                errors.append(UserError("sheet_without_rows", file=file_name, sheet=", ".join(batch.sheets),
                                        row=first.header_row, params={
                                            "sheet": ", ".join(batch.sheets), "row": first.header_row,
                                            "kind_de": kind_label(kind, "de"), "kind_en": kind_label(kind, "en")}))
    if not batches and not errors:
        errors.append(UserError("no_data_sheet", file=file_name))
    return batches, errors


def _version_info(batch: KindBatch) -> VersionInfo:
    return VersionInfo(kind=batch.kind, version=None, rows=len(batch.frame),
                       merged_rows=batch.merged_rows, skipped_rows=batch.skipped_rows,
                       sheets=batch.sheets, grain=batch.grain, layout=batch.layout,
                       header_row=batch.header_row, dropped_duplicates=batch.dropped_duplicates)


def _warnings(file_name: str, batches: list[KindBatch], read: ReadResult,
              new: dict[str, list[str]]) -> list[UserError]:
    warnings = []
    for sheet, reason in read.skipped_sheets:
        warnings.append(UserError("sheet_skipped", file=file_name, sheet=sheet,
                                  params={"sheet": sheet, "reason": reason}))
    warnings.extend(note for s in read.sheets for note in s.notes)
    for b in batches:
        sheet = ", ".join(b.sheets)
        if b.merged_rows:
            warnings.append(UserError("rows_merged", file=file_name, sheet=sheet,
                                      params={"count": b.merged_rows}))
        if b.skipped_rows:
            warnings.append(UserError("rows_skipped", file=file_name, sheet=sheet,
                                      params={"count": b.skipped_rows}))
        if b.dropped_duplicates:
            warnings.append(UserError("duplicates_dropped", file=file_name, sheet=sheet,
                                      params={"count": b.dropped_duplicates}))
    for key, message in (("products", "new_products"), ("markets", "new_markets")):
        items = new[key]
        if items:
            shown = ", ".join(items[:10]) + (" …" if len(items) > 10 else "")
            warnings.append(UserError(message, file=file_name,
                                      params={"count": len(items), "items": shown}))
    return warnings


# --- reading the store -------------------------------------------------------------------------

def _existing_versions(con, sha256: str) -> list[VersionInfo]:
    rows = con.execute(
        "select kind, version_id, rows, merged_rows, skipped_rows, sheet, grain, layout, header_row "
        "from versions where sha256 = ? order by version_id", [sha256]).fetchall()
    return [VersionInfo(kind=k, version=v, rows=r, merged_rows=m, skipped_rows=s,
                        sheets=(sh or "").split(", "), grain=g, layout=l, header_row=h, existing=True)
            for k, v, r, m, s, sh, g, l, h in rows]


def _known_keys(con) -> dict[tuple[str, str], str]:
    return {(t, k): d for t, k, d in con.execute(
        "select key_type, key_folded, display from keys").fetchall()}


def _known_mappings(con) -> dict[str, dict[str, str]]:
    return {sig: json.loads(m) for sig, m in con.execute(
        "select signature, mapping from mappings").fetchall()}


def _current_frame(con, kind: str, columns: list[str]) -> pd.DataFrame:
    cols = ", ".join(columns)
    return con.execute(
        f"select {cols} from {kind} where version_id = "
        "(select max(version_id) from versions where kind = ?)", [kind]).df()


def _new_keys(con, batches: list[KindBatch]) -> dict[str, list[str]]:
    """Products and markets in the demand that the master data (stored or in this upload) lacks."""
    by_kind = {b.kind: b.frame for b in batches}
    demand = [by_kind[k] for k in ("forecast", "actuals", "plan") if k in by_kind]
    if not demand:
        return {"products": [], "markets": []}
    products = by_kind["products"]["product"] if "products" in by_kind else \
        _current_frame(con, "products", ["product"])["product"]
    markets = by_kind["markets"]["market"] if "markets" in by_kind else \
        _current_frame(con, "markets", ["market"])["market"]
    known_products = {str(p) for p in products.dropna().unique()}
    known_markets = {fold_key(m) for m in markets.dropna().unique()}
    seen_products = {str(p) for f in demand for p in f["product"].dropna().unique()}
    new_products = [p for p in seen_products if p not in known_products]
    seen_markets = {str(m) for f in demand if "market" in f.columns for m in f["market"].dropna().unique()}
    new_markets = [m for m in seen_markets if fold_key(m) not in known_markets]
    # without any master data yet, everything would be "new": that says nothing
    if not known_products:
        new_products = []
    if not known_markets:
        new_markets = []
    return {"products": sorted(new_products), "markets": sorted(map(str, new_markets))}


# --- writing the store (inside the one transaction) ----------------------------------------------

def _store_file(con, sha256: str, file_name: str, data: bytes) -> None:
    # checked first rather than `insert or ignore`: DuckDB's conflict path takes 0.7 s and 130 MB
    # for a 25 MB blob, a plain insert 0.03 s
    if con.execute("select 1 from files where sha256 = ?", [sha256]).fetchone() is None:
        con.execute("insert into files values (?, ?, ?, ?, current_timestamp)",
                    [sha256, file_name, len(data), without_macros(data)])


_MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaProjectSignature\.bin|vbaData\.xml)$|"
                          r"(^|/)activeX/|(^|/)macrosheets/", re.IGNORECASE)


def without_macros(data: bytes) -> bytes:
    """The workbook as kept: an .xlsm's VBA project and ActiveX parts are dropped, never stored."""
    if not data.startswith(b"PK"):
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            names = src.namelist()
            if not any(_MACRO_PARTS.search(n) for n in names):
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    if not _MACRO_PARTS.search(info.filename):
                        dst.writestr(info, src.read(info.filename))
            return out.getvalue()
    except zipfile.BadZipFile:
        return data


def _store_version(con, batch: KindBatch, *, file_name: str, sha256: str, user: str,
                   label: str | None, as_of: dt.date | None, merge: bool) -> tuple[int, int]:
    kind = batch.kind
    columns = list(store.DATA_COLUMNS[kind])
    spec = KINDS[kind]
    base = con.execute("select max(version_id) from versions where kind = ?", [kind]).fetchall()[0][0]
    version_id = con.execute("select nextval('version_seq')").fetchall()[0][0]
    col_list = ", ".join(columns)
    frame = batch.frame.reindex(columns=columns)
    # a column empty in every row is left to the table's NULL: DuckDB scans and stores each given
    # column (the large plan's forecast names no article: 0.06 s of its 4.16 M rows)
    given = [c for c in columns if frame[c].notna().any()] or columns[:1]
    given_list = ", ".join(given)
    # zero rows of a wide export carry no demand (a missing row reads as 0 everywhere): DuckDB
    # leaves them out as it inserts (one copy less of each slice than filtering the frame).
    # Converted to Arrow in slices: a whole copy of a 5M-row melted export adds to the peak.
    spec_value = spec.wide_value if spec.additive else None
    carried = f" where {spec_value} <> 0 and not isnan({spec_value})" if spec_value else ""
    slices = range(0, max(len(frame), 1), INSERT_SLICE) if spec_value in given or not spec_value else ()
    for start in slices:
        part = frame.iloc[start:start + INSERT_SLICE][given]
        con.register("_incoming", pa.Table.from_pandas(part, preserve_index=False))
        try:
            con.execute(f"insert into {kind} (version_id, {given_list}) "
                        f"select ?, {given_list} from _incoming{carried}", [version_id])
        finally:
            con.unregister("_incoming")
        del part
    if merge and base is not None:
        key = spec.merge_by
        scope = ["period"] if spec.merge_within_periods else []
        replaced = batch.frame[[key, *scope]].dropna().drop_duplicates()
        con.register("_replaced", pa.Table.from_pandas(replaced, preserve_index=False))
        try:
            same = " and ".join(f"t.{c} = r.{c}" for c in [key, *scope])
            con.execute(
                f"insert into {kind} (version_id, {col_list}) select ?, {col_list} from {kind} t "
                f"where t.version_id = ? and not exists (select 1 from _replaced r where {same})",
                [version_id, base])
        finally:
            con.unregister("_replaced")
    rows = con.execute(f"select count(*) from {kind} where version_id = ?", [version_id]).fetchall()[0][0]
    con.execute(
        "insert into versions values (?, ?, current_timestamp, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [version_id, kind, label, file_name, sha256, ", ".join(batch.sheets), user, as_of,
         batch.grain, batch.layout, batch.header_row, rows, batch.merged_rows, batch.skipped_rows,
         "merge" if merge and base is not None else "replace", base if merge else None])
    return version_id, rows


def _store_keys(con, batches: list[KindBatch], versions: list[VersionInfo]) -> None:
    for batch, info in zip(batches, versions):
        for column, key_type in FOLDED_KEYS.items():
            if column not in batch.frame.columns:
                continue
            for text in pd.unique(batch.frame[column].dropna()):
                con.execute("insert or ignore into keys values (?, ?, ?, ?)",
                            [key_type, fold_key(text), str(text), info.version])


def _store_product_display(con, read: ReadResult | None, versions: list[VersionInfo]) -> None:
    """Article numbers as the ERP writes them (`000815`), kept as `keys` of type 'product' (normal
    form -> display): first seen, but a master-data form wins over one from a forecast or plan."""
    version_of = {v.kind: v.version for v in versions}
    sheets = sorted((s for s in (read.sheets if read else []) if s.kind in version_of and s.product_display),
                    key=lambda s: s.kind != "products")
    forms: dict[str, tuple] = {}
    for sheet in sheets:
        for normal, written in sheet.product_display.items():
            forms.setdefault(normal, (written, version_of[sheet.kind], sheet.kind == "products"))
    if not forms:
        return
    frame = pd.DataFrame([(n, w, v, m) for n, (w, v, m) in forms.items()],
                         columns=["key_folded", "display", "first_version_id", "master"])
    con.register("_displays", pa.Table.from_pandas(frame, preserve_index=False))
    try:
        con.execute("update keys set display = d.display, first_version_id = d.first_version_id "
                    "from _displays d where keys.key_type = 'product' and keys.key_folded = d.key_folded "
                    "and d.master and keys.first_version_id not in "
                    "(select version_id from versions where kind = 'products')")
        con.execute("insert or ignore into keys select 'product', key_folded, display, first_version_id "
                    "from _displays")
    finally:
        con.unregister("_displays")


def _remember_mappings(con, batches: list[KindBatch], mapping: dict[str, str] | None) -> None:
    if not mapping:
        return
    for batch in batches:
        for signature, columns, headers in batch.signatures:
            con.execute("insert or replace into mappings values (?, ?, ?, ?, current_timestamp)",
                        [signature, batch.kind, json.dumps(columns, ensure_ascii=False),
                         json.dumps([str(h) for h in headers], ensure_ascii=False)])
