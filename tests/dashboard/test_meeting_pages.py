"""Meeting, strategy and look-back pages on the demo company and on an empty database; an agreement
recorded through the form; the strategy editor saving a new version; agreements judged next cycle."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from pipelines import meeting as mt
from pipelines import store
from pipelines.store import strategy as sg
from pipelines.text import render

from seed import workbook
from test_dash_pages import texts

MEETING, STRATEGY, LOOKBACK = "screens/meeting.py", "screens/strategy.py", "screens/lookback.py"
PAGES = [MEETING, STRATEGY, LOOKBACK]
HELD = {"line": "BUT-1", "period": "2026-W52"}        # closes in the next cycle (data/sample/README.md)
GROWS = {"line": "KAS-1", "period": "2027-W02"}       # grows in the next cycle


@pytest.fixture
def db(demo_db, tmp_path):
    """A private copy of the demo company: these tests write meetings, agreements and strategies."""
    path = tmp_path / "meeting.duckdb"
    shutil.copy(demo_db, path)
    return path


def with_meeting(path, *, date="2026-11-30", cycle="KW 48") -> int:
    con = store.connect(path)
    try:
        return mt.create_meeting(con, date, participants=["Vertrieb", "Produktion"], cycle=cycle)
    finally:
        con.close()


def open_page(at, page: str):
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def walk(at, step: int):
    at.segmented_control(key="step").set_value(step).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def table(at, header: str):
    """The first table with this column header (st.dataframe keys are not exposed by AppTest)."""
    for frame in at.dataframe:
        if header in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {header!r}")


def specs(at) -> str:
    return "\n".join(c.proto.spec for c in at.get("plotly_chart"))


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_demo(app, db, page):
    from pipelines.model import accuracy as acc
    con = store.connect(db)
    try:
        total = acc.accuracy(con, "total").iloc[0]
        lines = set(
            con.execute("select distinct line from capacity where version_id = ?",
                        [store.current_versions(con)["capacity"]]).df()["line"])
    finally:
        con.close()
    at = open_page(app(db), page)
    assert at.title[0].value in {"Meeting", "Strategie und Ziele", "Prognosegüte"}
    if page == MEETING:
        assert "Noch kein Meeting angelegt" in texts(at), "the first meeting is created right here"
        assert at.button or at.get("form_submit_button"), "with a form to create it"
    elif page == STRATEGY:
        bands = next(e.value for e in at.data_editor if e.key.startswith("sg_bands_"))
        assert set(bands["line"]) == lines, "one band row per line of the plan"
        shown = {float(str(v).replace(",", ".")) for v in bands["max_utilization"]}
        assert shown == {90.0}, "the default band until one is saved"
    else:
        shown = {m.label: m.value for m in at.metric}
        assert shown["Perioden"] == str(int(total["periods"]))
        assert shown["WAPE gesamt"] == f"{total['wape'] * 100:.1f} %".replace(".", ",")


@pytest.mark.parametrize("page", PAGES)
def test_page_on_empty_database_is_helpful(app, empty_db, page):
    at = open_page(app(empty_db), page)
    text = texts(at)
    if page == STRATEGY:
        assert "es gelten die Standards" in text, "the editor works before any data"
        assert at.data_editor, "the four tables can be filled in right away"
    else:
        assert "Noch keine Planungsdaten" in text


def test_create_a_meeting_and_walk_the_agenda(app, db):
    at = open_page(app(db), MEETING)
    assert "Noch kein Meeting angelegt" in texts(at)
    # the form's page has one chart: empty, hidden, so that the browser starts plotly.js now
    assert [json.loads(c.proto.spec)["data"] for c in at.get("plotly_chart")] == [[]]
    assert at.get("plotly_chart")[0].proto.id and "chart_preload" in at.get("plotly_chart")[0].proto.id
    at.text_input(key="mt_new_cycle").input("KW 48")
    at.text_input(key="mt_new_people").input("Anna (Vertrieb), Bernd (Produktion)")
    at.button(key="mt_create").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "KW 48" in at.header[0].value and "S&OP-Meeting" in at.header[0].value
    assert "Anna (Vertrieb)" in texts(at)
    assert not [c for c in at.get("plotly_chart") if "chart_preload" in c.proto.id]

    # 1: what changed: the waterfall by market, the biggest moves, the cheese capacity is unchanged
    assert '"waterfall"' in specs(at)
    # the waterfall is the mart's change per market, in its one measure: line hours on the demo
    # (its new article has no net weight), said on the axis, the hover and above the chart
    from pipelines.model import compare
    with store.opened(db) as con:
        change = compare.forecast_change_by_market(con)
    fall = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if '"waterfall"' in c.proto.spec)
    assert fall["layout"]["yaxis"]["title"]["text"] == change["unit"].iloc[0] == "h"
    assert fall["data"][0]["y"][-1] == pytest.approx(change["current"].sum())
    assert all(" h" in hover for hover in fall["data"][0]["customdata"])
    assert "1 Artikel ohne Linie" in fall["layout"]["annotations"][0]["text"]
    moves = table(at, "Veränderung")
    assert "100301" in set(moves["Artikel"]), "the LEH promotion on Markenbutter moved most"
    # every quantity with its article's unit, as the model says: yoghurt in cups, butter in
    # pieces, cheese in kg
    with store.opened(db) as con:
        want = compare.biggest_moves(con, len(moves))
    assert [cell.rsplit(" ", 1)[-1] for cell in moves["Veränderung"]] == want["unit"].tolist()
    assert {"Becher", "Stk", "kg"} <= set(want["unit"])
    at.segmented_control(key="mt_moves_by").set_value("pmc_period").run()
    assert not at.exception, [e.message for e in at.exception]
    moves = table(at, "Veränderung")
    assert "KW 50/2026" in set(moves["Periode"]), "the promotion weeks themselves"
    # 2: nothing to look back on at the first meeting
    at.button(key="mt_next").click().run()
    assert at.segmented_control(key="step").value == 2
    assert "erste Meeting" in texts(at)
    # 3: KPIs against the goals: the demo has class-A shortfalls and lines above their band
    walk(at, 3)
    labels = {m.label: m.value for m in at.metric}
    assert int(labels["Linienperioden über Band"]) > 0
    assert "Lieferfähigkeit gegen Ziel je Markt" in texts(at)
    assert len(at.get("plotly_chart")) == 2
    # 4: top conflicts link to the drill-down
    walk(at, 4)
    assert "Fehlmenge" in texts(at) and at.get("page_link")
    # ranked by line hours: the unrouted new article first, named as such, then hours
    assert "ohne Linienstunden" in texts(at) and "h Linienzeit" in texts(at)
    # 5: decisions: none yet
    walk(at, 5)
    assert "Noch keine Vereinbarung" in texts(at)


def test_an_agreement_recorded_through_the_form_is_stored(app, db, monkeypatch):
    with_meeting(db)

    def script():
        from dashboard import queries
        from dashboard.agreement_form import agreement_form
        key = queries.version_key(queries.stamp())
        agreement_form(key, {"line": "BUT-1", "period": "2026-W52"}, "de")

    monkeypatch.setenv("EINKLANG_DB", str(db))
    monkeypatch.setenv("EINKLANG_LANG", "de")
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    suffix = "_BUT-1_2026-W52"
    assert "Vorproduktion" in " ".join(at.selectbox(key=f"ag_lever{suffix}").options), "the model's levers"
    at.text_area(key=f"ag_text{suffix}").input("Nicht-LEH-Butter aus KW 52 vorziehen")
    at.text_input(key=f"ag_owner{suffix}").input("Produktion")
    # issue 10: the periods default to the whole conflict episode; this meeting narrows it to KW 52
    assert at.multiselect(key=f"ag_periods{suffix}").value == ["2026-W50", "2026-W51", "2026-W52"]
    at.multiselect(key=f"ag_periods{suffix}").set_value(["2026-W52"])
    at.selectbox(key=f"ag_meeting{suffix}").set_value(1)  # the KW 48 meeting, whatever week today is
    at.selectbox(key=f"ag_lever{suffix}").set_value("prebuild")
    at.button(key=f"ag_save{suffix}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success and "Vereinbarung #" in at.success[0].value

    from dashboard.queries import cursor  # the app holds the file open: read through its connection
    with cursor(str(db)) as cur:
        stored = mt.agreements(cur)
    assert len(stored) == 1
    row = stored.iloc[0]
    assert (row["text"], row["lever"], row["owner"], row["meeting_id"]) == \
        ("Nicht-LEH-Butter aus KW 52 vorziehen", "prebuild", "Produktion", 1)
    assert row["concerns"] == "BUT-1 2026-W52" and row["shortfall_before"] > 30000


def test_the_form_proposes_the_best_lever_and_this_weeks_meeting(app, db, monkeypatch):
    """Issue 10: the lever closing most at fewest hours is preselected; with no meeting this week
    the agreement opens one; the saved agreement is listed with its mark on the drill-down."""
    def script():
        from dashboard import queries
        from dashboard.agreement_form import agreement_form
        key = queries.version_key(queries.stamp())
        agreement_form(key, {"product": "100301", "market": "Handelsmarke", "period": "2026-W52"}, "de")

    monkeypatch.setenv("EINKLANG_DB", str(db))
    monkeypatch.setenv("EINKLANG_LANG", "de")
    from streamlit.testing.v1 import AppTest
    from pipelines.model import build_from_file
    from pipelines.model.levers import best_lever
    with build_from_file(str(db)) as model:
        expected = best_lever(model.levers("100301", "Handelsmarke", "2026-W52", "de"))
        episode = model.episode("2026-W52", product="100301", market="Handelsmarke")
    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    suffix = "_100301_Handelsmarke_2026-W52"
    assert expected is not None and at.selectbox(key=f"ag_lever{suffix}").value == expected
    assert at.selectbox(key=f"ag_meeting{suffix}").value is None  # this week's, opened on saving
    assert at.multiselect(key=f"ag_periods{suffix}").value == episode
    at.text_area(key=f"ag_text{suffix}").input("Vorziehen")
    at.button(key=f"ag_save{suffix}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    from dashboard.queries import cursor
    with cursor(str(db)) as cur:
        stored = mt.agreements(cur)
        opened = mt.week_meeting(cur)
    assert opened is not None and stored["meeting_id"].tolist() == [opened]
    assert stored["lever"].tolist() == [expected]
    at.run()
    assert any("◆ offen" in m.value for m in at.markdown), "listed on the drill-down with its mark"


def test_an_empty_agreement_is_refused_in_words(app, db, monkeypatch):
    def script():
        from dashboard import queries
        from dashboard.agreement_form import agreement_form
        agreement_form(queries.version_key(queries.stamp()), {"line": "KAS-1", "period": "2027-W02"}, "en")

    monkeypatch.setenv("EINKLANG_DB", str(db))
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(script, default_timeout=60).run()
    at.button(key="ag_save_KAS-1_2027-W02").click().run()
    assert not at.exception
    assert at.error and "needs a text" in at.error[0].value


def _form_app(monkeypatch, db, scope: dict, lang: str = "de"):
    def script(scope, lang):
        from dashboard import queries
        from dashboard.agreement_form import agreement_form
        agreement_form(queries.version_key(queries.stamp()), scope, lang)

    monkeypatch.setenv("EINKLANG_DB", str(db))
    monkeypatch.setenv("EINKLANG_LANG", lang)
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(script, default_timeout=60, args=(scope, lang)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _stored(db):
    from dashboard.queries import cursor  # the app holds the file open: read through its connection
    with cursor(str(db)) as cur:
        return mt.agreements(cur)


def test_a_refused_save_keeps_what_was_typed(app, db, monkeypatch):
    """Issue 10: no lever closes anything on the new article's conflict, so none is preselected;
    saving without one is refused and keeps the note, owner, due date and periods: the meeting
    chooses the lever and saves again, and only then the form is empty."""
    with_meeting(db)
    at = _form_app(monkeypatch, db, {"product": "100899", "market": "LEH", "period": "2027-W29"})
    f = "_100899_LEH_2027-W29"
    assert at.selectbox(key=f"ag_lever{f}").value is None, "no lever preselected"
    periods = at.multiselect(key=f"ag_periods{f}")
    kept = periods.value[:2] if len(periods.value) > 2 else list(periods.options[:2])
    assert len(kept) == 2
    at.text_area(key=f"ag_text{f}").input("Rezeptur freigeben, dann auf SKY-1 einplanen")
    at.text_input(key=f"ag_owner{f}").input("Frau Weber")
    at.date_input(key=f"ag_due{f}").set_value(dt.date(2027, 7, 1))
    at.multiselect(key=f"ag_periods{f}").set_value(kept)
    at.selectbox(key=f"ag_meeting{f}").set_value(1)
    at.button(key=f"ag_save{f}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.error and "Hebel" in at.error[0].value and len(at.error) == 1
    assert _stored(db).empty, "nothing stored"
    assert at.text_area(key=f"ag_text{f}").value == "Rezeptur freigeben, dann auf SKY-1 einplanen"
    assert at.text_input(key=f"ag_owner{f}").value == "Frau Weber"
    assert at.date_input(key=f"ag_due{f}").value == dt.date(2027, 7, 1)
    assert at.multiselect(key=f"ag_periods{f}").value == kept
    assert at.selectbox(key=f"ag_meeting{f}").value == 1
    # the one missing field, and save again: everything typed before is stored
    at.selectbox(key=f"ag_lever{f}").set_value("extra_hours")
    at.button(key=f"ag_save{f}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error and at.success and "Vereinbarung #" in at.success[0].value
    stored = _stored(db)
    assert len(stored) == 1
    row = stored.iloc[0]
    assert (row["text"], row["lever"], row["owner"], row["meeting_id"], str(row["due_date"])[:10]) == \
        ("Rezeptur freigeben, dann auf SKY-1 einplanen", "extra_hours", "Frau Weber", 1, "2027-07-01")
    assert row["concerns"].count("2027-W") == 2
    # saved: the form is empty again for the next agreement
    assert at.text_area(key=f"ag_text{f}_1").value == ""
    assert at.text_input(key=f"ag_owner{f}_1").value == ""
    assert at.selectbox(key=f"ag_lever{f}_1").value is None


def test_a_save_without_text_keeps_the_rest(app, db, monkeypatch):
    """Without a note the save is refused in words; lever, owner, other lever text and periods stay."""
    with_meeting(db)
    at = _form_app(monkeypatch, db, {"line": "KAS-1", "period": "2027-W02"}, "en")
    f = "_KAS-1_2027-W02"
    at.selectbox(key=f"ag_lever{f}").set_value("extra_hours")
    at.text_input(key=f"ag_owner{f}").input("Shift lead")
    at.multiselect(key=f"ag_periods{f}").set_value(["2027-W02"])
    at.selectbox(key=f"ag_meeting{f}").set_value(1)
    at.button(key=f"ag_save{f}").click().run()
    assert at.error and "needs a text" in at.error[0].value
    assert _stored(db).empty
    assert (at.selectbox(key=f"ag_lever{f}").value, at.text_input(key=f"ag_owner{f}").value,
            at.multiselect(key=f"ag_periods{f}").value) == ("extra_hours", "Shift lead", ["2027-W02"])
    at.text_area(key=f"ag_text{f}").input("Saturday shift on KAS-1")
    at.button(key=f"ag_save{f}").click().run()
    assert not at.error and at.success
    row = _stored(db).iloc[0]
    assert (row["text"], row["lever"], row["owner"], row["concerns"]) == \
        ("Saturday shift on KAS-1", "extra_hours", "Shift lead", "KAS-1 2027-W02")


def test_the_strategy_editor_saves_a_new_version(app, db):
    at = open_page(app(db), STRATEGY)
    assert len(at.data_editor) == 4
    at.session_state["sg_goals_0"] = {"edited_rows": {}, "deleted_rows": [],
                                     "added_rows": [{"text": "Export AT ausbauen", "active": True}]}
    at.session_state["sg_bands_0"] = {"edited_rows": {}, "deleted_rows": [],
                                     "added_rows": [{"line": "KAS-1", "min_utilization": 70,
                                                     "max_utilization": 95}]}
    at.text_input(key="sg_note_0").input("Export wachsen lassen")
    at.button(key="sg_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Strategie-Version #1 gespeichert" in texts(at)
    history = table(at, "Notiz")
    assert len(history) == 1 and history.iloc[0]["Notiz"] == "Export wachsen lassen"
    assert "sg_goals_1" in [e.key for e in at.data_editor], "the editors now show version 1"
    from dashboard.queries import cursor
    with cursor(str(db)) as cur:
        saved = sg.current_strategy(cur)
    assert saved.goals[["goal_id", "text"]].values.tolist() == [["G1", "Export AT ausbauen"]]
    assert saved.band("kas-1") == (0.70, 0.95)


def test_a_bad_band_is_refused_and_nothing_saved(app, db):
    at = open_page(app(db), STRATEGY)
    at.session_state["sg_bands_0"] = {"edited_rows": {}, "deleted_rows": [],
                                     "added_rows": [{"line": "JOG-1", "min_utilization": 95,
                                                     "max_utilization": 80}]}
    at.button(key="sg_save").click().run()
    assert not at.exception
    assert at.error and "Nicht gespeichert" in at.error[0].value
    errors = table(at, "Meldung")
    assert errors.shape[0] == 1
    # named by the editor's section, not by the stored table ("bands")
    assert errors.iloc[0]["Tabelle"] == "Zielband der Auslastung je Linie"


def test_last_meetings_agreements_judged_in_the_next_cycle(app, db):
    """BUT-1 2026-W52 closes (held), KAS-1 2027-W02 grows (not held): data/sample/README.md."""
    from pipelines.demo import NEXT_CYCLE_UPLOADS, ingest_uploads
    from pipelines.settings import load_settings
    con = store.connect(db)
    try:
        first = mt.create_meeting(con, "2026-11-30", cycle="KW 48")
        mt.record_agreement(con, first, "Butter vorziehen", scope=HELD, lever="prebuild", owner="Bernd")
        mt.record_agreement(con, first, "Revision KAS-1 verschieben", scope=GROWS, owner="Clara")
        ingest_uploads(con, NEXT_CYCLE_UPLOADS, load_settings(), merge_actuals=True)
        mt.create_meeting(con, "2026-12-28", cycle="KW 52")
        con.execute("checkpoint")
    finally:
        con.close()
    at = open_page(app(db), MEETING)
    assert "KW 52" in at.header[0].value, "the newest meeting first"
    walk(at, 2)
    assert "30.11.2026" in texts(at)
    labels = {m.label: m.value for m in at.metric}
    assert (labels["gehalten"], labels["nicht gehalten"]) == ("1", "1")
    judged = table(at, "Ergebnis").set_index("Vereinbarung")
    assert judged.loc["Butter vorziehen", "Ergebnis"] == "gehalten"
    assert judged.loc["Butter vorziehen", "Fehlmenge jetzt"] == "0"
    assert judged.loc["Revision KAS-1 verschieben", "Ergebnis"] == "nicht gehalten"
    # step 1 of the new meeting compares the KW 52 forecast with the one of the last meeting
    walk(at, 1)
    assert "Absatzplanung KW 52 gegenüber Absatzplanung KW 48" in texts(at)


def test_a_meeting_on_unchanged_data_shows_last_meetings_agreements_open(app, db):
    """No upload between two meetings: last meeting's agreements are open, not "not held"."""
    con = store.connect(db)
    try:
        first = mt.create_meeting(con, "2026-11-30", cycle="KW 48")
        mt.record_agreement(con, first, "Revision KAS-1 verschieben", scope=GROWS, owner="Clara")
        mt.create_meeting(con, "2026-12-07", cycle="KW 49")
        con.execute("checkpoint")
    finally:
        con.close()
    at = open_page(app(db), MEETING)
    walk(at, 2)
    labels = {m.label: m.value for m in at.metric}
    assert (labels["gehalten"], labels["teilweise"], labels["nicht gehalten"]) == ("0", "0", "0")
    assert any(i.value.startswith("1 Vereinbarung(en) offen") for i in at.info)
    judged = table(at, "Ergebnis").set_index("Vereinbarung")
    assert judged.loc["Revision KAS-1 verschieben", "Ergebnis"] == "offen: seit der Vereinbarung keine neuen Daten"
    assert judged.loc["Revision KAS-1 verschieben", "Betrifft"] == "KAS-1 KW 02/2027"


def test_editing_an_agreement_keeps_its_history(app, db):
    con = store.connect(db)
    try:
        mid = mt.create_meeting(con, "2026-11-30", cycle="KW 48")
        mt.record_agreement(con, mid, "Samstagsschicht BUT-1", scope=HELD, lever="extra_hours")
        mt.record_agreement(con, mid, "Markenbutter vorziehen", lever="prebuild",
                            scope={"product": "100301", "market": "Handelsmarke", "period": "2026-W52"})
        con.execute("checkpoint")
    finally:
        con.close()
    at = open_page(app(db), MEETING)
    walk(at, 5)
    agreed = table(at, "Fällig")
    assert agreed.iloc[0]["Hebel"] == "Zusatzstunden"
    # the butter agreement's shortfall in its article's unit; the line's has none (several articles)
    assert agreed.iloc[1]["Fehlmenge damals"].endswith(" Stk")
    assert agreed.iloc[0]["Fehlmenge damals"].replace(".", "").isdigit()
    at.text_area(key="mt_edit_text_1").input("Samstags- und Sonntagsschicht BUT-1")
    at.selectbox(key="mt_edit_status_1").set_value("done")
    at.button(key="mt_edit_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Stand 2" in texts(at)
    history = table(at, "Geändert")
    assert history["Vereinbarung"].tolist() == ["Samstagsschicht BUT-1", "Samstags- und Sonntagsschicht BUT-1"]
    assert history["Hebel"].tolist() == ["Zusatzstunden", "Zusatzstunden"], "the model lever is kept"
    assert table(at, "Fällig").iloc[0]["Status"] == "erledigt"


def test_lookback_shows_accuracy_and_the_discount_bias(app, db):
    at = open_page(app(db), LOOKBACK)
    grouped = table(at, "Markt").set_index("Markt")
    assert grouped.loc["Discount", "Bias"].startswith("1"), "Discount over-forecast by about 15 %"
    # markets add their articles in kg (every demo article weighs); the offenders in their own unit
    assert all(cell.endswith(" kg") for cell in grouped["Prognose"]) and \
        all(cell.endswith(" kg") for cell in grouped["Ist"])
    worst = table(at, "Rang")
    assert len(worst) == 12
    units = {cell.rsplit(" ", 1)[-1] for cell in worst["Abweichung absolut"]}
    assert units <= {"Stk", "kg", "Becher"} and len(units) > 1
    heading = next(s.value for s in at.subheader if s.value.startswith("Größte Abweichungen"))
    assert "Stück" not in heading and "Einheit" in heading, "the rows are in several units"
    assert "units missed" not in render("lb_worst", "en") and "unit" in render("lb_worst", "en")
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if '"Ist"' in c.proto.spec)
    assert chart["layout"]["yaxis"]["title"]["text"] == "kg"
    assert '"Prognose"' in specs(at) and '"Ist"' in specs(at)
    at.selectbox(key="lb_market").set_value("Discount").run()
    assert not at.exception
    assert len(at.selectbox(key="lb_pmc").options) > 2


def test_lookback_without_actuals_says_what_is_missing(app, tiny_db):
    at = open_page(app(tiny_db), LOOKBACK)
    assert "Noch kein Ist-Absatz" in texts(at)


def test_meeting_in_english(app, db):
    with_meeting(db)
    at = open_page(app(db, lang="en"), MEETING)
    assert at.header[0].value.startswith("S&OP meeting")
    walk(at, 3)
    assert "Fill rate against target per market" in texts(at)


def test_a_strategy_workbook_with_a_title_row_imports_and_an_empty_one_is_refused(app, db):
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at = open_page(app(db), STRATEGY)
    empty = workbook({"Prioritäten": [["Strategie 2027"], ["Markt", "Klasse"]]})
    at.file_uploader(key="sg_import_file").upload("Strategie_leer.xlsx", empty, XLSX).run()
    at.button(key="sg_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.error and "Nicht gespeichert: 1 Fehler" in at.error[0].value
    errors = table(at, "Meldung")
    assert list(errors.columns) == ["Datei", "Blatt", "Zeile", "Spalte", "Kopf", "Wert", "Meldung"]
    assert errors.iloc[0]["Datei"] == "Strategie_leer.xlsx" and "Nichts übernommen" in errors.iloc[0]["Meldung"]
    from dashboard.queries import cursor
    with cursor(str(db)) as cur:
        assert sg.current_strategy(cur).version_id is None

    data = workbook({"Prioritäten": [["Strategie 2027 – Stand KW 48"], ["Markt", "Klasse", "Notiz <b>"], ["LEH", "A", "x"]],
                           "Ziele": [["Ziel-Nr", "Ziel", "Aktiv"], [None, "Export AT ausbauen", "x"]]})
    at.file_uploader(key="sg_import_file").upload("Strategie_KW48.xlsx", data, XLSX).run()
    at.button(key="sg_import").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error
    with cursor(str(db)) as cur:
        saved = sg.current_strategy(cur)
    assert saved.note == "Strategie_KW48.xlsx"
    assert saved.priorities["market"].tolist() == ["LEH"]
    assert saved.goals[["goal_id", "text", "active"]].values.tolist() == [["G1", "Export AT ausbauen", True]]
    # the file had no sheets for bands and targets: the page says they were kept as stored
    assert any(i.value.startswith("Die Datei hatte kein Blatt für: Auslastungsband, Lieferfähigkeitsziel")
               for i in at.info), [i.value for i in at.info]
    assert any(i.value == "Nicht gelesen (keine Spalte der Strategie): Prioritäten: Notiz \\<b\\>." for i in at.info), \
        [i.value for i in at.info]  # the file's header as text (escaped for the markdown box)
