"""Reading and validating scenario files: every problem names its change (from 1) and field."""
from __future__ import annotations

import datetime as dt

import pytest

from pipelines.errors import Rejected
from pipelines.scenario import change_text, lever_text, parse
from tests.scenario.test_overlay import base

ISSUE_EXAMPLE = '''
name = "Zusatzschicht BUT-1"
[[change]]
kind = "demand"
market = "Discount"
from = "2027-W05"
to = "2027-W08"
percent = 20
[[change]]
kind = "capacity"
line = "L1"
from = "KW 05/2027"
to = "2027-W06"
hours = 16
[[change]]
kind = "new_pmc"
product = "B"
market = "Tankstellen"
quantity = 500
from = "2027-W05"
to = "2027-W10"
class = "B"
[[change]]
kind = "priority"
market = "Export AT"
class = "A"
[[change]]
kind = "routing"
product = "A"
line = "L2"
rate = 1200
'''


def problems(text, con=None):
    with pytest.raises(Rejected) as caught:
        parse(text, con)
    return [(e.params["change"], e.params["field"], e.key) for e in caught.value.errors]


def test_issue_example_reads(con):
    base(con)
    scenario = parse(ISSUE_EXAMPLE, con)
    assert scenario.name == "Zusatzschicht BUT-1"
    assert [c.kind for c in scenario.changes] == ["demand", "capacity", "new_pmc", "priority", "routing"]
    demand, capacity, new_pmc, priority, _ = scenario.changes
    assert (demand.from_start, demand.to_end) == (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
    assert capacity.from_start == dt.date(2027, 2, 1) and capacity.hours == 16
    assert new_pmc.priority_class == 2 and priority.priority_class == 1


def test_every_problem_named_by_change_and_field(con):
    base(con)
    text = '''name = "bad"
[[change]]
kind = "wish"
[[change]]
kind = "capacity"
line = "NOPE"
hours = "viel"
[[change]]
kind = "demand"
from = "2027-W12"
to = "2027-W10"
percent = 5
[[change]]
kind = "new_pmc"
product = "999"
market = "X"
from = "Weihnachten"
[[change]]
kind = "routing"
product = "A"
line = "L2"
rate = 0
[[change]]
kind = "demand"
units = 5
percent = 5
'''
    got = problems(text, con)
    assert got == [(1, "kind", "scn_kind"), (2, "hours", "scn_number"),
                   (2, "line", "scn_line_unknown"), (3, "from", "scn_window"),
                   (4, "quantity", "scn_missing"), (4, "product", "scn_product_unknown"),
                   (4, "from", "scn_period"), (5, "rate", "scn_rate"),
                   (6, "percent", "scn_demand_amount")]


def test_messages_in_both_languages_name_the_change(con):
    base(con)
    with pytest.raises(Rejected) as caught:
        parse('name = "x"\n[[change]]\nkind = "capacity"\nline = "NOPE"\nhours = 1\n', con)
    (err,) = caught.value.errors
    assert "Änderung 1" in err.message("de") and "NOPE" in err.message("de")
    assert "Change 1" in err.message("en") and "NOPE" in err.message("en")


def test_not_toml_and_no_name():
    assert problems("name = ") == [(None, None, "scn_toml")]
    assert problems('[[change]]\nkind = "capacity"\nline = "L1"\nhours = 1\n') == [
        (None, "name", "scn_name")]


def test_lever_links_become_scenarios(con):
    base(con)
    extra = parse(lever_text("extra_hours", {"line": "L1", "period": "KW 10/2027", "hours": "8"}), con)
    (change,) = extra.changes
    assert (change.kind, change.line, change.hours) == ("capacity", "L1", 8)
    assert (change.from_start, change.to_end) == (dt.date(2027, 3, 8), dt.date(2027, 3, 14))
    moved = parse(lever_text("other_line", {"product": "A", "line": "L2", "rate": "20"}), con)
    assert [(c.kind, c.product, c.line, c.rate) for c in moved.changes] == [("routing", "A", "L2", 20)]
    assert lever_text("no_such_lever", {}) == ""
    assert problems(lever_text("extra_hours", {"line": "L1", "hours": "viel"}), con) == [
        (1, "hours", "scn_number")]


def test_change_text_escapes_what_a_user_types():
    text = 'name = "x"\n' + change_text("demand", market='Markt "Süd" \\ Ost', percent=5.0, to="")
    (change,) = parse(text).changes
    assert change.market == 'Markt "Süd" \\ Ost' and change.percent == 5 and change.to_end is None
