"""Given/expect tests of int_agreement_items and mart_agreement_judging (judging agreements)."""
from __future__ import annotations

import pandas as pd
import pytest

from pipelines.model import build, period_start_of
from tests.model.conftest import add_version


def company(con):
    add_version(con, "products", [dict(product="A", line="L1", rate=10)])
    add_version(con, "capacity", [dict(line="L1", period="2027-W10", available_hours=5),
                                  dict(line="L1", period="2027-W11", available_hours=100)])
    add_version(con, "forecast", [dict(product="A", market="LEH", period="2027-W10", quantity=100),
                                  dict(product="A", market="LEH", period="2027-W11", quantity=100)])


def items(*rows):
    keys = ("agreement_id", "item", "scope", "product", "market", "line", "period",
            "shortfall_before", "overload_hours_before")
    frame = pd.DataFrame([dict(zip(keys, r)) for r in rows])
    frame["period_start"] = [period_start_of(p) for p in frame["period"]]
    return frame


GIVEN = items(
    (1, 1, "pmc", "A", "leh", None, "2027-W10", 80.0, None),   # 50 short now: partly
    (1, 2, "pmc", "A", "LEH", None, "2027-W01", 10.0, None),   # before the plan, gone: past
    (2, 1, "line", None, None, "l1", "2027-W10", 50.0, 5.0),   # the same: not held
    (3, 1, "pmc", "A", "LEH", None, "2027-W11", 20.0, None),   # no shortfall left: held
    (4, 1, "pmc", "A", "LEH", None, "2027-W02", 5.0, None),    # every item past
)


def test_items_read_the_gap_now_and_the_verdict(con, settings):
    company(con)
    judged = build(con, settings=settings).agreement_judging(GIVEN, detail=True)
    got = {(r.agreement_id, r.item): (r.shortfall_now, r.overload_hours_now, r.past, r.verdict)
           for r in judged.itertuples()}
    assert got[(1, 1)][0] == pytest.approx(50) and got[(1, 1)][2:] == (False, "partly")
    assert pd.isna(got[(1, 1)][1])
    assert got[(1, 2)][2:] == (True, "past")
    assert got[(2, 1)] == (pytest.approx(50), pytest.approx(5), False, "not_held")
    assert got[(3, 1)][0] == pytest.approx(0) and got[(3, 1)][3] == "held"
    assert got[(4, 1)][3] == "past"


def test_agreements_sum_the_items_that_are_not_past(con, settings):
    company(con)
    judged = build(con, settings=settings).agreement_judging(GIVEN).set_index("agreement_id")
    assert judged.loc[1, ["shortfall_before", "items", "past_items", "verdict"]].tolist() == \
        [80.0, 2, 1, "partly"]
    assert judged.loc[1, "shortfall_now"] == pytest.approx(50)
    assert judged.loc[1, "change"] == pytest.approx(-30)
    assert pd.isna(judged.loc[1, "overload_hours_now"])  # no line item: no overload figure
    assert judged.loc[2, "overload_hours_before"] == 5
    assert judged.loc[2, "verdict"] == "not_held"
    assert judged.loc[3, "verdict"] == "held"
    assert judged.loc[4, ["shortfall_before", "shortfall_now", "verdict"]].tolist() == [0, 0, "past"]


def test_no_agreements_no_rows(con, settings):
    company(con)
    assert build(con, settings=settings).agreement_judging(GIVEN.iloc[0:0]).empty
