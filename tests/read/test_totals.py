"""Totals are verified by arithmetic, not by the first word of a cell (spec section 2)."""
from tests.read.conftest import errs, records, xlsx_bytes
from pipelines.read import read_file

HEAD = ["Artikel", "Markt", "KW 01/2027", "KW 02/2027"]


def read(rows):
    return read_file(xlsx_bytes({"Absatzplan": rows}), "Absatzplan.xlsx")


def test_subtotals_and_grand_total_that_add_up_are_skipped_and_listed():
    result = read([HEAD, ["1", "LEH", 1, 2], ["1", "Discount", 3, 4], ["Summe 1", None, 4, 6],
                   ["2", "LEH", 10, 20], ["2 Ergebnis", None, 10, 20], ["Gesamtergebnis", None, 14, 26]])
    assert result.ok, errs(result)
    sheet = result.sheets[0]
    assert records(sheet.frame, ["product", "market", "period", "quantity"])[::2] == [
        ("1", "LEH", "2027-W01", 1.0), ("1", "Discount", "2027-W01", 3.0), ("2", "LEH", "2027-W01", 10.0)]
    assert sheet.totals_checked == ["4 (Summe 1)", "6 (2 Ergebnis)", "7 (Gesamtergebnis)"]
    assert sheet.totals_rows == 3


def test_a_market_called_total_that_does_not_add_up_is_data():
    result = read([HEAD, ["1", "LEH", 1, 2], ["1", "Total Tankstellen", 5, 7]])
    assert result.ok, errs(result)
    assert records(result.sheets[0].frame, ["market", "quantity"]) == [
        ("LEH", 1.0), ("LEH", 2.0), ("Total Tankstellen", 5.0), ("Total Tankstellen", 7.0)]
    assert result.sheets[0].totals_checked == []


def test_a_totals_row_with_incomplete_keys_that_does_not_add_up_is_refused_naming_the_row():
    result = read([HEAD, ["1", "LEH", 1, 2], ["1", "Discount", 3, 4], ["Summe", None, 4, 7]])
    assert errs(result) == [("totals_row_mismatch", "Absatzplan", 4, "D", "KW 02/2027")]
    message = result.all_errors()[0].message("de")
    assert "Summe" in message and "7" in message and "6" in message


def test_a_row_with_empty_keys_is_totals_only_where_it_adds_up():
    ok = read([HEAD, ["1", "LEH", 1, 2], ["1", "Discount", 3, 4], [None, None, 4, 6]])
    assert ok.ok and len(ok.sheets[0].frame) == 4
    bad = read([HEAD, ["1", "LEH", 1, 2], ["1", "Discount", 3, 4], [None, None, 5, 6]])
    assert [e.key for e in bad.all_errors()] == ["totals_row_mismatch"]


def test_totals_columns_are_verified():
    head = HEAD + ["Summe"]
    ok = read([head, ["1", "LEH", 1, 2, 3], ["1", "Discount", 3, 4, 7]])
    assert ok.ok, errs(ok)
    assert ok.sheets[0].totals_checked == ["E (Summe)"]
    assert len(ok.sheets[0].frame) == 4
    bad = read([head, ["1", "LEH", 1, 2, 3], ["1", "Discount", 3, 4, 8]])
    assert errs(bad) == [("totals_column_mismatch", "Absatzplan", 3, "E", "Summe")]


def test_year_totals_columns_close_their_own_periods():
    head = ["Artikel", "Markt", "KW 52/2026", "Gesamt 2026", "KW 01/2027", "KW 02/2027", "Gesamt 2027", "Gesamt"]
    result = read([head, ["1", "LEH", 1, 1, 2, 3, 5, 6]])
    assert result.ok, errs(result)
    assert result.sheets[0].totals_checked == ["D (Gesamt 2026)", "G (Gesamt 2027)", "H (Gesamt)"]
