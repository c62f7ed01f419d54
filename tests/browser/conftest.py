"""Real Chromium against a real dashboard server. Without a browser these tests skip locally and
fail when EINKLANG_REQUIRE_BROWSER=1 (CI)."""
from __future__ import annotations

import os

import pytest

from harness import browser_missing, launch, serve
from pipelines import store


def pytest_collection_modifyitems(config, items):
    reason = browser_missing()
    if not reason:
        return
    required = os.environ.get("EINKLANG_REQUIRE_BROWSER") == "1"
    for item in items:
        if "browser" in item.keywords or str(item.fspath).startswith(os.path.dirname(__file__)):
            if required:  # first, before the server and browser fixtures try to start
                item.fixturenames.insert(0, "_browser_required")
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def _browser_required():
    pytest.fail(f"EINKLANG_REQUIRE_BROWSER=1 but {browser_missing()}")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    from pipelines.demo import build_demo
    return build_demo(tmp_path_factory.mktemp("browser-demo") / "demo.duckdb")


@pytest.fixture(scope="session")
def demo_url(demo_db):
    with serve(demo_db) as url:
        yield url


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser-empty") / "empty.duckdb"
    store.connect(db).close()
    with serve(db) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = launch(pw)
        try:
            yield chromium
        finally:
            chromium.close()


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _beyond_loopback(url: str) -> bool:
    """A request leaving the machine (data:, blob: and about: stay in the browser)."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK


@pytest.fixture
def page(browser):
    """A page of its own; every request it makes must stay on loopback (the app is used on
    networks without internet, and tests may reach no other address)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="de-DE")
    outside: list[str] = []
    context.on("request", lambda request: outside.append(request.url) if _beyond_loopback(request.url) else None)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
    assert not outside, f"requests beyond loopback: {sorted(set(outside))[:5]}"
