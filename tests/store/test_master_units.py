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
