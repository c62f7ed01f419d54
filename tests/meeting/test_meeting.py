"""Meetings and agreements: kept across restarts, history on edit, judged against new data."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipelines import meeting as mt
from pipelines import store
from pipelines.store import strategy as st
from pipelines.errors import UserError

from seed import add_version, small_company

EXPORT_W01 = {"product": "P1", "market": "export", "period": "2027-W1"}


def test_meetings_and_agreements_survive_a_restart_and_edits_keep_history(db_path):
    con = store.connect(db_path)
    versions = small_company(con)
    goal = st.add_goal(con, "Serve Export reliably")
    mid = mt.create_meeting(con, "2026-12-21", participants=["Anna", " ", "Bob"], cycle="KW 51",
                            user="anna")
    aid = mt.record_agreement(con, mid, "Saturday shift on L1", scope=EXPORT_W01, lever="extra_hours",
                              owner="Bob", due_date="2026-12-28", goal_id=goal, user="anna")
    assert mt.edit_agreement(con, aid, text="Saturday and Sunday shift on L1", user="bob") == 2
    assert mt.edit_agreement(con, aid, status="done", user="bob") == 3
    con.close()

    con = store.connect(db_path)
    meeting = mt.get_meeting(con, mid)
    assert meeting["participants"] == ["Anna", "Bob"]
    assert meeting["versions"] == versions
    assert meeting["strategy_version_id"] == st.current_strategy(con).version_id
    history = mt.agreement_history(con, aid)
    assert history["text"].tolist() == ["Saturday shift on L1", "Saturday and Sunday shift on L1",
                                        "Saturday and Sunday shift on L1"]
    assert history["status"].tolist() == ["open", "open", "done"]
    assert history["user_name"].tolist() == ["anna", "bob", "bob"]
    latest = mt.agreements(con, mid).iloc[0]
    assert (latest["revision"], latest["text"], latest["owner"], latest["goal_id"]) == \
        (3, "Saturday and Sunday shift on L1", "Bob", "G1")
    assert latest["concerns"] == "P1 / Export 2027-W01"
    # the gap at the time: 15 h for 20 h needed, class A first: Export gets 5 h = 50 units
    scope = mt.agreement_scope(con, aid).iloc[0]
    assert (scope["demand_before"], scope["supplied_before"], scope["shortfall_before"]) == (100, 50, 50)
    assert json.loads(mt.agreements(con).iloc[0]["versions"]) == versions
    assert mt.list_meetings(con).iloc[0]["agreements"] == 1
    con.close()


@pytest.mark.parametrize("hours, shortfall_now, verdict", [
    (20.0, 0.0, "held"),        # the extra hours came: gap closed
    (17.5, 25.0, "partly"),     # 7.5 h for Export: 75 supplied
    (15.0, 50.0, "not_held"),   # same as before
    (12.0, 80.0, "not_held"),   # grew: 2 h left for Export
])
def test_agreement_judged_by_the_gap_now(con, hours, shortfall_now, verdict):
    small_company(con)
    mid = mt.create_meeting(con, "2026-12-21")
    aid = mt.record_agreement(con, mid, "Extra shift", scope=EXPORT_W01)
    line = mt.record_agreement(con, mid, "Line L1", scope={"line": "l1", "period": "2027-W01"})
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": hours}])
    judged = mt.judge_agreements(con, lang="en").set_index("agreement_id")
    assert judged.loc[aid, "shortfall_before"] == 50
    assert judged.loc[aid, "shortfall_now"] == pytest.approx(shortfall_now)
    assert judged.loc[aid, "verdict"] == verdict
    assert judged.loc[line, "verdict"] == verdict
    assert judged.loc[line, "overload_hours_before"] == 5
    assert judged.loc[line, "overload_hours_now"] == pytest.approx(max(0.0, 20 - hours))
    # the PMC's shortfall in its article's unit (P1 has none in the master: pieces); the line's
    # PMCs could be of several articles: no unit, its overload hours tell
    assert judged.loc[aid, "unit"] == "Stk" and pd.isna(judged.loc[line, "unit"])
    assert judged.loc[aid, "verdict_text"].startswith("Shortfall before 50 pcs, now")
    assert judged.loc[line, "verdict_text"].startswith("Shortfall before 50, now")


def test_judging_on_an_older_version_set(con):
    versions = small_company(con)
    mid = mt.create_meeting(con, "2026-12-21")
    aid = mt.record_agreement(con, mid, "Extra shift", scope=EXPORT_W01)
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 20}])
    assert mt.judge_agreements(con).iloc[0]["verdict"] == "held"
    # on the data it was made on, nothing is new: open, not "not held"
    old = mt.judge_agreements(con, {"capacity": versions["capacity"]})
    assert old.iloc[0]["verdict"] == "open"
    assert old.iloc[0]["agreement_id"] == aid
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 15}])
    assert mt.judge_agreements(con).iloc[0]["verdict"] == "not_held"  # new data, the same gap


def test_a_meeting_on_unchanged_data_leaves_the_agreement_open(con):
    small_company(con)
    mid = mt.create_meeting(con, "2026-12-21")
    aid = mt.record_agreement(con, mid, "Extra shift", scope=EXPORT_W01)
    judged = mt.judge_agreements(con, lang="de").set_index("agreement_id")
    assert judged.loc[aid, "verdict"] == "open"
    assert judged.loc[aid, "verdict_label"] == "offen: seit der Vereinbarung keine neuen Daten"
    assert judged.loc[aid, "verdict_text"] == judged.loc[aid, "verdict_label"]
    assert judged.loc[aid, "shortfall_now"] == judged.loc[aid, "shortfall_before"] == 50
    # a new master (not forecast or capacity) is new data too: the gap is judged again
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 10}])
    assert mt.judge_agreements(con).set_index("agreement_id").loc[aid, "verdict"] == "not_held"


def test_a_new_strategy_is_news_only_where_it_moves_the_gap(con):
    small_company(con)
    mid = mt.create_meeting(con, "2026-12-21")
    aid = mt.record_agreement(con, mid, "Extra shift", scope=EXPORT_W01)
    st.add_goal(con, "Serve Export reliably")  # a new strategy version that allocates as before
    assert mt.judge_agreements(con).set_index("agreement_id").loc[aid, "verdict"] == "open"
    st.set_priority(con, "Export", "A")  # Export shares the 15 h with LEH now: 75 of 100 supplied
    judged = mt.judge_agreements(con).set_index("agreement_id")
    assert judged.loc[aid, "shortfall_now"] == pytest.approx(25)
    assert judged.loc[aid, "verdict"] == "partly"


def test_an_agreement_needs_text_scope_and_a_known_goal(con):
    small_company(con)
    mid = mt.create_meeting(con, "2026-12-21")
    with pytest.raises(UserError) as caught:
        mt.record_agreement(con, mid, "  ", scope=EXPORT_W01)
    assert caught.value.key == "mt_no_text"
    with pytest.raises(UserError) as caught:
        mt.record_agreement(con, mid, "Do something", scope=[{"product": "P1", "market": "LEH"}])
    assert caught.value.key == "mt_no_scope"
    with pytest.raises(UserError) as caught:
        mt.record_agreement(con, mid, "Do something", scope=EXPORT_W01, goal_id="G9")
    assert caught.value.key == "mt_unknown_goal"
    with pytest.raises(UserError):
        mt.edit_agreement(con, 999, text="x")
    assert con.execute("select count(*) from agreements").fetchone()[0] == 0


def test_previous_meeting(con):
    first = mt.create_meeting(con, "2026-11-30")
    second = mt.create_meeting(con, "2026-12-21")
    assert mt.previous_meeting(con) == second
    assert mt.previous_meeting(con, second) == first
    assert mt.previous_meeting(con, first) is None


def test_plan_judged_against_the_strategy(con):
    small_company(con)
    checks = mt.judge_against_strategy(con, lang="en")
    by_check = {c: g for c, g in checks.groupby("check")}
    assert set(by_check) == {"fill_rate", "band_over"}
    fill = by_check["fill_rate"].iloc[0]
    assert (fill["market"], fill["value"], fill["target"]) == ("Export", 0.5, 0.90)
    band = by_check["band_over"].iloc[0]
    assert band["value"] == pytest.approx(20 / 15)
    assert band["message"] == "Line L1, W01 2027: utilisation 133% above the target band 75%–90%."

    # the strategy makes Export a class-A market with a lower band: the allocation itself follows
    # (LEH and Export now share the 150 units in proportion: 75 each) and both are judged class A
    st.set_priority(con, "EXPORT", "A")
    st.set_band(con, "L1", 0.5, 1.4)
    checks = mt.judge_against_strategy(con, lang="de")
    assert sorted(checks["check"]) == ["class_a_short", "class_a_short", "fill_rate", "fill_rate"]
    short = checks[checks["check"] == "class_a_short"].sort_values("market")
    assert list(zip(short["market"], short["period"], short["shortfall"])) == [
        ("Export", "2027-W01", 25), ("LEH", "2027-W01", 25)]
    fill = checks[checks["check"] == "fill_rate"]
    assert set(fill["target"]) == {0.98} and set(fill["value"]) == {0.75}


def test_the_strategy_for_an_older_plan_is_the_one_valid_then(con):
    versions = small_company(con)
    st.set_band(con, "L1", 0.5, 0.6)
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 30}])
    st.set_band(con, "L1", 0.5, 0.7)
    assert st.strategy_for_versions(con, None).band("L1") == (0.5, 0.7)
    assert st.strategy_for_versions(con, versions).band("L1") == (0.5, 0.6)


@pytest.mark.slow
def test_demo_company_over_two_cycles(tmp_path):
    """The planted situations of data/sample: BUT-1 W52 closes (held), KAS-1 2027-W02 grows."""
    from pipelines.demo import NEXT_CYCLE_UPLOADS, build_demo, ingest_uploads
    from pipelines.settings import load_settings

    path = build_demo(tmp_path / "demo.duckdb")
    con = store.connect(path)
    mid = mt.create_meeting(con, "2026-11-30", participants=["Vertrieb", "Produktion"], cycle="KW 48")
    held = mt.record_agreement(con, mid, "Nicht-LEH-Butter aus KW 52 verschieben",
                               scope={"line": "BUT-1", "period": "2026-W52"}, lever="prebuild")
    grew = mt.record_agreement(con, mid, "Wartung KAS-1 verschieben",
                               scope={"line": "KAS-1", "period": "2027-W02"}, lever="extra_hours")
    first = mt.judge_agreements(con).set_index("agreement_id")
    assert (first["verdict"] == "open").all()   # nothing happened yet: no new data, same gap
    con.close()

    con = store.connect(path)   # the next cycle, after a restart
    ingest_uploads(con, NEXT_CYCLE_UPLOADS, load_settings(), merge_actuals=True)
    judged = mt.judge_agreements(con, meeting_id=mid, lang="en").set_index("agreement_id")
    assert judged.loc[held, "verdict"] == "held"
    assert judged.loc[held, "shortfall_before"] > 30000
    assert judged.loc[held, "shortfall_now"] == pytest.approx(0, abs=1e-6)
    assert judged.loc[grew, "verdict"] == "not_held"
    assert judged.loc[grew, "shortfall_now"] > judged.loc[grew, "shortfall_before"] > 30000
    con.close()


# --- issue 10: every agreement belongs to a meeting, the baseline, markers ---------------------

def test_the_first_agreement_of_a_week_opens_that_weeks_meeting(con):
    versions = small_company(con)
    assert mt.list_meetings(con).empty
    first = mt.record_agreement(con, None, "Extra shift", scope=EXPORT_W01, day="2026-12-02",
                                lang="de")
    opened = mt.week_meeting(con, "2026-12-04")  # the same ISO week (49), a Friday
    assert opened is not None and mt.week_meeting(con, "2026-12-07") is None
    meeting = mt.get_meeting(con, opened)
    assert (meeting["meeting_date"].isoformat(), meeting["cycle"]) == ("2026-12-02", "KW 49")
    assert {k: meeting["versions"][k] for k in versions} == versions
    second = mt.record_agreement(con, None, "Tell Export", scope=EXPORT_W01, day="2026-12-03")
    third = mt.record_agreement(con, None, "Next week", scope=EXPORT_W01, day="2026-12-08",
                                lang="en")
    agreed = mt.agreements(con).set_index("agreement_id")["meeting_id"]
    assert agreed[first] == agreed[second] == opened
    assert agreed[third] != opened and mt.get_meeting(con, int(agreed[third]))["cycle"] == "W50"
    # the look-back of the next meeting and the pack count the same agreements
    from pipelines import pack
    assert len(mt.judge_agreements(con, meeting_id=opened)) == 2
    assert len(pack.build_pack(con, opened).agreements) == 2
    assert mt.list_meetings(con).set_index("meeting_id").loc[opened, "agreements"] == 2


def test_an_agreement_joins_the_meeting_held_that_week(con):
    small_company(con)
    held = mt.create_meeting(con, "2026-11-30", cycle="KW 49")
    aid = mt.record_agreement(con, None, "Extra shift", scope=EXPORT_W01, day="2026-12-03")
    assert mt.agreements(con).set_index("agreement_id").loc[aid, "meeting_id"] == held
    assert len(mt.list_meetings(con)) == 1


def test_agreements_without_a_meeting_are_attached_on_migration(db_path):
    con = store.connect(db_path)
    versions = small_company(con)
    held = mt.create_meeting(con, "2026-11-30", cycle="KW 49")
    rows = [(1, "2026-12-02 10:00"), (2, "2026-12-15 09:00"), (3, "2026-12-16 11:00")]
    for aid, when in rows:  # stored by an older Einklang: no meeting
        con.execute("insert into agreements (agreement_id, meeting_id, created_at, user_name, versions, "
                    "strategy_version_id) values (?, null, ?, 'anna', ?, null)",
                    [aid, when, json.dumps(versions)])
        con.execute("insert into agreement_revisions values (?, 1, ?, 'anna', 'old', null, null, "
                    "null, null, 'open')", [aid, when])
    con.close()
    con = store.connect(db_path)
    agreed = mt.agreements(con).set_index("agreement_id")["meeting_id"]
    assert agreed[1] == held
    assert agreed[2] == agreed[3] != held
    opened = mt.get_meeting(con, int(agreed[2]))
    assert (opened["meeting_date"].isoformat(), opened["cycle"]) == ("2026-12-15", "KW 51")
    assert opened["versions"] == versions
    assert con.execute("select count(*) from agreements where meeting_id is null").fetchone()[0] == 0
    con.close()


def test_baseline_is_the_last_meeting_on_another_plan(con):
    small_company(con)
    assert mt.baseline(con) is None  # no meeting: the previous upload is meant
    first = mt.create_meeting(con, "2026-11-30")
    assert mt.baseline(con) is None  # held on the current plan: nothing moved since
    frozen = store.current_versions(con)
    newer = add_version(con, "forecast", [{"product": "P1", "market": "LEH", "period": "2027-W01",
                                           "quantity": 120}], as_of="2026-12-06")
    got = mt.baseline(con)
    assert got["meeting_id"] == first and got["versions"]["forecast"] == frozen["forecast"]
    assert got["versions"]["forecast"] != newer
    # the next meeting is held on the new plan: while it meets, the first stays the baseline
    second = mt.create_meeting(con, "2026-12-07")
    assert mt.baseline(con)["meeting_id"] == first
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 20}])
    assert mt.baseline(con)["meeting_id"] == second


def test_agreement_marks_open_then_judged(con):
    from pipelines.model import build
    small_company(con)
    mid = mt.create_meeting(con, "2026-12-21")
    aid = mt.record_agreement(con, mid, "Extra shift", scope=[EXPORT_W01, {**EXPORT_W01, "period": "2027-W02"}])
    line = mt.record_agreement(con, mid, "Line", scope={"line": "L1", "period": "2027-W01"})
    dropped = mt.record_agreement(con, mid, "Dropped", scope=EXPORT_W01)
    mt.edit_agreement(con, dropped, status="dropped")
    with build(con) as model:
        marks = mt.agreement_marks(con, model=model, lang="de")
    assert set(marks["agreement_id"]) == {aid, line}
    assert set(marks["mark"]) == {"open"} and set(marks["symbol"]) == {"◆"}
    assert sorted(marks.loc[marks["agreement_id"] == aid, "period"]) == ["2027-W01", "2027-W02"]
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 20}])
    with build(con) as model:
        marks = mt.agreement_marks(con, model=model, lang="en")
    got = {(r.agreement_id, r.period): (r.mark, r.mark_label) for r in marks.itertuples()}
    assert got[(aid, "2027-W01")] == ("held", "held") and got[(line, "2027-W01")] == ("held", "held")
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 12}])
    with build(con) as model:
        marks = mt.agreement_marks(con, model=model, lang="de")
    assert marks.set_index("agreement_id").loc[line, "mark_label"] == "nicht gehalten"


def test_best_lever_closes_most_at_fewest_hours():
    import pandas as pd
    from pipelines.model.levers import best_lever
    levers = pd.DataFrame({"lever": ["prebuild", "extra_hours", "other_line", "reprioritise"],
                           "closes_units": [0.0, 50.0, 50.0, 20.0], "hours": [0.0, 5.0, 2.5, None]})
    assert best_lever(levers) == "other_line"  # as much as extra hours, at half the hours
    assert best_lever(levers.assign(closes_units=[60.0, 50.0, 50.0, 20.0])) == "prebuild"
    assert best_lever(levers.assign(closes_units=0.0)) is None
    assert best_lever(pd.DataFrame(columns=["lever", "closes_units", "hours"])) is None
    line = pd.DataFrame({"lever": ["prebuild", "extra_hours"], "closes_hours": [3.0, 5.0]})
    assert best_lever(line) == "extra_hours"


def _class_a_on_one_line(con, products: list[dict], quantities: dict[str, float]) -> None:
    """Articles of one class-A market LEH on line L1 (10 h in 2027-W01, rate 10/h)."""
    add_version(con, "products", [{"line": "L1", "rate": 10, **p} for p in products])
    add_version(con, "markets", [{"market": "LEH", "priority_class": 1}])
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 10}])
    add_version(con, "forecast", [{"product": p, "market": "LEH", "period": "2027-W01", "quantity": q}
                                  for p, q in quantities.items()])


def test_a_class_a_market_short_adds_its_articles_in_kg(con):
    # butter in kg and yoghurt cups of 0.5 kg share the line: 300 units need 30 h of 10
    _class_a_on_one_line(con, [{"product": "BUT", "unit": "kg"},
                               {"product": "JOG", "unit": "Becher", "net_weight": 0.5}],
                         {"BUT": 100, "JOG": 200})
    checks = mt.judge_against_strategy(con, lang="de")
    (short,) = checks[checks["check"] == "class_a_short"].to_dict("records")
    # a third is served: 66.67 kg of butter and 133.33 cups (66.67 kg) short, 20 h of line time;
    # before, 200 "units" of kg and cups added up
    assert (round(short["shortfall"], 2), short["unit"], short["shortfall_hours"]) == (133.33, "kg", 20.0)
    assert short["message"] == "Markt LEH (Klasse A), KW 01/2027: Fehlmenge 133 kg."
    fill = checks[checks["check"] == "fill_rate"].set_index("product")
    assert fill.loc["JOG", "unit"] == "Becher" and fill.loc["BUT", "unit"] == "kg"


def test_a_class_a_market_of_articles_without_a_common_unit_is_short_in_hours(con):
    # pieces and cups without net weights: no quantity total, the line hours say how large
    _class_a_on_one_line(con, [{"product": "A", "unit": "Stk"}, {"product": "B", "unit": "Becher"}],
                         {"A": 100, "B": 100})
    checks = mt.judge_against_strategy(con, lang="en")
    (short,) = checks[checks["check"] == "class_a_short"].to_dict("records")
    assert pd.isna(short["shortfall"]) and pd.isna(short["unit"]) and short["shortfall_hours"] == 10.0
    assert short["message"] == "Market LEH (class A), W01 2027: shortfall 10.0 h."


def test_agreements_with_a_model_name_the_unit_of_their_shortfall(con):
    small_company(con)
    mid = mt.create_meeting(con, "2026-12-21")
    pmc = mt.record_agreement(con, mid, "Extra shift", scope=EXPORT_W01)
    line = mt.record_agreement(con, mid, "Line L1", scope={"line": "l1", "period": "2027-W01"})
    assert "unit" not in mt.agreements(con, mid).columns
    from pipelines.model import build
    with build(con) as model:
        units = mt.agreements(con, mid, model=model).set_index("agreement_id")["unit"]
    assert units[pmc] == "Stk" and pd.isna(units[line])
