"""Properties: a scenario without changes, or with changes of size 0, equals the base exactly;
the store file is byte-identical after any scenario is computed."""
from __future__ import annotations

import hashlib

import duckdb
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from pipelines import model as gap_model
from pipelines import store
from pipelines.model import build
from pipelines.scenario import add, get, parse
from pipelines.settings import load_settings
from tests.model.conftest import add_version
from tests.model.test_property import plans
from tests.scenario.test_overlay import base

NOTHING = [
    "",
    '[[change]]\nkind = "demand"\npercent = 0\n',
    '[[change]]\nkind = "demand"\nmarket = "M1"\nfrom = "2027-W09"\nunits = 0\n',
    '[[change]]\nkind = "capacity"\nline = "L1"\nhours = 0\n',
    '[[change]]\nkind = "capacity"\nline = "L2"\nfrom = "2027-W10"\nto = "2027-W10"\nhours = 0\n',
]


def figures(con, scenario=None):
    with build(con, settings=load_settings(env={}), scenario=scenario) as model:
        return model.gaps(), model.load(), model.kpis(), model.top_conflicts()


@hyp_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans, toml=st.sampled_from(NOTHING))
def test_empty_or_zero_changes_equal_the_base(plan, toml):
    con = duckdb.connect()
    store.migrate(con)
    add_version(con, "products", [dict(product=p, line=l, rate=r) for p, (l, r) in plan["products"].items()])
    add_version(con, "markets", [dict(market=m, priority_class=c) for m, c in plan["markets"].items()])
    add_version(con, "capacity", [dict(line=l, period=t, available_hours=h)
                                  for (l, t), h in plan["capacity"].items()])
    add_version(con, "forecast", [dict(product=p, market=m, period=t, quantity=q)
                                  for (p, m, t), q in plan["forecast"].items()])
    gaps, load, kpis, top = figures(con)
    s_gaps, s_load, s_kpis, s_top = figures(con, parse('name = "nothing"\n' + toml))
    assert s_gaps.equals(gaps) and s_load.equals(load) and s_top.equals(top)
    assert s_kpis == kpis
    con.close()


def test_store_file_byte_identical_after_scenarios(db_path):
    con = store.connect(db_path)
    base(con)
    add(con, 'name = "viel"\n[[change]]\nkind = "capacity"\nline = "L1"\nhours = 50\n'
             '[[change]]\nkind = "routing"\nproduct = "B"\nline = "L1"\nrate = 3\n'
             '[[change]]\nkind = "new_pmc"\nproduct = "A"\nmarket = "Neu"\nquantity = 9\n')
    con.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    con = store.connect(db_path)
    scenario = get(con, "viel")
    shifted = gap_model.kpis(con, scenario=scenario)
    gap_model.gaps(con, scenario=scenario)
    gap_model.load(con, scenario=scenario)
    assert shifted != gap_model.kpis(con)     # the scenario did change the figures
    con.close()
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
