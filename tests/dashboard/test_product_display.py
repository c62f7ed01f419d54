"""Article numbers as the ERP writes them (`000815`) on the overview, the drill-down and the CLI;
a deep link with the normal form (`815`) opens the same conflict (issue 10)."""
from __future__ import annotations

import json

import pytest

from pipelines import store
from pipelines.store.ingest import ingest_bytes


@pytest.fixture
def zeros_db(tmp_path):
    db = tmp_path / "zeros.duckdb"
    con = store.connect(db)
    try:
        for name, text in (
                ("Artikelstamm.csv", "Artikel;Linie;Leistung;Bezeichnung\n000815;L1;10;Quark\n"),
                ("Kapazitaet.csv", "Linie;KW;Stunden\nL1;2027-W10;5\n"),
                ("Absatzplan.csv", "Artikel;Markt;KW;Menge\n815;LEH;2027-W10;100\n")):
            assert ingest_bytes(con, text.encode(), name).ok
    finally:
        con.close()
    return db


def page_text(at) -> str:
    return "\n".join(str(e.value) for kind in ("title", "markdown", "caption", "info")
                     for e in at.get(kind))


def test_overview_and_drill_down_show_the_number_as_written(app, zeros_db):
    at = app(zeros_db)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "000815 Quark · LEH" in page_text(at)
    at.query_params.update({"product": "815", "market": "LEH", "period": "2027-W10"})
    at.switch_page("screens/conflict.py").run()
    assert not at.exception, [e.message for e in at.exception]
    title = at.title[0].value
    assert "000815 Quark" in title and "815 Quark" not in title.replace("000815", "")
    assert "000815" in at.info[0].value  # the explanation names the article as written


def test_cli_gaps_carry_the_display_form(zeros_db, monkeypatch, capsys):
    from pipelines import cli

    monkeypatch.setenv("EINKLANG_DB", str(zeros_db))
    assert cli.main(["gaps", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["product"], r["product_display"]) for r in rows] == [("815", "000815")]
