"""File-level rules over what the reader produced: repeated keys, canonical key text, new keys."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipelines.contract import KINDS
from pipelines.errors import UserError, column_letter

# key fields compared case-insensitively and shown as first seen (spec section 1)
FOLDED_KEYS = {"market": "market", "line": "line"}


@dataclass
class KindBatch:
    """The validated rows of one kind from one upload, ready to store."""

    kind: str
    frame: pd.DataFrame
    sheets: list[str]
    grain: str | None
    layout: str
    header_row: int
    merged_rows: int = 0
    dropped_duplicates: int = 0
    skipped_rows: int = 0
    dropped_sum: dict[str, float] = field(default_factory=dict)   # sheet -> figure of dropped duplicates
    signatures: list[tuple[str, dict]] = field(default_factory=list)


def fold_key(value: object) -> str:
    return str(value).strip().casefold()


def _folded_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of the folded text (missing: -1) and, per code, the first raw text seen."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    folded = pd.Index([fold_key(u) for u in uniques])
    fcodes, funiques = pd.factorize(folded)
    mapped = np.where(codes >= 0, fcodes[np.maximum(codes, 0)] if len(fcodes) else -1, -1)
    first_raw = np.empty(len(funiques), dtype=object)
    seen = np.zeros(len(funiques), dtype=bool)
    for raw, fc in zip(uniques, fcodes):  # factorize keeps order of first appearance
        if not seen[fc]:
            first_raw[fc], seen[fc] = raw, True
    return mapped, first_raw


def canonical_keys(frame: pd.DataFrame, known: dict[tuple[str, str], str]) -> pd.DataFrame:
    """Replace market/line text by its display form: the one stored first, else first seen here."""
    frame = frame.copy(deep=False)
    for column, key_type in FOLDED_KEYS.items():
        if column not in frame.columns or not frame[column].notna().any():
            continue
        codes, first_raw = _folded_codes(frame[column])
        display = [known.get((key_type, fold_key(raw))) or str(raw).strip() for raw in first_raw]
        frame[column] = pd.Categorical.from_codes(codes, categories=pd.Index(display, dtype=object))
    return frame


def key_codes(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """One int64 per row identifying its key (markets and lines folded); equal keys, equal codes."""
    code = np.zeros(len(frame), dtype=np.int64)
    for k in keys:
        if k in FOLDED_KEYS:
            codes, first_raw = _folded_codes(frame[k])
            n = len(first_raw)
        elif isinstance(frame[k].dtype, pd.CategoricalDtype):
            codes, n = frame[k].cat.codes.to_numpy(), len(frame[k].cat.categories)
        else:
            codes, uniques = pd.factorize(frame[k], use_na_sentinel=True)
            n = len(uniques)
        # in place: a temporary of 5 M rows per step costs more in page faults than the arithmetic
        code *= n + 1
        code += codes
        code += 1
    return code


def repeated_keys(codes: np.ndarray) -> np.ndarray:
    """Rows whose key code occurs more than once. Sorting shows that none does (the usual case)
    faster than hashing every row, above all for an export sorted by its keys."""
    ordered = np.sort(codes)
    if not len(codes) or not (ordered[1:] == ordered[:-1]).any():
        return np.zeros(len(codes), dtype=bool)
    return pd.Series(codes).duplicated(keep=False).to_numpy()


def _field_column(sheet_columns: dict[str, str], headers: list[str], name: str) -> tuple[str | None, str | None]:
    header = sheet_columns.get(name)
    if header is None:
        return None, None
    try:
        return column_letter(headers.index(header)), header
    except ValueError:
        return None, header


def _copies(parts: list, columns: list[str], file_name: str) -> list[UserError]:
    """A sheet that repeats another sheet of the same kind row for row (`Absatzplan (2)`, a copy
    left visible): added up, every quantity would count twice."""
    errors = []

    def rows_of(sheet) -> pd.DataFrame:
        frame = sheet.frame[[c for c in columns if c in sheet.frame.columns]]
        return frame.astype(str).sort_values(list(frame.columns)).reset_index(drop=True)

    for j, later in enumerate(parts):
        for earlier in parts[:j]:
            if len(later.frame) and len(later.frame) == len(earlier.frame) and \
                    rows_of(later).equals(rows_of(earlier)):
                errors.append(UserError("sheet_copy", file=file_name, sheet=later.sheet,
                                        params={"sheet": later.sheet, "original": earlier.sheet,
                                                "rows": len(later.frame)}))
                break
    return errors


def combine(kind: str, parts: list, file_name: str) -> tuple[KindBatch, list[UserError]]:
    """Combine the sheets of one kind; sum additive duplicates, drop identical master duplicates."""
    spec = KINDS[kind]
    frame = pd.concat([s.frame for s in parts], ignore_index=True) if len(parts) > 1 else parts[0].frame
    # the sheet of each row as a category: a text column repeating one name over 5M melted rows
    # would cost 100 MB and a second
    names = [s.sheet for s in parts]
    sheet_codes = np.repeat(np.arange(len(parts), dtype=np.int16), [len(s.frame) for s in parts])
    frame = frame.assign(_sheet=pd.Categorical.from_codes(sheet_codes, categories=names)
                         if len(set(names)) == len(names) else np.array(names, dtype=object)[sheet_codes])
    grains = {s.grain for s in parts if s.grain}
    batch = KindBatch(
        kind=kind, frame=frame, sheets=[s.sheet for s in parts],
        grain=sorted(grains)[0] if grains else None, layout=parts[0].layout,
        header_row=parts[0].header_row,
        skipped_rows=sum(s.skipped_rows for s in parts),
        signatures=[(s.signature, s.columns, s.headers) for s in parts])
    errors: list[UserError] = []
    if spec.additive:
        errors.extend(_copies(parts, [*spec.keys, spec.wide_value], file_name))
        if errors:
            return batch, errors
    if len(grains) > 1:
        errors.append(UserError("mixed_grain", file=file_name, sheet=", ".join(batch.sheets),
                                value=" / ".join(sorted(grains))))
        return batch, errors
    keys = list(spec.keys)
    if spec.additive and "unit" in frame.columns and frame["unit"].notna().any():
        # rows of one key in different units (`KG` beside `Stk`) are not added up: the model
        # converts each through the net weight (spec section 5 "Units")
        keys.append("unit")
    if frame.empty:
        return batch, errors
    frame = frame.reset_index(drop=True)
    codes = key_codes(frame, keys)
    repeated = repeated_keys(codes)
    if not repeated.any() and not (kind == "capacity" and "_shift" in frame.columns):
        batch.frame = frame
        return batch, errors
    if spec.additive:
        value = spec.wide_value
        grouped = frame.groupby(codes, sort=False)
        summed = grouped.first()
        summed[value] = grouped[value].sum(min_count=1)
        batch.frame = summed.reset_index(drop=True)[list(frame.columns)]
        batch.merged_rows = len(frame) - len(batch.frame)
        return batch, errors
    # master data and capacity: identical repeats are dropped, differing repeats are errors
    shifts = kind == "capacity" and "_shift" in frame.columns and frame["_shift"].notna().any()
    if shifts:
        keys = keys + ["_shift"]
        codes = key_codes(frame, keys)
        repeated = repeated_keys(codes)
    compare = [c for c in spec.fields if c in frame.columns and c not in keys]
    sheet_by_name = {s.sheet: s for s in parts}
    drop = np.zeros(len(frame), dtype=bool)
    for _, group in frame[repeated].groupby(codes[repeated], sort=False):
        first_row = group.iloc[0]
        first_values = [_same_form(first_row.get(c)) for c in compare]
        for index, row in group.iloc[1:].iterrows():
            values = [_same_form(row.get(c)) for c in compare]
            if values == first_values:
                drop[index] = True
                continue
            name = next(c for c, a, b in zip(compare, values, first_values) if a != b)
            sheet = sheet_by_name.get(row["_sheet"], parts[0])
            letter, header = _field_column(sheet.columns, sheet.headers, name)
            key_text = " / ".join(str(row[k]) for k in keys)
            errors.append(UserError(
                "conflicting_duplicate", file=file_name, sheet=row["_sheet"], row=int(row["_row"]),
                column=letter, header=header, value=row.get(name),
                params={"key": key_text, "other_row": int(first_row["_row"])}))
    batch.dropped_duplicates = int(drop.sum())
    value = spec.wide_value or ("rate" if "rate" in spec.required else None)
    if drop.any() and value in frame.columns:
        dropped = frame[drop]
        batch.dropped_sum = {str(k): float(v) for k, v in
                             dropped[value].fillna(0).groupby(dropped["_sheet"].astype(str)).sum().items()}
    kept = frame[~drop]
    batch.frame = kept.reset_index(drop=True)
    if shifts:
        batch.frame, batch.merged_rows = _sum_shifts(batch.frame, list(spec.keys))
    return batch, errors


def _sum_shifts(frame: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, int]:
    """Capacity given one row per shift: the hours of the shifts of one line and period added up."""
    codes = key_codes(frame, keys)
    grouped = frame.groupby(codes, sort=False)
    summed = grouped.first()
    for column in ("available_hours", "max_hours"):
        if column in frame.columns:
            summed[column] = grouped[column].sum(min_count=1)
    out = summed.reset_index(drop=True)[[c for c in frame.columns if c != "_shift"]]
    return out, len(frame) - len(out)


def _same_form(value: object) -> object:
    """Values compared as a planner would: missing equals missing, text trimmed and folded."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, str):
        return value.strip().casefold()
    return value

