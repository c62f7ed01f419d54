"""`einklang scenario add|list|compare` and `--scenario` on gaps, load, kpis, conflicts."""
from __future__ import annotations

import io
import json

import pandas as pd

from pipelines import store
from tests.scenario.test_overlay import base
from tests.test_cli import einklang

SHIFT = 'name = "Zusatzschicht L1"\n[[change]]\nkind = "capacity"\nline = "L1"\nto = "2027-W10"\nhours = 6\n'
ROUTE = 'name = "B auf L1"\n[[change]]\nkind = "routing"\nproduct = "B"\nline = "L1"\nrate = 5\n'


def seeded(tmp_path):
    db = tmp_path / "e.duckdb"
    con = store.connect(db)
    base(con)
    con.close()
    return db


def test_add_list_compare_and_scenario_flag(tmp_path):
    db = seeded(tmp_path)
    (tmp_path / "shift.toml").write_text(SHIFT, encoding="utf-8")
    (tmp_path / "route.toml").write_text(ROUTE, encoding="utf-8")
    out = einklang("scenario", "add", str(tmp_path / "shift.toml"), "--json", db=db)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) | {"scenario_id": 0} == {
        "status": "stored", "scenario_id": 0, "name": "Zusatzschicht L1", "revision": 1, "changes": 1}
    assert einklang("scenario", "add", str(tmp_path / "route.toml"), db=db).returncode == 0
    again = einklang("scenario", "add", str(tmp_path / "shift.toml"), "--json", db=db)
    assert json.loads(again.stdout)["revision"] == 2

    listed = json.loads(einklang("scenario", "list", "--format", "json", db=db).stdout)
    assert sorted((r["name"], r["revision"]) for r in listed) == [("B auf L1", 1), ("Zusatzschicht L1", 2)]

    base_gaps = pd.read_csv(io.StringIO(einklang("gaps", "--format", "csv", db=db).stdout))
    out = einklang("gaps", "--format", "csv", "--scenario", "Zusatzschicht L1", db=db)
    gaps = pd.read_csv(io.StringIO(out.stdout))
    assert list(gaps.columns) == list(base_gaps.columns)
    assert base_gaps["shortfall"].sum() == 60 and gaps["shortfall"].sum() == 0
    load = pd.read_csv(io.StringIO(einklang("load", "--format", "csv", "--scenario", "Zusatzschicht L1",
                                            db=db).stdout))
    assert load.set_index(["line", "period"]).loc[("L1", "2027-W10"), "available_hours"] == 16
    kpis = json.loads(einklang("kpis", "--format", "json", "--scenario", "Zusatzschicht L1", db=db).stdout)
    assert kpis["open_conflicts"] == 0 and kpis["fill_rate"] == 1
    conflicts = einklang("conflicts", "--format", "json", "--scenario", "B auf L1", db=db)
    # B (class B, 6 h) moves onto L1 W10: LEH 6 h, B 6 h, Discount gets nothing
    rows = json.loads(conflicts.stdout)
    assert [(r["product"], r["market"], r["shortfall"]) for r in rows] == [
        ("A", "Discount", 100.0), ("B", "Export", 10.0)]

    out = einklang("scenario", "compare", "Zusatzschicht L1", "B auf L1", "--format", "json", db=db)
    doc = json.loads(out.stdout)
    assert doc["base"]["shortfall_hours"] == 6
    assert doc["scenarios"]["Zusatzschicht L1"]["shortfall_hours"] == 0
    assert doc["scenarios"]["B auf L1"]["shortfall_hours"] == 12
    # line hours missing per class (quantities of different articles do not add up)
    assert doc["shortfall_hours_by_class"]["B auf L1"] == {"A": 0.0, "B": 2.0, "C": 10.0}
    assert doc["moves"]["B auf L1"][0] == {"product": "A", "market": "Discount", "unit": "Stk",
                                           "base_shortfall": 60.0, "scenario_shortfall": 100.0,
                                           "change": 40.0, "change_hours": 4.0}
    table = einklang("scenario", "compare", "Zusatzschicht L1", "--format", "table", db=db, lang="de")
    assert "Basis" in table.stdout and "Zusatzschicht L1" in table.stdout


def test_bad_file_exit_1_with_json_errors_and_nothing_stored(tmp_path):
    db = seeded(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[[change]]\nkind = "capacity"\nline = "BUT-9"\nhours = 4\n'
                   '[[change]]\nkind = "demand"\nfrom = "KW 99/2027"\npercent = 1\n', encoding="utf-8")
    out = einklang("scenario", "add", str(bad), "--json", db=db)
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert doc["status"] == "rejected"
    assert [(e["change"], e["field"]) for e in doc["errors"]] == [(1, "line"), (2, "from")]
    assert all(e["message"] for e in doc["errors"])
    text = einklang("scenario", "add", str(bad), db=db, lang="de")
    assert text.returncode == 1 and "Änderung 1" in text.stderr
    assert json.loads(einklang("scenario", "list", "--format", "json", db=db).stdout) == []
    unknown = einklang("gaps", "--scenario", "nie gespeichert", db=db)
    assert unknown.returncode == 1 and "nie gespeichert" in unknown.stderr
