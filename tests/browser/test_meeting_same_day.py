"""Two meetings held the same day, in a real browser: the agenda stays on the one chosen. The
picker matches its choice by the option's text, so two meetings that read alike ("03.12.2026 ·
KW 49") fell back to the first on every click (a tester's finding, 2026-12-03)."""
from __future__ import annotations

import pytest

from harness import serve, wait_idle
from pipelines import meeting as mt
from pipelines import store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def two_meetings_url(tmp_path_factory):
    from pipelines.demo import build_demo
    db = build_demo(tmp_path_factory.mktemp("browser-same-day") / "demo.duckdb")
    con = store.connect(db)
    try:
        first = mt.create_meeting(con, "2026-12-03", participants=["Vertrieb"], cycle="KW 49")
        second = mt.create_meeting(con, "2026-12-03", participants=["Vertrieb", "Produktion"], cycle="KW 49")
    finally:
        con.close()
    with serve(db) as url:
        yield url, first, second


def test_the_second_meeting_of_a_day_stays_chosen_through_the_agenda(page, two_meetings_url):
    url, first, second = two_meetings_url
    page.goto(f"{url}/meeting?meeting={second}&step=1")
    page.get_by_role("heading", name="S&OP-Meeting").first.wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("radio", name="2 · Vereinbarungen: gehalten?", checked=True).wait_for(timeout=30_000)
    wait_idle(page)
    assert f"meeting={second}" in page.url and "step=2" in page.url, page.url
    # the picker names the meeting chosen, told apart by its number
    assert page.get_by_role("combobox", name="Meeting", exact=True).input_value() == f"03.12.2026 · KW 49 · #{second}"
