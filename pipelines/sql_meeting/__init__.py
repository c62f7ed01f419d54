"""SQL models of the look-back (acc_*: forecast accuracy, cmp_*: version change), one per file.

They run on a cursor of their own with bound parameters; each file creates the TEMP table it is
named after, so two pages asking at once never see each other's tables.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent


def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def create(cursor: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    """Create TEMP table `name` from its SQL file, with the parameters the file names."""
    text = sql_text(name)
    used = {k: v for k, v in (params or {}).items() if f"${k}" in text}
    cursor.execute(f"create or replace temp table {name} as\n{text}", used)


def grain_of(con: duckdb.DuckDBPyConnection, version_ids) -> str:
    """'month' when any of the versions is monthly, else 'week' (coarser grain wins, spec section 3)."""
    ids = [int(v) for v in version_ids if v is not None]
    if not ids:
        return "week"
    rows = con.execute(f"select grain from versions where version_id in ({', '.join('?' for _ in ids)})",
                       ids).fetchall()
    return "month" if any(g == "month" for (g,) in rows) else "week"
