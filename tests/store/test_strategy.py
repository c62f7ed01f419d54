"""Strategy and goals: versions with time and user, validity in time, Excel both ways, classes."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from pipelines import store
from pipelines.store import strategy as st
from pipelines.errors import Rejected

from seed import add_version

T0 = dt.datetime(2026, 11, 1, 9, 0)


def test_a_fresh_store_has_the_documented_defaults(con):
    s = st.current_strategy(con)
    assert s.version_id is None
    assert s.band("JOG-1") == (0.75, 0.90)
    assert s.fill_target("LEH", 1) == 0.98
    assert s.fill_target("Anything", None) == st.DEFAULT_FILL_TARGETS[st.DEFAULT_CLASS]


def test_every_change_is_a_version_kept_with_time_and_user_across_a_restart(db_path):
    con = store.connect(db_path)
    st.set_priority(con, "LEH", "A", user="anna", at=T0)
    goal = st.add_goal(con, "Protect LEH key accounts", user="anna", at=T0 + dt.timedelta(days=1))
    st.set_band(con, "BUT-1", 80, 95, user="bob", at=T0 + dt.timedelta(days=2))
    st.edit_goal(con, goal, text="Protect LEH and Discount key accounts", user="bob",
                 at=T0 + dt.timedelta(days=3))
    con.close()

    con = store.connect(db_path)
    history = st.strategy_history(con)
    assert list(history["user_name"]) == ["bob", "bob", "anna", "anna"]
    assert goal == "G1"
    now = st.current_strategy(con)
    assert now.goal_text("G1") == "Protect LEH and Discount key accounts"
    assert now.band("but-1") == (0.80, 0.95)
    # the strategy valid before the edit still holds the earlier text and no band
    then = st.strategy_at(con, T0 + dt.timedelta(days=1, hours=1))
    assert then.goal_text("G1") == "Protect LEH key accounts"
    assert then.band("BUT-1") == st.DEFAULT_BAND
    assert st.strategy_at(con, T0 - dt.timedelta(seconds=1)).version_id is None
    # a date means the whole day
    assert st.strategy_at(con, dt.date(2026, 11, 2)).goal_text("G1") == "Protect LEH key accounts"
    con.close()


def test_goal_ids_are_never_reused(con):
    assert st.add_goal(con, "grow Export AT") == "G1"
    assert st.add_goal(con, "protect LEH") == "G2"
    st.edit_goal(con, "G2", active=False)
    s = st.current_strategy(con)
    s.goals = s.goals[s.goals["goal_id"] != "G2"]
    st.save_strategy(con, s)
    assert st.add_goal(con, "cut waste") == "G3"


def test_fill_target_of_a_market_beats_its_class(con):
    st.set_fill_target(con, 0.97, priority_class="A")
    st.set_fill_target(con, "99 %", market="LEH")
    s = st.current_strategy(con)
    assert s.fill_target("leh", 1) == pytest.approx(0.99)
    assert s.fill_target("Discount", 1) == pytest.approx(0.97)
    assert s.fill_target("Discount", 2) == 0.95


def test_bad_rows_are_refused_with_every_problem(con):
    s = st.Strategy(bands=pd.DataFrame({"line": ["L1", "L2"], "min_utilization": [0.9, 0.5],
                                        "max_utilization": [0.8, 0.7]}),
                    fill_targets=pd.DataFrame({"priority_class": ["A"], "market": [None],
                                               "target": [1.5]}),
                    priorities=pd.DataFrame({"market": ["LEH"], "product": [None],
                                             "priority_class": ["Z"]}))
    with pytest.raises(Rejected) as caught:
        st.save_strategy(con, s)
    keys = sorted(e.key for e in caught.value.errors)
    assert keys == ["bad_priority", "st_bad_band", "st_bad_target"]
    assert con.execute("select count(*) from strategy_versions").fetchone()[0] == 0


def test_excel_round_trip_keeps_everything_and_text_stays_text(con):
    evil = '=HYPERLINK("http://example.com","x")'
    st.set_priority(con, evil, "C")
    st.set_priority(con, "LEH", "B", product="000123")
    st.set_band(con, "BUT-1", 0.8, 0.95)
    st.set_fill_target(con, 0.97, priority_class=1)
    st.set_fill_target(con, 0.9, market=evil)
    st.add_goal(con, "+protect LEH")
    data = st.export_strategy(st.current_strategy(con), lang="en")

    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Priorities", "Utilisation band", "Fill-rate target", "Goals"]
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    assert evil in [c.value for c in cells]

    back = st.read_strategy(data)
    assert sorted(map(tuple, back.priorities.fillna("").values.tolist())) == \
        [("=HYPERLINK(\"http://example.com\",\"x\")", "", 3), ("LEH", "123", 2)]
    assert back.band("BUT-1") == (0.8, 0.95)
    assert back.fill_target(evil, 3) == pytest.approx(0.9)
    assert back.goals["text"].tolist() == ["+protect LEH"]
    vid = st.import_strategy(con, data, user="import")
    assert st.strategy_history(con).iloc[0]["source"] == "import"
    assert st.current_strategy(con).version_id == vid


def test_german_workbook_with_percent_numbers_reads(con):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Auslastungsband"
    ws.append(["Linie", "Auslastung von", "Auslastung bis"])
    ws.append(["JOG-1", 70, "85 %"])
    ws.append([None, None, None])
    ws.append(["MILCH-1", 1.2, 0.9])   # from above to: refused, named by its Excel row
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(Rejected) as caught:
        st.read_strategy(buffer.getvalue())
    (error,) = caught.value.errors
    assert (error.key, error.sheet, error.row) == ("st_bad_band", "Auslastungsband", 4)
    ws.delete_rows(4)
    buffer = io.BytesIO()
    wb.save(buffer)
    assert st.read_strategy(buffer.getvalue()).band("jog-1") == (0.70, 0.85)


def test_priority_overrides_and_effective_classes(con):
    markets = add_version(con, "markets", [{"market": "LEH", "priority_class": 1},
                                           {"market": "Discount", "priority_class": 2}])
    st.set_priority(con, "discount", "C")
    vid = st.set_priority(con, "LEH", "B", product="000123")
    overrides = st.priority_overrides(con, vid)
    assert overrides.fillna("").values.tolist() == [["discount", "", 3], ["LEH", "123", 2]]
    assert st.priority_overrides(con, None).empty
    pmcs = pd.DataFrame({"product": ["123", "456", "456", "456"],
                         "market": ["LEH", "LEH", "Discount", "Export AT"]})
    classes = st.effective_classes(con, pmcs, vid, markets)
    got = {(r.product, r.market): r.priority_class for r in classes.itertuples()}
    assert got == {("123", "LEH"): 2, ("456", "LEH"): 1, ("456", "Discount"): 3,
                   ("456", "Export AT"): st.DEFAULT_CLASS}
