import io
import zipfile
from unittest import mock

import pytest

from pipelines.read import guard, read_file
from pipelines.settings import load_settings

SETTINGS = load_settings(env={}, config_file="/nonexistent.toml")


def bomb(rows: int = 1_200_000) -> bytes:
    """A workbook whose sheet XML is highly repetitive, deflated at level 9."""
    buf = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + row * rows + b"</sheetData></worksheet>")
    return buf.getvalue()


def test_zip_bomb_refused_from_central_directory_alone():
    data = bomb()
    with mock.patch("pipelines.read.workbook.open_sheets") as opened, \
         mock.patch.object(zipfile.ZipFile, "read", side_effect=AssertionError("entry read")), \
         mock.patch.object(zipfile.ZipFile, "open", side_effect=AssertionError("entry opened")):
        result = read_file(data, "bomb.xlsx", settings=SETTINGS)
    opened.assert_not_called()
    assert [e.key for e in result.errors] == ["zip_ratio"]
    assert result.errors[0].params["entry"] == "xl/worksheets/sheet1.xml"


def test_declared_size_limit():
    data = bomb(200_000)
    tight = SETTINGS.replace(max_unzipped_mb=5, max_zip_ratio=10_000)
    assert [e.key for e in read_file(data, "b.xlsx", settings=tight).errors] == ["zip_too_large"]


def test_entry_count_limit():
    tight = SETTINGS.replace(max_zip_entries=2)
    assert [e.key for e in read_file(bomb(10), "b.xlsx", settings=tight).errors] == ["zip_entries"]


def test_file_size_limit():
    tight = SETTINGS.replace(max_file_mb=0.001)
    result = read_file(b"Artikel;Markt\n" * 200, "big.csv", settings=tight)
    assert [e.key for e in result.errors] == ["file_too_large"]


@pytest.mark.parametrize("data, fmt", [
    (b"PK\x03\x04", None), (guard.OLE_MAGIC + b"\0" * 100, None), (b"\x00\x01\x02binary", None),
    (b"<html><body><table>", None), (b"Artikel;Markt\n1;LEH\n", "csv"),
])
def test_sniff_by_content(data, fmt):
    assert guard.sniff(data, "x.xlsx", SETTINGS).format == fmt


def test_zip_without_workbook_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    result = read_file(buf.getvalue(), "brief.xlsx", settings=SETTINGS)
    assert [e.key for e in result.errors] == ["not_a_workbook"]


def test_format_found_by_content_not_extension():
    result = read_file("Artikel;Markt;KW;Menge\n1;LEH;2027-W05;3\n".encode(), "export.xls", settings=SETTINGS)
    assert result.ok and result.sheets[0].kind == "forecast"


def test_empty_file():
    assert [e.key for e in read_file(b"", "x.csv", settings=SETTINGS).errors] == ["empty_file"]


def test_guard_keeps_the_merged_ranges_across_a_chunk_boundary():
    """The guard inflates each sheet once, keeping its XML from `mergeCells` on; a tag that
    straddles two read chunks is still found."""
    end = b'<mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells></worksheet>'
    head = b"<worksheet><sheetData>"
    xml = head + b" " * ((1 << 20) - 5 - len(head)) + end
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    archive = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    tails: dict[str, bytes] = {}
    assert guard._inflates_otherwise(archive, archive.infolist(), tails) is None
    assert tails == {"xl/worksheets/sheet1.xml": end}


def test_merged_ranges_read_without_inflating_the_sheet_again():
    import openpyxl

    from pipelines.read.workbook import open_sheets

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Artikel", "Markt", "KW 01/2027"])
    ws.append(["123", "LEH", 5])
    ws.append([None, "Discount", 6])
    ws.merge_cells("A2:A3")
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    sniffed = guard.sniff(data, "m.xlsx", SETTINGS)
    assert sniffed.sheet_tails["xl/worksheets/sheet1.xml"].startswith(b"<mergeCells")
    sheet = open_sheets(data, "xlsx", "m.xlsx", sniffed.sheet_tails)[0]
    with mock.patch.object(zipfile.ZipFile, "open", side_effect=AssertionError("sheet inflated again")):
        assert sheet.merged() == [(1, 0, 2, 0)]
    assert open_sheets(data, "xlsx", "m.xlsx")[0].merged() == [(1, 0, 2, 0)]   # without the guard's tails
