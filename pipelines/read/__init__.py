"""The reading layer: bytes of a workbook or CSV -> normalised records per sheet, or user errors.

Pure functions over bytes (no store, no Streamlit). `read_file` never raises for bad input: every
problem becomes a `UserError` on the file or on its sheet.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from pipelines.contract import AUX_FIELDS, FIELD_ALIASES, KIND_NAMES, KINDS, NUMERIC_FIELDS, fold_header
from pipelines.errors import UserError
from pipelines.settings import Settings, load_settings

__all__ = ["ReadResult", "SheetResult", "read_file"]


@dataclass
class SheetResult:
    """One data sheet read: its kind, layout, grain, header position and records."""

    sheet: str
    kind: str | None
    layout: str
    grain: str | None
    header_row: int
    columns: dict[str, str]
    frame: pd.DataFrame
    skipped_rows: int
    totals_rows: int
    errors: list[UserError]
    signature: str
    headers: list[str]
    totals_checked: list[str] = field(default_factory=list)   # '7 (Summe Butter)', 'H (Gesamt)'
    columns_not_read: list[str] = field(default_factory=list)  # 'C (Bezeichnung)'
    # columns read to place the records but not stored themselves: {'measure': 'Kennzahl'}
    aux_columns: dict[str, str] = field(default_factory=dict)
    cells_read: int = 0
    sum_read: float = 0.0
    # normal form -> article number as written, where the file keeps leading zeros ('815' -> '000815')
    product_display: dict[str, str] = field(default_factory=dict)
    notes: list[UserError] = field(default_factory=list)  # done, to be said: a header's unit converted


@dataclass
class ReadResult:
    """One file read: every data sheet, the sheets skipped (with reason key) and file-level errors."""

    file: str
    sha256: str
    sheets: list[SheetResult] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)
    errors: list[UserError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not any(s.errors for s in self.sheets)

    def all_errors(self) -> list[UserError]:
        return self.errors + [e for s in self.sheets for e in s.errors]


def _empty_sheet(name: str, kind: str | None, header_row: int, headers: list[str],
                 errors: list[UserError]) -> SheetResult:
    from pipelines.read.header import signature

    return SheetResult(name, kind, "long", None, header_row, {}, pd.DataFrame(), 0, 0, errors,
                       signature(headers), headers)


def read_file(data: bytes, file_name: str, *, kind: str | None = None,
              mapping: dict[str, str] | None = None,
              known_mappings: dict[str, dict[str, str]] | None = None,
              settings: Settings | None = None,
              progress: Callable[[str, float], None] | None = None,
              hidden_sheets: tuple[str, ...] | list[str] = (), header_row: int | None = None,
              measure: str | None = None, sha256: str | None = None) -> ReadResult:
    """Read one uploaded file into normalised records per sheet, collecting every user error.

    Hidden sheets are skipped (reason 'hidden') unless named in `hidden_sheets`. `header_row`
    (1-based, within the first 25 rows) names the header row where detection finds the wrong one;
    `measure` names the measure to read where a sheet holds several and none is a quantity word.
    """
    from pipelines.read import guard
    from pipelines.read.header import detect, remembered_mapping
    from pipelines.read.numbers import file_style
    from pipelines.read.periods import dates_are_monthly
    from pipelines.read.sheet import FileContext, build, is_pivot, prepare
    from pipelines.read.workbook import open_sheets

    settings = settings or load_settings()
    report = progress or (lambda stage, fraction: None)
    # the caller that hashed the bytes already passes the digest: a 50 MB file is hashed once
    result = ReadResult(file_name, sha256 or hashlib.sha256(data).hexdigest())

    def file_error(key: str, **kw) -> ReadResult:
        result.errors.append(UserError(key, file=file_name, **kw))
        return result

    mapping = dict(mapping or {})
    if kind is not None and kind not in KINDS:
        return file_error("kind_name_unknown", value=kind, params={"kinds": ", ".join(KIND_NAMES)})
    for f in list(mapping):
        if f not in FIELD_ALIASES:
            file_error("mapping_field_unknown", value=f, params={"fields": ", ".join(FIELD_ALIASES)})
            del mapping[f]
    if result.errors:
        return result

    report("check", 0.0)
    sniffed = guard.sniff(data, file_name, settings)
    if sniffed.errors:
        result.errors.extend(sniffed.errors)
        return result
    report("open", 0.05)
    try:
        sheets = open_sheets(data, sniffed.format, file_name, sniffed.sheet_tails, sniffed.sheet_xml)
    except UnicodeError:
        return file_error("csv_encoding")
    except Exception as exc:  # noqa: BLE001 - a parser's complaint about damaged content
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            return file_error("encrypted")
        return file_error("unreadable", params={"detail": str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__})

    ctx = FileContext()
    prepared = []
    mapped_headers_seen: set[str] = set()

    def sheet_unreadable(sheet_name: str, detail: str) -> None:
        result.errors.append(UserError("unreadable", file=file_name, sheet=sheet_name,
                                       params={"detail": detail[:200]}))

    for i, sheet in enumerate(sheets):
        report(f"read {sheet.name}", 0.1 + 0.6 * i / max(len(sheets), 1))
        if sheet.hidden and sheet.name not in hidden_sheets:
            result.skipped_sheets.append((sheet.name, "hidden"))
            continue
        try:
            head = sheet.head()
        except Exception as exc:  # noqa: BLE001
            sheet_unreadable(sheet.name, str(exc))
            continue
        sheet_mapping = {**remembered_mapping(head, known_mappings or {}), **mapping}
        det = detect(head, sheet_mapping, kind, (sheet.name, file_name), header_row, measure)
        if det.skip_reason:
            result.skipped_sheets.append((sheet.name, det.skip_reason))
            continue
        m = det.match
        headers = m.headers
        mapped_headers_seen |= {fold_header(t) for t in headers}
        if det.kind is None and m.bad_periods:
            from pipelines.read.sheet import period_header_errors

            errs = period_header_errors(m, file_name, sheet.name, m.row + 1)
            result.sheets.append(_empty_sheet(sheet.name, None, m.row + 1, headers, errs))
            continue
        if det.kind is None:
            found = ", ".join(t for t in headers if t)
            if kind is not None:
                err = UserError("kind_mismatch", file=file_name, sheet=sheet.name, row=m.row + 1,
                                params={"kind": kind, "missing": det.missing, "found": found})
            else:
                err = UserError("kind_unknown", file=file_name, sheet=sheet.name, row=m.row + 1,
                                params={"kind": det.closest, "missing": det.missing, "found": found})
            result.sheets.append(_empty_sheet(sheet.name, None, m.row + 1, headers, [err]))
            continue
        k = KINDS[det.kind]
        used = sorted({c for f, c in m.fields.items() if f in k.fields or f in AUX_FIELDS}
                      | (set(m.periods) | set(m.totals_cols) if det.layout == "wide" else set()))
        numeric = {c for f, c in m.fields.items() if f in k.fields and f in NUMERIC_FIELDS}
        if det.layout == "wide":
            numeric |= set(m.periods) | set(m.totals_cols)
        try:
            rows, columns = sheet.columns(m.row + 1, used, numeric)
        except Exception as exc:  # noqa: BLE001
            sheet_unreadable(sheet.name, str(exc))
            continue
        try:
            prepared.append(prepare(sheet.name, det, rows, columns, ctx, sheet.merged(),
                                    pivot=is_pivot(head)))
        except Exception as exc:  # noqa: BLE001 - never raise for bad input; say which sheet
            sheet_unreadable(sheet.name, f"{type(exc).__name__}: {exc}")

    for f, h in mapping.items():
        if fold_header(h) not in mapped_headers_seen:
            result.errors.append(UserError("mapping_header_missing", file=file_name, header=h,
                                           params={"field": f}))

    ctx.style = file_style(ctx.number_kinds)
    ctx.monthly_dates = dates_are_monthly(ctx.period_tokens)
    report("parse", 0.75)
    for prep in prepared:
        try:
            result.sheets.append(build(prep, file_name, ctx))
        except Exception as exc:  # noqa: BLE001 - never raise for bad input; say which sheet
            sheet_unreadable(prep.name, f"{type(exc).__name__}: {exc}")
    if not result.sheets and not result.errors:
        result.errors.append(UserError("no_data_sheet", file=file_name))
    # keep sheets in workbook order
    order = {s.name: i for i, s in enumerate(sheets)}
    result.sheets.sort(key=lambda s: order.get(s.sheet, 0))
    report("done", 1.0)
    return result
