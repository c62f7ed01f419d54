"""Period headers and period cells as foreign exports write them (spec section 3): nothing lost."""
import datetime as dt

import pytest

from pipelines.read import read_file
from pipelines.read.periods import looks_like_period, parse_period, week_53_missing
from tests.read.conftest import errs, records, xlsx_bytes

FORECAST_KEYS = ["Artikel", "Markt"]


def read(rows, name="Absatzplan.xlsx", sheet="Absatzplan"):
    return read_file(xlsx_bytes({sheet: rows}), name)


@pytest.mark.parametrize("text, token", [
    ("KW 05/27", ("W", 2027, 5)), ("KW 5/27", ("W", 2027, 5)), ("W05/27", ("W", 2027, 5)),
    ("KW 05.27", ("W", 2027, 5)), ("Mär 27", ("M", 2027, 3)), ("Mrz 27", ("M", 2027, 3)),
    ("Mar-27", ("M", 2027, 3)), ("Mär. 27", ("M", 2027, 3)), ("März 27", ("M", 2027, 3)),
    ("Jan 27", ("M", 2027, 1)), ("Dez 26", ("M", 2026, 12)), ("KW 53/26", ("W", 2026, 53)),
])
def test_two_digit_years(text, token):
    assert parse_period(text) == token


def test_nn_yyyy_follows_the_header_word():
    assert parse_period("01.2027") == ("M", 2027, 1)
    assert parse_period("01.2027", "week") == ("W", 2027, 1)
    assert parse_period("49.2026", "week") == ("W", 2026, 49)
    assert parse_period("49.2026") is None


@pytest.mark.parametrize("text", ["KW 53/2027", "KW 52/26x", "Mär 27 (alt)", "KW 54/2026", "13/2027"])
def test_period_looking_headers(text):
    assert parse_period(text) is None and looks_like_period(text)


@pytest.mark.parametrize("text", ["Artikel", "Markt", "Umsatz", "Summe", "Linie 2", "Bezeichnung"])
def test_ordinary_headers_do_not_look_like_periods(text):
    assert not looks_like_period(text)


def test_week_53_only_in_iso_years_that_have_it():
    assert week_53_missing("KW 53/2027") == 2027
    assert week_53_missing("KW 53/27") == 2027
    assert week_53_missing("2027-W53") == 2027
    assert week_53_missing("KW 53/2026") is None


def test_two_digit_year_columns_are_all_read():
    result = read([FORECAST_KEYS + ["KW 51/26", "KW 52/26", "KW 53/26", "KW 01/27", "KW 02/27"],
                   ["4711", "LEH", 1, 2, 3, 4, 5]])
    assert result.ok, errs(result)
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [
        ("2026-W51", 1.0), ("2026-W52", 2.0), ("2026-W53", 3.0), ("2027-W01", 4.0), ("2027-W02", 5.0)]


def test_unreadable_period_header_names_its_cell():
    result = read([["Absatzplan KW 48"], [],
                   FORECAST_KEYS + ["KW 51/26", "KW 52/26x", "KW 53/2027", "KW 01/27"],
                   ["4711", "LEH", 1, 2, 3, 4]])
    assert not result.ok
    assert errs(result) == [
        ("period_header_unreadable", "Absatzplan", 3, "D", "KW 52/26x"),
        ("period_header_week53", "Absatzplan", 3, "E", "KW 53/2027")]
    de = [e.message("de") for e in result.all_errors()]
    en = [e.message("en") for e in result.all_errors()]
    assert "D3" in de[0] and "KW 52/26x" in en[0]
    assert "2027" in de[1] and "53" in en[1] and "E3" in en[1]


def test_only_unreadable_period_headers_name_the_cells_not_a_kind():
    result = read([["Markt", "KW 53/2027", "KW 54/2027"], ["LEH", 1, 2]])
    assert [e.key for e in result.all_errors()] == ["period_header_week53", "period_header_unreadable"]
    assert "priority" not in " ".join(e.message("en") for e in result.all_errors())


def test_sap_week_dot_year_under_a_week_header():
    result = read([["Material", "Kundengruppe", "Woche", "Menge"],
                   ["4711", "LEH", "01.2027", 5], ["4711", "LEH", "02.2027", 6], ["4711", "LEH", 3.2027, 7]])
    assert result.ok, errs(result)
    assert result.sheets[0].grain == "week"
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [
        ("2027-W01", 5.0), ("2027-W02", 6.0), ("2027-W03", 7.0)]


def test_nn_yyyy_under_a_month_header_and_under_a_neutral_one():
    months = read([["Artikel", "Markt", "Monat", "Menge"], ["1", "LEH", "01.2027", 5], ["1", "LEH", "02.2027", 6]])
    assert records(months.sheets[0].frame, ["period"]) == [("2027-01",), ("2027-02",)]
    weeks = read([["Artikel", "Markt", "Periode", "Menge"], ["1", "LEH", "01.2027", 5], ["1", "LEH", "49.2026", 6]])
    assert records(weeks.sheets[0].frame, ["period"]) == [("2027-W01",), ("2026-W49",)]


def test_wide_nn_yyyy_headers_above_twelve_are_weeks():
    result = read([FORECAST_KEYS + ["12.2026", "13.2026", "14.2026"], ["1", "LEH", 1, 2, 3]])
    assert records(result.sheets[0].frame, ["period"]) == [("2026-W12",), ("2026-W13",), ("2026-W14",)]


def test_year_and_week_in_two_columns():
    result = read([["Artikel", "Markt", "Jahr", "KW", "Menge"],
                   ["1", "LEH", 2026, 53, 5], ["1", "LEH", 2027, 1, 6], ["1", "LEH", 2027, 2, 7]])
    assert result.ok, errs(result)
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [
        ("2026-W53", 5.0), ("2027-W01", 6.0), ("2027-W02", 7.0)]


def test_year_and_month_in_two_columns():
    result = read([["Artikel", "Markt", "Geschäftsjahr", "Monat", "Menge"],
                   ["1", "LEH", 2026, 12, 5], ["1", "LEH", 2027, 1, 6]])
    assert records(result.sheets[0].frame, ["period", "quantity"]) == [("2026-12", 5.0), ("2027-01", 6.0)]


def test_week_53_cell_beside_a_year_is_refused_with_its_cell():
    result = read([["Artikel", "Markt", "Jahr", "KW", "Menge"], ["1", "LEH", 2027, 53, 5]])
    assert errs(result) == [("bad_period", "Absatzplan", 2, "D", "KW")]


def test_month_end_dates_are_months():
    result = read([["Artikel", "Markt", "Datum", "Menge"],
                   ["1", "LEH", dt.date(2027, 1, 31), 5], ["1", "LEH", dt.date(2027, 2, 28), 6],
                   ["1", "LEH", "31.03.2027", 7]])
    assert result.ok, errs(result)
    assert result.sheets[0].grain == "month"
    assert records(result.sheets[0].frame, ["period"]) == [("2027-01",), ("2027-02",), ("2027-03",)]


def test_mixed_dates_are_weeks():
    result = read([["Artikel", "Markt", "Datum", "Menge"],
                   ["1", "LEH", dt.date(2027, 1, 31), 5], ["1", "LEH", dt.date(2027, 2, 3), 6]])
    assert records(result.sheets[0].frame, ["period"]) == [("2027-W04",), ("2027-W05",)]
