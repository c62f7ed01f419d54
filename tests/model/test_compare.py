"""Version change against hand-computed values: full outer join, markets, biggest moves, capacity."""
from __future__ import annotations

import random

import pandas as pd

from pipelines.model import compare as cmp

from seed import add_version


def _two_forecasts(con):
    prev = add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 100},
        {"product": "P1", "market": "LEH", "period": "2027-W02", "quantity": 100},
        {"product": "P2", "market": "Export", "period": "2027-W01", "quantity": 50},
        {"product": "P1", "market": "LEH", "period": "2026-W52", "quantity": 40}],   # rolled out
        as_of="2026-12-20")
    cur = add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 130},
        {"product": "P1", "market": "LEH", "period": "2027-W02", "quantity": 100},
        {"product": "P3", "market": "leh", "period": "2027-W02", "quantity": 10},
        {"product": "P1", "market": "LEH", "period": "2027-W03", "quantity": 70}],   # rolled in
        as_of="2027-01-02")
    return prev, cur


def test_change_per_pmc_and_period_with_vanished_and_new(con):
    _two_forecasts(con)
    change = cmp.forecast_change(con)
    got = [(r.product, r.market, r.period, r.previous, r.current, r.change, r.status)
           for r in change.itertuples()]
    assert got == [
        ("P1", "LEH", "2027-W01", 100, 130, 30, "changed"),
        ("P2", "Export", "2027-W01", 50, 0, -50, "vanished"),
        ("P1", "LEH", "2027-W02", 100, 100, 0, "same"),
        ("P3", "leh", "2027-W02", 0, 10, 10, "new"),
    ]


def test_without_overlap_the_rolled_weeks_count_too(con):
    _two_forecasts(con)
    change = cmp.forecast_change(con, overlap=False).set_index("period")
    assert change.loc["2026-W52", "change"] == -40
    assert change.loc["2027-W03", "change"] == 70
    assert len(change) == 6


def test_by_market_and_waterfall_add_up(con):
    prev, cur = _two_forecasts(con)
    by_market = cmp.forecast_change_by_market(con, cur, prev)
    # no master data: every article counts in pieces, the one unit they share
    assert by_market[["market", "previous", "current", "change", "unit"]].values.tolist() == [
        ["Export", 50, 0, -50, "Stk"], ["LEH", 200, 240, 40, "Stk"]]
    steps = cmp.waterfall(by_market, "KW 51", "KW 01")
    assert steps["measure"].tolist() == ["absolute", "relative", "relative", "total"]
    assert steps.iloc[0]["value"] + steps.iloc[1:3]["value"].sum() == steps.iloc[-1]["value"] == 240


def test_biggest_moves(con):
    _two_forecasts(con)
    moves = cmp.biggest_moves(con, top=2)
    assert moves[["rank", "product", "market", "change", "status"]].values.tolist() == \
        [[1, "P2", "Export", -50, "vanished"], [2, "P1", "LEH", 30, "changed"]]
    periods = cmp.biggest_moves(con, top=1, by="pmc_period")
    assert periods[["product", "period", "change"]].values.tolist() == [["P2", "2027-W01", -50]]


def test_first_version_has_nothing_to_compare(con):
    add_version(con, "forecast", [{"product": "P1", "market": "LEH", "period": "2027-W01",
                                   "quantity": 1}], as_of="2026-12-01")
    assert cmp.forecast_change(con).empty
    assert cmp.forecast_change_by_market(con).empty
    assert cmp.capacity_change(con).empty


def test_month_grain_sums_weeks_by_thursday(con):
    _two_forecasts(con)
    month = cmp.forecast_change(con, grain="month", overlap=False)
    totals = month.groupby("period")["change"].sum().to_dict()
    # 2026-W52 (Thursday 2026-12-24) is December; 2027-W01..W03 are January
    assert totals == {"2026-12": -40, "2027-01": 30 - 50 + 10 + 70}


def test_capacity_change_per_line_period(con):
    prev = add_version(con, "capacity", [
        {"line": "L1", "period": "2027-W01", "available_hours": 100, "max_hours": 120},
        {"line": "L2", "period": "2027-W01", "available_hours": 80}])
    cur = add_version(con, "capacity", [
        {"line": "l1", "period": "2027-W01", "available_hours": 60, "max_hours": 120},
        {"line": "L3", "period": "2027-W01", "available_hours": 40}])
    change = cmp.capacity_change(con, cur, prev).set_index("line")
    assert change.loc["l1", "change_hours"] == -40
    assert change.loc["l1", "change_max_hours"] == 0
    assert change.loc["L2", "change_hours"] == -80          # vanished line shows -hours
    assert change.loc["L3", "change_hours"] == 40
    assert cmp.capacity_change(con, changed_only=True)["line"].tolist() == ["l1", "L2", "L3"]
    assert cmp.version_pair(con, "capacity") == (cur, prev)


def test_change_by_group_compares_common_periods_only(con):
    # moved from tests/dashboard/test_i18n_views.py (views.change_by_group is now this mart)
    add_version(con, "forecast", [{"product": "P1", "market": "LEH", "period": p, "quantity": q}
                                  for p, q in (("2026-W53", 99.0),
                                               ("2027-W01", 8.0), ("2027-W02", 8.0))])
    add_version(con, "forecast", [{"product": "P1", "market": "LEH", "period": p, "quantity": q}
                                  for p, q in (("2027-W01", 10.0), ("2027-W02", 10.0),
                                               ("2027-W03", 50.0))])
    assert cmp.forecast_change_by_group(con)[["group", "previous", "current", "change", "unit"]] \
        .to_dict("records") == [
        {"group": "LEH", "previous": 16.0, "current": 20.0, "change": 4.0, "unit": "Stk"}]


def test_change_by_product_group_from_the_product_master(con):
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 1, "product_group": "Joghurt"},
                                  {"product": "P2", "line": "L1", "rate": 1}])
    prev, cur = _two_forecasts(con)
    by_group = cmp.forecast_change_by_group(con, cur, prev, by="product_group")
    # P1 +30, P2 -50 (no group), P3 +10 (not in the master: no group)
    assert by_group[["group", "previous", "current", "change", "unit"]].values.tolist() == [
        ["–", 50, 10, -40, "Stk"], ["Joghurt", 200, 230, 30, "Stk"]]
    assert cmp.forecast_change_by_group(con, by="product_group", products_version=None).shape[0] == 2


def test_change_and_moves_from_one_comparison_equal_the_two_reads(con):
    prev, cur = _two_forecasts(con)
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 1}])
    by_market, moves = cmp.change_and_moves(con, cur, prev, top=2)
    pd.testing.assert_frame_equal(by_market, cmp.forecast_change_by_market(con, cur, prev))
    pd.testing.assert_frame_equal(moves, cmp.biggest_moves(con, top=2, current=cur, previous=prev))
    assert moves["product"].tolist() == ["P2", "P1"]


def _moves_in_pandas(change: pd.DataFrame, top: int, by: str) -> pd.DataFrame:
    """The moves as they were computed in pandas before cmp_biggest_moves.sql (the oracle)."""
    rows = change
    if by == "pmc":
        rows = rows.assign(_key=rows["market"].str.casefold()) \
            .groupby(["product", "_key"], as_index=False, sort=False) \
            .agg(market=("market", "first"), previous=("previous", "sum"), current=("current", "sum"),
                 change=("change", "sum"), unit=("unit", "min"),
                 periods=("period", "nunique")).drop(columns="_key")
        rows["status"] = ["new" if p == 0 and c != 0 else "vanished" if c == 0 and p != 0 else
                          "same" if c == p else "changed" for p, c in zip(rows["previous"], rows["current"])]
    rows = rows[rows["change"] != 0].copy()
    rows["_size"] = rows["change"].abs()
    rows = rows.sort_values(["_size", "product"], ascending=[False, True], kind="stable") \
        .drop(columns="_size").head(top)
    rows.insert(0, "rank", range(1, len(rows) + 1))
    return rows.reset_index(drop=True)


def test_biggest_moves_in_sql_equal_the_change_summed_in_pandas(con):
    rng = random.Random(13)
    weeks = [f"2027-W{w:02d}" for w in range(1, 9)]
    pmcs = [(f"P{p}", m) for p in range(12) for m in ("LEH", "Discount", "Export")]

    def version(bump: int, drop: int, as_of: str) -> int:
        rows = [{"product": p, "market": m.lower() if (i + bump) % 7 == 0 else m, "period": w,
                 "quantity": float(rng.choice([0, 10, 20, 20, 35]) + bump * (i % 3))}
                for i, (p, m) in enumerate(pmcs) for w in weeks if (i + len(w)) % drop]
        # ties in size and product: the first period, then the market decide
        rows += [{"product": "T", "market": m, "period": w, "quantity": 100.0 + 500 * bump}
                 for m, w in (("B", "2027-W01"), ("A", "2027-W01"), ("C", "2027-W02"))]
        return add_version(con, "forecast", rows, as_of=as_of)

    prev, cur = version(0, 5, "2027-01-01"), version(2, 4, "2027-01-08")
    change = cmp.forecast_change(con, cur, prev)
    for by, top in (("pmc", 12), ("pmc", 1000), ("pmc_period", 20)):
        got = cmp.biggest_moves(con, top, by=by, current=cur, previous=prev)
        want = _moves_in_pandas(change, top, by)
        assert len(got) > 5 and got["product"].iloc[0] == "T"
        pd.testing.assert_frame_equal(got, want[got.columns.tolist()], check_dtype=False)
