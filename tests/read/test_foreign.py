"""The foreign-shaped export corpus (tests/fixtures/foreign, written by xlsxwriter and LibreOffice):
each file's records written by hand from the contract, and its reconciliation against the store."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import store
from pipelines.store.ingest import ingest_bytes

FOREIGN = Path(__file__).resolve().parents[1] / "fixtures" / "foreign"


@pytest.fixture
def con(tmp_path):
    c = store.connect(tmp_path / "foreign.duckdb")
    yield c
    c.close()


def ingest(con, name: str):
    return ingest_bytes(con, (FOREIGN / name).read_bytes(), name)


def stored(con, kind: str, columns: str) -> list[tuple]:
    return con.execute(f"select {columns} from {kind} order by all").fetchall()


# file -> (kind, records by hand, columns, sum of the source quantity cells by hand, reconciliation extras)
CASES = {
    "SAP_Absatzplanung_KW48_2026.xlsx": (
        "forecast", "product, market, period, quantity",
        # 004711 loses its zeros; the `-` and the 0 cell are zero and not stored; 1.000,5 is German
        [("4711", "LEH", "2026-W52", 10.0), ("4711", "LEH", "2026-W53", 12.0), ("4711", "LEH", "2027-W01", 14.0),
         ("4711", "LEH SÜD", "2026-W52", 1.0), ("4711", "LEH SÜD", "2027-W01", 3.0),
         ("4712", "Export NL", "2026-W52", 2.5), ("4712", "Export NL", "2027-W01", 1000.5)],
        10 + 12 + 14 + 1 + 3 + 2.5 + 1000.5,
        {"cells_read": 9, "totals_checked": ["9 (Gesamtergebnis)", "F (Summe)"], "columns_not_read": []}),
    "BC_Forecast_libreoffice.xlsx": (
        "forecast", "product, market, period, quantity, name",
        [("A-100", "LEH", "2027-W05", 100.0, "Joghurt 150 g"), ("A-100", "LEH", "2027-W06", 120.0, "Joghurt 150 g"),
         ("A-100", "Total Tankstellen", "2027-W05", 7.0, "Joghurt 150 g"),
         ("A-100", "Total Tankstellen", "2027-W06", 9.0, "Joghurt 150 g")],
        100 + 120 + 7 + 9,
        {"cells_read": 4, "totals_checked": ["H (Gesamt Menge)"],
         "columns_not_read": ["E (KW 05/27 Umsatz)", "G (KW 06/27 Umsatz)"]}),
    "Pivot_Absatz.xls": (
        "forecast", "product, market, period, quantity",
        [("200", "Discount", "2027-01", 50.0), ("200", "Discount", "2027-02", 60.0),
         ("200", "LEH", "2027-01", 30.0), ("200", "LEH", "2027-02", 40.0),
         ("300", "LEH", "2027-01", 5.0), ("300", "LEH", "2027-02", 5.0)],
        50 + 60 + 30 + 40 + 5 + 5,
        {"cells_read": 6, "totals_checked": ["5 (200 Ergebnis)", "7 (300 Ergebnis)", "8 (Gesamtergebnis)",
                                              "E (Gesamtergebnis)"], "columns_not_read": []}),
    "Absatz_Monatsende.csv": (
        "forecast", "product, market, period, quantity",
        # month-end dates are months; `großhandel süd` is the market first spelled `Großhandel Süd`
        [("200", "Großhandel Süd", "2027-01", 1234.5), ("200", "Großhandel Süd", "2027-02", 10.0),
         ("300", "Discount", "2027-03", 7.25)],
        1234.5 + 10 + 7.25,
        {"cells_read": 3, "totals_checked": [], "columns_not_read": []}),
    "Schichtplan_2027.ods": (
        "capacity", "line, period, available_hours",
        # three shifts of 40 h are 120 h; the repeated Nacht row (identical in every column) is dropped
        [("BUT-1", "2027-W01", 120.0), ("BUT-1", "2027-W02", 40.0), ("JOG-1", "2027-W01", 37.5)],
        40 + 40 + 40 + 40 + 37.5 + 40,
        {"cells_read": 6, "totals_checked": [], "columns_not_read": ["E (Bemerkung)"],
         "sum_duplicates_dropped": 40.0}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_foreign_export_is_read_as_the_contract_says(con, name):
    kind, columns, expected, source_sum, extras = CASES[name]
    result = ingest(con, name)
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(con, kind, columns) == sorted(expected)
    (rec,) = result.reconciliation
    assert rec["sum_read"] == pytest.approx(source_sum)
    stored_sum = con.execute(f"select sum({columns.split(', ')[-1] if kind == 'capacity' else 'quantity'}) "
                             f"from {kind}").fetchall()[0][0]
    assert rec["sum_stored"] == pytest.approx(stored_sum)
    assert rec["sum_stored"] + rec["sum_duplicates_dropped"] == pytest.approx(source_sum)
    for key, value in extras.items():
        assert rec[key] == value, key


def test_sap_book_skips_the_cover_and_the_hidden_sheet_and_dates_the_cycle(con):
    result = ingest(con, "SAP_Absatzplanung_KW48_2026.xlsx")
    assert result.read.skipped_sheets == [("Deckblatt", "not_data"), ("Vorzyklus", "hidden")]
    assert result.as_of.isoformat() == "2026-11-23" and result.as_of_source == "name"
    assert 999.0 not in [q for (q,) in con.execute("select quantity from forecast").fetchall()]


def test_week_53_of_2027_refuses_the_file_naming_the_cell(con):
    result = ingest(con, "Absatz_KW53_2027.xlsx")
    assert [(e.key, e.sheet, e.row, e.column, e.value) for e in result.errors] == [
        ("period_header_week53", "Absatz", 1, "D", "KW 53/2027")]
    assert con.execute("select count(*) from versions").fetchall()[0][0] == 0
