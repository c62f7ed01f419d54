"""Inputs that once stored wrong figures without a word (hand-made files a tester built the way
planners do, 2026-12-03): each is now refused with a message that says what to do, or read as
meant. The workbooks are written by openpyxl, as an ERP export or a spreadsheet saves them."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from pipelines import store
from pipelines.store.ingest import ingest_bytes

FOREIGN = Path(__file__).resolve().parents[1] / "fixtures" / "foreign"


@pytest.fixture
def con(tmp_path: Path):
    c = store.connect(tmp_path / "e.duckdb")
    yield c
    c.close()


def workbook(rows: list[list], sheet: str = "Absatzplan", formats: dict[str, str] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for ref, number_format in (formats or {}).items():
        ws[ref].number_format = number_format
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FORECAST = [["Artikel", "Markt", "KW 01/2027", "KW 02/2027"],
            ["100201", "LEH", 120, 80], ["100201", "Discount", 40, 60]]


def versions(con) -> list[tuple]:
    return con.execute("select kind, rows from versions order by version_id").fetchall()


def test_a_header_without_rows_is_refused_and_the_current_forecast_stays(con):
    assert ingest_bytes(con, workbook(FORECAST), "Absatzplan_KW48_2026.xlsx").ok
    result = ingest_bytes(con, workbook(FORECAST[:1]), "Absatzplan_KW49_2026.xlsx")
    assert not result.ok
    (error,) = result.errors
    assert (error.key, error.sheet, error.row) == ("sheet_without_rows", "Absatzplan", 1)
    assert "keine Datenzeilen" in error.message("de") and "no data rows" in error.message("en")
    assert versions(con) == [("forecast", 4)]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_excel_error_cells_are_refused_not_read_as_zero(con, suffix):
    """#DIV/0! and #N/A cached by LibreOffice (tests/fixtures/foreign/make_foreign.py): every reader
    gives them as empty cells, which would store as demand 0."""
    name = f"Absatz_Fehlerzellen{suffix}"
    result = ingest_bytes(con, (FOREIGN / name).read_bytes(), name)
    assert [(e.key, e.sheet, e.row, e.column, e.value) for e in result.errors] == [
        ("excel_error", "Absatzplan", 3, "C", "#DIV/0!"), ("excel_error", "Absatzplan", 4, "D", "#N/A")]
    assert "#DIV/0!" in result.errors[0].message("de") and "formula" in result.errors[0].message("en")
    assert versions(con) == []


def test_an_error_in_a_key_column_is_refused_too(con):
    """openpyxl writes an error string as an error cell (t="e"), as Excel saves a failed lookup."""
    rows = [r[:] for r in FORECAST]
    rows[2][1] = "#N/A"  # the market looked up from a customer table that lacks the customer
    result = ingest_bytes(con, workbook(rows), "Absatzplan.xlsx")
    assert [(e.key, e.row, e.column, e.value) for e in result.errors] == [("excel_error", 3, "B", "#N/A")]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_hours_typed_as_durations_are_hours(con, suffix):
    """120:00 in [HH]:MM is 120 hours (the cell holds 5 days; fastexcel gave it as 432,000,000 ms,
    LibreOffice's ods as the text PT120H00M00S, the xls as a timedelta)."""
    name = f"Kapazitaet_Dauer{suffix}"
    assert ingest_bytes(con, (FOREIGN / name).read_bytes(), name).ok
    assert con.execute("select line, period, available_hours from capacity order by all").fetchall() == [
        ("BUT-1", "2027-W01", 80.0), ("JOG-1", "2027-W01", 120.0), ("JOG-1", "2027-W02", 37.5)]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_hours_under_a_day_typed_as_times_are_hours(con, suffix):
    """08:00 and 16:30 in [HH]:MM, 07:45 as a time of day (HH:MM), beside 120:00: LibreOffice's ods
    keeps every one as a time, which python-calamine gives as 08:00:00 (refused as "not a number");
    the xlsx's [HH]:MM beside HH:MM in one column stopped fastexcel (refused as unreadable)."""
    name = f"Kapazitaet_Schichtstunden{suffix}"
    result = ingest_bytes(con, (FOREIGN / name).read_bytes(), name)
    assert result.ok, [e.to_dict() for e in result.errors]
    assert con.execute("select line, period, available_hours from capacity order by all").fetchall() == [
        ("BUT-1", "2027-W01", 7.75), ("BUT-1", "2027-W02", 120.0), ("JOG-1", "2027-W01", 24.5)]


def test_an_xlsx_column_of_times_of_day_is_hours(con):
    """Every cell HH:MM (fastexcel types the column as timestamps on Excel's day 0)."""
    import datetime as dt

    data = workbook([["Linie", "KW", "Stunden"], ["BUT-1", "2027-W01", dt.time(8, 0)],
                     ["BUT-1", "2027-W02", dt.time(16, 30)]], sheet="Kapazität",
                    formats={"C2": "HH:MM", "C3": "HH:MM"})
    assert ingest_bytes(con, data, "Kapazitaet.xlsx").ok
    assert con.execute("select period, available_hours from capacity order by all").fetchall() == [
        ("2027-W01", 8.0), ("2027-W02", 16.5)]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_a_hidden_sheet_of_an_xls_or_ods_is_skipped(con, suffix):
    """python-calamine names a hidden sheet `SheetVisibleEnum.Hidden`, which holds the word
    "Visible": every hidden sheet of an xls or ods was read, the older cycle added to the plan."""
    name = f"Absatz_Vorzyklus_ausgeblendet{suffix}"
    result = ingest_bytes(con, (FOREIGN / name).read_bytes(), name)
    assert result.ok
    assert result.read.skipped_sheets == [("Vorzyklus", "hidden")]
    assert con.execute("select market, quantity from forecast").fetchall() == [("LEH", 10.0)]


@pytest.mark.parametrize("file_name", ["Verkaufsplanung_2027.xlsx", "Actualized_Forecast.xlsx",
                                       "Ist_Stand_KW48.xlsx"])
def test_a_forecast_whose_name_also_says_actuals_stays_a_forecast(con, file_name):
    """`Verkauf`, `actual` and `ist` name actuals; where a name (the file's or, in the last case,
    the sheet's `Absatzplan`) also says plan or forecast, the sheet is a forecast: stored as actuals,
    it went missing from the plan and overwrote the history."""
    assert ingest_bytes(con, workbook(FORECAST), file_name).ok
    assert versions(con) == [("forecast", 4)]


def test_a_delivery_export_is_still_actuals(con):
    data = workbook(FORECAST, sheet="Lieferungen")
    assert ingest_bytes(con, data, "Ist_Absatz_KW22-KW47_2026.xlsx").ok
    assert versions(con) == [("actuals", 4)]


@pytest.mark.parametrize("merged", [False, True], ids=["year in its first cell", "year merged over the weeks"])
def test_one_year_cell_over_weeks_that_start_again_runs_into_the_next_year(con, tmp_path, merged):
    """2026 over KW 51, KW 52, KW 01, KW 02: the last two are 2027's (they were stored as 2026-W01,
    a year early, without a word)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Absatzplan"
    ws.append(["Artikel-Nr.", "Vertriebsweg", 2026, None, None, None])
    ws.append([None, None, "KW 51", "KW 52", "KW 01", "KW 02"])
    ws.append(["100201", "LEH", 1, 2, 3, 4])
    if merged:
        ws.merge_cells("C1:F1")
    out = io.BytesIO()
    wb.save(out)
    assert ingest_bytes(con, out.getvalue(), "Absatzplan.xlsx").ok
    assert con.execute("select period, period_start::varchar, quantity from forecast order by 2").fetchall() == [
        ("2026-W51", "2026-12-14", 1.0), ("2026-W52", "2026-12-21", 2.0),
        ("2027-W01", "2027-01-04", 3.0), ("2027-W02", "2027-01-11", 4.0)]


def test_one_year_cell_over_months_that_start_again_runs_into_the_next_year(con):
    rows = [["Artikel-Nr.", "Vertriebsweg", 2026, None, None], [None, None, "Nov", "Dez", "Jan"],
            ["100201", "LEH", 1, 2, 3]]
    assert ingest_bytes(con, workbook(rows), "Absatzplan.xlsx").ok
    assert con.execute("select period, quantity from forecast order by period").fetchall() == [
        ("2026-11", 1.0), ("2026-12", 2.0), ("2027-01", 3.0)]


def test_a_prior_year_measure_beside_the_plan_is_not_added_to_it(con):
    """A Kennzahl column with `Absatzmenge Plan` and `Absatzmenge Vorjahr` rows: both name a
    quantity, but only the plan's is the forecast (the prior year's was added to it)."""
    rows = [["Artikel", "Markt", "Kennzahl", "KW 01/2027", "KW 02/2027"],
            ["100201", "LEH", "Absatzmenge Plan", 120, 80], ["100201", "LEH", "Absatzmenge Vorjahr", 100, 90],
            ["100201", "LEH", "Umsatz EUR", 240, 160], ["100202", "LEH", "Absatzmenge Plan", 10, 20],
            ["100202", "LEH", "Menge VJ", 9, 21]]
    result = ingest_bytes(con, workbook(rows), "Absatzplan.xlsx")
    assert result.ok
    assert con.execute("select sum(quantity) from forecast").fetchone()[0] == 230
    (recon,) = result.reconciliation
    assert recon["columns_not_read"] == ["C (Kennzahl: Absatzmenge Vorjahr, Menge VJ, Umsatz EUR)"]


def test_prior_year_week_columns_beside_the_plan_are_not_read(con):
    rows = [["Artikel", "Markt", "KW 01/2027 Menge", "KW 01/2027 Menge VJ", "KW 02/2027 Menge",
             "KW 02/2027 Menge VJ"], ["100201", "LEH", 120, 100, 80, 90]]
    result = ingest_bytes(con, workbook(rows), "Absatzplan.xlsx")
    assert result.ok
    assert con.execute("select period, quantity from forecast order by 1").fetchall() == [
        ("2027-W01", 120.0), ("2027-W02", 80.0)]
    assert result.reconciliation[0]["columns_not_read"] == ["D (KW 01/2027 Menge VJ)", "F (KW 02/2027 Menge VJ)"]


def test_a_visible_copy_of_the_forecast_sheet_is_refused_not_added(con):
    """`Absatzplan (2)`, a copy left visible beside the sheet, doubled every quantity."""
    wb = openpyxl.Workbook()
    for n, title in enumerate(["Absatzplan", "Absatzplan (2)"]):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title
        for row in FORECAST:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    result = ingest_bytes(con, out.getvalue(), "Absatzplan.xlsx")
    assert [(e.key, e.sheet) for e in result.errors] == [("sheet_copy", "Absatzplan (2)")]
    assert "Absatzplan (2)" in result.errors[0].message("en") and "twice" in result.errors[0].message("en")
    assert versions(con) == []


def test_two_sheets_of_different_markets_are_still_one_forecast(con):
    wb = openpyxl.Workbook()
    for n, (title, market) in enumerate([("LEH", "LEH"), ("Discount", "Discount")]):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title
        ws.append(FORECAST[0])
        ws.append(["100201", market, 120, 80])
    out = io.BytesIO()
    wb.save(out)
    assert ingest_bytes(con, out.getvalue(), "Absatzplan.xlsx").ok
    assert versions(con) == [("forecast", 4)]


def test_two_week_columns_headed_alike_are_refused_not_added(con):
    rows = [["Artikel", "Markt", "KW 01/2027", "KW 02/2027", "KW 02/2027"], ["100201", "LEH", 1, 2, 3]]
    result = ingest_bytes(con, workbook(rows), "Absatzplan.xlsx")
    assert [(e.key, e.row, e.column) for e in result.errors] == [("duplicate_period_header", 1, "E")]
    assert "D „KW 02/2027“, E „KW 02/2027“" in result.errors[0].message("de")


def test_two_measures_of_one_week_are_still_added(con):
    """`Menge Basis` and `Menge Promo` of one week are two quantities of it, not a copied column."""
    rows = [["Artikel", "Markt", "KW 01/2027 Menge Basis", "KW 01/2027 Menge Promo"], ["100201", "LEH", 100, 20]]
    assert ingest_bytes(con, workbook(rows), "Absatzplan.xlsx").ok
    assert con.execute("select quantity from forecast").fetchall() == [(120.0,)]


def test_a_pivots_blank_placeholder_is_refused_not_stored_as_a_market(con):
    rows = [["Artikel", "Markt", "KW 01/2027"], ["100201", "LEH", 5], ["100201", "(Leer)", 7]]
    result = ingest_bytes(con, workbook(rows), "Absatzplan.xlsx")
    assert [(e.key, e.row, e.column, e.value) for e in result.errors] == [("pivot_blank_key", 3, "B", "(Leer)")]
    assert "Markt" in result.errors[0].message("de") and "placeholder" in result.errors[0].message("en")


def test_an_article_number_written_as_a_decimal_text_is_the_article(con):
    """`100201.0`, as a CSV written from a float column has it, was a second article beside 100201."""
    csv = "Artikel;Markt;KW;Menge\n100201.0;LEH;2027-W01;5\n100201;LEH;2027-W02;7\n".encode()
    assert ingest_bytes(con, csv, "Absatzplan.csv").ok
    assert con.execute("select distinct product from forecast").fetchall() == [("100201",)]


def test_an_implausible_number_is_refused_with_its_cell(con):
    rows = [["Artikel", "Markt", "KW 01/2027"], ["100201", "LEH", 1e308], ["100202", "LEH", 1e308]]
    result = ingest_bytes(con, workbook(rows), "Absatzplan.xlsx")
    assert [(e.key, e.row, e.value) for e in result.errors] == [
        ("number_implausible", 2, "1E+308"), ("number_implausible", 3, "1E+308")]


def test_capacity_in_minutes_is_stored_in_hours_and_said(con):
    rows = [["Linie", "KW", "Kapazität (min)"], ["JOG-1", "2027-W01", 4800], ["JOG-1", "2027-W02", 7200]]
    result = ingest_bytes(con, workbook(rows, sheet="Kapazität"), "Kapazitaet.xlsx")
    assert result.ok
    assert con.execute("select available_hours from capacity order by period").fetchall() == [(80.0,), (120.0,)]
    assert [w.key for w in result.warnings] == ["header_unit_scaled"]
    assert "× 1/60" in result.warnings[0].message("de") and "Kapazität (min)" in result.warnings[0].message("de")


def test_capacity_in_shifts_is_refused(con):
    rows = [["Linie", "KW", "Kapazität (Schichten)"], ["JOG-1", "2027-W01", 15]]
    result = ingest_bytes(con, workbook(rows, sheet="Kapazität"), "Kapazitaet.xlsx")
    assert [(e.key, e.column) for e in result.errors] == [("header_unit_refused", "C")]


@pytest.mark.parametrize("header, unit, rate, rate_unit", [
    ("Leistung (Stk/min)", "Stk", 120, None), ("Leistung (t/h)", "kg", 2, "kg/h"),
    ("Leistung (kg/min)", "kg", 20, "kg/h")])
def test_a_rate_per_minute_or_in_tonnes_is_per_hour(con, header, unit, rate, rate_unit):
    rows = [["Artikelnummer", "Bezeichnung", "Einheit", "Linie", header], [100201, "Joghurt", unit, "JOG-1", rate]]
    assert ingest_bytes(con, workbook(rows, sheet="Artikelstamm"), "Stammdaten.xlsx").ok
    expected = {"Leistung (Stk/min)": 7200.0, "Leistung (t/h)": 2000.0, "Leistung (kg/min)": 1200.0}[header]
    assert con.execute("select rate, rate_unit from products").fetchall() == [(expected, rate_unit)]


def test_a_forecast_in_thousands_is_stored_in_units(con):
    """`Absatzmenge (Tsd. Stück)` long, and a caption `Menge in 1.000 Stück` over week columns."""
    rows = [["Artikel", "Markt", "KW", "Absatzmenge (Tsd. Stück)"], ["100201", "LEH", "2027-W01", 25]]
    assert ingest_bytes(con, workbook(rows), "Absatzplan_lang.xlsx").ok
    assert con.execute("select quantity from forecast").fetchall() == [(25000.0,)]
    wide = [["Artikel", "Markt", "Menge in 1.000 Stück", None], [None, None, "KW 01/2027", "KW 02/2027"],
            ["100201", "LEH", 17, 10.5]]
    assert ingest_bytes(con, workbook(wide), "Absatzplan_breit.xlsx").ok
    assert con.execute("select period, quantity from forecast where version_id = (select max(version_id) "
                       "from versions) order by 1").fetchall() == [("2027-W01", 17000.0), ("2027-W02", 10500.0)]


@pytest.mark.parametrize("header", ["Absatzmenge (Stk)", "Menge (kg)", "Menge"])
def test_a_header_unit_of_pieces_or_kilograms_changes_nothing(con, header):
    rows = [["Artikel", "Markt", "KW", header], ["100201", "LEH", "2027-W01", 25]]
    result = ingest_bytes(con, workbook(rows), "Absatzplan.xlsx")
    assert result.ok and not result.warnings
    assert con.execute("select quantity from forecast").fetchall() == [(25.0,)]


def test_week_columns_under_a_caption_in_shifts_are_refused(con):
    rows = [["Linie", "Kapazität in Schichten", None], [None, "KW 01/2027", "KW 02/2027"], ["JOG-1", 15, 10]]
    result = ingest_bytes(con, workbook(rows, sheet="Kapazität"), "Kapazitaet.xlsx")
    assert [e.key for e in result.errors] == ["header_unit_refused"]


@pytest.mark.parametrize("caption", ["Absatz in LEH", "Menge (Plan)", "Menge (Linie 2)"])
def test_brackets_and_in_that_name_no_unit_change_nothing(con, caption):
    rows = [["Artikel", "Markt", caption, None], [None, None, "KW 01/2027", "KW 02/2027"],
            ["100201", "LEH", 17, 10]]
    result = ingest_bytes(con, workbook(rows), "Absatzplan.xlsx")
    assert result.ok and not [w for w in result.warnings if w.key.startswith("header_unit")]
    assert con.execute("select sum(quantity) from forecast").fetchone()[0] == 27


@pytest.mark.parametrize("header", ["Absatzmenge (Werk 1000)", "Menge (Stück, VKORG 1000)", "Menge (K-Artikel)",
                                    "Menge (t)"])
def test_a_plant_code_or_a_name_in_brackets_is_no_thousands(con, header):
    """SAP's plant 1000 in a header was read as "in thousands" and stored × 1,000."""
    rows = [["Artikel", "Markt", "KW", header], ["100201", "LEH", "2027-W01", 25]]
    result = ingest_bytes(con, workbook(rows), "Absatzplan.xlsx")
    assert result.ok and not result.warnings
    assert con.execute("select quantity from forecast").fetchall() == [(25.0,)]


def test_an_actuals_export_reads_its_ist_menge():
    """`Ist-Menge` beside `Retourenmenge` in an actuals export is the quantity (not a past measure)."""
    from pipelines.read.header import is_quantity_word
    assert is_quantity_word("Ist-Menge") and is_quantity_word("Absatzmenge Ist")
    assert not is_quantity_word("Absatzmenge Vorjahr") and not is_quantity_word("Menge VJ")


def test_weeks_written_latest_first_under_one_year_cell_stay_in_that_year(con):
    rows = [["Artikel-Nr.", "Vertriebsweg", 2027, None, None], [None, None, "KW 05", "KW 04", "KW 03"],
            ["100201", "LEH", 5, 4, 3]]
    assert ingest_bytes(con, workbook(rows), "Absatzplan.xlsx").ok
    assert con.execute("select period, quantity from forecast order by 1").fetchall() == [
        ("2027-W03", 3.0), ("2027-W04", 4.0), ("2027-W05", 5.0)]
