"""The scenario page's door into pipelines: stored scenarios, the scenario's model built once per
version set and TOML text, and the comparison with the base (cached, not computed here)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import VersionKey, cursor, model, stamped, writing
from pipelines import model as gap_model
from pipelines import scenario as scenarios
from pipelines.errors import Rejected
from pipelines.scenario import compare as comparing

TEMPLATE = 'name = "{name}"\n'
change_text, lever_text = scenarios.change_text, scenarios.lever_text  # pure text builders


def saved(db: str) -> pd.DataFrame:
    """The latest revision of every stored scenario, newest first. Read again only when the file
    changed (every drill-down's agreement form asks; opening the file costs tens of ms)."""
    return stamped("scenarios", scenarios.list_scenarios, db).copy()


def check(key: VersionKey, text: str) -> list:
    """Every problem of a scenario text against the plan's master data (empty: it reads)."""
    with cursor(dict(key)["db"]) as cur:
        try:
            scenarios.parse(text, cur)
        except Rejected as rejected:
            return rejected.errors
    return []


def _release(shifted) -> None:
    shifted.close()  # its tables live on the cached base's cursor: drop them with the entry


@st.cache_resource(max_entries=4, show_spinner=False, on_release=_release)
def scenario_model(key: VersionKey, text: str):
    """The gap model with the scenario laid over the cached base, built once per version set and
    text; only what the changes touch is recomputed (model.scenario_model)."""
    return gap_model.scenario_model(model(key), scenarios.parse(text))


@st.cache_data(max_entries=8, show_spinner=False)
def comparison(key: VersionKey, text: str) -> dict:
    """KPIs, shortfall per class and the biggest moves of base and scenario (compare.side_by_side)."""
    base, shifted = model(key), scenario_model(key, text)
    result = comparing.side_by_side(base, [shifted])
    grain = {"grain": base.grain}
    return {"base": {**result["base"], **grain},
            "scenario": {**result["scenarios"][shifted.scenario], **grain},
            "name": shifted.scenario, "moves": comparing.moves_frame(result)}


@st.cache_data(max_entries=8, show_spinner=False)
def class_fill(key: VersionKey, text: str) -> pd.DataFrame:
    """Fill rate per class in base and scenario (columns priority_class, base, scenario)."""
    base = model(key).fill_rates("class")[["priority_class", "fill_rate"]]
    shifted = scenario_model(key, text).fill_rates("class")[["priority_class", "fill_rate"]]
    return base.merge(shifted, on="priority_class", how="outer", suffixes=("_base", "_scenario"))


@st.cache_data(max_entries=8, show_spinner=False)
def line_overload(key: VersionKey, text: str) -> pd.DataFrame:
    """Overload hours per line in base and scenario (lines with overload in either)."""
    sql = "select line, sum(overload_hours) as overload_hours from mart_load group by line"
    base, shifted = model(key).query(sql), scenario_model(key, text).query(sql)
    frame = base.merge(shifted, on="line", how="outer", suffixes=("_base", "_scenario")).fillna(0)
    frame = frame[(frame["overload_hours_base"] > 0) | (frame["overload_hours_scenario"] > 0)]
    return frame.sort_values("line").reset_index(drop=True)


@st.cache_data(max_entries=8, show_spinner=False)
def contributions(key: VersionKey, text: str) -> pd.DataFrame:
    """Shortfall hours after each change, laid on in file order (the waterfall)."""
    # each step incrementally over the cached base: the file is not opened again
    return comparing.contributions(None, scenarios.parse(text), base=model(key))


def save(db: str, text: str) -> dict:
    """Store the scenario (the same name again: its next revision)."""
    with writing(db) as cur:
        return scenarios.add(cur, text)


@st.cache_data(max_entries=8, show_spinner=False)
def choices(key: VersionKey) -> tuple[list[str], list[str]]:
    """The plan's lines and markets, for the change widgets."""
    lines = model(key).query("select distinct line from mart_load order by line")["line"].tolist()
    markets = model(key).query("select distinct market from mart_gaps order by market")["market"].tolist()
    return lines, markets
