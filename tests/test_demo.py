"""The demo company's ERP exports through the real reader and ingest, checked against the generator's facts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines import store
from pipelines.demo import DEMO_UPLOADS, NEXT_CYCLE_UPLOADS, SAMPLE_DIR, build_demo

EXPECTED = json.loads((SAMPLE_DIR / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = build_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb", next_cycle=True)
    con = store.connect(path)
    yield con
    con.close()


def one(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()[0][0]


def version_of(con, file_name: str) -> int:
    return one(con, "select max(version_id) from versions where file_name = ? and kind <> 'markets'", [file_name])


def test_every_demo_file_became_versions(demo):
    files = {Path(f).name for f, *_ in DEMO_UPLOADS + NEXT_CYCLE_UPLOADS}
    stored = {r[0] for r in demo.execute("select distinct file_name from versions").fetchall()}
    assert stored == files


def test_master_data(demo):
    counts = EXPECTED["counts"]
    assert one(demo, "select count(*) from products where version_id = (select max(version_id) from versions where kind='products')") == counts["products_master"]
    assert one(demo, "select count(distinct product_group) from products") == counts["product_groups"]
    assert one(demo, "select count(*) from markets") == counts["markets_master"]
    assert one(demo, "select count(*) from alternates") == counts["alternates"]
    classes = dict(demo.execute("select market, priority_class from markets").fetchall())
    assert classes == {m: v["class"] for m, v in EXPECTED["markets"].items()}


def test_this_cycle_forecast_totals_and_noise(demo):
    fc = EXPECTED["forecast"]["KW48"]
    vid = version_of(demo, fc["file"])
    assert one(demo, "select sum(quantity) from forecast where version_id = ?", [vid]) == pytest.approx(fc["total_quantity"])
    assert one(demo, "select count(*) from forecast where version_id = ?", [vid]) == fc["nonzero_cells"]
    assert one(demo, "select count(distinct period) from forecast where version_id = ?", [vid]) == fc["periods"]
    assert one(demo, "select min(period) || ' ' || max(period) from forecast where version_id = ?", [vid]) == \
        f"{fc['first_period']} {fc['last_period']}"
    assert one(demo, "select as_of::varchar from versions where version_id = ?", [vid]) == fc["as_of"]
    # subtotal and grand-total rows are skipped, never summed in
    assert one(demo, "select skipped_rows from versions where version_id = ?", [vid]) >= fc["subtotal_rows"] + fc["totals_rows"]
    for cell in EXPECTED["forecast_kw48_text_cells"]:
        got = one(demo, "select quantity from forecast where version_id = ? and product = ? and market = ? and period = ?",
                  [vid, cell["product"], cell["market"], cell["period"]])
        assert got == pytest.approx(cell["value"]), cell
    for key, total in EXPECTED["forecast_kw48_pmc_totals_sample"].items():
        product, market = key.split("|")
        assert one(demo, "select sum(quantity) from forecast where version_id = ? and product = ? and market = ?",
                   [vid, product, market]) == pytest.approx(total), key


def test_leading_zeros_and_new_keys(demo):
    products = {r[0] for r in demo.execute("select distinct product from forecast").fetchall()}
    for with_zeros, normal in EXPECTED["leading_zero_products"].items():
        assert normal in products and with_zeros not in products
    assert EXPECTED["new_product"]["product"] in products
    assert one(demo, "select count(*) from markets where market = ?", [EXPECTED["new_market"]["market"]]) == 0


def test_actuals_summed_and_history_kept_by_merge(demo):
    act = EXPECTED["actuals"]
    first = version_of(demo, act["file"])
    assert one(demo, "select merged_rows from versions where version_id = ?", [first]) == act["merged_rows"]
    assert one(demo, "select count(*) from actuals where version_id = ?", [first]) == act["pmc_weeks"]
    assert one(demo, "select sum(quantity) from actuals where version_id = ?", [first]) == pytest.approx(act["total_quantity"])
    nxt = EXPECTED["actuals_next_cycle"]
    latest = one(demo, "select max(version_id) from versions where kind = 'actuals'")
    assert one(demo, "select sum(quantity) from actuals where version_id = ?", [latest]) == \
        pytest.approx(act["total_quantity"] + nxt["total_quantity"])


def test_capacity_from_libreoffice_file(demo):
    cap = EXPECTED["capacity"]
    vid = version_of(demo, cap["file"])
    assert one(demo, "select count(*) from capacity where version_id = ?", [vid]) == cap["rows"]
    assert one(demo, "select sum(available_hours) from capacity where version_id = ?", [vid]) == pytest.approx(cap["total_available_hours"])
    m = cap["maintenance"]
    assert demo.execute("select available_hours, max_hours from capacity where version_id = ? and line = ? and period = ?",
                        [vid, m["line"], m["period"]]).fetchall() == [(m["available_hours"], m["max_hours"])]


def test_plan(demo):
    plan = EXPECTED["plan"]
    vid = version_of(demo, plan["file"])
    assert one(demo, "select sum(planned_quantity) from plan where version_id = ?", [vid]) == pytest.approx(plan["total_planned"])
    assert one(demo, "select count(distinct period) from plan where version_id = ?", [vid]) == plan["periods"]
