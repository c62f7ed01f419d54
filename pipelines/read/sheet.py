"""From a sheet's typed columns to normalised records: keys, numbers, periods, totals and errors.

Work happens per column on the distinct values (a forecast repeats the same few thousand keys and
numbers), then in numpy over rows; Python loops run only over distinct values and over errors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from pipelines.contract import (AUX_FIELDS, KEY_FIELDS, KINDS, NON_NEGATIVE_FIELDS, NUMERIC_FIELDS,
                                field_for_header, rate_unit)
from pipelines.errors import UserError, column_letter
from pipelines.text import render
from pipelines.read import keys as keymod
from pipelines.read import SheetResult
from pipelines.read.header import Detection, is_quantity_word, is_totals_label, signature, split_measure
from pipelines.read.numbers import TextNumber, parse_text_number, resolve as resolve_number
from pipelines.read.scale import header_scale
from pipelines.read.periods import (Token, grain_hint_of, month_name, parse_period, resolve as resolve_period,
                                    week_53_missing)
from pipelines.read.workbook import Column

# a lone text cell below the table that reads like a note, not like a key
FOOTNOTE = re.compile(r"^(?:\*|hinweis|quelle|stand|anmerkung|erstellt|note|source|created)|:", re.IGNORECASE)
OK, NOT_A_NUMBER, AMBIGUOUS = 0, 1, 2
TEXT = pd.StringDtype("pyarrow", na_value=np.nan)   # pandas' default `str` dtype


def text_series(values: np.ndarray, take: np.ndarray | None = None) -> pd.Series:
    """Text values (None: missing) as a `str` Series; repeated by index (a melted wide sheet) as
    categories, since a million melted rows repeat a few hundred keys."""
    if take is not None:
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
        categories = pd.Index(pd.array(np.asarray(uniques, dtype=object), dtype=TEXT))
        # narrowed before the take: the repeated codes are the size of the melted sheet
        small = codes.astype(np.int8 if len(uniques) < 127 else np.int16 if len(uniques) < 32767 else np.int32)
        return pd.Series(pd.Categorical.from_codes(small[take], categories=categories, validate=False))
    arr = pa.array(values, type=pa.string(), from_pandas=True)
    return pd.Series(arr, dtype=TEXT)


def repeated_objects(values: np.ndarray, take: np.ndarray) -> pd.Series:
    """`values[take]` (dates, None: missing) as categories: a melted wide sheet repeats each
    period's start on every row, and 4 M Python dates tiled and copied took 0.2 s."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    categories = pd.Index(np.asarray(uniques, dtype=object), dtype=object)
    return pd.Series(pd.Categorical.from_codes(codes.astype(np.int32)[take], categories=categories,
                                               validate=False))


def raw_value(col: Column, i: int) -> object:
    """The cell as the user wrote it, for error messages."""
    if col.text is not None and col.text[i] is not None:
        return col.text[i]
    if col.date is not None and not np.isnat(col.date[i]):
        return str(col.date[i])
    v = col.num[i]
    return None if np.isnan(v) else (int(v) if float(v).is_integer() else float(v))


class FileContext:
    """What is decided per file, across sheets: number style and the date grain, plus caches."""

    def __init__(self) -> None:
        self.text_numbers: dict[str, TextNumber] = {}
        self.number_kinds: set[str] = set()
        self.tokens: dict[object, Token | None] = {}
        self.period_tokens: set[Token] = set()
        self.style: str | None = None
        self.monthly_dates = False

    def text_number(self, text: str) -> TextNumber:
        tn = self.text_numbers.get(text)
        if tn is None:
            tn = self.text_numbers[text] = parse_text_number(text)
            self.number_kinds.add(tn.kind)
        return tn

    def token(self, value: object, hint: str | None = None) -> Token | None:
        key = (value, hint) if hint else value
        if key not in self.tokens:
            tok = self.tokens[key] = parse_period(value, hint)
            if tok is not None:
                self.period_tokens.add(tok)
        return self.tokens[key]


def _unique_map(values: np.ndarray, fn) -> np.ndarray:
    """fn applied to each distinct value, spread back over the array (object result)."""
    if len(values) == 0:
        return np.empty(0, dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [fn(None if isinstance(u, float) and u != u else u) for u in uniques]
    return mapped[codes]


@dataclass
class Numbers:
    values: np.ndarray       # float64; NaN where empty or unreadable
    status: np.ndarray       # int8: OK, NOT_A_NUMBER, AMBIGUOUS


def scan_numbers(cols: list[Column], ctx: FileContext) -> None:
    """Phase 1: classify the columns' text numbers so the file's style can be decided."""
    texts = [c.text[c.has_text()] for c in cols if c.text is not None]
    if texts:
        for t in pd.unique(np.concatenate(texts)):
            ctx.text_number(t)


def parse_numbers(cols: list[Column], ctx: FileContext) -> list[Numbers]:
    """Phase 2: every cell of number columns as a float, the unreadable ones marked.

    Text cells of all columns are decided together, once per distinct text.
    """
    out = [Numbers(c.num.copy(), np.zeros(len(c.num), dtype=np.int8)) for c in cols]
    where = [(j, np.flatnonzero(c.has_text())) for j, c in enumerate(cols) if c.text is not None]
    if where:
        texts = np.concatenate([cols[j].text[idx] for j, idx in where])
        codes, uniques = pd.factorize(texts)
        parsed = [ctx.text_number(u) for u in uniques]
        u_vals = np.array([resolve_number(tn, ctx.style) for tn in parsed] or [0.0], dtype=float)
        u_status = np.array([OK if not np.isnan(v) else AMBIGUOUS if tn.kind == "ambiguous" else NOT_A_NUMBER
                             for tn, v in zip(parsed, u_vals)] or [OK], dtype=np.int8)
        start = 0
        for j, idx in where:
            part = codes[start:start + len(idx)]
            start += len(idx)
            out[j].values[idx] = u_vals[part]
            out[j].status[idx] = u_status[part]
    for j, c in enumerate(cols):
        if c.date is not None:
            out[j].status[~np.isnat(c.date)] = NOT_A_NUMBER
    return out


def key_values(col: Column, fieldname: str) -> np.ndarray:
    """Key or text cells in normal form (spec section 1); None where empty."""
    out = np.full(len(col.num), None, dtype=object)
    norm = keymod.key_for(fieldname)
    has_num = ~np.isnan(col.num)
    if has_num.any():
        out[has_num] = _unique_map(col.num[has_num], lambda v: norm(float(v)))
    if col.text is not None:
        has_text = col.has_text()
        out[has_text] = _unique_map(col.text[has_text], norm)
    if col.date is not None:
        has_date = ~np.isnat(col.date)
        out[has_date] = _unique_map(col.date[has_date], lambda d: str(d))
    return out


def product_display_forms(col: Column, rows: np.ndarray) -> dict[str, str]:
    """Article numbers whose text keeps leading zeros the normal form drops ('000815' -> '815'):
    normal form -> the text as the ERP writes it, first seen in the sheet (spec 1; issue 10)."""
    if col.text is None:
        return {}
    texts = col.text[rows]
    forms: dict[str, str] = {}
    for text in pd.unique(texts[np.not_equal(texts, None)]):
        written = str(text).strip()
        if written[:1] == "0" and written.isascii() and written.isdigit() and written.strip("0"):
            forms.setdefault(keymod.product_key(written), written)
    return forms


_NN_YYYY = re.compile(r"(\d{1,2})\s*[./]\s*(\d{4})")


def _nn_yyyy_text(value: float) -> str | None:
    """A number cell `49.2026` (SAP's week.year, stored as a number) as its text, else None."""
    text = f"{value:.4f}"
    week, _, year = text.partition(".")
    return f"{int(week)}.{year}" if 1 <= int(week) <= 53 and 1900 <= int(year) < 3000 else None


def period_tokens(col: Column, ctx: FileContext, hint: str | None = None,
                  year: Column | None = None) -> np.ndarray:
    """Period tokens of a long layout's period column; None where empty or unreadable.

    `hint` is the grain the period header names; `NN.YYYY` is a week under a week header, a month
    under a month header, and otherwise a month unless a value above 12 shows the field holds
    weeks. With a year column, the period column holds the week or month number alone.
    """
    out = np.full(len(col.num), None, dtype=object)
    if year is not None:
        return _year_number_tokens(col, year, hint, ctx)
    texts = col.text[col.has_text()] if col.text is not None else np.empty(0, dtype=object)
    numbers = {v: _nn_yyyy_text(v) for v in pd.unique(col.num[~np.isnan(col.num)])} if hint else {}
    if hint is None and len(texts):
        if any((m := _NN_YYYY.fullmatch(t)) and int(m[1]) > 12 for t in pd.unique(texts)):
            hint = "week"
    if numbers:
        has_num = ~np.isnan(col.num)
        out[has_num] = _unique_map(col.num[has_num], lambda v: None if numbers.get(v) is None
                                   else ctx.token(numbers[v], hint))
    if col.text is not None:
        has_text = col.has_text()
        out[has_text] = _unique_map(col.text[has_text], lambda t: ctx.token(t, hint))
    if col.date is not None:
        has_date = ~np.isnat(col.date)
        out[has_date] = _unique_map(col.date[has_date], lambda d: ctx.token(d.astype(object)))
    return out


def _year_number_tokens(col: Column, year: Column, hint: str | None, ctx: FileContext) -> np.ndarray:
    """Week or month numbers beside a year column: one period per row (None where unreadable)."""
    from pipelines.read.periods import _month, _week

    def number(c: Column, i: int) -> int | None:
        v = c.num[i]
        if np.isnan(v) and c.text is not None and c.text[i] is not None:
            digits = re.sub(r"^(?:kw|w|m)\s*", "", c.text[i].strip().lower())
            v = float(digits) if digits.isdigit() else np.nan
        return int(v) if not np.isnan(v) and float(v).is_integer() else None

    n = len(col.num)
    # `Mär`, `Okt.`, `December` in the period column beside the year: that month
    named = [month_name(col.text[i]) if col.text is not None else None for i in range(n)]
    pairs = [(number(col, i), number(year, i)) for i in range(n)]
    if hint is None:
        hint = "week" if any(p and p > 12 for p, _ in pairs) else "month"
    if hint == "month":
        pairs = [(m if m is not None else p, y) for (p, y), m in zip(pairs, named)]
    out = np.full(n, None, dtype=object)
    for i, (p, y) in enumerate(pairs):
        if p is not None and y is not None:
            y = 2000 + y if y < 100 else y
            tok = _week(y, p) if hint == "week" else _month(y, p)
            if tok is not None:
                ctx.period_tokens.add(tok)
            out[i] = tok
    return out


def priority_values(col: Column) -> np.ndarray:
    out = np.full(len(col.num), None, dtype=object)
    has_num = ~np.isnan(col.num)
    if has_num.any():
        out[has_num] = _unique_map(col.num[has_num], lambda v: keymod.priority_class(float(v)))
    if col.text is not None:
        has_text = col.has_text()
        out[has_text] = _unique_map(col.text[has_text], keymod.priority_class)
    return out


@dataclass
class Prepared:
    """Phase 1 of a sheet: header and kind known, columns loaded, evidence handed to the file."""

    name: str
    detection: Detection
    rows: np.ndarray
    columns: dict[int, Column]
    period_col_tokens: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def header_row(self) -> int:
        """The header's 1-based sheet row."""
        return self.detection.match.row + 1


_PIVOT_CORNER = re.compile(r"^(?:summe von|sum of|anzahl von|count of|mittelwert von|average of)\b", re.IGNORECASE)
_PIVOT_SUBTOTAL = re.compile(r"\b(?:ergebnis|total)$", re.IGNORECASE)


def is_pivot(head: list[list[object]]) -> bool:
    """A pivot table copied as values: a `Summe von ...` / `Sum of ...` corner in its first rows."""
    return any(isinstance(v, str) and _PIVOT_CORNER.match(v.strip()) for r in head for v in r)


def _spread_merged(first_row: int, columns: dict[int, Column], merged) -> None:
    """The value of a merged range belongs to every cell it covers (an article merged down)."""
    n = len(next(iter(columns.values())).num) if columns else 0
    for r0, c0, r1, c1 in merged:
        i0, i1 = r0 - first_row, min(r1 - first_row, n - 1)
        if i0 < 0 or i1 < i0 or c0 not in columns:
            continue
        src = columns[c0]
        for c in range(c0, c1 + 1):
            if c in columns:
                _fill(columns[c], src, i0, range(i0, i1 + 1))


def _writable(col: Column) -> None:
    col.num = np.array(col.num, dtype=float)
    if col.text is not None:
        col.text = np.array(col.text, dtype=object)
    if col.date is not None:
        col.date = np.array(col.date)


def _fill(col: Column, src: Column, i: int, targets) -> None:
    """Copy cell i of src into the target cells of col."""
    _writable(col)
    targets = [t for t in targets if not (col is src and t == i)]
    if not targets:
        return
    col.num[targets] = src.num[i]
    if src.text is not None and src.text[i] is not None:
        if col.text is None:
            col.text = np.full(len(col.num), None, dtype=object)
        col.text[targets] = src.text[i]
    elif col.text is not None:
        col.text[targets] = None
    if src.date is not None and not np.isnat(src.date[i]):
        if col.date is None:
            col.date = np.full(len(col.num), np.datetime64("NaT", "D"))
        col.date[targets] = src.date[i]
    elif col.date is not None:
        col.date[targets] = np.datetime64("NaT", "D")


def _fill_outer_labels(columns: dict[int, Column], key_cols: list[int]) -> None:
    """In a pivot copy a blank outer row label means the label above it (not across a subtotal)."""
    for j, c in enumerate(key_cols[:-1]):
        col = columns[c]
        inner = [columns[k] for k in key_cols[j + 1:]]
        empty = col.empty()
        inner_filled = np.logical_or.reduce([~k.empty() for k in inner])
        last = None
        for i in range(len(col.num)):
            if not empty[i]:
                text = col.text[i] if col.text is not None else None
                last = None if (text and (_PIVOT_SUBTOTAL.search(text) or is_totals_label(text))) else i
            elif inner_filled[i] and last is not None:
                _fill(col, col, last, [i])


def prepare(name: str, detection: Detection, rows: np.ndarray, columns: dict[int, Column],
            ctx: FileContext, merged=(), pivot: bool = False) -> Prepared:
    """Scan a detected sheet's columns for what the file must decide (number style, date grain)."""
    m = detection.match
    kind = KINDS[detection.kind]
    if merged and len(rows):
        _spread_merged(int(rows[0]) - 1, columns, merged)
    key_cols = sorted(c for f, c in m.fields.items() if f in kind.required and f in KEY_FIELDS)
    if len(rows) and len(key_cols) > 1 and (pivot or any(
            col.text is not None and any(_PIVOT_SUBTOTAL.search(t) for t in pd.unique(col.text[col.has_text()]))
            for col in (columns[c] for c in key_cols))):
        _fill_outer_labels(columns, key_cols)
    prep = Prepared(name, detection, rows, columns)
    for f, c in m.fields.items():
        if f not in kind.fields:
            continue
        if f in NUMERIC_FIELDS:
            scan_numbers([columns[c]], ctx)
        elif f == "period":
            year_col = m.fields.get("year")
            prep.period_col_tokens[c] = period_tokens(
                columns[c], ctx, grain_hint_of(m.texts.get(c, "")),
                columns.get(year_col) if year_col is not None else None)
    if detection.layout == "wide":
        ctx.period_tokens.update(m.periods.values())
        scan_numbers([columns[c] for c in m.periods], ctx)
    return prep


# what a pivot table writes for an empty row field (German, English, French, Dutch Excel)
PIVOT_BLANKS = {"(leer)", "(blank)", "(empty)", "(vide)", "(leeg)"}


def _short(value: object) -> object:
    """A huge number as Excel shows it (1E+308), not as its 309 digits."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e12:
        return f"{float(value):.6G}"
    return value


def _err(key, file, sheet, row, col, header, value=None, **params) -> UserError:
    return UserError(key, file=file, sheet=sheet, row=int(row) if row is not None else None,
                     column=column_letter(col) if col is not None else None, header=header,
                     value=value, params=params)


def build(prep: Prepared, file: str, ctx: FileContext):
    """Phase 2: the records frame of a sheet and every error in it."""
    det = prep.detection
    m = det.match
    kind = KINDS[det.kind]
    sheet = prep.name
    rows = prep.rows
    n = len(rows)
    errors: list[UserError] = []
    said: list[UserError] = []  # what the reader did that the user should know (a unit converted)
    cols = {f: c for f, c in m.fields.items() if f in kind.fields}
    header_of = {c: m.texts.get(c, "") for c in m.texts}
    wide = det.layout == "wide"
    period_cols = sorted(m.periods) if wide else []

    for f, dup in m.duplicates.items():
        if f in kind.fields:
            listing = ", ".join(f"{column_letter(c)} „{header_of[c]}“" for c in dup)
            errors.append(_err("duplicate_header", file, sheet, prep.header_row, dup[1], header_of[dup[1]],
                               field=f, columns=listing))

    if wide:
        errors.extend(period_header_errors(m, file, sheet, prep.header_row))
        # two columns headed alike (`KW 02/2027` twice: a column copied over) would add up; two
        # measures of one period (`KW 02 Menge Basis`, `KW 02 Menge Promo`) are not alike
        alike: dict[tuple, list[int]] = {}
        for c in period_cols:
            alike.setdefault((m.periods[c], " ".join(header_of.get(c, "").lower().split())), []).append(c)
        for same in (cols_ for cols_ in alike.values() if len(cols_) > 1):
            listing = ", ".join(f"{column_letter(c)} „{header_of[c]}“" for c in same)
            errors.append(_err("duplicate_period_header", file, sheet, prep.header_row, same[1],
                               header_of[same[1]], columns=listing))

    used = list(cols.values()) + period_cols
    for c in used:  # an error cell reads as empty: as 0, a quantity would be silently wrong
        for i, code in sorted((prep.columns[c].errors or {}).items()):
            if i < n:
                errors.append(_err("excel_error", file, sheet, rows[i], c, header_of.get(c, ""), code))
    empty = {c: prep.columns[c].empty() for c in used}
    row_empty = np.logical_and.reduce([empty[c] for c in used]) if used else np.ones(n, bool)
    measure_note = None
    if m.measure_problem:
        errors.append(_err("measure_not_quantity", file, sheet, prep.header_row, min(m.periods, default=None),
                           None, ", ".join(m.measure_problem)))
    max_rows = None  # a wide capacity's rows of maximum hours (`Kennzahl: Maximale Stunden`)
    if "measure" in m.fields:
        mc = m.fields["measure"]
        measure = key_values(prep.columns[mc], "measure")
        named = {v for v in pd.unique(measure[~row_empty]) if v is not None}
        quantity = {v for v in named if is_quantity_word(v, det.measure)}
        maxes: set = set()
        if det.kind == "capacity" and wide and not det.measure:
            # the rows of a capacity export name their figure: available hours are the value read,
            # maximum hours go beside them (spec section 2: both are capacity fields)
            quantity = {v for v in named if field_for_header(v) == "available_hours"}
            maxes = {v for v in named if field_for_header(v) == "max_hours"} if quantity else set()
            if maxes:
                max_rows = np.array([v in maxes for v in measure], dtype=bool) & ~row_empty
        if named and not quantity:
            errors.append(_err("measure_not_hours" if det.kind == "capacity" and wide else "measure_not_quantity",
                               file, sheet, prep.header_row, mc, header_of.get(mc, ""), ", ".join(sorted(named))))
        other = np.array([v is not None and v not in quantity for v in measure], dtype=bool)
        if named - quantity - maxes:
            measure_note = f"{column_letter(mc)} ({header_of.get(mc, '')}: {', '.join(sorted(named - quantity - maxes))})"
        row_empty = row_empty | other

    key_fields = [f for f in kind.required if f in KEY_FIELDS and f in cols]
    values: dict[str, np.ndarray] = {}
    for f in key_fields:
        values[f] = key_values(prep.columns[cols[f]], f)
        col = prep.columns[cols[f]]
        if col.text is not None:  # a pivot's `(Leer)`: rows whose key the source left empty
            blank = col.has_text() & ~row_empty
            blank[blank] = _unique_map(col.text[blank], lambda t: t.lower() in PIVOT_BLANKS).astype(bool)
            for i in np.flatnonzero(blank):
                errors.append(_err("pivot_blank_key", file, sheet, rows[i], cols[f],
                                   header_of.get(cols[f], ""), col.text[i], field=f))
    totals_word = np.zeros(n, bool)
    for f in key_fields:
        col = prep.columns[cols[f]]
        if col.text is not None:
            has = col.has_text()
            totals_word[has] |= _unique_map(col.text[has], is_totals_label).astype(bool)
    value_cols = period_cols if wide else [c for f, c in cols.items() if f in NUMERIC_FIELDS]
    keys_empty = np.logical_and.reduce([empty[cols[f]] for f in key_fields]) if key_fields else np.zeros(n, bool)
    values_filled = np.logical_or.reduce([~empty[c] for c in value_cols]) if value_cols else np.zeros(n, bool)
    looks_totals = ~row_empty & (totals_word | (keys_empty & values_filled))
    complete_fields = key_fields + ([] if wide or "period" not in cols else ["period"])
    keys_complete = np.logical_and.reduce([~empty[cols[f]] for f in complete_fields]) \
        if complete_fields else np.zeros(n, bool)
    totals, mismatched, checked = verify_totals(
        prep, value_cols, looks_totals, row_empty, keys_complete, ctx)
    for i, (j, found, expected) in mismatched.items():
        errors.append(_err("totals_row_mismatch", file, sheet, rows[i], value_cols[j],
                           header_of.get(value_cols[j], ""), keymod.number_text(found),
                           label=_row_label(prep, [cols[f] for f in key_fields], i),
                           expected=keymod.number_text(round(expected, 6))))
    totals_checked = [f"{rows[i]} ({_row_label(prep, [cols[f] for f in key_fields], i)})" for i in checked]
    # a single filled cell below the table ("Quelle: SAP BW") is a footnote, not a record
    filled = np.sum([~empty[c] for c in used], axis=0) if used else np.zeros(n, int)
    table_rows = np.flatnonzero(filled >= 2)
    below_table = np.arange(n) > (table_rows[-1] if len(table_rows) else -1)
    notes = below_table & (filled == 1) & ~looks_totals
    if notes.any():
        note_text = np.zeros(n, bool)
        for c in used:
            col = prep.columns[c]
            if col.text is not None:
                idx = np.flatnonzero(notes & col.has_text())
                note_text[idx] = [bool(FOOTNOTE.search(t)) for t in col.text[idx]]
        notes &= note_text
    mismatch_mask = np.zeros(n, bool)
    mismatch_mask[list(mismatched)] = True
    record = ~row_empty & ~totals & ~notes & ~mismatch_mask
    last = np.flatnonzero(~row_empty)
    # a capacity's maximum-hours rows are read (beside the hours), not skipped
    read_beside = max_rows if max_rows is not None else np.zeros(n, bool)
    inner_empty = int((row_empty & ~read_beside)[: last[-1] + 1].sum()) if len(last) else 0
    rec = np.flatnonzero(record)
    display_forms: dict[str, str] = {}
    rec_rows = rows[rec]
    if wide and m.totals_cols and period_cols:
        for c, ok, i, found, expected in verify_totals_columns(prep, period_cols, sorted(m.totals_cols), rec, ctx):
            if ok:
                totals_checked.append(f"{column_letter(c)} ({header_of.get(c, '')})")
            else:
                errors.append(_err("totals_column_mismatch", file, sheet, rows[i], c, header_of.get(c, ""),
                                   keymod.number_text(found), expected=keymod.number_text(round(expected, 6))))

    def cell_errors(key: str, c: int, mask_rec: np.ndarray, value_fn=None, at=None, **params):
        col = prep.columns[c]
        for i in (rec if at is None else at)[mask_rec]:
            errors.append(_err(key, file, sheet, rows[i], c, header_of.get(c, ""),
                               value_fn(i) if value_fn else raw_value(col, i), **params))

    def number_errors(c: int, f: str, vals: np.ndarray, st: np.ndarray, at=None) -> None:
        """Every bad number of column c among the records (or among the rows `at`)."""
        cell_errors("not_a_number", c, st == NOT_A_NUMBER, field=f, at=at)
        with np.errstate(invalid="ignore"):  # no planning figure reaches 10^12: 1e308 summed is inf
            cell_errors("number_implausible", c, np.abs(vals) >= 1e12, field=f, at=at,
                        value_fn=lambda i: _short(raw_value(prep.columns[c], i)))
        text = prep.columns[c].text
        for i in (rec if at is None else at)[st == AMBIGUOUS]:
            tn = ctx.text_number(text[i])
            errors.append(_err("ambiguous_number", file, sheet, rows[i], c, header_of.get(c, ""), text[i],
                               a=keymod.number_text(tn.german), b=keymod.number_text(tn.english)))
        if f in NON_NEGATIVE_FIELDS:
            cell_errors("negative", c, vals < 0, field=f, at=at)

    out: dict[str, object] = {}
    grains: set[str] = set()
    period_labels = period_starts = None

    for f in kind.fields:
        c = cols.get(f)
        if c is None:
            continue
        col = prep.columns[c]
        empty_rec = empty[c][rec]
        if f in KEY_FIELDS or f in ("unit", "name", "product_group"):
            vals = values[f] if f in values else key_values(col, f)
            out[f] = vals[rec]
            if f == "product":
                display_forms = product_display_forms(col, rec)
        elif f in NUMERIC_FIELDS:
            (nums,) = parse_numbers([col], ctx)
            vals = nums.values[rec]
            number_errors(c, f, vals, nums.status[rec])
            out[f] = vals
        elif f == "period":
            toks = prep.period_col_tokens[c][rec]
            bad = np.equal(toks, None) & ~empty_rec
            cell_errors("bad_period", c, bad)
            resolved = _unique_map(toks, lambda t: None if t is None else resolve_period(t, ctx.monthly_dates))
            period_labels = np.array([r[0] if r else None for r in resolved], dtype=object)
            period_starts = np.array([r[2] if r else None for r in resolved], dtype=object)
            grains |= {r[1] for r in set(x for x in resolved if x)} if len(resolved) else set()
            out[f] = period_labels
        elif f == "priority_class":
            pr = priority_values(col)[rec]
            cell_errors("bad_priority", c, np.equal(pr, None) & ~empty_rec)
            out[f] = pr
        if f in kind.required and not (wide and f in ("period", kind.wide_value)):
            cell_errors("missing_value", c, empty_rec, value_fn=lambda i: None, field=f)
    if wide:
        frame = _wide_frame(prep, kind, rec, out, period_cols, number_errors, ctx, grains)
    else:
        if "period" in kind.fields:
            out["period_start"] = pd.Series(period_starts, dtype=object)
        frame = _frame(kind, out, len(rec), "period" in kind.fields)
        frame["_row"] = rec_rows.astype(np.int64)
        first_key = next((cols[k] for k in kind.keys if k in cols), min(cols.values()))
        frame["_col"] = text_series(np.full(len(frame), column_letter(first_key), dtype=object))
    # the unit a number column's header names (`Absatzmenge (Tsd. Stück)`, `Kapazität (min)`)
    scales = {f: (header_scale(f, header_of.get(c, "")), c) for f, c in cols.items()
              if f in NUMERIC_FIELDS and not wide}
    if wide and period_cols:
        # the words beside the period (`Menge in 1.000 Stück` of `Menge in 1.000 Stück KW 01/2027`)
        by_column = {c: header_scale(kind.wide_value, split_measure(header_of.get(c, ""))[1]
                                     or header_of.get(c, "")) for c in period_cols}
        first = by_column[period_cols[0]]

        def same(a, b) -> bool:
            return (a.factor, a.rate_unit, a.refused) == (b.factor, b.rate_unit, b.refused)

        if all(same(v, first) for v in by_column.values()):
            scales[kind.wide_value] = (first, period_cols[0])
        else:
            c = next(c for c in period_cols if not same(by_column[c], first))
            errors.append(_err("header_unit_mixed", file, sheet, prep.header_row, c, header_of.get(c, ""),
                               None, first=header_of.get(period_cols[0], "")))
    for f, (scale, c) in scales.items():
        if scale.unknown:
            errors.append(_err(_unknown_unit_key(f, scale.unit), file, sheet, prep.header_row, c, header_of.get(c, ""),
                               header_of.get(c, ""), field=f, unit=scale.unit,
                               understood_de=render(f"units_understood_{f}", "de"),
                               understood_en=render(f"units_understood_{f}", "en")))
        elif scale.refused:
            errors.append(_err("header_unit_refused", file, sheet, prep.header_row, c, header_of.get(c, ""),
                               header_of.get(c, ""), field=f))
        elif scale.factor != 1.0 and f in frame.columns:
            frame[f] = frame[f] * scale.factor
            where = column_letter(c) if not wide else \
                f"{column_letter(period_cols[0])}–{column_letter(period_cols[-1])}"
            said.append(_err("header_unit_scaled", file, sheet, prep.header_row, c, header_of.get(c, ""),
                              header_of.get(c, ""), field=f, where=where, factor_de=_factor_text(scale.factor, "de"),
                              factor_en=_factor_text(scale.factor, "en")))
    if max_rows is not None and max_rows.any():
        _max_hours_beside(frame, prep, kind, np.flatnonzero(max_rows), values, key_fields, cols,
                          period_cols, number_errors, ctx, grains, scales, file, sheet, header_of, errors)
        mc = m.fields["measure"]
        said.append(_err("max_hours_rows_read", file, sheet, prep.header_row, mc, header_of.get(mc, ""),
                         ", ".join(sorted(maxes)), count=int(max_rows.sum())))
    if det.kind == "products" and not any(s.unknown or s.refused for s, _ in scales.values()):
        _money_per_unit(frame, scales, rec, prep, header_of, file, sheet, errors, said)
    if det.kind in ("products", "alternates"):
        # the rate's unit is kept as the header gives it (`Leistung (kg/h)`); the model converts
        rate_scale = scales.get("rate", (None,))[0]
        given = (rate_scale.rate_unit if rate_scale is not None and rate_scale.rate_unit else
                 rate_unit(header_of.get(cols["rate"]))) if "rate" in cols else None
        frame["rate_unit"] = text_series(np.full(len(frame), given, dtype=object))
    if det.kind == "capacity" and "shift" in m.fields:
        shifts = key_values(prep.columns[m.fields["shift"]], "shift")[rec]
        frame["_shift"] = pd.Series(np.repeat(shifts, len(period_cols)) if wide else shifts, dtype=object)
    grain = None
    if len(grains) > 1:
        examples = _grain_examples(frame)
        errors.append(_err("mixed_grain", file, sheet, prep.header_row, None, None, examples))
    elif grains:
        grain = grains.pop()
    errors.sort(key=lambda e: (e.row or 0, len(e.column or ""), e.column or ""))
    value_field = reconciled_field(det.kind)
    cells_read, sum_read = 0, 0.0
    if value_field is not None and value_field in frame.columns and len(frame):
        if wide:
            cells_read = int(sum((~prep.columns[c].empty()[rec]).sum() for c in period_cols))
        else:
            cells_read = int((~empty[cols[value_field]][rec]).sum()) if value_field in cols else 0
        with np.errstate(over="ignore"):  # an implausible cell is refused above: its sum may be inf
            sum_read = float(np.nansum(frame[value_field].to_numpy(dtype=float)))
    read_cols = set(cols.values()) | set(period_cols) | set(m.totals_cols) | \
        {c for f, c in m.fields.items() if f in AUX_FIELDS}
    not_read = [f"{column_letter(c)} ({text})" for c, text in sorted(m.texts.items())
                if c not in read_cols and c not in m.bad_periods]
    if measure_note:
        not_read.append(measure_note)
    failed = {(e.row, e.column) for e in errors if e.key == "excel_error"}
    if failed:  # an error cell is said once, as what it is (not also as an empty key, say)
        errors = [e for e in errors if e.key == "excel_error" or (e.row, e.column) not in failed]
    return SheetResult(
        product_display=display_forms,
        cells_read=cells_read, sum_read=sum_read, columns_not_read=not_read,
        sheet=sheet, kind=det.kind, layout=det.layout, grain=grain, header_row=prep.header_row,
        columns={f: header_of[c] for f, c in cols.items()}, frame=frame,
        aux_columns={f: header_of.get(c, "") for f, c in m.fields.items() if f in AUX_FIELDS},
        # m.row counts every row above the header: title, metadata and empty rows
        skipped_rows=m.row + inner_empty + int(totals.sum()) + int(notes.sum()),
        totals_rows=int(totals.sum()), totals_checked=totals_checked,
        errors=errors, signature=signature(m.headers, m.periods), headers=m.headers, notes=said)


def _factor_text(factor: float, lang: str) -> str:
    """A unit's factor as the preview says it: `1.000`, `1/60`, `0,45359237`."""
    if factor >= 1 and float(factor).is_integer():
        return f"{factor:,.0f}".replace(",", "." if lang == "de" else ",")
    if float(1 / factor).is_integer() or abs(1 / factor - round(1 / factor)) < 1e-9:
        return f"1/{1 / factor:,.0f}".replace(",", "." if lang == "de" else ",")
    text = f"{factor:.12g}"
    return text.replace(".", ",") if lang == "de" else text


def unit_kg(unit: object) -> float | None:
    """Kilograms of one unit where the unit is a weight (`kg`, `g`, `t`); kept the same as the
    model's `unit_key`/`key_kg` macros (model/sql/macros.sql), so a price per kg is reckoned as the
    model reckons the article's kg per unit."""
    if not isinstance(unit, str):
        return None
    return _UNIT_KG.get(re.sub(r"[.\s]", "", unit.lower()))


_UNIT_KG = {"kg": 1.0, "kgm": 1.0, "kilogramm": 1.0, "kilogram": 1.0, "kilo": 1.0, "g": 0.001, "gr": 0.001,
            "gramm": 0.001, "gram": 0.001, "t": 1000.0, "to": 1000.0, "tonne": 1000.0, "tonnen": 1000.0}


def _money_per_unit(frame: pd.DataFrame, scales: dict, rec: np.ndarray, prep, header_of: dict, file: str,
                    sheet: str, errors: list[UserError], said: list[UserError]) -> None:
    """A price or margin per kg, or a margin in % of the price, as EUR per unit of the article
    (spec section 2): per kg times the article's kg per unit (its unit's weight where it is kept
    in a weight, else its net weight); a row that lacks what it needs is refused."""
    rows = frame["_row"].to_numpy()
    kg = np.array([unit_kg(u) for u in frame["unit"].astype(object)], dtype=float) \
        if "unit" in frame.columns else np.full(len(frame), np.nan)
    weight = frame["net_weight"].to_numpy(dtype=float) if "net_weight" in frame.columns else np.full(len(frame), np.nan)
    kg = np.where(np.isnan(kg), np.where(weight > 0, weight, np.nan), kg)
    price_given = frame["price"].to_numpy(dtype=float).copy()  # before a per-kg price is converted
    for f in ("price", "margin"):
        scale, c = scales.get(f, (None, None))
        if scale is None or not scale.per_kg:
            continue
        values = frame[f].to_numpy(dtype=float)
        for j in np.flatnonzero(~np.isnan(values) & np.isnan(kg)):
            errors.append(_err("per_kg_no_weight", file, sheet, rows[j], c, header_of.get(c, ""),
                               raw_value(prep.columns[c], rec[j]), field=f, product=frame["product"].iloc[j]))
        frame[f] = values * kg
        said.append(_err("header_unit_per_kg", file, sheet, prep.header_row, c, header_of.get(c, ""),
                         header_of.get(c, ""), field=f, where=column_letter(c)))
    scale, c = scales.get("margin", (None, None))
    if scale is not None and scale.percent:
        percent = frame["margin"].to_numpy(dtype=float)
        if "price" not in scales:
            if (~np.isnan(percent)).any():
                errors.append(_err("margin_percent_no_price", file, sheet, prep.header_row, c,
                                   header_of.get(c, ""), header_of.get(c, "")))
            return
        price_header = header_of.get(scales["price"][1], "")
        for j in np.flatnonzero(~np.isnan(percent) & np.isnan(price_given)):
            errors.append(_err("margin_percent_no_price_row", file, sheet, rows[j], c, header_of.get(c, ""),
                               raw_value(prep.columns[c], rec[j]), product=frame["product"].iloc[j],
                               price=price_header))
        frame["margin"] = percent / 100.0 * frame["price"].to_numpy(dtype=float)
        said.append(_err("header_unit_percent", file, sheet, prep.header_row, c, header_of.get(c, ""),
                         header_of.get(c, ""), where=column_letter(c), price=price_header))


def period_header_errors(m, file: str, sheet: str, header_row: int) -> list[UserError]:
    """Every period-looking header that cannot be read, naming its cell (never a dropped column)."""
    out = []
    for c, text in sorted(m.bad_periods.items()):
        cell = f"{column_letter(c)}{header_row}"
        year = week_53_missing(text)
        if year is not None:
            out.append(_err("period_header_week53", file, sheet, header_row, c, text, text, cell=cell, year=year))
        elif month_name(text) is not None:
            out.append(_err("period_header_no_year", file, sheet, header_row, c, text, text, cell=cell))
        else:
            out.append(_err("period_header_unreadable", file, sheet, header_row, c, text, text, cell=cell))
    return out


def reconciled_field(kind: str | None) -> str | None:
    """The figure a sheet's reconciliation adds up: quantity, hours or rate (None for markets)."""
    if kind is None:
        return None
    spec = KINDS[kind]
    return spec.wide_value or ("rate" if "rate" in spec.required else None)


def _row_label(prep, key_cols: list[int], i: int) -> str:
    """The first text in a row's key cells (`Summe Butter`), or '' where there is none."""
    for c in key_cols:
        v = raw_value(prep.columns[c], i)
        if v is not None:
            return str(v)
    return ""


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal to within rounding: a cent, or a millionth of the figure."""
    return bool(np.all(np.abs(a - b) <= np.maximum(0.01, 1e-6 * np.abs(b))))


def verify_totals(prep, value_cols: list[int], looks_totals: np.ndarray, row_empty: np.ndarray,
                  keys_complete: np.ndarray, ctx: FileContext):
    """Which totals-looking rows are totals (spec section 2): those whose figures are the sum of
    the data rows they close, since a previous totals row (the latest first) or since the top.
    A row that does not add up is data where its keys are complete, else a mismatch.

    Returns (verified mask, {row index: (value column index, figure, sum found)}, verified rows).
    """
    n = len(looks_totals)
    verified = np.zeros(n, bool)
    mismatched: dict[int, tuple[int, float, float]] = {}
    candidates = np.flatnonzero(looks_totals)
    if not len(candidates) or not value_cols:
        return verified, mismatched, []
    parsed = parse_numbers([prep.columns[c] for c in value_cols], ctx)
    values = np.column_stack([np.nan_to_num(p.values, nan=0.0) for p in parsed])
    data = ~row_empty & ~looks_totals
    running = np.zeros((n + 1, len(value_cols)))
    running[1:] = np.cumsum(np.where(data[:, None], values, 0.0), axis=0)
    counts = np.concatenate([[0], np.cumsum(data)])
    starts = [0]
    checked = []
    for i in candidates:
        for start in reversed(starts):
            closes_rows = counts[i] - counts[start] > 0 or not values[i].any()   # a zero total of nothing
            if closes_rows and _close(running[i] - running[start], values[i]):
                verified[i] = True
                break
        if verified[i]:
            starts.append(i + 1)
            checked.append(i)
            continue
        if keys_complete[i]:
            running[i + 1:] += values[i]      # a market called `Total Tankstellen` is data
            counts[i + 1:] += 1
            continue
        block = running[i] - running[starts[-1]]
        j = int(np.argmax(np.abs(block - values[i])))
        mismatched[i] = (j, float(values[i, j]), float(block[j]))
    return verified, mismatched, checked


def verify_totals_columns(prep, period_cols: list[int], totals_cols: list[int], rec: np.ndarray,
                          ctx: FileContext):
    """Each `Summe`/`Gesamt` column against the period columns it closes (those since the previous
    totals column, or all to its left): (column, ok, first bad row index, figure, sum found)."""
    if not len(rec):
        return []
    parsed = parse_numbers([prep.columns[c] for c in period_cols], ctx)
    values = np.column_stack([np.nan_to_num(p.values[rec], nan=0.0) for p in parsed])
    totals = parse_numbers([prep.columns[c] for c in totals_cols], ctx)
    out, previous = [], -1
    for c, nums in zip(totals_cols, totals):
        figure = np.nan_to_num(nums.values[rec], nan=0.0)
        left = [j for j, p in enumerate(period_cols) if p < c]
        since = [j for j in left if period_cols[j] > previous]
        found = None
        for block in (since, left, list(range(len(period_cols)))):
            sums = values[:, block].sum(axis=1) if block else np.zeros(len(rec))
            if block and _close(sums, figure):
                found = True
                break
        if found:
            out.append((c, True, None, 0.0, 0.0))
            previous = c
            continue
        sums = values[:, since or left or list(range(len(period_cols)))].sum(axis=1)
        bad = int(np.argmax(np.abs(sums - figure) > np.maximum(0.01, 1e-6 * np.abs(figure))))
        out.append((c, False, int(rec[bad]), float(figure[bad]), float(sums[bad])))
    return out


def _grain_examples(frame: pd.DataFrame) -> str:
    labels = pd.unique(frame["period"].dropna()) if "period" in frame else []
    weeks = [p for p in labels if "W" in p][:1]
    months = [p for p in labels if "W" not in p][:1]
    return ", ".join(weeks + months)


def _frame(kind, out: dict, n: int, with_period: bool) -> pd.DataFrame:
    data = {}
    for f in kind.fields:
        if f in NUMERIC_FIELDS:
            data[f] = out[f] if f in out else np.full(n, np.nan)
        elif f == "priority_class":
            data[f] = pd.array(out[f] if f in out else np.full(n, None, dtype=object), dtype="Int64")
        else:
            data[f] = text_series(out[f] if f in out else np.full(n, None, dtype=object))
    if with_period:
        data["period_start"] = out.get("period_start", np.full(n, None, dtype=object))
    return pd.DataFrame(data)


def _max_hours_beside(frame, prep, kind, rec_max, values, key_fields, cols, period_cols, number_errors,
                      ctx, grains, scales, file, sheet, header_of, errors) -> None:
    """A wide capacity's rows of maximum hours, read like its rows of available hours (the same
    period columns, header units and number rules, an empty cell as no maximum) and set beside the
    available hours of the same line and period. A maximum without a row of available hours for
    its line, or given twice, is refused naming its row."""
    out = {f: values[f][rec_max] for f in key_fields}
    maxes = _wide_frame(prep, kind, rec_max, out, period_cols,
                        lambda c, f, vals, st: number_errors(c, "max_hours", vals, st, at=rec_max),
                        ctx, grains, empty=np.nan)
    scale = scales.get(kind.wide_value, (None,))[0]
    hours = maxes[kind.wide_value].to_numpy(dtype=float) * (scale.factor if scale is not None else 1.0)
    keys = list(zip(maxes["line"].astype(str), maxes["period"].astype(str)))
    have = set(zip(frame["line"].astype(str), frame["period"].astype(str)))
    line_col = cols.get("line")
    seen: dict[tuple, int] = {}
    said: set[int] = set()  # one refusal per row, not one per period column
    for k, row in zip(keys, maxes["_row"].to_numpy()):
        row = int(row)
        if row not in said and k in seen and seen[k] != row:
            errors.append(_err("max_hours_twice", file, sheet, row, line_col, header_of.get(line_col, ""),
                               k[0], other=seen[k]))
            said.add(row)
        elif row not in said and k not in have:
            errors.append(_err("max_hours_without_hours", file, sheet, row, line_col,
                               header_of.get(line_col, ""), k[0]))
            said.add(row)
        seen.setdefault(k, row)
    by_key = pd.Series(hours, index=pd.MultiIndex.from_tuples(keys)) if keys else pd.Series(dtype=float)
    by_key = by_key[~by_key.index.duplicated()]
    frame["max_hours"] = by_key.reindex(
        pd.MultiIndex.from_arrays([frame["line"].astype(str), frame["period"].astype(str)])).to_numpy()


def _wide_frame(prep, kind, rec, out, period_cols, number_errors, ctx, grains, empty: float = 0.0) -> pd.DataFrame:
    """Records of a wide layout: one per record row and period column, empty and '-' cells as 0
    (or `empty`: a maximum not given is none)."""
    rows = prep.rows
    value_field = kind.wide_value
    p = len(period_cols)
    matrix = np.empty((len(rec), p), dtype=float)
    labels, starts = [], []
    parsed = parse_numbers([prep.columns[c] for c in period_cols], ctx)
    for j, c in enumerate(period_cols):
        nums = parsed[j]
        vals = nums.values[rec]
        st = nums.status[rec]
        number_errors(c, value_field, vals, st)
        matrix[:, j] = np.where(np.isnan(vals) & (st == OK), empty, vals)
        label, grain, start = resolve_period(prep.detection.match.periods[c], ctx.monthly_dates)
        labels.append(label)
        starts.append(start)
        grains.add(grain)
    n = len(rec) * p
    by_row = np.repeat(np.arange(len(rec), dtype=np.int32), p)
    by_col = np.tile(np.arange(p, dtype=np.int32), len(rec))
    data = {}
    for f in kind.fields:
        if f == value_field:
            data[f] = matrix.ravel()
        elif f == "period":
            data[f] = text_series(np.array(labels, dtype=object), by_col)
        elif f in NUMERIC_FIELDS:
            data[f] = np.repeat(out[f], p) if f in out else np.full(n, np.nan)
        else:
            data[f] = text_series(out[f] if f in out else np.array([None], dtype=object),
                                  by_row if f in out else np.zeros(n, dtype=np.int32))
    data["period_start"] = repeated_objects(np.array(starts, dtype=object), by_col)
    data["_row"] = np.repeat(rows[rec].astype(np.int32), p)
    data["_col"] = text_series(np.array([column_letter(c) for c in period_cols], dtype=object), by_col)
    return pd.DataFrame(data, copy=False)   # the columns are new arrays: not copied nor stacked


_POUND_DE = re.compile(r"(?<![a-z])(?:pfund|pfd)(?![a-z])")
_GROSS = re.compile(r"(?<![a-z])(?:brutto|gross|inkl|incl|mwst|ust|vat)(?![a-z])")


def _unknown_unit_key(field: str, unit: str) -> str:
    """The message for a unit a master field does not know, with the reason where one is known:
    `Pfund` is 500 g in German trade but 453.6 g as lb; a gross price holds the VAT."""
    folded = unit.lower()
    if field == "net_weight" and _POUND_DE.search(folded):
        return "header_unit_pound"
    if field in ("price", "margin") and _GROSS.search(folded):
        return "header_unit_gross"
    return "header_unit_unknown"
