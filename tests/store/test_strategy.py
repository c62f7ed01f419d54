"""Strategy and goals: versions with time and user, validity in time, Excel both ways, classes."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as hyp_st

from pipelines import store
from pipelines.store import strategy as st
from pipelines.errors import Rejected
from pipelines.text import MESSAGES

from seed import add_version, workbook as book

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


# --- importing a workbook made by hand (bugs reported 2026-12-03) ----------------------------------

FOREIGN = Path(__file__).resolve().parents[1] / "fixtures" / "foreign"


def refused(data: bytes, file_name: str = "Strategie.xlsx") -> list:
    with pytest.raises(Rejected) as caught:
        st.read_strategy(data, file_name)
    return caught.value.errors


def stored(con) -> tuple:
    s = st.current_strategy(con)
    return (s.version_id, s.priorities.fillna("").values.tolist(), s.goals.values.tolist())


def test_an_import_without_a_sheet_keeps_that_part_and_an_empty_sheet_empties_it(con):
    st.set_priority(con, "LEH", "A")
    st.set_band(con, "BUT-1", 0.7, 0.9)
    goal = st.add_goal(con, "Export AT ausbauen")
    # only the priorities edited and sent back: bands, targets and goals stay as stored
    report = st.import_strategy_report(
        con, book({"Prioritäten": [["Markt", "Klasse", "Kommentar"], ["Discount", "B", "neu seit Q3"]]}),
        file_name="nur_Prioritaeten.xlsx")
    vid = report.version_id
    assert report.kept == ["bands", "fill_targets", "goals"]
    assert report.unread == ["Prioritäten: Kommentar"]
    now = st.current_strategy(con)
    assert now.version_id == vid
    assert now.priorities["market"].tolist() == ["Discount"]
    assert now.band("BUT-1") == (0.7, 0.9)
    assert now.goals[["goal_id", "text"]].values.tolist() == [[goal, "Export AT ausbauen"]]
    # a goals sheet with its header only says "no goals": that part is emptied
    report = st.import_strategy_report(con, book({"Ziele": [["Ziel-Nr", "Ziel", "Aktiv"]],
                                                  "Prioritäten": [["Markt", "Klasse"], ["LEH", "A"]]}),
                                       file_name="ohne_Ziele.xlsx")
    assert (report.kept, report.unread) == (["bands", "fill_targets"], [])
    now = st.current_strategy(con)
    assert now.goals.empty and now.priorities["market"].tolist() == ["LEH"]
    assert now.band("BUT-1") == (0.7, 0.9)


def test_a_title_row_above_the_header_is_read_as_the_other_readers_do(con):
    # the title made row 1 the header: no column was found, every row fell away and the import
    # replaced the stored strategy with an empty one
    data = book({"Prioritäten": [["Strategie 2027 – Stand KW 48"], [], ["Markt", "Artikel", "Klasse"],
                                 ["Discount", None, "B"], ["LEH", "000123", "A"]],
                 "Goals": [["Goals of the board"], ["Goal id", "Goal", "Active"], [None, "grow Export AT", "yes"]]})
    st.import_strategy(con, data, file_name="Strategie.xlsx")
    version, priorities, goals = stored(con)
    assert priorities == [["Discount", "", 2], ["LEH", "123", 1]]
    assert goals == [["G1", "grow Export AT", True]]


def test_an_import_without_any_row_is_refused_and_the_stored_strategy_stays(con):
    st.set_priority(con, "LEH", "A")
    st.add_goal(con, "grow Export AT")
    before = stored(con)
    for data in (book({"Prioritäten": [["Markt", "Artikel", "Klasse"]], "Ziele": [["Ziel-Nr", "Ziel", "Aktiv"]]}),
                 book({"Absatzplan": [["Artikel", "Markt", "KW 01/2027"], ["1", "LEH", 5]]})):
        with pytest.raises(Rejected) as caught:
            st.import_strategy(con, data, file_name="Strategie.xlsx")
        (error,) = caught.value.errors
        assert (error.key, error.file) == ("st_import_empty", "Strategie.xlsx")
        assert "Nichts übernommen" in error.message("de") and "Nothing was stored" in error.message("en")
        assert "„Prioritäten“" in error.message("de") and '"Goals"' in error.message("en")
    assert stored(con) == before


def test_a_sheet_whose_header_is_not_found_is_refused_naming_what_it_lacks(con):
    errors = refused(book({"Prioritäten": [["Strategie 2027"], ["Markt", "Prio-Stufe"], ["LEH", "A"]],
                           "Ziele": [["nur Notizen"], ["noch offen"]]}))
    assert [(e.key, e.file, e.sheet, e.row) for e in errors] == [
        ("st_missing_column", "Strategie.xlsx", "Prioritäten", 2), ("st_no_header", "Strategie.xlsx", "Ziele", None)]
    assert "„Klasse“" in errors[0].message("de") and '"Class"' in errors[0].message("en")
    assert "„Ziel“" in errors[1].message("de") and "Goal" in errors[1].message("en")


def test_new_goal_ids_skip_the_ids_the_file_brings(con):
    # G2 typed by hand in the file and a new goal without id: the new one got G2 as well
    st.add_goal(con, "grow Export AT")
    data = book({"Ziele": [["Ziel-Nr", "Ziel", "Aktiv"], ["G1", "grow Export AT", "ja"],
                           ["G7", "protect LEH", "ja"], [None, "cut waste", "ja"], ["g2", "new range", "x"]]})
    st.import_strategy(con, data, file_name="Strategie.xlsx")
    ids = st.current_strategy(con).goals["goal_id"].tolist()
    assert sorted(ids, key=str.casefold) == ["G1", "g2", "G7", "G8"]
    assert st.add_goal(con, "one more") == "G9"


def test_conflicting_rows_for_one_key_are_refused_naming_file_sheet_rows_and_values(con):
    st.set_priority(con, "LEH", "A")
    before = stored(con)
    data = book({"Prioritäten": [["Markt", "Artikel", "Klasse"], ["LEH", None, "A"], ["Discount", None, "B"],
                                 [" leh", None, "C"], ["Discount", None, "B"]],
                 "Auslastungsband": [["Linie", "Auslastung von", "Auslastung bis"], ["BUT-1", 0.8, 0.95],
                                     ["but-1", 0.7, 0.9]],
                 "Lieferfähigkeitsziel": [["Klasse", "Markt", "Ziel Lieferfähigkeit"], ["A", None, 0.98],
                                          [1, None, "97 %"], [None, "LEH", 0.99], [None, "LEH", 0.99]],
                 "Ziele": [["Ziel-Nr", "Ziel", "Aktiv"], ["G1", "grow Export AT", "x"], ["G1", "protect LEH", "x"]]})
    with pytest.raises(Rejected) as caught:
        st.import_strategy(con, data, file_name="Strategie.xlsx")
    got = [(e.key, e.file, e.sheet, e.row, e.column, e.header, e.value, e.params["other_row"])
           for e in caught.value.errors]
    assert got == [
        ("st_conflicting_duplicate", "Strategie.xlsx", "Prioritäten", 4, "C", "Klasse", "C", 2),
        ("st_conflicting_duplicate", "Strategie.xlsx", "Auslastungsband", 3, "C", "Auslastung bis", "70 % – 90 %", 2),
        ("st_conflicting_duplicate", "Strategie.xlsx", "Lieferfähigkeitsziel", 3, "C", "Ziel Lieferfähigkeit", "97 %", 2),
        ("st_conflicting_duplicate", "Strategie.xlsx", "Ziele", 3, "A", "Ziel-Nr", "protect LEH (✓)", 2)]
    message = caught.value.errors[0]
    assert message.message("de") == ("Markt „LEH“ steht mehrfach mit verschiedenen Werten: Zeile 2 „A“, Zeile 4 „C“. "
                                     "Keiner der beiden wird stillschweigend genommen; bitte eine Zeile löschen "
                                     "oder angleichen.")
    assert 'Market "LEH" is given more than once' in message.message("en")
    assert stored(con) == before


def test_identical_repeated_rows_are_one_row():
    s = st.read_strategy(book({"Prioritäten": [["Markt", "Klasse"], ["LEH", "A"], ["LEH ", 1]],
                               "Ziele": [["Ziel", "Aktiv"], ["grow Export AT", "x"], ["grow Export AT", "ja"]]}))
    assert s.priorities.fillna("").values.tolist() == [["LEH", "", 1]]
    assert s.goals.fillna("").values.tolist() == [["", "grow Export AT", True]]


@pytest.mark.parametrize("cell, active", [
    ("x", True), ("X", True), ("✓", True), ("ja", True), ("Ja", True), ("yes", True), (1, True), ("1", True),
    ("wahr", True), ("TRUE", True), (True, True),
    ("nein", False), ("no", False), (0, False), ("falsch", False), ("false", False), (False, False),
    (None, False), ("", False)])
def test_active_reads_crosses_and_words_and_an_empty_cell_is_no(cell, active):
    # a cross was read as inactive, any other word as active
    s = st.read_strategy(book({"Ziele": [["Ziel-Nr", "Ziel", "Aktiv"], [None, "grow Export AT", cell],
                                        [None, "protect LEH", "ja"]]}))
    assert s.goals["active"].tolist() == [active, True]


def test_an_active_cell_that_says_neither_is_refused(con):
    errors = refused(book({"Ziele": [["Ziel-Nr", "Ziel", "Aktiv"], [None, "grow Export AT", "vielleicht"],
                                     [None, "protect LEH", 2]]}))
    assert [(e.key, e.sheet, e.row, e.column, e.header, e.value) for e in errors] == [
        ("st_bad_active", "Ziele", 2, "C", "Aktiv", "vielleicht"), ("st_bad_active", "Ziele", 3, "C", "Aktiv", "2")]
    assert "x, ✓, ja" in errors[0].message("de") and "x, ✓, yes" in errors[0].message("en")


def test_a_strategy_kept_in_libreoffice_reads_from_ods(con):
    # was refused as "neither an Excel/ODS workbook nor a CSV file (KeyError)"
    data = (FOREIGN / "Strategie_Handpflege.ods").read_bytes()
    vid = st.import_strategy(con, data, file_name="Strategie_Handpflege.ods")
    s = st.current_strategy(con)
    assert s.version_id == vid
    assert s.priorities.fillna("").values.tolist() == [["Discount", "815", 3], ["Export NL", "", 1], ["LEH", "", 1]]
    assert s.band("but-1") == (0.8, 0.95)
    assert s.fill_target("Discount", 1) == pytest.approx(0.97)
    assert s.goals.values.tolist() == [["G1", "LEH-Schlüsselkunden halten", True], ["G2", "Export AT ausbauen", False]]


def test_an_export_read_back_from_ods_and_a_csv_refused_clearly(con):
    st.set_priority(con, "LEH", "A")
    assert st.read_strategy(st.export_strategy(st.current_strategy(con)), "Strategie.xlsx").priorities["market"].tolist() == ["LEH"]
    (error,) = refused("Markt;Klasse\nLEH;A\n".encode(), "Strategie.csv")
    assert (error.key, error.file) == ("st_not_workbook", "Strategie.csv")
    assert "xlsx, xlsm, xls, ods" in error.message("de") and "CSV" in error.message("en")
    assert "weder" not in error.message("de")


def test_a_hidden_strategy_sheet_is_refused_not_dropped():
    wb = openpyxl.load_workbook(io.BytesIO(book({"Prioritäten": [["Markt", "Klasse"], ["LEH", "A"]],
                                                 "Ziele": [["Ziel"], ["grow Export AT"]]})))
    wb["Ziele"].sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    (error,) = refused(buffer.getvalue())
    assert (error.key, error.sheet) == ("st_hidden_sheet", "Ziele")


_TOKENS = ["Markt", "Klasse", "Artikel", "Linie", "Auslastung von", "Auslastung bis", "Ziel",
           "Ziel-Nr", "Aktiv", "Ziel Lieferfähigkeit", "A", "B", "x", "ja", "LEH", "90 %", "0,8", "G1", "",
           "Strategie 2027", "=SUM(A1)"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hyp_st.dictionaries(
    hyp_st.sampled_from(["Prioritäten", "Auslastungsband", "Lieferfähigkeitsziel", "Ziele", "Notizen"]),
    hyp_st.lists(hyp_st.lists(hyp_st.one_of(hyp_st.none(), hyp_st.sampled_from(_TOKENS),
                                            hyp_st.integers(-3, 300),
                                            hyp_st.floats(allow_nan=False, allow_infinity=False, width=32),
                                            hyp_st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))),
                              max_size=5), max_size=8), min_size=1))
def test_any_workbook_reads_or_is_refused_in_both_languages(sheets):
    try:
        st.read_strategy(book(sheets), "Strategie.xlsx")
    except Rejected as refused_:
        for e in refused_.errors:
            assert e.key in MESSAGES and e.file == "Strategie.xlsx"
            e.message("de"), e.message("en")
