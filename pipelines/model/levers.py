"""Levers beside a conflict (spec section 5, "Levers"): figures from SQL, a note rendered here."""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import pandas as pd

from pipelines.errors import UserError
from pipelines.model.runner import sql_text
from pipelines.text import format as fmt
from pipelines.text import render

if TYPE_CHECKING:
    from pipelines.model import Model

LEVER_KEYS = ("prebuild", "extra_hours", "other_line", "reprioritise")
LEVER_COLUMNS = (
    "lever", "product", "market", "period", "line", "status", "closes_units", "hours",
    "hours_needed", "rate", "free_hours", "k_periods", "shelf_life_days",
    "min_remaining_shelf_life_days", "max_hours", "headroom_hours", "line_hours_to_close",
    "hours_to_close", "allocation_cause", "priority_class", "top_class", "new_supplied", "losers",
    "lost_units", "detail", "note")
LINE_LEVER_COLUMNS = (
    "lever", "line", "period", "status", "overload_hours", "closes_hours", "free_hours",
    "k_periods", "products_in_shortfall", "products_without_shelf_life", "headroom_hours",
    "detail", "note")

_CLASS_LETTERS = {1: "A", 2: "B", 3: "C", 4: "D"}
_PERIOD_WORDS = {("de", "week"): ("Woche", "Wochen"), ("de", "month"): ("Monat", "Monate"),
                 ("en", "week"): ("week", "weeks"), ("en", "month"): ("month", "months")}


def class_letter(priority_class: object) -> str:
    """1 -> 'A', 2 -> 'B', ...; classes beyond D as their number."""
    if priority_class is None or (isinstance(priority_class, float) and math.isnan(priority_class)):
        return ""
    return _CLASS_LETTERS.get(int(priority_class), str(int(priority_class)))


def fmt_number(value: object, lang: str = "de", decimals: int = 1) -> str:
    """A figure for a sentence: at most `decimals` decimals, trailing zeros dropped."""
    return fmt.figure(value, lang, decimals)


def fmt_units(value: object, lang: str = "de") -> str:
    """Units whole, unless below 10 where a decimal matters."""
    if value is not None and not (isinstance(value, float) and math.isnan(value)) and abs(float(value)) < 10:
        return fmt_number(value, lang, 1)
    return fmt_number(value, lang, 0)


def fmt_period(label: str, lang: str = "de", with_year: bool = False) -> str:
    """'2027-W12' -> 'KW 12' / 'week 12' (with_year: 'KW 12/2027'); '2027-03' -> 'März 2027'."""
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", str(label)):
        year = f"/{m[1]}" if with_year else ""
        return f"KW {int(m[2])}{year}" if lang == "de" else f"week {int(m[2])}{year}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", str(label)):
        return f"{fmt.month_name(int(m[2]), lang, wide=True)} {m[1]}"
    return str(label)


def period_words(grain: str, lang: str) -> tuple[str, str]:
    """Singular and plural word for the model's period ('Woche', 'Wochen')."""
    return _PERIOD_WORDS[("de" if lang == "de" else "en", grain)]


def normalise_period(label: str) -> str:
    """'2027-W5', '2027W05' -> '2027-W05'; '2027-3' -> '2027-03'; anything else unchanged."""
    text = str(label).strip().upper()
    if m := re.fullmatch(r"(\d{4})-?W(\d{1,2})", text):
        return f"{m[1]}-W{int(m[2]):02d}"
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return f"{m[1]}-{int(m[2]):02d}"
    return str(label).strip()


def pmc_params(keys: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    """The parameters of the set-based lever and explanation queries: one list per key column."""
    return {"products": [k[0] for k in keys], "markets": [k[1] for k in keys],
            "periods": [k[2] for k in keys]}


def resolve_pmcs(model: "Model", keys) -> dict[tuple, tuple[str, str, str]]:
    """The stored keys of PMC-periods as asked (market compared case-insensitively, periods like
    '2027-W5'): asked (product, market, period) -> stored; one scan for all, unknown ones left out."""
    keys = list(dict.fromkeys(tuple(k) for k in keys))
    if not keys:
        return {}
    asked = [(str(p).strip(), str(m).strip(), normalise_period(per)) for p, m, per in keys]
    found = model.query(
        "with asked as (select unnest($numbers) as number, unnest($products) as product, "
        "unnest($markets) as market, unnest($periods) as period) "
        "select asked.number, gaps.product, gaps.market, gaps.period from asked "
        "join mart_gaps as gaps on gaps.product = asked.product and gaps.period = asked.period "
        "and lower(gaps.market) = lower(asked.market) "
        "qualify row_number() over (partition by asked.number order by gaps.market) = 1",
        {"numbers": list(range(len(asked))), **pmc_params(asked)})
    return {keys[int(r.number)]: (r.product, r.market, r.period) for r in found.itertuples()}


def unknown_pmc(product: str, market: str, period: str) -> UserError:
    return UserError("model_pmc_unknown",
                     params={"product": product, "market": market, "period": normalise_period(period)})


def resolve_pmc(model: "Model", product: str, market: str, period: str) -> tuple[str, str, str]:
    """The stored keys of a PMC-period (market compared case-insensitively), or a UserError."""
    found = model.resolve([(product, market, period)])
    if not found:
        raise unknown_pmc(product, market, period)
    return next(iter(found.values()))


def _periods_text(detail: object, lang: str) -> str:
    """'2027-W11: 10.00 h; 2027-W10: 5.00 h' -> 'KW 11 (10 h), KW 10 (5 h)'."""
    if not isinstance(detail, str) or not detail:
        return ""
    items = [item.partition(": ") for item in detail.split("; ")]
    if len(items) == 1:
        return fmt_period(items[0][0], lang)
    return ", ".join(f"{fmt_period(label, lang)} ({fmt_number(float(hours.split()[0]), lang)} h)"
                     for label, _, hours in items)


def lever_note(row: dict, lang: str, grain: str, shortfall: float, demand: float,
               unit: str | None = None) -> str:
    """The one-sentence note of one lever row."""
    lever, status = row["lever"], row["status"]
    if status in ("no_routing", "no_shortfall"):
        return render(f"lever_{status}", lang, product=row["product"])
    singular, plural = period_words(grain, lang)
    params = {
        "product": row["product"], "market": row["market"], "line": row.get("line") or "",
        "period": fmt_period(row["period"], lang), "units": fmt_units(row["closes_units"], lang),
        "hours": fmt_number(row["hours"], lang),
        "needed": fmt_number(row.get("hours_to_close"), lang),
        "shortfall": fmt_units(shortfall, lang), "demand": fmt_units(demand, lang),
        "free": fmt_number(row.get("free_hours"), lang),
        "headroom": fmt_number(row.get("headroom_hours"), lang),
        "shelf": fmt_number(row.get("shelf_life_days"), lang),
        "remaining": fmt_number(row.get("min_remaining_shelf_life_days"), lang),
        "k": _whole(row.get("k_periods")), "period_word": singular, "periods_word": plural,
        "periods": _periods_text(row.get("detail"), lang),
        "top": class_letter(row.get("top_class")), "new": fmt_units(row.get("new_supplied"), lang),
        "losers": _losers_text(row.get("losers"), lang),
        "unit": fmt.unit_word(unit, lang),
    }
    note = render(f"lever_{lever}_{status}", lang, **params)
    if lever == "extra_hours" and row.get("allocation_cause"):
        # the line needs more than shortfall / rate: say why, or the what-if contradicts the note
        note += " " + render(f"lever_extra_hours_{row['allocation_cause']}", lang, **params,
                             shortfall_hours=fmt_number(row["hours_needed"], lang),
                             cls=class_letter(row.get("priority_class")))
    return note


def conflict_levers(model: "Model", keys: list[tuple[str, str, str]],
                    lang: str = "de") -> dict[tuple[str, str, str], pd.DataFrame]:
    """The levers of PMC-periods given by their stored keys (`resolve_pmcs`), each as one frame
    (columns LEVER_COLUMNS; other_line one row per alternate line). One query per lever kind for
    all of them: a single conflict is a set of one, so the drill-down, the pack and the command
    line read the same figures."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    params = pmc_params(keys)
    frames = [
        model.query(sql_text("lever_prebuild"), {**params, "days": model.period_days, "grain": model.grain}),
        model.query(sql_text("lever_extra_hours"), params),
        model.query(sql_text("lever_other_line"), params),
        model.query(sql_text("lever_reprioritise"), params),
    ]
    gaps = model.query(
        "with targets as (select unnest($products) as product, unnest($markets) as market, "
        "unnest($periods) as period) select gaps.product, gaps.market, gaps.period, gaps.shortfall, "
        "gaps.demand, gaps.unit, gaps.product_display from mart_gaps as gaps semi join targets "
        "on targets.product = gaps.product and targets.market = gaps.market "
        "and targets.period = gaps.period", params)
    gap_of = {(r["product"], r["market"], r["period"]): r for r in _records(gaps)}
    rows: dict[tuple, list[dict]] = {key: [] for key in keys}
    for frame in frames:  # lever order, and within other_line the query's order
        for r in _records(frame):
            rows[(r["product"], r["market"], r["period"])].append(r)
    return {key: _lever_frame(rows[key], gap_of[key], key[0], model.grain, lang)
            for key in keys if key in gap_of}


def _records(frame: pd.DataFrame) -> list[dict]:
    """The rows of a query as dicts, a missing text as None however many rows the query had
    (DuckDB gives None in a text column without any value, NaN beside other texts), so that a
    conflict's frame is the same whether it was asked alone or with others."""
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    records = frame.to_dict("records")
    for r in records:
        for c in text:
            if isinstance(r[c], float) and math.isnan(r[c]):
                r[c] = None
    return records


def _lever_frame(rows: list[dict], gap: dict, product: str, grain: str, lang: str) -> pd.DataFrame:
    """One conflict's lever rows as a frame with a note per lever."""
    frame = pd.DataFrame(rows).reindex(columns=LEVER_COLUMNS)
    frame = frame.astype({"lever": "object", "status": "object", "detail": "object",
                          "losers": "object", "allocation_cause": "object", "note": "object"})
    frame = frame.astype({"k_periods": "Int64", "priority_class": "Int64", "top_class": "Int64"})
    shown = gap["product_display"] or product  # the note names the article as the ERP writes it
    frame["note"] = [lever_note({**_clean(r), "product": shown}, lang, grain, gap["shortfall"],
                                gap["demand"], gap["unit"]) for r in frame.to_dict("records")]
    return frame


def line_levers(model: "Model", line: str, period: str, lang: str = "de") -> pd.DataFrame:
    """Pre-build and extra hours for the whole overload of one line-period (LINE_LEVER_COLUMNS)."""
    period = normalise_period(period)
    found = model.query("select line from mart_load where lower(line) = lower(?) and period = ?",
                        [str(line).strip(), period])
    if found.empty:
        raise UserError("model_line_unknown", params={"line": line, "period": period})
    line = found.iloc[0]["line"]
    frame = model.query(sql_text("line_levers"), {"line": line, "period": period,
                                                  "days": model.period_days, "grain": model.grain})
    frame = frame.reindex(columns=LINE_LEVER_COLUMNS).astype({"note": "object", "detail": "object"})
    singular, plural = period_words(model.grain, lang)
    notes = []
    for r in (_clean(r) for r in frame.to_dict("records")):
        if r["status"] == "no_overload":
            notes.append(render("line_lever_no_overload", lang, line=line,
                                period=fmt_period(period, lang)))
            continue
        note = render(f"line_lever_{r['lever']}_{r['status']}", lang, line=line,
                      period=fmt_period(period, lang), overload=fmt_number(r["overload_hours"], lang),
                      hours=fmt_number(r["closes_hours"], lang),
                      headroom=fmt_number(r["headroom_hours"], lang), k=_whole(r["k_periods"]),
                      count=r["products_in_shortfall"], period_word=singular, periods_word=plural,
                      periods=_periods_text(r["detail"], lang))
        if (r["lever"] == "prebuild" and r["status"] != "no_shelf_life"
                and (r["products_without_shelf_life"] or 0) > 0):
            note += " " + render("line_lever_shelf_life_missing", lang,
                                 count=r["products_without_shelf_life"])
        notes.append(note)
    frame["note"] = notes
    return frame


def _clean(row: dict) -> dict:
    """NaN/NA -> None, so that templates and checks see missing values as None."""
    return {k: (None if v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v)
            for k, v in row.items()}


def _whole(value: object) -> object:
    """A count of periods as written in a sentence: 5, not 5.0."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _losers_text(text: object, lang: str) -> str:
    """'100301 / Discount: 3355.63 Stk; ...' with the quantities in the reader's number format."""
    if not text or (isinstance(text, float) and math.isnan(text)):
        return "–"
    return re.sub(r"(?<=: )(-?\d+(?:\.\d+)?)", lambda m: fmt_units(float(m[1]), lang), str(text))


def best_lever(levers: pd.DataFrame) -> str | None:
    """The lever the agreement form proposes: the one that closes the most of the gap (units for a
    PMC, overload hours for a line), at the fewest hours when two close as much; None when no
    lever closes anything (the meeting then has to choose)."""
    if levers is None or levers.empty:
        return None
    closes = levers["closes_units"] if "closes_units" in levers else levers.get("closes_hours")
    if closes is None:
        return None
    hours = levers["hours"] if "hours" in levers else pd.Series(float("nan"), index=levers.index)
    ranked = pd.DataFrame({"lever": levers["lever"], "closes": pd.to_numeric(closes, errors="coerce"),
                           "hours": pd.to_numeric(hours, errors="coerce"),
                           "order": range(len(levers))})
    ranked = ranked[ranked["closes"].round(6) > 0]
    if ranked.empty:
        return None
    ranked = ranked.sort_values(["closes", "hours", "order"], ascending=[False, True, True],
                                na_position="last")
    return str(ranked.iloc[0]["lever"])
