"""The meeting loop in a real browser: walk the agenda, record agreements from drill-downs, upload
the next cycle, see them judged, export the pack and read it back. Screenshots in tests/artifacts/."""
from __future__ import annotations

import io
import os

import pytest

from harness import REPO, browser_missing, serve, shot, wait_charts, wait_idle

pytestmark = pytest.mark.browser
NEXT_CYCLE = REPO / "data" / "sample" / "next_cycle"
# data/sample/README.md: BUT-1 2026-W52 closes in the next cycle, KAS-1 2027-W02 grows
HELD = {"product": "100301", "market": "Handelsmarke", "period": "2026-W52"}
GROWS = {"product": "100409", "market": "Discount", "period": "2027-W02"}
STEPS = ["1 · Was sich geändert hat", "2 · Vereinbarungen: gehalten?", "3 · Kennzahlen gegen Ziele",
         "4 · Wichtigste Konflikte", "5 · Entscheidungen"]


@pytest.fixture(scope="module", autouse=True)
def _needs_a_browser():
    """Skip without Chromium, but fail when CI demands the browser (same rule as conftest.py)."""
    reason = browser_missing()
    if reason and os.environ.get("EINKLANG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"EINKLANG_REQUIRE_BROWSER=1 but {reason}")
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def meeting_url(tmp_path_factory):
    """A demo company of its own: this flow stores meetings, agreements and the next cycle."""
    from pipelines.demo import build_demo
    db = build_demo(tmp_path_factory.mktemp("browser-meeting") / "demo.duckdb")
    with serve(db) as url:
        yield url


def gridcell(page, text: str, timeout: float = 20_000) -> None:
    page.get_by_role("gridcell", name=text, exact=True, include_hidden=True).first.wait_for(
        state="attached", timeout=timeout)


def create_meeting(page, url: str, cycle: str, people: str) -> None:
    page.goto(url + "/meeting")
    page.get_by_role("heading", name="Meeting", exact=True).wait_for(timeout=30_000)
    wait_idle(page)
    opener = page.get_by_role("button", name="Neues Meeting anlegen")
    if opener.count():  # later meetings are created in a dialog, the first one on the page
        opener.click()
        page.get_by_role("dialog").wait_for()
    else:  # the first meeting's form has no chart: plotly.js is started behind it, hidden
        preload = page.locator(".st-key-chart_preload")
        preload.locator(".main-svg").first.wait_for(state="attached", timeout=30_000)
        assert not preload.is_visible() and preload.bounding_box() is None
    page.get_by_role("textbox", name="Zyklus").wait_for()
    page.get_by_role("textbox", name="Zyklus").fill(cycle)
    page.get_by_role("textbox", name="Teilnehmer (durch Komma getrennt)").fill(people)
    page.get_by_role("button", name="Meeting anlegen", exact=True).click()
    page.get_by_role("heading", name=f"S&OP-Meeting").filter(has_text=cycle).wait_for(timeout=30_000)
    wait_idle(page)


def record(page, url: str, conflict: dict, text: str, owner: str, lever: str | None = None) -> None:
    query = "&".join(f"{k}={v}" for k, v in conflict.items())
    page.goto(f"{url}/conflict?{query}")
    page.get_by_role("heading", name="Vereinbarung erfassen").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("textbox", name="Was wurde vereinbart?").fill(text)
    page.get_by_role("textbox", name="Verantwortlich").fill(owner)
    if lever:
        page.get_by_role("textbox", name="Anderer Hebel").fill(lever)
    page.get_by_role("button", name="Vereinbarung speichern").click()
    page.get_by_text("gespeichert (Fehlmenge damals").wait_for(timeout=30_000)
    wait_idle(page)


def next_step(page, number: int) -> None:
    """Press "Weiter" and wait until the agenda shows the step as chosen."""
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("radio", name=STEPS[number - 1], checked=True).wait_for(timeout=20_000)
    wait_idle(page)


def test_meeting_loop_over_two_cycles(page, meeting_url, tmp_path):
    # --- the KW 48 meeting: walk the agenda --------------------------------------------------------
    create_meeting(page, meeting_url, "KW 48", "Anna (Vertrieb), Bernd (Produktion), Clara (Planung)")
    wait_charts(page, 1)
    assert page.get_by_text("Anna (Vertrieb)").is_visible()
    gridcell(page, "100301")  # the biggest move: the LEH promotion on Markenbutter
    shot(page, "m01_changes", whole=False)
    next_step(page, 2)
    page.get_by_text("Dies ist das erste Meeting").wait_for()
    next_step(page, 3)
    wait_charts(page, 2)
    page.get_by_text("Lieferfähigkeit gegen Ziel je Markt").wait_for()
    shot(page, "m03_kpis", whole=False)
    next_step(page, 4)
    page.get_by_role("link", name="Öffnen").first.wait_for()
    shot(page, "m04_conflicts", whole=False)
    # a conflict opens its drill-down with the agreement form below the levers
    page.get_by_role("link", name="Öffnen").first.click()
    page.get_by_role("heading", name="Vereinbarung erfassen").wait_for(timeout=30_000)
    wait_idle(page)
    shot(page, "m05_drilldown_form")

    # --- agreements from the drill-down -------------------------------------------------------------
    record(page, meeting_url, HELD, "Handelsmarken-Butter aus KW 52 vorziehen", "Bernd")
    shot(page, "m06_agreement_saved", whole=False)
    record(page, meeting_url, GROWS, "Discount-Frischkäse in der Revisionswoche kürzen", "Anna",
           lever="Kunde informieren")
    page.goto(meeting_url + "/meeting?step=5")
    wait_idle(page)
    gridcell(page, "Handelsmarken-Butter aus KW 52 vorziehen")
    gridcell(page, "Kunde informieren")
    shot(page, "m07_decisions")

    # --- the next cycle arrives through the upload page ---------------------------------------------
    page.goto(meeting_url + "/upload")
    wait_idle(page)
    page.get_by_text("Art (automatisch erkennen, wenn leer)").first.click()
    as_of = page.locator('[data-testid="stDateInput"]').filter(has_text="Stand der Prognose")
    as_of.get_by_role("spinbutton").first.click()  # day, month, year are typed into segments
    page.keyboard.type("23122026", delay=40)  # the KW 52 forecast's as-of date (data/sample/README.md)
    page.keyboard.press("Tab")
    wait_idle(page)
    assert as_of.locator("input").first.input_value() == "2026-12-23"
    # the date commits on blur: a user's click on the drop zone does that; set_input_files does not,
    # and a date committed by the click on "Übernehmen" reruns the page instead of the form's submit
    page.get_by_role("heading", name="Daten hochladen").click()
    wait_idle(page)
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files(str(NEXT_CYCLE / "Absatzplanung_KW52_2026.xlsx"))
    page.get_by_text("noch nichts gespeichert").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Übernehmen").click()
    page.get_by_text("Absatzplanung_KW52_2026.xlsx übernommen").wait_for(timeout=60_000)
    wait_idle(page)
    # the actuals of KW 48-51 are added to the history, not replacing it
    page.get_by_text("Nur die enthaltenen Märkte/Linien/Artikel ersetzen").click()
    wait_idle(page)
    uploader.set_input_files(str(NEXT_CYCLE / "Ist_Absatz_KW48-KW51_2026.csv"))
    page.get_by_text("noch nichts gespeichert").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="Übernehmen").click()
    page.get_by_text("Ist_Absatz_KW48-KW51_2026.csv übernommen").wait_for(timeout=60_000)
    wait_idle(page)
    shot(page, "m08_next_cycle_uploaded", whole=False)

    # --- the KW 52 meeting judges the KW 48 agreements ----------------------------------------------
    create_meeting(page, meeting_url, "KW 52", "Anna (Vertrieb), Bernd (Produktion)")
    wait_charts(page, 1)
    shot(page, "m09_changes_next_cycle", whole=False)
    next_step(page, 2)
    wait_charts(page, 1)
    gridcell(page, "gehalten")
    gridcell(page, "nicht gehalten")
    held = page.locator('[data-testid="stMetric"]').filter(has_text="gehalten").first.inner_text()
    assert held.split()[-1] == "1"
    shot(page, "m10_lookback")

    # --- the pack: Excel read back with openpyxl, PDF at least a PDF --------------------------------
    import openpyxl
    page.get_by_role("button", name="Meeting-Unterlagen").click()
    with page.expect_download(timeout=60_000) as excel:
        page.get_by_role("button", name="Excel herunterladen").click()
    path = tmp_path / excel.value.suggested_filename
    excel.value.save_as(path)
    assert path.name.startswith("Einklang_Meeting_") and path.suffix == ".xlsx"
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert {"KPIs", "Konflikte", "Vereinbarungen", "Prognosegüte"} <= set(workbook.sheetnames)
    cells = [str(v) for row in workbook["Vereinbarungen"].iter_rows(values_only=True) for v in row
             if v is not None]
    assert "Handelsmarken-Butter aus KW 52 vorziehen" in cells
    assert "Discount-Frischkäse in der Revisionswoche kürzen" in cells
    assert "gehalten" in cells and "nicht gehalten" in cells
    kpis = [str(v) for row in workbook["KPIs"].iter_rows(values_only=True) for v in row if v is not None]
    assert any("KW 52" in v for v in kpis), "the pack names its meeting"
    with page.expect_download(timeout=60_000) as pdf:
        page.get_by_role("button", name="PDF herunterladen").click()
    assert io.BytesIO(open(pdf.value.path(), "rb").read()).read(4) == b"%PDF"
    shot(page, "m11_pack", whole=False)


@pytest.fixture(scope="module")
def next_cycle_url(tmp_path_factory):
    """The demo company with the next cycle already stored (actuals merged, as the upload page
    does by default): the look-back does not depend on another test's upload."""
    from pipelines.demo import build_demo
    db = build_demo(tmp_path_factory.mktemp("browser-next-cycle") / "demo.duckdb", next_cycle=True)
    with serve(db) as url:
        yield url


def test_strategy_and_lookback_pages(page, next_cycle_url):
    meeting_url = next_cycle_url
    page.goto(meeting_url + "/strategy")
    page.get_by_role("heading", name="Strategie und Ziele").wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("heading", name="Zielband der Auslastung je Linie").wait_for()
    page.get_by_role("button", name="Als neue Version speichern").wait_for()
    shot(page, "m12_strategy")
    page.goto(meeting_url + "/lookback")
    page.get_by_role("heading", name="Prognosegüte").wait_for(timeout=30_000)
    wait_idle(page)
    wait_charts(page, 2)
    gridcell(page, "Discount")
    periods = page.locator('[data-testid="stMetric"]').filter(has_text="Perioden").inner_text()
    assert int(periods.split()[-1]) >= 29, "W23-W51: the next cycle's actuals were added, not swapped"
    shot(page, "m13_lookback")
