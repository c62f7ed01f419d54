"""Retake the screenshots in docs/screenshots/: the README's overview and drill-down (1600 x 1000)
and the projector-mode overview, drill-down, capacity and agenda (1920 x 1080, issue 10) of the
demo company, in Debian's Chromium.

Run: PYTHONPATH=. python scripts/screenshots.py [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "browser")]

from harness import launch, serve, wait_charts, wait_idle  # noqa: E402

SIZE = {"width": 1920, "height": 1080}  # a projector
DESK = {"width": 1600, "height": 1000}  # a laptop at the desk (the README's pictures)
# the Christmas butter peak on BUT-1 (data/sample/README.md): a class-C PMC squeezed out by A and B
CONFLICT = "product=100301&market=Handelsmarke&period=2026-W52"


def demo_with_meeting(folder: Path) -> Path:
    from pipelines import store
    from pipelines.demo import build_demo
    from pipelines.meeting import create_meeting
    db = build_demo(folder / "demo.duckdb")
    con = store.connect(db)
    try:
        create_meeting(con, dt.date(2026, 11, 30), participants=["Werksleitung", "Vertrieb", "Planung"],
                       cycle="KW 48")
    finally:
        con.close()
    return db


def take(page, url: str, path: Path, charts: int = 1, top_of: str | None = None) -> None:
    """Open `url`, wait for its charts and tables, and save the screen; `top_of` names an element
    scrolled to the top first (the agenda: its step, not the page's header)."""
    page.goto(url)
    wait_idle(page, 120_000)
    if charts:
        wait_charts(page, charts, 120_000)
    # tables and late charts arrive after the run: wait until no element is still a skeleton
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')",
                           timeout=60_000)
    if top_of:
        page.locator(top_of).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(2500)
    page.screenshot(path=str(path))
    print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp, serve(demo_with_meeting(Path(tmp)), timeout=120) as url, \
            sync_playwright() as pw:
        browser = launch(pw)
        try:
            desk = browser.new_context(viewport=DESK, locale="de-DE").new_page()
            take(desk, f"{url}/", args.out / "overview.png")
            take(desk, f"{url}/conflict?{CONFLICT}", args.out / "drilldown.png", 3)
            page = browser.new_context(viewport=SIZE, locale="de-DE").new_page()
            on = "projector=true"
            agenda = 'h2:has-text("S&OP-Meeting")'
            take(page, f"{url}/?{on}", args.out / "projector_overview.png")
            take(page, f"{url}/conflict?{CONFLICT}&{on}", args.out / "projector_drilldown.png", 3)
            take(page, f"{url}/capacity?{on}", args.out / "projector_capacity.png")
            take(page, f"{url}/meeting?meeting=1&step=1&{on}", args.out / "projector_agenda_1.png",
                 top_of=agenda)
            take(page, f"{url}/meeting?meeting=1&step=4&{on}", args.out / "projector_agenda_4.png", 0,
                 top_of=agenda)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
