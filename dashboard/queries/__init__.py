"""The dashboard's only door into `pipelines`. The DuckDB file is never held: each read opens it
read-only for that moment, each write opens it read-write inside the write, and the gap model lives
in an in-memory DuckDB built from a snapshot of the versions it shows. So `einklang ingest` from cron
and further dashboard processes can use the same file, and each rerun notices a new version from a
cheap stamp. Results are cached on the version ids."""
from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Iterator

import pandas as pd
import streamlit as st

from pipelines import store
from pipelines.settings import Settings, load_settings
from pipelines.store.strategy import DEFAULT_BAND
from pipelines import model as gap_model
from pipelines.store import strategy
from pipelines.store.ingest import IngestResult, Staged, stage, store_staged

# kinds the gap model reads; a version set names the database file and one version (or None) of each
MODEL_KINDS = ("forecast", "capacity", "products", "alternates", "markets", "plan")
VersionKey = tuple[tuple[str, object], ...]
Stamp = tuple[str, int, int]
TOP_HEATMAP_ROWS = 25
# a rerun that finds the file held by a writer shows what it already has instead of waiting long
STAMP_WAIT_SECONDS = 0.5


@dataclass(frozen=True)
class PlanChoice:
    """The plan being viewed and the one it is compared with (None: no comparison)."""

    current: VersionKey
    previous: VersionKey | None

    @property
    def has_forecast(self) -> bool:
        return dict(self.current).get("forecast") is not None


# --- the file ------------------------------------------------------------------------------------

def settings() -> Settings:
    return load_settings()


@st.cache_resource
def _file_lock() -> threading.RLock:
    """One open of the file at a time in this process: DuckDB refuses a read-write open beside a
    read-only one of the same file in one process, and Streamlit serves sessions on threads.
    Never call a cached function while holding it: the thread computing that cache entry may be
    waiting for this lock (get the model first, then open the file)."""
    return threading.RLock()


@st.cache_resource
def _upload_lock() -> threading.Lock:
    return threading.Lock()


@contextlib.contextmanager
def reading(db: str | None = None, timeout: float | None = None) -> Iterator:
    """The file open read-only for one read, closed right after."""
    db = db or settings().db
    with _file_lock():
        with store.opened(db, read_only=True,
                          timeout=settings().lock_timeout if timeout is None else timeout) as con:
            yield con


@contextlib.contextmanager
def writing(db: str | None = None) -> Iterator:
    """The file open read-write inside one write (an upload, an agreement, a strategy), closed
    right after; waits out another process's lock for at most the lock_timeout setting."""
    db = db or settings().db
    with _file_lock():
        with store.opened(db, read_only=False, timeout=settings().lock_timeout) as con:
            yield con


def cursor(db: str | None = None):
    """The file open read-only for one read (kept for the pages' `with cursor(db) as cur`)."""
    return reading(db)


_stamps: dict[tuple[str, str], tuple[tuple, tuple]] = {}


def stamped(name: str, read, db: str | None = None) -> tuple:
    """`read(con)` of the file (the configured one unless `db` is given), read again only when the
    file's size or modification time moved; while another process writes, the last value stands
    (the pages keep showing what they have)."""
    db = db or settings().db
    signature = store.file_signature(db)
    known = _stamps.get((db, name))
    if known is not None and known[0] == signature:
        return known[1]
    try:
        with reading(db, timeout=STAMP_WAIT_SECONDS if known else None) as con:
            value = read(con)
    except store.StoreLocked:
        if known is None:
            raise
        return known[1]
    _stamps[(db, name)] = (signature, value)
    return value


def stamp() -> Stamp:
    """Changes whenever a version is stored: the key of everything cached about the store."""
    db = settings().db
    return stamped("versions", lambda con: (db, *con.execute(
        "select coalesce(max(version_id), 0), count(*) from versions").fetchall()[0]))


# --- versions ------------------------------------------------------------------------------------

@st.cache_data(max_entries=8, show_spinner=False)
def versions(stamp: Stamp) -> pd.DataFrame:
    """Every stored version, newest first."""
    with reading(stamp[0]) as con:
        return store.list_versions(con)


def version_key(stamp: Stamp, upto: int | None = None) -> VersionKey:
    """The plan as it stood after upload `upto` (default: now): the latest version of each kind."""
    frame = versions(stamp)
    if upto is not None:
        frame = frame[frame["version"] <= upto]
    latest = frame.groupby("kind")["version"].max().to_dict() if len(frame) else {}
    return (("db", stamp[0]),) + tuple(
        (kind, int(latest[kind]) if kind in latest else None) for kind in MODEL_KINDS)


def default_previous(stamp: Stamp) -> int | None:
    """The last meeting's plan: the state right after the forecast before the newest one."""
    frame = versions(stamp)
    forecasts = sorted(frame.loc[frame["kind"] == "forecast", "version"], reverse=True)
    return int(forecasts[1]) if len(forecasts) > 1 else None


# --- the model -----------------------------------------------------------------------------------

@st.cache_resource(max_entries=6, show_spinner=False)
def model(key: VersionKey):
    """The gap model of one version set, built once per process in memory from a snapshot of the
    file (which is open only while the rows are copied)."""
    chosen = dict(key)
    db = chosen.pop("db")
    return gap_model.build_from_file(db, chosen, settings=settings(), guard=_file_lock)


def _m(key: VersionKey):
    return model(key)


def _q(key: VersionKey, sql: str, params: list | None = None) -> pd.DataFrame:
    return _m(key).query(sql, params or [])


def user_message(exc: BaseException, lang: str) -> str:
    """A UserError in the user's language as plain text; anything else only as "unexpected"
    (pages show errors through ui.fail, which also logs them)."""
    from pipelines.text import plain, render
    message = getattr(exc, "message", None)
    return plain.markdown(message(lang)) if callable(message) else render("unexpected_error", lang, ref="–")


@st.cache_data(max_entries=16, show_spinner=False)
def horizon_start(key: VersionKey):
    """First period of the plan: comparisons are made from here on."""
    return _m(key).horizon_start()


@st.cache_data(max_entries=16, show_spinner=False)
def kpis(key: VersionKey, since=None) -> dict:
    """Headline numbers of a plan from period `since` on (Model.kpis), with the plan's grain."""
    return {**_m(key).kpis(since), "grain": _m(key).grain}


@st.cache_data(max_entries=16, show_spinner=False)
def conflict_cells(key: VersionKey, top: int = TOP_HEATMAP_ROWS) -> tuple[pd.DataFrame, int]:
    """Shortfall per PMC-period of the `top` PMCs of the top-conflicts ranking (mart_conflict_cells),
    and how many PMCs are short."""
    return _m(key).conflict_cells(top), _m(key).short_pmcs()


@st.cache_resource(max_entries=12, show_spinner=False)
def pmc_heatmap(key: VersionKey, lang: str, marks: pd.DataFrame | None) -> tuple:
    """The overview's conflict heatmap (charts.pmc_heatmap over `conflict_cells`), its number of
    rows shown and of PMCs short. The figure is built once per plan, language and agreement marks
    and shared, read-only (st.plotly_chart serialises it without changing it): building it was
    about half of every overview rerun's server time on a large plan (docs/performance.md)."""
    from dashboard import charts, views
    cells, total = conflict_cells(key)
    cells, order = views.heatmap_cells(cells)
    return charts.pmc_heatmap(cells, lang, order, marks=marks), len(order), total


@st.cache_data(max_entries=16, show_spinner=False)
def line_load(key: VersionKey) -> pd.DataFrame:
    """Required against available hours per line-period."""
    return _q(key, """
        select line, period, period_start, required_hours, available_hours, max_hours,
               utilization as utilisation, overload_hours, free_hours, no_capacity, beyond_forecast
        from mart_load order by line, period_start""")


@st.cache_data(max_entries=16, show_spinner=False)
def top_conflicts(key: VersionKey, lang: str, top: int = 10) -> pd.DataFrame:
    """The top PMCs by strategic weight (mart_top_conflicts), each with the first sentence of its
    explanation."""
    model = _m(key)
    frame = model.top_conflicts(top)
    keys = list(zip(frame["product"], frame["market"], frame["period"]))
    texts = model.explanations(keys, lang)  # one pass for all of them
    frame["explanation"] = [_first_sentence(texts.get(k, "")) for k in keys]
    return frame


def _first_sentence(text: str) -> str:
    text = (text or "").strip()
    for end in (". ", ".\n"):
        if end in text:
            return text.split(end, 1)[0] + "."
    return text


@st.cache_data(max_entries=16, show_spinner=False)
def new_this_cycle(key: VersionKey, previous: VersionKey | None) -> dict[str, list[str]]:
    """Products and markets the master data lacks, and PMCs the comparison's forecast lacked."""
    flags = _q(key, """
        select distinct product, market, is_new_product, is_new_market from mart_gaps""")
    result = {
        "products": sorted(flags.loc[flags["is_new_product"].fillna(False), "product"].unique()),
        "markets": sorted(flags.loc[flags["is_new_market"].fillna(False), "market"].unique()),
        "pmcs": [],
    }
    if previous is not None and dict(previous).get("forecast") is not None:
        before = _q(previous, "select distinct product, market from mart_gaps")
        merged = flags[["product", "market"]].merge(before, how="left", indicator=True)
        fresh = merged[merged["_merge"] == "left_only"]
        result["pmcs"] = sorted(f"{p} · {m}" for p, m in zip(fresh["product"], fresh["market"]))
    return result


# --- drill-down ----------------------------------------------------------------------------------

@st.cache_data(max_entries=64, show_spinner=False)
def find_pmc(key: VersionKey, product: str, market: str) -> tuple[str, str] | None:
    """The stored spelling of a PMC given in a URL (case and leading zeros as a planner types)."""
    hit = _q(key, """
        select product, market from mart_gaps
        where (product = ? or ltrim(product, '0') = ltrim(?, '0'))
          and lower(trim(market)) = lower(trim(?)) limit 1""", [product, product, market])
    return None if hit.empty else (hit["product"].iloc[0], hit["market"].iloc[0])


@st.cache_data(max_entries=64, show_spinner=False)
def find_line(key: VersionKey, line: str) -> str | None:
    hit = _q(key, "select line from mart_load where lower(trim(line)) = lower(trim(?)) limit 1",
             [line])
    return None if hit.empty else hit["line"].iloc[0]


@st.cache_data(max_entries=64, show_spinner=False)
def pmc_series(key: VersionKey, product: str, market: str) -> pd.DataFrame:
    """Demand, supplied and shortfall of one PMC per period, with its line and class."""
    return _q(key, """
        select period, period_start, demand, supplied, shortfall, line, priority_class, reason,
               product_name, market_name, unit, product_display
        from mart_gaps where product = ? and market = ? order by period_start""",
              [product, market])


@st.cache_resource(max_entries=6, show_spinner=False)
def _class_load(key: VersionKey) -> dict[str, pd.DataFrame]:
    """Required hours per line, period and class (int_class_hours, what the allocation uses),
    split by line: one read per plan instead of one per drill-down (shared, read-only)."""
    frame = _q(key, "select line, period, priority_class, required_hours from int_class_hours")
    return {line: part.drop(columns="line") for line, part in frame.groupby("line")}


_prefetched: set = set()
_prefetch_lock = threading.Lock()


# PMC-periods per background lever pass (the model is locked for one pass). On the large plan a
# pass of 1-2 cells took 0.13-0.16 s, of 3 cells 0.6 s, of 12 cells 1.0 s: two cost per cell what
# twelve do and keep the cores from a page for a sixth of the time
PREFETCH_CHUNK = 2
PREFETCH_CELLS = 400   # at most this many heatmap cells, the top rows first
# Streamlit runs each session's script in a thread of this name, alive only while the script runs
# (ScriptRunner.start); a background prefetch waits while one runs and this long after
SCRIPT_THREAD = "ScriptRunner.scriptThread"
QUIET_SECONDS = 1.5
_stopping = threading.Event()
_prefetch_threads: list[threading.Thread] = []


@atexit.register
def stop_prefetch() -> None:
    """At exit: let a running pass end and start no other (DuckDB aborts the process when the
    interpreter goes away under a query of a daemon thread)."""
    _stopping.set()
    for thread in list(_prefetch_threads):
        thread.join(timeout=10)


def pages_running() -> bool:
    """Whether a page's script is running in this process (any session)."""
    return any(thread.name == SCRIPT_THREAD for thread in threading.enumerate())


def _wait_until_quiet(last_busy: float, poll: float = 0.05) -> float:
    """Block while a page runs and for QUIET_SECONDS after (the browser is still drawing what it
    sent; on one desk it shares the cores); returns when it last saw a page running."""
    while not _stopping.is_set():
        now = time.monotonic()
        if pages_running():
            last_busy = now
        elif now - last_busy >= QUIET_SECONDS:
            return last_busy
        time.sleep(poll)
    return last_busy


def prefetch_drill_down(key: VersionKey, lang: str, conflicts: pd.DataFrame,
                        heatmap: bool = False, background: bool = True) -> None:
    """Warm, once per plan and language, what the likely next clicks need: the line loads of every
    drill-down and the levers and explanations of the top conflicts; with `heatmap` (the warm-up of
    the current plan) those of every heatmap cell too, top rows first. A new heatmap cell then
    opens without its levers being computed (about 0.1 s of a drill-down on a large plan).

    Not `background` (the server's start, before it listens): in this thread, in one set-based
    pass (55 cells of the large plan 1.3 s, against 5 s in passes of a dozen). In the background
    (a version landed, a plan opened in the sidebar): two per pass, each pass only when no
    page has run for QUIET_SECONDS, so that it never takes the cores from a page being computed
    or drawn, and a page's own query waits for one pass at most. A plan opened later warms only
    its top conflicts (docs/performance.md)."""
    with _prefetch_lock:
        if (key, lang) in _prefetched:
            return
        _prefetched.add((key, lang))
    targets = [(r.product, r.market, r.period) for r in conflicts.itertuples()]

    def warm() -> None:
        try:
            last_busy = _wait_until_quiet(0.0) if background else 0.0
            if _stopping.is_set():
                return
            _class_load(key)
            keys = list(dict.fromkeys(targets + (_heatmap_keys(conflict_cells(key)[0]) if heatmap else [])))
            keys = keys[:PREFETCH_CELLS]
            model = _m(key)
            chunk = PREFETCH_CHUNK if background else len(keys) or 1
            for start in range(0, len(keys), chunk):
                if background:
                    last_busy = _wait_until_quiet(last_busy)
                if _stopping.is_set():
                    return
                model.explanations(keys[start:start + chunk], lang)
        except Exception as exc:  # noqa: BLE001 - a head start only: the click computes it anyway
            logging.getLogger(__name__).warning("drill-down prefetch", exc_info=exc)
    if background:
        thread = threading.Thread(target=warm, daemon=True, name="einklang-prefetch")
        _prefetch_threads[:] = [t for t in _prefetch_threads if t.is_alive()] + [thread]
        thread.start()
    else:
        warm()


def _heatmap_keys(cells: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The heatmap's cells (product, market, period), row by row as drawn, each row in time order."""
    if cells.empty:
        return []
    ordered = cells.sort_values(["rank", "period"], kind="stable")
    return list(zip(ordered["product"], ordered["market"], ordered["period"]))


def line_load_by_class(key: VersionKey, line: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Required hours of a line per period and priority class, and its capacity per period."""
    load = _class_load(key).get(line, pd.DataFrame(columns=["period", "priority_class", "required_hours"]))
    capacity = line_load(key)
    capacity = capacity.loc[capacity["line"] == line, ["period", "available_hours", "max_hours", "beyond_forecast"]]
    return load, capacity


@st.cache_data(max_entries=64, show_spinner=False)
def competitors(key: VersionKey, line: str, period: str) -> pd.DataFrame:
    """Every PMC that needs the line in the period, most important class first."""
    return _q(key, """
        select product, product_name, market, priority_class, demand, supplied, shortfall, unit,
               required_hours, product_display
        from mart_gaps where line = ? and period = ?
        order by priority_class, shortfall desc, demand desc""", [line, period])


@st.cache_data(max_entries=64, show_spinner=False)
def levers(key: VersionKey, product: str, market: str, period: str, lang: str) -> pd.DataFrame:
    return _m(key).levers(product, market, period, lang)


@st.cache_data(max_entries=64, show_spinner=False)
def episode(key: VersionKey, period: str, product: str | None = None, market: str | None = None,
            line: str | None = None) -> list[str]:
    """The conflict episode around `period` (Model.episode): what an agreement covers by default."""
    return _m(key).episode(period, product=product, market=market, line=line)


@st.cache_data(max_entries=64, show_spinner=False)
def line_levers(key: VersionKey, line: str, period: str, lang: str) -> pd.DataFrame:
    return _m(key).line_levers(line, period, lang)


@st.cache_data(max_entries=64, show_spinner=False)
def explanation(key: VersionKey, product: str, market: str, period: str, lang: str) -> str:
    try:
        return _m(key).explain(product, market, period, lang)
    except ImportError:  # explain not available in this build of the pipelines
        return ""


# --- capacity and demand -------------------------------------------------------------------------

@st.cache_data(max_entries=16, show_spinner=False)
def bands(key: VersionKey) -> dict[str, tuple[float, float]]:
    """Target utilisation band per line from the strategy valid for this plan (default band else)."""
    lines = _q(key, "select distinct line from mart_load")["line"].tolist()
    try:
        with reading(dict(key)["db"]) as cur:
            chosen = strategy.strategy_for_versions(
                cur, {k: v for k, v in key if k in MODEL_KINDS and v is not None})
        return {line: tuple(chosen.band(line)) for line in lines}
    except Exception:  # no strategy stored (or no strategy module): the default band for all
        return {line: DEFAULT_BAND for line in lines}


@st.cache_data(max_entries=16, show_spinner=False)
def bottlenecks(key: VersionKey) -> pd.DataFrame:
    """Lines ranked by overload hours (mart_bottlenecks), with their target band."""
    frame = _m(key).bottlenecks()
    band = bands(key)
    frame["band"] = frame["line"].map(lambda line: band.get(line, DEFAULT_BAND))
    return frame


@st.cache_data(max_entries=16, show_spinner=False)
def maintenance(key: VersionKey) -> pd.DataFrame:
    """Line-periods with clearly reduced capacity (mart_reduced_capacity)."""
    return _m(key).reduced_capacity()


@st.cache_data(max_entries=16, show_spinner=False)
def unit_problems(key: VersionKey) -> pd.DataFrame:
    """Forecast quantities that cannot be put into their article's unit (Model.unit_problems)."""
    return _m(key).unit_problems()


@st.cache_data(max_entries=16, show_spinner=False)
def demand_by(key: VersionKey, by: str, since=None, basis: str | None = None) -> pd.DataFrame:
    """Forecast per period and market or product group in one unit (Model.demand_by: kg, the
    articles' one unit, or line hours where units are mixed)."""
    return _m(key).demand_by(by, since, basis)


# --- upload --------------------------------------------------------------------------------------

def stage_upload(data: bytes, file_name: str, **kwargs) -> Staged:
    """Read and check one upload against the current versions, storing nothing (the preview);
    the page keeps the result and stores it with `store_upload`, so the file is read once."""
    with _upload_lock():
        try:
            with reading() as con:
                return stage(con, data, file_name, settings=settings(), **kwargs)
        except store.StoreLocked as err:
            return Staged(file_name, data, kwargs.get("sha256") or "",
                          IngestResult(file=file_name, status="rejected", errors=[err]), [])


def upload_changes(staged: Staged, merge: bool) -> list:
    """What storing a previewed upload would change, with or without merge."""
    with _upload_lock():
        try:
            with reading() as con:
                return staged.changes(con, merge)
        except store.StoreLocked:
            return []


def store_upload(staged: Staged, **kwargs) -> IngestResult:
    """Store a previewed upload in one transaction, without reading the file again."""
    with _upload_lock():
        try:
            with writing() as con:
                return store_staged(con, staged, settings=settings(), **kwargs)
        except store.StoreLocked as err:
            return IngestResult(file=staged.file_name, status="rejected", errors=[err])
