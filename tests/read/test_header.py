import datetime as dt

import pytest

from pipelines.contract import fold_header
from pipelines.read.header import detect, match_row, name_says, signature


def test_fold_header_examples():
    assert fold_header("Leistung (Stk/h)") == fold_header("leistung")
    assert fold_header("Kapazität [h]") == "kapazitaet"
    assert fold_header("Artikel-Nr.") == "artikelnr"
    assert fold_header(" Verfügbare_Stunden ") == "verfuegbarestunden"


def test_match_row_fields_and_period_columns():
    m = match_row(3, ["Artikel", "Markt", None, "KW 01/2027", dt.date(2027, 2, 1), "Summe"], {})
    assert m.fields == {"product": 0, "market": 1}
    assert m.periods == {3: ("W", 2027, 1), 4: ("D", dt.date(2027, 2, 1))}
    assert m.texts[4] == "2027-02-01"


def test_mapping_wins_over_aliases():
    m = match_row(0, ["Art.-Nr. intern", "Artikel", "Kunde", "Menge"],
                  {"product": "Art.-Nr. intern", "market": "Kunde"})
    assert m.fields == {"product": 0, "market": 2, "quantity": 3}
    assert m.duplicates == {}


def test_duplicate_fields_are_listed():
    m = match_row(0, ["Artikel", "Artikelnummer", "Markt"], {})
    assert m.duplicates == {"product": [0, 1]}


HEAD = [["Absatzplan 2027"], [], ["Stand 01.03.2027"], ["Artikel", "Markt", "Periode", "Menge"]]


def test_header_below_title_rows():
    det = detect(HEAD, {}, None, ("Tabelle1", "upload.xlsx"))
    assert (det.kind, det.layout, det.match.row) == ("forecast", "long", 3)


@pytest.mark.parametrize("header, names, kind, layout", [
    (["Artikel", "Markt", "Periode", "Menge"], ("Tabelle1", "f.xlsx"), "forecast", "long"),
    (["Artikel", "Markt", "Periode", "Menge"], ("Ist-Absatz", "f.xlsx"), "actuals", "long"),
    (["Artikel", "Markt", "Periode", "Menge"], ("Daten", "Lieferungen_2026.xlsx"), "actuals", "long"),
    (["Artikel", "Markt", "KW 01/2027", "KW 02/2027"], ("Tabelle1", "f.xlsx"), "forecast", "wide"),
    (["Artikel", "Periode", "Planmenge"], ("Tabelle1", "f.xlsx"), "plan", "long"),
    (["Artikel", "Linie", "2027-03", "2027-04"], ("Fertigungsplan", "f.xlsx"), "plan", "wide"),
    (["Linie", "Datum", "Kapazität [h]"], ("Tabelle1", "f.xlsx"), "capacity", "long"),
    (["Anlage", "KW 01/2027", "KW 02/2027", "Summe"], ("Tabelle1", "f.xlsx"), "capacity", "wide"),
    (["Artikel", "Linie", "Leistung (Stk/h)"], ("Tabelle1", "f.xlsx"), "products", "long"),
    (["Artikel", "Linie", "Leistung"], ("Ausweichlinien", "f.xlsx"), "alternates", "long"),
    (["Kundengruppe", "Prio"], ("Tabelle1", "f.xlsx"), "markets", "long"),
])
def test_kind_detection(header, names, kind, layout):
    det = detect([header], {}, None, names)
    assert (det.kind, det.layout) == (kind, layout)


@pytest.mark.parametrize("header, closest, missing", [
    (["Artikel", "Periode", "Menge"], "forecast", ["market"]),
    (["Artikel", "KW 01/2027", "KW 02/2027"], "forecast", ["market"]),   # a wide plan needs a plan name
    (["Linie", "Periode"], "capacity", ["available_hours"]),
    (["Artikel", "Leistung"], "products", ["line"]),
])
def test_refusal_names_the_closest_kind(header, closest, missing):
    det = detect([header], {}, None, ("Tabelle1", "f.xlsx"))
    assert det.kind is None and det.skip_reason is None
    assert (det.closest, det.missing) == (closest, missing)


def test_user_named_kind():
    det = detect([["Artikel", "Markt", "Periode", "Menge"]], {}, "actuals", ("Tabelle1", "f.xlsx"))
    assert det.kind == "actuals"
    det = detect([["Artikel", "Periode", "Menge", "x"]], {}, "forecast", ("Tabelle1", "f.xlsx"))
    assert det.kind is None and det.missing == ["market"]


@pytest.mark.parametrize("head, reason", [
    ([], "empty"), ([[None, None], []], "empty"),
    ([["Absatzplanung 2027"], [], ["Stand: 28.11.2026"]], "not_data"),
    ([["Hinweis"], ["Die Werte kommen aus SAP."]], "not_data"),
])
def test_non_data_sheets_are_skipped(head, reason):
    assert detect(head, {}, None, ("Deckblatt", "f.xlsx")).skip_reason == reason


def test_header_beyond_twenty_rows_is_not_searched():
    head = [[f"Zeile {i}"] for i in range(20)] + [["Artikel", "Markt", "Periode", "Menge"]]
    assert detect(head, {}, None, ("T", "f.xlsx")).kind is None


def test_name_words_match_word_starts():
    assert name_says("actuals", "Ist-Absatz 2026")
    assert name_says("actuals", "Sales History Q1")
    assert not name_says("actuals", "Artikelliste")
    assert name_says("plan", "Produktionsplan_KW05.xlsx")
    assert not name_says("plan", "Absatzplan")


def test_signature_ignores_which_periods_and_case():
    a = match_row(0, ["Artikel", "Markt", "KW 01/2027", "KW 02/2027"], {})
    b = match_row(0, ["ARTIKEL", "markt", "KW 09/2027", "KW 10/2027", "KW 11/2027"], {})
    sig_a = signature([a.texts.get(i, "") for i in range(4)], a.periods)
    sig_b = signature([b.texts.get(i, "") for i in range(5)], b.periods)
    assert sig_a == sig_b
    assert sig_a != signature(["Artikel", "Kunde"], {})
