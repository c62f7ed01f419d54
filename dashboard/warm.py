"""Warm-up: build the gap model and the first screens' figures before anyone asks for them.

`einklang serve` calls `warm_up()` once before the server listens (so the first page after a
fresh start finds the model built), and every dashboard process runs one `watcher` thread that
warms again whenever the DuckDB file changes (a version landed: an upload, `einklang ingest` from
cron, a meeting). Everything goes through the same cached functions the pages call
(`dashboard.queries`), so a warm figure is exactly the one a cold page would compute. Versions that
were current stay in the model cache (`queries.model`, six version sets), so switching back to
them is a cache hit.
"""
from __future__ import annotations

import logging
import threading
import time

from dashboard import queries
from pipelines import store

log = logging.getLogger("einklang.warm")
POLL_SECONDS = 2.0
WARM_THREADS = ("einklang-warm", "einklang-prefetch")


class _QuietWarmUp(logging.Filter):
    """Streamlit warns that cached functions run outside a page (no runtime yet, no script
    context): true, and intended, for the warm-up's own calls; the pages' warnings stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_warming.is_set() or record.threadName in WARM_THREADS)


_warming = threading.Event()
for _name in ("streamlit.runtime.caching.cache_data_api",
              "streamlit.runtime.scriptrunner_utils.script_run_context"):
    logging.getLogger(_name).addFilter(_QuietWarmUp())


def plan_keys(stamp) -> tuple[queries.VersionKey, queries.VersionKey | None]:
    """The current plan and the comparison the sidebar picks by default."""
    previous = queries.default_previous(stamp)
    return queries.version_key(stamp), (queries.version_key(stamp, previous) if previous else None)


def warm_up(lang: str | None = None) -> list[queries.VersionKey]:
    """Build the models of the current plan and its default comparison and compute what the
    overview and the meeting agenda show first. Never raises: a plan that does not build shows
    its error on the page, as before. Returns the version sets that were warmed."""
    lang = lang or queries.settings().lang
    warmed: list[queries.VersionKey] = []
    if threading.current_thread() is threading.main_thread():
        _warming.set()  # before the server runs: nothing else logs from this process yet
    try:
        stamp = queries.stamp()
        key, previous = plan_keys(stamp)
        if dict(key).get("forecast") is None:
            return warmed
        started = time.perf_counter()
        queries.model(key)
        warmed.append(key)
        since = queries.horizon_start(key)
        queries.kpis(key)
        queries.conflict_cells(key)
        top = queries.top_conflicts(key, lang)
        queries.new_this_cycle(key, previous)
        queries.line_load(key)
        queries.bands(key)
        _warm_heatmap(key, lang)
        if previous is not None and dict(previous).get("forecast") is not None:
            queries.model(previous)
            warmed.append(previous)
            queries.kpis(previous, since)
            queries.new_this_cycle(key, previous)
        # at the server's start in this thread, before it listens; in the watcher behind the pages
        queries.prefetch_drill_down(key, lang, top, heatmap=True,
                                    background=threading.current_thread() is not threading.main_thread())
        _warm_meeting(stamp, lang)
        log.info("warm-up of %s took %.1f s", [dict(k).get("forecast") for k in warmed],
                 time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - the pages show the error when they get there
        log.warning("warm-up failed", exc_info=exc)
    finally:
        _warming.clear()
    return warmed


def _warm_heatmap(key, lang: str) -> None:
    """The overview's heatmap figure with the agreements' marks, as the page asks for it (the
    figure is about half of a large plan's overview on the server; the first navigation after a
    start had built it)."""
    from dashboard.queries import meeting as qm
    queries.pmc_heatmap(key, lang, qm.marks(key, qm.meeting_stamp(), lang))


def _warm_meeting(stamp, lang: str) -> None:
    """The newest meeting's agenda figures (steps 1 and 3) and what a new meeting's step 1 needs."""
    from dashboard.queries import meeting as qm
    from pipelines.model import compare
    mstamp = qm.meeting_stamp()
    meetings = qm.meetings(mstamp)
    with queries.cursor(stamp[0]) as cur:  # a meeting created now compares the newest forecasts
        pairs = [compare.version_pair(cur, "forecast", None), compare.version_pair(cur, "capacity", None)]
    if len(meetings):
        meeting_id = int(meetings["meeting_id"].iloc[0])
        chosen = qm.meeting(mstamp, meeting_id)
        key = qm.meeting_key(stamp, chosen)
        if dict(key).get("forecast") is not None:
            queries.model(key)
            version = chosen.get("strategy_version_id")
            qm.fill_against_target(key, mstamp, version)
            qm.strategy_checks(key, mstamp, version, chosen.get("lang") or lang)
            queries.kpis(key)
        compared = qm.compared_versions(stamp, mstamp, meeting_id)
        pairs = [compared["forecast"], compared["capacity"], *pairs]
    for kind, (current, previous) in zip(("forecast", "capacity") * 2, pairs):
        if kind == "forecast":
            qm.forecast_change_by_market(stamp, current, previous)
            qm.biggest_moves(stamp, current, previous)
        else:
            qm.capacity_change(stamp, current, previous)


def watch(stop: threading.Event, interval: float = POLL_SECONDS) -> None:
    """Warm again whenever the file's size or modification time moves (cheap: a stat call)."""
    seen = None
    while not stop.is_set():
        try:
            signature = store.file_signature(queries.settings().db)
            if signature != seen:
                seen = signature
                warm_up()
        except Exception as exc:  # noqa: BLE001 - the watcher must outlive a bad moment
            log.warning("warm-up watcher", exc_info=exc)
        stop.wait(interval)


_watcher: dict[str, object] = {}
_watcher_lock = threading.Lock()


def start_watcher() -> threading.Event:
    """The one watcher thread of this process (started on first call); returns its stop event."""
    with _watcher_lock:
        if "stop" not in _watcher:
            stop = threading.Event()
            thread = threading.Thread(target=watch, args=(stop,), daemon=True, name="einklang-warm")
            _watcher.update(stop=stop, thread=thread)
            thread.start()
        return _watcher["stop"]
