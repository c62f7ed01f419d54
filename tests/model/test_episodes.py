"""Given/expect tests of mart_conflict_episodes: the consecutive short periods of a PMC or line."""
from __future__ import annotations

from pipelines.model import build
from tests.model.conftest import add_version

WEEKS = [f"2027-W{w}" for w in range(10, 17)]


def company(con):
    add_version(con, "products", [dict(product="A", line="L1", rate=10),
                                  dict(product="B", line="L2", rate=10)])
    add_version(con, "markets", [dict(market="LEH", priority_class=1)])
    hours = {"2027-W10": 5, "2027-W11": 5, "2027-W12": 20, "2027-W13": 5, "2027-W14": 5,
             "2027-W15": 5, "2027-W16": 20}
    add_version(con, "capacity", [dict(line="L1", period=w, available_hours=h) for w, h in hours.items()]
                + [dict(line="L2", period=w, available_hours=1) for w in WEEKS])
    # A needs 10 h a week on L1: short in W10-W11 and W13-W15; B has no demand in W11
    add_version(con, "forecast", [dict(product="A", market="LEH", period=w, quantity=100) for w in WEEKS]
                + [dict(product="B", market="LEH", period=w, quantity=20)
                   for w in ("2027-W10", "2027-W12")])


def test_episodes_are_runs_of_consecutive_short_periods(con, settings):
    company(con)
    model = build(con, settings=settings)
    got = {(r.scope, r.product if r.scope == "pmc" else r.line, r.period): (r.episode, r.first_period, r.last_period,
                                                      r.periods, r.episode_shortfall)
           for r in model.episodes().itertuples()}
    first = (1, "2027-W10", "2027-W11", 2, 100.0)
    second = (2, "2027-W13", "2027-W15", 3, 150.0)
    assert {k: v for k, v in got.items() if k[:2] == ("pmc", "A")} == {
        ("pmc", "A", "2027-W10"): first, ("pmc", "A", "2027-W11"): first,
        ("pmc", "A", "2027-W13"): second, ("pmc", "A", "2027-W14"): second,
        ("pmc", "A", "2027-W15"): second}
    # B is short in W10 and W12, but has no demand in W11: two episodes of one period each
    assert {k: v[:4] for k, v in got.items() if k[:2] == ("pmc", "B")} == {
        ("pmc", "B", "2027-W10"): (1, "2027-W10", "2027-W10", 1),
        ("pmc", "B", "2027-W12"): (2, "2027-W12", "2027-W12", 1)}
    line = {k[2]: v[:4] for k, v in got.items() if k[:2] == ("line", "L1")}
    assert line == {"2027-W10": (1, "2027-W10", "2027-W11", 2), "2027-W11": (1, "2027-W10", "2027-W11", 2),
                    "2027-W13": (2, "2027-W13", "2027-W15", 3), "2027-W14": (2, "2027-W13", "2027-W15", 3),
                    "2027-W15": (2, "2027-W13", "2027-W15", 3)}
    episode = model.episodes().query("scope == 'line' and line == 'L1'")
    assert episode["episode_overload_hours"].max() == 15.0  # 3 weeks x 5 h left unserved


def test_episode_around_a_period(con, settings):
    company(con)
    model = build(con, settings=settings)
    assert model.episode("2027-W14", product="A", market="LEH") == ["2027-W13", "2027-W14", "2027-W15"]
    assert model.episode("2027-W10", product="A", market="LEH") == ["2027-W10", "2027-W11"]
    # a period without shortfall is its own (one-period) scope
    assert model.episode("2027-W12", product="A", market="LEH") == ["2027-W12"]
    assert model.episode("2027-W11", line="L1") == ["2027-W10", "2027-W11"]
    assert model.episode("2027-W16", line="L1") == ["2027-W16"]
