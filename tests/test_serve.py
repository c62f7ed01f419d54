"""`einklang serve` on a fresh folder: builds the demo company, then answers on loopback."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pipelines import store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_builds_the_demo_and_answers(tmp_path: Path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EINKLANG_")}
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "serve", "--port", str(port)],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.time() + 120
        answer = None
        while time.time() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    answer = r.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert answer == "ok", proc.stderr.read1(4000).decode() if proc.poll() is not None else "no answer"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    db = tmp_path / "data" / "einklang.duckdb"
    con = store.connect(db, read_only=True)
    try:
        kinds = {k for (k,) in con.execute("select distinct kind from versions").fetchall()}
    finally:
        con.close()
    assert kinds == {"products", "alternates", "markets", "capacity", "forecast", "actuals", "plan"}


def wait_health(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, f"server ended with {proc.returncode}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("no answer")


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
            return True
    except OSError:
        return False


def test_a_network_address_is_refused_without_a_login(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EINKLANG_")}
    env["HOME"] = str(tmp_path)  # no ~/.streamlit/secrets.toml
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "--db", str(tmp_path / "e.duckdb"),
                          "--lang", "en", "serve", "--address", "0.0.0.0", "--port", str(free_port())],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "0.0.0.0" in out.stderr and "[auth]" in out.stderr and "--insecure" in out.stderr
    assert not (tmp_path / "e.duckdb").exists()


def test_a_login_in_the_users_secrets_lets_a_network_address_pass(tmp_path: Path, monkeypatch):
    from pipelines import cli
    monkeypatch.setenv("HOME", str(tmp_path))
    app = tmp_path / "app"
    assert not cli.login_configured(app)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text("[auth]\n", encoding="utf-8")
    assert not cli.login_configured(app), "an empty [auth] is no login"
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        '[auth]\nredirect_uri = "https://plan.example/oauth2callback"\ncookie_secret = "x"\n'
        'client_id = "einklang"\nclient_secret = "s"\n'
        'server_metadata_url = "https://login.example/.well-known/openid-configuration"\n',
        encoding="utf-8")
    assert cli.login_configured(app)
    assert [cli.is_loopback(a) for a in ("127.0.0.1", "127.0.1.1", "::1", "localhost", "0.0.0.0",
                                         "192.168.1.5", "plan.example")] == \
        [True, True, True, True, False, False, False]


def test_sigterm_stops_the_server_and_the_upload_cap_is_passed(tmp_path: Path):
    port = free_port()
    db = tmp_path / "e.duckdb"
    store.connect(db).close()
    env = dict(os.environ, EINKLANG_MAX_FILE_MB="3")
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "--db", str(db), "serve",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_health(port, proc)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"--server.maxUploadSize=3" in cmdline and b"--server.address=127.0.0.1" in cmdline
        os.kill(proc.pid, signal.SIGTERM)  # the process itself, as systemd stop does
        proc.wait(timeout=20)
        assert not answers(port)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_make_serve_takes_a_port_and_an_address(tmp_path: Path):
    repo = Path(__file__).resolve().parent.parent
    port = free_port()
    db = tmp_path / "e.duckdb"
    store.connect(db).close()
    proc = subprocess.Popen(["make", "-s", "serve", f"PORT={port}", "ADDRESS=127.0.0.1"], cwd=repo,
                            env=dict(os.environ, EINKLANG_DB=str(db)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_health(port, proc, timeout=120)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    assert not answers(port)
