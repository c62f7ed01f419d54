"""The demo company with hostile names: markdown images and links, HTML and formulas in the names
of its biggest conflict's market, product and line, in a version label, a meeting and an agreement."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipelines import store

TRAP = "http://127.0.0.1:9"  # nothing listens there: a request to it is a fetch the page never asked for
MARKET = f"![m]({TRAP}/market.png) <a href=\"{TRAP}/a\">Markt</a>"
PRODUCT_NAME = f"[Joghurt]({TRAP}/link) <img src=\"{TRAP}/tag.png\"> :red[rot] $x^2$"
LINE = "=HYPERLINK(\"" + TRAP + "/x\",\"Linie\")"
LABEL = f"![v]({TRAP}/version.png)"
AGREEMENT = f"@SUM(1) ![a]({TRAP}/agreement.png)"
TITLE = f"<b>[Titel]({TRAP}/title)</b>"
HOSTILE = (MARKET, PRODUCT_NAME, LINE, LABEL, AGREEMENT, TITLE)


def build_hostile(path: Path) -> dict[str, str]:
    """Demo data renamed in place; returns the renamed top conflict (product, market, period, line)."""
    from pipelines import meeting, model
    from pipelines.demo import build_demo
    build_demo(path)
    con = store.connect(path)
    try:
        top = model.conflicts(con)
        row = top[top["line"].notna()].iloc[0]
        market, product, line, period = row["market"], row["product"], row["line"], row["period"]
        for table in ("markets", "forecast", "actuals"):
            con.execute(f"update {table} set market = ? where market = ?", [MARKET, market])
        con.execute("update products set name = ? where product = ?", [PRODUCT_NAME, product])
        for table in ("products", "alternates", "capacity", "plan"):
            con.execute(f"update {table} set line = ? where line = ?", [LINE, line])
        con.execute("update versions set label = ? where version_id = (select max(version_id) "
                    "from versions where kind = 'forecast')", [LABEL])
        meeting_id = meeting.create_meeting(con, dt.date(2026, 11, 30), participants=[MARKET],
                                            cycle="KW 49", title=TITLE, user="test")
        meeting.record_agreement(con, meeting_id, AGREEMENT,
                                 scope=[{"product": product, "market": MARKET, "period": period}],
                                 lever=f"[frei]({TRAP}/lever)", owner=MARKET, user="test")
        con.execute("checkpoint")
    finally:
        con.close()
    return {"product": product, "market": MARKET, "period": period, "line": LINE}
