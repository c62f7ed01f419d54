"""`einklang watch`: an ERP drop folder, with real files, as cron and a service run it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipelines import store

GOOD = "Artikel;Markt;KW;Menge\n100;LEH;2027-W05;10\n200;Discount;2027-W05;7\n"
BAD = "Artikel;Markt;KW;Menge\n100;LEH;2027-W05;abc\n"
HOLD = "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)"


def watch(folder: Path, db: Path, *args: str, lang: str = "en", env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "--db", str(db), "--lang", lang,
                           "watch", str(folder), *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, **(env or {})))


def stored(db: Path) -> list[tuple]:
    with store.opened(db) as con:
        return con.execute("select kind, file_name, rows from versions order by version_id").fetchall()


def test_once_ingests_what_is_there_and_files_the_results(tmp_path: Path):
    drop, db = tmp_path / "drop", tmp_path / "e.duckdb"
    drop.mkdir()
    (drop / "absatz.csv").write_text(GOOD, encoding="utf-8")
    (drop / "kaputt.csv").write_text(BAD, encoding="utf-8")
    (drop / "halb.csv.part").write_text(GOOD, encoding="utf-8")
    (drop / ".versteckt.csv").write_text(GOOD, encoding="utf-8")
    out = watch(drop, db, "--once", "--settle", "0", "--json", lang="de")
    assert out.returncode == 1, out.stderr  # one file refused
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert sorted((d["file"], d["status"]) for d in lines) == [("absatz.csv", "ok"), ("kaputt.csv", "rejected")]

    assert stored(db) == [("forecast", "absatz.csv", 2)]
    (done,) = [p for p in (drop / "done").iterdir() if p.name.endswith("_absatz.csv")]
    assert done.read_text(encoding="utf-8") == GOOD
    doc = json.loads(Path(f"{done}.result.json").read_text(encoding="utf-8"))
    assert doc["status"] == "ok" and [(v["kind"], v["version"], v["rows"]) for v in doc["versions"]] == \
        [("forecast", 1, 2)]
    assert "angenommen" in Path(f"{done}.result.txt").read_text(encoding="utf-8")

    (refused,) = [p for p in (drop / "refused").iterdir() if p.name.endswith("_kaputt.csv")]
    doc = json.loads(Path(f"{refused}.result.json").read_text(encoding="utf-8"))
    assert doc["status"] == "rejected"
    assert [(e["row"], e["column"], e["header"], e["value"]) for e in doc["errors"]] == [(2, "D", "Menge", "abc")]
    text = Path(f"{refused}.result.txt").read_text(encoding="utf-8")
    assert "abgelehnt" in text and "ist keine Zahl" in text and "kaputt.csv" in text

    assert sorted(p.name for p in drop.iterdir() if p.is_file()) == [".versteckt.csv", "halb.csv.part"]

    # the ERP writes the same name again the next night: filed beside the first, never overwritten
    (drop / "absatz.csv").write_text(GOOD, encoding="utf-8")
    out = watch(drop, db, "--once", "--settle", "0")
    assert out.returncode == 0 and "already stored" in out.stdout
    assert len([p for p in (drop / "done").iterdir() if p.name.endswith("_absatz.csv")]) == 2
    assert stored(db) == [("forecast", "absatz.csv", 2)]


def test_a_file_still_changing_is_left_for_the_next_run(tmp_path: Path):
    drop, db = tmp_path / "drop", tmp_path / "e.duckdb"
    drop.mkdir()
    arriving = drop / "absatz.csv"
    arriving.write_text(GOOD, encoding="utf-8")
    now = time.time()
    os.utime(arriving, (now + 30, now + 30))  # as if written a moment ago, again and again
    out = watch(drop, db, "--once", "--settle", "1")
    assert out.returncode == 0 and out.stdout == ""
    assert arriving.exists() and not (drop / "done").exists()


def test_a_locked_database_leaves_the_file_and_exits_3(tmp_path: Path):
    drop, db = tmp_path / "drop", tmp_path / "e.duckdb"
    drop.mkdir()
    (drop / "absatz.csv").write_text(GOOD, encoding="utf-8")
    store.connect(db).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        out = watch(drop, db, "--once", "--settle", "0", env={"EINKLANG_LOCK_TIMEOUT": "0.5"})
    finally:
        holder.kill()
        holder.wait()
    assert out.returncode == 3 and "busy" in out.stdout
    assert [p.name for p in drop.iterdir()] == ["absatz.csv"]
    assert stored(db) == []


def test_the_watcher_runs_until_sigterm(tmp_path: Path):
    drop, db = tmp_path / "drop", tmp_path / "e.duckdb"
    drop.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "--db", str(db), "watch", str(drop),
                             "--interval", "0.3", "--settle", "0.5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)
        (drop / "absatz.csv").write_text(GOOD, encoding="utf-8")
        deadline = time.time() + 60
        while not (drop / "done").exists() and time.time() < deadline:
            time.sleep(0.2)
        assert (drop / "done").exists()
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert stored(db) == [("forecast", "absatz.csv", 2)]
