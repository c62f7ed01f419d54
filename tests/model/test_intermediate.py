"""Given/expect tests of the intermediate models int_demand and int_class_hours, row for row."""
from __future__ import annotations

from datetime import date

from pipelines.model import build
from tests.model.conftest import add_version

W = "2027-W10"


def rows(model, sql):
    return [tuple(r) for r in model.cursor.execute(sql).fetchall()]


def test_int_demand_routes_classes_and_flags(con, settings):
    add_version(con, "products", [dict(product="A", line="L1", rate=4),
                                  dict(product="Z", line="L1", rate=0)])
    add_version(con, "markets", [dict(market="LEH", priority_class=1)])
    add_version(con, "forecast", [
        dict(product="A", market="LEH", period=W, quantity=10),
        dict(product="A", market="Neu", period=W, quantity=2),
        dict(product="A", market="LEH", period="2027-W11", quantity=0),
        dict(product="Z", market="LEH", period=W, quantity=3),
        dict(product="X", market="LEH", period=W, quantity=1)])
    model = build(con, settings=settings)
    assert rows(model, "select * exclude (unit, convertible, unit_problem, kg_per_unit) "
                       "from int_demand order by product, market") == [
        ("A", "LEH", W, date(2027, 3, 8), "L1", 4.0, 1, 10.0, 2.5, False, False),
        ("A", "Neu", W, date(2027, 3, 8), "L1", 4.0, 2, 2.0, 0.5, False, True),
        ("X", "LEH", W, date(2027, 3, 8), None, None, 1, 1.0, None, True, False),
        ("Z", "LEH", W, date(2027, 3, 8), None, None, 1, 3.0, None, False, False)]
    # the forecast's unit columns ride along (mart_gaps reads them from here)
    assert rows(model, "select product, unit, convertible, unit_problem, kg_per_unit from int_demand "
                       "order by product, market") == [
        ("A", "Stk", True, None, None), ("A", "Stk", True, None, None),
        ("X", "Stk", True, None, None), ("Z", "Stk", True, None, None)]


def test_int_class_hours_cumulates_by_class(con, settings):
    add_version(con, "products", [dict(product="A", line="L1", rate=1)])
    add_version(con, "markets", [dict(market="M1", priority_class=1), dict(market="M3", priority_class=3)])
    add_version(con, "capacity", [dict(line="L1", period=W, available_hours=12)])
    add_version(con, "forecast", [
        dict(product="A", market="M1", period=W, quantity=5),
        dict(product="A", market="M2", period=W, quantity=4),   # class B by default
        dict(product="A", market="M3", period=W, quantity=6),
        dict(product="A", market="M1", period="2027-W11", quantity=1)])
    model = build(con, settings=settings)
    assert rows(model, "select line, period, priority_class, required_hours, required_before, "
                       "available_hours, no_capacity, share from int_class_hours "
                       "order by period, priority_class") == [
        ("L1", W, 1, 5.0, 0.0, 12.0, False, 1.0),
        ("L1", W, 2, 4.0, 5.0, 12.0, False, 1.0),
        ("L1", W, 3, 6.0, 9.0, 12.0, False, 0.5),
        ("L1", "2027-W11", 1, 1.0, 0.0, None, True, 0.0)]
