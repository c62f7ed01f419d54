"""Tiny stores for the meeting, look-back and pack tests: rows inserted directly, versions with as-of dates."""
from __future__ import annotations

import datetime as dt
import io

from pipelines import store
from pipelines.store import DATA_COLUMNS


def add_version(con, kind: str, rows: list[dict], *, as_of: str | None = None, grain: str = "week",
                label: str | None = None) -> int:
    """Store `rows` as a new version of `kind`; period_start is derived from the period label."""
    vid = con.execute("select nextval('version_seq')").fetchone()[0]
    columns = DATA_COLUMNS[kind]
    for row in rows:
        row = dict(row)
        if "period" in columns and "period_start" not in row:
            row["period_start"] = period_start(row["period"])
        con.execute(f"insert into {kind} (version_id, {', '.join(columns)}) values "
                    f"(?, {', '.join('?' for _ in columns)})", [vid, *[row.get(c) for c in columns]])
    con.execute("insert into versions (version_id, kind, created_at, label, as_of, grain, rows, mode) "
                "values (?, ?, current_timestamp, ?, ?, ?, ?, 'replace')",
                [vid, kind, label or f"{kind} {vid}", as_of, grain, len(rows)])
    return vid


def period_start(label: str) -> dt.date:
    if "W" in label:
        year, week = label.split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)
    year, month = label.split("-")
    return dt.date(int(year), int(month), 1)


def small_company(con, *, demand_a: float = 100, demand_b: float = 100, hours: float = 15) -> dict:
    """One line L1 (10 units/h), product P1 sold to LEH (class A) and Export (class C)."""
    return {
        "products": add_version(con, "products", [{"product": "P1", "line": "L1", "rate": 10.0}]),
        "markets": add_version(con, "markets", [{"market": "LEH", "priority_class": 1},
                                                 {"market": "Export", "priority_class": 3}]),
        "capacity": add_version(con, "capacity", [{"line": "L1", "period": "2027-W01",
                                                   "available_hours": hours}]),
        "forecast": add_version(con, "forecast", [
            {"product": "P1", "market": "LEH", "period": "2027-W01", "quantity": demand_a},
            {"product": "P1", "market": "Export", "period": "2027-W01", "quantity": demand_b}],
            as_of="2026-12-20"),
    }


def workbook(sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    """An xlsx written by openpyxl: one sheet per name with its rows (the first row as written),
    the sheets named in `hidden` hidden."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        if name in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
