"""A big sheet read as two halves on two cores (pipelines/read/xlsxsplit.py) reads exactly what the
sheet read whole reads: the same records, row numbers, errors and sums, on files written by
openpyxl, xlsxwriter and LibreOffice; and where a cut is not safe, the sheet is read whole."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from pipelines.read import read_file, workbook, xlsxsplit
from pipelines.settings import load_settings

SETTINGS = load_settings(env={}, config_file="/nonexistent.toml")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
XLSX = sorted(p for p in FIXTURES.rglob("*.xlsx") if p.name != "encrypted.xlsx")


@pytest.fixture
def cuts(monkeypatch):
    """Every worksheet kept whole and cut where it can be; the cuts made, as (sheet, split row)."""
    made = []
    real = xlsxsplit.cut

    def spy(archive, path, xml, first_row):
        halves = real(archive, path, xml, first_row)
        if halves is not None:
            made.append((path, halves.split_row))
        return halves

    monkeypatch.setattr(xlsxsplit, "WHOLE_MIN_BYTES", 0)
    monkeypatch.setattr(xlsxsplit, "cut", spy)
    return made


def read_whole(data: bytes, name: str):
    """The reference: the same file read with no sheet kept for cutting."""
    import unittest.mock as mock
    with mock.patch.object(xlsxsplit, "WHOLE_MAX_BYTES", -1):
        return read_file(data, name, settings=SETTINGS)


def assert_same(split, whole) -> None:
    assert [e.message("en") for e in split.all_errors()] == [e.message("en") for e in whole.all_errors()]
    assert [s.sheet for s in split.sheets] == [s.sheet for s in whole.sheets]
    for a, b in zip(split.sheets, whole.sheets):
        assert (a.kind, a.layout, a.header_row, a.cells_read) == (b.kind, b.layout, b.header_row, b.cells_read)
        assert a.sum_read == pytest.approx(b.sum_read)
        pd.testing.assert_frame_equal(a.frame.reset_index(drop=True), b.frame.reset_index(drop=True))


@pytest.mark.parametrize("path", XLSX, ids=lambda p: p.name)
def test_every_fixture_reads_the_same_cut(path, cuts):
    data = path.read_bytes()
    whole = read_whole(data, path.name)
    split = read_file(data, path.name, settings=SETTINGS)
    assert_same(split, whole)
    if path.name != "Absatz_KW53_2027.xlsx":  # (its one data row lies above any cut)
        assert cuts


def wide(rows: int, *, inline: bool, gap_at: int | None = None, text_at: int | None = None,
         error_at: int | None = None) -> bytes:
    """A wide forecast of `rows` product-market rows x 12 weeks below a two-line title, written
    by xlsxwriter (`inline`: inline strings, as its constant_memory mode writes them)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": inline, "in_memory": not inline})
    ws = wb.add_worksheet("Absatzplan")
    ws.write_row(0, 0, ["Absatzplanung Test GmbH"])
    ws.write_row(1, 0, ["Stand: 27.11.2026"])
    ws.write_row(3, 0, ["Artikel-Nr.", "Vertriebsweg", "Einheit", *[f"KW {w:02d}/2027" for w in range(1, 13)]])
    r = 4
    for i in range(rows):
        if gap_at is not None and i == gap_at:
            r += 3  # three empty rows: the cut may fall just below them
        values = [(i * 7 + w) % 50 for w in range(12)]
        if text_at is not None and i == text_at:
            values[3] = "n.v."
        ws.write_row(r, 0, [str(100000 + i // 2), ["LEH", "Export NL"][i % 2], "Stk", *values])
        if error_at is not None and i == error_at:
            ws.write_formula(r, 5, "=1/0", None, "#DIV/0!")  # cached as Excel does: t="e"
        r += 1
    wb.close()
    return buf.getvalue()


@pytest.mark.parametrize("inline", [True, False], ids=["inline strings", "shared strings"])
def test_a_wide_forecast_cut_in_two_reads_the_same(inline, cuts):
    data = wide(400, inline=inline)
    split = read_file(data, "Absatz.xlsx", settings=SETTINGS)
    assert cuts and cuts[0][1] > 100  # it was cut, near the middle
    assert_same(split, read_whole(data, "Absatz.xlsx"))
    frame = split.sheets[0].frame
    assert len(frame) == 400 * 12 and frame["quantity"].sum() == sum((i * 7 + w) % 50 for i in range(400) for w in range(12))


def test_empty_rows_at_the_cut_keep_every_row_number(cuts):
    data = wide(400, inline=True, gap_at=199)
    split = read_file(data, "Absatz.xlsx", settings=SETTINGS)
    assert cuts
    assert_same(split, read_whole(data, "Absatz.xlsx"))


@pytest.mark.parametrize("where", [20, 380], ids=["text in the first half", "text in the second half"])
def test_text_in_a_number_column_is_found_in_either_half(where, cuts):
    """A text cell among the quantities is reported with its row, whichever half holds it."""
    data = wide(400, inline=False, text_at=where)
    split = read_file(data, "Absatz.xlsx", settings=SETTINGS)
    whole = read_whole(data, "Absatz.xlsx")
    assert cuts
    assert_same(split, whole)
    assert [(e.key, e.row, e.column, e.value) for e in split.all_errors()] == \
        [("not_a_number", where + 5, "G", "n.v.")]


@pytest.mark.parametrize("where", [20, 380], ids=["error in the first half", "error in the second half"])
def test_an_excel_error_cell_is_found_in_either_half(where, cuts):
    """A #DIV/0! among the quantities (which the reader gives as empty) is refused with its row."""
    data = wide(400, inline=True, error_at=where)
    split = read_file(data, "Absatz.xlsx", settings=SETTINGS)
    assert cuts
    assert_same(split, read_whole(data, "Absatz.xlsx"))
    assert [(e.key, e.row, e.column, e.value) for e in split.all_errors()] == \
        [("excel_error", where + 5, "F", "#DIV/0!")]


def test_dates_and_mixed_keys_as_openpyxl_writes_them(cuts):
    """A long actuals sheet with real date cells and article numbers as numbers and as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Ist"
    ws.append(["Artikel", "Markt", "Datum", "Menge"])
    start = dt.date(2026, 1, 5)
    for i in range(600):
        product = 4711 + i % 7 if i % 3 else f"A-{i % 5}"
        ws.append([product, "LEH", start + dt.timedelta(weeks=i % 40), float(i % 13)])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    split = read_file(data, "Ist.xlsx", settings=SETTINGS)
    assert cuts
    assert_same(split, read_whole(data, "Ist.xlsx"))
    assert split.sheets[0].kind == "actuals" and len(split.sheets[0].frame)


def _rewritten(data: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = edit(body)
            dst.writestr(info.filename, body)
    return out.getvalue()


def test_rows_without_numbers_are_read_whole(cuts):
    """A generator that leaves out `r` on the data rows: calamine counts them, so no cut is made."""
    import re
    data = _rewritten(wide(300, inline=True),
                      lambda xml: re.sub(rb'(<row)\s+r="(?:[5-9]|\d\d+)"', rb"\1", xml))
    split = read_file(data, "Absatz.xlsx", settings=SETTINGS)
    assert cuts == []
    assert_same(split, read_whole(data, "Absatz.xlsx"))
    assert len(split.sheets[0].frame) == 300 * 12


def test_a_half_that_fails_falls_back_to_the_whole_sheet(cuts, monkeypatch):
    data = wide(300, inline=True)
    real = xlsxsplit._workbook
    monkeypatch.setattr(xlsxsplit, "_workbook", lambda a, p, parts: real(a, p, parts)[:-40])  # damaged
    split = read_file(data, "Absatz.xlsx", settings=SETTINGS)
    assert cuts  # cut, then read whole
    assert_same(split, read_whole(data, "Absatz.xlsx"))


def test_the_guard_keeps_only_sheets_of_the_cut_sizes():
    data = wide(300, inline=True)
    from pipelines.read import guard
    assert guard.sniff(data, "a.xlsx", SETTINGS).sheet_xml == {}  # far below WHOLE_MIN_BYTES
    import unittest.mock as mock
    with mock.patch.object(xlsxsplit, "WHOLE_MIN_BYTES", 0):
        kept = guard.sniff(data, "a.xlsx", SETTINGS).sheet_xml
    assert list(kept) == ["xl/worksheets/sheet1.xml"]
    assert kept["xl/worksheets/sheet1.xml"] == zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def test_cut_halves_hold_the_rows_above_and_from_the_cut():
    data = wide(300, inline=True)
    archive = zipfile.ZipFile(io.BytesIO(data))
    xml = archive.read("xl/worksheets/sheet1.xml")
    halves = xlsxsplit.cut(archive, "xl/worksheets/sheet1.xml", xml, 4)
    assert halves is not None and 100 < halves.split_row < 200
    first = zipfile.ZipFile(io.BytesIO(halves.first())).read("xl/worksheets/sheet1.xml")
    second = zipfile.ZipFile(io.BytesIO(halves.second())).read("xl/worksheets/sheet1.xml")
    assert f'r="{halves.split_row}"'.encode() in first and f'<row r="{halves.split_row + 1}"'.encode() not in first
    assert f'<row r="{halves.split_row + 1}"'.encode() in second and b'<row r="5"' not in second
    assert len(first) + len(second) > len(xml)  # each keeps the sheet's frame around its rows
    assert halves.xml is None, "the XML is let go once both halves are built"
    with pytest.raises(RuntimeError):
        halves.first()
    # the cut is never above the rows to read
    assert xlsxsplit.cut(archive, "xl/worksheets/sheet1.xml", xml, halves.split_row + 10) is None


def test_the_workbook_reader_joins_the_halves_in_row_order(cuts):
    data = wide(300, inline=True, gap_at=150)
    from pipelines.read import guard
    sniffed = guard.sniff(data, "a.xlsx", SETTINGS)
    sheet = workbook.open_sheets(data, "xlsx", "a.xlsx", sniffed.sheet_tails, sniffed.sheet_xml)[0]
    rows, columns = sheet.columns(4, [0, 3, 14], {3, 14})
    assert cuts
    whole_rows, whole = workbook.open_sheets(data, "xlsx", "a.xlsx")[0].columns(4, [0, 3, 14], {3, 14})
    assert rows.tolist() == whole_rows.tolist() == list(range(5, 5 + 303))
    for c in (0, 3, 14):
        assert pd.Series(columns[c].num).equals(pd.Series(whole[c].num))
        assert (columns[c].text is None) == (whole[c].text is None) or c == 0
    assert columns[0].text[0] == "100000" and columns[0].text[150] is None  # the gap stays a gap
