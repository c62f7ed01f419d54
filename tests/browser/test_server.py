"""The dashboard as a server the company shares: started by `einklang serve`, it never holds the
DuckDB file (the CLI ingests while it runs, a second server serves the same file, each sees the new
version on reload), and the server itself refuses over-cap uploads (413)."""
from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from harness import free_port, serve_command, shot, wait_idle

pytestmark = pytest.mark.browser

FILES = {
    "artikel.csv": "Artikel;Linie;Leistung\nP1;L1;10\n",
    "maerkte.csv": "Markt;Klasse\nLEH;A\nExport;C\n",
    "kapazitaet.csv": "Linie;KW;Stunden\nL1;2027-W01;15\n",
    "absatz.csv": "Artikel;Markt;KW;Menge\nP1;LEH;2027-W01;100\nP1;Export;2027-W01;100\n",
}
NEW_FORECAST = "Artikel;Markt;KW;Menge\nP1;LEH;2027-W01;100\nP1;Export;2027-W01;40\n"


def einklang(db: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ, **(env or {})))


@pytest.fixture
def company(tmp_path: Path) -> Path:
    """A tiny company ingested through the command line: 200 units asked, 150 can be made."""
    db = tmp_path / "firma.duckdb"
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        out = einklang(db, "ingest", str(tmp_path / name))
        assert out.returncode == 0, out.stdout + out.stderr
    return db


def einklang_serve(db: Path, env: dict | None = None):
    """`einklang serve` on a free loopback port (the harness's server runner); yields (url, process)."""
    port = free_port()
    return serve_command([sys.executable, "-m", "pipelines.cli", "--db", str(db), "--lang", "de",
                          "serve", "--port", str(port)], port, env, log_name=f"einklang-serve-{port}.log")


def overview_shows(page, url: str, text: str) -> None:
    page.goto(url + "/")
    wait_idle(page)
    page.get_by_text(text).first.wait_for(timeout=20_000)


def test_cli_ingest_while_the_dashboard_runs_and_the_reload_shows_it(page, company, tmp_path):
    with einklang_serve(company) as (url, _):
        overview_shows(page, url, "75,0 %")  # 150 of 200 units
        assert page.get_by_text("Keine Konflikte").count() == 0
        (tmp_path / "nacht.csv").write_text(NEW_FORECAST, encoding="utf-8")
        out = einklang(company, "ingest", str(tmp_path / "nacht.csv"), "--label", "Nachtlauf", "--json",
                       env={"EINKLANG_LOCK_TIMEOUT": "2"})
        assert out.returncode == 0, out.stdout + out.stderr  # the server does not hold the file
        page.reload()
        wait_idle(page)
        page.get_by_text("Keine Konflikte").first.wait_for(timeout=20_000)
        assert page.get_by_text("100,0 %").count() > 0
        shot(page, "server_after_cli_ingest")
        page.goto(url + "/upload")
        wait_idle(page)
        page.get_by_role("gridcell", name="Nachtlauf", exact=True, include_hidden=True).first.wait_for(
            state="attached", timeout=15_000)


def test_two_servers_on_two_ports_serve_one_file(browser, company, tmp_path):
    with einklang_serve(company) as (first, _), einklang_serve(company) as (second, _):
        assert first != second
        pages = []
        for url in (first, second):
            context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="de-DE")
            pages.append(context.new_page())
            overview_shows(pages[-1], url, "75,0 %")
        (tmp_path / "nacht.csv").write_text(NEW_FORECAST, encoding="utf-8")
        out = einklang(company, "ingest", str(tmp_path / "nacht.csv"), env={"EINKLANG_LOCK_TIMEOUT": "2"})
        assert out.returncode == 0, out.stdout + out.stderr
        for page, url in zip(pages, (first, second)):
            overview_shows(page, url, "Keine Konflikte")
            page.context.close()


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "einklangboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gross.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    return head + b"x" * size + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _put(url: str, headers: dict, body: bytes | None, declared: int | None = None) -> int:
    parts = urlsplit(url)
    con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        con.putrequest("PUT", parts.path)
        for name, value in headers.items():
            con.putheader(name, value)
        con.putheader("Content-Length", str(declared if declared is not None else len(body)))
        con.endheaders()
        if body is not None:
            with contextlib.suppress(OSError):  # the server may answer and close before the end
                con.send(body)
        return con.getresponse().status
    finally:
        con.close()


def test_the_server_refuses_uploads_over_the_cap_itself(page, tmp_path):
    db = tmp_path / "leer.duckdb"
    with einklang_serve(db, env={"EINKLANG_MAX_FILE_MB": "1"}) as (url, proc):
        page.goto(url + "/upload")
        wait_idle(page)
        small = tmp_path / "absatz.csv"
        small.write_text(FILES["absatz.csv"], encoding="utf-8")
        with page.expect_request(lambda r: "/_stcore/upload_file/" in r.url and r.method == "PUT") as sent:
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(small))
        request = sent.value
        token = request.all_headers().get("x-xsrftoken")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
        assert token and cookies
        rss_before = _rss_mb(proc.pid)
        body, content_type = _multipart(10_000)
        headers = {"X-Xsrftoken": token, "Cookie": cookies, "Content-Type": content_type}
        assert _put(request.url, headers, body) == 204  # the session and token are good
        assert _put(request.url, {"Cookie": cookies, "Content-Type": content_type}, body) == 403
        body, _ = _multipart(2 * 1024 * 1024)
        assert _put(request.url, headers, body) == 413
        # a declared 120 MB is refused before a byte of the body is read
        assert _put(request.url, headers, None, declared=120 * 1024 * 1024) == 413
        assert _rss_mb(proc.pid) - rss_before < 50


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_killing_the_server_during_an_upload_leaves_the_old_or_the_whole_new_version(page, company, tmp_path):
    big = tmp_path / "gross.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("Artikel;Markt;KW;Menge\n")
        for p in range(4000):
            for w in range(1, 53):
                fh.write(f"{p};M{p % 7};2027-W{w:02d};{p + w}\n")
    wal = Path(f"{company}.wal")
    with einklang_serve(company) as (url, proc):
        page.goto(url + "/upload")
        wait_idle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(big))
        button = page.get_by_role("button", name="Übernehmen")
        button.wait_for(timeout=120_000)
        button.click()
        deadline = time.monotonic() + 120
        while not wal.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        writing = wal.exists()
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert writing, "the upload's write never began"
    from pipelines import store
    with store.opened(company) as con:
        versions = con.execute("select version_id, kind, rows from versions order by 1").fetchall()
        for vid, kind, rows in versions:
            assert con.execute(f"select count(*) from {kind} where version_id = ?", [vid]).fetchall()[0][0] == rows
        assert [v[:2] for v in versions[:4]] == [(1, "products"), (2, "markets"), (3, "capacity"),
                                                 (4, "forecast")]
        assert versions[4:] in ([], [(5, "forecast", 4000 * 52)])
        assert con.execute("select count(*) from forecast where version_id not in "
                           "(select version_id from versions)").fetchall()[0][0] == 0
