"""`einklang pack` on a mid-size plan (issue 13): it succeeds from the command line, and its
conflict sheet is one row per PMC at that PMC's heaviest period, in the order of the overview's
top conflicts (mart_top_conflicts)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from pipelines import meeting as mt
from pipelines import model as gm
from pipelines import store
from pipelines.text import render

REPO = Path(__file__).resolve().parents[2]


def mid_size_plan(path: Path, products: int = 240, markets: int = 6, weeks: int = 26,
                  lines: int = 6) -> Path:
    """Products on lines that are overloaded in some weeks, two forecast versions (37 k rows each)."""
    con = store.connect(path)
    try:
        def version(kind: str, label: str) -> int:
            vid = con.execute("select nextval('version_seq')").fetchone()[0]
            con.execute("insert into versions (version_id, kind, created_at, label, file_name, as_of, "
                        "grain, layout, header_row, rows, merged_rows, skipped_rows, mode) values "
                        "(?, ?, now(), ?, 'generated', null, 'week', 'long', 1, 0, 0, 0, 'replace')",
                        [vid, kind, label])
            return vid
        con.execute(f"""create temp table weeks as
            select i as w, strftime(date '2027-01-04' + to_days(cast(7 * i as integer)), '%G-W%V') as period,
                   date '2027-01-04' + to_days(cast(7 * i as integer)) as period_start
            from range({weeks}) t(i)""")
        v = version("products", "Artikel")
        con.execute(f"""insert into products select {v}, 'P' || lpad(i::text, 4, '0'),
            'L' || (i % {lines} + 1), 120 + (i % 7) * 20, 'Artikel ' || i, 'Gruppe ' || (i % 4),
            'ST', 28, 7, 1.5 + (i % 5), 0.4, null, null, null from range({products}) t(i)""")
        v = version("markets", "Märkte")
        con.execute(f"insert into markets select {v}, 'Markt ' || i, i % 3 + 1, null "
                    f"from range({markets}) t(i)")
        v = version("capacity", "Kapazität")
        con.execute(f"""insert into capacity select {v}, 'L' || (l + 1), period, period_start,
            case when (w + l) % 5 = 0 then 90 else 170 end, 200 from range({lines}) t(l), weeks""")
        for label, bump in (("Prognose alt", 0.0), ("Prognose neu", 0.05)):
            v = version("forecast", label)
            con.execute(f"""insert into forecast select {v}, 'P' || lpad(p::text, 4, '0'),
                'Markt ' || m, period, period_start,
                round((50 + (p * 31 + m * 17 + w * 7) % 100) * (1 + {bump} * (m % 2)), 0), 'ST', null
                from range({products}) t(p), range({markets}) u(m), weeks""")
        con.execute("checkpoint")
    finally:
        con.close()
    return path


def test_pack_of_a_meeting_on_a_mid_size_plan_succeeds(tmp_path):
    db = mid_size_plan(tmp_path / "mid.duckdb")
    con = store.connect(db)
    try:
        meeting_id = mt.create_meeting(con, "2027-01-08", cycle="KW 1", lang="de")
        with gm.build(con) as model:
            top = model.conflicts(1).iloc[0]
            expected = model.top_conflicts(25)   # the overview's list, each PMC once
        assert len(expected) == 25, "the plan has more than 25 PMCs short"
        mt.record_agreement(con, meeting_id, "Vorziehen", scope={
            "product": top["product"], "market": top["market"], "period": top["period"]})
    finally:
        con.close()
    out = tmp_path / "pack"
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "--db", str(db), "pack",
                           "--meeting", str(meeting_id), "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf", ".xlsx"]
    workbook = openpyxl.load_workbook(next(out.glob("*.xlsx")), read_only=True)
    sheet = workbook[render("pack_sheet_conflicts", "de")]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if render("col_product", "de") in r)
    column = {name: rows[header].index(render(f"col_{name}", "de")) for name in ("product", "market", "period")}
    listed = [(r[column["product"]], r[column["market"]]) for r in rows[header + 1:]
              if r[column["product"]]]
    assert listed == list(zip(expected["product"], expected["market"]))
    assert len(set(listed)) == len(listed) == 25
