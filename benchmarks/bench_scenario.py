"""Benchmark of a scenario on the large plan (run on demand, not a test):
`python benchmarks/bench_scenario.py`.

The large plan of bench_model.py (2,000 products x 20 markets x 104 weeks = 4.16 M forecast rows,
30 lines) gets a scenario with one change of each kind; each measurement runs in a fresh process:
  rebuild      pipelines.model.build() on the base + its KPIs (what a new upload costs)
  full         pipelines.model.build(scenario=...) + its KPIs: the scenario laid over staging and
               every model rebuilt (what `einklang kpis --scenario` costs)
  incremental  pipelines.model.scenario_model(base, scenario) + its KPIs on a base built before
               (not timed): only what the changes touch is recomputed (the scenario page, compare)
Prints a markdown table and saves it to benchmarks/out/.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_model import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"

SCENARIO = '''name = "bench"
[[change]]
kind = "demand"
market = "M03"
from = "2027-W10"
to = "2027-W30"
percent = 20
[[change]]
kind = "capacity"
line = "L05"
from = "2027-W10"
to = "2027-W12"
hours = 16
[[change]]
kind = "new_pmc"
product = "P00001"
market = "Tankstellen"
quantity = 500
from = "2027-W05"
to = "2027-W10"
class = "B"
[[change]]
kind = "priority"
market = "M07"
class = "A"
[[change]]
kind = "routing"
product = "P00002"
line = "L09"
rate = 1200
'''

# what a meeting typically weighs: an extra shift on one line for three weeks, a new customer, and
# one market ordering more for a few weeks (the broad SCENARIO above also reclassifies a whole
# market and moves an article over the whole horizon, which touches every line-period)
MEETING = '''name = "meeting"
[[change]]
kind = "capacity"
line = "L05"
from = "2027-W50"
to = "2027-W52"
hours = 16
[[change]]
kind = "new_pmc"
product = "P00001"
market = "Tankstellen"
quantity = 500
from = "2027-W05"
to = "2027-W10"
class = "B"
[[change]]
kind = "demand"
market = "M03"
from = "2027-W50"
to = "2027-W52"
percent = 20
'''

CHILD = r"""
import json, sys, time
from pipelines import store
from pipelines.model import build, scenario_model
from pipelines.scenario import parse
con = store.connect(sys.argv[1], read_only=True)
mode = sys.argv[2]
scenario = parse(sys.argv[3], con) if mode != "rebuild" else None
if mode == "incremental":
    base = build(con)
    start = time.perf_counter()
    with scenario_model(base, scenario) as model:
        kpis = model.kpis()
else:
    start = time.perf_counter()
    with build(con, scenario=scenario) as model:
        kpis = model.kpis()
print(json.dumps({"seconds": time.perf_counter() - start, "kpis": kpis}))
"""


def run(path: Path, mode: str, text: str = SCENARIO) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode, text], cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{mode} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--weeks", type=int, default=104)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / "bench_scenario.duckdb"
    rows = generate(path, args.products, args.weeks)
    lines = [f"forecast rows: {rows:,}", "", "| run | median s | min s | max s |", "|---|---|---|---|"]
    results = {}
    runs_of = [("rebuild", "rebuild", SCENARIO)] + [
        (f"{mode} ({label})", mode, text) for label, text in (("broad", SCENARIO), ("meeting", MEETING))
        for mode in ("full", "incremental")]
    for label, mode, text in runs_of:
        runs = [run(path, mode, text) for _ in range(args.repeat)]
        seconds = [r["seconds"] for r in runs]
        results[label] = runs[0]["kpis"]
        lines.append(f"| {label} | {statistics.median(seconds):.2f} | {min(seconds):.2f} | "
                     f"{max(seconds):.2f} |")
    lines.append("")
    for label in ("broad", "meeting"):
        full, incremental = results[f"full ({label})"], results[f"incremental ({label})"]
        lines.append(f"{label}: changes the KPIs: {full != results['rebuild']}; incremental KPIs "
                     f"equal the full rebuild's: {full == incremental}")
    lines.append(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores, shared)")
    text = "\n".join(lines)
    print(text)
    (OUT / f"bench_scenario_{time.strftime('%Y%m%dT%H%M%S')}.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
