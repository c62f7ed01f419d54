"""Ingest: read -> validate -> store, all or nothing, versions, merge, mappings."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipelines import store
from pipelines.store.ingest import ingest_bytes
from pipelines.settings import load_settings
from seed import workbook

TABLES = ("versions", "files", "keys", "mappings", "forecast", "actuals", "capacity", "plan",
          "products", "alternates", "markets")


@pytest.fixture
def con(tmp_path: Path):
    c = store.connect(tmp_path / "e.duckdb")
    yield c
    c.close()


def snapshot(con) -> dict:
    """Every table's full content: what 'the store did not change' means."""
    return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in TABLES}


def csv(text: str) -> bytes:
    return text.encode("utf-8")


def xlsx(rows: list[list], sheet: str = "Tabelle1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FORECAST = csv("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;10\n100;LEH;2027-W05;5\n0200;Discount;2027-W05;7\n")
PRODUCTS = csv("Artikel;Linie;Leistung\n100;JOG-1;50\n200;JOG-1;40\n")


def test_accepted_forecast_becomes_a_version_with_summed_repeats(con):
    result = ingest_bytes(con, FORECAST, "absatz.csv", as_of="2027-01-15", label="Zyklus 1")
    assert result.ok, [e.message("en") for e in result.errors]
    (v,) = result.versions
    assert (v.kind, v.rows, v.merged_rows) == ("forecast", 2, 1)
    rows = con.execute("select product, market, period, quantity from forecast order by product").fetchall()
    assert rows == [("100", "LEH", "2027-W05", 15.0), ("200", "Discount", "2027-W05", 7.0)]
    meta = con.execute("select kind, label, file_name, as_of, grain, mode from versions").fetchall()[0]
    assert meta[:3] == ("forecast", "Zyklus 1", "absatz.csv")
    assert str(meta[3]) == "2027-01-15" and meta[4] == "week" and meta[5] == "replace"
    assert con.execute("select size_bytes from files").fetchall()[0][0] == len(FORECAST)


def test_same_bytes_again_return_the_existing_version(con):
    first = ingest_bytes(con, FORECAST, "a.csv")
    again = ingest_bytes(con, FORECAST, "copy-of-a.csv")
    assert again.ok and again.existing
    assert [v.version for v in again.versions] == [v.version for v in first.versions]
    assert con.execute("select count(*) from versions").fetchall()[0][0] == 1


def test_replace_and_merge(con):
    ingest_bytes(con, FORECAST, "a.csv")
    update = csv("Artikel;Markt;KW;Menge\n100;leh;2027-W06;99\n")
    merged = ingest_bytes(con, update, "b.csv", merge=True)
    vid = merged.versions[0].version
    rows = con.execute("select product, market, period, quantity from forecast where version_id = ? "
                       "order by product, period", [vid]).fetchall()
    # LEH replaced (shown as first seen, not as 'leh'), Discount kept from the previous version
    assert rows == [("100", "LEH", "2027-W06", 99.0), ("200", "Discount", "2027-W05", 7.0)]
    replaced = ingest_bytes(con, csv("Artikel;Markt;KW;Menge\n100;LEH;2027-W07;1\n"), "c.csv")
    vid = replaced.versions[0].version
    assert con.execute("select count(*) from forecast where version_id = ?", [vid]).fetchall()[0][0] == 1
    # nothing is ever deleted by an upload
    assert con.execute("select count(distinct version_id) from forecast").fetchall()[0][0] == 3


def test_new_products_and_markets_are_reported_not_refused(con):
    assert ingest_bytes(con, PRODUCTS, "artikel.csv").ok
    assert ingest_bytes(con, csv("Markt;Prio\nLEH;A\nDiscount;C\n"), "maerkte.csv").ok
    result = ingest_bytes(con, csv("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;1\n999;Export AT;2027-W05;2\n"),
                          "f.csv")
    assert result.ok
    assert result.new == {"products": ["999"], "markets": ["Export AT"]}


def test_conflicting_master_duplicate_is_refused_with_row_and_column(con):
    before = snapshot(con)
    bad = csv("Artikel;Linie;Leistung\n100;JOG-1;50\n100;JOG-1;50\n100;JOG-1;45\n")
    result = ingest_bytes(con, bad, "artikel.csv")
    assert not result.ok
    (err,) = result.errors
    assert (err.key, err.row, err.column, err.header, err.value) == ("conflicting_duplicate", 4, "C", "Leistung", 45.0)
    assert err.params["other_row"] == 2
    assert snapshot(con) == before


def test_identical_master_duplicates_are_dropped(con):
    result = ingest_bytes(con, csv("Linie;KW;Stunden\nJOG-1;2027-W05;80\njog-1;2027-W05;80\n"), "kap.csv")
    assert result.ok and result.versions[0].rows == 1 and result.versions[0].dropped_duplicates == 1


BAD_FILES = {
    "not_a_number": (csv("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;abc\n"), "f.csv", (2, "D")),
    "negative": (csv("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;-3\n"), "f.csv", (2, "D")),
    "bad_period": (csv("Artikel;Markt;KW;Menge\n100;LEH;KW 61/2027;3\n"), "f.csv", (2, "C")),
    "kind_unknown": (csv("Artikel;KW;Menge\n100;2027-W05;3\n"), "f.csv", (1, None)),
    "conflicting_duplicate": (csv("Linie;KW;Stunden\nA;2027-W05;80\nA;2027-W05;70\n"), "k.csv", (3, "C")),
    "not_a_workbook": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "bild.xlsx", (None, None)),
    "ambiguous_number": (csv("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;1.234\n"), "f.csv", (2, "D")),
    "missing_value": (csv("Artikel;Markt;KW;Menge\n100;;2027-W05;3\n"), "f.csv", (2, "B")),
    "bad_priority": (csv("Markt;Prio\nLEH;sehr hoch\n"), "m.csv", (2, "B")),
    "encrypted": ((Path(__file__).parents[1] / "fixtures" / "read" / "encrypted.xlsx").read_bytes(),
                  "geheim.xlsx", (None, None)),
    "file_too_large": (csv("Artikel;Markt;KW;Menge\n" + "100;LEH;2027-W05;3\n" * 70_000), "gross.csv",
                       (None, None)),
}


@pytest.mark.parametrize("key", sorted(BAD_FILES))
def test_bad_file_changes_nothing(con, key):
    assert ingest_bytes(con, FORECAST, "good.csv").ok
    before = snapshot(con)
    data, name, (row, column) = BAD_FILES[key]
    settings = load_settings(env={}).replace(max_file_mb=1)
    result = ingest_bytes(con, data, name, settings=settings)
    assert not result.ok
    assert key in [e.key for e in result.errors]
    err = next(e for e in result.errors if e.key == key)
    assert (err.row, err.column) == (row, column)
    assert err.message("de") and err.message("en") and err.message("de") != err.message("en")
    assert snapshot(con) == before


def test_zip_bomb_is_refused_before_parsing(con):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<row/>" * 20_000_000)  # 120 MB of XML, ~120 KB zipped
    before = snapshot(con)
    settings = load_settings(env={}).replace(max_unzipped_mb=50)
    result = ingest_bytes(con, buf.getvalue(), "bomb.xlsx", settings=settings)
    assert not result.ok and {e.key for e in result.errors} & {"zip_ratio", "zip_too_large"}
    assert snapshot(con) == before


def test_every_error_at_once(con):
    bad = csv("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;abc\n100;LEH;2027-W99;5\n100;LEH;2027-W06;-1\n")
    result = ingest_bytes(con, bad, "f.csv")
    assert sorted((e.key, e.row) for e in result.errors) == [
        ("bad_period", 3), ("negative", 4), ("not_a_number", 2)]


def test_mapping_is_remembered_for_the_same_header_row(con):
    odd = csv("Mat;Filiale;Woche;Stk\n100;LEH;2027-W05;4\n")
    refused = ingest_bytes(con, odd, "odd.csv")
    assert not refused.ok
    mapping = {"product": "Mat", "market": "Filiale", "quantity": "Stk"}
    assert ingest_bytes(con, odd, "odd.csv", kind="forecast", mapping=mapping).ok
    again = csv("Mat;Filiale;Woche;Stk\n100;LEH;2027-W06;9\n")
    result = ingest_bytes(con, again, "odd2.csv", kind="forecast")
    assert result.ok, [e.message("en") for e in result.errors]
    assert result.versions[0].rows == 1


def test_workbook_with_several_kinds_gives_one_version_each(con):
    import xlsxwriter
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_formulas": False})
    ws = wb.add_worksheet("Artikelstamm")
    for r, row in enumerate([["Artikelnummer", "Linie", "Leistung (Stk/h)"], ["100", "JOG-1", 50]]):
        ws.write_row(r, 0, row)
    ws = wb.add_worksheet("Märkte")
    for r, row in enumerate([["Markt", "Prioritätsklasse"], ["LEH", "A"], ["Discount", "C"]]):
        ws.write_row(r, 0, row)
    wb.close()
    result = ingest_bytes(con, buf.getvalue(), "stamm.xlsx")
    assert result.ok, [e.message("en") for e in result.errors]
    assert sorted((v.kind, v.rows) for v in result.versions) == [("markets", 2), ("products", 1)]
    assert con.execute("select market, priority_class from markets order by market").fetchall() == [
        ("Discount", 3), ("LEH", 1)]


def test_dry_run_stores_nothing(con):
    before = snapshot(con)
    result = ingest_bytes(con, FORECAST, "a.csv", dry_run=True)
    assert result.ok and result.versions[0].version is None and result.versions[0].rows == 2
    assert snapshot(con) == before


def test_xlsm_macros_are_never_kept(con):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["Artikel", "Markt", "KW", "Menge"], ["100", "LEH", "2027-W05", 3]]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    # add a VBA project part as Excel would in an .xlsm
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub AutoOpen() Shell(\"calc\") End Sub")
    data = buf.getvalue()
    result = ingest_bytes(con, data, "absatz.xlsm")
    assert result.ok, [e.message("en") for e in result.errors]
    stored = con.execute("select content from files").fetchall()[0][0]
    with zipfile.ZipFile(io.BytesIO(stored)) as z:
        names = z.namelist()
    assert "xl/worksheets/sheet1.xml" in names and not any("vbaProject" in n for n in names)
    assert con.execute("select sha256 from versions").fetchall()[0][0] == __import__("hashlib").sha256(data).hexdigest()


def test_unknown_headers_are_offered_for_mapping_not_skipped(con):
    odd = csv("Mat;Filiale;Zeit;Stk\n100;LEH;2027-W05;4\n200;LEH;2027-W05;5\n")
    refused = ingest_bytes(con, odd, "export.csv")
    assert [(e.key, e.row) for e in refused.errors] == [("kind_unknown", 1)]
    (sheet,) = refused.read.sheets
    assert [h for h in sheet.headers if h] == ["Mat", "Filiale", "Zeit", "Stk"]
    mapping = {"product": "Mat", "market": "Filiale", "period": "Zeit", "quantity": "Stk"}
    accepted = ingest_bytes(con, odd, "export.csv", kind="forecast", mapping=mapping)
    assert accepted.ok and accepted.versions[0].rows == 2


def test_zip_bomb_that_declares_small_sizes_is_refused(con):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<row/>" * 5_000_000)  # 30 MB of XML
    data = bytearray(buf.getvalue())
    # lie: declare 1,000 bytes uncompressed for the sheet in its local header and the directory
    name = b"xl/worksheets/sheet1.xml"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[pos + size_at:pos + size_at + 4] = (1000).to_bytes(4, "little")
            pos += 4
    before = snapshot(con)
    result = ingest_bytes(con, bytes(data), "bomb.xlsx")
    assert [e.key for e in result.errors] == ["zip_damaged"]
    assert "sheet1.xml" in result.errors[0].message("en")
    assert snapshot(con) == before


def test_hidden_sheet_is_skipped_and_listed_unless_named(con):
    data = workbook({"Absatzplan": [["Artikel", "Markt", "KW 01/2027"], ["100", "LEH", 10]],
                     "Vorzyklus": [["Artikel", "Markt", "KW 01/2027"], ["100", "LEH", 99]]},
                    hidden=("Vorzyklus",))
    result = ingest_bytes(con, data, "absatz.xlsx")
    assert result.ok
    assert result.read.skipped_sheets == [("Vorzyklus", "hidden")]
    assert con.execute("select quantity from forecast").fetchall() == [(10.0,)]
    assert any(w.key == "sheet_skipped" and "Vorzyklus" in w.message("de") for w in result.warnings)
    named = ingest_bytes(con, data, "absatz.xlsx", hidden_sheets=["Vorzyklus"], dry_run=True)
    assert named.read.skipped_sheets == [] and len(named.read.sheets) == 2


def test_shift_rows_are_summed_per_line_and_period(con):
    data = workbook({"Schichtplan": [
        ["Linie", "Schicht", "KW", "Stunden"],
        ["BUT-1", "Früh", "2027-W01", 40], ["BUT-1", "Spät", "2027-W01", 40], ["BUT-1", "Nacht", "2027-W01", 40],
        ["BUT-1", "Nacht", "2027-W01", 40],      # identical in every column: a duplicate
        ["JOG-1", "Früh", "2027-W01", 35]]})
    result = ingest_bytes(con, data, "kapazitaet.xlsx")
    assert result.ok, [e.message("en") for e in result.errors]
    rows = con.execute("select line, period, available_hours from capacity order by line").fetchall()
    assert rows == [("BUT-1", "2027-W01", 120.0), ("JOG-1", "2027-W01", 35.0)]
    assert result.versions[0].dropped_duplicates == 1


def test_same_shift_with_different_hours_is_refused(con):
    data = workbook({"Schichtplan": [["Linie", "Schicht", "KW", "Stunden"],
                                     ["BUT-1", "Früh", "2027-W01", 40], ["BUT-1", "Früh", "2027-W01", 30]]})
    result = ingest_bytes(con, data, "kapazitaet.xlsx")
    assert [(e.key, e.row) for e in result.errors] == [("conflicting_duplicate", 3)]


def test_keys_spelled_three_ways_are_one_market_allocated_with_its_class(con):
    from pipelines import model
    from pipelines.store import strategy

    data = workbook({
        "Absatzplan": [["Artikel", "Markt", "KW 01/2027"], ["100", "LEH SÜD", 100], ["100", "Export", 100]],
        "Märkte": [["Markt", "Klasse"], ["LEH Süd", "A"], ["Export", "C"]],
        "Artikelstamm": [["Artikel", "Linie", "Leistung"], ["100", "but-1", 10]],
        "Kapazität": [["Linie", "KW", "Stunden"], ["BUT-1", "2027-W01", 10]]})
    result = ingest_bytes(con, data, "plan.xlsx")
    assert result.ok, [e.message("en") for e in result.errors]
    assert {r[0] for r in con.execute("select market from markets").fetchall()} == {"LEH SÜD", "Export"}
    gaps = {r.market: (r.priority_class, r.supplied) for r in model.build(con).gaps().itertuples()}
    assert gaps == {"LEH SÜD": (1, 100.0), "Export": (3, 0.0)}
    strategy.set_priority(con, "leh süd", "C")
    strategy.set_priority(con, "EXPORT ", "A")
    gaps = {r.market: (r.priority_class, r.supplied) for r in model.build(con).gaps().itertuples()}
    assert gaps == {"LEH SÜD": (3, 0.0), "Export": (1, 100.0)}


def test_gap_model_joins_folded_keys_stored_apart(con):
    from pipelines import model

    ingest_bytes(con, workbook({"Märkte": [["Markt", "Klasse"], ["Leh Süd", "A"], ["Export", "C"]]}), "m.xlsx")
    # stored later under another spelling: the keys table gives it the first spelling
    ingest_bytes(con, workbook({"Absatzplan": [["Artikel", "Markt", "KW 01/2027"], ["100", " LEH SÜD", 5]]}), "f.xlsx")
    assert con.execute("select market from forecast").fetchall() == [("Leh Süd",)]
    assert [r.priority_class for r in model.build(con).gaps().itertuples()] == [1]


def test_reconciliation_per_sheet_in_the_report_and_json(con):
    data = workbook({
        "Deckblatt": [["Absatzplanung KW 48/2026"], ["Datum", "Bearbeiter", "Änderung"],
                      ["2026-11-20", "mk", "Export neu"]],
        "Absatzplan": [["Artikel", "Markt", "Bezeichnung", "KW 01/2027", "KW 02/2027", "Umsatz", "Gesamt"],
                       ["100", "LEH", "Butter", 10, "1.234,5", 99, 1244.5],
                       ["100", "Export", "Butter", "-", 5, 1, 5],
                       ["Summe", None, None, 10, 1239.5, 100, 1249.5]]})
    result = ingest_bytes(con, data, "Absatzplanung_KW48_2026.xlsx")
    assert result.ok, [e.message("en") for e in result.errors]
    (rec,) = result.reconciliation
    assert rec == {"sheet": "Absatzplan", "kind": "forecast", "cells_read": 4,
                   "sum_read": 1249.5, "sum_stored": 1249.5, "sum_duplicates_dropped": 0.0,
                   "zero_cells": 1,  # the "-": read as 0, not stored, and said so
                   "totals_checked": ["4 (Summe)", "G (Gesamt)"], "columns_not_read": ["F (Umsatz)"]}
    assert con.execute("select sum(quantity), count(*) from forecast").fetchall()[0] == (1249.5, 4 - 1)
    as_json = result.to_dict("en")
    assert as_json["reconciliation"] == [rec]
    assert as_json["skipped_sheets"][0]["sheet"] == "Deckblatt"
    assert as_json["as_of"] == "2026-11-23" and as_json["as_of_source"] == "name"
    assert str(con.execute("select as_of from versions").fetchall()[0][0]) == "2026-11-23"


@pytest.mark.parametrize("name, expected", [
    ("Absatzplanung_KW48_2026.xlsx", "2026-11-23"), ("Forecast 2027-W05.xlsx", "2027-02-01"),
    ("AP_KW 5_27.csv", "2027-02-01"), ("Absatzplan.xlsx", None)])
def test_as_of_defaults_to_the_monday_of_the_cycle_week_in_the_name(name, expected):
    import datetime as dt

    from pipelines.store.ingest import default_as_of

    day, source = default_as_of(name, [], today=dt.date(2026, 12, 1))
    assert day.isoformat() == (expected or "2026-12-01")
    assert source == ("name" if expected else "today")


def test_actuals_replace_only_the_periods_and_markets_the_file_holds(con):
    first = csv("Artikel;Markt;KW;Menge\n100;LEH;2027-W01;10\n100;LEH;2027-W02;11\n100;Export;2027-W02;3\n")
    second = csv("Artikel;Markt;KW;Menge\n100;LEH;2027-W02;12\n100;LEH;2027-W03;13\n")
    assert ingest_bytes(con, first, "Ist_Lieferungen_1.csv").ok
    result = ingest_bytes(con, second, "Ist_Lieferungen_2.csv")
    assert result.ok and result.versions[0].kind == "actuals"
    rows = con.execute("select market, period, quantity from actuals where version_id = ? order by 1, 2",
                       [result.versions[0].version]).fetchall()
    assert rows == [("Export", "2027-W02", 3.0), ("LEH", "2027-W01", 10.0), ("LEH", "2027-W02", 12.0),
                    ("LEH", "2027-W03", 13.0)]


def test_period_starts_of_a_wide_sheet_become_dates_per_period(con):
    """A wide sheet's period starts are kept as one category per period column while it is read,
    and stored as dates; a week row and a month row in one file each get their own start."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    from pipelines.read.sheet import repeated_objects
    from pipelines.store.ingest import compact

    starts = np.array([dt.date(2027, 1, 4), None, dt.date(2027, 1, 11)], dtype=object)
    frame = pd.DataFrame({"period": ["2027-W01", "x", "2027-W02", "2027-W01"],
                          "period_start": repeated_objects(starts, np.array([0, 1, 2, 0]))})
    assert [None if v is None or v != v else v.isoformat() for v in frame["period_start"]] == \
        ["2027-01-04", None, "2027-01-11", "2027-01-04"]
    out = compact(frame)
    assert out["period_start"].dtype.kind == "M"
    assert [None if pd.isna(v) else str(v)[:10] for v in out["period_start"]] == \
        ["2027-01-04", None, "2027-01-11", "2027-01-04"]

    data = workbook({"Absatzplan": [["Artikel", "Markt", "KW 01/2027", "KW 02/2027"],
                                    ["100", "LEH", 10, 20], ["101", "LEH", 5, 0], ["102", "LEH", None, 7]]})
    result = ingest_bytes(con, data, "absatz.xlsx", as_of="2026-12-01")
    assert result.ok and result.versions[0].rows == 4
    # the zero and the empty cell carry nothing; the sheet names no article (name NULL)
    assert con.execute("select product, period, period_start::text, quantity, name from forecast "
                       "order by 1, 2").fetchall() == [
        ("100", "2027-W01", "2027-01-04", 10.0, None), ("100", "2027-W02", "2027-01-11", 20.0, None),
        ("101", "2027-W01", "2027-01-04", 5.0, None), ("102", "2027-W02", "2027-01-11", 7.0, None)]
