import pytest

from pipelines.read import read_file
from pipelines.read.csvfile import decode, detect_delimiter


@pytest.mark.parametrize("text, delim", [
    ("Artikel;Markt;Menge\n1;LEH;1,5\n2;LEH;2,5\n", ";"),
    ("Artikel,Markt,Menge\n1,LEH,\"1,5\"\n2,LEH,2.5\n", ","),
    ("Artikel\tMarkt\tMenge\n1\tLEH\t1,5\n", "\t"),
    ("Absatzplan;;\nArtikel;Markt;Menge\n1;LEH;1,5\n", ";"),
])
def test_delimiter(text, delim):
    assert detect_delimiter(text) == delim


def test_encodings():
    text = "Artikel;Markt\n1;Großhandel Süd\n"
    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("cp1252")) == text
    assert decode(text.encode("utf-16")) == text
    assert decode(b"\x81\x8d\x8f") is None


def test_unicode_text_export_with_tabs():
    text = "Artikel\tMarkt\tKW\tMenge\r\n000123\tGroßhandel\tKW 05/2027\t1.234,5\r\n"
    result = read_file(text.encode("utf-16"), "export.txt")
    assert result.ok
    assert result.sheets[0].frame[["product", "market", "period", "quantity"]].values.tolist() == [
        ["123", "Großhandel", "2027-W05", 1234.5]]
