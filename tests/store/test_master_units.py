"""The product master and the alternate lines read the units their headers name (docs/ingest.md,
"Units in the products master's headers"): given a tiny workbook, expect the rows in the DuckDB file."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import store
from pipelines.store.ingest import ingest_bytes
from seed import workbook

HEAD = ["Artikelnummer", "Linie", "Leistung"]


def ingest(tmp_path: Path, sheets: dict[str, list[list]], name: str = "Artikelstamm.xlsx"):
    """Ingest the workbook into a fresh store file; the result, and the file's path for `stored`."""
    path = tmp_path / "e.duckdb"
    con = store.connect(path)
    try:
        return ingest_bytes(con, workbook(sheets), name), path
    finally:
        con.close()


def stored(path: Path, sql: str) -> list[tuple]:
    """Rows as the DuckDB file holds them, read back by a connection of its own."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def one_column(tmp_path: Path, header: str, value, unit: str = "Stk"):
    """A master of one article (pieces unless said) with one more column `header`."""
    return ingest(tmp_path, {"Artikelstamm": [HEAD + ["Einheit", header], ["100201", "BUT-1", 100, unit, value]]})


# --- net weight: kg per unit ------------------------------------------------------------------

@pytest.mark.parametrize("header, value, kg", [
    ("Gewicht (g)", 250, 0.25), ("Nettogewicht [g]", 500, 0.5), ("Gewicht [G]", 125, 0.125),
    ("Net weight (lb)", 2, 0.90718474), ("Nettogewicht (oz)", 16, 0.45359237),
    ("Gewicht (g/Stk)", 250, 0.25), ("Net weight (g per unit)", 40, 0.04)])
def test_a_net_weight_in_grams_pounds_or_ounces_is_stored_in_kg(tmp_path, header, value, kg):
    result, path = one_column(tmp_path, header, value)
    assert result.ok, [e.message("en") for e in result.errors]
    (weight,) = stored(path, "select net_weight from products")[0]
    assert weight == pytest.approx(kg, rel=1e-12)
    (note,) = [w for w in result.warnings if w.key == "header_unit_scaled"]
    assert note.column == "E" and header in note.message("de")


@pytest.mark.parametrize("header", ["Gewicht (kg)", "Nettogewicht [kg]", "Gewicht (netto)", "Gewicht", "kg/Stk"])
def test_a_net_weight_in_kg_or_without_unit_is_stored_as_it_is(tmp_path, header):
    result, path = one_column(tmp_path, header, 0.25)
    assert result.ok and not result.warnings
    assert stored(path, "select net_weight from products") == [(0.25,)]


def test_the_preview_says_the_factor_of_pounds_in_full(tmp_path):
    result, _ = one_column(tmp_path, "Net weight (lb)", 2)
    (note,) = result.warnings
    assert "× 0,45359237" in note.message("de") and "× 0.45359237" in note.message("en")


# --- gross weight is another figure ------------------------------------------------------------

@pytest.mark.parametrize("header", ["Gewicht (brutto)", "Gewicht [Brutto]", "Weight (gross)", "Gewicht (Tara)"])
def test_a_gross_weight_alone_is_not_read_as_the_net_weight(tmp_path, header):
    """`Gewicht (brutto)` was `Gewicht`, the bracket dropped: the gross weight stored as the net weight."""
    result, path = one_column(tmp_path, header, 0.3)
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select product, net_weight from products") == [("100201", None)]
    (rec,) = result.reconciliation
    assert rec["columns_not_read"] == [f"E ({header})"]


@pytest.mark.parametrize("header", ["Bruttogewicht", "Gross weight", "Gewicht brutto"])
def test_a_gross_weight_without_brackets_stays_unread(tmp_path, header):
    result, path = one_column(tmp_path, header, 0.3)
    assert result.ok and stored(path, "select net_weight from products") == [(None,)]
    assert result.reconciliation[0]["columns_not_read"] == [f"E ({header})"]


def test_a_gross_weight_beside_the_net_weight_is_left_unread(tmp_path):
    """Both were the net weight: the upload was refused as two columns of one field."""
    result, path = ingest(tmp_path, {"Artikelstamm": [
        HEAD + ["Nettogewicht (g)", "Gewicht (brutto)"], ["100201", "BUT-1", 100, 250, 270]]})
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select net_weight from products") == [(0.25,)]
    assert result.reconciliation[0]["columns_not_read"] == ["E (Gewicht (brutto))"]


# --- shelf life and minimum remaining shelf life: days -------------------------------------------

@pytest.mark.parametrize("header, value, days", [
    ("MHD (Wochen)", 3, 21), ("Haltbarkeit (weeks)", 2, 14), ("MHD (Wo)", 4, 28), ("MHD (Wo.)", 1, 7),
    ("MHD (Monate)", 2, 60), ("Shelf life (months)", 6, 180), ("MHD [Jahre]", 1, 365),
    ("Shelf life (years)", 2, 730)])
def test_a_shelf_life_in_weeks_months_or_years_is_stored_in_days(tmp_path, header, value, days):
    result, path = one_column(tmp_path, header, value)
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select shelf_life_days from products") == [(float(days),)]


@pytest.mark.parametrize("header", ["MHD (Tage)", "Shelf life (days)", "MHD (d)", "MHD"])
def test_a_shelf_life_in_days_is_stored_as_it_is(tmp_path, header):
    result, path = one_column(tmp_path, header, 21)
    assert result.ok and not result.warnings
    assert stored(path, "select shelf_life_days from products") == [(21.0,)]


def test_the_minimum_remaining_shelf_life_converts_like_the_shelf_life(tmp_path):
    result, path = ingest(tmp_path, {"Artikelstamm": [
        HEAD + ["MHD (Monate)", "Restlaufzeit (Wochen)"], ["100201", "BUT-1", 100, 3, 2]]})
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select shelf_life_days, min_remaining_shelf_life_days from products") == [(90.0, 14.0)]


# --- price and margin: EUR per unit ------------------------------------------------------------

@pytest.mark.parametrize("header, value", [
    ("Preis (ct)", 199), ("Preis (Cent)", 199), ("Preis [ct/Stk]", 199), ("Preis je 100 Stk", 199),
    ("Preis (EUR/100 Stk)", 199), ("Price per 1000 pcs", 1990), ("Preis (€/1000)", 1990),
    ("Verkaufspreis (EUR / 1.000 Stück)", 1990), ("Preis (EUR je Tsd. Stk)", 1990)])
def test_a_price_in_cents_or_per_hundred_or_thousand_is_stored_per_unit(tmp_path, header, value):
    result, path = one_column(tmp_path, header, value)
    assert result.ok, [e.message("en") for e in result.errors]
    (price,) = stored(path, "select price from products")[0]
    assert price == pytest.approx(1.99, rel=1e-12)


@pytest.mark.parametrize("header", ["Preis (EUR)", "Preis (€)", "Preis (EUR/Stk)", "Preis (netto)", "Preis"])
def test_a_price_in_euros_per_unit_is_stored_as_it_is(tmp_path, header):
    result, path = one_column(tmp_path, header, 1.99)
    assert result.ok and not result.warnings
    assert stored(path, "select price from products") == [(1.99,)]


def test_a_margin_in_cents_is_stored_in_euros(tmp_path):
    result, path = ingest(tmp_path, {"Artikelstamm": [HEAD + ["Marge (ct)"], ["100201", "BUT-1", 100, 45]]})
    assert result.ok
    assert stored(path, "select margin from products")[0][0] == pytest.approx(0.45)


def test_a_price_per_kg_is_per_unit_through_the_net_weight_and_as_is_for_articles_in_kg(tmp_path):
    result, path = ingest(tmp_path, {"Artikelstamm": [
        HEAD + ["Einheit", "Nettogewicht (g)", "Preis (EUR/kg)", "Marge (ct/kg)"],
        ["100201", "BUT-1", 100, "Stk", 250, 8.0, 120],     # a 250 g pack
        ["100202", "BUT-1", 100, "KG", None, 7.5, 90],      # sold by the kilogram
        ["100203", "BUT-1", 100, "g", None, 9.0, None]]})   # kept in grams
    assert result.ok, [e.message("en") for e in result.errors]
    rows = stored(path, "select product, price, margin from products order by product")
    assert rows == [("100201", 2.0, pytest.approx(0.3)), ("100202", 7.5, pytest.approx(0.9)),
                    ("100203", pytest.approx(0.009), None)]
    assert [w.column for w in result.warnings if w.key == "header_unit_per_kg"] == ["F", "G"]


def test_a_price_per_kg_of_an_article_in_pieces_without_net_weight_is_refused(tmp_path):
    result, path = ingest(tmp_path, {"Artikelstamm": [
        HEAD + ["Einheit", "Nettogewicht", "Preis (EUR/kg)"],
        ["100201", "BUT-1", 100, "Stk", 0.25, 8.0], ["100202", "BUT-1", 100, "Stk", None, 6.5],
        ["100203", "BUT-1", 100, "Becher", None, None]]})   # no price: nothing to convert
    assert not result.ok
    (err,) = result.errors
    assert (err.key, err.file, err.sheet, err.row, err.column, err.header, err.value) == (
        "per_kg_no_weight", "Artikelstamm.xlsx", "Artikelstamm", 3, "F", "Preis (EUR/kg)", 6.5)
    assert "100202" in err.message("de") and "Nettogewicht" in err.message("de")
    assert "net weight" in err.message("en")
    assert stored(path, "select count(*) from products") == [(0,)]


def test_a_margin_in_percent_is_euros_per_unit_through_the_price(tmp_path):
    result, path = ingest(tmp_path, {"Artikelstamm": [
        HEAD + ["Preis (ct)", "Marge (%)"], ["100201", "BUT-1", 100, 250, 20], ["100202", "BUT-1", 100, 400, None]]})
    assert result.ok, [e.message("en") for e in result.errors]
    rows = stored(path, "select product, price, margin from products order by product")
    assert rows == [("100201", 2.5, pytest.approx(0.5)), ("100202", 4.0, None)]
    assert [w.key for w in result.warnings if w.column == "E"] == ["header_unit_percent"]


def test_a_margin_in_percent_without_a_price_column_is_refused(tmp_path):
    result, path = ingest(tmp_path, {"Artikelstamm": [HEAD + ["Marge (%)"], ["100201", "BUT-1", 100, 20]]})
    (err,) = result.errors
    assert (err.key, err.sheet, err.column, err.header) == ("margin_percent_no_price", "Artikelstamm", "D", "Marge (%)")
    assert "Preis" in err.message("de") and "price" in err.message("en")
    assert stored(path, "select count(*) from products") == [(0,)]


def test_a_margin_in_percent_of_a_row_without_price_is_refused_naming_the_row(tmp_path):
    result, _ = ingest(tmp_path, {"Artikelstamm": [
        HEAD + ["Preis", "Marge (%)"], ["100201", "BUT-1", 100, 2.5, 20], ["100202", "BUT-1", 100, None, 15]]})
    (err,) = result.errors
    assert (err.key, err.row, err.column, err.value) == ("margin_percent_no_price_row", 3, "E", 15)
    assert "100202" in err.message("de") and "„Preis“" in err.message("de")


# --- rate: units or kg per hour -----------------------------------------------------------------

@pytest.mark.parametrize("header", ["Leistung (Tsd. Stk/h)", "Leistung (1000 Stk/h)", "Leistung (k pcs/h)",
                                    "Leistung (Tsd.Stk/h)", "Leistung [tsd stk / h]", "Rate (1.000 pcs/h)",
                                    "Leistung (TStk/h)"])
def test_a_rate_in_thousands_per_hour_is_stored_in_units_per_hour(tmp_path, header):
    result, path = ingest(tmp_path, {"Artikelstamm": [["Artikelnummer", "Linie", header], ["100201", "BUT-1", 2.5]]})
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select rate, rate_unit from products") == [(2500.0, None)]
    assert result.reconciliation[0]["sum_read"] == 2500.0


@pytest.mark.parametrize("header, expected", [
    ("Leistung (Stk/min)", (150.0, None)), ("Leistung (kg/h)", (2.5, "kg/h")), ("Leistung [KG/Std.]", (2.5, "kg/h")),
    ("Leistung (Stk/h)", (2.5, None)), ("Leistung (Stück pro Stunde)", (2.5, None))])
def test_a_rate_per_minute_or_in_kg_per_hour_keeps_its_path(tmp_path, header, expected):
    result, path = ingest(tmp_path, {"Artikelstamm": [["Artikelnummer", "Linie", header], ["100201", "BUT-1", 2.5]]})
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select rate, rate_unit from products") == [expected]


def test_an_alternate_rate_in_thousands_per_hour_is_stored_in_units_per_hour(tmp_path):
    result, path = ingest(tmp_path, {"Ausweichlinien": [
        ["Artikelnummer", "Linie", "Leistung (Tsd. Stk/h)"], ["100201", "BUT-2", 1.2]]}, "Ausweichlinien.xlsx")
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select product, line, rate from alternates") == [("100201", "BUT-2", 1200.0)]


# --- the alternate line's header ---------------------------------------------------------------

@pytest.mark.parametrize("header", ["Ausweichlinie", "Alternate line", "Alternate Line"])
def test_a_sheet_whose_line_is_an_alternate_line_is_the_alternates(tmp_path, header):
    """Before, the sheet lacked a line and was refused (`Tabelle1` says nothing of alternates)."""
    result, path = ingest(tmp_path, {"Tabelle1": [["Artikel", header, "Leistung (Stk/h)"], ["100201", "BUT-2", 900]]},
                          "Stammdaten.xlsx")
    assert result.ok, [e.message("en") for e in result.errors]
    assert [v.kind for v in result.versions] == ["alternates"]
    assert stored(path, "select product, line, rate from alternates") == [("100201", "BUT-2", 900.0)]
    assert stored(path, "select count(*) from products") == [(0,)]


def test_in_an_alternates_sheet_the_alternate_line_is_read_and_the_own_line_is_not(tmp_path):
    result, path = ingest(tmp_path, {"Ausweichlinien": [
        ["Artikel", "Linie", "Ausweichlinie", "Leistung"], ["100201", "BUT-1", "BUT-2", 900]]}, "Stamm.xlsx")
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select line from alternates") == [("BUT-2",)]
    assert result.reconciliation[0]["columns_not_read"] == ["B (Linie)"]


def test_in_a_product_master_the_alternate_line_column_is_listed_as_not_read(tmp_path):
    result, path = ingest(tmp_path, {"Artikelstamm": [
        ["Artikel", "Linie", "Ausweichlinie", "Leistung"], ["100201", "BUT-1", "BUT-2", 900]]})
    assert result.ok and [v.kind for v in result.versions] == ["products"]
    assert stored(path, "select line from products") == [("BUT-1",)]
    assert result.reconciliation[0]["columns_not_read"] == ["C (Ausweichlinie)"]


# --- a unit the field does not know --------------------------------------------------------------

@pytest.mark.parametrize("header, field_de, understood_en", [
    ("Gewicht (Unze)", "Nettogewicht", "oz"), ("MHD (Std.)", "Haltbarkeit", "weeks (× 7)"),
    ("Restlaufzeit (Schichten)", "Mindestrestlaufzeit", "months (× 30)"), ("Preis (USD)", "Preis", "per 100"),
    ("Preis (%)", "Preis", "cent"), ("Marge (Stk)", "Deckungsbeitrag", "% (of the price)"),
    ("Leistung (Hübe/min)", "Leistung", "thousand pcs/h"), ("Leistung (Linie 1)", "Leistung", "kg/h")])
def test_an_unknown_unit_is_refused_naming_the_column_and_the_units_understood(tmp_path, header, field_de,
                                                                                 understood_en):
    if header.startswith("Leistung"):   # the rate itself
        rows, column = [["Artikelnummer", "Linie", header], ["100201", "BUT-1", 100]], "C"
    else:
        rows, column = [HEAD + [header], ["100201", "BUT-1", 100, 5]], "D"
    result, path = ingest(tmp_path, {"Artikelstamm": rows})
    assert not result.ok
    (err,) = result.errors
    assert (err.key, err.file, err.sheet, err.row, err.column, err.header) == (
        "header_unit_unknown", "Artikelstamm.xlsx", "Artikelstamm", 1, column, header)
    unit = header[header.index("(") + 1:-1]
    assert f"„{unit}“" in err.message("de") and field_de in err.message("de") and "Verstanden" in err.message("de")
    assert f'"{unit}"' in err.message("en") and understood_en in err.message("en")
    assert stored(path, "select count(*) from products") == [(0,)]


def test_every_unknown_unit_of_a_sheet_is_said_at_once(tmp_path):
    result, _ = ingest(tmp_path, {"Artikelstamm": [
        HEAD + ["Gewicht (Unze)", "Preis (CHF)"], ["100201", "BUT-1", 100, 1, 2]]})
    assert [(e.key, e.column) for e in result.errors] == [("header_unit_unknown", "D"), ("header_unit_unknown", "E")]


@pytest.mark.parametrize("header, key, de, en", [
    ("Gewicht (Pfund)", "header_unit_pound", "500 g", "453.6 g"),
    ("Nettogewicht [Pfd.]", "header_unit_pound", "500 g", "453.6 g"),
    ("Preis (brutto)", "header_unit_gross", "Mehrwertsteuer", "VAT"),
    ("Verkaufspreis (EUR inkl. MwSt.)", "header_unit_gross", "Nettopreis", "net price"),
    ("DB (gross)", "header_unit_gross", "Nettowerten", "net figures")])
def test_an_ambiguous_pound_or_a_gross_price_is_refused_saying_why(tmp_path, header, key, de, en):
    result, path = ingest(tmp_path, {"Artikelstamm": [HEAD + [header], ["100201", "BUT-1", 100, 5]]})
    (err,) = result.errors
    assert (err.key, err.column, err.header) == (key, "D", header)
    assert de in err.message("de") and en in err.message("en")
    assert stored(path, "select count(*) from products") == [(0,)]


@pytest.mark.parametrize("header", ["Preis (netto)", "Nettopreis (net)", "Marge (netto)", "DB (EUR, netto)"])
def test_a_qualifier_in_brackets_is_no_unit_and_loads_as_before(tmp_path, header):
    result, path = one_column(tmp_path, header, 1.5)
    assert result.ok and not result.warnings
    column = "margin" if header.startswith(("Marge", "DB")) else "price"
    assert stored(path, f"select {column} from products") == [(1.5,)]
