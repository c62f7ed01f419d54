"""Benchmark of the gap model (run on demand, not a test): `python benchmarks/bench_model.py`.

Generates long demand rows straight into a store file (DuckDB SQL), then times, each run in a fresh
subprocess (peak memory = ru_maxrss of that process):
  model   pipelines.model.build() + the gaps (materialised in DuckDB, checksummed)
  pandas  the same semantics in pandas (reading the inputs from the same store file)
  query   one hand-written DuckDB query materialised as a temp table, checksummed
Prints a markdown table and saves it to benchmarks/out/.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"

LINES = 30
MARKETS = 20
SIZES = {"1M": (2_000, 26), "10M": (5_000, 104)}  # products, weeks (x 20 markets)


def generate(path: Path, products: int, weeks: int) -> int:
    """A store file with products x 20 markets x weeks forecast rows, routing and capacity for 30 lines."""
    from pipelines import store
    path.unlink(missing_ok=True)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    con = store.connect(path)
    con.execute("set preserve_insertion_order = false")
    for vid, kind in enumerate(("products", "markets", "capacity", "forecast"), start=1):
        con.execute("insert into versions (version_id, kind, created_at, grain) values (?, ?, now(), ?)",
                    [vid, kind, "week" if kind in ("capacity", "forecast") else None])
    con.execute("""
        insert into products (version_id, product, line, rate, shelf_life_days,
                              min_remaining_shelf_life_days, price)
        select 1, 'P' || lpad(i::text, 5, '0'), 'L' || lpad((i % $lines)::text, 2, '0'),
               50 + hash(i) % 100, 10 + hash(i, 1) % 60, 5, 1 + (hash(i, 2) % 300) / 100
        from range($products) t(i)
        where i % 97 <> 0  -- about 1 % of products are unrouted (missing from the master)
    """, {"lines": LINES, "products": products})
    # two of the twenty markets are missing from the master: class B by default
    con.execute("""
        insert into markets (version_id, market, priority_class)
        select 2, 'M' || lpad(i::text, 2, '0'), 1 + i % 3 from range($markets - 2) t(i)
    """, {"markets": MARKETS})
    con.execute("""
        create temp table weeks as
        select w, (date '2027-01-04' + (7 * w)::integer) as period_start,
               strftime(date '2027-01-04' + (7 * w)::integer, '%G-W%V') as period
        from range($weeks) t(w)
    """, {"weeks": weeks})
    con.execute("""
        insert into forecast (version_id, product, market, period, period_start, quantity)
        select 4, 'P' || lpad(p::text, 5, '0'), 'M' || lpad(m::text, 2, '0'), weeks.period,
               weeks.period_start, (hash(p, m, weeks.w) % 200)::double
        from range($products) a(p), range($markets) b(m), weeks
    """, {"products": products, "markets": MARKETS})
    # hours around the expected need (products/lines x markets x 100 units / 100 per h), 70-130 %
    con.execute("""
        insert into capacity (version_id, line, period, period_start, available_hours, max_hours)
        select 3, 'L' || lpad(l::text, 2, '0'), weeks.period, weeks.period_start,
               round($need * (0.7 + (hash(l, weeks.w) % 60) / 100), 1),
               round($need * 1.4, 1)
        from range($lines) a(l), weeks
        where hash(l, weeks.w) % 50 <> 0  -- about 2 % of line-weeks have no capacity data
    """, {"lines": LINES, "need": products / LINES * MARKETS * 100 / 100})
    rows = con.execute("select count(*) from forecast").fetchone()[0]
    con.execute("checkpoint")
    con.close()
    return rows


SINGLE_QUERY = """
create or replace temp table result as
with demand as (
    select f.product, f.market, f.period, f.period_start, f.quantity as demand,
           case when p.rate > 0 then p.line end as line, case when p.rate > 0 then p.rate end as rate,
           coalesce(m.priority_class, 2) as priority_class
    from (select product, market, period, min(period_start) as period_start, sum(quantity) as quantity
          from forecast where version_id = 4 group by all) f
    left join (select * from products where version_id = 1) p using (product)
    left join (select * from markets where version_id = 2) m using (market)
    where f.quantity > 0
),
classes as (
    select *, coalesce(sum(need) over (partition by line, period order by priority_class
               rows between unbounded preceding and 1 preceding), 0) as before
    from (select line, period, priority_class, sum(demand / rate) as need
          from demand where line is not null group by all)
),
shares as (
    select c.line, c.period, c.priority_class, coalesce(k.available_hours, 0) <= 0 as no_capacity,
           case when coalesce(k.available_hours, 0) <= 0 then 0.0
                when c.before + c.need <= k.available_hours * (1 + 1e-9) + 1e-9 then 1.0
                when c.before >= k.available_hours then 0.0
                else (k.available_hours - c.before) / c.need end as share
    from classes c
    left join (select * from capacity where version_id = 3) k using (line, period)
)
select d.product, d.market, d.period, d.line, d.priority_class, d.demand,
       round(d.demand * coalesce(s.share, 0), 6) as supplied,
       round(d.demand - d.demand * coalesce(s.share, 0), 6) as shortfall,
       case when d.line is null then 'no_routing' when s.no_capacity then 'no_capacity'
            when s.share < 1 then 'capacity' end as reason
from demand d left join shares s using (line, period, priority_class)
"""

CHECKSUM = ("select count(*), round(sum(supplied), 2), round(sum(shortfall), 2), "
            "count(*) filter (where reason = 'capacity') from {table}")


def run_model(db: str) -> tuple:
    from pipelines import store
    from pipelines.model import build
    con = store.connect(db, read_only=True)
    start = time.perf_counter()
    model = build(con)
    checksum = model.cursor.execute(CHECKSUM.format(table="mart_gaps")).fetchone()
    return time.perf_counter() - start, checksum


def run_query(db: str) -> tuple:
    import duckdb
    from pipelines.settings import load_settings
    con = duckdb.connect(db, read_only=True)
    con.execute("set memory_limit = ?", [load_settings().memory_limit])
    start = time.perf_counter()
    con.execute(SINGLE_QUERY)
    checksum = con.execute(CHECKSUM.format(table="result")).fetchone()
    return time.perf_counter() - start, checksum


def run_pandas(db: str) -> tuple:
    import duckdb
    import numpy as np
    import pandas as pd
    con = duckdb.connect(db, read_only=True)
    start = time.perf_counter()
    forecast = con.execute("select product, market, period, period_start, quantity from forecast "
                           "where version_id = 4").df()
    products = con.execute("select product, line, rate from products where version_id = 1").df()
    markets = con.execute("select market, priority_class from markets where version_id = 2").df()
    capacity = con.execute("select line, period, available_hours from capacity where version_id = 3").df()
    loaded = time.perf_counter()
    d = forecast.groupby(["product", "market", "period"], as_index=False, sort=False).agg(
        period_start=("period_start", "min"), demand=("quantity", "sum"))
    d = d[d["demand"] > 0]
    products = products[products["rate"] > 0]
    d = d.merge(products, on="product", how="left").merge(markets, on="market", how="left")
    d["priority_class"] = d["priority_class"].fillna(2).astype("int64")
    d["required_hours"] = d["demand"] / d["rate"]
    cls = (d[d["line"].notna()].groupby(["line", "period", "priority_class"], as_index=False)
           ["required_hours"].sum().sort_values(["line", "period", "priority_class"]))
    cls["before"] = cls.groupby(["line", "period"])["required_hours"].cumsum() - cls["required_hours"]
    cls = cls.merge(capacity, on=["line", "period"], how="left")
    h = cls["available_hours"].fillna(0)
    cls["no_capacity"] = h <= 0
    cls["share"] = np.select(
        [h <= 0, cls["before"] + cls["required_hours"] <= h * (1 + 1e-9) + 1e-9, cls["before"] >= h],
        [0.0, 1.0, 0.0], (h - cls["before"]) / cls["required_hours"])
    d = d.merge(cls[["line", "period", "priority_class", "share", "no_capacity"]],
                on=["line", "period", "priority_class"], how="left")
    share = d["share"].fillna(0)
    d["supplied"] = (d["demand"] * share).round(6)
    d["shortfall"] = (d["demand"] - d["demand"] * share).round(6)
    d["reason"] = np.select([d["line"].isna(), d["no_capacity"].fillna(False).astype(bool), share < 1],
                            ["no_routing", "no_capacity", "capacity"], None)
    checksum = (len(d), round(d["supplied"].sum(), 2), round(d["shortfall"].sum(), 2),
                int((d["reason"] == "capacity").sum()))
    end = time.perf_counter()
    return end - start, checksum, end - loaded


RUNNERS = {"model": run_model, "pandas": run_pandas, "query": run_query}


def worker(approach: str, db: str) -> None:
    result = RUNNERS[approach](db)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": result[0], "checksum": [float(x) for x in result[1]],
                      "compute_seconds": result[2] if len(result) > 2 else None,
                      "peak_mb": peak_mb}))


def measure(approach: str, db: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--worker", approach, str(db)],
                             capture_output=True, text=True, cwd=ROOT)
        if out.returncode:
            raise RuntimeError(f"{approach} failed: {out.stderr[-2000:]}")
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "compute_seconds": (statistics.median(r["compute_seconds"] for r in runs)
                                if runs[0]["compute_seconds"] is not None else None),
            "peak_mb": max(r["peak_mb"] for r in runs), "checksum": runs[0]["checksum"],
            "runs": len(runs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", nargs=2, metavar=("APPROACH", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="1M,10M")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--repeat-10m", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="reuse generated store files")
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    OUT.mkdir(exist_ok=True)
    lines = ["| rows | approach | median s | pandas / approach | approach / query | peak MB | runs |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    notes = []
    for size in args.sizes.split(","):
        products, weeks = SIZES[size]
        db = OUT / f"bench_{size}.duckdb"
        if not (args.keep and db.exists()):
            t = time.perf_counter()
            rows = generate(db, products, weeks)
            print(f"generated {rows:,} rows in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        repeat = args.repeat_10m if size == "10M" else args.repeat
        results = {a: measure(a, db, repeat) for a in ("model", "query", "pandas")}
        sums = {a: r["checksum"] for a, r in results.items()}
        if not (sums["model"] == sums["query"] == sums["pandas"]):
            notes.append(f"{size}: checksums differ: {sums}")
        rows = int(results["model"]["checksum"][0])
        for approach, r in results.items():
            lines.append(f"| {rows:,} | {approach} | {r['seconds']:.2f} | "
                         f"{results['pandas']['seconds'] / r['seconds']:.1f}x | "
                         f"{r['seconds'] / results['query']['seconds']:.2f} | "
                         f"{r['peak_mb']:.0f} | {r['runs']} |")
        if results["pandas"]["compute_seconds"]:
            notes.append(f"{size}: pandas without reading the store: "
                         f"{results['pandas']['compute_seconds']:.2f} s")
        print("\n".join(lines[-3:]), file=sys.stderr)
    table = "\n".join(lines + [""] + [f"- {n}" for n in notes]) + "\n"
    print(table)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"bench_model-{stamp}.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
