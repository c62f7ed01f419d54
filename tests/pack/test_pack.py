"""The meeting pack: workbook sheets, no formula anywhere, PDF with the agreements."""
from __future__ import annotations

import importlib
import io

import openpyxl
import pytest
from pypdf import PdfReader

from pipelines import pack as ex
from pipelines import meeting as mt
from pipelines import store
from pipelines.model import build

from seed import add_version

# the module: `pipelines.model.explain` is also the name of a function of pipelines.model
explain_module = importlib.import_module("pipelines.model.explain")
EVIL = '=HYPERLINK("http://example.com/steal","click")'


def _company(con):
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 10.0}])
    add_version(con, "markets", [{"market": "LEH", "priority_class": 1},
                                 {"market": EVIL, "priority_class": 3}])
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 15}])
    add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 100},
        {"product": "P1", "market": EVIL, "period": "2027-W01", "quantity": 100}], as_of="2026-12-20")
    add_version(con, "actuals", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 90},
        {"product": "P1", "market": EVIL, "period": "2027-W01", "quantity": 95}])
    add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 110},
        {"product": "P1", "market": EVIL, "period": "2027-W01", "quantity": 100}], as_of="2027-01-20")


def _meeting(con, lang):
    _company(con)
    earlier = mt.create_meeting(con, "2027-01-07", lang=lang)
    mt.record_agreement(con, earlier, "Check the LEH forecast", scope={
        "product": "P1", "market": "LEH", "period": "2027-W01"})
    mid = mt.create_meeting(con, "2027-01-21", participants=["Anna <Vertrieb>", "Bob & Co"],
                            cycle="KW 03", lang=lang)
    mt.record_agreement(con, mid, "=SUM(A1:A9) Samstagsschicht für Überhang", owner="@Bob",
                        lever="extra_hours", due_date="2027-01-28",
                        scope={"product": "P1", "market": EVIL, "period": "2027-W01"})
    return mid


@pytest.mark.parametrize("lang, sheets", [
    ("de", ["KPIs", "Konflikte", "Vereinbarungen", "Prognosegüte", "Strategie-Abgleich", "Änderungen"]),
    ("en", ["KPIs", "Conflicts", "Agreements", "Accuracy", "Strategy check", "Changes"]),
])
def test_workbook_has_the_sheets_and_no_formula(con, lang, sheets):
    mid = _meeting(con, lang)
    data = ex.export_workbook(ex.build_pack(con, mid))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == sheets
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert EVIL in texts                                       # the market name, as text
    assert "=SUM(A1:A9) Samstagsschicht für Überhang" in texts  # the agreement, as text
    assert "Check the LEH forecast" in texts                     # the look-back of the earlier meeting
    conflicts = wb[sheets[1]]
    header = [c.value for c in conflicts[1]]
    assert conflicts.cell(2, header.index("Markt" if lang == "de" else "Market") + 1).value == EVIL
    # ranked by the line hours missing, shown beside the quantity: of L1's 15 h LEH (class A)
    # takes 11, the class-C market needs 10 and gets 4: 6 h short
    hours = header.index("Fehlende Linienstunden (h)" if lang == "de" else "Missing line hours (h)")
    assert conflicts.cell(2, hours + 1).value == 6.0
    # the biggest moves name their unit beside the quantities (P1 has none in the master: pieces)
    rows = [[c.value for c in row] for row in wb[sheets[5]].iter_rows()]
    rank, unit = ("Rang", "Einheit") if lang == "de" else ("Rank", "Unit")
    header_row = next(r for r in rows if rank in r and unit in r)
    first = rows[rows.index(header_row) + 1]
    assert first[header_row.index(unit)] == ("Stk" if lang == "de" else "pcs")
    # the KPI sheet writes hours and euros as numbers with their unit in the number format
    kpis = wb[sheets[0]]
    formats = {row[0].value: row[1].number_format for row in kpis.iter_rows() if row[1].value is not None}
    assert formats["Fehlmenge (Linienstunden)" if lang == "de" else "Shortfall (line hours)"] == '#,##0 "h"'


def _rows(ws) -> list[dict]:
    """The rows of a sheet's first table by its header (row 1)."""
    header = [c.value for c in ws[1]]
    rows = []
    for row in ws.iter_rows(min_row=2):
        if row[0].value is None:  # the blank row before the sheet's next table
            break
        rows.append(dict(zip(header, (c.value for c in row))))
    return rows


@pytest.mark.parametrize("lang, words", [
    ("de", {"Konflikte": ("Periode", "KW 01/2027", "Ursache", "Kapazität reicht nicht"),
            "Vereinbarungen": ("Status", "offen"), "Strategie-Abgleich": ("Periode", "KW 01/2027"),
            "check": "Linie L1, KW 01/2027: Auslastung"}),
    ("en", {"Conflicts": ("Period", "W01 2027", "Reason", "not enough capacity"),
            "Agreements": ("Status", "open"), "Strategy check": ("Period", "W01 2027"),
            "check": "Line L1, W01 2027: utilisation"}),
])
def test_workbook_says_reasons_status_and_periods_as_the_screen_does(con, lang, words):
    from pipelines.text.format import period
    assert period("2027-W01", lang) == words[list(words)[0]][1], "the screen's period display"
    wb = openpyxl.load_workbook(io.BytesIO(ex.export_workbook(ex.build_pack(con, _meeting(con, lang)))))
    conflicts, agreements, checks = (_rows(wb[name]) for name in list(words)[:3])
    period_col, shown, reason_col, reason = words[list(words)[0]]
    assert [(r[period_col], r[reason_col]) for r in conflicts] == [(shown, reason)]
    status_col, status = words[list(words)[1]]
    assert [r[status_col] for r in agreements] == [status]
    concerns = [r["Betrifft" if lang == "de" else "Concerns"] for r in agreements]
    assert concerns == [f"P1 / {EVIL} {shown}"], "the agreement's periods as the screen writes them"
    period_col, shown = words[list(words)[2]]
    assert {r[period_col] for r in checks if r[period_col]} == {shown}
    assert any(str(r[next(iter(r))]).startswith(words["check"]) for r in checks)
    codes = {"done", "dropped", "capacity", "no_routing", "no_capacity", "2027-W01"} | (
        {"open"} if lang == "de" else set())  # English says "open" for open
    assert not {c.value for ws in wb for row in ws.iter_rows() for c in row} & codes


@pytest.mark.parametrize("lang, pattern", [("de", "dd.mm.yyyy"), ("en", "yyyy-mm-dd")])
def test_dates_in_the_workbook_read_as_on_the_screen(con, lang, pattern):
    import datetime as dt
    wb = openpyxl.load_workbook(io.BytesIO(ex.export_workbook(ex.build_pack(con, _meeting(con, lang)))))
    dates = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, dt.datetime)]
    assert dates, "the agreements' due dates and meeting dates are date cells"
    assert {c.number_format for c in dates} == {pattern}


def test_english_workbook_writes_pieces_as_the_screen_does(con):
    wb = openpyxl.load_workbook(io.BytesIO(ex.export_workbook(ex.build_pack(con, _meeting(con, "en")))))
    units = set()
    for ws in wb:
        rows = list(ws.iter_rows(values_only=True))
        for i, row in enumerate(rows):
            if "Unit" in row:  # a table's header: its unit column, down to the blank row after it
                at = row.index("Unit")
                for below in rows[i + 1:]:
                    if all(v is None for v in below):
                        break
                    units.add(below[at])
    assert "pcs" in units and "Stk" not in units


def test_pdf_has_the_agreements_in_the_meetings_language(con, tmp_path):
    mid = _meeting(con, "de")
    xlsx, pdf = ex.export_pack(con, tmp_path, mid)
    assert xlsx.exists()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    assert "Samstagsschicht für Überhang" in flat
    assert "Vereinbarungen" in flat and "Rückblick auf die Vereinbarungen" in flat
    assert "Anna <Vertrieb>, Bob & Co" in flat
    assert "Zusatzstunden" in flat                              # the lever, in German
    assert "Prognose und Ist (Stk)" in flat                      # a chart title, with its unit
    assert "Fehlende Linienstunden (h)" in flat and "Änderung der Prognose je Markt (Stk)" in flat
    # periods as the screen shows them, in the tables and the strategy check's sentences
    assert "KW 01/2027" in flat and "Linie L1, KW 01/2027: Auslastung" in flat
    assert "KW 1/2027" not in flat


def test_pdf_chart_titles_name_their_unit_in_the_meetings_language(con, tmp_path):
    _, pdf = ex.export_pack(con, tmp_path, _meeting(con, "en"))
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "Forecast and actuals (pcs)" in flat and "Forecast change per market (pcs)" in flat
    assert "(Stk)" not in flat


def test_pack_without_meeting_or_actuals_still_exports(con):
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 10.0}])
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 15}])
    add_version(con, "forecast", [{"product": "P1", "market": "LEH", "period": "2027-W01",
                                   "quantity": 100}], as_of="2026-12-20")
    pack = ex.build_pack(con, lang="en")
    assert ex.export_pdf(pack).startswith(b"%PDF")
    wb = openpyxl.load_workbook(io.BytesIO(ex.export_workbook(pack)))
    assert wb["Agreements"]["A2"].value == "None."


@pytest.mark.slow
def test_demo_pack(tmp_path):
    from pipelines.demo import build_demo

    con = store.connect(build_demo(tmp_path / "demo.duckdb"))
    mid = mt.create_meeting(con, "2026-11-30", participants=["Vertrieb", "Produktion"], cycle="KW 48")
    mt.record_agreement(con, mid, "Nicht-LEH-Butter aus KW 52 vorziehen", lever="prebuild",
                        scope={"line": "BUT-1", "period": "2026-W52"})
    xlsx, pdf = ex.export_pack(con, tmp_path / "pack", mid)
    wb = openpyxl.load_workbook(xlsx)
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert wb["Konflikte"].max_row > 10
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "Nicht-LEH-Butter aus KW 52 vorziehen" in flat
    con.close()


def test_changes_sheet_is_in_the_one_measure_with_its_unit(con):
    # pieces without a net weight and kg: the change per market in line hours, money where priced
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 10.0, "price": 2.0},
                                  {"product": "K1", "line": "L1", "rate": 4.0, "unit": "kg", "price": 9.0}])
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 100}])
    add_version(con, "forecast", [{"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 100},
                                  {"product": "K1", "market": "LEH", "period": "2027-W01", "quantity": 10}],
                as_of="2026-12-20")
    add_version(con, "forecast", [{"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 105},
                                  {"product": "K1", "market": "LEH", "period": "2027-W01", "quantity": 11}],
                as_of="2027-01-02")
    wb = openpyxl.load_workbook(io.BytesIO(ex.export_workbook(ex.build_pack(con, lang="en"))))
    rows = list(wb["Changes"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:7] == ["Market", "Comparison", "Current", "Change", "Unit", "Change (€)",
                          "Products without line (not in h)"]
    # 100/10 + 10/4 = 12.5 h before, 105/10 + 11/4 = 13.25 h now; +5 x 2 € + 1 x 9 € = 19 €
    assert rows[1][:7] == ("LEH", 12.5, 13.25, 0.75, "h", 19.0, 0)


def test_conflicts_sheet_says_what_the_drill_down_says(con, monkeypatch):
    _company(con)
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 10.0},
                                  {"product": "P2", "line": "L1", "rate": 10.0}])
    add_version(con, "alternates", [{"product": "P1", "line": "L2", "rate": 5.0}])
    add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 110},
        {"product": "P1", "market": EVIL, "period": "2027-W01", "quantity": 100},
        {"product": "P2", "market": EVIL, "period": "2027-W01", "quantity": 50}], as_of="2027-01-27")
    pack = ex.build_pack(con, lang="en")
    assert sorted(pack.conflicts["product"]) == ["P1", "P2"]
    with build(con) as model:
        for r in pack.conflicts.itertuples():
            assert r.explanation == model.explain(r.product, r.market, r.period, "en")
            notes = model.levers(r.product, r.market, r.period, "en")["note"]
            assert r.levers == "\n".join(dict.fromkeys(notes)) and "extra hours on L1" in r.levers
    # the texts come from one pass; a conflict that cannot be explained leaves the others' texts
    paragraph = explain_module._paragraph
    monkeypatch.setattr(explain_module, "_paragraph", lambda gap, *a: 1 / 0 if gap["product"] == "P2"
                        else paragraph(gap, *a))
    again = ex.build_pack(con, lang="en").conflicts.set_index("product")
    texts = pack.conflicts.set_index("product")["explanation"]
    assert (again.loc["P1", "explanation"], again.loc["P2", "explanation"]) == (texts["P1"], "")
    assert again["levers"].tolist() == pack.conflicts.set_index("product")["levers"].tolist()


def test_two_meetings_of_one_day_get_two_pack_names():
    """The pack is named by the meeting's date and number: a second meeting of the day no longer
    overwrites the first one's pack in the downloads folder."""
    import datetime as dt
    from pipelines.pack import pack_stem
    day = dt.date(2026, 12, 3)
    assert pack_stem({"meeting_id": 1, "meeting_date": day}) == "Einklang_Meeting_2026-12-03_1"
    assert pack_stem({"meeting_id": 2, "meeting_date": day}) == "Einklang_Meeting_2026-12-03_2"
    assert pack_stem(None).startswith("Einklang_Meeting_")
