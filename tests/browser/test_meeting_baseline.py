"""Issue 10 in a real browser: the baseline ("compared with") is the same for every session after
a third session uploads, and an agreement recorded from the overview in three clicks shows on the
heatmap, in the agenda and in the pack. Screenshots in tests/artifacts/."""
from __future__ import annotations

import datetime as dt

import pytest

from harness import REPO, serve, shot, wait_charts, wait_idle

pytestmark = pytest.mark.browser
NEXT_CYCLE = REPO / "data" / "sample" / "next_cycle"
# data/sample/README.md: Markenbutter for the Handelsmarke in KW 52, which pre-building closes
HELD = ["100301", "Handelsmarke", "2026-W52"]
HEATMAP_CELL = """keys => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const marks = gd._fullData[1], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const i = Array.from(marks.customdata).findIndex(c => c[1] === keys[0] && c[2] === keys[1] && c[3] === keys[2]);
  return {x: box.left + xa._offset + xa.l2p(xa.d2l(marks.x[i])),
          // a bar spans its row ± 0.5 (base = row - 0.5, y = its height 1): the row is base + 0.5
          y: box.top + ya._offset + ya.l2p(ya.d2l(marks.base[i] + 0.5)), keys: marks.customdata[i]};
}"""
MARKED_CELLS = """() => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const marks = gd._fullData[1];
  return Array.from(marks.text || []).map((t, i) => [t, marks.customdata[i]]).filter(p => p[0]);
}"""


def cell_on_screen(page, keys: list[str]) -> dict:
    """The heatmap cell of `keys` (product, market, period), scrolled into the viewport first: the
    mouse clicks at viewport coordinates, and a PMC ranked further down sits below the first screen."""
    cell = page.evaluate(HEATMAP_CELL, keys)
    height = page.viewport_size["height"]
    if not 40 < cell["y"] < height - 40:
        page.evaluate("dy => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                      " if (m) m.scrollBy(0, dy); window.scrollBy(0, dy); }", cell["y"] - height / 2)
        page.wait_for_timeout(300)
        cell = page.evaluate(HEATMAP_CELL, keys)
    return cell


def sidebar_text(page) -> str:
    """The sidebar's text with the pickers' values (a select shows its value in an input)."""
    return page.evaluate("""() => { const s = document.querySelector('[data-testid="stSidebar"]');
        return s.textContent + ' ' + Array.from(s.querySelectorAll('input')).map(i => i.value).join(' '); }""")


def kpi_texts(page) -> list[str]:
    return [m.inner_text() for m in page.locator('[data-testid="stMetric"]').all()]


def open_overview(page, url: str) -> None:
    page.goto(url + "/")
    wait_idle(page, 300_000)  # the first visit builds the models (slow on a shared machine)
    wait_charts(page, timeout=120_000)


@pytest.fixture
def baseline_db(tmp_path):
    """The demo company with the 26.11.2026 meeting held on its current plan."""
    from pipelines import meeting as mt
    from pipelines import store
    from pipelines.demo import build_demo
    db = build_demo(tmp_path / "demo.duckdb")
    con = store.connect(db)
    try:
        mt.create_meeting(con, "2026-11-26", cycle="KW 48")
    finally:
        con.close()
    return db


def test_two_sessions_see_the_same_baseline_after_a_third_uploads(browser, baseline_db):
    with serve(baseline_db) as url:
        contexts = [browser.new_context(viewport={"width": 1600, "height": 1000}, locale="de-DE")
                    for _ in range(3)]
        try:
            anna, bernd, clara = (c.new_page() for c in contexts)
            for page in (anna, bernd):
                open_overview(page, url)
                # the meeting was held on the current plan: the comparison is the previous upload
                page.get_by_text("Verglichen mit: vorheriger Upload").wait_for(timeout=120_000)
            before = kpi_texts(anna)
            assert before == kpi_texts(bernd)

            # Clara uploads the next cycle's forecast in her own session
            clara.goto(url + "/upload")
            wait_idle(clara, 300_000)
            clara.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                str(NEXT_CYCLE / "Absatzplanung_KW52_2026.xlsx"))
            clara.get_by_text("noch nichts gespeichert").wait_for(timeout=180_000)
            wait_idle(clara)
            clara.get_by_role("button", name="Übernehmen").click()
            clara.get_by_text("Absatzplanung_KW52_2026.xlsx übernommen").wait_for(timeout=180_000)
            wait_idle(clara)

            # Anna's session stays open and only reruns (a click), Bernd opens the page anew:
            # both now compare with the plan of the 26.11. meeting, and see the same changes
            anna.get_by_role("link", name="Kapazität").first.click()
            wait_idle(anna, 300_000)
            anna.get_by_role("link", name="Überblick").first.click()
            wait_idle(anna, 300_000)
            wait_charts(anna, timeout=120_000)
            open_overview(bernd, url)
            for page in (anna, bernd):
                page.get_by_text("Verglichen mit: Stand Meeting 26.11.2026").wait_for(timeout=120_000)
                assert "Stand Meeting 26.11.2026 (Standard für alle)" in sidebar_text(page)
            after = kpi_texts(anna)
            assert after == kpi_texts(bernd)
            assert after != before, "the new forecast moved the figures against the meeting's plan"
            shot(anna, "b01_baseline_after_upload", whole=False)
        finally:
            for c in contexts:
                c.close()


def test_an_agreement_from_the_overview_shows_on_heatmap_agenda_and_pack(page, tmp_path):
    import openpyxl
    from pipelines.demo import build_demo
    db = build_demo(tmp_path / "demo.duckdb")
    with serve(db) as url:
        open_overview(page, url)
        assert page.evaluate(MARKED_CELLS) == []
        cell = cell_on_screen(page, HELD)
        _tag, product, market, period = cell["keys"][:4]
        # click 1: the heatmap cell opens its drill-down
        wait_idle(page)  # the heatmap takes clicks once the overview's run has finished
        page.mouse.move(cell["x"], cell["y"])
        page.mouse.click(cell["x"], cell["y"])
        page.get_by_role("heading", name="Vereinbarung erfassen").wait_for(timeout=60_000)
        wait_idle(page)
        # the lever and the periods (the conflict episode) come preset, the meeting is this week's
        form = page.locator('[data-testid="stForm"]')
        shown = form.evaluate("el => el.textContent + ' ' + "
                              "Array.from(el.querySelectorAll('input')).map(i => i.value).join(' ')")
        assert "Meeting dieser Woche" in shown and "Vorbelegt: die ganze Konfliktphase" in shown
        page.get_by_role("textbox", name="Was wurde vereinbart?").fill("Samstagsschicht fahren")
        # click 2: save
        page.get_by_role("button", name="Vereinbarung speichern").click()
        try:
            page.get_by_text("gespeichert (Fehlmenge damals").wait_for(timeout=90_000)
        finally:
            shot(page, "b02_agreement_saved")
        wait_idle(page)
        page.get_by_text("Samstagsschicht fahren").first.wait_for(timeout=20_000)  # on the drill-down
        assert "◆ offen" in page.locator('[data-testid="stMain"]').inner_text()

        # the heatmap: the covered cells carry the open mark
        open_overview(page, url)
        marked = page.evaluate(MARKED_CELLS)
        assert marked and all(text == "◆" for text, _ in marked)
        assert [product, market, period] in [keys[1:4] for _, keys in marked]
        assert page.locator('[data-testid="stPlotlyChart"] .bartext, [data-testid="stPlotlyChart"] .textpoint').filter(has_text="◆").count() >= 1
        assert "#1 ◆ offen" in page.locator('[data-testid="stMain"]').inner_text()  # top conflicts
        shot(page, "b03_heatmap_marks", whole=False)

        # the agenda: the meeting the agreement opened lists it (step 5) and marks it (step 4)
        page.goto(url + "/meeting?step=5")
        wait_idle(page, 180_000)  # the meeting page builds the pack as it opens
        week = dt.date.today().isocalendar()[1]
        page.get_by_role("heading", name="S&OP-Meeting").filter(has_text=f"KW {week}").wait_for(timeout=30_000)
        page.get_by_role("gridcell", name="Samstagsschicht fahren", exact=True,
                         include_hidden=True).first.wait_for(state="attached", timeout=20_000)
        shot(page, "b04_agenda_decisions", whole=False)

        # the pack: the agreement and its mark in the workbook
        page.get_by_role("button", name="Meeting-Unterlagen").click()
        with page.expect_download(timeout=60_000) as excel:
            page.get_by_role("button", name="Excel herunterladen").click()
        path = tmp_path / excel.value.suggested_filename
        excel.value.save_as(path)
        workbook = openpyxl.load_workbook(path, read_only=True)
        cells = {name: [str(v) for row in workbook[name].iter_rows(values_only=True) for v in row
                        if v is not None] for name in ("Vereinbarungen", "Konflikte")}
        assert "Samstagsschicht fahren" in cells["Vereinbarungen"]
        assert "#1 ◆ offen" in cells["Konflikte"]
