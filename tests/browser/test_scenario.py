"""What-if in a real browser: a change from the widgets, its KPIs beside the base, saved by name."""
from __future__ import annotations

import time

import pytest

from harness import serve, shot, wait_charts, wait_idle
from tests.dashboard.dash_seed import build_tiny

pytestmark = pytest.mark.browser
SLOW = 120_000  # ms: the machine is shared; a first run builds the model and loads plotly


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
        '[data-testid="stMetricValue"]').first.inner_text()
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
    # .first: while a rerun replaces the tiles, the old one is still on the page beside the new one
    conflicts = tiles.filter(has_text="Offene Konflikte").locator('[data-testid="stMetricValue"]').first
    deadline = time.monotonic() + 20
    while conflicts.inner_text() == conflicts_before and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # the rerun after "Hinzufügen" may not have started yet
    conflicts_after = conflicts.inner_text()
    assert int(conflicts_after) < int(conflicts_before)
    wait_charts(page, 3)
    shot(page, "scenario_built")
    page.get_by_role("button", name="Szenario speichern").click()
    page.get_by_text("gespeichert").first.wait_for(timeout=20_000)
    # saved: it opens by the link the page shows (the server holds the store file, so the page is
    # the witness)
    page.get_by_text("Link zu diesem Szenario").wait_for(timeout=20_000)
    link = page.locator('[data-testid="stCode"]').filter(has_text="scenario=").first.inner_text().strip()
    assert link == url + "/scenario?scenario=Neues+Szenario"
    page.goto(link)
    wait_idle(page)
    page.get_by_text("Szenario: Neues Szenario").first.wait_for(timeout=20_000)


def test_scenario_from_a_conflict_and_an_agreement_naming_it(page, tmp_path):
    """Drill-down lever -> what-if page with the change prefilled -> saved -> back to the conflict,
    the agreement form has the scenario chosen -> the stored agreement names it."""
    import re

    from pipelines import store

    db = build_tiny(tmp_path / "tiny.duckdb")
    with serve(db) as url:
        # 1001 for Discount falls 2,400 units short in W03: L1 is full with class A (40 of 80 h)
        page.goto(url + "/conflict?product=1001&market=Discount&period=2027-W03")
        wait_idle(page, SLOW)
        link = page.get_by_role("link", name=re.compile(r"Was wäre, wenn\?.*\(L1\)"))
        link.first.wait_for(timeout=SLOW)
        link.first.click()
        wait_idle(page, SLOW)
        page.get_by_role("heading", name="Was-wäre-wenn").wait_for(timeout=SLOW)
        editor = page.locator("textarea[aria-label=\"Änderungen (TOML)\"]")
        deadline = time.monotonic() + SLOW / 1000
        while 'kind = "capacity"' not in editor.input_value() and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        text = editor.input_value()
        assert 'kind = "capacity"' in text and 'line = "L1"' in text and "hours = 24" in text
        assert 'from = "2027-W03"' in text and 'to = "2027-W03"' in text
        # the 24 h close Discount's shortfall: fewer open conflicts than the base
        tiles = page.locator('[data-testid="stMetric"]')
        tiles.filter(has_text="Offene Konflikte").locator('[data-testid="stMetricDelta"]').wait_for(
            timeout=SLOW)
        shot(page, "scenario_from_conflict")
        page.get_by_role("button", name="Szenario speichern").click()
        page.get_by_text("gespeichert").first.wait_for(timeout=SLOW)
        back = page.get_by_role("link", name=re.compile("Auf dieses Szenario einigen"))
        back.wait_for(timeout=SLOW)
        back.click()
        wait_idle(page, SLOW)
        page.get_by_label("Was wurde vereinbart?").first.wait_for(timeout=SLOW)
        name = "Zusatzstunden L1 KW 03/2027"
        # the scenario is preselected in the form (?ag_scenario=): the test does not choose it, the
        # stored agreement below names it
        page.get_by_label("Was wurde vereinbart?").first.fill("Wir nehmen die Zusatzschicht auf L1")
        page.get_by_role("button", name="Vereinbarung speichern").click()
        page.get_by_text(re.compile(r"Vereinbarung #\d+ gespeichert")).first.wait_for(timeout=SLOW)
        shot(page, "agreement_names_scenario")
    con = store.connect(db, read_only=True)
    try:
        rows = con.execute("select a.scenario, r.text from agreements a join agreement_revisions r "
                           "using (agreement_id)").fetchall()
        stored = con.execute("select name from scenarios").fetchall()
    finally:
        con.close()
    assert rows == [(name, "Wir nehmen die Zusatzschicht auf L1")]
    assert stored == [(name,)]
