"""Ingest benchmark: our reader+ingest vs pandas+openpyxl vs bare unzip, on a wide forecast.

Run: .venv/bin/python benchmarks/bench_ingest.py [--rows 10000] [--weeks 104] [--repeat 5]
Each measurement runs in a fresh subprocess so peak memory (ru_maxrss) is its own.
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


def make_file(path: Path, rows: int, weeks: int) -> None:
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
    markets = ["LEH", "Discount", "Foodservice", "Export NL", "Export AT"]
    for r in range(rows):
        values = [rnd.randint(0, 900) for _ in range(weeks)]
        ws.write_row(4 + r, 0, [str(100000 + r // 5), markets[r % 5], "Stk", *values])
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


def child(which: str, path: str) -> None:
    import resource
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.duckdb")
        start = time.perf_counter()
        RUNNERS[which](path, db)
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def measure(which: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--child", which, str(path)],
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"median_s": statistics.median(r["seconds"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--memory-rows", type=int, default=50_000)
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
    a, b, c = (results[k]["median_s"] for k in ("ours", "pandas_openpyxl", "unzip"))
    lines = [
        f"# Ingest benchmark ({args.rows:,} rows x {args.weeks} weeks, wide xlsx, median of {args.repeat})",
        "", "| run | median s | peak MB |", "|---|---|---|",
        *[f"| {k} | {v['median_s']:.2f} | {v['peak_mb']:.0f} |" for k, v in results.items()],
        f"| ours, {args.memory_rows:,} rows (1 run) | {big_run['median_s']:.2f} | {big_run['peak_mb']:.0f} |",
        "", f"(b)/(a) pandas+openpyxl / ours = {b / a:.1f}  (target >= 10)",
        f"(a)/(c) ours / bare unzip = {a / c:.1f}  (target <= 5)",
        f"peak memory at {args.memory_rows:,} rows = {big_run['peak_mb']:.0f} MB  (target < 750)",
    ]
    text = "\n".join(lines)
    print(text)
    (OUT / "ingest.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
