"""Ingest benchmark: our reader+ingest vs pandas+openpyxl vs bare unzip, on a wide forecast.

Run: .venv/bin/python benchmarks/bench_ingest.py [--rows 10000] [--weeks 104] [--repeat 5]
Each measurement runs in a fresh subprocess so peak memory (ru_maxrss) is its own. A run's time
includes importing what it uses (pandas, DuckDB, ...), as a command-line ingest pays it; the time
without the imports is reported beside it (what the dashboard, with everything imported, pays).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


MARKETS = ["LEH", "Discount", "Foodservice", "Export NL", "Export AT", "Export CH", "Export DK",
           "Export PL", "Export CZ", "Export FR", "Export BE", "Export IT", "Export ES", "Export SE",
           "Export NO", "Export FI", "Export UK", "Export HU", "Export SK", "Export SI"]


def make_file(path: Path, rows: int, weeks: int, markets: int = 5) -> None:
    """A wide forecast: `rows` product-market rows (`markets` markets per product) x `weeks`."""
    import random

    import xlsxwriter
    rnd = random.Random(7)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "constant_memory": True})
    ws = wb.add_worksheet("Absatzplan")
    ws.write_row(0, 0, ["Absatzplanung Benchmark GmbH"])
    ws.write_row(1, 0, ["Stand: 27.11.2026"])
    monday = dt.date(2026, 11, 30)
    labels = []
    for w in range(weeks):
        y, wk, _ = (monday + dt.timedelta(weeks=w)).isocalendar()
        labels.append(f"KW {wk:02d}/{y}")
    ws.write_row(3, 0, ["Artikel-Nr.", "Vertriebsweg", "Einheit", *labels])
    for r in range(rows):
        values = [rnd.randint(0, 900) for _ in range(weeks)]
        ws.write_row(4 + r, 0, [str(100000 + r // markets), MARKETS[r % markets], "Stk", *values])
    wb.close()


def run_ours(path: str, db: str) -> None:
    from pipelines import store
    from pipelines.store.ingest import ingest_file
    con = store.connect(db)
    result = ingest_file(con, path, as_of="2026-11-27")
    assert result.ok, [e.message("en") for e in result.errors[:3]]
    con.close()


def run_pandas(path: str, db: str) -> None:
    import duckdb
    import pandas as pd
    frame = pd.read_excel(path, engine="openpyxl", header=3)
    long = frame.melt(id_vars=["Artikel-Nr.", "Vertriebsweg", "Einheit"], var_name="period",
                      value_name="quantity")
    con = duckdb.connect(db)
    con.register("long", long)
    con.execute("create table forecast as select * from long")
    con.close()


def run_unzip(path: str, db: str) -> None:
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        z.read(name)


RUNNERS = {"ours": run_ours, "pandas_openpyxl": run_pandas, "unzip": run_unzip}
# ours: the ingest and the reader's modules it imports on first use (the dashboard has them)
IMPORTS = {"ours": ["pipelines.store.ingest", "pipelines.read.sheet", "pipelines.read.workbook",
                    "pipelines.read.header", "pipelines.read.xlsxsplit", "fastexcel",
                    "defusedxml.ElementTree", "pyarrow.pandas_compat"],
           "pandas_openpyxl": ["pandas", "openpyxl", "duckdb"], "unzip": []}


def child(which: str, path: str) -> None:
    import importlib
    import resource
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.duckdb")
        start = time.perf_counter()
        for module in IMPORTS[which]:
            importlib.import_module(module)
        imported = time.perf_counter()
        RUNNERS[which](path, db)
        end = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": end - start, "work_s": end - imported, "peak_mb": peak_mb}))


def measure(which: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--child", which, str(path)],
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"median_s": statistics.median(r["seconds"] for r in runs),
            "work_s": statistics.median(r["work_s"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--memory-rows", type=int, default=50_000)
    ap.add_argument("--plan-products", type=int, default=2_000,
                    help="the large plan's forecast: this many products x 20 markets (0: skip)")
    ap.add_argument("--child", nargs=2)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "forecast.xlsx"
        make_file(path, args.rows, args.weeks)
        results = {k: measure(k, path, args.repeat) for k in RUNNERS}
        big = Path(tmp) / "forecast_big.xlsx"
        make_file(big, args.memory_rows, args.weeks)
        big_run = measure("ours", big, 1)
        big.unlink()
        plan_run = None
        if args.plan_products:
            plan = Path(tmp) / "forecast_plan.xlsx"
            make_file(plan, args.plan_products * 20, args.weeks, markets=20)
            plan_run = measure("ours", plan, 1)
    a, b, c = (results[k]["median_s"] for k in ("ours", "pandas_openpyxl", "unzip"))
    wa, wb = results["ours"]["work_s"], results["pandas_openpyxl"]["work_s"]
    lines = [
        f"# Ingest benchmark ({args.rows:,} rows x {args.weeks} weeks, wide xlsx, median of {args.repeat})",
        "", "| run | median s | without imports s | peak MB |", "|---|---|---|---|",
        *[f"| {k} | {v['median_s']:.2f} | {v['work_s']:.2f} | {v['peak_mb']:.0f} |" for k, v in results.items()],
        f"| ours, {args.memory_rows:,} rows (1 run) | {big_run['median_s']:.2f} | {big_run['work_s']:.2f} "
        f"| {big_run['peak_mb']:.0f} |",
        *([f"| ours, large plan {args.plan_products:,} x 20 markets (1 run) | {plan_run['median_s']:.2f} "
           f"| {plan_run['work_s']:.2f} | {plan_run['peak_mb']:.0f} |"] if plan_run else []),
        "", f"(b)/(a) pandas+openpyxl / ours = {b / a:.1f}, without imports {wb / wa:.1f}  (target >= 10)",
        f"(a)/(c) ours / bare unzip = {a / c:.1f}, without imports {wa / c:.1f}  (target <= 5)",
        f"peak memory at {args.memory_rows:,} rows = {big_run['peak_mb']:.0f} MB  (target < 750)",
        *([f"large plan's forecast = {plan_run['median_s']:.2f} s  (target < 4)"] if plan_run else []),
    ]
    text = "\n".join(lines)
    print(text)
    (OUT / "ingest.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
