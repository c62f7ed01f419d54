"""Given/expect tests of the staging models: version selection, keys and the common grain."""
from __future__ import annotations

from datetime import date

from pipelines.model import build
from tests.model.conftest import add_version


def rows(model, sql):
    return [tuple(r) for r in model.cursor.execute(sql).fetchall()]


def test_stg_forecast_reads_only_the_selected_version(con, settings):
    old = add_version(con, "forecast", [dict(product="1", market="LEH", period="2027-W10", quantity=5)])
    add_version(con, "forecast", [dict(product="1", market="LEH", period="2027-W10", quantity=7)])
    latest = build(con, settings=settings)
    chosen = build(con, versions={"forecast": old}, settings=settings)
    assert rows(latest, "select product, market, period, demand from stg_forecast") == [
        ("1", "LEH", "2027-W10", 7.0)]
    assert rows(chosen, "select product, market, period, demand from stg_forecast") == [
        ("1", "LEH", "2027-W10", 5.0)]


def test_stg_forecast_sums_weeks_to_months_by_thursday(con, settings):
    # 2027-W13 starts Monday 29 March, its Thursday is 1 April: it belongs to April
    add_version(con, "forecast", [
        dict(product="1", market="LEH", period="2027-W12", quantity=1),
        dict(product="1", market="LEH", period="2027-W13", quantity=10),
        dict(product="1", market="LEH", period="2027-W14", quantity=100),
    ])
    model = build(con, grain="month", settings=settings)
    assert rows(model, "select period, period_start, demand from stg_forecast order by period") == [
        ("2027-03", date(2027, 3, 1), 1.0), ("2027-04", date(2027, 4, 1), 110.0)]


def test_stg_capacity_month_keeps_max_hours_where_any_week_has_them(con, settings):
    add_version(con, "capacity", [
        dict(line="L1", period="2027-W09", available_hours=10, max_hours=15),
        dict(line="L1", period="2027-W10", available_hours=10),
        dict(line="L2", period="2027-W10", available_hours=8),
    ])
    model = build(con, grain="month", settings=settings)
    assert rows(model, "select line, period, available_hours, max_hours from stg_capacity "
                       "order by line") == [("L1", "2027-03", 20.0, 25.0), ("L2", "2027-03", 8.0, None)]


def test_stg_products_routed_needs_line_and_positive_rate(con, settings):
    add_version(con, "products", [
        dict(product="1", line="L1", rate=10), dict(product="2", line="L1", rate=0),
        dict(product="3", line=None, rate=5),
    ])
    model = build(con, settings=settings)
    assert rows(model, "select product, routed from stg_products order by product") == [
        ("1", True), ("2", False), ("3", False)]


def test_stg_markets_alternates_plan(con, settings):
    add_version(con, "markets", [dict(market="LEH", priority_class=1, name="Handel")])
    add_version(con, "alternates", [dict(product="1", line="L2", rate=4),
                                    dict(product="1", line="L3", rate=0)])
    add_version(con, "plan", [dict(product="1", period="2027-W10", planned_quantity=5, line="L2"),
                              dict(product="1", period="2027-W11", planned_quantity=6)])
    model = build(con, settings=settings)
    assert rows(model, "select * from stg_markets") == [("LEH", 1, "Handel")]
    assert rows(model, "select * from stg_alternates") == [("1", "L2", 4.0)]
    assert rows(model, "select product, line, period, planned_quantity from stg_plan "
                       "order by period") == [("1", "L2", "2027-W10", 5.0), ("1", None, "2027-W11", 6.0)]


def _staged(con, grain, selection=None):
    from pipelines.model.runner import stage_versions
    cur = con.cursor()
    stage_versions(cur, grain, ("stg_units", "stg_products", "stg_forecast_versions",
                                "stg_capacity_versions", "stg_actuals"), selection)
    return cur


def test_stg_forecast_versions_keeps_every_version_and_folds_markets(con):
    old = add_version(con, "forecast", [dict(product="1", market="LEH", period="2027-W12", quantity=1),
                                        dict(product="1", market="leh", period="2027-W11", quantity=2),
                                        dict(product="1", market="LEH", period="2027-W13", quantity=2)])
    new = add_version(con, "forecast", [dict(product="1", market="LEH", period="2027-W13", quantity=5)])
    cur = _staged(con, "month")
    assert cur.execute("select version_id, product, market, period, quantity from stg_forecast_versions "
                       "order by version_id, period").fetchall() == [
        (old, "1", "LEH", "2027-03", 3.0), (old, "1", "LEH", "2027-04", 2.0),
        (new, "1", "LEH", "2027-04", 5.0)]


def test_stg_capacity_versions_sums_lines_in_any_case(con):
    vid = add_version(con, "capacity", [dict(line="L1", period="2027-W10", available_hours=10),
                                        dict(line="l1", period="2027-W11", available_hours=5,
                                             max_hours=8)])
    cur = _staged(con, "month")
    assert cur.execute("select version_id, line, period, available_hours, max_hours "
                       "from stg_capacity_versions").fetchall() == [(vid, "L1", "2027-03", 15.0, 8.0)]


def test_stg_actuals_reads_the_selected_version_at_the_grain(con):
    old = add_version(con, "actuals", [dict(product="1", market="LEH", period="2027-W10", quantity=3)])
    add_version(con, "actuals", [dict(product="1", market="LEH", period="2027-W10", quantity=4),
                                 dict(product="1", market="leh", period="2027-W11", quantity=6)])
    cur = _staged(con, "week", {"actuals": old})
    assert cur.execute("select product, market, period, actual from stg_actuals").fetchall() == [
        ("1", "LEH", "2027-W10", 3.0)]
    latest = _staged(con, "month", {"actuals": old + 1})
    assert latest.execute("select product, market, period, period_start, actual from stg_actuals"
                          ).fetchall() == [("1", "LEH", "2027-03", date(2027, 3, 1), 10.0)]
