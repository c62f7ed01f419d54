"""Helpers for reader tests: small workbooks built in memory with openpyxl."""
from __future__ import annotations

import io
import math

import openpyxl
import pytest

from pipelines.read import read_file


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """An xlsx with one sheet per entry, rows written from A1 (None: empty cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(rows, start=1):
            for c, v in enumerate(values, start=1):
                if v is not None:
                    ws.cell(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plain(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def records(frame, columns) -> list[tuple]:
    """The frame's rows as plain tuples (NaN -> None, dates -> ISO text)."""
    return [tuple(plain(v) for v in row) for row in frame[list(columns)].itertuples(index=False)]


def errs(result) -> list[tuple]:
    """(key, sheet, row, column, header) of every error of a ReadResult."""
    return [(e.key, e.sheet, e.row, e.column, e.header) for e in result.all_errors()]


@pytest.fixture
def read_rows():
    """Read a one-sheet xlsx built from rows."""
    def _read(rows, sheet="Absatzplan", file_name="upload.xlsx", **kw):
        return read_file(xlsx_bytes({sheet: rows}), file_name, **kw)
    return _read
