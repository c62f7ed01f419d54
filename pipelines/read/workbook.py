"""Sheets of a workbook or CSV as a small head (for finding the header) and typed columns (the bulk).

xlsx/xlsm go through fastexcel (Arrow) with the head read by `xlsxhead`; xls, xlsb and ods through
python-calamine; CSV through the csv module. A column comes back as `Column`: numbers, text and dates
kept apart, so that a number cell `1.234` is never mistaken for the text `1.234`.
"""
from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import os
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

HEAD_ROWS = 25
log = logging.getLogger("einklang.read")
NAT = np.datetime64("NaT", "D")


@dataclass
class Column:
    """One sheet column below the header: every cell is a number, a text, a date or empty."""

    index: int                      # 0-based absolute column
    num: np.ndarray                 # float64, NaN where the cell is not a number
    text: np.ndarray | None = None  # object, stripped str where the cell is text, else None
    date: np.ndarray | None = None  # datetime64[D], NaT where the cell is not a date
    # Excel error cells (#DIV/0!, #N/A ...) by position in the column: the readers give them as
    # empty, which a quantity column would read as 0 (sheet.build refuses them)
    errors: dict[int, str] | None = None

    def empty(self) -> np.ndarray:
        mask = np.isnan(self.num)
        if self.text is not None:
            mask &= _is_none(self.text)
        if self.date is not None:
            mask &= np.isnat(self.date)
        return mask

    def has_text(self) -> np.ndarray:
        return ~_is_none(self.text) if self.text is not None else np.zeros(len(self.num), bool)


def _is_none(values: np.ndarray) -> np.ndarray:
    return np.equal(values, None)


def empty_column(index: int, n: int) -> Column:
    return Column(index, np.full(n, np.nan))


def column_from_arrow(index: int, arr: pa.Array) -> Column:
    """A Column from one Arrow array as fastexcel types it."""
    n = len(arr)
    t = arr.type
    if pa.types.is_floating(t) or pa.types.is_integer(t):
        return Column(index, pc.fill_null(arr.cast(pa.float64()), np.nan).to_numpy(zero_copy_only=False))
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        days = arr.cast(pa.timestamp("ms")).cast(pa.date32()) if pa.types.is_timestamp(t) else arr.cast(pa.date32())
        dates = days.to_numpy(zero_copy_only=False).astype("datetime64[D]")
        num = np.full(n, np.nan)
        times = np.isin(dates, _DAY_ZERO)
        if pa.types.is_timestamp(t) and times.any():
            # a time of day (HH:MM, a serial below 1) is the count of hours it shows, as a duration is
            ms = arr.cast(pa.timestamp("ms")).cast(pa.int64()).to_numpy(zero_copy_only=False)
            num[times] = (ms[times] - dates[times].astype("datetime64[ms]").astype(np.int64)) / 3_600_000
            dates[times] = NAT
        return Column(index, num, date=dates)
    if pa.types.is_null(t):
        return empty_column(index, n)
    if pa.types.is_duration(t):  # a cell formatted [h]:mm holds a count of hours, as it shows
        per_hour = {"s": 3600, "ms": 3_600_000, "us": 3_600_000_000, "ns": 3_600_000_000_000}[t.unit]
        hours = pc.divide(arr.cast(pa.int64()).cast(pa.float64()), float(per_hour))
        return Column(index, pc.fill_null(hours, np.nan).to_numpy(zero_copy_only=False))
    if pa.types.is_boolean(t):
        arr = pc.if_else(arr, "TRUE", "FALSE")
    elif not (pa.types.is_string(t) or pa.types.is_large_string(t)):
        arr = arr.cast(pa.string())
    return Column(index, np.full(n, np.nan), text=_texts(arr))


def _texts(arr: pa.Array) -> np.ndarray:
    """Stripped text, '' as None, vectorised through Arrow."""
    arr = pc.utf8_trim_whitespace(arr)
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
    return arr.to_numpy(zero_copy_only=False).astype(object)


# LibreOffice's time cells (a duration [h]:mm) reach python-calamine as ISO 8601 text from an ods
_ISO_DURATION = re.compile(r"^PT(\d+)H(\d+)M(\d+(?:\.\d+)?)S$")


# Excel's day 0: a time-of-day cell (a serial below 1, HH:MM) that fastexcel gives as a timestamp
_DAY_ZERO = (np.datetime64("1899-12-30", "D"), np.datetime64("1899-12-31", "D"))


def _hours(value: object) -> float | None:
    """A duration cell as the count of hours it shows (120:00 -> 120.0), else None; a time of day
    too (08:00, as an ods keeps every duration under 24 h and Excel an `HH:MM` cell)."""
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    if isinstance(value, dt.time):
        return value.hour + value.minute / 60 + (value.second + value.microsecond / 1e6) / 3600
    if isinstance(value, dt.datetime) and np.datetime64(value.date(), "D") in _DAY_ZERO:
        return _hours(value.time())
    if isinstance(value, str) and value.startswith("PT") and (m := _ISO_DURATION.match(value)):
        return int(m.group(1)) + int(m.group(2)) / 60 + float(m.group(3)) / 3600
    return None


def column_from_values(index: int, values) -> Column:
    """A Column from Python cell values (calamine, CSV): each cell kept as its own type."""
    n = len(values)
    arr = np.empty(n, dtype=object)
    arr[:] = values
    types = np.fromiter(map(type, arr), dtype=object, count=n)
    is_str = types == str
    is_num = (types == float) | (types == int)
    num = np.full(n, np.nan)
    if is_num.any():
        num[is_num] = arr[is_num].astype(float)
    text = None
    if is_str.any():
        for i in np.flatnonzero(is_str):
            if arr[i].startswith("PT") and (hours := _hours(arr[i])) is not None:
                is_str[i], is_num[i], num[i] = False, True, hours
    if is_str.any():
        text = np.full(n, None, dtype=object)
        text[is_str] = _texts(pa.array(arr[is_str], type=pa.string(), from_pandas=True))
    date = None
    for i in np.flatnonzero(~(is_str | is_num | np.equal(arr, None))):
        v = arr[i]
        if (hours := _hours(v)) is not None:
            num[i] = hours
        elif isinstance(v, dt.date):
            if date is None:
                date = np.full(n, NAT)
            date[i] = np.datetime64(v.date() if isinstance(v, dt.datetime) else v, "D")
        else:
            if text is None:
                text = np.full(n, None, dtype=object)
            text[i] = ("TRUE" if v else "FALSE") if isinstance(v, bool) else (str(v).strip() or None)
    if text is not None and not (~_is_none(text)).any():
        text = None
    return Column(index, num, text, date)


# fastexcel names an error cell "Error(Div0)"; the code as Excel shows it (English, as LibreOffice
# and Excel store it in the file)
_ERROR = re.compile(r"Error\((\w+)\)")
ERROR_CODES = {"Div0": "#DIV/0!", "NA": "#N/A", "Value": "#VALUE!", "Ref": "#REF!", "Name": "#NAME?",
               "Num": "#NUM!", "Null": "#NULL!", "GettingData": "#GETTING_DATA"}


def cell_errors(errors) -> dict[tuple[int, int], str]:
    """{(0-based sheet row, column): Excel error code} from fastexcel's CellErrors."""
    out = {}
    for e in getattr(errors, "errors", None) or ():
        if (found := _ERROR.search(e.detail or "")) is not None:
            out[tuple(e.position)] = ERROR_CODES.get(found.group(1), "#" + found.group(1).upper())
    return out


def attach_errors(columns: dict[int, Column], errors: dict[tuple[int, int], str], first_row: int) -> None:
    """Put the error cells at or below `first_row` on their columns."""
    for (row, c), code in errors.items():
        if c in columns and row >= first_row:
            col = columns[c]
            if col.errors is None:
                col.errors = {}
            col.errors[row - first_row] = code


_ODS = "{urn:oasis:names:tc:opendocument:xmlns:%s:1.0}"
_TABLE, _TEXT = _ODS % "table", _ODS % "text"
_ODS_ERROR = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"


def ods_errors(data: bytes, name: str) -> dict[tuple[int, int], str]:
    """The error cells of one sheet of an ods file (LibreOffice marks them calcext:value-type
    "error" and stores them as empty text, which python-calamine and fastexcel read as '')."""
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with archive.open("content.xml") as content:
            if b'value-type="error"' not in content.read():
                return {}
        out: dict[tuple[int, int], str] = {}
        row = col = -1
        inside = False
        with archive.open("content.xml") as content:
            for event, el in iterparse(content, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == _TABLE + "table":
                        inside, row = el.get(_TABLE + "name") == name, -1
                    elif inside and tag == _TABLE + "table-row":
                        row, col = row + 1, -1
                    continue
                if not inside:
                    if tag == _TABLE + "table-row":
                        el.clear()
                    continue
                if tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                    if el.get(_ODS_ERROR) == "error":
                        text = "".join(el.itertext()).strip()
                        out[(row, col + 1)] = text or "#ERR"
                    col += int(el.get(_TABLE + "number-columns-repeated", "1"))
                elif tag == _TABLE + "table-row":
                    row += int(el.get(_TABLE + "number-rows-repeated", "1")) - 1
                    el.clear()
                elif tag == _TABLE + "table":
                    break
        return out


def fastexcel_errors(data: bytes, name: str, first_row: int, indices) -> dict[tuple[int, int], str]:
    """The error cells of some columns of an xls/xlsb/ods sheet, which python-calamine gives as ''."""
    import fastexcel

    if data[:2] == b"PK" and b"content.xml" in data[:4096]:
        try:
            return ods_errors(data, name)
        except Exception as exc:  # noqa: BLE001 - the scan is a help: a failure leaves the cells empty
            log.warning("error cells of sheet %r not scanned", name, exc_info=exc)
            return {}

    wanted = set(indices)
    try:
        sheet = fastexcel.read_excel(data).load_sheet(name, header_row=None, skip_rows=first_row,
                                                      dtypes="string", schema_sample_rows=None,
                                                      use_columns=lambda c: c.absolute_index in wanted)
        return cell_errors(sheet.to_arrow_with_errors()[1])
    except Exception as exc:  # noqa: BLE001 - a format fastexcel cannot open: no errors known
        log.warning("error cells of sheet %r not scanned", name, exc_info=exc)
        return {}


class Sheet:
    """One sheet: its name, a head grid anchored at A1 and typed columns below a given row."""

    name: str
    hidden: bool = False    # hidden sheets usually hold an older cycle: read only where named

    def head(self) -> list[list[object]]:
        raise NotImplementedError

    def merged(self) -> list[tuple[int, int, int, int]]:
        """Merged ranges, 0-based (first row, first col, last row, last col)."""
        return getattr(self, "_merged", [])

    def columns(self, first_row: int, indices: list[int], numeric: set[int]) -> tuple[np.ndarray, dict[int, Column]]:
        """(1-based Excel rows, {column index: Column}) for rows from 0-based `first_row` on."""
        raise NotImplementedError


class GridSheet(Sheet):
    """A sheet held as a full grid of Python values (CSV, calamine)."""

    def __init__(self, name: str, grid: list[list[object]], hidden: bool = False,
                 merged: list[tuple[int, int, int, int]] | None = None, source: bytes | None = None):
        self.name = name
        self.grid = grid
        self.hidden = hidden
        self._merged = merged or []
        self.source = source  # the workbook's bytes, to find its error cells (None: a CSV)

    def head(self) -> list[list[object]]:
        return [list(r) for r in self.grid[:HEAD_ROWS]]

    def columns(self, first_row, indices, numeric):
        body = self.grid[first_row:]
        rows = np.arange(first_row + 1, first_row + 1 + len(body), dtype=np.int64)
        width = max(indices, default=-1) + 1
        by_column = list(itertools.zip_longest(*(r[:width] for r in body), fillvalue=None)) if body else []
        out = {}
        for c in indices:
            out[c] = column_from_values(c, by_column[c] if c < len(by_column) else [None] * len(body))
        if self.source is not None:
            attach_errors(out, fastexcel_errors(self.source, self.name, first_row, indices), first_row)
        return rows, out


class XlsxSheet(Sheet):
    """An xlsx/xlsm worksheet read through fastexcel; falls back to calamine where types are mixed."""

    def __init__(self, book: "XlsxBook", position: int, name: str):
        self.book = book
        self.position = position
        self.name = name
        self.hidden = name in book.heads.hidden

    def head(self):
        try:
            return self.book.heads.head(self.name, HEAD_ROWS)
        except Exception:   # noqa: BLE001 - any surprise in the XML: let fastexcel read it
            sheet = self.book.reader.load_sheet(self.position, header_row=None, skip_rows=0,
                                                n_rows=HEAD_ROWS, dtypes="string")
            table = sheet.to_arrow()
            width = max((c.absolute_index for c in sheet.selected_columns), default=-1) + 1
            grid = [[None] * width for _ in range(table.num_rows)]
            for info, arr in zip(sheet.selected_columns, table.columns):
                for r, v in enumerate(arr.to_pylist()):
                    grid[r][info.absolute_index] = v
            return grid

    def merged(self):
        try:
            return self.book.heads.merged(self.name)
        except Exception:   # noqa: BLE001 - merged ranges are a help, not a requirement
            return []

    def columns(self, first_row, indices, numeric):
        wanted = set(indices)

        def load(reader, skip: int):
            sheet = reader.load_sheet(self.position, header_row=None, skip_rows=skip,
                                      schema_sample_rows=None,
                                      use_columns=lambda c: c.absolute_index in wanted)
            table, errors = sheet.to_arrow_with_errors()
            return sheet.selected_columns, table, cell_errors(errors)

        try:
            parts = self._halves(first_row, load) or [(*load(self.book.reader, first_row), None)]
        except Exception as exc:  # noqa: BLE001 - a column fastexcel cannot type as one
            # ([HH]:MM durations beside HH:MM times: "unsupported column type combination"):
            # calamine keeps every cell's own type; its error cells come from a text pass
            log.info("sheet %r read through calamine: %s", self.name, str(exc).splitlines()[0][:200])
            return calamine_sheets(self.book.data, only=self.name)[0].columns(first_row, indices, numeric)
        errors = {k: v for _, _, found, _ in parts for k, v in found.items()}
        if any(info.absolute_index in numeric and info.dtype == "string"
               for selected, _, _, _ in parts for info in selected):
            # text in a number column: fastexcel turns the number cells of a mixed column into
            # text too, losing what each cell was; calamine keeps every cell's own type
            rows, out = self.book.calamine_sheet(self.name).columns(first_row, indices, numeric)
            attach_errors(out, errors, first_row)
            return rows, out
        pieces = []
        for selected, table, _, rows in parts:
            columns = {info.absolute_index: column_from_arrow(info.absolute_index, arr)
                       for info, arr in zip(selected, table.columns)}
            pieces.append((columns, table.num_rows, table.num_rows if rows is None else rows))
        n = sum(rows for _, _, rows in pieces)
        out = {c: _joined(c, [(cols.get(c), got, rows) for cols, got, rows in pieces]) for c in indices}
        attach_errors(out, errors, first_row)
        return np.arange(first_row + 1, first_row + 1 + n, dtype=np.int64), out

    def _halves(self, first_row: int, load) -> list | None:
        """The sheet's rows from `first_row` read as two halves in two threads (`xlsxsplit`):
        [(columns, table, error cells, rows the first half spans), (columns, table, error cells,
        None)], or None where
        the sheet is not cut or a half cannot be read (the sheet is then read whole)."""
        halves = self.book.halves(self.name, first_row)
        if halves is None:
            return None
        import fastexcel

        try:
            with ThreadPoolExecutor(2) as pool:
                first = pool.submit(lambda: load(fastexcel.read_excel(halves.first()), first_row))
                second = pool.submit(lambda: load(fastexcel.read_excel(halves.second()), halves.split_row))
                (a_cols, a_table, a_errors), (b_cols, b_table, b_errors) = first.result(), second.result()
        except Exception as exc:  # noqa: BLE001 - whatever a half trips over, the whole sheet is read
            log.warning("sheet %r read whole: a half of its cut failed", self.name, exc_info=exc)
            return None
        spans = halves.split_row - first_row
        if a_table.num_rows > spans:  # a row above the cut placed below it: not cut as thought
            return None
        return [(a_cols, a_table, a_errors, spans), (b_cols, b_table, b_errors, None)]


def _joined(index: int, parts: list[tuple[Column | None, int, int]]) -> Column:
    """One column from the pieces of a sheet read in parts: (column or None, its cells, the rows
    the piece spans; where a piece has fewer cells than rows, its last rows were empty)."""
    if len(parts) == 1 and parts[0][1] == parts[0][2]:
        column, got, _ = parts[0]
        return column if column is not None else empty_column(index, got)
    n = sum(rows for _, _, rows in parts)
    out = empty_column(index, n)
    if any(c is not None and c.text is not None for c, _, _ in parts):
        out.text = np.full(n, None, dtype=object)
    if any(c is not None and c.date is not None for c, _, _ in parts):
        out.date = np.full(n, NAT)
    at = 0
    for column, got, rows in parts:
        if column is not None:
            out.num[at:at + got] = column.num
            if column.text is not None:
                out.text[at:at + got] = column.text
            if column.date is not None:
                out.date[at:at + got] = column.date
        at += rows
    return out


class XlsxBook:
    def __init__(self, data: bytes, sheet_tails: dict[str, bytes] | None = None,
                 sheet_xml: dict[str, bytes] | None = None):
        import fastexcel

        from pipelines.read.xlsxhead import XlsxHeads

        self.data = data
        self.reader = fastexcel.read_excel(data)
        self.heads = XlsxHeads(zipfile.ZipFile(io.BytesIO(data)), sheet_tails)
        self.sheet_xml = sheet_xml or {}  # entry -> the whole XML the guard kept (xlsxsplit)

    def halves(self, name: str, first_row: int):
        """The sheet cut in two workbooks for reading on two cores (`xlsxsplit.cut`), or None."""
        from pipelines.read import xlsxsplit

        path = self.heads.sheets.get(name)
        # taken, not kept: the XML's memory goes with the halves (a second read reads it whole)
        xml = self.sheet_xml.pop(path, None) if path else None
        if xml is None or (os.cpu_count() or 1) < 2:
            return None
        return xlsxsplit.cut(self.heads.archive, path, xml, first_row)

    def sheets(self) -> list[Sheet]:
        return [XlsxSheet(self, i, name) for i, name in enumerate(self.reader.sheet_names)]

    def calamine_sheet(self, name: str) -> GridSheet:
        sheet = calamine_sheets(self.data, only=name)[0]
        sheet.source = None  # its error cells are known from fastexcel's read
        return sheet


def calamine_sheets(data: bytes, only: str | None = None) -> list[Sheet]:
    """Every sheet of an xls/xlsb/ods (or xlsx) workbook as a full grid via python-calamine."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    # `SheetVisibleEnum.Hidden` / `.VeryHidden`: the enum's name holds "Visible" itself
    hidden = {m.name for m in book.sheets_metadata if str(m.visible).rsplit(".", 1)[-1] != "Visible"}
    out: list[Sheet] = []
    for name in book.sheet_names:
        if only is not None and name != only:
            continue
        sheet = book.get_sheet_by_name(name)
        try:
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        except Exception:   # noqa: BLE001 - not every format knows merged ranges
            merged = []
        out.append(GridSheet(name, sheet.to_python(skip_empty_area=False), name in hidden, merged, data))
    return out


def open_sheets(data: bytes, fmt: str, file_name: str,
                sheet_tails: dict[str, bytes] | None = None,
                sheet_xml: dict[str, bytes] | None = None) -> list[Sheet]:
    """The sheets of a workbook or CSV of a sniffed format (raises on unreadable content);
    `sheet_tails` and `sheet_xml` as the guard kept them (`guard.Sniffed`)."""
    if fmt == "xlsx":
        return XlsxBook(data, sheet_tails, sheet_xml).sheets()
    if fmt == "csv":
        from pipelines.read.csvfile import decode, read_rows

        text = decode(data)
        if text is None:
            raise UnicodeError("csv_encoding")
        stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "CSV"
        return [GridSheet(stem, read_rows(text))]
    return calamine_sheets(data)
