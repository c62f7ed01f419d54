"""The DuckDB file: schema, versions and the one write transaction per upload."""
from __future__ import annotations

import re
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import duckdb

from pipelines.errors import UserError

SCHEMA_VERSION = 2

# Columns added after a table was first created: a file made by an older Einklang gains them on
# its next read-write open (older rows hold NULL: no net weight, no changeover, units per hour).
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("products", "net_weight", "double"),
    ("products", "changeover_hours", "double"),
    ("products", "rate_unit", "text"),
    ("alternates", "rate_unit", "text"),
)

# Normalised rows of every input kind; each row belongs to one version.
# `period` is 'YYYY-Www' or 'YYYY-MM'; `period_start` is the Monday of the week or the 1st of the month.
# Keys hold their canonical display text (first seen); `keys` maps folded key -> display.
DDL = """
create sequence if not exists version_seq start 1;
create table if not exists meta (name text primary key, value text);
create table if not exists files (
    sha256 text primary key, file_name text, size_bytes bigint, content blob, stored_at timestamp);
create table if not exists versions (
    version_id integer primary key, kind text not null, created_at timestamp not null,
    label text, file_name text, sha256 text, sheet text, user_name text, as_of date,
    grain text, layout text, header_row integer, rows integer, merged_rows integer,
    skipped_rows integer, mode text, base_version_id integer);
create table if not exists keys (
    key_type text, key_folded text, display text, first_version_id integer,
    primary key (key_type, key_folded));
create table if not exists forecast (
    version_id integer, product text, market text, period text, period_start date,
    quantity double, unit text, name text);
create table if not exists actuals (
    version_id integer, product text, market text, period text, period_start date,
    quantity double, unit text, name text);
create table if not exists capacity (
    version_id integer, line text, period text, period_start date,
    available_hours double, max_hours double);
create table if not exists plan (
    version_id integer, product text, period text, period_start date,
    planned_quantity double, line text);
create table if not exists products (
    version_id integer, product text, line text, rate double, name text, product_group text,
    unit text, shelf_life_days double, min_remaining_shelf_life_days double,
    price double, margin double, net_weight double, changeover_hours double, rate_unit text);
create table if not exists alternates (
    version_id integer, product text, line text, rate double, rate_unit text);
create table if not exists markets (
    version_id integer, market text, priority_class integer, name text);
create table if not exists mappings (
    signature text primary key, kind text, mapping text, headers text, saved_at timestamp);
""" + """
create sequence if not exists strategy_seq start 1;
create table if not exists strategy_versions (
    strategy_version_id integer primary key, created_at timestamp not null, user_name text,
    note text, source text, base_version_id integer);
create table if not exists strategy_priorities (
    strategy_version_id integer not null, market text not null, product text,
    priority_class integer not null);
create table if not exists strategy_bands (
    strategy_version_id integer not null, line text not null,
    min_utilization double not null, max_utilization double not null);
create table if not exists strategy_fill_targets (
    strategy_version_id integer not null, priority_class integer, market text, target double not null);
create table if not exists strategy_goals (
    strategy_version_id integer not null, goal_id text not null, text text not null,
    active boolean not null);
create sequence if not exists meeting_seq start 1;
create table if not exists meetings (
    meeting_id integer primary key, meeting_date date not null, cycle text, title text,
    participants text, versions text, strategy_version_id integer, lang text,
    created_at timestamp not null, user_name text);
create sequence if not exists agreement_seq start 1;
create table if not exists agreements (
    agreement_id integer primary key, meeting_id integer, created_at timestamp not null,
    user_name text, versions text, strategy_version_id integer);
-- an agreement may name the scenario it takes (issue 12); files from before get the column here
alter table agreements add column if not exists scenario text;
create table if not exists agreement_revisions (
    agreement_id integer not null, revision integer not null, revised_at timestamp not null,
    user_name text, text text not null, lever text, owner text, due_date date, goal_id text,
    status text, primary key (agreement_id, revision));
create table if not exists agreement_scope (
    agreement_id integer not null, item integer not null, scope text not null,
    product text, market text, line text, period text, demand_before double,
    supplied_before double, shortfall_before double, overload_hours_before double);
create sequence if not exists scenario_seq start 1;
create table if not exists scenarios (
    scenario_id integer primary key, name text not null, revision integer not null,
    author text, created_at timestamp not null, text text not null);
"""

DATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "forecast": ("product", "market", "period", "period_start", "quantity", "unit", "name"),
    "actuals": ("product", "market", "period", "period_start", "quantity", "unit", "name"),
    "capacity": ("line", "period", "period_start", "available_hours", "max_hours"),
    "plan": ("product", "period", "period_start", "planned_quantity", "line"),
    "products": ("product", "line", "rate", "name", "product_group", "unit", "shelf_life_days",
                 "min_remaining_shelf_life_days", "price", "margin", "net_weight",
                 "changeover_hours", "rate_unit"),
    "alternates": ("product", "line", "rate", "rate_unit"),
    "markets": ("market", "priority_class", "name"),
}


@dataclass
class StoreLocked(UserError):
    """Another process held the database file for longer than the lock timeout."""


def _lock_holder(exc: BaseException) -> str:
    """'PID 1234 (/usr/bin/python3)' from DuckDB's lock message, or ''."""
    text = str(exc)
    pid = re.search(r"\(PID (\d+)\)", text)
    program = re.search(r"lock is held in (.+?) \(PID", text)
    if not pid:
        return ""
    return f"PID {pid[1]}" + (f" ({program[1]})" if program else "")


def is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return float(timeout)
    from pipelines.settings import load_settings
    return float(load_settings().lock_timeout)


def retry_locked(path: str | Path, action: Callable[[], object], timeout: float | None = None):
    """Run `action` until it no longer meets another process's file lock, for at most `timeout`
    seconds (default: the lock_timeout setting); then raise StoreLocked naming the holder."""
    deadline = time.monotonic() + _timeout(timeout)
    delay = 0.05
    while True:
        try:
            return action()
        except duckdb.IOException as exc:
            if not is_lock_error(exc):
                raise
            left = deadline - time.monotonic()
            if left <= 0:
                holder = _lock_holder(exc)
                raise StoreLocked("store_locked", file=str(path), value=holder or None,
                                  params={"seconds": _timeout(timeout), "db": str(path),
                                          "holder_text": f" ({holder})" if holder else ""}) from exc
            time.sleep(min(delay, left))
            delay = min(delay * 2, 0.5)


def connect(path: str | Path, read_only: bool = False,
            timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open (and on first use create) the Einklang database file, waiting out another process's
    lock for at most `timeout` seconds (default: the lock_timeout setting)."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        connect(path, timeout=timeout).close()  # a reader of a new file finds the empty schema
    con = retry_locked(path, lambda: duckdb.connect(str(path), read_only=read_only), timeout)
    if not read_only:
        try:
            migrate(con)
        except BaseException:
            con.close()
            raise
    return con


@contextmanager
def opened(path: str | Path, read_only: bool = True,
           timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The file open for one read (or, with read_only=False, one write), closed right after:
    a DuckDB file lock is per process, so a connection kept open locks every other process out."""
    con = connect(path, read_only=read_only, timeout=timeout)
    try:
        yield con
    finally:
        con.close()


# Copied whole into a snapshot (small); `files` (the uploaded bytes) is never copied, and the
# input kinds only for the versions chosen.
SNAPSHOT_TABLES = ("meta", "versions", "keys", "mappings", "strategy_versions",
                   "strategy_priorities", "strategy_bands", "strategy_fill_targets",
                   "strategy_goals", "meetings", "agreements", "agreement_revisions",
                   "agreement_scope")


def snapshot(path: str | Path, choose: Callable[[duckdb.DuckDBPyConnection], Iterable[int]],
             timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding what a model needs from the file: the small tables whole
    and the rows of the versions `choose(snapshot)` picks. The file is attached read-only only
    while copying, so other processes may write it the moment this returns."""
    path = Path(path)
    if not path.exists():
        connect(path, timeout=timeout).close()
    mem = duckdb.connect(":memory:")
    try:
        mem.execute(DDL)
        quoted = str(path).replace("'", "''")
        retry_locked(path, lambda: mem.execute(f"attach '{quoted}' as snapshot_source (read_only)"),
                     timeout)
        try:
            with transaction(mem):  # one consistent read of the file
                for table in SNAPSHOT_TABLES:
                    mem.execute(f"insert into {table} by name select * from snapshot_source.{table}")
                ids = sorted({int(v) for v in choose(mem) if v is not None})
                for table in DATA_COLUMNS:
                    if ids:
                        mem.execute(f"insert into {table} by name select * from snapshot_source.{table} "
                                    f"where version_id in ({', '.join('?' for _ in ids)})", ids)
        finally:
            mem.execute("detach snapshot_source")
    except BaseException:
        mem.close()
        raise
    return mem


def file_signature(path: str | Path) -> tuple:
    """Size and modification time of the file and its write-ahead log: changes with every write,
    read without opening the database (so without taking its lock)."""
    signature = []
    for candidate in (Path(path), Path(f"{path}.wal")):
        try:
            st = candidate.stat()
            signature.append((st.st_size, st.st_mtime_ns))
        except OSError:
            signature.append(None)
    return tuple(signature)


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("begin")
    con.execute(DDL)
    for table, column, type_ in ADDED_COLUMNS:
        con.execute(f"alter table {table} add column if not exists {column} {type_}")
    con.execute("insert or replace into meta values ('schema_version', ?)", [str(SCHEMA_VERSION)])
    _attach_agreements_to_meetings(con)
    con.execute("commit")


# Agreements stored before every agreement belonged to a meeting (docs/meeting.md): each joins the
# meeting of the ISO week it was made in; a week without one gets the meeting that week's first
# agreement would have opened (dated that day, on that agreement's plan and strategy).
_ORPHAN_WEEK = "date_trunc('week', a.created_at)::date"
_WEEK_MEETING = f"""
    update agreements a set meeting_id = (
        select m.meeting_id from meetings m
        where date_trunc('week', m.meeting_date)::date = {_ORPHAN_WEEK}
        order by m.meeting_date desc, m.meeting_id desc limit 1)
    where a.meeting_id is null"""


def _attach_agreements_to_meetings(con: duckdb.DuckDBPyConnection) -> None:
    if not con.execute("select count(*) from agreements where meeting_id is null").fetchall()[0][0]:
        return
    con.execute(_WEEK_MEETING)
    con.execute(f"""
        insert into meetings
        select nextval('meeting_seq'), first_day, 'KW ' || weekofyear(first_day), null, '[]',
               versions, strategy_version_id, 'de', current_timestamp, user_name
        from (
            select min(a.created_at)::date as first_day,
                   arg_min(a.versions, a.created_at) as versions,
                   arg_min(a.strategy_version_id, a.created_at) as strategy_version_id,
                   arg_min(a.user_name, a.created_at) as user_name
            from agreements a where a.meeting_id is null group by {_ORPHAN_WEEK}
        ) order by first_day""")
    con.execute(_WEEK_MEETING)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block ends, roll back on any exception."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def current_versions(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> dict[str, int]:
    """The latest version id of each kind: the current plan, or the plan as it stood right after
    upload `upto`."""
    rows = con.execute("select kind, max(version_id) from versions "
                       "where version_id <= coalesce(?, version_id) group by kind", [upto]).fetchall()
    return {kind: vid for kind, vid in rows}


def list_versions(con: duckdb.DuckDBPyConnection):
    """Every stored version, newest first, as a DataFrame."""
    return con.execute(
        "select version_id as version, kind, created_at, label, file_name, sheet, sha256, as_of, "
        "grain, layout, rows, merged_rows, skipped_rows, mode, user_name "
        "from versions order by version_id desc").df()


def product_displays(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Normal form -> article number as the ERP writes it (`815` -> `000815`), where one is kept."""
    return dict(con.execute("select key_folded, display from keys where key_type = 'product'").fetchall())


def with_product_display(frame, displays: dict[str, str], into: str = "product_display"):
    """A copy of `frame` with the article numbers as written in column `into` (`product_display`
    beside the key, or `product` itself for a frame that is only shown, like the pack's)."""
    if "product" not in frame.columns or (into == "product" and not displays):
        return frame
    shown = frame.copy()
    shown[into] = [displays.get(p, p) if isinstance(p, str) else p for p in shown["product"]]
    return shown
