"""Pure reshaping of query results for display: labels, translated headers, formatted numbers."""
from __future__ import annotations

import pandas as pd

from dashboard import i18n
from dashboard.i18n import t
from pipelines.text import MESSAGES, render
from pipelines.text import format as fmt_text


def product_text(product: object, display: object = None) -> str:
    """The article number as the ERP writes it (`000815`) where a display form is known."""
    return display if isinstance(display, str) and display else str(product)


def pmc_label(product: object, product_name: object, market: object, display: object = None) -> str:
    """'4711 Joghurt Erdbeere · LEH' (the name only where there is one; the number as written)."""
    name = f" {product_name}" if isinstance(product_name, str) and product_name.strip() else ""
    return f"{product_text(product, display)}{name} · {market}"


def lever_name(lever: object, lang: str) -> str:
    """A model lever's name in the language (pipelines' one table); anything else (free text) as written."""
    key = f"lever_label_{lever}"
    return render(key, lang) if key in MESSAGES else str(lever)


def meeting_labels(meetings: pd.DataFrame, lang: str) -> dict[int, str]:
    """Each meeting's option text in the pickers: date and cycle, its title where it has one, and
    its number where two would still read alike (a picker matches its choice by the text, so two
    meetings held the same day would fall back to the first)."""
    labels = {}
    for r in meetings.itertuples():
        text = i18n.t_text("mt_option", lang, date=i18n.date(r.meeting_date, lang), cycle=r.cycle or "–")
        title = getattr(r, "title", None)
        labels[int(r.meeting_id)] = f"{text} · {title}" if isinstance(title, str) and title.strip() else text
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {m: f"{label} · #{m}" if seen[label] > 1 else label for m, label in labels.items()}


def version_name(row) -> str:
    """An upload's label, else its file name."""
    return row["label"] if isinstance(row["label"], str) and row["label"] else str(row["file_name"])


def share_url(page_url: str | None, params: dict[str, str]) -> str:
    """The page's address with its query parameters, for the minutes (just `?...` without one)."""
    from urllib.parse import urlencode, urlsplit, urlunsplit
    query = urlencode(params)
    if not page_url:
        return "?" + query
    parts = urlsplit(page_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def moves_named(moves: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Biggest moves with "(new)" / "(vanished)" after a PMC's name."""
    if moves.empty:
        return moves
    return moves.assign(product_name=[
        " ".join(p for p in (n if isinstance(n, str) else "",
                             f"({t('move_' + s, lang)})" if s in ("new", "vanished") else "") if p)
        for n, s in zip(moves["product_name"], moves["status"])])


def percent_entries(frame: pd.DataFrame, columns: dict[str, str], table: str, lang: str,
                    low: float, high: float) -> tuple[pd.DataFrame, list[str]]:
    """Percent cells typed into an editor ({column: header}) as shares (92,5 -> 0.925), and a
    message naming table, row, column and value for each cell that is no number or out of range."""
    from pipelines.read.numbers import ENGLISH, GERMAN, parse_text_number, resolve
    out, problems = frame.copy(), []
    for column, header in columns.items():
        shares = []
        for row, value in enumerate(frame[column] if column in frame else [], start=1):
            if value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == "":
                shares.append(None)
                continue
            if isinstance(value, (int, float)):
                number = float(value)
            else:
                number = resolve(parse_text_number(str(value).strip().removesuffix("%").strip()),
                                 GERMAN if lang == "de" else ENGLISH)
            where = {"table": table, "row": row, "column": header, "value": value}
            if number is None:
                problems.append(render("strategy_number_bad", lang, **where))
            elif not low <= number <= high:
                problems.append(render("strategy_number_range", lang, **where | {"low": low, "high": high}))
            shares.append(None if number is None else number / 100)
        if column in frame:
            out[column] = shares
    return out, problems


def percent_text(share: object, lang: str) -> str | None:
    """A share as the percent an editor shows (0.925 -> "92,5")."""
    if share is None or pd.isna(share):
        return None
    text = i18n.number(float(share) * 100, lang, 1)
    return text[:-2] if text.endswith((",0", ".0")) else text


def periods_of_line(load: pd.DataFrame, line: str) -> set[str]:
    """The periods a line has load or capacity in (a deep link may name any other)."""
    return set(load.loc[load["line"] == line, "period"].astype(str))


def heatmap_cells(cells: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Conflict cells with a row label, and the rows in the order of the top-conflicts ranking
    (`rank`, mart_conflict_cells)."""
    cells = cells.copy()
    displays = cells["product_display"] if "product_display" in cells.columns else [None] * len(cells)
    cells["label"] = [pmc_label(p, n, m, d) for p, n, m, d in
                      zip(cells["product"], cells["product_name"], cells["market"], displays)]
    order = (cells.groupby("label")["rank"].min().sort_values(kind="stable").index.tolist()
             if len(cells) else [])
    return cells, order


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))


def table(frame: pd.DataFrame, columns: list[tuple[str, str, str]], lang: str) -> pd.DataFrame:
    """Display table: (column, header text key, format) with format one of
    text | int | qty (whole, with the row's `unit` where it has one) | dec1 | pct | band | period |
    periods_in | class | date | datetime."""
    out = pd.DataFrame(index=frame.index)
    for column, header, fmt in columns:
        values = frame[column] if column in frame.columns else pd.Series("", index=frame.index)
        if column == "product" and "product_display" in frame.columns:  # as the ERP writes it
            values = frame["product_display"].where(frame["product_display"].notna(), values)
        if fmt == "int":
            shown = values.map(lambda v: i18n.number(v, lang, 0))
        elif fmt == "qty":  # every quantity with its article's unit (spec 5 "Units")
            units = frame["unit"] if "unit" in frame.columns else pd.Series(None, index=frame.index)
            shown = pd.Series([("" if _blank(v) else i18n.quantity(v, u, lang, 0) if isinstance(u, str)
                                else i18n.number(v, lang, 0)) for v, u in zip(values, units)],
                              index=frame.index)
        elif fmt == "dec1":
            shown = values.map(lambda v: i18n.number(v, lang, 1))
        elif fmt == "pct":
            shown = values.map(lambda v: i18n.percent(v, lang))
        elif fmt == "period":
            shown = values.map(lambda v: i18n.period(v, lang))
        elif fmt == "periods_in":  # a composed text with ISO periods in it (an agreement's scope)
            shown = values.map(lambda v: fmt_text.periods_in(v, lang))
        elif fmt == "band":
            shown = values.map(lambda b: f"{i18n.percent(b[0], lang)} – {i18n.percent(b[1], lang)}"
                               if isinstance(b, tuple) else "–")
        elif fmt == "class":
            shown = values.map(i18n.priority_class)
        elif fmt == "date":
            shown = values.map(lambda v: i18n.date(v, lang))
        elif fmt == "datetime":
            shown = values.map(lambda v: i18n.datetime(v, lang))
        else:
            shown = values.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v))
                               else str(v))
        out[t(header, lang)] = shown.astype(str)
    return out.reset_index(drop=True)


def lever_bars(levers: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One bar per lever: its name in the language and the units it closes on its own."""
    if levers.empty:
        return pd.DataFrame(columns=["label", "closes"])
    closes = levers["closes_units"] if "closes_units" in levers else levers["closes_hours"]
    labels = [lever_name(k, lang) for k in levers["lever"]]
    return pd.DataFrame({"label": labels, "closes": closes.fillna(0).astype(float).values})


def lever_table(levers: pd.DataFrame, lang: str, line: bool = False,
                unit: str | None = None) -> pd.DataFrame:
    """Levers with their figures and the model's note, for the drill-down table; what a PMC's lever
    closes is in the article's `unit`."""
    frame = levers.copy()
    frame["lever_name"] = [lever_name(k, lang) for k in frame["lever"]]
    if line:
        cols = [("lever_name", "col_lever", "text"), ("closes_hours", "col_closes_hours", "dec1"),
                ("note", "col_detail", "text")]
    else:
        frame["unit"] = unit
        cols = [("lever_name", "col_lever", "text"),
                ("closes_units", "col_closes", "qty" if unit else "int"),
                ("hours", "col_hours", "dec1"), ("note", "col_detail", "text")]
    return table(frame, cols, lang)


def stacked_versions(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Current and comparison forecasts in one long frame with a `version` column."""
    parts = [current.assign(version="current")]
    if previous is not None:
        parts.append(previous.assign(version="previous"))
    return pd.concat(parts, ignore_index=True)


def error_frame(errors, lang: str) -> pd.DataFrame:
    """Scenario problems as a display table: change, field, value, message."""
    rows = [{"change": e.params.get("change"), "field": e.params.get("field"),
             "value": "" if e.value is None else str(e.value), "message": e.message(lang)}
            for e in errors]
    return table(pd.DataFrame(rows, columns=["change", "field", "value", "message"]), [
        ("change", "scn_col_change", "text"), ("field", "scn_col_field", "text"),
        ("value", "col_value", "text"), ("message", "col_message", "text")], lang)
