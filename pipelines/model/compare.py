"""What moved since last time: forecast and capacity versions compared (spec section 6)."""
from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.model.runner import create, grain_of, stage_versions

FORECAST_COLUMNS = ["product", "market", "period", "period_start", "previous", "current", "change",
                    "unit", "status"]
GROUP_COLUMNS = ["group", "previous", "current", "change", "unit", "basis", "unrouted_products",
                 "change_value"]
CAPACITY_COLUMNS = ["line", "period", "period_start", "previous_hours", "current_hours", "change_hours",
                    "previous_max_hours", "current_max_hours", "change_max_hours"]


def version_pair(con: duckdb.DuckDBPyConnection, kind: str, current: int | None = None,
                 previous: int | None = None) -> tuple[int | None, int | None]:
    """(current, previous) version ids of a kind: the latest and the one before it by default."""
    if current is None:
        current = con.execute("select max(version_id) from versions where kind = ?", [kind]).fetchone()[0]
    if previous is None and current is not None:
        previous = con.execute("select max(version_id) from versions where kind = ? and version_id < ?",
                               [kind, current]).fetchone()[0]
    return current, previous


def _run(con, model: str, columns: list[str], kind: str, current, previous, grain, order: str,
         then: tuple[str, ...] = (), products_version: int | None = None,
         **params) -> pd.DataFrame:
    """Build `model` (and the models in `then`, which read it) on the version pair; read the last."""
    last = (model, *then)[-1]
    return _run_all(con, (model, *then), [(last, columns, order)], kind, current, previous, grain,
                    products_version=products_version, **params)[0]


def _run_all(con, models: tuple[str, ...], reads: list[tuple[str, list[str], str]], kind: str,
             current, previous, grain, products_version: int | None = None,
             **params) -> list[pd.DataFrame]:
    """Build `models` in order on the version pair (each may read the ones before it), then read
    each (model, columns, order) of `reads`: several figures from one comparison of the versions.
    Quantities are in each article's unit of the product master `products_version` (default: the
    latest), whatever unit each version was written in (pmc_quantities)."""
    current, previous = version_pair(con, kind, current, previous)
    if current is None or previous is None:
        return [pd.DataFrame(columns=columns) for _, columns, _ in reads]
    if products_version is None:
        products_version = version_pair(con, "products")[0]
    cur = con.cursor()
    try:
        stage_versions(cur, grain or grain_of(con, [current, previous]),
                       ("stg_units", "stg_products", "stg_forecast_versions", "stg_capacity_versions"),
                       [("products", products_version), (kind, current), (kind, previous)])
        params = {"current_version": current, "previous_version": previous, **params}
        for name in models:
            create(cur, name, params)
        frames = []
        for name, columns, order in reads:
            quoted = ", ".join(f'"{c}"' for c in columns)
            frames.append(cur.execute(f"select {quoted} from {name} order by {order}").df())
        return frames
    finally:
        cur.close()


def forecast_change(con: duckdb.DuckDBPyConnection, current: int | None = None,
                    previous: int | None = None, *, grain: str | None = None,
                    overlap: bool = True) -> pd.DataFrame:
    """Current minus previous forecast per PMC and period; empty when there is no previous version.

    With `overlap` (default) only periods inside both versions' horizons count: the weeks that
    merely rolled into or out of the horizon are not moves.
    """
    return _run(con, "cmp_forecast_change", FORECAST_COLUMNS, "forecast", current, previous, grain,
                "period_start, product, lower(market)", overlap=overlap)


def forecast_change_by_group(con: duckdb.DuckDBPyConnection, current: int | None = None,
                             previous: int | None = None, *, by: str = "market",
                             products_version: int | None = None, grain: str | None = None,
                             overlap: bool = True) -> pd.DataFrame:
    """Previous, current and change of demand per market or product group (`by`), largest moves
    first (cmp_forecast_change_by_group): all groups in one measure by the units rule (`unit`:
    kg, the articles' one unit, or line hours `h`), with the articles left out of an hours total
    (`unrouted_products`) and the change in money (`change_value`, where every article has a
    price); groups, units and rates from the given (default: latest) product master."""
    if by not in ("market", "product_group"):
        raise ValueError("by must be 'market' or 'product_group'")
    return _run(con, "cmp_forecast_change", GROUP_COLUMNS, "forecast", current, previous, grain,
                'abs(change) desc, "group"', then=("cmp_forecast_change_by_group",),
                products_version=products_version, overlap=overlap, by=by)


def forecast_change_by_market(con: duckdb.DuckDBPyConnection, current: int | None = None,
                              previous: int | None = None, **kwargs) -> pd.DataFrame:
    """Previous, current and change of demand per market, largest moves first."""
    return forecast_change_by_group(con, current, previous, by="market", **kwargs) \
        .rename(columns={"group": "market"})


def waterfall(by_market: pd.DataFrame, start_label: str = "previous",
              end_label: str = "current") -> pd.DataFrame:
    """Steps for a waterfall chart: previous total, one relative step per market, current total."""
    if by_market.empty:
        return pd.DataFrame(columns=["label", "value", "measure"])
    rows = [{"label": start_label, "value": float(by_market["previous"].sum()), "measure": "absolute"}]
    rows += [{"label": m, "value": float(c), "measure": "relative"}
             for m, c in zip(by_market["market"], by_market["change"]) if c != 0]
    rows.append({"label": end_label, "value": float(by_market["current"].sum()), "measure": "total"})
    return pd.DataFrame(rows)


MOVES_COLUMNS = {
    "pmc": ["rank", "product", "market", "previous", "current", "change", "unit", "periods", "status"],
    "pmc_period": ["rank", *FORECAST_COLUMNS],
}


def biggest_moves(con: duckdb.DuckDBPyConnection, top: int = 10, by: str = "pmc",
                  current: int | None = None, previous: int | None = None, *,
                  grain: str | None = None, overlap: bool = True) -> pd.DataFrame:
    """The largest changes by absolute size: per PMC summed over periods ('pmc') or per PMC-period
    (cmp_biggest_moves)."""
    if by not in MOVES_COLUMNS:
        raise ValueError("by must be 'pmc' or 'pmc_period'")
    return _run(con, "cmp_forecast_change", MOVES_COLUMNS[by], "forecast", current, previous,
                grain, "rank", then=("cmp_biggest_moves",), overlap=overlap, moves_by=by,
                top=int(top))


def change_and_moves(con: duckdb.DuckDBPyConnection, current: int | None = None,
                     previous: int | None = None, top: int = 10, *, grain: str | None = None,
                     overlap: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`forecast_change_by_market` and `biggest_moves(top)` per PMC from one comparison of the two
    versions (meeting step 1 and the pack show both; each comparison reads both versions' rows)."""
    by_market, moves = _run_all(
        con, ("cmp_forecast_change", "cmp_forecast_change_by_group", "cmp_biggest_moves"),
        [("cmp_forecast_change_by_group", GROUP_COLUMNS, 'abs(change) desc, "group"'),
         ("cmp_biggest_moves", MOVES_COLUMNS["pmc"], "rank")],
        "forecast", current, previous, grain, overlap=overlap, by="market", moves_by="pmc",
        top=int(top))
    return by_market.rename(columns={"group": "market"}), moves


def capacity_change(con: duckdb.DuckDBPyConnection, current: int | None = None,
                    previous: int | None = None, *, grain: str | None = None,
                    changed_only: bool = False) -> pd.DataFrame:
    """Current minus previous available (and maximum) hours per line and period."""
    frame = _run(con, "cmp_capacity_change", CAPACITY_COLUMNS, "capacity", current, previous, grain,
                 "lower(line), period_start")
    if changed_only and not frame.empty:
        frame = frame[(frame["change_hours"] != 0) | (frame["change_max_hours"].fillna(0) != 0)] \
            .reset_index(drop=True)
    return frame
