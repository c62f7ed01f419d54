"""The main flows in a real browser; each step leaves a screenshot in tests/artifacts/."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import REPO, shot, wait_charts, wait_idle

pytestmark = pytest.mark.browser
SAMPLE = REPO / "data" / "sample"
DOCS = REPO / "docs" / "screenshots"
BAD_CSV = ("Artikel;Markt;KW;Menge\n100101;LEH;KW 05/2027;1200\n"
           "100102;LEH;KW 05/2027;zwölf\n100103;Discount;KW 99/2027;-5\n")
HEATMAP_CELL = """() => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const marks = gd._fullData[1], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const i = Array.from(marks.base).indexOf(-0.5);  // a cell of the top row (bars span row ± 0.5)
  return {x: box.left + xa._offset + xa.l2p(xa.d2l(marks.x[i])),
          y: box.top + ya._offset + ya.l2p(ya.d2l(marks.base[i] + 0.5)),
          keys: marks.customdata[i], count: marks.x.length};
}"""


def for_docs(page, name: str) -> None:
    """README screenshots, refreshed with EINKLANG_UPDATE_SCREENSHOTS=1."""
    if os.environ.get("EINKLANG_UPDATE_SCREENSHOTS") == "1":
        shot(page, name, whole=False, directory=DOCS)


def gridcell(page, text: str) -> None:
    """Wait until a table (drawn on a canvas, cells in an accessible grid; or a static table, as
    the lever tables are so that their hints wrap) holds this cell."""
    page.get_by_role("gridcell", name=text, exact=True, include_hidden=True).or_(
        page.get_by_role("cell", name=text, exact=True)).first.wait_for(state="attached", timeout=15_000)


def open_app(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def test_overview_shows_the_heatmap(page, demo_url):
    open_app(page, demo_url + "/")
    wait_charts(page)
    assert page.get_by_role("heading", name="Überblick").is_visible()
    cell = page.evaluate(HEATMAP_CELL)
    assert cell["count"] > 10
    # the first view after a fresh start may still be finishing its run when the heatmap draws
    wait_idle(page)
    page.get_by_text("Lieferfähigkeit Klasse A").wait_for(timeout=30_000)
    assert page.get_by_text("Lieferfähigkeit Klasse A").is_visible()
    for_docs(page, "overview")
    shot(page, "01_overview")


def test_heatmap_click_opens_the_drill_down(page, demo_url):
    open_app(page, demo_url + "/")
    wait_charts(page)
    cell = page.evaluate(HEATMAP_CELL)
    page.mouse.move(cell["x"], cell["y"])
    page.mouse.click(cell["x"], cell["y"])
    page.get_by_role("heading", name="Hebel: was die Lücke schließt").wait_for(timeout=20_000)
    wait_idle(page)
    wait_charts(page, 2)
    _tag, product, market, _period = cell["keys"][:4]
    assert page.get_by_role("heading", level=1).first.inner_text().startswith(product)
    assert market in page.get_by_role("heading", level=1).first.inner_text()
    shot(page, "02_heatmap_click_drilldown")


# every chart's margins as plotly drew them against those the figure came with: equal when
# plotly's automargin found nothing to add, i.e. the chart was drawn once, not twice
MARGINS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const m = gd.layout.margin || {}, s = gd._fullLayout._size;
  return {given: [m.l, m.r, m.t, m.b], drawn: [s.l, s.r, s.t, s.b].map(Math.round)};
})"""


@pytest.mark.parametrize("path, width", [
    ("/", 1600), ("/?projector=true", 1600), ("/conflict?line=EIS-1&period=2027-W28", 1600),
    ("/lookback", 1600), ("/lookback", 1280), ("/?projector=true", 1280)])
def test_charts_are_drawn_in_one_pass(page, demo_url, path, width):
    """The overview's heatmap, the drill-down's and the look-back's charts come with margins that
    already hold their labels, legend and colour bar (dashboard/charts/room.py): plotly widens
    none of them, which would draw the chart a second time. At 1280 px the look-back's accuracy
    bars stand in a 387 px column, where plotly would slant the market names by itself."""
    page.set_viewport_size({"width": width, "height": 1000})
    open_app(page, demo_url + path)
    wait_charts(page)
    wait_idle(page)
    page.wait_for_timeout(300)
    charts = page.evaluate(MARGINS)
    assert charts
    for chart in charts:
        assert chart["drawn"] == chart["given"], chart


def test_top_conflict_opens_its_drill_down_with_levers(page, demo_url):
    open_app(page, demo_url + "/")
    wait_charts(page)
    page.get_by_role("link", name="Öffnen").first.click()
    page.get_by_role("heading", name="Hebel: was die Lücke schließt").wait_for(timeout=20_000)
    wait_idle(page)
    wait_charts(page, 1)
    gridcell(page, "Zusatzstunden")
    gridcell(page, "Vorproduktion")
    wait_charts(page, 3)
    for chart in page.evaluate(MARGINS):  # levers, demand and line load each drawn once
        assert chart["drawn"] == chart["given"], chart
    shot(page, "03_top_conflict_drilldown")


def test_drill_down_url_opens_directly(page, demo_url):
    open_app(page, demo_url + "/")
    wait_charts(page)
    href = page.get_by_role("link", name="Öffnen").nth(1).get_attribute("href")
    assert "product=" in href and "market=" in href and "period=" in href
    page.goto(demo_url + "/conflict?" + href.split("?", 1)[1])
    page.get_by_role("heading", name="Hebel: was die Lücke schließt").wait_for(timeout=20_000)
    wait_idle(page)
    wait_charts(page, 2)
    assert page.get_by_text("Link für das Protokoll").is_visible()
    # the whole address, port, page and query, as the meeting pastes it into the minutes
    shared = page.locator('[data-testid="stCode"]').filter(has_text="/conflict?").first.inner_text()
    assert shared.strip().startswith(demo_url + "/conflict?") and "period=" in shared
    for_docs(page, "drilldown")
    shot(page, "04_drilldown_url")


def test_line_drill_down_url(page, demo_url):
    open_app(page, demo_url + "/conflict?line=EIS-1&period=2027-W28")
    page.get_by_role("heading", name="Linie EIS-1 · KW 28/2027").wait_for(timeout=20_000)
    wait_charts(page)
    shot(page, "05_line_drilldown")


def test_upload_messy_export_and_bad_file(page, empty_url, tmp_path):
    open_app(page, empty_url + "/upload")
    messy = SAMPLE / "Absatzplanung_KW48_2026.xlsx"
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(messy))
    page.get_by_text("noch nichts gespeichert").wait_for(timeout=30_000)
    wait_idle(page)
    gridcell(page, "Absatzprognose")
    shot(page, "06_upload_preview")
    page.get_by_role("button", name="Übernehmen").click()
    page.get_by_text("übernommen").first.wait_for(timeout=30_000)
    wait_idle(page)
    shot(page, "07_upload_stored")

    bad = tmp_path / "Absatz_fehlerhaft.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("abgelehnt: 3 Fehler").wait_for(timeout=30_000)
    wait_idle(page)
    gridcell(page, "„zwölf“ ist keine Zahl.")
    gridcell(page, "KW 99/2027")
    shot(page, "08_upload_refused")


def test_switch_to_english(page, demo_url):
    open_app(page, demo_url + "/")
    wait_charts(page)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Overview").wait_for(timeout=20_000)
    wait_idle(page)
    wait_charts(page)
    assert page.get_by_text("Fill rate class A").is_visible()
    shot(page, "09_english")
