"""The command line as scripts use it: exit codes and JSON shapes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines import store


def einklang(*args: str, db: Path, lang: str = "en", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "--db", str(db), "--lang", lang, *args],
                          capture_output=True, text=True, timeout=300,
                          env=None if env is None else dict(os.environ, **env))


HOLD = "import sys, time, duckdb; c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'ro'); " \
       "print('held', flush=True); time.sleep(60)"


def hold(db: Path, mode: str = "rw") -> subprocess.Popen:
    """Another process holding the file, as a dashboard used to."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), mode], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_ingest_json_accepted_and_rejected(tmp_path: Path):
    db = tmp_path / "e.duckdb"
    good = tmp_path / "absatz.csv"
    good.write_text("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;10\n100;LEH;2027-W05;5\n", encoding="utf-8")
    out = einklang("ingest", str(good), "--json", "--label", "Zyklus 1", db=db)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["status"] == "ok"
    v = doc["versions"][0]
    assert (v["kind"], v["version"], v["rows"], v["merged_rows"]) == ("forecast", 1, 1, 1)
    assert doc["new"] == {"products": [], "markets": []}

    bad = tmp_path / "kaputt.csv"
    bad.write_text("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;abc\n100;LEH;2027-W06;-2\n", encoding="utf-8")
    out = einklang("ingest", str(bad), "--json", db=db)
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert doc["status"] == "rejected"
    cells = sorted((e["row"], e["column"], e["header"], e["value"]) for e in doc["errors"])
    assert cells == [(2, "D", "Menge", "abc"), (3, "D", "Menge", "-2")]
    assert all(e["file"] == "kaputt.csv" and e["sheet"] and e["message"] for e in doc["errors"])

    out = einklang("versions", "--format", "json", db=db)
    versions = json.loads(out.stdout)
    assert [(v["version"], v["kind"], v["label"], v["rows"]) for v in versions] == [(1, "forecast", "Zyklus 1", 1)]
    assert len(versions[0]["sha256"]) == 64


def test_refusal_as_a_readable_table_in_german(tmp_path: Path):
    bad = tmp_path / "kaputt.csv"
    bad.write_text("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;abc\n", encoding="utf-8")
    out = einklang("ingest", str(bad), db=tmp_path / "e.duckdb", lang="de")
    assert out.returncode == 1
    assert "Datei abgelehnt" in out.stdout and "ist keine Zahl" in out.stdout
    assert "kaputt.csv" in out.stdout and " D " in out.stdout


def test_a_refusal_names_the_hidden_sheet_it_passed_over(tmp_path: Path):
    """A workbook whose only data sheet is hidden (an older cycle kept out of sight, a notes
    sheet in front): the refusal says which sheets were skipped and how to have it read."""
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.title = "Hinweise"
    wb.active["A1"] = "Bitte nicht ändern"
    data = wb.create_sheet("Planung (alt)")
    for row in (["Artikel", "Markt", "KW", "Menge"], ["100", "LEH", "2027-W05", 10]):
        data.append(row)
    data.sheet_state = "hidden"
    path = tmp_path / "versteckt.xlsx"
    wb.save(path)
    db = tmp_path / "e.duckdb"
    out = einklang("ingest", str(path), db=db, lang="de")
    assert out.returncode == 1
    assert "Kein Tabellenblatt enthält erkennbare Planungsdaten" in out.stdout
    assert "Planung (alt): ausgeblendet" in out.stdout and "in Excel einblenden" in out.stdout
    assert "Hinweise: keine Tabelle" in out.stdout
    assert json.loads(einklang("versions", "--format", "json", db=db).stdout) == []


def test_kill_mid_write_leaves_previous_state(tmp_path: Path):
    db = tmp_path / "e.duckdb"
    small = tmp_path / "small.csv"
    small.write_text("Artikel;Markt;KW;Menge\n1;LEH;2027-W05;3\n", encoding="utf-8")
    assert einklang("ingest", str(small), db=db).returncode == 0
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("Artikel;Markt;KW;Menge\n")
        for p in range(4000):
            for w in range(1, 53):
                fh.write(f"{p};M{p % 7};2027-W{w:02d};{p + w}\n")
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "--db", str(db), "ingest", str(big)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True)
    buf = b""
    deadline = time.time() + 240
    while b"store" not in buf and time.time() < deadline and proc.poll() is None:
        buf += proc.stderr.read1(64)
    killed_while_running = proc.poll() is None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert killed_while_running, "ingest ended before it could be killed mid-write"
    con = store.connect(db)
    try:
        versions = con.execute("select version_id, rows from versions order by 1").fetchall()
        for vid, rows in versions:
            assert con.execute("select count(*) from forecast where version_id = ?", [vid]).fetchall()[0][0] == rows
        assert versions[0] == (1, 1)
        assert con.execute("select count(*) from forecast where version_id not in "
                           "(select version_id from versions)").fetchall()[0][0] == 0
    finally:
        con.close()


def test_gaps_csv_and_pack_on_the_demo(tmp_path: Path):
    from pipelines.demo import build_demo
    db = build_demo(tmp_path / "demo.duckdb")
    out = einklang("gaps", "--format", "csv", db=db)
    assert out.returncode == 0, out.stderr
    header, *rows = out.stdout.splitlines()
    assert header.split(",")[:10] == ["product", "market", "period", "period_start", "line",
                                      "priority_class", "demand", "supplied", "shortfall", "reason"]
    assert len(rows) > 1000 and all(r.split(",")[2].startswith(("2026-W", "2027-W")) for r in rows[:50])
    out = einklang("pack", "--out", str(tmp_path / "pack"), db=db, lang="de")
    assert out.returncode == 0, out.stderr
    xlsx, pdf = (Path(p) for p in out.stdout.split())
    assert xlsx.suffix == ".xlsx" and pdf.read_bytes().startswith(b"%PDF")
    import openpyxl
    assert len(openpyxl.load_workbook(xlsx).sheetnames) >= 3


def test_a_locked_file_gives_exit_code_3_and_a_json_error_after_the_timeout(tmp_path: Path):
    db = tmp_path / "e.duckdb"
    good = tmp_path / "absatz.csv"
    good.write_text("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;10\n", encoding="utf-8")
    assert einklang("ingest", str(good), db=db).returncode == 0
    holder = hold(db)
    try:
        started = time.monotonic()
        out = einklang("ingest", str(good), "--json", db=db, env={"EINKLANG_LOCK_TIMEOUT": "1.5"})
        waited = time.monotonic() - started
        assert out.returncode == 3, out.stderr
        doc = json.loads(out.stdout)
        assert doc["status"] == "locked"
        (error,) = doc["errors"]
        assert error["key"] == "store_locked" and error["file"] == str(db)
        assert f"PID {holder.pid}" in error["message"] and "EINKLANG_LOCK_TIMEOUT" in error["message"]
        assert 1.5 <= waited < 30
        out = einklang("versions", db=db, lang="de", env={"EINKLANG_LOCK_TIMEOUT": "0.5"})
        assert out.returncode == 3 and "Traceback" not in out.stderr
        assert "belegt" in out.stderr and str(db) in out.stderr
        out = einklang("gaps", "--format", "json", db=db, env={"EINKLANG_LOCK_TIMEOUT": "0.5"})
        assert out.returncode == 3 and json.loads(out.stdout)["status"] == "locked"
    finally:
        holder.kill()
        holder.wait()
    out = einklang("versions", "--format", "json", db=db)
    assert out.returncode == 0 and [v["version"] for v in json.loads(out.stdout)] == [1]


def test_read_commands_share_the_file_with_another_reader(tmp_path: Path):
    db = tmp_path / "e.duckdb"
    good = tmp_path / "absatz.csv"
    good.write_text("Artikel;Markt;KW;Menge\n100;LEH;2027-W05;10\n", encoding="utf-8")
    assert einklang("ingest", str(good), db=db).returncode == 0
    holder = hold(db, mode="ro")
    try:
        out = einklang("versions", "--format", "json", db=db, env={"EINKLANG_LOCK_TIMEOUT": "0.5"})
        assert out.returncode == 0, out.stderr
        assert [v["kind"] for v in json.loads(out.stdout)] == ["forecast"]
        out = einklang("ingest", str(good), "--dry-run", "--json", db=db, env={"EINKLANG_LOCK_TIMEOUT": "0.5"})
        assert out.returncode == 0 and json.loads(out.stdout)["status"] == "ok"
    finally:
        holder.kill()
        holder.wait()


def test_changes_reads_the_forecast_change_mart(tmp_path: Path):
    from pipelines.model import compare
    from seed import add_version
    db = tmp_path / "e.duckdb"
    con = store.connect(db)
    try:
        add_version(con, "forecast", [{"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 100},
                                      {"product": "P2", "market": "Export", "period": "2027-W01", "quantity": 50}])
        add_version(con, "forecast", [{"product": "P1", "market": "leh", "period": "2027-W01", "quantity": 130}])
        from pipelines.text.tables import frame_to_json
        expected = json.loads(frame_to_json(compare.forecast_change_by_group(con)))
    finally:
        con.close()
    out = einklang("changes", "--format", "json", db=db)
    assert out.returncode == 0, out.stderr
    # no master data: every article in pieces, the one unit they share; no prices, no money
    assert json.loads(out.stdout) == expected == [
        {"group": "Export", "previous": 50.0, "current": 0.0, "change": -50.0, "unit": "Stk",
         "basis": "unit", "unrouted_products": 0, "change_value": None},
        {"group": "leh", "previous": 100.0, "current": 130.0, "change": 30.0, "unit": "Stk",
         "basis": "unit", "unrouted_products": 0, "change_value": None}]  # as the current version writes it


def test_dry_run_reports_the_as_of_date_and_what_changes(tmp_path: Path):
    first, second = tmp_path / "Absatz_KW48_2026.csv", tmp_path / "Absatz_KW49_2026.csv"
    first.write_text("Artikel;Markt;KW;Menge\n000815;LEH;2027-W01;10\n200;Discount;2027-W01;5\n")
    second.write_text("Artikel;Markt;KW;Menge\n000815;LEH;2027-W01;12\n0300;Discount;2027-W01;5\n")
    db = tmp_path / "e.duckdb"
    assert einklang("ingest", str(first), db=db).returncode == 0
    out = einklang("ingest", str(second), "--dry-run", db=db, lang="de")
    assert out.returncode == 0, out.stderr
    lines = [line.strip() for line in out.stdout.splitlines()]
    assert "Stand der Prognose: 30.11.2026 (Montag der Zykluswoche im Datei- oder Blattnamen)" in lines
    assert "Absatzprognose: 2 → 2 Zeilen gegenüber Version 1 (ersetzt die ganze Version)" in lines
    assert "LEH · Stk: 10 → 12 (+2)" in lines and "Discount · Stk: 5 → 5 (0)" in lines
    assert "Neue Artikel-Markt-Kombinationen (1): 0300 · Discount" in lines
    assert "Artikel, die wegfallen (1): 200" in lines
    gaps = json.loads(einklang("gaps", "--format", "json", db=db).stdout)
    assert {(g["product"], g["product_display"]) for g in gaps} == {("815", "000815"), ("200", "200")}
