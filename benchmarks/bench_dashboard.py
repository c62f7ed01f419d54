"""Dashboard speed in a real browser (issues 4 and 13): navigation -> overview charts visible, and
heatmap click -> drill-down charts visible, on the demo company and on a generated large plan
(2,000 products x 20 markets x 104 weeks on 30 lines), against a bare Streamlit page with one plotly
chart, all in the same run (the bare page's server stays up, and each app's overview runs alternate
with the bare page's, so the ratio is taken between neighbours); on the large plan also switching
the plan and the comparison version, creating a meeting, each agenda step and `einklang pack`.
Targets: overview <= 3 s after a fresh start and <= 1.3x the bare page warm; drill-down <= 0.5 s;
version switch <= 1 s after the first time; meeting creation <= 2 s; each agenda step <= 1 s;
`einklang pack` <= 20 s and succeeds. The app is started as `einklang serve` starts it
(`python -m dashboard.serve run dashboard/app.py`: the model is warmed before the server listens);
the start-up time is reported too.

Run: python benchmarks/bench_dashboard.py [--repeat N] [--keep DIR]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
CHROMIUM = os.environ.get("EINKLANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PRODUCTS, MARKETS, WEEKS, LINES = 2000, 20, 104, 30

BARE_PAGE = textwrap.dedent('''
    import plotly.graph_objects as go
    import streamlit as st
    st.set_page_config(layout="wide")
    st.title("Bare page")
    st.plotly_chart(go.Figure(go.Bar(x=list("abcdefghij"), y=list(range(10)))))
''')
CHARTS_DRAWN = """() => {
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  return charts.length > 0 && [...charts].every(c => c.querySelector('.main-svg'));
}"""
HEATMAP_CELL = """(n) => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const marks = gd._fullData[1], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const row = Array.from(marks.base).map((b, j) => b === -0.5 ? j : -1).filter(j => j >= 0);
  const i = row[Math.min(n, row.length - 1)];
  return {x: box.left + xa._offset + xa.l2p(xa.d2l(marks.x[i])),
          y: box.top + ya._offset + ya.l2p(ya.d2l(marks.base[i] + 0.5))};
}"""


def build_large(path: Path) -> Path:
    """The large plan written straight into the store: two forecast versions of 4.16M rows each."""
    from pipelines import store
    path.unlink(missing_ok=True)
    con = store.connect(path)
    try:
        def version(kind: str, label: str, as_of: str | None = None) -> int:
            vid = con.execute("select nextval('version_seq')").fetchone()[0]
            con.execute("insert into versions (version_id, kind, created_at, label, file_name, as_of, "
                        "grain, layout, header_row, rows, merged_rows, skipped_rows, mode) values "
                        "(?, ?, now(), ?, 'generated', ?, 'week', 'long', 1, 0, 0, 0, 'replace')",
                        [vid, kind, label, as_of])
            return vid
        con.execute(f"""create temp table weeks as
            select i as w, strftime(date '2027-01-04' + to_days(cast(7 * i as integer)), '%G-W%V') as period,
                   date '2027-01-04' + to_days(cast(7 * i as integer)) as period_start
            from range({WEEKS}) t(i)""")
        v = version("products", "Artikelstamm")
        con.execute(f"""insert into products select {v}, 'P' || lpad(i::text, 5, '0'),
            'L' || lpad((i % {LINES} + 1)::text, 2, '0'), 120 + (i % 7) * 20, 'Artikel ' || i,
            'Gruppe ' || (i % 8), 'ST', 28, 7, 1.5 + (i % 5), 0.4, null, null, null
            from range({PRODUCTS}) t(i)""")
        v = version("markets", "Märkte")
        con.execute(f"""insert into markets select {v}, 'Markt ' || lpad(i::text, 2, '0'),
            i % 3 + 1, null from range({MARKETS}) t(i)""")
        v = version("capacity", "Kapazität")
        # about 1,250 h are needed per line-week; summer peaks and a few maintenance weeks overload
        con.execute(f"""insert into capacity select {v}, 'L' || lpad((l + 1)::text, 2, '0'), period,
            period_start, case when (w + l) % 23 = 0 then 700 else 1350 end, 1500
            from range({LINES}) t(l), weeks""")
        for label, as_of, bump in (("Prognose alt", "2026-10-30", 0.0), ("Prognose neu", "2026-11-27", 0.05)):
            v = version("forecast", label, as_of)
            con.execute(f"""insert into forecast select {v}, 'P' || lpad(p::text, 5, '0'),
                'Markt ' || lpad(m::text, 2, '0'), period, period_start,
                round((50 + (p * 31 + m * 17 + w * 7) % 100) * (1 + 0.15 * sin(w / 8.0)) * (1 + {bump} * (m % 2)), 0),
                'ST', null
                from range({PRODUCTS}) t(p), range({MARKETS}) u(m), weeks""")
        con.execute("checkpoint")
    finally:
        con.close()
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STARTUP: dict[str, float] = {}


@contextlib.contextmanager
def serve(script: Path, db: Path | None):
    port = free_port()
    env = dict(os.environ, EINKLANG_LANG="de")
    if db:
        env["EINKLANG_DB"] = str(db)
    launcher = "dashboard.serve" if db else "streamlit"  # the app as `einklang serve` runs it
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", launcher, "run", str(script), "--server.headless=true",
         "--server.address=127.0.0.1", f"--server.port={port}", "--server.fileWatcherType=none",
         "--browser.gatherUsageStats=false"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server for {script} did not start")
            time.sleep(0.1)
        STARTUP[str(db)] = time.perf_counter() - started
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)


def charts_visible(context, url: str) -> float:
    """Seconds from navigation to every plotly chart on the page drawn, in a fresh session
    (a new tab; the browser cache is warm, as on the meeting room's machine)."""
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(CHARTS_DRAWN, timeout=600_000, polling=20)
        return time.perf_counter() - start
    finally:
        page.close()


def drill_down(context, url: str, cell_index: int = 0, top_conflict: bool = False) -> float:
    """Seconds from a click on a heatmap cell of the top row (or on the n-th top conflict's link)
    to the drill-down's charts drawn."""
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function(CHARTS_DRAWN, timeout=600_000, polling=20)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        page.wait_for_timeout(1500)  # a user reads before clicking; background warm-up ends
        if top_conflict:
            link = page.get_by_role("link", name="Öffnen").nth(cell_index)
            link.scroll_into_view_if_needed()
            start = time.perf_counter()
            link.click()
        else:
            cell = page.evaluate(HEATMAP_CELL, cell_index)
            page.mouse.move(cell["x"], cell["y"])
            page.wait_for_timeout(200)
            start = time.perf_counter()
            page.mouse.click(cell["x"], cell["y"])
        page.wait_for_function(
            "() => document.querySelector('h1') && location.pathname.endsWith('/conflict')"
            " && [...document.querySelectorAll('h2,h3')].some(h => h.innerText.startsWith('Hebel'))",
            timeout=120_000, polling=20)
        page.wait_for_function(CHARTS_DRAWN, timeout=120_000, polling=20)
        return time.perf_counter() - start
    finally:
        page.close()


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# set before a change in the page: the time the next rerun ends (the app's script state moves from
# running back to notRunning), in performance.now() milliseconds
RERUN_WATCH = """() => { const app = document.querySelector('[data-testid="stApp"]'); window.__rerun = {};
  new MutationObserver(() => { const s = app.getAttribute('data-test-script-state');
    if (s === 'running') window.__rerun.ran = true;
    if (s === 'notRunning' && window.__rerun.ran && !window.__rerun.done) window.__rerun.done = performance.now();
  }).observe(app, {attributes: true}); }"""
RERUN_DONE = "() => window.__rerun && window.__rerun.done && (" + CHARTS_DRAWN + ")()"


def switch_in_page(context, url: str, picks: list[tuple[str, str]]) -> list[float]:
    """Seconds from picking a version in the sidebar (combobox label, text typed to find the
    option) to the overview's rerun ended and its charts drawn, one figure per pick, in one tab:
    what a planner does when switching versions during the meeting."""
    page = context.new_page()
    out = []
    try:
        page.goto(url)
        page.wait_for_function(CHARTS_DRAWN, timeout=600_000, polling=20)
        page.wait_for_selector(IDLE, timeout=600_000)
        for box, typed in picks:
            page.wait_for_timeout(500)
            page.get_by_role("combobox", name=box, exact=True).click()
            page.keyboard.type(typed)
            page.evaluate(RERUN_WATCH)
            start = time.perf_counter()
            page.keyboard.press("Enter")
            page.wait_for_function(RERUN_DONE, timeout=600_000, polling=20)
            out.append(time.perf_counter() - start)
    finally:
        page.close()
    return out


def _settled(page, marker: str | re.Pattern, charts: bool) -> None:
    page.get_by_text(marker, exact=False).first.wait_for(timeout=600_000)
    page.wait_for_selector(IDLE, timeout=600_000)
    if charts:
        page.wait_for_function(CHARTS_DRAWN, timeout=600_000, polling=20)


# (step, a text only that step shows, has charts); step 2 says there is nothing to check in the
# first meeting, and names the meeting it checks on a kept database that has one
STEPS = ((2, re.compile("Vereinbarungen zum Prüfen|geprüft gegen die Daten dieses Meetings"), False),
         (3, "Lieferfähigkeit gegen Ziel je Markt", True),
         (4, "Nach strategischem Gewicht", False),
         (5, "Vereinbarungen dieses Meetings", False))


MEETING_IN_URL = "() => new URLSearchParams(location.search).get('meeting')"


def meeting_flow(context, url: str) -> dict:
    """Seconds from 'Meeting anlegen' to agenda step 1 drawn, then from each 'Weiter' to the next
    step drawn; then the five steps once more (the second visit)."""
    page = context.new_page()
    out: dict = {}
    try:
        page.goto(url + "/meeting")
        page.wait_for_selector(IDLE, timeout=600_000)
        page.wait_for_timeout(500)
        if page.get_by_role("button", name="Neues Meeting anlegen").count():
            page.get_by_role("button", name="Neues Meeting anlegen").click()
        page.get_by_label("Teilnehmer").first.fill("Vertrieb, Produktion")
        before = page.evaluate(MEETING_IN_URL)
        start = time.perf_counter()
        page.get_by_role("button", name="Meeting anlegen", exact=True).click()
        # a kept database has a meeting whose step 1 stands behind the form: wait for the new one
        page.wait_for_function(f"() => ({MEETING_IN_URL})() !== {json.dumps(before)}",
                               timeout=600_000, polling=20)
        _settled(page, "Veränderung je Markt", True)
        out["create"] = time.perf_counter() - start
        for label in ("steps", "steps_again"):
            if label == "steps_again":
                page.get_by_text("1 · Was sich geändert hat").first.click()
                _settled(page, "Veränderung je Markt", True)
            out[label] = {}
            for step, marker, charts in STEPS:
                page.wait_for_timeout(300)
                start = time.perf_counter()
                page.get_by_role("button", name="Weiter").click()
                _settled(page, marker, charts)
                out[label][step] = time.perf_counter() - start
        out["meeting_id"] = int(page.evaluate("new URLSearchParams(location.search).get('meeting')"))
    finally:
        page.close()
    return out


def pack_cli(db: Path, meeting_id: int | None) -> dict:
    """`einklang pack` of the meeting on the large plan: seconds, exit code."""
    out = Path(tempfile.mkdtemp(prefix="einklang-pack-"))
    cmd = [sys.executable, "-m", "pipelines.cli", "--db", str(db), "pack", "--out", str(out)]
    if meeting_id is not None:
        cmd += ["--meeting", str(meeting_id)]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True,
                          env=dict(os.environ, EINKLANG_LANG="de"))
    return {"seconds": time.perf_counter() - start, "exit": done.returncode,
            "files": sorted(p.name for p in out.iterdir()), "stderr": done.stderr[-400:]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", help="directory for the generated databases (reused when present; "
                        "each run works on copies)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from pipelines.demo import build_demo
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="einklang-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bare = work / "bare_page.py"
    bare.write_text(BARE_PAGE, encoding="utf-8")
    demo = work / "demo.duckdb"
    if not demo.exists():
        build_demo(demo)
    large = work / "large.duckdb"
    if not large.exists():
        t = time.perf_counter()
        build_large(large)
        print(f"large plan generated in {time.perf_counter() - t:.1f} s", flush=True)

    if args.keep:
        # the run meets copies: a kept database stays as generated (no meeting half-created by
        # an earlier run stands behind the meeting form, no agreement marks the heatmap)
        run = Path(tempfile.mkdtemp(prefix="einklang-bench-run-"))
        demo, large = (Path(shutil.copy2(db, run / db.name)) for db in (demo, large))

    app = REPO / "dashboard" / "app.py"
    results: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        stack = contextlib.ExitStack()  # the bare page's server
        try:
            bare_url = stack.enter_context(serve(bare, None))  # up beside each app server
            charts_visible(context, bare_url)  # the frontend and plotly.js into the browser cache
            results["bare page"] = {"overview": []}
            for name, db in (("demo", demo), ("large plan", large)):
                with serve(app, db) as url:
                    cold = charts_visible(context, url)  # builds the model: once per process
                    # the bare page and the overview alternately: the machine's drift between
                    # runs (the bare page 1.18-1.29 s in three runs) falls on both alike
                    overview, beside = [], []
                    for _ in range(args.repeat):
                        beside.append(charts_visible(context, bare_url))
                        overview.append(charts_visible(context, url))
                    results["bare page"]["overview"] += beside
                    # each click a different cell of the top row: nothing of it cached yet
                    drill = [drill_down(context, url, i) for i in range(args.repeat)]
                    again = [drill_down(context, url, 0) for _ in range(args.repeat)]
                    top = [drill_down(context, url, i, top_conflict=True) for i in range(args.repeat)]
                    results[name] = {"cold_overview": cold, "overview": overview, "bare": beside,
                                     "drill_down": drill,
                                     "drill_down_again": again, "top_conflict": top,
                                     "startup": STARTUP[str(db)]}
                    if name == "large plan":
                        # the old forecast as the plan, then no comparison: first time and again,
                        # picked in the sidebar (a rerun of the open page) and opened as a link
                        # (a new tab with ?plan= / ?vs=, a whole page load)
                        plan = switch_in_page(context, url, [("Plan", "Prognose alt"), ("Plan", "aktuell")] * 3)
                        vs = switch_in_page(context, url, [("Verglichen mit", "kein Vergleich"),
                                                           ("Verglichen mit", "Prognose alt")] * 3)
                        switch = {"plan": plan[0::2], "comparison": vs[0::2],
                                  "plan back": plan[1::2], "comparison back": vs[1::2]}
                        for what, query in (("plan link", "?plan=4"), ("comparison link", "?vs=0")):
                            switch[what] = [charts_visible(context, url + query) for _ in range(3)]
                        results[name]["switch"] = switch
                        results[name]["meeting"] = meeting_flow(context, url)
            results["large plan"]["pack"] = pack_cli(large, results["large plan"]["meeting"]["meeting_id"])
        finally:
            stack.close()
            context.close()
            browser.close()

    print(f"\n{'':12} {'overview':>10} {'x bare':>7} {'drill-down new cell':>20} "
          f"{'same cell again':>16} {'top conflict':>13} {'first load':>11}   (medians)")
    for name, r in results.items():
        over = statistics.median(r["overview"])
        drill = f"{statistics.median(r['drill_down']):.2f} s" if "drill_down" in r else "–"
        again = f"{statistics.median(r['drill_down_again']):.2f} s" if "drill_down" in r else "–"
        top = f"{statistics.median(r['top_conflict']):.2f} s" if "drill_down" in r else "–"
        cold = f"{r['cold_overview']:.2f} s" if "cold_overview" in r else "–"
        bare_median = statistics.median(r.get("bare", r["overview"]))  # the runs beside its own
        print(f"{name:12} {over:>8.2f} s {over / bare_median:>7.2f} {drill:>20} {again:>16} "
              f"{top:>13} {cold:>11}")
    r = results["large plan"]
    print(f"\nlarge plan: server start incl. warm-up {r['startup']:.1f} s")
    for what, times in r["switch"].items():
        print(f"switch {what:16}: first {times[0]:.2f} s, again {statistics.median(times[1:]):.2f} s")
    m = r["meeting"]
    print(f"meeting: create {m['create']:.2f} s; steps " + ", ".join(
        f"{k}: {v:.2f} s" for k, v in m["steps"].items()) + "; again " + ", ".join(
        f"{k}: {v:.2f} s" for k, v in m["steps_again"].items()))
    p = r["pack"]
    print(f"einklang pack: {p['seconds']:.1f} s, exit {p['exit']}, {p['files']}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_dashboard.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
