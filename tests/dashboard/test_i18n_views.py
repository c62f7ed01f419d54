"""Texts in both languages, German number and period formats, display tables, templates."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dashboard import i18n, templates, views
from pipelines.contract import ALIAS_TO_FIELD, KINDS, fold_header
from pipelines.text.tables import kpi_delta, kpi_text


def test_every_text_has_german_and_english():
    assert all(set(v) == {"de", "en"} and all(v.values()) for v in i18n.TEXTS.values())


@pytest.mark.parametrize(("value", "lang", "decimals", "text"), [
    (1234.5, "de", 1, "1.234,5"), (1234.5, "en", 1, "1,234.5"), (-0.01, "de", 1, "0,0"),
    (1234567, "de", 0, "1.234.567"), (None, "de", 0, "–"), (float("nan"), "en", 0, "–")])
def test_number(value, lang, decimals, text):
    assert i18n.number(value, lang, decimals) == text


def test_percent_compact_dates_periods():
    assert i18n.percent(0.875, "de", 1) == "87,5 %"
    assert i18n.percent(0.875, "en", 1) == "87.5%"
    assert i18n.compact(1_234_567, "de") == "1,2 Mio."
    assert i18n.compact(1_234_567, "en") == "1.2M"
    assert i18n.date("2026-11-27", "de") == "27.11.2026"
    assert i18n.date("2026-11-27", "en") == "2026-11-27"
    assert i18n.period("2027-W05", "de") == "KW 05/2027"
    assert i18n.period("2027-W05", "en") == "W05 2027"
    assert i18n.period("2027-03", "de") == "Mär 2027"
    assert i18n.priority_class(1) == "A"


@pytest.mark.parametrize("text, lang, shown", [
    ("100301 / LEH 2026-W51 – 2026-W52 (2)", "de", "100301 / LEH KW 51/2026 – KW 52/2026 (2)"),
    ("BUT-1 2026-W52; P1 / Export 2027-W01", "en", "BUT-1 W52 2026; P1 / Export W01 2027"),
    ("KAS-1 2027-03", "de", "KAS-1 Mär 2027"),
    ("A-2027-W01 / X 2027-W01", "de", "A-2027-W01 / X KW 01/2027"),  # a product named like one stays
    (None, "de", ""), (float("nan"), "en", "")])
def test_periods_inside_a_composed_text(text, lang, shown):
    from pipelines.text.format import periods_in
    assert periods_in(text, lang) == shown


def test_delta_and_table():
    assert kpi_delta(0.9, 0.95, "percent", "de") == "-5,0 %-Pkt."
    assert kpi_delta(120, 100, "number", "en") == "+20"
    assert kpi_delta(1, None, "number", "de") is None
    # each figure's change in its own unit: hours and euros say so
    assert kpi_delta(1502.4, 1200, "hours", "de") == "+302 h"
    assert kpi_delta(80_000, 92_500, "money", "de") == "-12.500 €"
    assert kpi_delta(3_400_000, 1_000_000, "money", "en") == "+€2.4M"
    assert kpi_text(2_400_000, "money", "de") == "2,4 Mio. €"
    assert kpi_text(1234.4, "hours", "en") == "1,234 h"
    frame = pd.DataFrame({"period": ["2027-W05"], "shortfall": [1234.4], "cls": [2]})
    shown = views.table(frame, [("period", "col_period", "period"),
                                ("shortfall", "col_shortfall", "int"),
                                ("cls", "col_class", "class")], "de")
    assert shown.to_dict("records") == [{"Periode": "KW 05/2027", "Fehlmenge": "1.234", "Klasse": "B"}]


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_templates_have_headers_the_reader_recognises(kind, lang):
    book = openpyxl.load_workbook(io.BytesIO(templates.template(kind, lang)))
    headers = [c.value for c in next(book.active.iter_rows(max_row=1))]
    assert [ALIAS_TO_FIELD.get(fold_header(h)) for h in headers] == list(KINDS[kind].fields)


def test_share_url_for_the_minutes():
    params = {"product": "100301", "market": "Export NL", "period": "2026-W51"}
    assert views.share_url("http://host:8501/conflict?x=1", params) == (
        "http://host:8501/conflict?product=100301&market=Export+NL&period=2026-W51")
    assert views.share_url(None, {"line": "L1"}) == "?line=L1"
