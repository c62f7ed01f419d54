"""Upload defaults (issue 10, spec section 4): actuals extend the history, the preview's diff
against the current version, and a preview stored without reading the file again (issue 13)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines import store
from pipelines.model.accuracy import accuracy, forecast_vs_actual
from pipelines.store import ingest as ingest_module
from pipelines.store.ingest import ingest_bytes, stage, store_staged


@pytest.fixture
def con(tmp_path: Path):
    c = store.connect(tmp_path / "e.duckdb")
    yield c
    c.close()


def week(n: int) -> str:
    return dt.date.fromisocalendar(2026, 1, 1).__add__(dt.timedelta(weeks=n - 1)).strftime("%G-W%V")


def long_csv(rows: list[tuple]) -> bytes:
    return ("Artikel;Markt;KW;Menge\n" + "".join(f"{p};{m};{w};{q}\n" for p, m, w, q in rows)).encode()


def test_a_four_week_delivery_export_extends_26_weeks_of_actuals(con):
    forecast = [(p, m, week(w), 100) for p in ("100", "200") for m in ("LEH", "Discount") for w in range(1, 31)]
    assert ingest_bytes(con, long_csv(forecast), "Absatzplan.csv", as_of="2025-12-01").ok
    history = [(p, m, week(w), 80 + (w * 7 + len(m)) % 40) for p in ("100", "200")
               for m in ("LEH", "Discount") for w in range(1, 27)]
    assert ingest_bytes(con, long_csv(history), "Ist_Lieferungen_KW01-26.csv").ok
    untouched = week(22)
    before_total = accuracy(con, by="total", until=dt.date.fromisocalendar(2026, 22, 7))
    before_rows = forecast_vs_actual(con)
    before_rows = before_rows[before_rows["period"] <= untouched]

    # weekly export: weeks 23-26 again (corrected) and 27-28 new, all markets; merge NOT ticked
    delivery = [(p, m, week(w), 95) for p in ("100", "200") for m in ("LEH", "Discount") for w in range(23, 29)]
    result = ingest_bytes(con, long_csv(delivery), "Ist_Lieferungen_KW23-28.csv", merge=False)
    assert result.ok and result.versions[0].kind == "actuals"
    assert result.versions[0].rows == 4 * 28  # 22 kept weeks + 6 weeks of the file, per PMC

    after_total = accuracy(con, by="total", until=dt.date.fromisocalendar(2026, 22, 7))
    assert after_total[["wape", "bias", "periods"]].to_dict("records") == \
        before_total[["wape", "bias", "periods"]].to_dict("records")
    assert after_total["periods"][0] == 22 and 0 < after_total["wape"][0] < 1
    after_rows = forecast_vs_actual(con)
    kept = after_rows[after_rows["period"] <= untouched].reset_index(drop=True)
    assert kept[["product", "market", "period", "actual"]].equals(
        before_rows[["product", "market", "period", "actual"]].reset_index(drop=True))
    assert set(after_rows.loc[after_rows["period"] > untouched, "actual"]) == {95.0}
    assert con.execute("select mode from versions where version_id = ?",
                       [result.versions[0].version]).fetchall()[0][0] == "merge"


FIRST = long_csv([("100", "LEH", "2027-W01", 10), ("100", "LEH", "2027-W02", 10),
                  ("200", "Discount", "2027-W01", 5), ("300", "Export", "2027-W01", 4)])
SECOND = long_csv([("100", "LEH", "2027-W01", 12), ("100", "LEH", "2027-W02", 10),
                   ("200", "Discount", "2027-W01", 5), ("200", "LEH", "2027-W01", 3),
                   ("400", "Discount", "2027-W02", 1)])


def test_preview_diff_against_the_current_forecast(con):
    assert ingest_bytes(con, FIRST, "Absatzplan_1.csv").ok
    check = ingest_bytes(con, SECOND, "Absatzplan_2.csv", dry_run=True)
    assert check.ok
    (change,) = check.changes
    assert (change.kind, change.mode, change.rows_before, change.rows_after) == ("forecast", "replace", 4, 5)
    assert change.totals_by == "market" and change.value == "quantity"
    assert change.totals == [
        {"group": "Discount", "before": 5.0, "after": 6.0, "delta": 1.0, "unit": "Stk"},
        {"group": "Export", "before": 4.0, "after": 0.0, "delta": -4.0, "unit": "Stk"},
        {"group": "LEH", "before": 20.0, "after": 25.0, "delta": 5.0, "unit": "Stk"}]
    assert change.new_pmcs == [("200", "LEH"), ("400", "Discount")] and change.new_pmc_count == 2
    assert change.appearing == {"product": ["400"], "market": []}
    assert change.disappearing == {"product": ["300"], "market": ["Export"]}
    assert change.counts["gone_product"] == 1
    assert check.to_dict()["changes"][0]["new_pmcs"] == [["200", "LEH"], ["400", "Discount"]]
    assert con.execute("select count(*) from versions").fetchall()[0][0] == 1


def test_preview_diff_with_merge_keeps_the_other_markets(con):
    assert ingest_bytes(con, FIRST, "Absatzplan_1.csv").ok
    only_leh = long_csv([("100", "LEH", "2027-W01", 1)])
    (change,) = ingest_bytes(con, only_leh, "Absatzplan_LEH.csv", dry_run=True, merge=True).changes
    assert change.mode == "merge" and change.rows_after == 3
    assert {t["group"]: t["after"] for t in change.totals} == {"Discount": 5.0, "Export": 4.0, "LEH": 1.0}
    assert change.disappearing == {"product": [], "market": []}


def test_preview_diff_of_capacity_per_line_and_of_a_first_upload(con):
    capacity = "Linie;KW;Stunden\nJOG-1;2027-W01;100\nJOG-1;2027-W02;100\nBUT-1;2027-W01;80\n".encode()
    (first,) = ingest_bytes(con, capacity, "Kapazitaet.csv", dry_run=True).changes
    assert first.base_version is None and first.rows_before == 0 and first.rows_after == 3
    assert first.appearing == {} and first.new_pmcs == []
    assert ingest_bytes(con, capacity, "Kapazitaet.csv").ok
    changed = "Linie;KW;Stunden\nJOG-1;2027-W01;120\nJOG-1;2027-W02;100\nKAS-1;2027-W01;40\n".encode()
    (change,) = ingest_bytes(con, changed, "Kapazitaet_2.csv", dry_run=True).changes
    assert change.totals_by == "line" and change.value == "available_hours"
    assert [(t["group"], t["delta"]) for t in change.totals] == [("BUT-1", -80.0), ("JOG-1", 20.0),
                                                                 ("KAS-1", 40.0)]
    assert change.appearing == {"line": ["KAS-1"]} and change.disappearing == {"line": ["BUT-1"]}


def test_actuals_preview_shows_the_extended_history(con):
    assert ingest_bytes(con, FIRST, "Ist_1.csv").ok
    later = long_csv([("100", "LEH", "2027-W02", 11), ("100", "LEH", "2027-W03", 9)])
    (change,) = ingest_bytes(con, later, "Ist_2.csv", dry_run=True).changes
    assert change.kind == "actuals" and change.mode == "merge"
    assert (change.rows_before, change.rows_after) == (4, 5)
    assert change.disappearing == {"product": [], "market": []}


def test_a_staged_upload_is_stored_without_reading_or_hashing_again(con, monkeypatch):
    assert ingest_bytes(con, FIRST, "Absatzplan_1.csv").ok
    calls = {"read": 0, "hash": 0}
    real_read, real_hash = ingest_module.read_file, ingest_module.hashlib.sha256

    def counting_read(*args, **kwargs):
        calls["read"] += 1
        return real_read(*args, **kwargs)

    def counting_hash(*args, **kwargs):
        calls["hash"] += bool(args) and bytes(args[0]) == SECOND  # not the header signatures
        return real_hash(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "read_file", counting_read)
    monkeypatch.setattr(ingest_module.hashlib, "sha256", counting_hash)
    staged = stage(con, SECOND, "Absatzplanung_KW48_2026.csv")
    assert staged.result.ok and staged.result.changes
    assert staged.result.as_of == dt.date(2026, 11, 23) and staged.result.as_of_source == "name"
    assert con.execute("select count(*) from versions").fetchall()[0][0] == 1
    result = store_staged(con, staged, label="Zyklus 48", as_of=dt.date(2026, 11, 30))
    assert result.ok and result.versions[0].version is not None
    assert calls == {"read": 1, "hash": 1}
    assert result.as_of == dt.date(2026, 11, 30) and result.as_of_source == "given"
    assert con.execute("select label, as_of::varchar, rows from versions where version_id = ?",
                       [result.versions[0].version]).fetchall() == [("Zyklus 48", "2026-11-30", 5)]
    # the preview itself is untouched: storing again returns the existing version
    assert staged.result.versions[0].version is None
    again = store_staged(con, staged)
    assert again.existing and again.versions[0].version == result.versions[0].version


def product_displays(con) -> dict[str, str]:
    return dict(con.execute("select key_folded, display from keys where key_type = 'product'").fetchall())


def test_article_numbers_keep_the_form_the_erp_writes(con):
    forecast = long_csv([("000815", "LEH", "2027-W01", 10), ("815", "LEH", "2027-W02", 5),
                         ("0042", "LEH", "2027-W01", 1), ("100", "LEH", "2027-W01", 2)])
    assert ingest_bytes(con, forecast, "Absatzplan.csv").ok
    # joins use the normal form: one product 815 with both weeks
    assert con.execute("select product, sum(quantity) from forecast group by 1 order by 1").fetchall() == \
        [("100", 2.0), ("42", 1.0), ("815", 15.0)]
    assert product_displays(con) == {"815": "000815", "42": "0042"}
    # first seen wins over a later forecast, but the master data's form wins over a forecast's
    later = long_csv([("00815", "LEH", "2027-W03", 1), ("00042", "LEH", "2027-W03", 1)])
    assert ingest_bytes(con, later, "Absatzplan_2.csv").ok
    assert product_displays(con) == {"815": "000815", "42": "0042"}
    master = "Artikel;Linie;Leistung\n00042;JOG-1;50\n000815;JOG-1;40\n".encode()
    assert ingest_bytes(con, master, "Artikelstamm.csv").ok
    assert product_displays(con) == {"815": "000815", "42": "00042"}
    again = long_csv([("042", "LEH", "2027-W04", 1)])
    assert ingest_bytes(con, again, "Absatzplan_3.csv").ok
    assert product_displays(con)["42"] == "00042"


def test_a_dry_run_keeps_no_display_form(con):
    assert ingest_bytes(con, long_csv([("000815", "LEH", "2027-W01", 10)]), "a.csv", dry_run=True).ok
    assert product_displays(con) == {}


def test_the_preview_lists_article_numbers_as_written(con):
    from pipelines.text.tables import change_keys

    assert ingest_bytes(con, long_csv([("000815", "LEH", "2027-W01", 10)]), "Absatzplan_1.csv").ok
    second = long_csv([("000815", "LEH", "2027-W01", 10), ("00042", "LEH", "2027-W01", 1)])
    (change,) = ingest_bytes(con, second, "Absatzplan_2.csv", dry_run=True).changes
    assert change.new_pmcs == [("42", "LEH")]  # compared on the normal form
    assert change.product_display == {"42": "00042"}
    assert change_keys(change, "en") == ["New product-market combinations (1): 00042 · LEH",
                                         "Products that are added (1): 00042"]


def test_cells_read_and_cells_not_stored_are_counted_with_thousands_separators():
    """The preview's and the CLI's "cells read" beside the sums (a million cells as 1.040.000), and
    the cells of 0 among them, which are not stored (nothing is lost unsaid)."""
    from types import SimpleNamespace

    from pipelines.text.tables import reconciliation_frame, reconciliation_lines
    result = SimpleNamespace(as_of=None, reconciliation=[{
        "sheet": "Absatzplan", "kind": "forecast", "cells_read": 1_040_000, "sum_read": 468217011.0,
        "sum_stored": 468217011.0, "sum_duplicates_dropped": 0.0, "zero_cells": 1169,
        "totals_checked": [], "columns_not_read": []}])
    assert reconciliation_frame(result, "de").iloc[0]["Zellen gelesen"] == "1.040.000"
    assert reconciliation_frame(result, "en").iloc[0]["Cells read"] == "1,040,000"
    assert reconciliation_frame(result, "de").iloc[0]["Davon 0, nicht gespeichert"] == "1.169"
    lines = reconciliation_lines(result, "de")
    assert "1.040.000 Zellen gelesen" in lines[0]
    assert lines[1].strip() == "davon 1.169 Zellen mit 0 (auch „-“): nicht gespeichert, sie tragen keine Menge"


def test_preview_totals_do_not_add_pieces_and_kilograms(con):
    """Articles kept in Stk and in kg (the product master) and a row given in KG: one total per
    market and unit (spec section 5 "Units"), where the preview added them into one figure."""
    master = ("Artikel;Linie;Leistung;Einheit\n100;L1;10;Stk\n200;L1;10;kg\n").encode()
    assert ingest_bytes(con, master, "Stammdaten.csv", kind="products").ok
    assert ingest_bytes(con, FIRST, "Absatzplan_1.csv").ok
    second = ("Artikel;Markt;KW;Menge;Einheit\n100;LEH;2027-W01;12;\n200;LEH;2027-W01;3;\n"
              "100;LEH;2027-W02;2;KG\n").encode()
    (change,) = ingest_bytes(con, second, "Absatzplan_2.csv", dry_run=True).changes
    leh = [(t["unit"], t["before"], t["after"]) for t in change.totals if t["group"] == "LEH"]
    assert leh == [("KG", 0.0, 2.0), ("Stk", 20.0, 12.0), ("kg", 0.0, 3.0)]
