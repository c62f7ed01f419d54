"""The DuckDB file: schema, versions and the one write transaction per upload."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

SCHEMA_VERSION = 1

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
    price double, margin double);
create table if not exists alternates (
    version_id integer, product text, line text, rate double);
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
                 "min_remaining_shelf_life_days", "price", "margin"),
    "alternates": ("product", "line", "rate"),
    "markets": ("market", "priority_class", "name"),
}


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and on first use create) the Einklang database file."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("begin")
    con.execute(DDL)
    con.execute("insert or replace into meta values ('schema_version', ?)", [str(SCHEMA_VERSION)])
    con.execute("commit")


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
