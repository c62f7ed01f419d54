"""Base and scenarios side by side: the headline KPIs, shortfall per class, the PMCs whose
shortfall changes most, and what each change of a scenario contributed."""
from __future__ import annotations

import dataclasses

import duckdb
import pandas as pd

from pipelines.model import build, scenario_model
from pipelines.model.levers import class_letter
from pipelines.scenario import Scenario, get
from pipelines.text import render
from pipelines.text.tables import kpi_rows

MOVES_TOP = 10


def _figures(model) -> tuple[dict, dict, pd.DataFrame]:
    """KPIs, the line hours missing per class (hours compare across articles, quantities do not:
    spec 5 "Units") and each PMC's shortfall in its unit and in hours."""
    by_class = model.query("select priority_class, round(sum(coalesce(shortfall_hours, 0)), 6) as hours "
                           "from mart_gaps group by priority_class order by priority_class")
    hours = {class_letter(r.priority_class): float(r.hours) for r in by_class.itertuples()}
    pmc = model.query("select product, market, sum(shortfall) as shortfall, min(unit) as unit, "
                      "sum(coalesce(shortfall_hours, 0)) as shortfall_hours "
                      "from mart_gaps group by product, market")
    return model.kpis(), hours, pmc


def compare(con: duckdb.DuckDBPyConnection, scenarios: list[Scenario | str], versions=None,
            settings=None, top: int = MOVES_TOP) -> dict:
    """{"base": kpis, "scenarios": {name: kpis}, "shortfall_hours_by_class": {"base": .., name: ..},
    "moves": {name: [{product, market, unit, base_shortfall, scenario_shortfall, change,
    change_hours}, ...]}}: the moves ranked by the line hours they change, then the quantity."""
    chosen = [get(con, s) if isinstance(s, str) else s for s in scenarios]
    with build(con, versions, settings=settings) as base:
        models = []
        try:
            for scenario in chosen:
                models.append(scenario_model(base, scenario))  # only what the changes touch
            return side_by_side(base, models, top)
        finally:
            for model in models:
                model.close()


def side_by_side(base, models: list, top: int = MOVES_TOP) -> dict:
    """The comparison of built models (the base and each scenario's); the shape of `compare`."""
    base_kpis, base_class, base_pmc = _figures(base)
    result = {"base": base_kpis, "scenarios": {}, "shortfall_hours_by_class": {"base": base_class},
              "moves": {}}
    for model in models:
        kpis, by_class, pmc = _figures(model)
        result["scenarios"][model.scenario] = kpis
        result["shortfall_hours_by_class"][model.scenario] = by_class
        result["moves"][model.scenario] = _moves(base_pmc, pmc, top)
    return result


def _moves(base: pd.DataFrame, scenario: pd.DataFrame, top: int) -> list[dict]:
    merged = base.merge(scenario, on=["product", "market"], how="outer", suffixes=("_base", "_scn"))
    merged = merged.fillna({"shortfall_base": 0.0, "shortfall_scn": 0.0, "shortfall_hours_base": 0.0,
                            "shortfall_hours_scn": 0.0})
    merged["change"] = (merged["shortfall_scn"] - merged["shortfall_base"]).round(6)
    merged["change_hours"] = (merged["shortfall_hours_scn"] - merged["shortfall_hours_base"]).round(6)
    merged["unit"] = merged["unit_scn"].fillna(merged["unit_base"])
    merged = merged[merged["change"] != 0]
    merged = merged.assign(size=merged["change_hours"].abs(), quantity=merged["change"].abs()).sort_values(
        ["size", "quantity", "product", "market"], ascending=[False, False, True, True]).head(top)
    return [{"product": r.product, "market": r.market, "unit": r.unit,
             "base_shortfall": round(float(r.shortfall_base), 6),
             "scenario_shortfall": round(float(r.shortfall_scn), 6), "change": float(r.change),
             "change_hours": float(r.change_hours)}
            for r in merged.itertuples()]


def contributions(con: duckdb.DuckDBPyConnection | None, scenario: Scenario, versions=None,
                  settings=None, figure: str = "shortfall_hours", base=None) -> pd.DataFrame:
    """What each change contributed to `figure`, laid on in file order (the waterfall): one row per
    step `step` (0 = base), `change` (number), `kind`, `value` (after the step), `delta`. Each step
    is computed incrementally over `base` (a built Model; built on `con` when not given)."""
    own = base is None
    base = build(con, versions, settings=settings) if own else base
    try:
        return _contributions(base, scenario, figure)
    finally:
        if own:
            base.close()


def _contributions(base, scenario: Scenario, figure: str) -> pd.DataFrame:
    rows, previous = [], None
    for step in range(len(scenario.changes) + 1):
        if step == 0:
            value = base.kpis()[figure] or 0.0
        else:
            prefix = dataclasses.replace(scenario, changes=scenario.changes[:step])
            with scenario_model(base, prefix) as model:
                value = model.kpis()[figure] or 0.0
        kind = scenario.changes[step - 1].kind if step else "base"
        rows.append({"step": step, "change": step or None, "kind": kind, "value": value,
                     "delta": None if previous is None else round(value - previous, 6)})
        previous = value
    return pd.DataFrame(rows)


def compare_frame(result: dict, lang: str) -> pd.DataFrame:
    """The comparison as one table: a row per figure, a column for the base and each scenario."""
    columns = {render("scn_base", lang): result["base"], **result["scenarios"]}
    table: dict[str, dict] = {}
    labels: dict[str, str] = {}
    for column, kpis in columns.items():
        for key, label, value, _ in kpi_rows(kpis, lang):
            labels[key] = label
            table.setdefault(key, {})[column] = value
    names = {render("scn_base", lang): "base", **{n: n for n in result["scenarios"]}}
    for column, name in names.items():
        for cls, value in result["shortfall_hours_by_class"][name].items():
            key = f"shortfall_{cls}"
            labels[key] = render("scn_shortfall_class", lang, cls=cls)
            table.setdefault(key, {})[column] = value
    rows = [{"kpi": key, render("scn_col_figure", lang): labels[key],
             **{c: values.get(c) for c in columns}} for key, values in table.items()]
    return pd.DataFrame(rows, dtype=object)


def moves_frame(result: dict) -> pd.DataFrame:
    """The PMCs whose shortfall changes most, per scenario, as one table."""
    rows = [{"scenario": name, **move} for name, moves in result["moves"].items() for move in moves]
    return pd.DataFrame(rows, columns=["scenario", "product", "market", "unit", "base_shortfall",
                                       "scenario_shortfall", "change", "change_hours"])
