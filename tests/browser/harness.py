"""A real dashboard server on a free loopback port and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = os.environ.get("EINKLANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, lang: str = "de", timeout: float = 60.0, port: int | None = None,
          extra_args: list[str] | None = None):
    """Start `streamlit run dashboard/app.py` on `db`; yield its base URL; stop it afterwards."""
    port = port or free_port()
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless=true",
               "--server.address=127.0.0.1", f"--server.port={port}", "--server.fileWatcherType=none",
               "--browser.gatherUsageStats=false", *(extra_args or [])]
    with serve_command(command, port, {"EINKLANG_DB": str(db), "EINKLANG_LANG": lang},
                       timeout, f"server-{port}.log") as (url, _):
        yield url


@contextlib.contextmanager
def serve_command(command: list[str], port: int, env: dict | None = None, timeout: float = 60.0,
                  log_name: str | None = None):
    """Run a server command (its own process group) until it answers on `port`; yield (base URL,
    process); SIGTERM to the group afterwards (SIGKILL after 10 s)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / (log_name or f"server-{port}.log"), "w")
    proc = subprocess.Popen(command, cwd=REPO, env=dict(os.environ, **(env or {})), stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start (exit code {proc.poll()}): {command[:4]}")
            time.sleep(0.1)
        yield url, proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def launch(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


_SETTLED = """quiet => {
    const app = document.querySelector('[data-testid="stApp"]');
    const settled = app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]');
    const now = performance.now();
    if (!settled) { window.__einklangSettledSince = null; return false; }
    if (window.__einklangSettledSince == null) window.__einklangSettledSince = now;
    return now - window.__einklangSettledSince >= quiet;
}"""


def wait_idle(page, timeout: float = 30_000, quiet: float = 300) -> None:
    """Until the app's script run has finished, no element of the previous run is left (Streamlit
    marks them `data-stale` until the run replaces them), and both have held for `quiet` ms.

    The quiet window covers the gap between an action and the rerun it starts: right after a click
    the app still reports the previous run as finished, so a bare "not running" check can pass
    before the rerun begins (the races of CI stop 15 and before)."""
    with contextlib.suppress(Exception):  # a page mid-navigation has no window yet: nothing to reset
        page.evaluate("() => { window.__einklangSettledSince = null; }")
    page.wait_for_function(_SETTLED, arg=quiet, timeout=timeout, polling=50)


def wait_charts(page, count: int = 1, timeout: float = 30_000) -> None:
    """Until at least `count` plotly charts have drawn their SVG."""
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= n",
        arg=count, timeout=timeout)


def shot(page, name: str, whole: bool = True, directory: Path | None = None) -> Path:
    """Screenshot; `whole` grows the viewport to the app's content (Streamlit scrolls inside
    its main section, so a full-page screenshot alone shows only the first screen)."""
    directory = directory or ARTIFACTS
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    size = page.viewport_size
    if whole and size:
        height = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return m ? m.scrollHeight : document.body.scrollHeight; }")
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 6000))})
        page.wait_for_timeout(400)  # plotly re-lays out on resize
    page.screenshot(path=str(path))
    if whole and size:
        page.set_viewport_size(size)
    return path
