"""Retake the projector-mode screenshots in docs/screenshots/ (issue 10): overview, drill-down,
capacity and the agenda of the demo company at 1920 x 1080, in Debian's Chromium.

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

SIZE = {"width": 1920, "height": 1080}
# the demo's heaviest class-A conflict (data/sample/README.md)
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


def take(page, url: str, path: Path, charts: int = 1) -> None:
    page.goto(url)
    wait_idle(page, 120_000)
    if charts:
        wait_charts(page, charts, 120_000)
    # tables and late charts arrive after the run: wait until no element is still a skeleton
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')",
                           timeout=60_000)
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
            page = browser.new_context(viewport=SIZE, locale="de-DE").new_page()
            on = "projector=true"
            take(page, f"{url}/?{on}", args.out / "projector_overview.png")
            take(page, f"{url}/conflict?{CONFLICT}&{on}", args.out / "projector_drilldown.png", 3)
            take(page, f"{url}/capacity?{on}", args.out / "projector_capacity.png")
            take(page, f"{url}/meeting?meeting=1&step=1&{on}", args.out / "projector_agenda_1.png")
            take(page, f"{url}/meeting?meeting=1&step=4&{on}", args.out / "projector_agenda_4.png", 0)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
