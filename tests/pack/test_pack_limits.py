"""The pack never fails on content: long texts and lists are cut with "… and N more", and the
Excel and the PDF are built independently (a failure of one still delivers the other)."""
from __future__ import annotations

import io

import openpyxl
import pytest
from pypdf import PdfReader

from pipelines import meeting as mt
from pipelines import pack as ex
from seed import small_company


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


@pytest.mark.parametrize("lang, more", [("de", "weitere Zeichen"), ("en", "more characters")])
def test_an_agreement_of_3000_characters(con, lang, more):
    small_company(con)
    mid = mt.create_meeting(con, "2026-12-21", cycle="KW 52", lang=lang)
    text = " ".join(f"Satz{i} über Zusatzschichten und Vorproduktion." for i in range(70))[:3000]
    assert len(text) == 3000
    mt.record_agreement(con, mid, text, scope={"product": "P1", "market": "LEH", "period": "2027-W01"})
    pack = ex.build_pack(con, mid, lang=lang)
    flat = _pdf_text(ex.export_pdf(pack))
    assert "Satz0 über Zusatzschichten" in flat and more in flat
    assert "Satz69" not in flat, "the end of the text is cut in the PDF"
    wb = openpyxl.load_workbook(io.BytesIO(ex.export_workbook(pack)))
    cells = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert text in cells, "the Excel keeps the whole agreement"


def test_a_lever_text_listing_500_pmcs(con):
    small_company(con)
    mid = mt.create_meeting(con, "2026-12-21", cycle="KW 52", lang="en")
    pmcs = ", ".join(f"P{i:03d} / LEH 2027-W01" for i in range(500))
    mt.record_agreement(con, mid, "Move everything", lever=pmcs,
                        scope={"product": "P1", "market": "LEH", "period": "2027-W01"})
    flat = _pdf_text(ex.export_pdf(ex.build_pack(con, mid, lang="en")))
    assert "P000 / LEH" in flat and "P499 / LEH" not in flat
    count = int(flat.split("… and ")[1].split(" more")[0].replace(",", ""))
    assert 400 < count < 500 and f"P{500 - count - 1:03d} / LEH" in flat


def test_cut_lists_lines_and_texts():
    items = ", ".join(f"PMC {i}" for i in range(400))
    cut = ex.cut(items, "de", 100)
    assert cut.startswith("PMC 0, PMC 1") and cut.endswith("weitere") and len(cut) < 130
    assert cut.endswith(f"… und {400 - cut.count('PMC')} weitere")
    assert ex.cut("\n".join(map(str, range(50))), "en", 10_000, 12).count("\n") == 11
    assert ex.cut("kurz", "de", 10) == "kurz"


def test_a_failing_pdf_still_delivers_the_excel(con, tmp_path, monkeypatch):
    small_company(con)
    mid = mt.create_meeting(con, "2026-12-21", cycle="KW 52", lang="de")

    def broken(pack, target=None):
        raise RuntimeError("reportlab LayoutError")
    monkeypatch.setattr(ex, "export_pdf", broken)
    with pytest.raises(ex.PackIncomplete) as failed:
        ex.export_pack(con, tmp_path, mid)
    assert set(failed.value.written) == {"xlsx"} and failed.value.written["xlsx"].exists()
    assert not list(tmp_path.glob("*.pdf"))
    assert "PDF-Teil" in failed.value.message("de") and "Excel ist vollständig" in failed.value.message("de")
    openpyxl.load_workbook(failed.value.written["xlsx"])


def test_cli_pack_says_which_part_failed_and_writes_the_other(con, db_path, tmp_path, monkeypatch, capsys):
    from pipelines import cli
    small_company(con)
    mt.create_meeting(con, "2026-12-21", cycle="KW 52", lang="en")
    con.execute("checkpoint")
    con.close()

    def broken(pack, target=None):
        raise ValueError("no room")
    monkeypatch.setattr(ex, "export_workbook", broken)
    monkeypatch.setenv("EINKLANG_DB", str(db_path))
    monkeypatch.setenv("EINKLANG_LANG", "en")
    code = cli.main(["pack", "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == cli.PACK_INCOMPLETE
    assert out.strip().endswith(".pdf") and (tmp_path / "out" / out.strip().split("/")[-1]).exists()
    assert "The Excel part of the meeting pack could not be built (ValueError); PDF is complete." in err
    assert "Traceback" not in err
