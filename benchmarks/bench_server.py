"""Server-side steps of the large plan (issue 13), one tree at a time: the model build, agenda
step 3's figures (first time and again), the gap figures of three agreement items, the pack on the
warm model and its files, and the pack's pieces one by one on the same warm model (explanations,
levers, strategy check, accuracy, version change, files) so the time left in the pack is visible.
Compare two trees by running it with each on PYTHONPATH, one after the
other, on the same database (e.g. the one `bench_dashboard.py --keep DIR` generates):

    PYTHONPATH=/path/to/main python benchmarks/bench_server.py DIR/large.duckdb
    PYTHONPATH=$PWD          python benchmarks/bench_server.py DIR/large.duckdb
"""
import time, sys, json
import pipelines
from pipelines import model as gm, store, meeting as mt, pack as pk
from pipelines.model import accuracy as acc, compare
from pipelines.store.strategy import strategy_for_versions
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
# the pack's pieces one by one (the same calls build_pack makes), on the warm model
conf = m.conflicts(25, per_pmc=True)
keys = list(zip(conf["product"], conf["market"], conf["period"]))
m._levers.clear(); m._resolved.clear()  # build_pack left them in the model's cache: time them cold
tm("pack: levers (25)", lambda: m.levers_of(keys, "de"))
tm("pack: explanations (25, levers cached)", lambda: m.explanations(keys, "de"))
strategy = strategy_for_versions(con, m.versions)
tm("pack: strategy check", lambda: mt.judge_against_strategy(con, model=m, strategy=strategy, lang="de"))
tm("pack: kpis+load+fill", lambda: (m.kpis(), m.load(), m.fill_rates("market")))
tm("pack: accuracy", lambda: (acc.accuracy(con, "market", strategy_version_id=strategy.version_id),
                              acc.worst_offenders(con, 10, strategy_version_id=strategy.version_id),
                              acc.accuracy(con, "total", strategy_version_id=strategy.version_id),
                              acc.accuracy_series(con, strategy_version_id=strategy.version_id)))
tm("pack: version change", lambda: compare.change_and_moves(con, m.versions.get("forecast"), top=10))
print(json.dumps(out), flush=True)
