import datetime as dt

import pytest
from hypothesis import given, strategies as st

from pipelines.read.periods import dates_are_monthly, has_week_53, month_name, parse_period, resolve

WEEK_FORMS = ["{y}-W{w:02d}", "{y}-W{w}", "{y}W{w:02d}", "W{w:02d} {y}", "W{w:02d}/{y}", "KW {w:02d}/{y}",
              "KW{w:02d} {y}", "KW {w}.{y}", "KW {w:02d}-{y}", "KW {w:02d} {y}", "kw{w}/{y}"]
MONTH_DE = ["Jan", "Feb", "Mrz", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]
MONTH_DE_LONG = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                 "Oktober", "November", "Dezember"]
MONTH_EN_LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"]
MONTH_EN = [m[:3] for m in MONTH_EN_LONG]
MONTH_FORMS = ["{y}-{m:02d}", "{m:02d}/{y}", "{m:02d}.{y}", "{m}/{y}"]


@st.composite
def iso_weeks(draw):
    year = draw(st.integers(min_value=2000, max_value=2099))
    week = draw(st.integers(min_value=1, max_value=53 if has_week_53(year) else 52))
    return year, week


@given(iso_weeks(), st.sampled_from(WEEK_FORMS))
def test_every_week_form_round_trips(yw, form):
    year, week = yw
    label, grain, start = resolve(parse_period(form.format(y=year, w=week)), monthly_dates=False)
    assert label == f"{year}-W{week:02d}"
    assert grain == "week"
    assert start.isocalendar()[:2] == (year, week) and start.weekday() == 0


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=12),
       st.sampled_from(["num"] * len(MONTH_FORMS) + ["de", "de_long", "en", "en_long"]))
def test_every_month_form_round_trips(year, month, how):
    if how == "num":
        texts = [f.format(y=year, m=month) for f in MONTH_FORMS]
    else:
        names = {"de": MONTH_DE, "de_long": MONTH_DE_LONG, "en": MONTH_EN, "en_long": MONTH_EN_LONG}[how]
        texts = [f"{names[month - 1]} {year}"]
    for text in texts:
        assert resolve(parse_period(text), False) == (f"{year}-{month:02d}", "month", dt.date(year, month, 1))


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_dates_as_cells_and_text(day):
    for value in (day, dt.datetime.combine(day, dt.time()), day.isoformat(), day.strftime("%d.%m.%Y")):
        assert parse_period(value) == ("D", day)
    year, week, _ = day.isocalendar()
    assert resolve(("D", day), monthly_dates=False)[0] == f"{year}-W{week:02d}"
    assert resolve(("D", day), monthly_dates=True)[0] == f"{day.year}-{day.month:02d}"


def test_spec_examples():
    assert parse_period("März 2027") == ("M", 2027, 3)
    assert parse_period("Mrz 2027") == ("M", 2027, 3)
    assert parse_period("KW 05/2027") == ("W", 2027, 5)
    assert parse_period("2027-03-01 00:00:00") == ("D", dt.date(2027, 3, 1))


@pytest.mark.parametrize("text", ["2027-W53", "2027-W00", "KW 54/2026", "13/2027", "2027-13", "Summe",
                                  "Gesamt", "Foo 2027", "32.01.2027", "KW 5", "2027", "", 202705.0, None])
def test_unreadable_periods(text):
    assert parse_period(text) is None


def test_week_53_only_where_the_year_has_it():
    assert has_week_53(2026) and has_week_53(2032) and not has_week_53(2027)
    assert parse_period("2026-W53") == ("W", 2026, 53)


def test_first_of_month_rule():
    firsts = [("D", dt.date(2027, m, 1)) for m in (1, 2, 3)]
    assert dates_are_monthly(firsts)
    assert not dates_are_monthly(firsts + [("D", dt.date(2027, 3, 8))])
    assert not dates_are_monthly([("W", 2027, 5)])


@pytest.mark.parametrize("text, month", [
    ("Jan", 1), ("Jän", 1), ("Jänner", 1), ("Januar", 1), ("January", 1), ("Feb.", 2), ("Febr.", 2),
    ("Mär", 3), ("Mär.", 3), ("MÄR", 3), ("März", 3), ("Maerz", 3), ("Mrz", 3), ("Mrz.", 3), ("Mar", 3),
    ("March", 3), ("Apr", 4), ("Mai", 5), ("May", 5), ("Juni", 6), ("June", 6), ("Juli", 7),
    ("Aug.", 8), ("Sep", 9), ("Sept", 9), ("Sept.", 9), ("September", 9), ("Okt", 10), ("Okt.", 10),
    ("Oct", 10), ("Oktober", 10), ("Nov", 11), ("Dez", 12), ("Dez.", 12), ("Dec", 12),
    ("Dezember", 12), ("December", 12)])
def test_month_name_reads_every_german_and_english_spelling(text, month):
    assert month_name(text) == month
    assert month_name(f" {text} ") == month


@pytest.mark.parametrize("text", ["Markt", "Menge", "Ma", "Summe", "", None, 3])
def test_month_name_is_none_for_other_words(text):
    assert month_name(text) is None
