"""`einklang gaps` names each row's unit; `einklang units` lists what could not be converted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipelines import store
from pipelines.store.ingest import ingest_bytes

PRODUCTS = "Artikel;Linie;Leistung (kg/h);Einheit;Nettogewicht\n1;L1;100;Stk;0,5\n2;L1;50;kg;\n3;L1;10;Stk;\n"
CAPACITY = "Linie;KW;Stunden\nL1;2027-W05;10\n"
FORECAST = "Artikel;Markt;KW;Menge;Einheit\n1;LEH;2027-W05;100;kg\n2;LEH;2027-W05;40;kg\n3;LEH;2027-W05;30;kg\n"


def run(db: Path, *args: str):
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "--db", str(db), *args, "--format", "json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_gaps_carry_the_unit_and_units_lists_the_unconvertible(tmp_path):
    db = tmp_path / "e.duckdb"
    con = store.connect(db)
    for text, name in ((FORECAST, "absatz.csv"), (PRODUCTS, "artikel.csv"), (CAPACITY, "kapa.csv")):
        assert ingest_bytes(con, text.encode(), name).ok
    con.close()
    gaps = {r["product"]: r for r in run(db, "gaps")}
    # 100 kg of 0.5 kg pieces = 200 Stk at 100 kg/h = 200 Stk/h: 1 h; 40 kg at 50 kg/h: 0.8 h
    assert (gaps["1"]["demand"], gaps["1"]["unit"], gaps["1"]["required_hours"]) == (200.0, "Stk", 1.0)
    assert (gaps["2"]["demand"], gaps["2"]["unit"], gaps["2"]["required_hours"]) == (40.0, "kg", 0.8)
    assert (gaps["3"]["unit"], gaps["3"]["reason"], gaps["3"]["shortfall"]) == ("kg", "no_net_weight", 30.0)
    problems = run(db, "units")
    assert [(p["product"], p["quantity"], p["unit_given"], p["unit_problem"]) for p in problems] == \
        [("3", 30.0, "kg", "no_net_weight")]
