"""Given/expect: the strategy's priority classes override the markets master in the allocation."""
from __future__ import annotations

from pipelines import model
from pipelines.store import strategy as st
from tests.model.conftest import add_version


def plan(con):
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 10.0},
                                  {"product": "P2", "line": "L1", "rate": 10.0}])
    add_version(con, "markets", [{"market": "LEH", "priority_class": 1},
                                 {"market": "Export", "priority_class": 3}])
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 15}])
    add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 100},
        {"product": "P1", "market": "Export", "period": "2027-W01", "quantity": 100},
        {"product": "P2", "market": "Export", "period": "2027-W01", "quantity": 50}])


def supplied(con, **kwargs) -> dict:
    frame = model.build(con, **kwargs).gaps()
    return {(r.product, r.market): (r.priority_class, r.supplied) for r in frame.itertuples()}


def test_master_classes_without_strategy(con):
    plan(con)
    assert supplied(con) == {("P1", "LEH"): (1, 100.0), ("P1", "Export"): (3, round(100 * 50 / 150, 6)),
                             ("P2", "Export"): (3, round(50 * 50 / 150, 6))}


def test_market_override_then_pmc_override(con):
    plan(con)
    st.set_priority(con, "export", "A")  # case-insensitive: the whole market becomes class A
    assert supplied(con) == {("P1", "LEH"): (1, 60.0), ("P1", "Export"): (1, 60.0),
                             ("P2", "Export"): (1, 30.0)}
    st.set_priority(con, "Export", "C", product="P2")  # one PMC back to C: it gets nothing
    assert supplied(con) == {("P1", "LEH"): (1, 75.0), ("P1", "Export"): (1, 75.0),
                             ("P2", "Export"): (3, 0.0)}
    # an explicit strategy=None uses the master data only
    assert supplied(con, strategy=None)[("P1", "LEH")] == (1, 100.0)


def test_a_new_article_is_named_from_the_forecast_file(con):
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 10.0, "name": "Butter 250 g"}])
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 15}])
    add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 10, "name": "Butter (Datei)"},
        {"product": "P9", "market": "LEH", "period": "2027-W01", "quantity": 5, "name": "Skyr (NEU)"}])
    names = dict(model.build(con).gaps()[["product", "product_name"]].itertuples(index=False))
    assert names == {"P1": "Butter 250 g", "P9": "Skyr (NEU)"}  # the master wins where it knows
