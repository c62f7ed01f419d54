"""Navigation that holds in a meeting (issue 10): a heatmap click opens exactly the clicked cell at
104 weeks, and the agenda keeps its step across a drill-down and the browser's Back."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest

from harness import serve, shot, wait_charts, wait_idle
from long_seed import build_long, weeks

pytestmark = pytest.mark.browser
STEPS = ["1 · Was sich geändert hat", "2 · Vereinbarungen: gehalten?", "3 · Kennzahlen gegen Ziele",
         "4 · Wichtigste Konflikte", "5 · Entscheidungen"]
# the centre of heatmap cell (column, row) and an offset inside it, from the heatmap's own axes
# (not from the click layer, which is what is being tested)
CELL = """([col, row, fx, fy]) => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const heat = gd._fullData[0], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const w = Math.abs(xa.l2p(1) - xa.l2p(0)), h = Math.abs(ya.l2p(1) - ya.l2p(0));
  return {x: box.left + xa._offset + xa.l2p(col) + fx * w, y: box.top + ya._offset + ya.l2p(row) + fy * h,
          columns: heat.z[0].length, rows: gd._fullLayout.yaxis.ticktext, width: w};
}"""


@pytest.fixture(scope="module")
def long_url(tmp_path_factory):
    with serve(build_long(tmp_path_factory.mktemp("browser-long") / "long.duckdb")) as url:
        yield url


@pytest.fixture(scope="module")
def agenda_url(tmp_path_factory):
    from pipelines import store
    from pipelines.demo import build_demo
    from pipelines.meeting import create_meeting
    db = build_demo(tmp_path_factory.mktemp("browser-agenda") / "demo.duckdb")
    con = store.connect(db)
    try:
        create_meeting(con, dt.date(2026, 11, 30), participants=["Anna", "Ben"], cycle="KW 48")
    finally:
        con.close()
    with serve(db) as url:
        yield url


def drill_down_of(page) -> dict[str, str]:
    page.get_by_role("heading", name="Hebel: was die Lücke schließt").wait_for(timeout=90_000)
    wait_idle(page, 90_000)
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


# first, middle and last column, rows at the top, middle and bottom, and clicks off the centre
# (a quarter of a cell: at 104 weeks a cell is about 7 px wide and the pointer lands on whole pixels)
CLICKS = [(0, 0, 0.0, 0.0), (51, 7, 0.0, 0.0), (103, 15, 0.0, 0.0), (52, 8, -0.25, -0.3),
          (103, 3, 0.25, 0.4), (1, 5, 0.0, 0.0)]


def test_heatmap_click_opens_exactly_the_clicked_cell_at_104_weeks(page, long_url):
    page.goto(long_url + "/")
    for column, row, fx, fy in CLICKS:
        wait_idle(page, 120_000)
        wait_charts(page, 1, 120_000)
        page.locator('[data-testid="stPlotlyChart"]').first.scroll_into_view_if_needed()
        cell = page.evaluate(CELL, [column, row, fx, fy])
        assert cell["columns"] == 104 and len(cell["rows"]) == 16
        if cell["y"] > page.viewport_size["height"] - 10:  # bring the row into view, measure again
            page.mouse.move(cell["x"], page.viewport_size["height"] / 2)
            page.mouse.wheel(0, cell["y"] - page.viewport_size["height"] / 2)
            page.wait_for_timeout(400)
            cell = page.evaluate(CELL, [column, row, fx, fy])
        page.mouse.move(cell["x"], cell["y"])
        page.wait_for_timeout(150)
        page.mouse.click(cell["x"], cell["y"])
        opened = drill_down_of(page)
        product, rest = cell["rows"][row].split(" ", 1)
        market = rest.rsplit(" · ", 1)[1]
        assert opened == {"product": product, "market": market, "period": weeks()[column]}, (column, row)
        title = page.get_by_role("heading", level=1).first.inner_text()
        week = weeks()[column]
        assert title.startswith(product) and market in title and title.endswith(f"KW {week[-2:]}/{week[:4]}")
        if column == 103 and row == 15:
            shot(page, "nav_104_last_cell")
        page.go_back()  # Back returns to the overview and its heatmap
        page.get_by_role("heading", name="Überblick").wait_for(timeout=30_000)


def agenda_step(page, number: int, timeout: float = 30_000) -> None:
    try:
        page.get_by_role("radio", name=STEPS[number - 1], checked=True).wait_for(timeout=timeout)
    except Exception:
        shot(page, f"nav_agenda_failed_step_{number}")
        raise
    wait_idle(page, 180_000)  # the agenda builds the meeting pack on its first run


def scrolled(page) -> float:
    return page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                         " return Math.max(m ? m.scrollTop : 0, window.scrollY); }")


def in_view(locator) -> bool:
    box = locator.bounding_box()
    height = locator.page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def to_bottom(page) -> None:
    page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                  " if (m) m.scrollTo(0, m.scrollHeight); window.scrollTo(0, document.body.scrollHeight); }")
    page.wait_for_timeout(300)


def test_agenda_opens_each_step_at_its_top(page, agenda_url):
    """"Weiter" and "Zurück" from the foot of a long step open the next one at its top, also with
    the browser's CPU slowed down six times (the scroll script waits for the run to settle, not for
    a fixed time)."""
    page.goto(agenda_url + "/meeting")
    agenda_step(page, 1, 120_000)
    cdp = page.context.new_cdp_session(page)
    now = 1
    for button, number, slow in (("Weiter", 2, False), ("Weiter", 3, False), ("Weiter", 4, True),
                                 ("Weiter", 5, True), ("Zurück", 4, False), ("Zurück", 3, False)):
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 6 if slow else 1})
        to_bottom(page)
        if now in (1, 3, 4):  # longer than the screen: the button is below the fold
            assert scrolled(page) > 200, f"step {now} scrolled to its foot"
        page.get_by_role("button", name=button).click()
        agenda_step(page, number)
        page.wait_for_timeout(300)
        assert scrolled(page) <= 1, f"step {number} opens at its top"
        assert in_view(page.get_by_role("radio", name=STEPS[number - 1], checked=True)), number
        assert in_view(page.get_by_role("heading", name="Meeting", level=1)), number
        now = number
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})


def test_agenda_keeps_its_step_across_a_drill_down_and_back(page, agenda_url):
    page.goto(agenda_url + "/meeting?meeting=1&step=4")
    agenda_step(page, 4, 120_000)
    assert parse_qs(urlparse(page.url).query)["step"] == ["4"]
    # into the first conflict's drill-down and back with the browser
    page.get_by_role("link", name="Öffnen").first.click()
    opened = drill_down_of(page)
    assert opened["step"] == "4" and opened["meeting"] == "1"
    page.go_back()
    agenda_step(page, 4)
    # the drill-down's own link leads back to the step as well, and so does the sidebar
    page.get_by_role("link", name="Öffnen").first.click()
    drill_down_of(page)
    page.get_by_role("link", name="← Agenda: 4 · Wichtigste Konflikte").click()
    agenda_step(page, 4)
    page.get_by_role("link", name="Überblick").first.click()
    page.get_by_role("heading", name="Überblick", level=1).wait_for(timeout=30_000)
    page.get_by_role("link", name="Meeting").first.click()
    agenda_step(page, 4)
    shot(page, "nav_agenda_step_kept")


def line_view_of(page) -> dict[str, str]:
    page.get_by_role("heading", name="Linie ", level=1).wait_for(timeout=60_000)
    wait_idle(page, 60_000)
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_back_from_the_line_view_returns_to_the_conflict(page, agenda_url):
    """A PMC drill-down links to its line's view; the browser's Back returns to the same conflict
    (PMC and period in the URL and on the page), and Back once more to the agenda."""
    page.goto(agenda_url + "/meeting?meeting=1&step=4")
    agenda_step(page, 4, 120_000)
    opens = page.get_by_role("link", name="Öffnen")
    for index in range(opens.count()):  # the first conflict on a line (a new article has none yet)
        opens.nth(index).click()
        opened = drill_down_of(page)
        title = page.get_by_role("heading", level=1).first.inner_text()
        to_line = page.locator('[data-testid="stPageLink"]').filter(has_text="Linie ")
        if to_line.count():
            break
        page.go_back()
        agenda_step(page, 4)
    else:
        pytest.fail("no conflict of the agenda runs on a line")
    to_line.last.click()
    line_view = line_view_of(page)
    line = line_view["line"]
    assert {k: line_view.get(k) for k in opened} == opened, "the conflict stays in the URL"
    assert page.get_by_role("heading", level=1).first.inner_text().startswith(f"Linie {line} · ")
    page.go_back()
    assert drill_down_of(page) == opened
    assert page.get_by_role("heading", level=1).first.inner_text() == title
    page.go_forward()  # and forward again to the line view
    assert line_view_of(page) == line_view
    # the line view's own link back to the PMC is a step of its own: Back returns to the line
    page.get_by_role("link", name=f"← {opened['product']} · {opened['market']} · ").click()
    assert drill_down_of(page) == opened
    page.go_back()
    assert line_view_of(page) == line_view
    page.go_back()
    assert drill_down_of(page) == opened
    page.go_back()
    agenda_step(page, 4)


def test_a_refused_agreement_keeps_what_was_typed(page, agenda_url):
    """No lever closes anything on the new article's conflict: saving without choosing one is
    refused, and the note and owner stay in the form; the lever chosen, the same click saves."""
    page.goto(agenda_url + "/conflict?product=100899&market=LEH&period=2027-W29")
    drill_down_of(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Was wurde vereinbart?").fill("Rezeptur freigeben, dann einplanen")
    form.get_by_label("Verantwortlich").fill("Frau Weber")
    form.get_by_role("button", name="Vereinbarung speichern").click()
    wait_idle(page)
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 1 and "Hebel" in errors.first.inner_text()
    assert form.get_by_label("Was wurde vereinbart?").input_value() == "Rezeptur freigeben, dann einplanen"
    assert form.get_by_label("Verantwortlich").input_value() == "Frau Weber"
    form.get_by_role("combobox", name="Hebel", exact=True).click()
    page.keyboard.type("Zusatzstunden")
    page.keyboard.press("Enter")
    form.get_by_role("button", name="Vereinbarung speichern").click()
    page.get_by_text("gespeichert (Fehlmenge damals").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert form.get_by_label("Was wurde vereinbart?").input_value() == "", "saved: the form is empty again"
    assert page.get_by_text("Rezeptur freigeben, dann einplanen").count() >= 1, "listed above the form"


# the boxes of a chart's bar labels and of its category names, in page pixels
LABEL_BOXES = """key => {
  const chart = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  const boxes = sel => Array.from(chart.querySelectorAll(sel)).filter(e => e.textContent.trim())
    .map(e => { const r = e.getBoundingClientRect();
                return {text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  const plot = chart.getBoundingClientRect();
  return {bars: boxes('.bartext'), ticks: boxes('.xtick text'), left: plot.left, right: plot.right};
}"""


def _overlap(a, b) -> bool:
    return a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1 and a["top"] < b["bottom"] - 1 \
        and b["top"] < a["bottom"] - 1


def test_projector_waterfall_labels_do_not_overlap(browser, agenda_url):
    """Agenda step 1 on the projector (1920 x 1080): every step's figure and every market name of
    the waterfall stands free of the others, inside the chart, written horizontally."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(agenda_url + "/meeting?meeting=1&step=1&projector=true")
        agenda_step(page, 1, 120_000)
        wait_charts(page, 1, 60_000)
        page.locator(".st-key-mt_waterfall").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        found = page.evaluate(LABEL_BOXES, "mt_waterfall")
        bars, ticks = found["bars"], found["ticks"]
        assert len(bars) >= 5 and len(ticks) == len(bars), "a figure on every bar of the demo's 6 markets"
        for group in (bars, ticks):
            for i, a in enumerate(group):
                assert found["left"] <= a["left"] and a["right"] <= found["right"], a["text"]
                for b in group[i + 1:]:
                    assert not _overlap(a, b), (a["text"], b["text"])
        for tick in ticks:  # horizontal: a slanted label is taller than two lines of text
            assert tick["bottom"] - tick["top"] < 70, tick["text"]
        shot(page, "nav_projector_waterfall", whole=False)
    finally:
        context.close()
