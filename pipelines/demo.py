"""The demo company (Molkerei Alpenhof): its ERP exports in data/sample, ingested in meeting order."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from pipelines import store
from pipelines.settings import Settings, load_settings
from pipelines.store.ingest import ingest_file

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"

# (file, kind or None for detection, as-of of a forecast cycle, label), in the order a planner
# would have uploaded them over the year; the last forecast is this meeting's (KW 48/2026).
DEMO_UPLOADS: tuple[tuple[str, str | None, str | None, str], ...] = (
    ("Stammdaten.xlsx", None, None, "Stammdaten"),
    ("Kapazitaet_2027.xlsx", None, None, "Kapazität 2027"),
    ("Absatzplanung_KW22_2026.xlsx", None, "2026-05-29", "Absatzplanung KW 22"),
    ("Ist_Absatz_KW22-KW47_2026.csv", "actuals", None, "Ist KW 22-47"),
    ("Absatzplanung_KW44_2026.xlsx", None, "2026-10-30", "Absatzplanung KW 44"),
    ("Produktionsplan_KW49-KW09.xlsx", "plan", None, "Produktionsplan KW 49-09"),
    ("Absatzplanung_KW48_2026.xlsx", None, "2026-11-27", "Absatzplanung KW 48"),
)

# the next meeting's files (data/sample/next_cycle), for the look-back
NEXT_CYCLE_UPLOADS: tuple[tuple[str, str | None, str | None, str], ...] = (
    ("next_cycle/Ist_Absatz_KW48-KW51_2026.csv", "actuals", None, "Ist KW 48-51"),
    ("next_cycle/Absatzplanung_KW52_2026.xlsx", None, "2026-12-23", "Absatzplanung KW 52"),
)


class DemoError(RuntimeError):
    """A demo file was refused: the sample data and the reader disagree."""


def ingest_uploads(con, uploads, settings: Settings, merge_actuals: bool = False,
                   progress: Callable[[str, float], None] | None = None) -> list:
    results = []
    for i, (name, kind, as_of, label) in enumerate(uploads):
        if progress:
            progress(Path(name).name[:12], i / len(uploads))
        merge = merge_actuals and kind == "actuals"
        result = ingest_file(con, SAMPLE_DIR / name, kind=kind, as_of=as_of, label=label,
                             settings=settings, user="demo", merge=merge)
        if not result.ok:
            details = "; ".join(f"{e.sheet}!{e.column}{e.row}: {e.message('en')}" for e in result.errors[:5])
            raise DemoError(f"{name}: {details}")
        results.append(result)
    if progress:
        progress("done", 1.0)
    return results


def build_demo(db_path: str | Path, settings: Settings | None = None,
               progress: Callable[[str, float], None] | None = None,
               next_cycle: bool = False) -> Path:
    """A fresh database file holding the demo company; an existing file at the path is replaced."""
    settings = settings or load_settings()
    db_path = Path(db_path)
    tmp = db_path.with_name(db_path.name + ".building")
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    con = store.connect(tmp)
    try:
        ingest_uploads(con, DEMO_UPLOADS, settings, progress=progress)
        if next_cycle:
            ingest_uploads(con, NEXT_CYCLE_UPLOADS, settings, merge_actuals=True)
        con.execute("checkpoint")
    finally:
        con.close()
    # swap in only a complete file: a failed build never leaves a half demo behind
    Path(str(db_path) + ".wal").unlink(missing_ok=True)
    tmp.replace(db_path)
    return db_path
