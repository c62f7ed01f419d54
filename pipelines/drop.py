"""The ERP drop folder: files that appear in a folder are ingested as if uploaded, the result is
written beside them, and each file is moved to `done/` or `refused/`.

An ERP job (SAP, a nightly export to a share) only has to write its file into the folder; a file is
read once it has not changed for `settle` seconds, so a half-written export is never read.
"""
from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import time
from pathlib import Path
from typing import Callable

from pipelines.settings import Settings

DONE, REFUSED = "done", "refused"
# written by copy tools and browsers while a file is still arriving
PARTIAL_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".filepart", ".download")
EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


def pending(folder: Path) -> list[Path]:
    """Files waiting in the folder, oldest first (not hidden, not partial, not a result)."""
    files = []
    for path in folder.iterdir():
        name = path.name
        if not path.is_file() or name.startswith((".", "~$")):
            continue
        if name.lower().endswith(PARTIAL_SUFFIXES) or ".result." in name:
            continue
        files.append(path)
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _settled(path: Path, settle: float, now: float) -> bool:
    signature = _signature(path)
    return signature is not None and now - signature[1] / 1e9 >= settle


def _target(folder: Path, name: str, when: dt.datetime) -> Path:
    """done/20271201-230501_absatz.xlsx: the ERP writes the same name every night."""
    folder.mkdir(exist_ok=True)
    stem = f"{when:%Y%m%d-%H%M%S}_{name}"
    target, n = folder / stem, 1
    while target.exists():
        n += 1
        target = folder / f"{when:%Y%m%d-%H%M%S}-{n}_{name}"
    return target


def process(path: Path, settings: Settings) -> dict:
    """Ingest one settled file; write FILE.result.json and FILE.result.txt beside it in done/ or
    refused/ and move it there. A busy database leaves the file where it is (status 'locked')."""
    from pipelines import store
    from pipelines.errors import UserError
    from pipelines.store.ingest import IngestResult, ingest_bytes
    from pipelines.text import render
    from pipelines.text.tables import error_table, version_lines

    lang = settings.lang
    before = _signature(path)
    size_mb = (before[0] if before else 0) / 1024 / 1024
    if size_mb > float(settings.max_file_mb):
        result = IngestResult(file=path.name, status="rejected", errors=[UserError(
            "file_too_large", file=path.name,
            params={"size_mb": size_mb, "limit_mb": float(settings.max_file_mb)})])
    else:
        data = path.read_bytes()
        if _signature(path) != before:
            return {"file": path.name, "status": "changing"}  # still being written: next round
        try:
            with store.opened(settings.db, read_only=False, timeout=settings.lock_timeout) as con:
                result = ingest_bytes(con, data, path.name, settings=settings)
        except store.StoreLocked as err:
            return {"file": path.name, "status": "locked", "errors": [err.to_dict(lang)],
                    "message": render("watch_busy", lang, file=path.name)}
    when = dt.datetime.now()
    target = _target(path.parent / (DONE if result.ok else REFUSED), path.name, when)
    doc = {"file": path.name, "processed_at": when.isoformat(timespec="seconds"),
           "moved_to": str(target), **result.to_dict(lang)}
    if result.ok:
        versions = ", ".join(f"#{v.version} ({v.kind})" for v in result.versions)
        key = "watch_existing" if result.existing else "watch_accepted"
        summary = render(key, lang, file=path.name, versions=versions)
        text = summary + "\n\n" + "\n".join(version_lines(result, lang, False)) + "\n"
    else:
        summary = render("watch_refused", lang, file=path.name, count=len(result.errors))
        text = summary + "\n\n" + error_table(result.errors, lang) + "\n"
    doc["message"] = summary
    Path(f"{target}.result.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    Path(f"{target}.result.txt").write_text(text, encoding="utf-8")
    path.replace(target)
    return doc


def watch(folder: Path, settings: Settings, *, once: bool = False, interval: float = 10.0,
          settle: float = 2.0, json_lines: bool = False,
          report: Callable[[str], None] | None = None) -> int:
    """Process the folder until stopped (SIGTERM, Ctrl-C), or, with `once`, what is there now.

    Exit code with `once`: 0 all accepted, 1 a file refused, 3 the database stayed locked."""
    from pipelines.text import render
    report = report or (lambda line: (print(line), sys.stdout.flush()))
    if not folder.is_dir():
        print(render("watch_no_folder", settings.lang, folder=folder), file=sys.stderr)
        return EXIT_USAGE
    stopping = []
    if not once:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
    worst = EXIT_OK
    deadline = time.time() + settle + 1.0  # with `once`: wait for files still arriving, briefly
    while not stopping:
        waiting = False
        for path in pending(folder):
            if stopping:
                break
            if not _settled(path, settle, time.time()):
                waiting = True
                continue
            doc = process(path, settings)
            if doc["status"] == "changing":
                waiting = True
                continue
            code = {"locked": EXIT_LOCKED, "rejected": EXIT_REFUSED}.get(doc["status"], EXIT_OK)
            worst = max(worst, code)
            report(json.dumps(doc, ensure_ascii=False, default=str) if json_lines
                   else doc.get("message", ""))
        if once and (not waiting or time.time() > deadline):
            break
        _sleep(min(interval, 0.2) if once else interval, stopping)
    return worst


def _sleep(seconds: float, stopping: list) -> None:
    end = time.monotonic() + seconds
    while not stopping and time.monotonic() < end:
        time.sleep(min(0.2, max(0.0, end - time.monotonic())))
