"""Forecast accuracy over closed periods (spec section 6): WAPE, bias, worst offenders, series."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from pipelines import store
from pipelines.model.runner import create, grain_of, stage_versions
from pipelines.store.strategy import DEFAULT_CLASS, current_strategy, effective_classes

ROW_COLUMNS = ["product", "market", "priority_class", "period", "period_start", "forecast_version_id",
               "forecast_as_of", "forecast", "actual", "error", "abs_error", "unit"]


def _cursor(con: duckdb.DuckDBPyConnection, actuals_version: int | None, grain: str | None,
            until: dt.date | str | None, strategy_version_id: int | None,
            markets_version: int | None):
    """A cursor holding acc_forecast_vs_actual for the given inputs, or None without actuals."""
    current = store.current_versions(con)
    actuals_version = actuals_version or current.get("actuals")
    if actuals_version is None:
        return None
    # the forecasts a closed period can be held against (acc_forecast_vs_actual: dated cycles)
    forecasts = [v for (v,) in con.execute(
        "select version_id from versions where kind = 'forecast' and as_of is not null").fetchall()]
    if grain is None:
        grain = grain_of(con, [actuals_version, *forecasts])
    if strategy_version_id is None:
        strategy_version_id = current_strategy(con).version_id
    pmcs = con.execute(
        "select distinct product, market from actuals where version_id = ? union "
        "select distinct product, market from forecast where version_id in "
        "(select version_id from versions where kind = 'forecast')", [actuals_version]).df()
    classes = effective_classes(con, pmcs, strategy_version_id,
                                markets_version or current.get("markets"))
    cur = con.cursor()
    try:
        # forecasts and actuals in each article's unit of the current product master, whatever
        # unit a file gave (pmc_quantities): stg_units knows the spellings of every version read
        stage_versions(cur, grain, ("stg_units", "stg_products", "stg_actuals", "stg_forecast_versions"),
                       [("actuals", actuals_version), ("products", current.get("products")),
                        *(("forecast", v) for v in forecasts)])
        cur.register("_classes", classes)
        cur.execute("create or replace temp table meeting_classes as select product, "
                    "lower(market) as market_key, min(priority_class) as priority_class "
                    "from _classes group by all")
        cur.unregister("_classes")
        until_date = dt.date.fromisoformat(str(until)[:10]) if until is not None else None
        create(cur, "acc_forecast_vs_actual", {
            "grain": grain, "until": until_date,
            "default_class": DEFAULT_CLASS})
    except BaseException:
        cur.close()
        raise
    return cur


def forecast_vs_actual(con: duckdb.DuckDBPyConnection, *, actuals_version: int | None = None,
                       grain: str | None = None, until: dt.date | str | None = None,
                       strategy_version_id: int | None = None,
                       markets_version: int | None = None) -> pd.DataFrame:
    """One row per PMC and closed period: the forecast version used, forecast, actual, error, in
    the article's unit.

    Defaults: the current actuals, the coarser grain of actuals and forecasts, every period the
    actuals hold, classes from the current strategy on top of the markets master data.
    """
    return _rows(con, ROW_COLUMNS, actuals_version=actuals_version, grain=grain, until=until,
                 strategy_version_id=strategy_version_id, markets_version=markets_version)


def _rows(con, columns: list[str], **inputs) -> pd.DataFrame:
    cur = _cursor(con, inputs.get("actuals_version"), inputs.get("grain"), inputs.get("until"),
                  inputs.get("strategy_version_id"), inputs.get("markets_version"))
    if cur is None:
        return pd.DataFrame(columns=columns)
    try:
        return cur.execute(f"select {', '.join(columns)} from acc_forecast_vs_actual "
                           "order by period_start, product, market").df()
    finally:
        cur.close()


LEVEL_COLUMNS = {
    "pmc": ["product", "market", "priority_class"],
    "market": ["market", "priority_class"],
    "class": ["priority_class"],
    "total": [],
}
LEVEL_ORDER = {"pmc": "product, market", "market": "lower(market)", "class": "priority_class",
               "total": "level"}
MEASURES = ["periods", "forecast", "actual", "abs_error", "error", "unit", "wape", "bias",
            "abs_error_measured"]


def accuracy(con: duckdb.DuckDBPyConnection, by: str = "pmc", **inputs) -> pd.DataFrame:
    """WAPE and bias per PMC, market or class, or in total ('pmc' | 'market' | 'class' | 'total')."""
    if by not in LEVEL_COLUMNS:
        raise ValueError(f"by must be one of {sorted(LEVEL_COLUMNS)}, not {by!r}")
    columns = LEVEL_COLUMNS[by] + MEASURES
    cur = _cursor(con, inputs.get("actuals_version"), inputs.get("grain"), inputs.get("until"),
                  inputs.get("strategy_version_id"), inputs.get("markets_version"))
    if cur is None:
        return pd.DataFrame(columns=columns)
    try:
        create(cur, "acc_accuracy")
        return cur.execute(f"select {', '.join(columns)} from acc_accuracy where level = ? "
                           f"order by {LEVEL_ORDER[by]}", [by]).df()
    finally:
        cur.close()


def worst_offenders(con: duckdb.DuckDBPyConnection, top: int = 10, by: str = "pmc",
                    **inputs) -> pd.DataFrame:
    """The PMCs (or markets) whose forecast missed most: ranked by sum |F - A| in the look-back's
    one measure (kg, the one unit or line hours: `abs_error_measured`), not by WAPE, so a tiny PMC
    that missed 3 of 4 units does not outrank a large one that missed 3,000, nor 3,000 cups 3,000 kg."""
    frame = accuracy(con, by, **inputs)
    if frame.empty:
        return frame
    keys = [c for c in ("product", "market") if c in frame.columns]
    frame = frame.sort_values(["abs_error_measured", "abs_error", *keys],
                              ascending=[False, False, *[True] * len(keys)]).head(top)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame.reset_index(drop=True)


def accuracy_series(con: duckdb.DuckDBPyConnection, *, product: str | None = None,
                    market: str | None = None, priority_class: int | None = None,
                    **inputs) -> pd.DataFrame:
    """Forecast and actual per closed period (for the chart), for all or one PMC, market or class,
    with their `unit`: one article's in its unit, several articles in the look-back's one measure
    (kg, the one unit or line hours, acc_forecast_vs_actual `factor`), as acc_accuracy adds them."""
    rows = _rows(con, ROW_COLUMNS + ["factor", "measure_unit"], **inputs)
    if product is not None:
        rows = rows[rows["product"] == str(product)]
    if market is not None:
        rows = rows[rows["market"].str.casefold() == str(market).casefold()]
    if priority_class is not None:
        rows = rows[rows["priority_class"] == int(priority_class)]
    own = product is not None and market is not None
    if not own and len(rows):
        rows = rows.assign(forecast=rows["forecast"] * rows["factor"], actual=rows["actual"] * rows["factor"],
                           unit=rows["measure_unit"])
    series = rows.groupby(["period", "period_start"], as_index=False)[["forecast", "actual"]].sum()
    series["error"] = series["forecast"] - series["actual"]
    series["unit"] = rows["unit"].iloc[0] if len(rows) else None
    return series.sort_values("period_start").reset_index(drop=True)
