"""Property test: on random small plans the SQL model equals a plain-Python reading of spec section 5."""
from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from pipelines import store
from pipelines.model import build
from pipelines.settings import load_settings
from tests.model.conftest import add_version

PERIODS = ("2027-W09", "2027-W10")
LINES = ("L1", "L2")
MARKETS = ("M1", "M2", "M3", "M4")   # M4 is never in the markets master: class B
PRODUCTS = ("P1", "P2", "P3", "P4")


def reference(forecast, products, markets, capacity):
    """Spec section 5, written out plainly: {(p, m, t): (demand, supplied, reason)}."""
    demand = {k: q for k, q in forecast.items() if q > 0}
    routed = {p: (l, r) for p, (l, r) in products.items() if l is not None and r is not None and r > 0}
    need = defaultdict(float)                         # (line, period, class) -> required hours
    for (p, m, t), q in demand.items():
        if p in routed:
            line, rate = routed[p]
            need[(line, t, markets.get(m, 2))] += q / rate
    result = {}
    for (p, m, t), q in demand.items():
        if p not in routed:
            result[(p, m, t)] = (q, 0.0, "no_routing")
            continue
        line, rate = routed[p]
        hours = capacity.get((line, t))
        if not hours:
            result[(p, m, t)] = (q, 0.0, "no_capacity")
            continue
        cls = markets.get(m, 2)
        before = sum(h for (l, tt, c), h in need.items() if l == line and tt == t and c < cls)
        mine = need[(line, t, cls)]
        if before + mine <= hours:
            share = 1.0
        elif before >= hours:
            share = 0.0
        else:
            share = (hours - before) / mine
        result[(p, m, t)] = (q, q * share, "capacity" if share < 1 else None)
    return result


plans = st.fixed_dictionaries({
    "forecast": st.dictionaries(
        st.tuples(st.sampled_from(PRODUCTS), st.sampled_from(MARKETS), st.sampled_from(PERIODS)),
        st.integers(0, 60).map(float), max_size=20),
    "products": st.dictionaries(
        st.sampled_from(PRODUCTS[:3]),  # P4 is never in the products master: unrouted
        st.tuples(st.sampled_from(LINES + (None,)), st.sampled_from((None, 0.0, 1.0, 2.0, 4.0, 5.0))),
        max_size=3),
    "markets": st.dictionaries(st.sampled_from(MARKETS[:3]), st.integers(1, 3), max_size=3),
    "capacity": st.dictionaries(
        st.tuples(st.sampled_from(LINES), st.sampled_from(PERIODS)),
        st.one_of(st.just(0.0), st.integers(1, 40).map(float), st.floats(0.5, 40.0)), max_size=4),
})


@hyp_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans)
def test_sql_equals_plain_python_and_conserves(plan):
    con = duckdb.connect()
    store.migrate(con)
    add_version(con, "products", [dict(product=p, line=l, rate=r) for p, (l, r) in plan["products"].items()])
    add_version(con, "markets", [dict(market=m, priority_class=c) for m, c in plan["markets"].items()])
    add_version(con, "capacity", [dict(line=l, period=t, available_hours=h)
                                  for (l, t), h in plan["capacity"].items()])
    add_version(con, "forecast", [dict(product=p, market=m, period=t, quantity=q)
                                  for (p, m, t), q in plan["forecast"].items()])
    model = build(con, settings=load_settings(env={}))
    gaps = model.gaps()
    expected = reference(plan["forecast"], plan["products"], plan["markets"], plan["capacity"])
    got = {(r.product, r.market, r.period): r for r in gaps.itertuples()}
    assert set(got) == set(expected)
    for key, (demand, supplied, reason) in expected.items():
        row = got[key]
        assert row.demand == demand
        assert row.supplied == pytest.approx(supplied, rel=1e-6, abs=1e-6)
        # supplied + shortfall = demand, and shortfall is never negative
        assert row.supplied + row.shortfall == pytest.approx(demand, abs=1e-6)
        assert row.shortfall >= 0
        if abs(supplied - demand) > 1e-6 or reason in ("no_routing", "no_capacity"):
            assert row.reason == reason
    for r in model.load().itertuples():
        available = 0.0 if r.available_hours != r.available_hours else r.available_hours
        assert r.served_hours <= available + 1e-6
        assert r.served_hours <= r.required_hours + 1e-6
    con.close()
