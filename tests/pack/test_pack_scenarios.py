"""The pack lists the scenarios the meeting weighed (named in its agreements, or saved on its day)
with their figures beside the base; an agreement names the scenario it takes."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from pipelines import meeting as mt
from pipelines import pack as ex
from pipelines.errors import UserError
from pipelines.scenario import add

from seed import add_version

SHIFT = ('name = "Zusatzschicht L1"\n[[change]]\nkind = "capacity"\nline = "L1"\n'
         'from = "2027-W01"\nto = "2027-W01"\nhours = 5\n')


def _company(con):
    add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 10.0}])
    add_version(con, "markets", [{"market": "LEH", "priority_class": 1},
                                 {"market": "Discount", "priority_class": 3}])
    add_version(con, "capacity", [{"line": "L1", "period": "2027-W01", "available_hours": 15}])
    add_version(con, "forecast", [
        {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": 100},
        {"product": "P1", "market": "Discount", "period": "2027-W01", "quantity": 100}])


def test_agreement_names_a_stored_scenario_and_an_unknown_one_is_refused(con):
    _company(con)
    add(con, SHIFT)
    mid = mt.create_meeting(con, "2027-01-21", lang="de")
    scope = {"product": "P1", "market": "Discount", "period": "2027-W01"}
    with pytest.raises(UserError) as refused:
        mt.record_agreement(con, mid, "Wir nehmen es", scope=scope, scenario="Gibt es nicht")
    assert refused.value.key == "scn_unknown"
    assert mt.agreements(con, mid).empty                      # nothing stored
    agreement = mt.record_agreement(con, mid, "Wir nehmen es", scope=scope, lever="extra_hours",
                                    scenario="Zusatzschicht L1")
    row = mt.agreements(con, mid).set_index("agreement_id").loc[agreement]
    assert row["scenario"] == "Zusatzschicht L1"
    plain = mt.record_agreement(con, mid, "Ohne Szenario", scope=scope)
    assert pd.isna(mt.agreements(con, mid).set_index("agreement_id").loc[plain, "scenario"])


def test_pack_lists_the_named_scenario_with_its_figures_beside_the_base(con, tmp_path):
    _company(con)
    add(con, SHIFT)
    mid = mt.create_meeting(con, "2027-01-21", lang="de")
    mt.record_agreement(con, mid, "Wir nehmen die Zusatzschicht", scenario="Zusatzschicht L1",
                        scope={"product": "P1", "market": "Discount", "period": "2027-W01"})
    pack = ex.build_pack(con, mid)
    frame = pack.scenarios.set_index("kpi")
    assert list(frame.columns) == ["Kennzahl", "Basis", "Zusatzschicht L1"]
    # 15 h make 150 of 200 units; 5 h more make all 200
    assert frame.loc["fill_rate", "Basis"] == pytest.approx(0.75)
    assert frame.loc["fill_rate", "Zusatzschicht L1"] == pytest.approx(1.0)
    assert frame.loc["shortfall_hours", "Basis"] == pytest.approx(5.0)
    assert frame.loc["shortfall_hours", "Zusatzschicht L1"] == pytest.approx(0.0)

    wb = openpyxl.load_workbook(io.BytesIO(ex.export_workbook(pack)))
    sheet = wb["Vereinbarungen"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Gewogene Szenarien gegenüber der Basis" in texts
    assert texts.count("Zusatzschicht L1") >= 2                # the agreement's column and the table's
    assert "Szenario" in texts                                 # the agreements' column header
    pdf = tmp_path / "pack.pdf"
    ex.export_pdf(pack, pdf)
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Gewogene Szenarien" in text and "Zusatzschicht L1" in text and "75" in text


def test_pack_without_scenarios_says_so(con):
    _company(con)
    mid = mt.create_meeting(con, "2027-01-21", lang="en")
    pack = ex.build_pack(con, mid)
    assert pack.scenarios.empty
    wb = openpyxl.load_workbook(io.BytesIO(ex.export_workbook(pack)))
    texts = [c.value for row in wb["Agreements"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("No scenarios") for t in texts)
