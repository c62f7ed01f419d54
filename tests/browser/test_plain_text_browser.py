"""Hostile names from the demo data in a real browser: no request to the address they name, no
<img> or <a> pointing there, the text shown as typed; the tables' CSV download is escaped."""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from harness import serve, wait_charts, wait_idle

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboard"))
from hostile_seed import LINE, MARKET, TRAP, build_hostile  # noqa: E402

pytestmark = pytest.mark.browser
LINKED = f'img[src*="127.0.0.1:9"], a[href*="127.0.0.1:9"], image[href*="127.0.0.1:9"]'


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser-hostile") / "hostile.duckdb"
    top = build_hostile(db)
    with serve(db) as url:
        yield url, top


def test_hostile_names_are_text_everywhere(page, hostile_url):
    url, top = hostile_url
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "127.0.0.1:9/" in r.url else None)
    visits = [("/overview", True),
              (f"/conflict?product={quote(top['product'])}&market={quote(MARKET)}&period={top['period']}", True),
              (f"/conflict?line={quote(LINE)}&period={top['period']}", True),
              ("/meeting?step=4", False), ("/meeting?step=5", False), ("/capacity", True)]
    for path, charts in visits:
        page.goto(url + path)
        wait_idle(page)
        if charts:
            wait_charts(page)
        page.wait_for_timeout(500)  # images would load now
        assert page.locator(LINKED).count() == 0, (path, page.locator(LINKED).first.evaluate("e => e.outerHTML"))
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "Traceback" not in text and "error number" not in text and "Fehlernummer" not in text, path
        if path.startswith(("/overview", "/meeting?step=4")):
            assert "![m](http://127.0.0.1:9/market.png)" in text, (path, text[:800])
    assert fetched == [], fetched


def test_csv_download_escapes_formulas(page, hostile_url, tmp_path):
    url, _ = hostile_url
    page.goto(url + "/capacity")
    wait_idle(page)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Als CSV herunterladen").first.click()
    data = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "'" + LINE.replace('"', '""') in data or "'=HYPERLINK" in data, data[:300]
    assert not any(line.startswith(("=", "+", "@")) for line in data.splitlines())
