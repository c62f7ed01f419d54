"""docs/deploy.md's commands, run on this machine as far as it allows: the systemd units verify,
their ExecStart lines start a dashboard and a watcher that stop on the unit's KillSignal, and the
cron line ingests a drop."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "docs" / "deploy.md"
GOOD = "Artikel;Markt;KW;Menge\n100;LEH;2027-W05;10\n"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), re.S)


def here(text: str, tmp: Path) -> str:
    """The documented paths mapped onto this checkout and a temporary data folder."""
    return (text.replace("/opt/einklang", str(REPO)).replace("/var/lib/einklang", str(tmp / "var"))
            .replace("/srv/einklang/drop", str(tmp / "drop")))


def unit(kind: str, tmp: Path) -> str:
    (text,) = [b for b in blocks("ini") if f"bin/einklang {kind}" in b]
    return here(text, tmp)


def directive(text: str, name: str) -> list[str]:
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(f"{name}=")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    (tmp_path / "var").mkdir()
    (tmp_path / "drop").mkdir()
    return tmp_path


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_the_units_verify(folders: Path):
    for kind in ("serve", "watch"):
        path = folders / f"einklang-{kind}.service"
        # the service user does not exist on a test machine; everything else is checked as written
        path.write_text(re.sub(r"^(User|Group)=.*\n", "", unit(kind, folders), flags=re.M), encoding="utf-8")
        out = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True, text=True)
        assert out.returncode == 0 and not out.stderr.strip(), out.stderr


def test_the_dashboard_units_execstart_serves_and_stops_on_its_killsignal(folders: Path):
    text = unit("serve", folders)
    env = dict(os.environ, **dict(e.split("=", 1) for e in directive(text, "Environment")))
    assert env["EINKLANG_DB"] == str(folders / "var" / "einklang.duckdb")
    (command,) = directive(text, "ExecStart")
    argv = shlex.split(command)
    assert argv[argv.index("--address") + 1] == "127.0.0.1"
    port = free_port()
    argv[argv.index("--port") + 1] = str(port)
    (workdir,) = directive(text, "WorkingDirectory")
    proc = subprocess.Popen(argv, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.time() + 60
        answer = None
        while answer is None and time.time() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    answer = r.read().decode().strip()
            except OSError:
                time.sleep(0.2)
        assert answer == "ok"
        (kill_signal,) = directive(text, "KillSignal")
        (stop_timeout,) = directive(text, "TimeoutStopSec")
        os.kill(proc.pid, getattr(signal, kill_signal))
        proc.wait(timeout=float(stop_timeout))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)


def test_the_watch_units_execstart_reads_a_drop_and_stops(folders: Path):
    text = unit("watch", folders)
    env = dict(os.environ, **dict(e.split("=", 1) for e in directive(text, "Environment")))
    (command,) = directive(text, "ExecStart")
    argv = shlex.split(command)
    argv[argv.index("--interval") + 1] = "0.3"
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        drop = folders / "drop" / "absatz.csv"
        drop.write_text(GOOD, encoding="utf-8")
        deadline = time.time() + 60
        while drop.exists() and time.time() < deadline:
            time.sleep(0.2)
        assert not drop.exists() and len(list((folders / "drop" / "done").glob("*_absatz.csv"))) == 1
        os.kill(proc.pid, getattr(signal, directive(text, "KillSignal")[0]))
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_cron_line_ingests_a_drop(folders: Path):
    (line,) = [b.strip() for b in blocks("cron")]
    fields = line.split(maxsplit=6)
    assert fields[5] == "einklang"  # /etc/crontab's user column
    drop = folders / "drop" / "absatz.csv"
    drop.write_text(GOOD, encoding="utf-8")
    old = time.time() - 60
    os.utime(drop, (old, old))  # written by the ERP an hour before the job
    out = subprocess.run(["sh", "-c", here(fields[6], folders)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert not drop.exists()
    log = (folders / "var" / "watch.log").read_text(encoding="utf-8")
    assert "absatz.csv" in log and "angenommen" in log
