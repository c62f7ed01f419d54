"""One definition per headline figure: the overview's tiles, meeting step 3, the pack's KPI sheet
and `einklang kpis` show the same numbers on the demo company, in German and in English."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pipelines import meeting as mt
from pipelines import store
from pipelines.pack import build_pack, export_workbook
from pipelines.text.tables import kpi_rows, kpi_text

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    from pipelines.demo import build_demo
    path = build_demo(tmp_path_factory.mktemp("kpis") / "demo.duckdb")
    con = store.connect(path)
    try:
        mt.create_meeting(con, "2026-11-30", participants=["Vertrieb", "Betrieb"], cycle="KW 48")
    finally:
        con.close()
    return path


def cli_kpis(db: Path, lang: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "--db", str(db), "--lang", lang,
                          "kpis", "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def open_app(db: Path, lang: str, monkeypatch, page: str | None = None, step: int | None = None):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("EINKLANG_DB", str(db))
    monkeypatch.setenv("EINKLANG_LANG", lang)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.message for e in at.exception]
    if step:
        at.segmented_control(key="step").set_value(step).run()
        assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["de", "en"])
def test_overview_agenda_pack_and_cli_show_the_same_kpis(demo, lang, monkeypatch, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo, db)
    figures = cli_kpis(db, lang)
    assert figures["open_conflicts"] > 0 and figures["overloaded_line_periods"] > 0, \
        "the demo company has conflicts and overloaded lines"
    assert set(figures["fill_rate_by_class"]) == {"A", "B", "C"}
    expected = {label: kpi_text(value, kind, lang) for _, label, value, kind in kpi_rows(figures, lang)}
    assert len(expected) == 8

    overview = tiles(open_app(db, lang, monkeypatch))
    assert {k: overview.get(k) for k in expected} == expected

    agenda = tiles(open_app(db, lang, monkeypatch, "screens/meeting.py", 3))
    assert {k: agenda.get(k) for k in expected} == expected

    con = store.connect(db)
    try:
        meeting_id = int(mt.list_meetings(con)["meeting_id"].iloc[0])
        workbook = openpyxl.load_workbook(io.BytesIO(export_workbook(
            build_pack(con, meeting_id, lang=lang))))
    finally:
        con.close()
    sheet = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)
             if row and row[0] in expected}
    assert set(sheet) == set(expected), "the pack's KPI sheet names every headline figure"
    for key, label, value, kind in kpi_rows(figures, lang):
        assert sheet[label] == pytest.approx(value, rel=1e-9), label


def test_overloaded_and_open_conflicts_count_the_rows_of_load_and_gaps(demo):
    def rows(command: str) -> list[dict]:
        out = subprocess.run([sys.executable, "-m", "pipelines.cli", "--db", str(demo), command,
                              "--format", "json"], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)
    figures = cli_kpis(demo, "en")
    load, gaps = rows("load"), rows("gaps")
    assert figures["overloaded_line_periods"] == sum(
        1 for r in load if r["utilization"] is not None and r["utilization"] > 1)
    assert figures["open_conflicts"] == sum(1 for r in gaps if r["shortfall"] > 0)
    demand = sum(r["demand"] for r in gaps)
    assert figures["fill_rate"] == pytest.approx(sum(r["supplied"] for r in gaps) / demand, abs=1e-6)


def test_compare_is_the_plan_after_an_earlier_upload(demo):
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "--db", str(demo), "kpis",
                          "--compare", "7", "--format", "json"], capture_output=True, text=True,
                         check=True)
    figures = json.loads(out.stdout)
    assert figures["compare"]["version"] == 7
    assert figures["compare"]["open_conflicts"] != figures["open_conflicts"], \
        "the KW 44 forecast has fewer conflicts than the KW 48 one"


def test_a_change_that_reads_as_none_is_shown_as_none():
    """A KPI tile whose change rounds to nothing ("0 h", "+0,0 %-Pkt.") gets no arrow and no
    colour: it had shown a red rise of "0 h" next to a real change."""
    from pipelines.text.tables import kpi_delta, kpi_unchanged
    for kind in ("percent", "money", "hours", "count"):
        assert kpi_unchanged(kpi_delta(120.0, 120.0, kind, "de"), kind, "de")
        assert kpi_unchanged(kpi_delta(0.50001, 0.5, kind, "en"), kind, "en")
        assert not kpi_unchanged(kpi_delta(1500.0, 120.0, kind, "de"), kind, "de")
        assert not kpi_unchanged(kpi_delta(100.0, 1500.0, kind, "de"), kind, "de")
    assert not kpi_unchanged(None, "hours", "de")  # no comparison: nothing to say
