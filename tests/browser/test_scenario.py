"""What-if in a real browser: a change from the widgets, its KPIs beside the base, saved by name."""
from __future__ import annotations

import time

import pytest

from harness import serve, shot, wait_charts, wait_idle
from tests.dashboard.dash_seed import build_tiny

pytestmark = pytest.mark.browser


@pytest.fixture
def tiny_url(tmp_path):
    db = build_tiny(tmp_path / "tiny.duckdb")
    with serve(db) as url:
        yield url


def test_build_a_scenario_and_see_its_kpis(page, tiny_url):
    url = tiny_url
    page.goto(url + "/scenario")
    wait_idle(page)
    page.get_by_role("heading", name="Was-wäre-wenn").wait_for(timeout=20_000)
    tiles = page.locator('[data-testid="stMetric"]')
    conflicts_before = tiles.filter(has_text="Offene Konflikte").locator(
        '[data-testid="stMetricValue"]').inner_text()
    page.get_by_label("von (z. B. 2027-W05)").first.fill("2027-W03")
    page.get_by_label("bis").first.fill("2027-W03")
    hours = page.get_by_label("Stunden je Periode (+/-)")
    hours.fill("40")
    hours.press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="Hinzufügen").first.click()
    wait_idle(page)
    page.get_by_text('line = "L1"').first.wait_for(state="attached", timeout=20_000)
    # the L1 overload of 2027-W03 is closed: the tile shows the change against the base
    overloaded = tiles.filter(has_text="Überlastete Linienwochen")
    overloaded.locator('[data-testid="stMetricDelta"]').wait_for(timeout=20_000)
    conflicts = tiles.filter(has_text="Offene Konflikte").locator('[data-testid="stMetricValue"]')
    deadline = time.monotonic() + 20
    while conflicts.inner_text() == conflicts_before and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # the rerun after "Hinzufügen" may not have started yet
    conflicts_after = conflicts.inner_text()
    assert int(conflicts_after) < int(conflicts_before)
    wait_charts(page, 3)
    shot(page, "scenario_built")
    page.get_by_role("button", name="Szenario speichern").click()
    page.get_by_text("gespeichert").first.wait_for(timeout=20_000)
    # saved: it opens by its link (the server holds the store file, so the page is the witness)
    page.goto(url + "/scenario?scenario=Neues+Szenario")
    wait_idle(page)
    page.get_by_text("Szenario: Neues Szenario").first.wait_for(timeout=20_000)
