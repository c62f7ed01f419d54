"""Benchmark of a scenario on the large plan (run on demand, not a test):
`python benchmarks/bench_scenario.py`.

The large plan of bench_model.py (2,000 products x 20 markets x 104 weeks = 4.16 M forecast rows,
30 lines) gets a scenario with one change of each kind; each measurement runs in a fresh process:
  rebuild    pipelines.model.build() on the base + its KPIs (what a new upload costs)
  scenario   pipelines.model.build(scenario=...) + its KPIs (what the scenario page and
             `einklang kpis --scenario` cost)
Prints a markdown table and saves it to benchmarks/out/.
"""
from __future__ import annotations

import argparse
import json
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

CHILD = r"""
import json, sys, time
from pipelines import store
from pipelines.model import build
from pipelines.scenario import parse
con = store.connect(sys.argv[1], read_only=True)
scenario = parse(sys.argv[3], con) if sys.argv[2] == "scenario" else None
start = time.perf_counter()
with build(con, scenario=scenario) as model:
    kpis = model.kpis()
print(json.dumps({"seconds": time.perf_counter() - start, "kpis": kpis}))
"""


def run(path: Path, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode, SCENARIO], cwd=ROOT,
                         capture_output=True, text=True, check=True)
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
    for mode in ("rebuild", "scenario"):
        runs = [run(path, mode) for _ in range(args.repeat)]
        seconds = [r["seconds"] for r in runs]
        results[mode] = runs[0]["kpis"]
        lines.append(f"| {mode} | {statistics.median(seconds):.2f} | {min(seconds):.2f} | "
                     f"{max(seconds):.2f} |")
    changed = results["rebuild"] != results["scenario"]
    lines += ["", f"scenario changes the KPIs: {changed}"]
    text = "\n".join(lines)
    print(text)
    (OUT / f"bench_scenario_{time.strftime('%Y%m%dT%H%M%S')}.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
