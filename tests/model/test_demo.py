"""End to end: the demo company's files through ingest, then the gap model, against expected.json.

expected.json is computed by data/sample/generate.py from the numbers, not from the files.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines import store
from pipelines.model import build
from pipelines.settings import load_settings

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from pipelines.demo import build_demo
    path = build_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb", settings=load_settings(env={}))
    con = store.connect(path)
    model = build(con, settings=load_settings(env={}))
    yield model, json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))
    model.close()
    con.close()


def test_demo_utilisation_and_required_hours(demo):
    model, expected = demo
    load = model.load().set_index(["line", "period"])
    for line, weeks in expected["required_hours_kw48"].items():
        for period, hours in weeks.items():
            assert load.loc[(line, period), "required_hours"] == pytest.approx(hours, abs=1e-4)
            assert load.loc[(line, period), "utilization"] == pytest.approx(
                expected["utilisation_kw48"][line][period], abs=1e-4)
    overloaded = sorted((r.line, r.period) for r in load.reset_index().itertuples() if r.utilization > 1)
    assert overloaded == sorted((o["line"], o["period"]) for o in expected["overloaded_kw48"])


def test_demo_conflicts_allocated_by_class(demo):
    model, expected = demo
    gaps = model.gaps().set_index(["product", "market", "period"])
    for conflict in expected["conflicts_kw48"]:
        rows = gaps.xs(conflict["period"], level="period")
        on_line = rows[rows["line"] == conflict["line"]]
        assert on_line["shortfall"].sum() == pytest.approx(conflict["shortfall_units"], abs=1e-3)
        for pmc in conflict["pmcs"]:
            row = on_line.loc[(pmc["product"], pmc["market"])]
            assert row["priority_class"] == pmc["class"]
            assert row["demand"] == pytest.approx(pmc["demand"])
            assert row["supplied"] == pytest.approx(pmc["supplied"], abs=1e-3)
            assert row["shortfall"] == pytest.approx(pmc["shortfall"], abs=1e-3)
            assert row["served_hours"] == pytest.approx(pmc["served_hours"], abs=1e-4)


def test_demo_new_product_and_new_market(demo):
    model, expected = demo
    gaps = model.gaps()
    new = gaps[gaps["product"] == expected["new_product"]["product"]]
    assert set(new["reason"]) == {"no_routing"} and new["is_new_product"].all()
    assert new["shortfall"].sum() == pytest.approx(expected["new_product"]["unrouted_demand_kw48"])
    market = gaps[gaps["market"] == expected["new_market"]["market"]]
    assert set(market["priority_class"]) == {expected["new_market"]["default_class"]}
    assert market["is_new_market"].all()


def test_demo_explains_a_conflict_in_both_languages(demo):
    model, expected = demo
    conflict = expected["conflicts_kw48"][0]
    pmc = next(p for p in conflict["pmcs"] if p["shortfall"] > 0)
    for lang in ("de", "en"):
        text = model.explain(pmc["product"], pmc["market"], conflict["period"], lang)
        assert conflict["line"] in text and pmc["market"] in text
    levers = model.levers(pmc["product"], pmc["market"], conflict["period"], "en")
    assert {"prebuild", "extra_hours", "other_line", "reprioritise"} <= set(levers["lever"])
