"""Upload through the page: a good file is previewed, then stored; a bad one lists every error."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines import store

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAD_CSV = ("Artikel;Markt;KW;Menge\n100101;LEH;KW 05/2027;1200\n"
           "100102;LEH;KW 05/2027;zwölf\n100103;Discount;KW 99/2027;-5\n").encode()


def upload_page(at):
    at.run()
    return at.switch_page("screens/upload.py").run()


def version_count(db: Path) -> int:
    con = store.connect(db)  # same configuration as the app's connection in this process
    try:
        return con.execute("select count(*) from versions").fetchone()[0]
    finally:
        con.close()


def test_good_file_preview_then_store(app, tmp_path):
    db = tmp_path / "up.duckdb"
    store.connect(db).close()
    at = upload_page(app(db))
    data = (SAMPLE / "Stammdaten.xlsx").read_bytes()
    at.file_uploader(key="upload_files").upload("Stammdaten.xlsx", data, XLSX).run()
    assert not at.exception, [e.message for e in at.exception]
    sheets = frame_with(at, "Kopfzeile")
    assert set(sheets["Art"]) >= {"Artikelstamm", "Märkte"}
    assert "Kopfzeile" in sheets.columns
    assert any("noch nichts gespeichert" in m.value for m in at.markdown)
    store_button = next(b for b in at.button if b.key and b.key.startswith("store_"))
    store_button.click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("übernommen" in s.value for s in at.success)
    versions = frame_with(at, "Hochgeladen")
    assert len(versions) >= 2 and "Artikelstamm" in set(versions["Art"])


def test_bad_file_lists_every_error_and_stores_nothing(app, empty_db):
    at = upload_page(app(empty_db))
    at.file_uploader(key="upload_files").upload("bad.csv", BAD_CSV, "text/csv").run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("abgelehnt" in e.value and "nichts gespeichert" in e.value for e in at.error)
    errors = frame_with(at, "Meldung")
    assert list(errors.columns) == ["Blatt", "Zeile", "Spalte", "Kopf", "Wert", "Meldung"]
    assert len(errors) == 3
    assert set(errors["Zeile"]) == {"3", "4"}
    assert any("keine Zahl" in m for m in errors["Meldung"])
    assert not [b for b in at.button if b.key and b.key.startswith("store_")]
    at.run()
    assert version_count(empty_db) == 0


def test_bad_file_in_english(app, empty_db):
    at = app(empty_db, lang="en")
    at = upload_page(at)
    at.file_uploader(key="upload_files").upload("bad.csv", BAD_CSV, "text/csv").run()
    errors = frame_with(at, "Message")
    assert "Message" in errors.columns
    assert any("not a number" in m for m in errors["Message"])


def test_unknown_headers_offer_a_mapping(app, empty_db):
    data = "Teil;Markt;KW;Stueckzahl\n100101;LEH;KW 05/2027;1200\n".encode()
    at = upload_page(app(empty_db))
    at.file_uploader(key="upload_files").upload("odd.csv", data, "text/csv").run()
    assert at.error
    digest = next(k for k in _keys(at) if k.startswith("map_kind_"))[len("map_kind_"):]
    at.selectbox(key=f"map_kind_{digest}").set_value("forecast")
    at.run()
    for field, header in (("product", "Teil"), ("market", "Markt"), ("period", "KW"),
                          ("quantity", "Stueckzahl")):
        at.selectbox(key=f"map_{digest}_{field}").set_value(header)
    at.button(key=f"map_apply_{digest}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert any(b.key == f"store_{digest}" for b in at.button)


def frame_with(at, column: str) -> pd.DataFrame:
    """The first table on the page with this column (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _keys(at) -> list[str]:
    return [e.key for kind in ("selectbox", "button") for e in at.get(kind) if getattr(e, "key", None)]


def foreign_forecast() -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Absatzplan"
    for row in (["Artikel", "Markt", "KW 01/27", "KW 02/27", "Umsatz", "Summe"],
                ["100101", "LEH", 10, 20, 500, 30], ["100102", "LEH", 5, 5, 100, 10],
                ["Gesamt", None, 15, 25, 600, 40]):
        ws.append(row)
    old = wb.create_sheet("Vorzyklus")
    old.append(["Artikel", "Markt", "KW 01/27"])
    old.append(["100101", "LEH", 999])
    old.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_preview_shows_reconciliation_skipped_sheets_and_as_of(app, tmp_path):
    db = tmp_path / "up.duckdb"
    store.connect(db).close()
    at = upload_page(app(db))
    at.file_uploader(key="upload_files").upload("Absatzplanung_KW48_2026.xlsx", foreign_forecast(), XLSX).run()
    assert not at.exception, [e.message for e in at.exception]
    rec = frame_with(at, "Summe gelesen")
    assert rec.to_dict("records") == [{
        "Blatt": "Absatzplan", "Zellen gelesen": "4", "Summe gelesen": "40", "Summe gespeichert": "40",
        "Davon 0, nicht gespeichert": "0",
        "Summen geprüft und übersprungen": "4 (Gesamt), F (Summe)", "Spalten nicht gelesen": "E (Umsatz)"}]
    skipped = frame_with(at, "Grund")
    assert skipped["Blatt"].tolist() == ["Vorzyklus"] and "ausgeblendet" in skipped["Grund"][0]
    # the wide sheet's two article rows as in Excel, and the four records they make (2 weeks each)
    sheets = frame_with(at, "Datensätze")
    assert sheets[["Blatt", "Zeilen", "Datensätze"]].to_dict("records") == [
        {"Blatt": "Absatzplan", "Zeilen": "2", "Datensätze": "4"}]
    assert any("23.11.2026" in x.value and "Zykluswoche" in x.value for x in at.text)
    store_button = next(b for b in at.button if b.key and b.key.startswith("store_"))
    store_button.click().run()
    con = store.connect(db)
    try:
        assert con.execute("select sum(quantity), any_value(as_of)::varchar from forecast "
                           "join versions using (version_id)").fetchall() == [(40.0, "2026-11-23")]
    finally:
        con.close()


def test_mapping_form_names_the_measure(app, empty_db):
    data = "Artikel;Markt;KW 05/2027 Basis;KW 05/2027 Promo\n100101;LEH;12;400\n".encode()
    at = upload_page(app(empty_db))
    at.file_uploader(key="upload_files").upload("measures.csv", data, "text/csv").run()
    assert at.error
    digest = next(k for k in _keys(at) if k.startswith("map_kind_"))[len("map_kind_"):]
    at.selectbox(key=f"map_kind_{digest}").set_value("forecast")
    at.text_input(key=f"map_measure_{digest}").set_value("Basis")
    at.button(key=f"map_apply_{digest}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    rec = frame_with(at, "Summe gelesen")
    assert rec["Summe gelesen"].tolist() == ["12"]
    assert rec["Spalten nicht gelesen"].tolist() == ["D (KW 05/2027 Promo)"]


FIRST_CYCLE = "Artikel;Markt;KW;Menge\n100101;LEH;2027-W01;10\n100102;Discount;2027-W01;5\n".encode()
NEXT_CYCLE = ("Artikel;Markt;KW;Menge\n100101;LEH;2027-W01;12\n100102;Discount;2027-W01;5\n"
              "100103;Discount;2027-W01;4\n").encode()


def test_preview_shows_the_change_against_the_current_version_and_stores_the_chosen_as_of(
        app, tmp_path, monkeypatch):
    import datetime as dt

    from pipelines.store import ingest as ingest_module
    from pipelines.store.ingest import ingest_bytes

    db = tmp_path / "up.duckdb"
    con = store.connect(db)
    try:
        assert ingest_bytes(con, FIRST_CYCLE, "Absatzplanung_KW47_2026.csv").ok
    finally:
        con.close()
    reads = []
    real_read = ingest_module.read_file
    monkeypatch.setattr(ingest_module, "read_file", lambda *a, **k: reads.append(a[1]) or real_read(*a, **k))

    at = upload_page(app(db))
    at.file_uploader(key="upload_files").upload("Absatzplanung_KW48_2026.csv", NEXT_CYCLE, "text/csv").run()
    assert not at.exception, [e.message for e in at.exception]
    texts = [x.value for x in at.text]
    assert any("Absatzprognose: 2 → 3 Zeilen gegenüber Version 1" in x for x in texts), texts
    assert any(x.startswith("Neue Artikel-Markt-Kombinationen (1): 100103 · Discount") for x in texts)
    totals = frame_with(at, "Differenz")
    assert totals.to_dict("records") == [
        {"Markt": "Discount", "Einheit": "Stk", "Vorher": "5", "Nachher": "9", "Differenz": "+4"},
        {"Markt": "LEH", "Einheit": "Stk", "Vorher": "10", "Nachher": "12", "Differenz": "+2"}]
    assert version_count(db) == 1  # nothing stored by the preview

    as_of = next(d for d in at.date_input if d.key and d.key.startswith("as_of_"))
    assert as_of.value == dt.date(2026, 11, 23)  # proposed from the file name's cycle week
    # as-of and label sit in one form with the store button: both go with the click, as in a browser
    as_of.set_value(dt.date(2026, 11, 25))
    next(t for t in at.text_input if t.key and t.key.startswith("label_")).set_value("Zyklus 48")
    next(b for b in at.button if b.key and b.key.startswith("store_")).click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("übernommen" in s.value for s in at.success)
    assert reads == ["Absatzplanung_KW48_2026.csv"]  # read once for preview and store
    # what the preview said storing changes stays on screen, now in the past tense
    assert any("Was sich gegenüber der vorigen Version geändert hat" in m.value for m in at.markdown)
    texts = [x.value for x in at.text]
    assert any("Absatzprognose: 2 → 3 Zeilen gegenüber Version 1" in x for x in texts), texts
    assert any(x.startswith("Neue Artikel-Markt-Kombinationen (1): 100103 · Discount") for x in texts)
    con = store.connect(db)
    try:
        assert con.execute("select label, as_of::varchar, rows from versions order by version_id desc "
                           "limit 1").fetchall() == [("Zyklus 48", "2026-11-25", 3)]
    finally:
        con.close()


def test_merge_ticked_after_the_preview_recomputes_the_change(app, tmp_path):
    from pipelines.store.ingest import ingest_bytes

    db = tmp_path / "up.duckdb"
    con = store.connect(db)
    try:
        assert ingest_bytes(con, FIRST_CYCLE, "Absatzplan_1.csv").ok
    finally:
        con.close()
    at = upload_page(app(db))
    only_leh = "Artikel;Markt;KW;Menge\n100101;LEH;2027-W01;20\n".encode()
    at.file_uploader(key="upload_files").upload("Absatzplan_LEH.csv", only_leh, "text/csv").run()
    assert any("Märkte, die wegfallen (1): Discount" in x.value for x in at.text)
    at.checkbox(key="upload_merge").check().run()
    assert not at.exception, [e.message for e in at.exception]
    texts = [x.value for x in at.text]
    assert any("2 → 2 Zeilen gegenüber Version 1 (ersetzt nur" in x for x in texts), texts
    assert not any("wegfallen" in x for x in texts)


def test_the_preview_lists_the_measure_column_it_read_by(app, empty_db):
    """A wide capacity export with a `Kennzahl` column: the column that told the available hours
    from the maximum is listed with the recognised columns, though it is not stored itself."""
    data = ("Linie;Kennzahl;KW 01/2027;KW 02/2027\nL1;Verfügbare Stunden;80;60\n"
            "L1;Maximale Stunden;96;96\n").encode()
    at = upload_page(app(empty_db))
    at.file_uploader(key="upload_files").upload("Kapazitaet.csv", data, "text/csv").run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    sheets = frame_with(at, "Erkannte Spalten")
    assert sheets["Erkannte Spalten"].tolist() == ["Linie ← Linie, Kennzahl ← Kennzahl"]
