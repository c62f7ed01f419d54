"""The gap model: runs pipelines/model/sql/*.sql in order on a chosen version set (spec section 5).

Build once with `build(con, versions, grain)`, or with `build_from_file(path, versions, grain)` in an
in-memory copy of what the model needs (the file is open only while copying); the returned `Model`
holds a cursor whose TEMP tables hold the results, and every query method on it is cheap. The module-level functions build and query
in one call, for the command line.
"""
from __future__ import annotations

import contextlib
import itertools
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, ContextManager

import duckdb
import pandas as pd

from pipelines import store
from pipelines.contract import DEFAULT_PRIORITY_CLASS
from pipelines.errors import UserError
from pipelines.model import explain as explanation
from pipelines.model import levers as lever_models
from pipelines.model.runner import (ModelError, create, materialization, rename, run_macros,  # noqa: F401
                                    sql_text)
from pipelines.settings import Settings, load_settings
from pipelines.store.strategy import DEFAULT_BAND, DEFAULT_FILL_TARGETS, strategy_for_versions
from pipelines.text import reason_label

# Run in this order; each file creates the view or table it is named after.
MODELS: tuple[str, ...] = (
    "stg_units", "stg_products", "stg_forecast_units", "stg_forecast", "stg_forecast_markets",
    "stg_capacity", "stg_periods",
    "stg_alternates", "stg_markets", "stg_plan",
    "stg_priority_overrides", "stg_forecast_names", "stg_product_display", "stg_strategy_targets",
    "int_demand", "int_class_demand", "int_class_hours",
    "mart_gaps", "mart_load", "mart_plan_gaps", "mart_plan_load",
    "mart_kpi_classes", "mart_kpi_periods", "mart_top_conflicts", "mart_conflict_cells", "mart_bottlenecks", "mart_reduced_capacity",
    "mart_strategy_checks", "mart_unit_problems", "mart_conflict_episodes",
)
# Views the long-lived models of the dashboard, the pack and the command line hold as tables: the
# gaps are read by four marts during the build and by most page queries afterwards (each read of
# the view re-joins the 4 M demand rows of a large plan); the conflict episodes are looked up on
# every drill-down (the view numbers every short period of the plan). A scenario's model, built for
# a few figures, keeps the views (docs/performance.md).
HELD_AS_TABLES = ("mart_gaps", "mart_conflict_episodes")
# With a scenario, each overlay is built from staging + the changes and then stands in for the
# staging model it overlays, so every model after staging reads "staging + changes".
OVERLAYS: dict[str, str] = {"scn_forecast_changes": "", "scn_forecast": "stg_forecast", "scn_capacity": "stg_capacity",
                            "scn_products": "stg_products",
                            "scn_priority_overrides": "stg_priority_overrides"}
SCENARIO_CHANGE_COLUMNS = (
    "change_no integer, kind text, market text, product_group text, product text, line text, "
    "from_start date, to_end date, percent double, units double, quantity double, hours double, "
    "rate double, priority_class integer")
MODEL_KINDS = ("forecast", "capacity", "products", "alternates", "markets", "plan")
PERIOD_KINDS = ("forecast", "capacity", "plan")
GRAINS = ("week", "month")
FILL_RATE_BY = {
    "pmc": ("product", "market"),
    "market": ("market",),
    "class": ("priority_class",),
    "line": ("line",),
    "product": ("product",),
    "period": ("period", "period_start"),
}

GAP_COLUMNS = (
    "product", "market", "period", "period_start", "line", "priority_class", "demand", "supplied",
    "shortfall", "reason", "rate", "required_hours", "served_hours", "product_name", "market_name",
    "product_group", "shortfall_value", "shortfall_margin", "is_new_product", "is_new_market",
    "unit", "changeover_hours", "product_display")
QUANTITY_COLUMNS = ("demand", "supplied", "shortfall")
LOAD_COLUMNS = (
    "line", "period", "period_start", "required_hours", "available_hours", "max_hours",
    "served_hours", "utilization", "no_capacity", "free_hours", "overload_hours", "headroom_hours",
    "beyond_forecast")

AGREEMENT_ITEM_COLUMNS = {
    "agreement_id": "integer", "item": "integer", "scope": "text", "product": "text",
    "market": "text", "line": "text", "period": "text", "period_start": "date",
    "demand_before": "double", "supplied_before": "double", "shortfall_before": "double",
    "overload_hours_before": "double"}

_MEMORY = re.compile(r"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.IGNORECASE)


def period_start_of(value: object) -> date | None:
    """First day of a period label ('YYYY-Www', 'YYYY-MM'), a date, or an ISO date string."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", text):
        return date.fromisocalendar(int(m[1]), int(m[2]), 1)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return date(int(m[1]), int(m[2]), 1)
    return date.fromisoformat(text)


KPI_KEYS = ("fill_rate", "fill_rate_by_class", "overloaded_line_periods", "open_conflicts",
            "shortfall_hours", "shortfall_value")


def _number(value: object) -> float | None:
    """A float, or None for SQL null / NaN."""
    return None if value is None or pd.isna(value) else float(value)


@dataclass
class Model:
    """The gap model built on one version set; its TEMP tables live on `cursor`."""

    cursor: duckdb.DuckDBPyConnection
    versions: dict[str, int]
    grain: str
    strategy_version_id: int | None = None
    connection: duckdb.DuckDBPyConnection | None = None  # owned: the in-memory snapshot, if any
    scenario: str | None = None
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _levers: dict = field(default_factory=dict, repr=False)
    _explanations: dict = field(default_factory=dict, repr=False)
    _resolved: dict = field(default_factory=dict, repr=False)
    _memo: dict = field(default_factory=dict, repr=False)
    # an incremental scenario (scenario_model): the base's tables it reads under other names, the
    # tables it made on the base's cursor, and the heavy marts it makes when first read
    names: dict[str, str] = field(default_factory=dict, repr=False)
    made: list[tuple[str, str]] = field(default_factory=list, repr=False)
    pending: list[str] = field(default_factory=list, repr=False)
    base: "Model | None" = field(default=None, repr=False)

    @property
    def period_days(self) -> int:
        """Days per period in the pre-build formula: 7 for weeks, 30 for months (spec)."""
        return 7 if self.grain == "week" else 30

    def query(self, sql: str, params: object = None) -> pd.DataFrame:
        """Run one read query on the model's cursor (serialised: a cursor is not thread-safe)."""
        with self._lock:
            if self.names:
                sql = rename(sql, self.names)
                for name in [n for n in self.pending if re.search(rf"\b{self.names[n]}\b", sql)]:
                    self._make(name, self.names)
                    self.pending.remove(name)
            return self.cursor.execute(sql, params).df()

    def _remember(self, key: tuple, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """A figure the model holds once computed (a built model never changes): the pages, the
        pack and the agenda ask the same scans of the 4 M-row gaps again and again."""
        with self._lock:
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key].copy()

    def _make(self, name: str, names: dict[str, str]) -> None:
        """Create model `name` on this model's cursor under the table `names` gives it."""
        create(self.cursor, name, names=names)
        self.made.append((materialization(name), names.get(name, name)))

    def gaps(self, conflicts_only: bool = False) -> pd.DataFrame:
        """One row per PMC-period with demand > 0 (columns GAP_COLUMNS)."""
        where = "where is_conflict" if conflicts_only else ""
        return self.query(f"select {', '.join(GAP_COLUMNS)} from mart_gaps {where} "
                          "order by period_start, line nulls last, priority_class, product, market")

    def unit_problems(self) -> pd.DataFrame:
        """Forecast quantities that cannot be put into their article's unit (mart_unit_problems)."""
        return self.query("select product, market, period, period_start, quantity, unit_given, "
                          "article_unit, unit_problem, in_gaps from mart_unit_problems "
                          "order by period_start, product, market, unit_given")

    def quantity_total(self, column: str = "shortfall", since: object = None, *,
                       market: str | None = None, line: str | None = None,
                       product: str | None = None, conflicts_only: bool = False) -> dict:
        """A quantity of mart_gaps added up over articles by the one units rule (macros.sql
        `qty_total`): {'value', 'unit', 'basis'} with basis 'weight' (kg), 'unit' (all rows in one
        unit) or None (mixed units: no total; show hours and money instead)."""
        if column not in QUANTITY_COLUMNS:
            raise ValueError(f"column must be one of {QUANTITY_COLUMNS}, not {column!r}")
        row = self.query(
            f"select qty_total({column}, unit, kg_per_unit) as value, "
            "qty_total_unit(unit, kg_per_unit) as unit, qty_total_basis(unit, kg_per_unit) as basis "
            "from mart_gaps where period_start >= coalesce(?::date, period_start) "
            "and (?::text is null or lower(market) = lower(?::text)) "
            "and (?::text is null or lower(line) = lower(?::text)) "
            "and (?::text is null or product = ?::text) and (is_conflict or not ?)",
            [None if since is None else period_start_of(since), market, market, line, line,
             product, product, conflicts_only]).iloc[0]
        return {"value": _number(row["value"]), "unit": row["unit"] if row["basis"] else None,
                "basis": row["basis"] if isinstance(row["basis"], str) else None}

    def demand_by(self, by: str = "market", since: object = None,
                  basis: str | None = None) -> pd.DataFrame:
        """Demand per period and market or product group, in one unit for all articles by the
        units rule (macros.sql `qty_*`): kg ('weight'), the articles' one unit ('unit'), or line
        hours ('hours') where units are mixed. `basis` asks for one (hours where the rows do not
        allow it), so two versions can share an axis. Columns: period, group, quantity, unit, basis."""
        column = {"market": "market", "product_group": "coalesce(product_group, '–')"}[by]
        start = None if since is None else period_start_of(since)
        rule = self.query(
            "select qty_total_basis(unit, kg_per_unit) as basis, qty_weighable(kg_per_unit) as weight, "
            "qty_one_unit(unit) as one_unit, qty_total_unit(unit, kg_per_unit) as total_unit, "
            "min(unit) as unit from mart_gaps "
            "where period_start >= coalesce(?::date, period_start)", [start]).iloc[0]
        allowed = {"hours"} | ({"weight"} if rule["weight"] else set()) | \
            ({"unit"} if rule["one_unit"] else set())
        chosen = basis if basis in allowed else (
            rule["basis"] if basis is None and isinstance(rule["basis"], str) else "hours")
        value = {"weight": "demand * kg_per_unit", "unit": "demand",
                 "hours": "coalesce(required_hours, 0)"}[chosen]
        unit = {"weight": "kg", "hours": "h", "unit": rule["unit"]}[chosen]
        frame = self.query(
            f"select period, {column} as \"group\", sum({value}) as quantity from mart_gaps "
            "where period_start >= coalesce(?::date, period_start) group by all", [start])
        return frame.assign(unit=unit, basis=chosen)

    def load(self) -> pd.DataFrame:
        """One row per line-period with demand or capacity (columns LOAD_COLUMNS)."""
        return self.query(f"select {', '.join(LOAD_COLUMNS)} from mart_load "
                          "order by line, period_start")

    def conflicts(self, top: int | None = None, lang: str | None = None,
                  per_pmc: bool = False) -> pd.DataFrame:
        """PMC-periods with shortfall > 0, ranked by strategic weight (macros.sql `conflict_weight`:
        shortfall hours / priority class), those without hours first (docs/gap-model.md).

        With `lang` ('de'/'en') a `reason_text` column says the reason in words. With `per_pmc`
        one row per PMC at its heaviest period, in the order and with the rank of
        `top_conflicts` (mart_top_conflicts), so the pack lists what the overview lists.
        """
        columns = ", ".join(f"gaps.{c}" for c in GAP_COLUMNS)
        if per_pmc:
            sql = (f"select ranked.rank, {columns}, gaps.shortfall_hours, ranked.weight "
                   "from mart_top_conflicts as ranked "
                   "join mart_gaps as gaps using (product, market, period) "
                   "order by ranked.rank limit ?")
        else:
            sql = (f"with ranked as (select row_number() over (order by "
                   "gaps.shortfall_hours is null desc, "
                   "case when gaps.shortfall_hours is null then gaps.priority_class end, "
                   "case when gaps.shortfall_hours is null then gaps.period_start end, "
                   "conflict_weight(gaps.shortfall_hours, gaps.priority_class) desc nulls last, "
                   "gaps.shortfall_hours desc, gaps.period_start, gaps.product, gaps.market) as rank, "
                   f"{columns}, gaps.shortfall_hours, "
                   "round(conflict_weight(gaps.shortfall_hours, gaps.priority_class), 6) as weight "
                   "from mart_gaps as gaps where gaps.is_conflict) "
                   "select * from ranked order by rank limit ?")
        frame = self.query(sql, [top if top is not None else 2**62])
        if lang:
            frame["reason_text"] = [reason_label(r, lang) for r in frame["reason"]]
        return frame

    def fill_rates(self, by: str = "pmc", start: object = None, end: object = None) -> pd.DataFrame:
        """sum supplied / sum demand per `by` over periods starting in [start, end] (both inclusive)."""
        if by not in FILL_RATE_BY:
            raise ValueError(f"by must be one of {sorted(FILL_RATE_BY)}, not {by!r}")
        keys = ", ".join(FILL_RATE_BY[by])
        start, end = period_start_of(start), period_start_of(end)
        return self._remember(("fill_rates", by, start, end), lambda: self.query(
            f"select {keys}, round(sum(demand), 6) as demand, round(sum(supplied), 6) as supplied, "
            "round(sum(shortfall), 6) as shortfall, "
            "case when sum(demand) > 0 then round(sum(supplied) / sum(demand), 6) end as fill_rate "
            "from mart_gaps where period_start >= coalesce(?, period_start) "
            "and period_start <= coalesce(?, period_start) "
            f"group by {keys} order by {keys} nulls last", [start, end]))

    def strategy_checks(self) -> pd.DataFrame:
        """The plan against the strategy in force: class-A markets short, PMCs below target,
        line-periods above or below their band (mart_strategy_checks)."""
        return self.query("select * from mart_strategy_checks")

    def market_classes(self) -> pd.DataFrame:
        """The most important class of each market in the plan (the model's class rule)."""
        return self._remember(("market_classes",), lambda: self.query(
            "select market, min(priority_class) as priority_class from mart_gaps "
            "group by market order by market"))

    def kpis(self, since: object = None) -> dict:
        """The headline figures (KPI_KEYS) from period `since` on: one definition for the overview,
        the meeting agenda, the pack and `einklang kpis`."""
        frame = self.query(sql_text("kpis"), {"since": period_start_of(since)})
        overall = frame[frame["is_total"]].iloc[0]
        by_class = {int(r.priority_class): _number(r.fill_rate)
                    for r in frame[~frame["is_total"]].itertuples()}
        classes = range(1, max([3, *by_class]) + 1)
        return {
            "fill_rate": _number(overall["fill_rate"]),
            "fill_rate_by_class": {lever_models.class_letter(c): by_class.get(c) for c in classes},
            "overloaded_line_periods": int(_number(overall["overloaded_line_periods"]) or 0),
            "open_conflicts": int(_number(overall["open_conflicts"]) or 0),
            "shortfall_hours": round(_number(overall["shortfall_hours"]) or 0.0, 6),
            "shortfall_value": None if _number(overall["shortfall_value"]) is None
            else round(_number(overall["shortfall_value"]), 2),
        }

    def horizon_start(self) -> date | None:
        """First period of the plan (demand or capacity): a comparison is made from here on."""
        value = self.query("select min(period_start) as s from mart_kpi_periods")["s"].iloc[0]
        return None if pd.isna(value) else pd.Timestamp(value).date()

    def top_conflicts(self, top: int | None = None) -> pd.DataFrame:
        """One row per short PMC at its heaviest period, ranked by strategic weight."""
        return self.query("select * from mart_top_conflicts where rank <= ? order by rank",
                          [top if top is not None else 2**62])

    def conflict_cells(self, top: int | None = None) -> pd.DataFrame:
        """The PMC-periods in conflict of the `top` PMCs of the top-conflicts ranking (the heatmap)."""
        return self.query("select * from mart_conflict_cells where rank <= ? "
                          "order by rank, period_start", [top if top is not None else 2**62])

    def short_pmcs(self) -> int:
        """How many PMCs are short in some period (the rows of the top-conflicts ranking)."""
        return int(self.query("select count(*) as n from mart_top_conflicts")["n"].iloc[0])

    def episode(self, period: str, *, product: str | None = None, market: str | None = None,
                line: str | None = None) -> list[str]:
        """The periods of the conflict episode around `period` of a PMC (or a line), oldest first
        (mart_conflict_episodes); just `period` when the PMC (or line) is not short there."""
        if line is not None:
            where, params = "scope = 'line' and line = ?", [line]
        else:
            where, params = "scope = 'pmc' and product = ? and market = ?", [product, market]
        frame = self.query(
            f"select period from mart_conflict_episodes where {where} and episode = ("
            f"select episode from mart_conflict_episodes where {where} and period = ?) "
            "order by period_start", params + params + [period])
        return frame["period"].tolist() or [period]

    def episodes(self) -> pd.DataFrame:
        """Every short PMC- and line-period with its conflict episode (mart_conflict_episodes)."""
        return self.query("select * from mart_conflict_episodes "
                          "order by scope, product, market, line, period_start")

    def bottlenecks(self) -> pd.DataFrame:
        """Lines ranked by overload hours, with overloaded periods and peak utilisation."""
        return self.query("select * from mart_bottlenecks order by rank")

    def reduced_capacity(self) -> pd.DataFrame:
        """Line-periods with clearly reduced capacity (below 80 % of the line's usual hours)."""
        return self.query("select * from mart_reduced_capacity order by period_start, line")

    def agreement_judging(self, items: pd.DataFrame, detail: bool = False) -> pd.DataFrame:
        """Agreements judged against this model (int_agreement_items, mart_agreement_judging).

        `items` are the stored scope items (`agreement_scope` columns plus `period_start`, the
        first day of the item's period label); one row per agreement, or per item with `detail`.
        """
        columns = ", ".join(f"cast({c} as {t}) as {c}" for c, t in AGREEMENT_ITEM_COLUMNS.items())
        frame = items.reindex(columns=list(AGREEMENT_ITEM_COLUMNS))
        with self._lock:
            self.cursor.register("_agreement_items", frame)
            try:
                self.cursor.execute("create or replace temp table agreement_items as "
                                    f"select {columns} from _agreement_items")
            finally:
                self.cursor.unregister("_agreement_items")
            create(self.cursor, "int_agreement_items")
            create(self.cursor, "mart_agreement_judging")
            if detail:
                return self.cursor.execute("select * from int_agreement_items "
                                           "order by agreement_id, item").df()
            return self.cursor.execute("select * from mart_agreement_judging "
                                       "order by agreement_id").df()

    def has_plan(self) -> bool:
        return "plan" in self.versions

    def plan_comparison(self, by: str = "pmc") -> pd.DataFrame:
        """With a plan: plan gap per PMC-period (by='pmc') or planned hours per line-period (by='line')."""
        if by == "pmc":
            return self.query("select * from mart_plan_gaps order by period_start, product, market")
        if by == "line":
            return self.query("select * from mart_plan_load order by line nulls last, period_start")
        raise ValueError(f"by must be 'pmc' or 'line', not {by!r}")

    def resolve(self, pmcs) -> dict[tuple, tuple[str, str, str]]:
        """PMC-periods as asked (product, market in any case, period like '2027-W5') -> their
        stored keys; unknown ones left out. Remembered, so a key asked again costs nothing."""
        with self._lock:
            asked = [tuple(k) for k in pmcs]
            new = [k for k in dict.fromkeys(asked) if k not in self._resolved]
            if new:
                found = lever_models.resolve_pmcs(self, new)
                self._resolved.update(found)
                self._resolved.update({stored: stored for stored in found.values()})
            return {k: self._resolved[k] for k in asked if k in self._resolved}

    def levers(self, product: str, market: str, period: str, lang: str = "de") -> pd.DataFrame:
        """One row per lever of a conflict (see pipelines.model.levers); computed once per model."""
        found = self.levers_of([(product, market, period)], lang)
        if not found:
            raise lever_models.unknown_pmc(product, market, period)
        return next(iter(found.values()))

    def levers_of(self, pmcs, lang: str = "de") -> dict[tuple, pd.DataFrame]:
        """The levers of many PMC-periods (e.g. the pack's conflicts) in one query per lever kind:
        asked (product, market, period) -> the frame `levers` gives; unknown ones left out."""
        with self._lock:
            resolved = self.resolve(pmcs)
            missing = [k for k in dict.fromkeys(resolved.values()) if (k, lang) not in self._levers]
            for key, frame in lever_models.conflict_levers(self, missing, lang).items():
                self._levers[(key, lang)] = frame
            return {asked: self._levers[(key, lang)].copy() for asked, key in resolved.items()}

    def line_levers(self, line: str, period: str, lang: str = "de") -> pd.DataFrame:
        """Pre-build and extra hours for the whole overload of a line-period."""
        return lever_models.line_levers(self, line, period, lang)

    def explain(self, product: str, market: str, period: str, lang: str = "de") -> str:
        """One paragraph on why a PMC-period falls short and what would close it."""
        return explanation.explain(self, product, market, period, lang)

    def explanations(self, pmcs, lang: str = "de") -> dict[tuple, str]:
        """The paragraph of `explain` for many PMC-periods in one pass: asked key -> text;
        unknown ones left out. Computed once per model and language, like the levers."""
        with self._lock:
            resolved = self.resolve(pmcs)
            missing = [k for k in dict.fromkeys(resolved.values()) if (k, lang) not in self._explanations]
            for key, text in explanation.conflict_explanations(self, missing, lang).items():
                self._explanations[(key, lang)] = text
            return {asked: self._explanations[(key, lang)] for asked, key in resolved.items()
                    if (key, lang) in self._explanations}

    def close(self) -> None:
        with self._lock:
            if self.base is not None:  # a scenario on the base's cursor: drop only its own tables
                for kind, table in reversed(self.made):
                    with contextlib.suppress(duckdb.Error):
                        self.cursor.execute(f"drop {kind} if exists {table}")
                self.made.clear()
                return
            self.cursor.close()
            if self.connection is not None:
                self.connection.close()

    def __enter__(self) -> "Model":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _resolve_versions(con: duckdb.DuckDBPyConnection,
                      versions: dict[str, int | None] | None) -> dict[str, int]:
    """Latest version of each kind, overridden by the given ones (None drops a kind)."""
    chosen = {k: v for k, v in store.current_versions(con).items() if k in MODEL_KINDS}
    for kind, vid in (versions or {}).items():
        if kind in store.DATA_COLUMNS and kind not in MODEL_KINDS:
            continue  # a full version set may name kinds the model does not read (actuals)
        if kind not in MODEL_KINDS:
            raise ValueError(f"unknown kind {kind!r}; known: {', '.join(MODEL_KINDS)}")
        if vid is None:
            chosen.pop(kind, None)
            continue
        row = con.execute("select kind from versions where version_id = ?", [int(vid)]).fetchone()
        if row is None or row[0] != kind:
            raise UserError("model_version_unknown", value=vid, params={"kind": kind})
        chosen[kind] = int(vid)
    return chosen


def _common_grain(con: duckdb.DuckDBPyConnection, chosen: dict[str, int], grain: str | None) -> str:
    """Month when any selected period input is monthly (or forced), else week."""
    if grain is not None and grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    monthly = []
    for kind in PERIOD_KINDS:
        if kind not in chosen:
            continue
        row = con.execute("select grain from versions where version_id = ?", [chosen[kind]]).fetchone()
        version_grain = row[0] if row else None
        if version_grain is None:  # not recorded: look at the labels themselves
            is_month = con.execute(
                f"select coalesce(bool_or(period not like '%W%'), false) from {kind} "
                "where version_id = ?", [chosen[kind]]).fetchone()[0]
            version_grain = "month" if is_month else "week"
        if version_grain == "month":
            monthly.append(kind)
    if grain == "week" and monthly:
        raise UserError("model_grain_week", params={"kinds": ", ".join(monthly)})
    return grain or ("month" if monthly else "week")


_STRATEGY_FOR_PLAN = object()


def build(con: duckdb.DuckDBPyConnection, versions: dict[str, int | None] | None = None,
          grain: str | None = None, settings: Settings | None = None,
          strategy: int | None | object = _STRATEGY_FOR_PLAN, scenario=None) -> Model:
    """Build the gap model on a version set.

    `versions` maps kind -> version_id; kinds not named use their latest version, and a kind
    mapped to None is left out. `grain` forces 'month' (weeks summed by the Thursday rule) or
    'week' (refused with a UserError when a selected input is monthly); default: the common grain.
    `strategy` is the strategy version whose priority classes override the markets master (per
    market or per PMC); default: the strategy valid for the chosen plan; None: master data only.
    `scenario` (a `pipelines.scenario.Scenario`, or anything with `name` and `changes` whose
    items have `row()`) lays its changes over staging (spec section 7); nothing stored changes.
    The result tables are TEMP tables on a new cursor of `con`, held by the returned Model.
    """
    settings = settings or load_settings()
    cursor = con.cursor()
    try:
        if _MEMORY.match(str(settings.memory_limit)):
            cursor.execute("set memory_limit = ?", [str(settings.memory_limit)])
        if int(settings.threads) > 0:
            cursor.execute("set threads = ?", [int(settings.threads)])
        chosen = _resolve_versions(cursor, versions)
        common = _common_grain(cursor, chosen, grain)
        cursor.execute("create or replace temp table model_selection (kind text, version_id integer)")
        if strategy is _STRATEGY_FOR_PLAN:
            strategy = strategy_for_versions(con, chosen).version_id
        selection = list(chosen.items()) + ([("strategy", int(strategy))] if strategy is not None else [])
        cursor.executemany("insert into model_selection values (?, ?)", selection)
        cursor.execute("create or replace temp table model_params (grain text, default_class integer, "
                       "band_low double, band_high double, fallback_target double)")
        cursor.execute("insert into model_params values (?, ?, ?, ?, ?)",
                       [common, DEFAULT_PRIORITY_CLASS, *DEFAULT_BAND, min(DEFAULT_FILL_TARGETS.values())])
        cursor.execute("create or replace temp table model_default_targets "
                       "(priority_class integer, target double)")
        cursor.executemany("insert into model_default_targets values (?, ?)",
                           list(DEFAULT_FILL_TARGETS.items()))
        run_macros(cursor, "macros")
        for name in MODELS:
            if scenario is not None and name == "int_demand":
                _overlay(cursor, scenario)
            create(cursor, name, materialized="table"
                   if scenario is None and name in HELD_AS_TABLES else None)
        run_macros(cursor, "macros_levers")
    except BaseException:
        cursor.close()
        raise
    return Model(cursor=cursor, versions=chosen, grain=common,
                 strategy_version_id=None if strategy is None else int(strategy),
                 scenario=None if scenario is None else scenario.name)


def build_from_file(path, versions: dict[str, int | None] | None = None, grain: str | None = None,
                    settings: Settings | None = None,
                    strategy: int | None | object = _STRATEGY_FOR_PLAN,
                    guard: Callable[[], ContextManager] = contextlib.nullcontext,
                    scenario=None) -> Model:
    """Build the gap model (see `build`) in memory from a snapshot of the file: the chosen versions'
    rows and the small tables, copied while the file is attached read-only (inside `guard()`, for
    a caller that serialises its opens of the file); the model never holds the file, so other
    processes may write it while the model is in use."""
    settings = settings or load_settings()
    with guard():
        con = store.snapshot(path, lambda mem: _resolve_versions(mem, versions).values(),
                             timeout=settings.lock_timeout)
    try:
        model = build(con, versions, grain, settings, strategy, scenario=scenario)
    except BaseException:
        con.close()
        raise
    model.connection = con
    return model


def _overlay(cursor: duckdb.DuckDBPyConnection, scenario) -> None:
    """Lay a scenario's changes over the staging models (all overlays read the base staging)."""
    cursor.execute(f"create or replace temp table scenario_changes ({SCENARIO_CHANGE_COLUMNS})")
    rows = [change.row() for change in scenario.changes]
    if rows:
        cursor.executemany(f"insert into scenario_changes values ({', '.join(['?'] * len(rows[0]))})",
                           rows)
    for name in OVERLAYS:
        create(cursor, name)
    for name, staged in OVERLAYS.items():
        if not staged:
            continue
        cursor.execute(f"drop {materialization(staged)} {staged}")
        cursor.execute(f"create temp view {staged} as select * from {name}")


# --- incremental scenarios ------------------------------------------------------------------------
# A scenario laid over a built base model recomputes only what its changes touch (docs/scenarios.md):
# the changed PMC-periods' demand rows; the allocation as the base's hours per line-period and class
# minus what the changed rows were plus what they are; the headline figures likewise, from the
# changed rows and the rows of classes served another share. The rest is read from the base's
# tables on the same cursor. The scenario's tables are named scn_<model>__s<n>, and every query of
# the scenario Model reads them in place of the base's (runner.rename), so each figure keeps its
# one definition.
_SCENARIO_IDS = itertools.count(1)
# base model -> the scenario's table; with a scenario these are read in place of the base's
SCENARIO_STANDS_IN = (
    "stg_capacity", "stg_products", "stg_priority_overrides", "int_demand", "int_class_demand",
    "int_class_hours", "mart_gaps", "mart_load", "mart_plan_gaps", "mart_plan_load",
    "mart_kpi_classes", "mart_kpi_periods", "mart_top_conflicts", "mart_bottlenecks",
    "mart_reduced_capacity", "mart_strategy_checks", "prebuild_use", "prebuild_summary")
SCENARIO_TABLES = (
    "scenario_changes", "scn_forecast_changes", "scn_capacity", "scn_products",
    "scn_priority_overrides", "scn_delta_base", "scn_delta_forecast", "scn_delta_demand",
    "scn_int_demand", "scn_class_demand_added", "scn_class_demand_removed", "scn_int_class_demand",
    "scn_class_hours_computed", "scn_int_class_hours", "scn_mart_gaps", "scn_mart_load",
    "scn_reallocated_demand", "scn_kpi_demand_added", "scn_kpi_demand_removed", "scn_gaps_added",
    "scn_gaps_removed", "scn_kpi_classes_added", "scn_kpi_classes_removed", "scn_mart_kpi_classes")
SCENARIO_EAGER = ("mart_bottlenecks", "mart_reduced_capacity", "mart_plan_load")
SCENARIO_LAZY = ("mart_plan_gaps", "mart_top_conflicts", "mart_strategy_checks")


def scenario_model(base: Model, scenario) -> Model:
    """The gap model of `base` with `scenario`'s changes laid over it, computing only what the
    changes touch; the same figures as `build(..., scenario=scenario)`. It lives on the base's
    cursor (close it before the base); closing it drops its tables and leaves the base as it was."""
    n = next(_SCENARIO_IDS)
    own = {name: f"{name}__s{n}" for name in SCENARIO_TABLES}
    stands_in = {name: own.get(f"scn_{name}", f"scn_{name}__s{n}") for name in SCENARIO_STANDS_IN}
    stands_in |= {"stg_capacity": own["scn_capacity"], "stg_products": own["scn_products"],
                  "stg_priority_overrides": own["scn_priority_overrides"]}
    names = {**own, **stands_in}
    model = Model(cursor=base.cursor, versions=base.versions, grain=base.grain,
                  strategy_version_id=base.strategy_version_id, scenario=scenario.name,
                  names=names, base=base, _lock=base._lock)
    units_added = any(c.kind == "demand" and (c.units or 0) > 0 for c in scenario.changes)
    with base._lock:
        try:
            _incremental(model, scenario, own, units_added)
        except BaseException:
            model.close()
            raise
    return model


def _incremental(model: Model, scenario, own: dict, units_added: bool) -> None:
    cursor = model.cursor
    cursor.execute(f"create or replace temp table {own['scenario_changes']} ({SCENARIO_CHANGE_COLUMNS})")
    model.made.append(("table", own["scenario_changes"]))
    rows = [change.row() for change in scenario.changes]
    if rows:
        cursor.executemany(f"insert into {own['scenario_changes']} values "
                           f"({', '.join(['?'] * len(rows[0]))})", rows)
    # a demand change that adds units may lift PMC-periods without demand (not in int_demand)
    source = {} if units_added else {"stg_forecast": "int_demand"}
    model._make("scn_forecast_changes", {**own, **source})
    for name in ("scn_capacity", "scn_products", "scn_priority_overrides", "scn_delta_base",
                 "scn_delta_forecast"):
        model._make(name, own)
    # the changed PMC-periods' rows as the scenario has them, and what they were in the base
    model._make("int_demand", {"stg_forecast": own["scn_delta_forecast"],
                               "stg_products": own["scn_products"],
                               "stg_priority_overrides": own["scn_priority_overrides"],
                               "int_demand": own["scn_delta_demand"]})
    model._make("scn_int_demand", own)
    model._make("int_class_demand", {"int_demand": own["scn_delta_demand"],
                                     "int_class_demand": own["scn_class_demand_added"]})
    model._make("int_class_demand", {"int_demand": own["scn_delta_base"],
                                     "int_class_demand": own["scn_class_demand_removed"]})
    model._make("scn_int_class_demand", own)
    model._make("int_class_hours", {"int_class_demand": own["scn_int_class_demand"],
                                    "stg_capacity": own["scn_capacity"],
                                    "int_class_hours": own["scn_class_hours_computed"]})
    model._make("scn_int_class_hours", own)
    names = model.names
    model._make("mart_gaps", names)
    model._make("mart_load", names)
    # the headline figures: the base's, minus the rows whose gaps differ as they were, plus as they are
    for name in ("scn_reallocated_demand", "scn_kpi_demand_added", "scn_kpi_demand_removed"):
        model._make(name, own)
    model._make("mart_gaps", {**names, "int_demand": own["scn_kpi_demand_added"],
                              "mart_gaps": own["scn_gaps_added"]})
    model._make("mart_gaps", {"int_demand": own["scn_kpi_demand_removed"],
                              "mart_gaps": own["scn_gaps_removed"]})
    model._make("mart_kpi_classes", {"mart_gaps": own["scn_gaps_added"],
                                     "mart_kpi_classes": own["scn_kpi_classes_added"]})
    model._make("mart_kpi_classes", {"mart_gaps": own["scn_gaps_removed"],
                                     "mart_kpi_classes": own["scn_kpi_classes_removed"]})
    model._make("scn_mart_kpi_classes", own)
    model._make("mart_kpi_periods", names)
    for name in SCENARIO_EAGER:
        model._make(name, names)
    run_macros(cursor, "macros_levers", names)
    model.made += [("macro table", names["prebuild_use"]), ("macro table", names["prebuild_summary"])]
    model.pending = list(SCENARIO_LAZY)


def gaps(con, versions=None, grain=None, conflicts_only: bool = False,
         scenario=None) -> pd.DataFrame:
    """One row per PMC-period with demand > 0: demand, supplied, shortfall, reason."""
    with build(con, versions, grain, scenario=scenario) as model:
        return model.gaps(conflicts_only)


def load(con, versions=None, grain=None, scenario=None) -> pd.DataFrame:
    """One row per line-period: required, available, served hours and utilisation."""
    with build(con, versions, grain, scenario=scenario) as model:
        return model.load()


def conflicts(con, top: int | None = None, versions=None, grain=None,
              lang: str | None = None, scenario=None) -> pd.DataFrame:
    """Conflicts ranked by shortfall / priority class (class A weighs 1, B 1/2, C 1/3)."""
    with build(con, versions, grain, scenario=scenario) as model:
        return model.conflicts(top, lang)


def kpis(con, versions=None, grain=None, scenario=None) -> dict:
    """The headline figures (KPI_KEYS) of a plan, optionally with a scenario laid over it."""
    with build(con, versions, grain, scenario=scenario) as model:
        return model.kpis()


def kpis_from_file(path, grain: str | None = None, compare: int | None = None,
                   settings: Settings | None = None, scenario=None) -> dict:
    """The headline figures (KPI_KEYS) of the current plan; with `compare`, also those of the
    plan as it stood after upload `compare`, over the same horizon, under the key 'compare'."""
    settings = settings or load_settings()
    with build_from_file(path, grain=grain, settings=settings) as base:
        with (scenario_model(base, scenario) if scenario is not None
              else contextlib.nullcontext(base)) as model:
            figures = model.kpis()
            since = model.horizon_start()
    if compare is not None:
        with store.opened(path, timeout=settings.lock_timeout) as con:
            if not con.execute("select 1 from versions where version_id = ?",
                               [int(compare)]).fetchall():
                raise UserError("model_version_unknown", value=compare, params={"kind": "*"})
            stood = {kind: None for kind in MODEL_KINDS} | store.current_versions(con, int(compare))
        with build_from_file(path, stood, grain, settings) as before:
            figures["compare"] = {"version": int(compare), **before.kpis(since)}
    return figures


def fill_rates(con, by: str = "pmc", start=None, end=None, versions=None, grain=None) -> pd.DataFrame:
    """Fill rate sum supplied / sum demand per PMC, market, class or line over a horizon."""
    with build(con, versions, grain) as model:
        return model.fill_rates(by, start, end)


def plan_comparison(con, by: str = "pmc", versions=None, grain=None) -> pd.DataFrame:
    """Plan gap per PMC-period (by='pmc') or planned hours against capacity (by='line')."""
    with build(con, versions, grain) as model:
        return model.plan_comparison(by)


def levers(con, product: str, market: str, period: str, versions=None, grain=None,
           lang: str = "de") -> pd.DataFrame:
    """One row per lever of one conflict."""
    with build(con, versions, grain) as model:
        return model.levers(product, market, period, lang)


def line_levers(con, line: str, period: str, versions=None, grain=None,
                lang: str = "de") -> pd.DataFrame:
    """Pre-build and extra hours for the whole overload of one line-period."""
    with build(con, versions, grain) as model:
        return model.line_levers(line, period, lang)


def explain(con, product: str, market: str, period: str, lang: str = "de", versions=None,
            grain=None) -> str:
    """One paragraph explaining a conflict, in German or English."""
    with build(con, versions, grain) as model:
        return model.explain(product, market, period, lang)
