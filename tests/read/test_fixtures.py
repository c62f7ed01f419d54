"""Files written by real tools (tests/fixtures/make_fixtures.py), each read to exact normalised rows."""
from pathlib import Path

import pytest

from pipelines.read import read_file

from .conftest import records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "read"
WIDE = ("product", "market", "period", "quantity", "name", "period_start", "_row", "_col")
CAPACITY = ("line", "period", "available_hours", "max_hours", "period_start", "_row", "_col")

FORECAST_ROWS = [
    ("123", "LEH", "2027-W01", 1200.0, "Joghurt Natur 150g", "2027-01-04", 5, "E"),
    ("123", "LEH", "2027-W02", 1300.0, "Joghurt Natur 150g", "2027-01-11", 5, "F"),
    ("123", "LEH", "2027-W03", 1234.5, "Joghurt Natur 150g", "2027-01-18", 5, "G"),
    ("123", "Discount", "2027-W01", 800.0, "Joghurt Natur 150g", "2027-01-04", 6, "E"),
    ("123", "Discount", "2027-W02", 0.0, "Joghurt Natur 150g", "2027-01-11", 6, "F"),
    ("123", "Discount", "2027-W03", 0.0, "Joghurt Natur 150g", "2027-01-18", 6, "G"),
    ("A-77", "Export NL", "2027-W01", 10.5, "Butter 250g", "2027-01-04", 9, "E"),
    ("A-77", "Export NL", "2027-W02", 0.0, "Butter 250g", "2027-01-11", 9, "F"),
    ("A-77", "Export NL", "2027-W03", 5.0, "Butter 250g", "2027-01-18", 9, "G"),
]
CAPACITY_ROWS = [
    ("L1", "2027-W01", 80.0, 96.0, "2027-01-04", 2, "A"),
    ("L1", "2027-W02", 72.5, 96.0, "2027-01-11", 3, "A"),
    ("l2", "2027-W01", 40.0, None, "2027-01-04", 4, "A"),
]
PRODUCTS = ("product", "line", "rate", "name", "shelf_life_days", "min_remaining_shelf_life_days",
            "price", "margin", "_row")
PRODUCT_ROWS = [
    ("123", "L1", 1200.0, "Joghurt Natur 150g", 21.0, 10.0, 0.45, 0.12, 4),
    ("124", "L1", 1500.0, "Joghurt Erdbeer 150g", 21.0, 10.0, 0.49, 0.13, 5),   # "1.500": German file
    ("A-77", "L2", 800.0, "Butter 250g", 90.0, 30.0, 1.99, 0.4, 6),
]
ALTERNATE_ROWS = [("123", "L2", 900.0, 2), ("A-77", "L1", 600.0, 3)]
MARKET_ROWS = [("LEH", 1, "Lebensmitteleinzelhandel", 2), ("Discount", 2, "Discounter", 3),
               ("Export NL", 3, "Export Niederlande", 4), ("Foodservice", 2, None, 5)]
ACTUAL_ROWS = [("123", "LEH", "2027-01", 1150.0, "2027-01-01", 2), ("123", "LEH", "2027-02", 980.0, "2027-02-01", 3),
               ("A-77", "Export NL", "2027-01", 12.0, "2027-01-01", 4)]


def read(name: str):
    result = read_file((FIXTURES / name).read_bytes(), name)
    assert result.ok, [e.to_dict("en") for e in result.all_errors()]
    return result


@pytest.mark.parametrize("name", ["forecast_openpyxl.xlsx", "forecast_libreoffice.xlsx", "forecast.xls"])
def test_forecast_workbook(name):
    result = read(name)
    assert result.skipped_sheets == [("Deckblatt", "not_data")]
    forecast, capacity = result.sheets
    assert (forecast.sheet, forecast.kind, forecast.layout, forecast.grain) == ("Absatzplan", "forecast", "wide", "week")
    assert forecast.header_row == 4
    assert forecast.columns == {"product": "Artikel", "market": "Markt", "name": "Bezeichnung"}
    assert (forecast.skipped_rows, forecast.totals_rows) == (6, 2)   # 3 above the header, 1 empty, 2 totals
    assert records(forecast.frame, WIDE) == FORECAST_ROWS
    assert forecast.frame["unit"].isna().all()
    assert forecast.headers[:5] == ["Artikel", "Markt", "Bezeichnung", "", "KW 01/2027"]
    assert (capacity.sheet, capacity.kind, capacity.layout, capacity.grain) == ("Kapazität", "capacity", "long", "week")
    assert (capacity.skipped_rows, capacity.totals_rows) == (1, 1)
    assert records(capacity.frame, CAPACITY) == CAPACITY_ROWS


@pytest.mark.parametrize("name", ["master_xlsxwriter.xlsx", "master_libreoffice.xlsx", "master.ods"])
def test_master_workbook(name):
    result = read(name)
    assert result.skipped_sheets == [("Notizen", "not_data")]
    products, alternates, markets, actuals = result.sheets
    assert [s.kind for s in result.sheets] == ["products", "alternates", "markets", "actuals"]
    assert products.header_row == 3
    assert products.columns["rate"] == "Leistung (Stk/h)"
    assert records(products.frame, PRODUCTS) == PRODUCT_ROWS
    assert records(alternates.frame, ("product", "line", "rate", "_row")) == ALTERNATE_ROWS
    assert records(markets.frame, ("market", "priority_class", "name", "_row")) == MARKET_ROWS
    assert (actuals.layout, actuals.grain) == ("long", "month")
    assert records(actuals.frame, ("product", "market", "period", "quantity", "period_start", "_row")) == ACTUAL_ROWS


def test_german_csv_cp1252_semicolon():
    result = read("forecast_de.csv")
    (sheet,) = result.sheets
    assert (sheet.sheet, sheet.kind, sheet.layout, sheet.grain, sheet.header_row) == ("forecast_de", "forecast", "long", "week", 2)
    assert (sheet.skipped_rows, sheet.totals_rows) == (2, 1)
    assert records(sheet.frame, ("product", "market", "period", "quantity", "_row", "_col")) == [
        ("123", "Großhandel Süd", "2027-W05", 1234.5, 3, "A"),
        ("124", "Großhandel Süd", "2027-W06", 980.25, 4, "A"),
        ("124", "Bäckerei", "2027-W05", 0.0, 5, "A"),
    ]


def test_english_csv_utf8_bom_wide_plan_named_by_file():
    result = read("Produktionsplan_2027.csv")
    (sheet,) = result.sheets
    assert (sheet.kind, sheet.layout, sheet.grain) == ("plan", "wide", "month")
    assert sheet.columns == {"product": "Product", "line": "Line"}
    assert records(sheet.frame, ("product", "line", "period", "planned_quantity", "_row", "_col")) == [
        ("123", "L1", "2027-03", 1234.5, 2, "C"), ("123", "L1", "2027-04", 1000.0, 2, "D"),
        ("123", "L1", "2027-05", 0.0, 2, "E"), ("A-77", "L2", "2027-03", 500.0, 3, "C"),
        ("A-77", "L2", "2027-04", 0.0, 3, "D"), ("A-77", "L2", "2027-05", 250.25, 3, "E"),
    ]


def test_encrypted_workbook():
    result = read_file((FIXTURES / "encrypted.xlsx").read_bytes(), "encrypted.xlsx")
    assert [e.key for e in result.errors] == ["encrypted"]
    assert not result.ok


def test_same_file_same_sha256_and_signature():
    a = read("forecast_openpyxl.xlsx")
    b = read("forecast_libreoffice.xlsx")
    assert a.sheets[0].signature == b.sheets[0].signature
    assert len(a.sha256) == 64 and a.sha256 != b.sha256
