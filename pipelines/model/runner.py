"""Runs the SQL models of `pipelines/model/sql/`: one file per model, named after the table or
view it creates, with bound parameters; a failing model names its file and statement."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"

_MATERIALIZED = re.compile(r"^--\s*materialized:\s*(view|table)\s*$", re.MULTILINE)


class ModelError(RuntimeError):
    """A SQL model failed: which file, which statement, and DuckDB's message."""

    def __init__(self, name: str, statement: str, cause: BaseException):
        self.name, self.statement, self.cause = name, statement, cause
        first = next((line for line in statement.splitlines() if line.strip()), "")
        super().__init__(f"In SQL model {name}.sql ({first.strip()[:80]} ...): {cause}")


def sql_text(name: str) -> str:
    """The text of one SQL file of pipelines/model/sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def materialization(name: str) -> str:
    """'view' or 'table', from the file's `-- materialized:` line (default table)."""
    match = _MATERIALIZED.search(sql_text(name))
    return match.group(1) if match else "table"


def execute(cursor: duckdb.DuckDBPyConnection, name: str, statement: str, params=None):
    """Run one statement of model `name`; a failure is a ModelError naming the file."""
    try:
        return cursor.execute(statement, params) if params is not None else cursor.execute(statement)
    except duckdb.Error as exc:
        raise ModelError(name, statement, exc) from exc


def rename(text: str, names: dict[str, str] | None) -> str:
    """`text` with every whole-word model name of `names` replaced by the table it stands for (a
    scenario's tables live beside the base's on one cursor, under their own names)."""
    if not names:
        return text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
                         + r")\b")
    return pattern.sub(lambda m: names[m.group(1)], text)


def create(cursor: duckdb.DuckDBPyConnection, name: str, params: dict | None = None,
           names: dict[str, str] | None = None, materialized: str | None = None) -> None:
    """Create TEMP table (or view) `name` from its SQL file, with the parameters the file names;
    with `names`, the models it reads and the one it creates are the tables `names` maps them to;
    `materialized` ('table'/'view') overrides the file's `-- materialized:` line."""
    text = sql_text(name)
    used = {k: v for k, v in (params or {}).items() if f"${k}" in text}
    target = (names or {}).get(name, name)
    kind = materialized or materialization(name)
    execute(cursor, name, f"create or replace temp {kind} {target} as\n"
            f"{rename(text, names)}", used or None)


def run_macros(cursor: duckdb.DuckDBPyConnection, name: str, names: dict[str, str] | None = None) -> None:
    """Define the macros of one macros file (with `names`: under and over the mapped names)."""
    execute(cursor, name, rename(sql_text(name), names))


def grain_of(con: duckdb.DuckDBPyConnection, version_ids) -> str:
    """'month' when any of the versions is monthly, else 'week' (coarser grain wins, spec section 3)."""
    ids = [int(v) for v in version_ids if v is not None]
    if not ids:
        return "week"
    rows = con.execute(f"select grain from versions where version_id in ({', '.join('?' for _ in ids)})",
                       ids).fetchall()
    return "month" if any(g == "month" for (g,) in rows) else "week"


def stage_versions(cursor: duckdb.DuckDBPyConnection, grain: str, staging: tuple[str, ...],
                   selection: dict[str, int] | list[tuple[str, int]] | None = None) -> None:
    """For the models that compare versions (cmp_*, acc_*): the macros, the grain (model_params)
    and the selected versions (model_selection, kind -> id or (kind, id) pairs, so one kind may
    name two versions) they read, then the staging models named."""
    run_macros(cursor, "macros")
    cursor.execute("create or replace temp table model_params as select ?::text as grain", [grain])
    cursor.execute("create or replace temp table model_selection (kind text, version_id integer)")
    pairs = [(k, v) for k, v in (selection.items() if isinstance(selection, dict) else selection or ())
             if v is not None]
    if pairs:
        cursor.executemany("insert into model_selection values (?, ?)", pairs)
    for name in staging:
        create(cursor, name)
