"""A tiny company written straight into the store (no reader involved): 2 lines, 4 products,
3 markets, 6 weeks, two forecast versions; line L1 is overloaded in 2027-W03."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipelines import store

WEEKS = [f"2027-W{w:02d}" for w in range(1, 7)]


def _monday(week: str) -> dt.date:
    year, w = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(w), 1)


def _version(con, kind: str, label: str, as_of: dt.date | None = None) -> int:
    vid = con.execute("select nextval('version_seq')").fetchone()[0]
    con.execute(
        "insert into versions (version_id, kind, created_at, label, file_name, sha256, as_of, "
        "grain, layout, header_row, rows, merged_rows, skipped_rows, mode) "
        "values (?, ?, current_timestamp, ?, ?, ?, ?, 'week', 'long', 1, 0, 0, 0, 'replace')",
        [vid, kind, label, f"{label}.xlsx", f"sha-{vid}", as_of])
    return vid


def build_tiny(path: str | Path) -> Path:
    con = store.connect(path)
    try:
        v = _version(con, "products", "Stammdaten")
        for product, line, rate, name, group, price in (
                ("1001", "L1", 100.0, "Joghurt Erdbeere", "Joghurt", 0.5),
                ("1002", "L1", 100.0, "Joghurt Natur", "Joghurt", 0.4),
                ("2001", "L2", 50.0, "Butter 250 g", "Butter", 2.0),
                ("2002", "L2", 50.0, "Butter 500 g", "Butter", 3.5)):
            con.execute("insert into products (version_id, product, line, rate, name, product_group, "
                        "shelf_life_days, min_remaining_shelf_life_days, price) "
                        "values (?, ?, ?, ?, ?, ?, 60, 20, ?)", [v, product, line, rate, name, group, price])
        v = _version(con, "markets", "Märkte")
        for market, cls in (("LEH", 1), ("Discount", 2), ("Export NL", 3)):
            con.execute("insert into markets values (?, ?, ?, ?)", [v, market, cls, market])
        v = _version(con, "capacity", "Kapazität")
        for week in WEEKS:
            for line, hours in (("L1", 40.0), ("L2", 80.0)):
                if line == "L2" and week == "2027-W05":
                    hours = 20.0  # maintenance week
                con.execute("insert into capacity values (?, ?, ?, ?, ?, ?)",
                            [v, line, week, _monday(week), hours, hours + 16])
        for label, as_of, bump in (("Prognose alt", dt.date(2026, 11, 1), 0.0),
                                   ("Prognose neu", dt.date(2026, 11, 27), 1.0)):
            v = _version(con, "forecast", label, as_of)
            for week in WEEKS:
                peak = 2.0 if week == "2027-W03" else 1.0
                for product, market, qty in (
                        ("1001", "LEH", 1500), ("1001", "Discount", 1000), ("1002", "Export NL", 800),
                        ("1002", "LEH", 500), ("2001", "LEH", 1200), ("2002", "Discount", 900)):
                    quantity = qty * peak * (1 + 0.2 * bump if market == "Discount" else 1)
                    con.execute("insert into forecast values (?, ?, ?, ?, ?, ?, 'ST', null)",
                                [v, product, market, week, _monday(week), quantity])
            if bump:  # a new PMC this cycle
                con.execute("insert into forecast values (?, '2001', 'Export NL', '2027-W02', ?, 300, 'ST', null)",
                            [v, _monday("2027-W02")])
        con.execute("checkpoint")
    finally:
        con.close()
    return Path(path)
