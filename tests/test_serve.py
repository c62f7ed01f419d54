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
