"""Strategy and goals: the yardstick conflicts are judged by; every change is a new version."""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines import store
from pipelines.contract import DEFAULT_PRIORITY_CLASS, FIELD_ALIASES, fold_header
from pipelines.errors import Rejected, UserError, column_letter
from pipelines.read import guard
from pipelines.read.workbook import HEAD_ROWS, calamine_sheets
from pipelines.settings import Settings, load_settings
from pipelines.text import render

# A line without its own band is judged against this target utilisation band (fractions).
DEFAULT_BAND: tuple[float, float] = (0.75, 0.90)
# A PMC whose market and class have no fill-rate target of their own is judged against these.
DEFAULT_FILL_TARGETS: dict[int, float] = {1: 0.98, 2: 0.95, 3: 0.90}
# A market without any class (neither strategy nor master data) is class 2 = B (spec section 5).
DEFAULT_CLASS = DEFAULT_PRIORITY_CLASS

PRIORITY_COLUMNS = ["market", "product", "priority_class"]
BAND_COLUMNS = ["line", "min_utilization", "max_utilization"]
TARGET_COLUMNS = ["priority_class", "market", "target"]
GOAL_COLUMNS = ["goal_id", "text", "active"]
_CLASS_LETTERS = {"A": 1, "B": 2, "C": 3, "D": 4}


def _frame(columns: list[str], rows=None) -> pd.DataFrame:
    return pd.DataFrame(rows or [], columns=columns)


@dataclass
class Strategy:
    """One version of the strategy: classes, bands, fill-rate targets and goals."""

    version_id: int | None = None
    created_at: dt.datetime | None = None
    user: str | None = None
    note: str | None = None
    priorities: pd.DataFrame = field(default_factory=lambda: _frame(PRIORITY_COLUMNS))
    bands: pd.DataFrame = field(default_factory=lambda: _frame(BAND_COLUMNS))
    fill_targets: pd.DataFrame = field(default_factory=lambda: _frame(TARGET_COLUMNS))
    goals: pd.DataFrame = field(default_factory=lambda: _frame(GOAL_COLUMNS))

    def band(self, line: str) -> tuple[float, float]:
        """Target utilisation band (low, high) of a line; the default band where none is set."""
        hit = self.bands[self.bands["line"].map(_fold) == _fold(line)]
        if hit.empty:
            return DEFAULT_BAND
        row = hit.iloc[-1]
        return float(row["min_utilization"]), float(row["max_utilization"])

    def fill_target(self, market: str | None, priority_class: int | None) -> float:
        """Fill-rate target: the market's own, else its class's, else the default of the class."""
        targets = self.fill_targets
        if market is not None and not targets.empty:
            hit = targets[targets["market"].notna() & (targets["market"].map(_fold) == _fold(market))]
            if not hit.empty:
                return float(hit.iloc[-1]["target"])
        cls = DEFAULT_CLASS if _missing(priority_class) else int(priority_class)
        if not targets.empty:
            hit = targets[targets["market"].isna() & _eq(targets["priority_class"], cls)]
            if not hit.empty:
                return float(hit.iloc[-1]["target"])
        return DEFAULT_FILL_TARGETS.get(cls, min(DEFAULT_FILL_TARGETS.values()))

    def goal_text(self, goal_id: str | None) -> str | None:
        if not goal_id:
            return None
        hit = self.goals[self.goals["goal_id"] == goal_id]
        return None if hit.empty else str(hit.iloc[-1]["text"])


def _missing(value: object) -> bool:
    """None, NaN, NaT or pd.NA: the cell is empty."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _eq(series: pd.Series, value: object) -> pd.Series:
    """Element-wise equality where a missing cell is simply not equal."""
    return pd.Series([not _missing(v) and v == value for v in series], index=series.index, dtype=bool)


def _fold(value: object) -> str:
    return "" if _missing(value) else str(value).strip().casefold()


# --- reading -----------------------------------------------------------------------------------

def _load(con: duckdb.DuckDBPyConnection, version_id: int | None) -> Strategy:
    if version_id is None:
        return Strategy()
    head = con.execute(
        "select strategy_version_id, created_at, user_name, note from strategy_versions "
        "where strategy_version_id = ?", [version_id]).fetchone()
    if head is None:
        raise KeyError(f"strategy version {version_id} does not exist")
    priorities = con.execute(
        "select market, product, priority_class from strategy_priorities "
        "where strategy_version_id = ? order by lower(market), product nulls first", [version_id]).df()
    bands = con.execute(
        "select line, min_utilization, max_utilization from strategy_bands "
        "where strategy_version_id = ? order by lower(line)", [version_id]).df()
    targets = con.execute(
        "select priority_class, market, target from strategy_fill_targets "
        "where strategy_version_id = ? order by market nulls first, priority_class", [version_id]).df()
    goals = con.execute(
        "select goal_id, text, active from strategy_goals where strategy_version_id = ? "
        "order by try_cast(regexp_extract(goal_id, '\\d+') as integer), goal_id", [version_id]).df()
    return Strategy(version_id=head[0], created_at=head[1], user=head[2], note=head[3],
                    priorities=priorities, bands=bands, fill_targets=targets, goals=goals)


def current_strategy(con: duckdb.DuckDBPyConnection) -> Strategy:
    """The latest strategy version (an empty strategy with the defaults when none was saved)."""
    vid = con.execute("select max(strategy_version_id) from strategy_versions").fetchone()[0]
    return _load(con, vid)


def strategy_version(con: duckdb.DuckDBPyConnection, version_id: int) -> Strategy:
    return _load(con, version_id)


def strategy_at(con: duckdb.DuckDBPyConnection, when: dt.datetime | dt.date | str) -> Strategy:
    """The strategy valid at a time: the last version saved at or before it."""
    when = _as_datetime(when)
    vid = con.execute(
        "select max(strategy_version_id) from strategy_versions where created_at <= ?",
        [when]).fetchone()[0]
    return _load(con, vid)


def strategy_for_versions(con: duckdb.DuckDBPyConnection, versions: dict[str, int] | None) -> Strategy:
    """The strategy valid for a plan: the current one for the current plan; for an older version
    set, the one in force when that set was superseded by the next upload of one of its kinds."""
    current = store.current_versions(con)
    versions = {k: v for k, v in (versions or current).items() if v is not None}
    if not versions or all(current.get(k) == v for k, v in versions.items()):
        return current_strategy(con)
    kinds, ids = list(versions), [int(v) for v in versions.values()]
    superseded = con.execute(
        f"select min(created_at) from versions where kind in ({', '.join('?' for _ in kinds)}) "
        f"and version_id > ?", [*kinds, max(ids)]).fetchone()[0]
    if superseded is None:
        return current_strategy(con)
    return strategy_at(con, superseded - dt.timedelta(microseconds=1))


def strategy_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every strategy version, newest first, with what it holds."""
    return con.execute(
        "select v.strategy_version_id, v.created_at, v.user_name, v.note, v.source, v.base_version_id, "
        "(select count(*) from strategy_priorities p where p.strategy_version_id = v.strategy_version_id) as priorities, "
        "(select count(*) from strategy_bands b where b.strategy_version_id = v.strategy_version_id) as bands, "
        "(select count(*) from strategy_fill_targets t where t.strategy_version_id = v.strategy_version_id) as fill_targets, "
        "(select count(*) from strategy_goals g where g.strategy_version_id = v.strategy_version_id) as goals "
        "from strategy_versions v order by v.strategy_version_id desc").df()


def _as_datetime(value: dt.datetime | dt.date | str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        # a day means the end of that day: a change made during the day was valid on it
        return dt.datetime.combine(value, dt.time.max)
    text = str(value).strip()
    return _as_datetime(dt.datetime.fromisoformat(text) if len(text) > 10 else dt.date.fromisoformat(text))


# --- priority classes for the model ------------------------------------------------------------

def priority_overrides(con: duckdb.DuckDBPyConnection, strategy_version_id: int | None) -> pd.DataFrame:
    """Classes the strategy sets: (market, product or None for the whole market, priority_class).

    The model applies them on top of the markets master data: a row with a product overrides
    that PMC, a row without product the whole market; markets compare case-insensitively.
    """
    if strategy_version_id is None:
        return _frame(PRIORITY_COLUMNS)
    return con.execute(
        "select market, product, priority_class from strategy_priorities "
        "where strategy_version_id = ? order by lower(market), product nulls first",
        [strategy_version_id]).df()


def effective_classes(con: duckdb.DuckDBPyConnection, pmcs: pd.DataFrame,
                      strategy_version_id: int | None,
                      markets_version_id: int | None = None) -> pd.DataFrame:
    """The class of each (product, market): PMC override, market override, master data, else B."""
    if markets_version_id is None:
        markets_version_id = store.current_versions(con).get("markets")
    cur = con.cursor()
    try:
        cur.register("_pmcs", pmcs[["product", "market"]].drop_duplicates())
        return cur.execute(
            """
            with overrides as (
                select lower(trim(market)) as market_key, product, priority_class
                from strategy_priorities where strategy_version_id = $strategy
            ),
            master as (
                select lower(trim(market)) as market_key, min(priority_class) as priority_class
                from markets where version_id = $markets group by 1
            ),
            final as (
                select p.product, p.market,
                    coalesce(pmc.priority_class, mkt.priority_class, master.priority_class, $default)
                        as priority_class
                from _pmcs p
                left join overrides pmc on pmc.market_key = lower(trim(p.market))
                    and pmc.product = p.product
                left join overrides mkt on mkt.market_key = lower(trim(p.market)) and mkt.product is null
                left join master on master.market_key = lower(trim(p.market))
            )
            select * from final
            """, {"strategy": strategy_version_id, "markets": markets_version_id,
                  "default": DEFAULT_CLASS}).df()
    finally:
        cur.close()


# --- writing -----------------------------------------------------------------------------------

# Where a problem of the four tables is: the editor's table and row; an import's file, sheet, Excel
# row, column letter and header (`read_strategy` passes its own)
Where = Callable[[str, int, "str | None"], dict]
_COLUMN_KEYS = {"market": "st_col_market", "product": "st_col_product", "priority_class": "st_col_class",
                "line": "st_col_line", "min_utilization": "st_col_band_low",
                "max_utilization": "st_col_band_high", "target": "st_col_target",
                "goal_id": "st_col_goal_id", "text": "st_col_goal_text", "active": "st_col_active",
                "market_or_class": "st_col_market_or_class", "pmc": "st_col_pmc"}


def _in_table(table: str, row: int, column: str | None) -> dict:
    return {"sheet": table, "row": row}


def _label(column: str) -> dict[str, str]:
    """A column's name in both languages, as the exported workbook heads it."""
    return {lg: render(_COLUMN_KEYS[column], lg) for lg in ("de", "en")}


def _clean(strategy: Strategy, where: Where = _in_table,
           repeats: str = "last") -> tuple[Strategy, list[UserError]]:
    """Normalise the four tables and collect every problem, located by `where` (table, row, column).

    A key given twice with different values (a market's class, a line's band, a target): with
    `repeats="refuse"` (a workbook) a problem naming both rows; with "last" (the editor, which
    lists every line with the default band and takes a row added below as the override) the last
    row. A goal id given twice with different goals is refused either way."""
    errors: list[UserError] = []

    def error(message: str, table: str, row: int, column: str | None, value: object = None, **params) -> None:
        if "what" in params:
            label = _label(params.pop("what"))
            params |= {"what_de": label["de"], "what_en": label["en"]}
        errors.append(UserError(message, value=value, params={"row": row, **params}, **where(table, row, column)))

    def unique(table: str, column: str, entries: list[tuple], mode: str = repeats) -> list[tuple]:
        """Entries (row, key, key shown, value, value shown, record, what) with one per key: an
        identical repeat is dropped, a repeat with another value refused naming both rows, or
        with mode "last" taken instead of the row above."""
        first: dict[object, tuple] = {}
        for entry in entries:
            row, key, _, value, shown_value, _, what = entry
            if key not in first:
                first[key] = entry
            elif first[key][3] != value and mode == "last":
                first[key] = entry
            elif first[key][3] != value:
                error("st_conflicting_duplicate", table, row, column, shown_value, key=first[key][2],
                      other_row=first[key][0], other_value=first[key][4], what=what)
        return list(first.values())

    def records(*kept: list[tuple]) -> list[tuple]:
        return [entry[5] for entry in sorted((e for part in kept for e in part), key=lambda e: e[0])]

    entries = []
    for i, r in _rows(strategy.priorities, PRIORITY_COLUMNS):
        market = _text(r.market)
        if not market:
            error("st_missing", "priorities", i, "market", what="market")
            continue
        cls = _priority_class(r.priority_class)
        if cls is None:
            error("bad_priority", "priorities", i, "priority_class", _shown(r.priority_class))
            continue
        product = _product(r.product)
        entries.append((i, (_fold(market), product), f"{product} / {market}" if product else market,
                        cls, _CLASS_NAMES.get(cls, str(cls)), (market, product, cls),
                        "pmc" if product else "market"))
    priorities = _frame(PRIORITY_COLUMNS, records(unique("priorities", "priority_class", entries)))

    entries = []
    for i, r in _rows(strategy.bands, BAND_COLUMNS):
        line = _text(r.line)
        low, high = _share(r.min_utilization), _share(r.max_utilization)
        if not line:
            error("st_missing", "bands", i, "line", what="line")
        elif low is None or high is None or low < 0 or high < low:
            column = "max_utilization" if low is not None and low >= 0 else "min_utilization"
            error("st_bad_band", "bands", i, column,
                  f"{_shown(r.min_utilization)} - {_shown(r.max_utilization)}")
        else:
            entries.append((i, _fold(line), line, (low, high), f"{_percent(low)} – {_percent(high)}",
                            (line, low, high), "line"))
    bands = _frame(BAND_COLUMNS, records(unique("bands", "max_utilization", entries)))

    by_market, by_class = [], []
    for i, r in _rows(strategy.fill_targets, TARGET_COLUMNS):
        market = _text(r.market)
        cls = _priority_class(r.priority_class)
        target = _share(r.target)
        if _text(r.priority_class) and cls is None:
            error("bad_priority", "fill_targets", i, "priority_class", _shown(r.priority_class))
        elif target is None or not 0 <= target <= 1:
            error("st_bad_target", "fill_targets", i, "target", _shown(r.target))
        elif market is None and cls is None:
            error("st_missing", "fill_targets", i, "market", what="market_or_class")
        elif market:  # a market's own target: its class, if given too, says nothing more
            by_market.append((i, _fold(market), market, target, _percent(target),
                              (None, market, target), "market"))
        else:
            by_class.append((i, cls, _CLASS_NAMES.get(cls, str(cls)), target, _percent(target),
                             (cls, None, target), "priority_class"))
    targets = _frame(TARGET_COLUMNS, records(unique("fill_targets", "target", by_class),
                                             unique("fill_targets", "target", by_market)))

    entries = []
    for i, r in _rows(strategy.goals, GOAL_COLUMNS):
        text = _text(r.text)
        goal_id = _text(r.goal_id)
        if not text:
            if goal_id:
                error("st_missing", "goals", i, "text", what="text")
            continue
        active = True if _missing(r.active) else _active(r.active)
        if active is None:
            error("st_bad_active", "goals", i, "active", _shown(r.active))
            continue
        shown = f"{text} ({'✓' if active else '✗'})"
        if goal_id:  # ids compare as the eye reads them: `g1` is `G1`
            entries.append((i, goal_id.casefold(), goal_id, (text, active), shown, (goal_id, text, active),
                            "goal_id"))
        else:        # a new goal written twice is one goal
            entries.append((i, ("new", text.casefold()), text, active, shown, (None, text, active), "text"))
    goals = _frame(GOAL_COLUMNS, records(unique("goals", "goal_id", entries, "refuse")))
    return replace(strategy, priorities=priorities, bands=bands, fill_targets=targets, goals=goals), errors


def _rows(frame: pd.DataFrame, columns: list[str]):
    """(Excel row, record) pairs: the `_row` a workbook gave, else the position under a header."""
    numbers = frame["_row"].tolist() if "_row" in frame.columns else range(2, len(frame) + 2)
    return zip(numbers, frame.reindex(columns=columns).itertuples(index=False))


def _text(value: object) -> str | None:
    """A cell as text, trimmed; a number cell with an integral value as its integer (100.0 -> 100)."""
    if _missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _shown(value: object) -> str:
    """A cell's value as a message shows it ('' for an empty cell)."""
    return _text(value) or ""


def _percent(share: float) -> str:
    return f"{round(share * 100, 4):g} %"


def _product(value: object) -> str | None:
    """Product keys as the reader normalises them (spec section 1)."""
    text = _text(value)
    if text is None:
        return None
    return (text.lstrip("0") or "0") if text.isdigit() else text


def _priority_class(value: object) -> int | None:
    text = _text(value)
    if text is None:
        return None
    if text.upper() in _CLASS_LETTERS:
        return _CLASS_LETTERS[text.upper()]
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1 <= number <= 9 else None


def _share(value: object) -> float | None:
    """A share given as 0.9, 90, '90 %' or '0,9'; numbers above 2 are read as percent."""
    text = _text(value)
    if text is None:
        return None
    percent = text.endswith("%")
    text = text.rstrip("%").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number / 100 if percent or number > 2 else number


# what an `Aktiv` cell may say: a cross is yes, as German checklists mark it; an empty cell is no
# in an imported sheet (`read_strategy`), yes in the editor (its checkbox's default)
ACTIVE_WORDS = frozenset({"x", "✓", "✔", "☑", "ja", "j", "yes", "y", "1", "wahr", "true", "aktiv", "active"})
INACTIVE_WORDS = frozenset({"nein", "n", "no", "0", "falsch", "false", "inaktiv", "inactive", "-", "–"})


def _active(value: object) -> bool | None:
    """Whether a goal is pursued: True, False, or None where the cell says neither."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    folded = _fold(_text(value))
    if folded in ACTIVE_WORDS:
        return True
    if not folded or folded in INACTIVE_WORDS:
        return False
    return None


def _next_goal_number(con: duckdb.DuckDBPyConnection, goals: pd.DataFrame | None = None) -> int:
    """The next free goal number: above every id of every stored version and every id of the goals
    being saved (a file brings ids of its own: `G7` typed by hand)."""
    used = [g for (g,) in con.execute("select goal_id from strategy_goals").fetchall()]
    if goals is not None:
        used += [g for g in goals["goal_id"] if not _missing(g)]
    numbers = [int(m.group()) for g in used if (m := re.search(r"\d+", str(g or "")))]
    return max(numbers, default=0) + 1


def save_strategy(con: duckdb.DuckDBPyConnection, strategy: Strategy, *, user: str | None = None,
                  note: str | None = None, source: str = "edit",
                  at: dt.datetime | None = None) -> int:
    """Store the strategy as a new version (all four tables); raises `Rejected` with every problem.

    Goals without an id get the next free `G<n>`; ids are never reused, so agreements keep
    pointing at the goal they served.
    """
    clean, errors = _clean(strategy)
    if errors:
        raise Rejected(errors)
    with store.transaction(con):
        base = con.execute("select max(strategy_version_id) from strategy_versions").fetchone()[0]
        vid = con.execute("select nextval('strategy_seq')").fetchone()[0]
        number = _next_goal_number(con, clean.goals)
        goals = clean.goals.copy()
        for idx in goals.index[goals["goal_id"].isna()]:
            goals.at[idx, "goal_id"] = f"G{number}"
            number += 1
        if at is None:
            con.execute("insert into strategy_versions values (?, current_timestamp, ?, ?, ?, ?)",
                        [vid, user, note, source, base])
        else:
            con.execute("insert into strategy_versions values (?, ?, ?, ?, ?, ?)",
                        [vid, at, user, note, source, base])
        for table, frame, columns in (
                ("strategy_priorities", clean.priorities, PRIORITY_COLUMNS),
                ("strategy_bands", clean.bands, BAND_COLUMNS),
                ("strategy_fill_targets", clean.fill_targets, TARGET_COLUMNS),
                ("strategy_goals", goals, GOAL_COLUMNS)):
            for row in frame[columns].itertuples(index=False):
                values = [None if _missing(v) else v for v in row]
                con.execute(f"insert into {table} (strategy_version_id, {', '.join(columns)}) "
                            f"values (?, {', '.join('?' for _ in columns)})", [vid, *values])
    return vid


def _edit(con, user, note, at, change) -> int:
    current = current_strategy(con)
    updated = change(current)
    return save_strategy(con, updated, user=user, note=note, at=at)


def set_priority(con: duckdb.DuckDBPyConnection, market: str, priority_class: int | str,
                 product: str | None = None, *, user: str | None = None, note: str | None = None,
                 at: dt.datetime | None = None) -> int:
    """Set the class of a market (or of one PMC when a product is given); a new version."""
    def change(s: Strategy) -> Strategy:
        p = s.priorities
        keep = ~((p["market"].map(_fold) == _fold(market)) &
                 (p["product"].map(_product).fillna("") == (_product(product) or "")))
        row = _frame(PRIORITY_COLUMNS, [(market, _product(product), priority_class)])
        return replace(s, priorities=pd.concat([p[keep], row], ignore_index=True) if keep.any() else row)
    return _edit(con, user, note, at, change)


def set_band(con: duckdb.DuckDBPyConnection, line: str, low: float, high: float, *,
             user: str | None = None, note: str | None = None, at: dt.datetime | None = None) -> int:
    """Set a line's target utilisation band (fractions or percent); a new version."""
    def change(s: Strategy) -> Strategy:
        b = s.bands
        keep = b["line"].map(_fold) != _fold(line)
        row = _frame(BAND_COLUMNS, [(line, low, high)])
        return replace(s, bands=pd.concat([b[keep], row], ignore_index=True) if keep.any() else row)
    return _edit(con, user, note, at, change)


def set_fill_target(con: duckdb.DuckDBPyConnection, target: float, *, market: str | None = None,
                    priority_class: int | str | None = None, user: str | None = None,
                    note: str | None = None, at: dt.datetime | None = None) -> int:
    """Set the fill-rate target of a market, or of a class when no market is given; a new version."""
    def change(s: Strategy) -> Strategy:
        t = s.fill_targets
        if market is not None:
            keep = t["market"].map(_fold) != _fold(market)
            row = _frame(TARGET_COLUMNS, [(None, market, target)])
        else:
            cls = _priority_class(priority_class)
            keep = t["market"].notna() | ~_eq(t["priority_class"], cls)
            row = _frame(TARGET_COLUMNS, [(cls, None, target)])
        return replace(s, fill_targets=pd.concat([t[keep], row], ignore_index=True) if keep.any() else row)
    return _edit(con, user, note, at, change)


def add_goal(con: duckdb.DuckDBPyConnection, text: str, *, user: str | None = None,
             note: str | None = None, at: dt.datetime | None = None) -> str:
    """Add a strategic goal; returns its id (G1, G2, ...)."""
    def change(s: Strategy) -> Strategy:
        row = _frame(GOAL_COLUMNS, [(None, text, True)])
        return replace(s, goals=pd.concat([s.goals, row], ignore_index=True) if len(s.goals) else row)
    vid = _edit(con, user, note, at, change)
    return con.execute("select goal_id from strategy_goals where strategy_version_id = ? "
                       "order by try_cast(regexp_extract(goal_id, '\\d+') as integer) desc nulls last "
                       "limit 1", [vid]).fetchone()[0]


def edit_goal(con: duckdb.DuckDBPyConnection, goal_id: str, *, text: str | None = None,
              active: bool | None = None, user: str | None = None, note: str | None = None,
              at: dt.datetime | None = None) -> int:
    """Change a goal's text or retire it (active=False); the earlier text stays in older versions."""
    def change(s: Strategy) -> Strategy:
        goals = s.goals.copy()
        hit = goals["goal_id"] == goal_id
        if not hit.any():
            raise KeyError(f"goal {goal_id} does not exist")
        if text is not None:
            goals.loc[hit, "text"] = text
        if active is not None:
            goals.loc[hit, "active"] = active
        return replace(s, goals=goals)
    return _edit(con, user, note, at, change)


# --- Excel -------------------------------------------------------------------------------------

# sheet -> (message key of the sheet name, [(column, message key of its header)])
_SHEETS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "priorities": ("st_sheet_priorities", [("market", "st_col_market"), ("product", "st_col_product"),
                                           ("priority_class", "st_col_class")]),
    "bands": ("st_sheet_bands", [("line", "st_col_line"), ("min_utilization", "st_col_band_low"),
                                 ("max_utilization", "st_col_band_high")]),
    "fill_targets": ("st_sheet_targets", [("priority_class", "st_col_class"), ("market", "st_col_market"),
                                          ("target", "st_col_target")]),
    "goals": ("st_sheet_goals", [("goal_id", "st_col_goal_id"), ("text", "st_col_goal_text"),
                                 ("active", "st_col_active")]),
}
_CLASS_NAMES = {1: "A", 2: "B", 3: "C", 4: "D"}


def export_strategy(strategy: Strategy, target: str | Path | io.BytesIO | None = None,
                    lang: str = "de") -> bytes | None:
    """Write the strategy as a workbook (one sheet per table); bytes when no target is given."""
    import xlsxwriter

    buffer = io.BytesIO() if target is None else target
    wb = xlsxwriter.Workbook(buffer if not isinstance(buffer, Path) else str(buffer),
                             {"strings_to_formulas": False, "strings_to_urls": False,
                              "strings_to_numbers": False, "in_memory": True})
    bold = wb.add_format({"bold": True})
    pct = wb.add_format({"num_format": "0%"})
    frames = {"priorities": strategy.priorities, "bands": strategy.bands,
              "fill_targets": strategy.fill_targets, "goals": strategy.goals}
    for key, (sheet_key, columns) in _SHEETS.items():
        ws = wb.add_worksheet(render(sheet_key, lang))
        for c, (_, header_key) in enumerate(columns):
            ws.write_string(0, c, render(header_key, lang), bold)
            ws.set_column(c, c, 40 if key == "goals" and c == 1 else 18)
        for r, row in enumerate(frames[key].reindex(columns=[c for c, _ in columns])
                                .itertuples(index=False), start=1):
            for c, ((column, _), value) in enumerate(zip(columns, row)):
                if _missing(value):
                    continue
                if column == "priority_class":
                    ws.write_string(r, c, _CLASS_NAMES.get(int(value), str(int(value))))
                elif column in ("min_utilization", "max_utilization", "target"):
                    ws.write_number(r, c, float(value), pct)
                elif column == "active":
                    ws.write_string(r, c, render("yes" if value else "no", lang))
                else:
                    ws.write_string(r, c, str(value))
    if strategy.version_id is None:
        # a fresh strategy: show the defaults the judgement uses, so the file documents them
        ws = wb.get_worksheet_by_name(render("st_sheet_bands", lang))
        ws.write_string(1, 0, render("st_default_line", lang))
        ws.write_number(1, 1, DEFAULT_BAND[0], pct)
        ws.write_number(1, 2, DEFAULT_BAND[1], pct)
    wb.close()
    if target is None:
        return buffer.getvalue()
    return None


# the columns a sheet's header row must name (each tuple: one of them), the others are optional
_REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "priorities": (("market",), ("priority_class",)),
    "bands": (("line",), ("min_utilization",), ("max_utilization",)),
    "fill_targets": (("target",), ("market", "priority_class")),
    "goals": (("text",),),
}
# the planning contract's header names hold here too (`Kundengruppe`, `Artikelnummer`, `Anlage`, `Prio`)
_CONTRACT_FIELDS = ("market", "product", "line", "priority_class")
_EXTENSIONS = ("xlsx", "xlsm", "xls", "ods")


def _headers(key: str) -> dict[str, str]:
    """Folded header name -> column of one sheet: German, English, the column's own name."""
    out: dict[str, str] = {}
    for column, header_key in _SHEETS[key][1]:
        names = [render(header_key, "de"), render(header_key, "en"), column]
        if column in _CONTRACT_FIELDS:
            names += list(FIELD_ALIASES[column])
        for name in names:
            out.setdefault(fold_header(name), column)
    return out


def _cell(value: object) -> object:
    """A calamine cell with '' (its empty cell) and blank text as None."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _sheet_names(key: str) -> set[str]:
    return {fold_header(render(_SHEETS[key][0], lg)) for lg in ("de", "en")} | {fold_header(key)}


def _find_header(grid: list[list[object]], key: str) -> tuple[int | None, dict[str, int], dict[str, list[int]], int]:
    """(0-based header row or None, column -> index, columns named twice, the row that came
    closest): the first row within `HEAD_ROWS` that names the sheet's required columns, as the
    planning readers find a header below title rows."""
    names = _headers(key)
    best, best_found = 0, -1
    for r, row in enumerate(grid[:HEAD_ROWS]):
        found: dict[str, list[int]] = {}
        for c, value in enumerate(row):
            column = names.get(fold_header(value)) if _cell(value) is not None else None
            if column is not None:
                found.setdefault(column, []).append(c)
        if all(any(c in found for c in group) for group in _REQUIRED[key]):
            return r, {c: at[0] for c, at in found.items()}, {c: at for c, at in found.items() if len(at) > 1}, r
        if len(found) > best_found:
            best, best_found = r, len(found)
    return None, {}, {}, best


def _header_problems(file_name: str, sheet: str, key: str, grid: list[list[object]],
                     closest: int) -> list[UserError]:
    """Why no header row was found: the columns the closest row lacks, or no header at all."""
    names = _headers(key)
    have = {names.get(fold_header(v)) for v in grid[closest] if v is not None} - {None}
    if not have:
        return [UserError("st_no_header", file=file_name, sheet=sheet, params={
            "rows": HEAD_ROWS, **{f"columns_{lg}": ", ".join(f"„{render(_COLUMN_KEYS[g[0]], lg)}“"
                                                            for g in _REQUIRED[key]) for lg in ("de", "en")}})]
    out = []
    for group in _REQUIRED[key]:
        if not any(c in have for c in group):
            what = _label("market_or_class" if len(group) > 1 else group[0])
            out.append(UserError("st_missing_column", file=file_name, sheet=sheet, row=closest + 1,
                                 params={"what_de": what["de"], "what_en": what["en"], "row": closest + 1}))
    return out


def read_strategy(data: bytes | str | Path, file_name: str | None = None, *,
                  settings: Settings | None = None) -> Strategy:
    """Read a strategy workbook (xlsx, xlsm, xls or ods; German or English sheet names and
    headers, title rows above the header); raises `Rejected` with every problem, each naming its
    file, sheet, Excel row, column and value. A file without a single strategy row is refused:
    imported, it would replace the stored strategy with nothing."""
    return read_strategy_parts(data, file_name, settings=settings)[0]


def read_strategy_parts(data: bytes | str | Path, file_name: str | None = None, *,
                        settings: Settings | None = None) -> tuple[Strategy, set[str], list[str]]:
    """`read_strategy`, the parts (priorities, bands, fill_targets, goals) whose sheet the file
    has, empty or not (a part without its sheet is not in the file at all), and the columns not
    read, as `Sheet: Header` (a comment column beside the table)."""

    if isinstance(data, (str, Path)):
        file_name = file_name or Path(data).name
        data = Path(data).read_bytes()
    file_name = file_name or "strategy.xlsx"
    sniffed = guard.sniff(data, file_name, settings or load_settings())
    if sniffed.errors:
        raise Rejected(list(sniffed.errors))
    expected = {lg: ", ".join(f"„{render(s, lg)}“" if lg == "de" else f'"{render(s, lg)}"'
                              for s, _ in _SHEETS.values()) for lg in ("de", "en")}
    if sniffed.format == "csv":  # a text file has no sheets: there is nothing to find the four parts in
        raise Rejected([UserError("st_not_workbook", file=file_name,
                                  params={"extensions": ", ".join(_EXTENSIONS),
                                          "sheets_de": expected["de"], "sheets_en": expected["en"]})])
    try:
        sheets = calamine_sheets(data)
    except Exception as exc:  # noqa: BLE001 - a parser's complaint about damaged content
        text = str(exc)
        key = "encrypted" if "password" in text.lower() or "encrypt" in text.lower() else "unreadable"
        raise Rejected([UserError(key, file=file_name,
                                  params={"detail": text.splitlines()[0][:200] if text else type(exc).__name__})]) from exc

    errors: list[UserError] = []
    frames: dict[str, pd.DataFrame] = {}
    located: dict[str, tuple[str, dict[str, int], list[object]]] = {}
    found: set[str] = set()
    unread: list[str] = []
    for key, (sheet_key, columns) in _SHEETS.items():
        frames[key] = _frame([c for c, _ in columns])
        wanted = _sheet_names(key)
        hits = [s for s in sheets if fold_header(s.name) in wanted]
        if len(hits) > 1:
            errors.append(UserError("st_sheet_twice", file=file_name, sheet=hits[1].name,
                                    params={"sheet": hits[1].name, "other": hits[0].name,
                                            "part_de": render(sheet_key, "de"),
                                            "part_en": render(sheet_key, "en")}))
            continue
        if not hits:
            continue
        found.add(key)
        sheet = hits[0]
        grid = [[_cell(v) for v in row] for row in sheet.grid]
        if sheet.hidden and any(v is not None for row in grid for v in row):
            errors.append(UserError("st_hidden_sheet", file=file_name, sheet=sheet.name))
            continue
        if not any(v is not None for row in grid for v in row):
            continue  # an empty sheet: that part is empty
        header, index, twice, closest = _find_header(grid, key)
        if header is None:
            errors += _header_problems(file_name, sheet.name, key, grid, closest)
            continue
        unread += [f"{sheet.name}: {v}" for i, v in enumerate(grid[header])
                   if v is not None and str(v).strip() and i not in set(index.values())
                   and not any(i in cols for cols in twice.values())]
        for column, at in twice.items():
            label = _label(column)
            errors.append(UserError("duplicate_header", file=file_name, sheet=sheet.name, row=header + 1,
                                    column=column_letter(at[1]), header=str(grid[header][at[1]]),
                                    params={"columns": ", ".join(column_letter(c) for c in at),
                                            "field_de": label["de"], "field_en": label["en"]}))
        body = []
        for r in range(header + 1, len(grid)):
            values = [grid[r][i] if i < len(grid[r]) else None for i in index.values()]
            if any(v is not None for v in values):
                body.append(values + [r + 1])
        frame = _frame(list(index) + ["_row"], body)
        if key == "goals":  # a goal without a yes in `Aktiv` is not pursued (an empty cell is no)
            given = frame["active"] if "active" in frame.columns else [None] * len(frame)
            frame["active"] = [False if _missing(v) else v for v in given]
        if key == "bands":  # the documentation row of an export without bands is not a band
            default = {_fold(render("st_default_line", lg)) for lg in ("de", "en")}
            frame = frame[~frame["line"].map(_fold).isin(default)]
        frames[key] = frame
        located[key] = (sheet.name, index, grid[header])
    if errors:
        raise Rejected(errors)

    def where(table: str, row: int, column: str | None) -> dict:
        sheet, index, header = located[table]
        at = {"file": file_name, "sheet": sheet, "row": row}
        if column is not None and column in index:
            at |= {"column": column_letter(index[column]), "header": str(header[index[column]])}
        return at

    clean, problems = _clean(Strategy(priorities=frames["priorities"], bands=frames["bands"],
                                      fill_targets=frames["fill_targets"], goals=frames["goals"]),
                             where, repeats="refuse")
    if problems:
        raise Rejected(problems)
    if all(len(f) == 0 for f in (clean.priorities, clean.bands, clean.fill_targets, clean.goals)):
        raise Rejected([UserError("st_import_empty", file=file_name, params={
            "sheets_de": expected["de"], "sheets_en": expected["en"],
            "found": ", ".join(s.name for s in sheets) or "–"})])
    return clean, found, unread


def import_strategy(con: duckdb.DuckDBPyConnection, data: bytes | str | Path, *,
                    file_name: str | None = None, user: str | None = None,
                    note: str | None = None) -> int:
    """Read a strategy workbook and store it as a new version (`import_strategy_report`); its id."""
    return import_strategy_report(con, data, file_name=file_name, user=user, note=note).version_id


STRATEGY_PARTS = tuple(_SHEETS)
# each part's sheet name (a text key): what an import says it kept when the file lacked that sheet
PART_SHEETS = {part: sheet_key for part, (sheet_key, _) in _SHEETS.items()}


@dataclass(frozen=True)
class ImportReport:
    version_id: int
    kept: list[str]     # parts whose sheet the file lacks, kept as stored
    unread: list[str]   # columns of the file's sheets that are no strategy column (`Ziele: Kommentar`)


def import_strategy_report(con: duckdb.DuckDBPyConnection, data: bytes | str | Path, *,
                           file_name: str | None = None, user: str | None = None,
                           note: str | None = None) -> ImportReport:
    """Store a strategy workbook as a new version: each part whose sheet the file has replaces
    that part (an empty sheet empties it); a part whose sheet is missing is kept as stored. What
    was kept and which columns were not read are reported. A file with any problem, or without
    any row, stores nothing (`Rejected`)."""
    strategy, found, unread = read_strategy_parts(data, file_name)
    kept = [part for part in STRATEGY_PARTS if part not in found]
    if kept:
        current = current_strategy(con)
        strategy = replace(strategy, **{part: getattr(current, part) for part in kept})
    vid = save_strategy(con, strategy, user=user, note=note, source="import")
    return ImportReport(vid, kept, unread)
