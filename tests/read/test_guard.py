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


def _big_sheet_zip(patch=None) -> bytes:
    """A workbook with a worksheet big enough for the guard to keep whole (9 MB of XML), its
    directory entry changed by `patch(data, directory_entry_at)` where given."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 240_000))
    xml = b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>"
    assert guard_keeps(len(xml))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    data = bytearray(buf.getvalue())
    if patch:
        at = data.find(b"PK\x01\x02")
        while data[at + 46:at + 46 + 24] != b"xl/worksheets/sheet1.xml":
            at = data.find(b"PK\x01\x02", at + 4)
        patch(data, at)
    return bytes(data)


def guard_keeps(size: int) -> bool:
    from pipelines.read.xlsxsplit import keeps_whole
    return keeps_whole(size)


def test_a_kept_sheet_is_inflated_once_and_whole():
    data = _big_sheet_zip()
    with mock.patch.object(guard, "_inflated", wraps=guard._inflated) as inflated:
        sniffed = guard.sniff(data, "big.xlsx", SETTINGS)
    inflated.assert_called_once()
    assert sniffed.format == "xlsx" and not sniffed.errors
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sniffed.sheet_xml["xl/worksheets/sheet1.xml"] == zf.read("xl/worksheets/sheet1.xml")


def _declare(size: int):
    def patch(data: bytearray, at: int) -> None:
        data[at + 24:at + 28] = size.to_bytes(4, "little")
    return patch


def _bad_crc(data: bytearray, at: int) -> None:
    data[at + 16:at + 20] = (int.from_bytes(data[at + 16:at + 20], "little") ^ 1).to_bytes(4, "little")


@pytest.mark.parametrize("patch", [
    _declare(8_500_000),   # declares less than it inflates to (still kept whole)
    _declare(20_000_000),  # declares more
    _bad_crc,
], ids=["smaller", "larger", "crc"])
def test_a_kept_sheet_that_lies_about_its_data_is_refused(patch):
    data = _big_sheet_zip(patch)
    with mock.patch.object(guard, "_inflated", wraps=guard._inflated) as inflated:
        sniffed = guard.sniff(data, "big.xlsx", SETTINGS)
    inflated.assert_called_once()
    assert [e.key for e in sniffed.errors] == ["zip_damaged"]
    assert sniffed.errors[0].params["entry"].startswith("xl/worksheets/sheet1.xml")
    assert not sniffed.sheet_xml
