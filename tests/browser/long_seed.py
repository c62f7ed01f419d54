"""A plan over 104 weeks in which every PMC is short in every week (every heatmap cell is a
conflict, so a click that lands on a neighbour opens a wrong but existing cell)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipelines import store
from seed import add_version

WEEKS = 104
FIRST = dt.date(2027, 1, 4)  # Monday of 2027-W01


def weeks(count: int = WEEKS) -> list[str]:
    days = (FIRST + dt.timedelta(weeks=i) for i in range(count))
    return [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in days]


def build_long(path: str | Path, count: int = WEEKS) -> Path:
    con = store.connect(path)
    try:
        products = [f"{100 + i:06d}" for i in range(8)]
        add_version(con, "products", [{"product": p, "line": f"L{i % 2 + 1}", "rate": 100.0,
                                       "name": f"Artikel {i + 1}"} for i, p in enumerate(products)])
        add_version(con, "markets", [{"market": "LEH", "priority_class": 1},
                                     {"market": "Export", "priority_class": 3}])
        add_version(con, "capacity", [{"line": line, "period": w, "available_hours": 10.0}
                                      for line in ("L1", "L2") for w in weeks(count)])
        # shortfalls differ per PMC and week, so no two cells of a row look alike
        add_version(con, "forecast", [
            {"product": p, "market": m, "period": w, "quantity": 400.0 + 10 * i + 3 * j + 50 * k}
            for i, p in enumerate(products) for k, m in enumerate(("LEH", "Export"))
            for j, w in enumerate(weeks(count))], as_of="2026-12-20", label="Prognose 104")
        con.execute("checkpoint")
    finally:
        con.close()
    return Path(path)
