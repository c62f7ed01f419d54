"""Server-side steps of the large plan (issue 13), one tree at a time: the model build, agenda
step 3's figures (first time and again), the gap figures of three agreement items, the pack on the
warm model and its files. Compare two trees by running it with each on PYTHONPATH, one after the
other, on the same database (e.g. the one `bench_dashboard.py --keep DIR` generates):

    PYTHONPATH=/path/to/main python benchmarks/bench_server.py DIR/large.duckdb
    PYTHONPATH=$PWD          python benchmarks/bench_server.py DIR/large.duckdb
"""
import time, sys, json
import pipelines
from pipelines import model as gm, store, meeting as mt, pack as pk
db = sys.argv[1]
out = {"tree": pipelines.__file__}
def tm(name, f):
    t = time.perf_counter(); r = f(); out[name] = round(time.perf_counter() - t, 2); print(name, out[name], flush=True); return r
m = tm("build_from_file", lambda: gm.build_from_file(db))
tm("step3 fill+classes", lambda: (m.fill_rates("market"), m.market_classes()))
tm("step3 fill again", lambda: (m.fill_rates("market"), m.market_classes()))
con = store.connect(db, read_only=True)
top = m.conflicts(3)
items = [{"scope": "pmc", "product": r.product, "market": r.market, "line": None, "period": r.period} for r in top.itertuples()]
tm("agreement gap figures", lambda: mt._gap_figures(m, items))
p = tm("build_pack (dashboard model)", lambda: pk.build_pack(con, None, model=m))
tm("pack files", lambda: pk.build_files(p))
print(json.dumps(out), flush=True)
