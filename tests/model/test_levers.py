"""Given/expect tests of the lever queries, the line levers and the explanation texts."""
from __future__ import annotations

import pandas as pd
import pytest

from pipelines.errors import UserError
from pipelines.model.levers import fmt_number, fmt_period
from pipelines.model import build
from pipelines.settings import load_settings
from tests.model.conftest import add_version


@pytest.fixture
def weekly(con, settings):
    """L1 in 2027-W10: LEH (class A) needs 10 h and fits, Discount (class C) needs 15 h and gets 0.

    Earlier weeks of L1: W07 50 h free (beyond k), W08 10 h free, W09 8 h minus 3 h used = 5 h free.
    Yoghurt (product A): 30 days shelf life, 10 days minimum remaining -> k = floor(20 / 7) = 2 weeks.
    """
    add_version(con, "products", [
        dict(product="A", line="L1", rate=10, shelf_life_days=30, min_remaining_shelf_life_days=10),
        dict(product="N", line="L1", rate=10)])
    add_version(con, "markets", [dict(market="LEH", priority_class=1),
                                 dict(market="Discount", priority_class=3)])
    add_version(con, "alternates", [dict(product="A", line="L2", rate=5),
                                    dict(product="A", line="L3", rate=20),
                                    dict(product="A", line="L4", rate=20)])
    add_version(con, "capacity", [
        dict(line="L1", period="2027-W07", available_hours=50),
        dict(line="L1", period="2027-W08", available_hours=10),
        dict(line="L1", period="2027-W09", available_hours=8),
        dict(line="L1", period="2027-W10", available_hours=10, max_hours=12),
        dict(line="L2", period="2027-W10", available_hours=4),
        dict(line="L3", period="2027-W10", available_hours=100)])
    add_version(con, "forecast", [
        dict(product="A", market="LEH", period="2027-W09", quantity=30),
        dict(product="A", market="LEH", period="2027-W10", quantity=100),
        dict(product="A", market="Discount", period="2027-W10", quantity=150)])
    return build(con, settings=settings)


def lever(frame, key, line=None):
    rows = frame[frame["lever"] == key]
    if line is not None:
        rows = rows[rows["line"] == line]
    assert len(rows) == 1
    return rows.iloc[0]


def test_prebuild_uses_latest_free_weeks_within_shelf_life(weekly):
    row = lever(weekly.levers("A", "Discount", "2027-W10", "en"), "prebuild")
    assert (row.status, row.k_periods, row.closes_units, row.hours) == ("closes", 2, 150.0, 15.0)
    assert row.detail == "2027-W09: 5.00 h; 2027-W08: 10.00 h"
    assert row.note == "Pre-building in week 9 (5 h), week 8 (10 h) closes all 150 units (15 h)."


def test_prebuild_partial_when_window_has_too_few_free_hours(con, weekly, settings):
    # more demand in W08 leaves 4 h free there: 5 + 4 = 9 h -> 90 units
    add_version(con, "forecast", [
        dict(product="A", market="LEH", period="2027-W08", quantity=60),
        dict(product="A", market="LEH", period="2027-W09", quantity=30),
        dict(product="A", market="LEH", period="2027-W10", quantity=100),
        dict(product="A", market="Discount", period="2027-W10", quantity=150)])
    row = lever(build(con, settings=settings).levers("A", "Discount", "2027-W10", "de"), "prebuild")
    assert (row.status, row.closes_units, row.hours) == ("partial", 90.0, 9.0)
    assert row.note == ("Vorproduzieren in den freien Stunden von KW 9 (5 h), KW 8 (4 h) "
                        "schließt 90 von 150 Stück (9 h).")


def test_prebuild_without_shelf_life_says_so(con, weekly, settings):
    add_version(con, "products", [dict(product="A", line="L1", rate=10)])
    row = lever(build(con, settings=settings).levers("A", "Discount", "2027-W10", "en"), "prebuild")
    assert row.status == "no_shelf_life" and pd.isna(row.closes_units)
    assert row.note == "A has no shelf-life data, so whether it can be pre-built cannot be said."


def test_prebuild_monthly_uses_30_days(con, settings):
    # 70 - 10 days -> k = floor(60 / 30) = 2 months: Feb and Jan count, Dec 2026 does not
    add_version(con, "products", [dict(product="A", line="L1", rate=1, shelf_life_days=70,
                                       min_remaining_shelf_life_days=10)])
    add_version(con, "capacity", [dict(line="L1", period=p, available_hours=h) for p, h in
                                  (("2026-12", 100), ("2027-01", 7), ("2027-02", 5), ("2027-03", 10))])
    add_version(con, "forecast", [dict(product="A", market="X", period="2027-03", quantity=40)])
    model = build(con, settings=settings)
    row = lever(model.levers("A", "X", "2027-03", "en"), "prebuild")
    assert (model.grain, row.k_periods, row.status, row.closes_units) == ("month", 2, "partial", 12.0)
    assert row.detail == "2027-02: 5.00 h; 2027-01: 7.00 h"


def test_prebuild_no_window(con, settings):
    add_version(con, "products", [dict(product="A", line="L1", rate=1, shelf_life_days=6,
                                       min_remaining_shelf_life_days=3)])
    add_version(con, "capacity", [dict(line="L1", period="2027-W09", available_hours=50),
                                  dict(line="L1", period="2027-W10", available_hours=1)])
    add_version(con, "forecast", [dict(product="A", market="X", period="2027-W10", quantity=5)])
    row = lever(build(con, settings=settings).levers("A", "X", "2027-W10", "en"), "prebuild")
    assert (row.status, row.k_periods, row.closes_units) == ("no_window", 0, 0.0)
    assert row.note == ("Pre-building is not possible: 6 days shelf life minus 3 days minimum "
                        "remaining leaves no week.")


def test_extra_hours_against_max_hours_headroom(con, weekly, settings):
    row = lever(weekly.levers("A", "Discount", "2027-W10", "en"), "extra_hours")
    # 150 units / 10 per h = 15 h; max 12 - available 10 = 2 h headroom -> 20 units
    assert (row.status, row.hours_needed, row.headroom_hours, row.hours, row.closes_units) == (
        "beyond_max", 15.0, 2.0, 2.0, 20.0)
    assert row.line_hours_to_close == 15.0
    add_version(con, "capacity", [dict(line="L1", period="2027-W10", available_hours=10)])
    row = lever(build(con, settings=settings).levers("A", "Discount", "2027-W10", "en"), "extra_hours")
    assert (row.status, row.hours, row.closes_units) == ("no_max_hours", 15.0, 150.0)


def crowded_plan(con) -> None:
    """L1 in 2027-W10 has 10 h: LEH (class A) needs 15 h and is short itself, Discount (class C)
    needs 10 h and gets none. Extra hours go to LEH first: L1 needs 15 h more to serve Discount."""
    add_version(con, "products", [dict(product="A", line="L1", rate=10)])
    add_version(con, "markets", [dict(market="LEH", priority_class=1),
                                 dict(market="Discount", priority_class=3)])
    add_version(con, "capacity", [dict(line="L1", period="2027-W10", available_hours=10)])
    add_version(con, "forecast", [
        dict(product="A", market="LEH", period="2027-W10", quantity=150),
        dict(product="A", market="Discount", period="2027-W10", quantity=100)])


@pytest.fixture
def crowded(con, settings):
    crowded_plan(con)
    return build(con, settings=settings)


def test_extra_hours_when_a_higher_class_is_short_too(con, crowded, settings):
    row = lever(crowded.levers("A", "Discount", "2027-W10", "de"), "extra_hours")
    # shortfall 100 / rate 10 = 10 h; the allocation gives the first 5 h to LEH: 15 h close it
    assert row.note == (
        "15 Zusatzstunden auf L1 würden sie schließen (keine Maximalstunden angegeben). Die "
        "Fehlmenge allein entspricht 10 h; nach den Prioritätsklassen gehen Zusatzstunden auf L1 "
        "aber zuerst an die höheren Klassen, denen dort ebenfalls Stunden fehlen.")
    assert (row.hours_needed, row.line_hours_to_close, row.hours_to_close) == (10.0, 15.0, 15.0)
    assert (row.status, row.allocation_cause, row.hours, row.closes_units) == (
        "no_max_hours", "higher_classes", 15.0, 100.0)
    assert crowded.explain("A", "Discount", "2027-W10", "en").endswith(
        "15 extra hours would close it.")
    # 12 h headroom covered shortfall / rate, not what the line needs: of 12 h LEH takes 5
    add_version(con, "capacity", [dict(line="L1", period="2027-W10", available_hours=10,
                                       max_hours=22)])
    row = lever(build(con, settings=settings).levers("A", "Discount", "2027-W10", "en"),
                "extra_hours")
    assert (row.status, row.headroom_hours, row.hours, row.closes_units) == (
        "beyond_max", 12.0, 12.0, 70.0)
    assert row.note == (
        "15 extra hours would close it, but the maximum hours allow only 12 h more (70 units). "
        "The shortfall alone is 10 h, but under the priority classes extra hours on L1 go first "
        "to the higher classes, which are short there too.")


def test_extra_hours_shared_in_the_class_or_with_a_changeover(con, settings):
    # Discount and Export (both class C) share L1's 10 h: each gets half of what it needs
    add_version(con, "products", [dict(product="A", line="L1", rate=10),
                                  dict(product="B", line="L2", rate=10, changeover_hours=2)])
    add_version(con, "markets", [dict(market="Discount", priority_class=3),
                                 dict(market="Export", priority_class=3)])
    add_version(con, "capacity", [dict(line="L1", period="2027-W10", available_hours=10),
                                  dict(line="L2", period="2027-W10", available_hours=6)])
    add_version(con, "forecast", [
        dict(product="A", market="Discount", period="2027-W10", quantity=100),
        dict(product="A", market="Export", period="2027-W10", quantity=100),
        dict(product="B", market="Export", period="2027-W10", quantity=100)])
    model = build(con, settings=settings)
    shared = lever(model.levers("A", "Discount", "2027-W10", "en"), "extra_hours")
    assert (shared.hours_needed, shared.hours_to_close, shared.allocation_cause) == (
        5.0, 10.0, "own_class")
    assert shared.note == (
        "10 extra hours on L1 would close it (no maximum hours given). The shortfall alone is "
        "5 h, but extra hours on L1 are shared in proportion among all products and markets of "
        "class C.")
    # B needs 10 h run + 2 h changeover on L2, gets 6: 50 short = 5 h at its rate, 6 h to close
    changeover = lever(model.levers("B", "Export", "2027-W10", "de"), "extra_hours")
    assert (changeover.hours_needed, changeover.hours_to_close, changeover.allocation_cause) == (
        5.0, 6.0, "changeover")
    assert changeover.note.endswith(
        "Die Fehlmenge allein entspricht 5 h; dazu kommt der noch offene Anteil von Export an der "
        "Rüstzeit.")


def test_extra_hours_when_only_the_conflicts_class_is_short_keeps_its_text(weekly):
    # LEH (class A) fits in W10: the 15 h Discount misses are what the line needs
    row = lever(weekly.levers("A", "Discount", "2027-W10", "de"), "extra_hours")
    assert (row.hours_needed, row.line_hours_to_close, row.hours_to_close) == (15.0, 15.0, 15.0)
    assert pd.isna(row.allocation_cause)
    assert row.note == ("15 Zusatzstunden würden sie schließen, die Maximalstunden lassen aber nur "
                        "2 h zu (20 Stück).")


def test_other_line_free_hours_times_alternate_rate(weekly):
    frame = weekly.levers("A", "Discount", "2027-W10", "en")
    l2, l3, l4 = (lever(frame, "other_line", x) for x in ("L2", "L3", "L4"))
    assert (l2.status, l2.free_hours, l2.closes_units, l2.hours) == ("partial", 4.0, 20.0, 4.0)
    assert (l3.status, l3.closes_units, l3.hours) == ("closes", 150.0, 7.5)
    assert (l4.status, l4.closes_units) == ("no_free_hours", 0.0)


def test_reprioritise_to_the_lines_top_class(weekly):
    row = lever(weekly.levers("A", "Discount", "2027-W10", "en"), "reprioritise")
    # in class A: 10 h + 15 h need, 10 h available -> 40 % each: Discount 60, LEH loses 60
    assert (row.status, row.top_class, row.new_supplied, row.closes_units, row.hours) == (
        "partial", 1, 60.0, 60.0, 6.0)
    assert row.losers == "A / LEH: 60.00 Stk" and row.lost_units == 60.0  # in its unit
    top = lever(weekly.levers("A", "LEH", "2027-W10", "en"), "reprioritise")
    assert top.status == "no_shortfall"


def test_levers_of_unrouted_and_unknown_pmc(con, weekly, settings):
    add_version(con, "forecast", [dict(product="Z", market="LEH", period="2027-W10", quantity=5)])
    frame = build(con, settings=settings).levers("Z", "leh", "2027-W10", "en")
    assert set(frame["status"]) == {"no_routing", "no_alternate"}
    assert (frame["closes_units"] == 0).all()
    with pytest.raises(UserError) as err:
        weekly.levers("A", "Discount", "2027-W30")
    assert err.value.key == "model_pmc_unknown"


def test_line_levers_cover_the_whole_overload(weekly):
    frame = weekly.line_levers("L1", "2027-W10", "en").set_index("lever")
    assert frame.loc["prebuild", "status"] == "closes"
    assert (frame.loc["prebuild", "overload_hours"], frame.loc["prebuild", "closes_hours"]) == (15.0, 15.0)
    assert frame.loc["extra_hours", "status"] == "beyond_max"
    assert frame.loc["extra_hours", "closes_hours"] == 2.0
    assert weekly.line_levers("L1", "2027-W09", "en").iloc[0]["status"] == "no_overload"


@pytest.fixture
def example(con, settings):
    """The issue's example: OFEN-1 needs 155 h in week 12 but has 118 h."""
    add_version(con, "products", [
        dict(product="1", line="OFEN-1", rate=10), dict(product="2", line="OFEN-1", rate=10),
        dict(product="3", line="OFEN-1", rate=420 / 37, shelf_life_days=6,
             min_remaining_shelf_life_days=3)])
    add_version(con, "markets", [dict(market="LEH", priority_class=1),
                                 dict(market="Export", priority_class=2),
                                 dict(market="Discount", priority_class=3)])
    add_version(con, "capacity", [dict(line="OFEN-1", period="2027-W12", available_hours=118)])
    add_version(con, "forecast", [
        dict(product="1", market="LEH", period="2027-W12", quantity=1120),
        dict(product="2", market="Export", period="2027-W12", quantity=60),
        dict(product="3", market="Discount", period="2027-W12", quantity=420)])
    return build(con, settings=settings)


def test_explain_english(example):
    assert example.explain("3", "Discount", "2027-W12", "en") == (
        "OFEN-1 needs 155 h in week 12 but has 118 h. Class A and B markets take 118 h; "
        "Discount (class C) gets 0 of its 420 units. Pre-building is not possible: 6 days shelf "
        "life minus 3 days minimum remaining leaves no week. 37 extra hours would close it.")


def test_explain_german(example):
    assert example.explain("3", "Discount", "2027-W12", "de") == (
        "OFEN-1 braucht 155 h in KW 12, hat aber 118 h. Märkte der Klassen A und B nehmen 118 h; "
        "Discount (Klasse C) bekommt 0 seiner 420 Stück. Vorproduzieren geht nicht: 6 Tage "
        "Haltbarkeit minus 3 Tage Mindestrestlaufzeit lassen keine Woche. "
        "37 Zusatzstunden würden sie schließen.")


def test_an_explanation_is_kept_per_language_and_asked_in_any_spelling(example):
    """The model keeps each paragraph once computed (the drill-down's prefetch fills it): the
    other language is its own text, and a market asked in other case finds the stored one."""
    german = example.explain("3", "Discount", "2027-W12", "de")
    english = example.explain("3", "discount", "2027-W12", "en")
    assert german.startswith("OFEN-1 braucht") and english.startswith("OFEN-1 needs")
    assert example.explanations([("3", "DISCOUNT", "2027-W12")], "de") == {("3", "DISCOUNT", "2027-W12"): german}
    assert set(example._explanations) == {(("3", "Discount", "2027-W12"), "de"),
                                          (("3", "Discount", "2027-W12"), "en")}


def test_explain_supplied_and_unrouted(con, example, settings):
    assert example.explain("1", "LEH", "2027-W12", "en") == "LEH (class A) gets all 1,120 units."
    add_version(con, "forecast", [dict(product="9", market="Neu", period="2027-W12", quantity=1500.5)])
    text = build(con, settings=settings).explain("9", "Neu", "2027-W12", "de")
    assert text == ("9 hat im Artikelstamm keine Linie oder Leistung; die 1.500 Stück für Neu in "
                    "KW 12 fehlen ganz.")


def test_number_and_period_formats():
    assert fmt_number(1234.56, "de") == "1.234,6" and fmt_number(1234.56, "en") == "1,234.6"
    assert fmt_number(37.0000001, "en") == "37" and fmt_number(0.25, "de", 2) == "0,25"
    assert fmt_period("2027-W05", "de") == "KW 5" and fmt_period("2027-03", "de") == "März 2027"
    assert fmt_period("2027-03", "en") == "March 2027"


def test_levers_of_many_in_one_pass_match_each_alone(con, weekly, settings):
    # two PMCs on one line-period: each gets its own re-run of the allocation
    many = weekly.levers_of([("A", "Discount", "2027-W10"), ("A", "leh", "2027-W10"),
                             ("A", "Discount", "2027-W30")], "en")
    assert list(many) == [("A", "Discount", "2027-W10"), ("A", "leh", "2027-W10")]  # unknown left out
    discount, leh = many.values()
    row = lever(discount, "reprioritise")
    assert (row.status, row.new_supplied, row.losers) == ("partial", 60.0, "A / LEH: 60.00 Stk")
    assert lever(leh, "reprioritise").status == "no_shortfall"
    assert set(leh["market"]) == {"LEH"}  # the stored spelling
    alone = build(con, settings=settings)
    for (product, market, period), frame in many.items():
        pd.testing.assert_frame_equal(frame, alone.levers(product, market, period, "en"))
    texts = build(con, settings=settings).explanations([("A", "Discount", "2027-W10")], "en")
    assert texts == {("A", "Discount", "2027-W10"): alone.explain("A", "Discount", "2027-W10", "en")}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from pipelines.demo import build_demo
    from pipelines import store
    path = build_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb", settings=load_settings(env={}))
    connection = store.connect(path)
    yield connection
    connection.close()


def test_demo_levers_and_explanations_in_one_pass_equal_one_by_one(demo_store):
    """The pack asks for its conflicts' levers and explanations in one pass, the drill-down for
    one: both must give exactly the same frames and texts."""
    settings = load_settings(env={})
    batch, single = build(demo_store, settings=settings), build(demo_store, settings=settings)
    gaps = batch.gaps()
    conflicts = gaps[gaps["shortfall"] > 0]
    busiest = conflicts.groupby(["line", "period"]).size().sort_values(ascending=False).index[:1]
    chosen = pd.concat([
        conflicts.set_index(["line", "period"]).loc[list(busiest)].reset_index(),
        conflicts[conflicts["reason"] == "no_routing"].head(4),
        gaps[gaps["shortfall"] <= 0].head(4)])
    keys = list(zip(chosen["product"], chosen["market"], chosen["period"]))
    assert len(keys) >= 12 and chosen["reason"].nunique() >= 2
    keys.append((keys[0][0], keys[0][1].lower(), keys[0][2]))  # a market as a person types it
    levers, texts = batch.levers_of(keys, "de"), batch.explanations(keys, "de")
    assert set(levers) == set(texts) == set(keys)
    for key in keys:
        pd.testing.assert_frame_equal(levers[key], single.levers(*key, "de"))
        assert texts[key] == single.explain(*key, "de") and texts[key]
