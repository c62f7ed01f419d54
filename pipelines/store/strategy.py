"""Strategy and goals: the yardstick conflicts are judged by; every change is a new version."""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import store
from pipelines.contract import DEFAULT_PRIORITY_CLASS
from pipelines.errors import Rejected, UserError
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

def _clean(strategy: Strategy) -> tuple[Strategy, list[UserError]]:
    """Normalise the four tables and collect every problem (sheet = table name, row = 1-based)."""
    errors: list[UserError] = []
    rows = []
    for i, r in _rows(strategy.priorities, PRIORITY_COLUMNS):
        market = _text(r.market)
        if not market:
            errors.append(UserError("st_missing", sheet="priorities", row=i, params={"what": "market"}))
            continue
        cls = _priority_class(r.priority_class)
        if cls is None:
            errors.append(UserError("bad_priority", sheet="priorities", row=i, value=r.priority_class))
            continue
        rows.append((market, _product(r.product), cls))
    priorities = _frame(PRIORITY_COLUMNS, rows).drop_duplicates(
        subset=["market", "product"], keep="last")
    priorities["market_key"] = priorities["market"].map(_fold)
    priorities = priorities.drop_duplicates(subset=["market_key", "product"], keep="last") \
        .drop(columns="market_key")

    rows = []
    for i, r in _rows(strategy.bands, BAND_COLUMNS):
        line = _text(r.line)
        low, high = _share(r.min_utilization), _share(r.max_utilization)
        if not line:
            errors.append(UserError("st_missing", sheet="bands", row=i, params={"what": "line"}))
        elif low is None or high is None or low < 0 or high < low:
            errors.append(UserError("st_bad_band", sheet="bands", row=i,
                                    value=f"{r.min_utilization} - {r.max_utilization}"))
        else:
            rows.append((line, low, high))
    bands = _frame(BAND_COLUMNS, rows)
    bands = bands[~bands["line"].map(_fold).duplicated(keep="last")] if not bands.empty else bands

    rows = []
    for i, r in _rows(strategy.fill_targets, TARGET_COLUMNS):
        market = _text(r.market)
        cls = _priority_class(r.priority_class) if _text(r.priority_class) else None
        target = _share(r.target)
        if target is None or not 0 <= target <= 1:
            errors.append(UserError("st_bad_target", sheet="fill_targets", row=i, value=r.target))
        elif market is None and cls is None:
            errors.append(UserError("st_missing", sheet="fill_targets", row=i,
                                    params={"what": "market / class"}))
        else:
            rows.append((None if market else cls, market, target))
    targets = _frame(TARGET_COLUMNS, rows)

    rows, seen = [], set()
    for i, r in _rows(strategy.goals, GOAL_COLUMNS):
        text = _text(r.text)
        goal_id = _text(r.goal_id)
        if not text:
            if goal_id:
                errors.append(UserError("st_missing", sheet="goals", row=i, params={"what": "text"}))
            continue
        if goal_id and goal_id in seen:
            errors.append(UserError("st_duplicate_goal", sheet="goals", row=i, value=goal_id))
            continue
        active = True if _missing(r.active) else _truthy(r.active)
        rows.append((goal_id, text, active))
        if goal_id:
            seen.add(goal_id)
    goals = _frame(GOAL_COLUMNS, rows)
    return replace(strategy, priorities=priorities.reset_index(drop=True),
                   bands=bands.reset_index(drop=True), fill_targets=targets, goals=goals), errors


def _rows(frame: pd.DataFrame, columns: list[str]):
    """(Excel row, record) pairs: the `_row` a workbook gave, else the position under a header."""
    numbers = frame["_row"].tolist() if "_row" in frame.columns else range(2, len(frame) + 2)
    return zip(numbers, frame.reindex(columns=columns).itertuples(index=False))


def _text(value: object) -> str | None:
    if _missing(value):
        return None
    text = str(value).strip()
    return text or None


def _product(value: object) -> str | None:
    """Product keys as the reader normalises them (spec section 1)."""
    if isinstance(value, float) and not pd.isna(value) and value.is_integer():
        return str(int(value))
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


def _truthy(value: object) -> bool:
    return _fold(value) not in {"0", "false", "nein", "no", "n", "inaktiv", "inactive", "x", "-"}


def _next_goal_number(con: duckdb.DuckDBPyConnection) -> int:
    used = con.execute("select goal_id from strategy_goals").fetchall()
    numbers = [int(m.group()) for (g,) in used if (m := re.search(r"\d+", g or ""))]
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
        number = _next_goal_number(con)
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


def read_strategy(data: bytes | str | Path) -> Strategy:
    """Read a strategy workbook (German or English sheet names); raises `Rejected` with every problem."""
    import openpyxl

    if isinstance(data, (str, Path)):
        data = Path(data).read_bytes()
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # not a workbook: say so in the user's words
        raise Rejected([UserError("not_a_workbook", params={"detail": type(exc).__name__})]) from exc
    names = {_fold(n): n for n in wb.sheetnames}
    frames: dict[str, pd.DataFrame] = {}
    errors: list[UserError] = []
    for key, (sheet_key, columns) in _SHEETS.items():
        sheet = next((names[_fold(render(sheet_key, lg))] for lg in ("de", "en")
                      if _fold(render(sheet_key, lg)) in names), None)
        if sheet is None:
            frames[key] = _frame([c for c, _ in columns])
            continue
        rows = list(wb[sheet].iter_rows(values_only=True))
        if not rows:
            frames[key] = _frame([c for c, _ in columns])
            continue
        header = [_fold(h) for h in rows[0]]
        index = {}
        for column, header_key in columns:
            wanted = {_fold(render(header_key, lg)) for lg in ("de", "en")} | {_fold(column)}
            hit = next((i for i, h in enumerate(header) if h in wanted), None)
            if hit is None and column not in ("product", "active", "priority_class", "market"):
                errors.append(UserError("st_missing_column", sheet=sheet, row=1,
                                        params={"what": render(header_key, "de"),
                                                "what_en": render(header_key, "en")}))
            index[column] = hit
        body = [[(r[i] if i is not None and i < len(r) else None) for column, i in index.items()]
                for r in rows[1:]]
        frame = _frame(list(index), body).dropna(how="all")
        frame["_row"] = frame.index + 2  # Excel row: header is row 1
        frames[key] = frame
    wb.close()
    if errors:
        raise Rejected(errors)
    strategy = Strategy(priorities=frames["priorities"], bands=frames["bands"],
                        fill_targets=frames["fill_targets"], goals=frames["goals"])
    # the documentation row of an export without bands is not a band
    default_label = {_fold(render("st_default_line", lg)) for lg in ("de", "en")}
    strategy.bands = strategy.bands[~strategy.bands["line"].map(_fold).isin(default_label)]
    clean, problems = _clean(strategy)
    if problems:
        for p in problems:
            p.sheet = render(_SHEETS[p.sheet][0], "de") if p.sheet in _SHEETS else p.sheet
        raise Rejected(problems)
    return clean


def import_strategy(con: duckdb.DuckDBPyConnection, data: bytes | str | Path, *,
                    user: str | None = None, note: str | None = None) -> int:
    """Read a strategy workbook and store it as a new version replacing the whole strategy."""
    strategy = read_strategy(data)
    return save_strategy(con, strategy, user=user, note=note, source="import")
