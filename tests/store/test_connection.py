"""The file is never held: a lock from another process is waited out for a bounded time, and the
model's snapshot releases the file the moment it returns."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines import model, store
from seed import add_version, small_company

HOLD = "import sys, time, duckdb; c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'ro'); " \
       "print('held', flush=True); time.sleep(float(sys.argv[3])); c.close()"


def hold(db: Path, seconds: float, mode: str = "rw") -> subprocess.Popen:
    """Another process holding the file (read-write or read-only) for `seconds`."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), mode, str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture
def company_db(db_path):
    with store.opened(db_path, read_only=False) as con:
        small_company(con)
    return db_path


def test_a_held_file_is_refused_after_the_timeout_naming_the_holder(company_db):
    holder = hold(company_db, 30)
    try:
        started = time.monotonic()
        with pytest.raises(store.StoreLocked) as caught:
            store.connect(company_db, read_only=True, timeout=0.6)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert 0.6 <= waited < 3, waited
    err = caught.value
    assert err.key == "store_locked" and err.value.startswith(f"PID {holder.pid}")
    assert str(company_db) in err.message("de") and "belegt" in err.message("de")
    assert "EINKLANG_LOCK_TIMEOUT" in err.message("en")


def test_a_lock_released_within_the_timeout_is_waited_out(company_db):
    holder = hold(company_db, 1.0)
    started = time.monotonic()
    try:
        with store.opened(company_db, read_only=False, timeout=15) as con:
            waited = time.monotonic() - started
            assert con.execute("select count(*) from versions").fetchall() == [(4,)]
    finally:
        holder.wait()
    assert 0.5 < waited < 10, waited


def test_readers_of_several_processes_share_the_file(company_db):
    holder = hold(company_db, 30, mode="ro")
    try:
        with store.opened(company_db, read_only=True, timeout=0.5) as con:
            assert con.execute("select count(*) from versions").fetchall() == [(4,)]
    finally:
        holder.kill()
        holder.wait()


def test_the_model_snapshot_holds_only_the_chosen_versions_and_releases_the_file(company_db):
    with store.opened(company_db, read_only=False) as con:
        newer = add_version(con, "forecast", [
            {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 100},
            {"product": "P1", "market": "Export", "period": "2027-W01", "quantity": 40}])
    with model.build_from_file(company_db) as built:
        assert built.versions["forecast"] == newer
        copied = built.query("select distinct version_id from forecast")["version_id"].tolist()
        assert copied == [newer]
        assert built.query("select count(*) as n from files")["n"].iloc[0] == 0
        # while the model is alive, another process can write the file
        out = subprocess.run([sys.executable, "-c",
                              "import sys; from pipelines import store; "
                              "c = store.connect(sys.argv[1], timeout=0.5); "
                              "c.execute(\"update versions set label = 'written' where version_id = 1\"); "
                              "c.close()", str(company_db)], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert built.gaps()["shortfall"].sum() == 0  # 140 units on 150 of capacity
    with model.build_from_file(company_db, {"forecast": newer - 1}) as older:
        assert older.gaps()["shortfall"].sum() == pytest.approx(50)


def test_a_reader_of_a_missing_file_finds_the_empty_schema(tmp_path):
    db = tmp_path / "new" / "e.duckdb"
    with store.opened(db) as con:
        assert con.execute("select count(*) from versions").fetchall() == [(0,)]
