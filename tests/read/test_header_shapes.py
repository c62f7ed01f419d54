"""Headers over several rows and measures (spec section 2), as SAP planning books write them."""
import pytest

from pipelines.read import read_file
from tests.read.conftest import errs, records, xlsx_bytes


def read(rows):
    return read_file(xlsx_bytes({"Planung": rows}), "Absatzplan.xlsx")


def test_year_row_above_the_weeks_and_key_headers_merged_down():
    result = read([["Planungsmappe Absatz"],
                   ["Artikel", "Markt", 2026, None, None, 2027, None],
                   [None, None, "KW 51", "KW 52", "KW 53", "KW 01", "KW 02"],
                   ["4711", "LEH", 1, 2, 3, 4, 5]])
    assert result.ok, errs(result)
    sheet = result.sheets[0]
    assert sheet.header_row == 3
    assert records(sheet.frame, ["product", "period", "quantity", "_row"]) == [
        ("4711", "2026-W51", 1.0, 4), ("4711", "2026-W52", 2.0, 4), ("4711", "2026-W53", 3.0, 4),
        ("4711", "2027-W01", 4.0, 4), ("4711", "2027-W02", 5.0, 4)]


def test_year_row_above_month_names():
    result = read([["Artikel", "Markt", "2027", None], [None, None, "Jan", "Feb"], ["1", "LEH", 1, 2]])
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [("2027-01", 1.0), ("2027-02", 2.0)]


def test_caption_merged_over_the_period_columns():
    result = read([["Material", "Kundengruppe", "Absatzmenge (Stk)", None],
                   [None, None, "KW 01/2027", "KW 02/2027"], ["1", "LEH", 4, 5]])
    assert result.ok, errs(result)
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [("2027-W01", 4.0), ("2027-W02", 5.0)]


def test_measure_words_in_period_headers_read_the_quantity_and_list_the_others():
    result = read([["Artikel", "Markt", "KW 05/2027 Menge", "KW 05/2027 Umsatz", "KW 06/2027 Menge",
                    "KW 06/2027 Umsatz"], ["1", "LEH", 4, 400, 5, 500]])
    assert result.ok, errs(result)
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [("2027-W05", 4.0), ("2027-W06", 5.0)]
    assert result.sheets[0].columns_not_read == ["D (KW 05/2027 Umsatz)", "F (KW 06/2027 Umsatz)"]


def test_measures_without_a_quantity_are_refused_with_the_measures():
    result = read([["Artikel", "Markt", "KW 05/2027 Umsatz", "KW 05/2027 Bestand"], ["1", "LEH", 4, 400]])
    assert [e.key for e in result.all_errors()] == ["measure_not_quantity"]
    assert "Bestand, Umsatz" in result.all_errors()[0].message("de")


def test_measure_column_reads_the_quantity_rows():
    result = read([["Artikel", "Markt", "Kennzahl", "KW 05/2027", "KW 06/2027"],
                   ["1", "LEH", "Absatzmenge", 4, 5], ["1", "LEH", "Umsatz", 400, 500],
                   ["1", "LEH", "Bestand", 1, 1]])
    assert result.ok, errs(result)
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [("2027-W05", 4.0), ("2027-W06", 5.0)]
    assert result.sheets[0].columns_not_read == ["C (Kennzahl: Bestand, Umsatz)"]


def test_measure_column_without_a_quantity_is_refused_naming_column_and_values():
    result = read([["Artikel", "Markt", "Kennzahl", "KW 05/2027"], ["1", "LEH", "Umsatz", 400],
                   ["1", "LEH", "Bestand", 1]])
    assert errs(result) == [("measure_not_quantity", "Planung", 1, "C", "Kennzahl")]
    assert "Bestand, Umsatz" in result.all_errors()[0].message("en")


def test_merged_article_cell_belongs_to_every_market_row():
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["Artikel", "Markt", "KW 01/2027"], ["1", "LEH", 1], [None, "Export", 2], ["2", "LEH", 3]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    buf = io.BytesIO()
    wb.save(buf)
    result = read_file(buf.getvalue(), "Absatzplan.xlsx")
    assert result.ok, errs(result)
    assert records(result.sheets[0].frame, ["product", "market", "quantity"]) == [
        ("1", "LEH", 1.0), ("1", "Export", 2.0), ("2", "LEH", 3.0)]


def test_blank_cell_outside_a_pivot_or_merge_is_still_missing():
    result = read([["Artikel", "Markt", "KW 01/2027"], ["1", "LEH", 1], [None, "Export", 2]])
    assert [e.key for e in result.all_errors()] == ["missing_value"]


def test_pivot_copy_with_blank_outer_labels_and_subtotals():
    result = read([["Summe von Menge", "Spaltenbeschriftungen"],
                   ["Artikel", "Markt", "KW 01/2027", "KW 02/2027", "Gesamtergebnis"],
                   ["4711", "LEH", 1, 2, 3], [None, "Export", 3, 4, 7], ["4711 Ergebnis", None, 4, 6, 10],
                   ["4712", "LEH", 5, 5, 10], ["4712 Ergebnis", None, 5, 5, 10],
                   ["Gesamtergebnis", None, 9, 11, 20]])
    assert result.ok, errs(result)
    sheet = result.sheets[0]
    assert records(sheet.frame, ["product", "market", "period", "quantity"]) == [
        ("4711", "LEH", "2027-W01", 1.0), ("4711", "LEH", "2027-W02", 2.0),
        ("4711", "Export", "2027-W01", 3.0), ("4711", "Export", "2027-W02", 4.0),
        ("4712", "LEH", "2027-W01", 5.0), ("4712", "LEH", "2027-W02", 5.0)]
    assert sheet.totals_checked == ["5 (4711 Ergebnis)", "7 (4712 Ergebnis)", "8 (Gesamtergebnis)",
                                    "E (Gesamtergebnis)"]


def test_user_names_the_measure_where_none_is_a_quantity_word():
    rows = [["Artikel", "Markt", "KW 05/2027 Basis", "KW 05/2027 Promo"], ["1", "LEH", 4, 400]]
    assert [e.key for e in read(rows).all_errors()] == ["measure_not_quantity"]
    chosen = read_file(xlsx_bytes({"Planung": rows}), "Absatzplan.xlsx", measure="Basis")
    assert chosen.ok, errs(chosen)
    assert records(chosen.sheets[0].frame, ["period", "quantity"]) == [("2027-W05", 4.0)]
    assert chosen.sheets[0].columns_not_read == ["D (KW 05/2027 Promo)"]
    column = [["Artikel", "Markt", "Kennzahl", "KW 05/2027"], ["1", "LEH", "Basis", 4], ["1", "LEH", "Promo", 400]]
    assert [e.key for e in read(column).all_errors()] == ["measure_not_quantity"]
    by_column = read_file(xlsx_bytes({"Planung": column}), "Absatzplan.xlsx", measure="basis")
    assert records(by_column.sheets[0].frame, ["quantity"]) == [(4.0,)]


def test_user_names_the_header_row():
    rows = [["Artikel", "Markt", "KW", "Menge"], ["alt", "alt", "alt", "alt"], [],
            ["Artikel", "Markt", "KW", "Menge"], ["1", "LEH", "2027-W05", 7]]
    auto = read(rows)
    assert not auto.ok      # the first fitting row is an old header above
    named = read_file(xlsx_bytes({"Planung": rows}), "Absatzplan.xlsx", header_row=4)
    assert named.ok, errs(named)
    assert named.sheets[0].header_row == 4
    assert records(named.sheets[0].frame, ["product", "period", "quantity"]) == [("1", "2027-W05", 7.0)]


MONTH_SPELLINGS = [
    ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
    ["Jan.", "Feb.", "Mrz.", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
    ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
     "November", "Dezember"],
    ["Jän", "Feb", "Maerz", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
    ["JAN", "FEB", "MÄR", "APR", "MAI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEZ"],
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"],
]


@pytest.mark.parametrize("months", MONTH_SPELLINGS, ids=lambda m: m[2])
def test_year_row_above_every_month_spelling_reads_all_twelve(months):
    # `Mär` and `März` were no month under a year row: they and every month after them were
    # left out as columns not read
    result = read([["Artikel", "Markt", 2027] + [None] * 11, [None, None] + months,
                   ["4711", "LEH"] + list(range(1, 13))])
    assert result.ok, errs(result)
    sheet = result.sheets[0]
    assert records(sheet.frame, ["period", "quantity"]) == [(f"2027-{m:02d}", float(m)) for m in range(1, 13)]
    assert sheet.columns_not_read == []


def test_year_row_over_a_month_wrap_with_umlauts():
    result = read([["Artikel", "Markt", 2026, None, None, None],
                   [None, None, "Nov", "Dez", "Jän", "Mär"], ["4711", "LEH", 1, 2, 3, 4]])
    assert result.ok, errs(result)
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [
        ("2026-11", 1.0), ("2026-12", 2.0), ("2027-01", 3.0), ("2027-03", 4.0)]


def test_month_names_beside_a_year_column_are_months():
    # `Jahr | Monat` with `Mär`, `Sept.`: read only as numbers before, every row was refused
    result = read([["Artikel", "Markt", "Jahr", "Monat", "Menge"], ["1", "LEH", 2027, "Mär", 5],
                   ["1", "LEH", 2027, "Sept.", 4], ["1", "LEH", 2027, 12, 3]])
    assert result.ok, errs(result)
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [
        ("2027-03", 5.0), ("2027-09", 4.0), ("2027-12", 3.0)]


def test_month_names_without_any_year_are_refused_naming_each_cell():
    # before: "looks like markets, lacks a priority class"
    result = read([["Artikel", "Markt", "Jan", "Feb", "Mär"], ["1", "LEH", 1, 2, 3]])
    assert not result.ok
    assert errs(result) == [("period_header_no_year", "Planung", 1, c, h)
                            for c, h in (("C", "Jan"), ("D", "Feb"), ("E", "Mär"))]
    assert "ohne Jahr" in result.all_errors()[2].message("de")
    assert "without a year" in result.all_errors()[2].message("en")
