"""Drill-down lever -> scenario link: the window is the run of short periods, the change is the
lever's, and the link's text builds the scenario the link names."""
from __future__ import annotations

from pipelines.model import build
from pipelines.scenario import episode, lever_link, lever_text, parse

PERIODS = ["2027-W01", "2027-W02", "2027-W03", "2027-W04", "2027-W05"]


def test_episode_is_the_run_of_short_periods_around_the_period():
    short = {"2027-W02", "2027-W03", "2027-W05"}
    assert episode(PERIODS, short, "2027-W03") == ("2027-W02", "2027-W03")
    assert episode(PERIODS, short, "2027-W05") == ("2027-W05", "2027-W05")
    assert episode(PERIODS, short, "2027-W01") == ("2027-W01", "2027-W01")   # not short: itself
    assert episode(PERIODS, set(PERIODS), "2027-W04") == ("2027-W01", "2027-W05")


def test_extra_hours_link_covers_the_episode_and_parses():
    row = {"lever": "extra_hours", "line": "BUT-1", "hours_needed": 23.04, "hours": 16.0}
    link = lever_link(row, ("2027-W50", "2027-W52"), "100899", "Discount")
    assert link == {"product": "100899", "market": "Discount", "from": "extra_hours", "line": "BUT-1",
                    "period": "2027-W50", "to": "2027-W52", "hours": "23.1"}
    scenario = parse(lever_text(link["from"], link))
    assert scenario.name == "Zusatzstunden BUT-1 KW 50/2027–KW 52/2027"  # as the drill-down says it
    (change,) = scenario.changes
    assert (change.kind, change.line, change.hours) == ("capacity", "BUT-1", 23.1)
    assert (change.from_start.isoformat(), change.to_end.isoformat()) == ("2027-12-13", "2028-01-02")


def test_line_lever_takes_the_overload_hours():
    link = lever_link({"lever": "extra_hours", "line": "L1", "overload_hours": 12.0}, ("2027-W03",) * 2)
    assert link == {"from": "extra_hours", "line": "L1", "period": "2027-W03", "to": "2027-W03",
                    "hours": "12"}
    (change,) = parse(lever_text("extra_hours", link)).changes
    assert (change.to_end - change.from_start).days == 6


def test_other_line_and_reprioritise_links_and_levers_without_a_change():
    other = lever_link({"lever": "other_line", "line": "JOG-2", "rate": 1200.0}, ("2027-W05",) * 2,
                       "100899", "Discount")
    (change,) = parse(lever_text("other_line", other)).changes
    assert (change.kind, change.product, change.line, change.rate) == ("routing", "100899", "JOG-2", 1200)
    top = lever_link({"lever": "reprioritise", "top_class": 1}, ("2027-W05",) * 2, "100899", "Discount")
    (change,) = parse(lever_text("reprioritise", top)).changes
    assert (change.kind, change.market, change.product, change.priority_class) == (
        "priority", "Discount", "100899", 1)
    assert lever_link({"lever": "prebuild", "line": "L1", "hours": 3.0}, ("2027-W05",) * 2) is None
    assert lever_link({"lever": "extra_hours", "line": "L1", "hours_needed": 0.0}, ("2027-W05",) * 2) is None
    assert lever_link({"lever": "other_line", "line": "L2", "rate": float("nan")}, ("2027-W05",) * 2,
                      "1", "M") is None


def test_extra_hours_link_closes_the_conflict_under_the_allocation(con, settings):
    """LEH (class A) and Discount (class C) are both short on L1 in W10: the link carries the 15 h
    the line needs, not the 10 h of Discount's shortfall, which would go to LEH first."""
    from tests.model.test_levers import crowded_plan
    crowded_plan(con)
    with build(con, settings=settings) as model:
        levers = model.levers("A", "Discount", "2027-W10", "en")
    row = levers[levers["lever"] == "extra_hours"].iloc[0].to_dict()
    link = lever_link(row, ("2027-W10", "2027-W10"), "A", "Discount")
    assert link["hours"] == "15"
    scenario = parse(lever_text(link["from"], link), con)
    with build(con, settings=settings, scenario=scenario) as what_if:
        gaps = what_if.gaps().set_index(["product", "market", "period"])
    assert gaps.loc[("A", "Discount", "2027-W10"), "shortfall"] == 0
    assert gaps.loc[("A", "LEH", "2027-W10"), "shortfall"] == 0
