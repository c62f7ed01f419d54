"""Finding the header row and the sheet's kind (spec section 2) on the first rows of a sheet."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from pipelines.contract import KINDS, UMLAUTS, alternate_field_for_header, field_for_header, fold_header
from pipelines.read.keys import number_text
from pipelines.read.periods import Token, looks_like_period, month_name, parse_period

HEADER_SEARCH_ROWS = 20
KEY_FIELDS = frozenset({"product", "market", "line"})
VALUE_FIELDS = frozenset({"quantity", "planned_quantity", "available_hours", "max_hours", "rate",
                          "priority_class"})
# kinds in the order they are preferred where a header row fits several
KIND_ORDER = ("forecast", "actuals", "plan", "capacity", "products", "alternates", "markets")
# the look-alike each name-word kind is chosen over
LOOK_ALIKE = {"actuals": "forecast", "alternates": "products"}
_WORDS = re.compile(r"[a-z]+")
_TOTAL_WORDS = (r"(?:summe|gesamt|gesamtsumme|gesamtergebnis|zwischensumme|ergebnis|total|totals|sum|"
                r"subtotal|grand total)")
# a totals word alone or with a group label: `Summe`, `Summe Butter`, `4711 Ergebnis`, `Total LEH`
TOTALS = re.compile(rf"^{_TOTAL_WORDS}\b|\b{_TOTAL_WORDS}$", re.IGNORECASE)


def is_totals_label(text: object) -> bool:
    """A totals word standing alone or with a group label (`Summe Butter`, `4711 Ergebnis`)."""
    return isinstance(text, str) and bool(TOTALS.search(text.strip()))


def header_text(value: object) -> str:
    """A header cell as the user sees it: text trimmed, numbers without `.0`, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


# where a name also says "forecast", the names do not name actuals: `Verkaufsplanung`,
# `Actualized_Forecast`, `Ist / Prognose` (inside German compounds too, so matched anywhere)
FORECAST_WORDS = ("prognose", "forecast", "planung", "plan", "vorschau", "budget")


def name_says(kind: str, *names: str) -> bool:
    """Whether a sheet or file name carries one of the kind's name words (word starts, umlauts folded)."""
    words = KINDS[kind].name_words
    if kind == "actuals" and any(w in " ".join(_WORDS.findall((name or "").lower().translate(UMLAUTS)))
                                 for name in names for w in FORECAST_WORDS):
        return False  # the sheet `Absatzplan` of `Ist_Stand.xlsx` is a forecast
    for name in names:
        folded = " ".join(_WORDS.findall((name or "").lower().translate(UMLAUTS)))
        tokens = folded.split()
        for w in words:
            if " " in w:
                if re.search(r"\b" + re.escape(w), folded):
                    return True
            elif any(t.startswith(w) for t in tokens):
                return True
    return False


@dataclass
class RowMatch:
    """What one candidate header row names."""

    row: int                                   # 0-based row in the sheet
    fields: dict[str, int]                     # field -> column index (first one)
    duplicates: dict[str, list[int]]           # field -> every column naming it, where more than one
    periods: dict[int, Token]                  # column -> period token of a wide period header
    texts: dict[int, str]                      # column -> header text as written
    bad_periods: dict[int, str] = field(default_factory=dict)  # column -> period-looking header not read
    totals_cols: dict[int, str] = field(default_factory=dict)  # column -> `Summe`/`Gesamt` header
    measures: dict[int, str] = field(default_factory=dict)     # period column -> measure word not read
    measure_problem: list[str] = field(default_factory=list)   # measures where none is a quantity
    header_rows: int = 1
    # field -> column of an alternates-only header (`Ausweichlinie`: the line of an alternates sheet)
    alternate: dict[str, int] = field(default_factory=dict)

    @property
    def line_is_alternate(self) -> bool:
        """The row's line column is an `Ausweichlinie`: the sheet lists alternate lines."""
        return "line" in self.alternate and self.fields.get("line") == self.alternate["line"]

    @property
    def score(self) -> int:
        return len(self.fields) + (1 if self.periods or self.bad_periods else 0)

    @property
    def headers(self) -> list[str]:
        """Header texts by column from A to the last named one, '' where a cell is blank."""
        return [self.texts.get(c, "") for c in range(max(self.texts, default=-1) + 1)]


def match_row(row_no: int, cells: list[object], mapping: dict[str, str],
              chosen_measure: str | None = None) -> RowMatch:
    """Fields and period columns one row names; the user's mapping wins over the aliases."""
    by_folded_header = {fold_header(h): f for f, h in mapping.items()}
    mapped_fields = set(mapping)
    fields: dict[str, list[int]] = {}
    periods: dict[int, Token] = {}
    measures: dict[int, str] = {}
    texts: dict[int, str] = {}
    alternate: dict[str, int] = {}
    for col, value in enumerate(cells):
        text = header_text(value)
        if not text:
            continue
        texts[col] = text
        folded = fold_header(text)
        f = by_folded_header.get(folded)
        if f is None:
            f = field_for_header(text)
            if f in mapped_fields:
                f = None
        if f is not None:
            fields.setdefault(f, []).append(col)
            continue
        alt = alternate_field_for_header(text)
        if alt is not None and alt not in mapped_fields:
            alternate.setdefault(alt, col)
            continue
        token = parse_period(value if not isinstance(value, float) else None)
        if token is None and isinstance(value, str):
            token, measure = split_measure(text)
            if token is not None:
                measures[col] = measure
        if token is not None:
            periods[col] = token
    if measures and not fields:
        # a title `Absatzplanung KW 48/2026` is no header: words around a period count only in a
        # row that names a field
        for c in measures:
            del periods[c]
        measures = {}
    _weeks_by_number(cells, periods)
    for f, col in alternate.items():
        fields.setdefault(f, [col])  # without a plain line column, the alternate line is the line
    named = {i for cols in fields.values() for i in cols} | set(alternate.values())
    totals = {c: t for c, t in texts.items() if c not in periods and c not in named and is_totals_label(t)}
    # only in a row that names a field or a period: a title `Absatzplanung KW 48/2026` is no header
    bad = {c: t for c, t in texts.items() if c not in periods and c not in named and c not in totals
           and (looks_like_period(t) or month_name(t) is not None)} if fields or periods else {}
    match = RowMatch(row_no, {f: cols[0] for f, cols in fields.items()},
                     {f: cols for f, cols in fields.items() if len(cols) > 1}, periods, texts, bad, totals,
                     alternate=alternate)
    _choose_measure(match, measures, chosen_measure)
    return match


QUANTITY_WORDS = ("menge", "absatzmenge", "prognose", "forecast", "forecasteddemand", "quantity", "qty",
                  "absatz", "stueck", "stk", "volume", "planmenge")


# a measure of the past beside the plan's (`Absatzmenge Vorjahr`, `Menge VJ`, `Ist-Menge`, `PY
# Qty`) is no forecast quantity: read, it was added to the plan's
# (not `Ist`/`actual`: in an actuals export the actual quantity is the one to read)
_PAST_WORDS = re.compile(r"vorjahr|prior\s*year|previous\s*year|last\s*year|(?<![a-z])(?:vj|py|ly)(?![a-z])")


def is_quantity_word(text: str, chosen: str | None = None) -> bool:
    """A measure named by a quantity word (Menge, Prognose, Forecast, Quantity, ...), or the
    measure the user chose; not a value (Umsatz) nor a past year's or actual quantity (Vorjahr)."""
    folded = fold_header(text)
    if chosen:
        return folded == fold_header(chosen)
    return any(w in folded for w in QUANTITY_WORDS) and not any(
        w in folded for w in ("umsatz", "revenue", "wert", "value", "eur")) and \
        not _PAST_WORDS.search(str(text).lower().translate(UMLAUTS))


def split_measure(text: str) -> tuple[Token | None, str]:
    """A period header with a measure or caption before or after it (`KW 05/2027 Menge`,
    `Absatzmenge (Stk) KW 01/2027`): (period token, measure text), or (None, '')."""
    words = text.split()
    for k in range(1, min(len(words), 5)):
        for period_words, rest in ((words[k:], words[:k]), (words[:-k], words[-k:])):
            token = parse_period(" ".join(period_words))
            if token is not None:
                return token, " ".join(rest)
    return None, ""


def _choose_measure(match: RowMatch, measures: dict[int, str], chosen: str | None = None) -> None:
    """Several measures over the period columns: read the quantity, list the others; where none is
    a quantity word, keep the measures for a refusal. One caption over all periods is no measure."""
    if not measures:
        return
    distinct = {fold_header(m) for m in measures.values()}
    plain = [c for c in match.periods if c not in measures]
    if len(distinct) == 1 and not plain and not chosen:
        return          # one caption (`Absatzmenge (Stk)`) over every period column
    quantity = {c for c, m in measures.items() if is_quantity_word(m, chosen)}
    if not quantity and not plain:
        match.measure_problem = sorted({m for m in measures.values()})
        return
    for c, m in measures.items():
        if c not in quantity and (quantity or plain):
            match.measures[c] = m
            del match.periods[c]


_NN_YYYY = re.compile(r"\s*(\d{1,2})\s*[./]\s*(\d{4})\s*")


def _weeks_by_number(cells: list[object], periods: dict[int, Token]) -> None:
    """`NN.YYYY` headers are weeks where one of them is above 12 (spec section 3), else months."""
    numbered = {c: m for c, v in enumerate(cells) if isinstance(v, str) and (m := _NN_YYYY.fullmatch(v))}
    if any(int(m[1]) > 12 for m in numbered.values()):
        for c, m in numbered.items():
            token = parse_period(cells[c], "week")
            if token is not None:
                periods[c] = token
            else:
                periods.pop(c, None)


_YEAR = re.compile(r"(?:(?:gj|fy|jahr|year|geschaeftsjahr)\s*)?((?:19|2\d)\d{2})")
_WEEK_ONLY = re.compile(r"(?:kw|cw|wk|w|woche|week)?\s*(\d{1,2})")


def _year_of(value: object) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value) if 1900 <= value < 3000 else None
    m = _YEAR.fullmatch(header_text(value).lower().translate(UMLAUTS))
    return int(m[1]) if m else None


def _period_like(value: object) -> bool:
    text = header_text(value)
    return bool(text) and (parse_period(value) is not None or looks_like_period(text)
                           or bool(_WEEK_ONLY.fullmatch(text.lower())) or month_name(text) is not None)


def compose(rows: list[list[object]]) -> list[object]:
    """Header rows read together (spec section 2): each column's cells joined top to bottom; a year
    or caption cell holds for the period columns to its right until the next one (a merged cell
    stands for every cell it covers); a year above `KW 51` reads `KW 51/2026`."""
    width = max(len(r) for r in rows)
    grid = [list(r) + [None] * (width - len(r)) for r in rows]
    bottom = grid[-1]
    for r in grid[:-1]:
        held = None
        for c in range(width):
            if header_text(r[c]):
                held = r[c]
            elif held is not None and _period_like(bottom[c]):
                r[c] = held
            else:
                held = None
    numbers = [int(m[1]) for v in bottom if (m := _WEEK_ONLY.fullmatch(header_text(v).lower()))]
    weeks = any(n > 12 for n in numbers) or any(re.match(r"(kw|cw|wk|w|woche|week)", header_text(v).lower())
                                                for v in bottom)
    out: list[object] = []
    # one year cell over `KW 51 KW 52 KW 01 KW 02` (or `Nov Dez Jan`): the periods run on into the
    # next year where their numbers start again, as the planner reads them
    held_year, rolled, last = None, 0, None
    for c in range(width):
        cells = [grid[k][c] for k in range(len(grid))]
        year = next((y for v in cells[:-1] if (y := _year_of(v)) is not None), None)
        low = header_text(bottom[c]).lower()
        if year != held_year:
            held_year, rolled, last = year, 0, None
        number = None
        if year is not None and (m := _WEEK_ONLY.fullmatch(low)):
            number = int(m[1])
        elif year is not None and month_name(low) is not None:
            number = month_name(low)
        if number is not None:
            # a wrap (KW 52 -> KW 01, Dez -> Jan), not periods written latest first (KW 05 KW 04)
            if last is not None and last - number >= (40 if weeks or number > 12 or last > 12 else 9):
                rolled += 1
            last = number
        if year is not None and (m := _WEEK_ONLY.fullmatch(low)):
            others = [header_text(v) for v in cells[:-1] if header_text(v) and _year_of(v) is None]
            label = f"KW {int(m[1]):02d}/{year + rolled}" if weeks else f"{int(m[1]):02d}/{year + rolled}"
            out.append(" ".join(others + [label]))
        elif year is not None and month_name(low) is not None:
            others = [header_text(v) for v in cells[:-1] if header_text(v) and _year_of(v) is None]
            out.append(" ".join(others + [f"{header_text(bottom[c])} {year + rolled}"]))
        else:
            parts = []
            for v in cells:
                text = header_text(v)
                if text and text not in parts:
                    parts.append(text)
            out.append(" ".join(parts) or None)
    return out


def missing_for(kind: str, match: RowMatch) -> tuple[list[str], str]:
    """(missing required fields, layout) of a row for a kind."""
    k = KINDS[kind]
    missing = [f for f in k.required if f not in match.fields]
    if k.wide_value and (match.periods or match.bad_periods) and "period" not in match.fields:
        return [f for f in missing if f not in ("period", k.wide_value)], "wide"
    return missing, "long"


def fits(kind: str, match: RowMatch, names: tuple[str, ...], forced: bool) -> str | None:
    """The layout if the row fits the kind (spec section 2 rules), else None."""
    missing, layout = missing_for(kind, match)
    if missing:
        return None
    have = set(match.fields)
    if forced:
        return layout
    # an `Ausweichlinie` as the only line says alternates as a sheet name would
    if kind in LOOK_ALIKE and not name_says(kind, *names) and not (kind == "alternates" and match.line_is_alternate):
        return None
    if kind == "forecast" and name_says("actuals", *names):
        return None
    if kind == "products" and (name_says("alternates", *names) or match.line_is_alternate):
        return None
    if kind == "plan" and layout == "wide" and ("market" in have or not name_says("plan", *names)):
        return None
    if kind == "capacity" and layout == "wide" and "product" in have:
        return None
    return layout


@dataclass
class Detection:
    """The outcome of header and kind detection on a sheet's head."""

    match: RowMatch | None = None
    kind: str | None = None
    layout: str = "long"
    closest: str | None = None
    missing: list[str] = field(default_factory=list)
    skip_reason: str | None = None    # 'empty' | 'not_data'
    measure: str | None = None        # the measure the user chose to read


def detect(head: list[list[object]], mapping: dict[str, str], kind: str | None,
           names: tuple[str, ...], header_row: int | None = None,
           measure: str | None = None) -> Detection:
    """The header row (first of the first 20 rows that fits a kind) and the kind and layout."""
    nonempty = [i for i, r in enumerate(head) if any(header_text(v) for v in r)]
    if not nonempty:
        return Detection(skip_reason="empty")
    first = nonempty[0]
    kinds = (kind,) if kind else KIND_ORDER
    candidates = []

    def fitting(m: RowMatch) -> Detection | None:
        for k in kinds:
            layout = fits(k, m, names, forced=kind is not None)
            if layout:
                if k == "alternates" and m.alternate:
                    # `Linie | Ausweichlinie | Leistung`: the alternate line is the line read
                    m = dataclasses.replace(m, fields={**m.fields, **m.alternate})
                return Detection(m, k, layout, measure=measure)
        return None

    for i in nonempty:
        if i >= first + HEADER_SEARCH_ROWS:
            break
        if header_row is not None and i != header_row - 1:
            continue
        m = match_row(i, head[i], mapping, measure)
        candidates.append(m)
        single = fitting(m)
        if single and not m.bad_periods:
            return single
        # a header over two or three rows: a year row above the weeks, a caption over the
        # periods, key headers merged down
        for depth in (2, 3):
            if i - depth + 1 < first:
                break
            composed = match_row(i, compose(head[i - depth + 1:i + 1]), mapping, measure)
            composed.header_rows = depth
            found = fitting(composed)
            if found and (single is None or len(composed.bad_periods) < len(m.bad_periods)):
                return found
        if single:
            return single
    if not candidates:      # the header row the user named is empty
        return Detection(RowMatch((header_row or 1) - 1, {}, {}, {}, {}), None)
    best = max(candidates, key=lambda m: m.score)
    widest = max(len([v for v in head[i] if header_text(v)]) for i in nonempty)
    table_rows = sum(1 for i in nonempty if len([v for v in head[i] if header_text(v)]) >= 2)
    if (best.score == 0 and (widest < 3 or table_rows < 2)) or (best.score == 1 and widest < 3):
        return Detection(best, skip_reason="not_data")
    named = set(best.fields)
    if best.score and not kind and not best.periods and not best.bad_periods \
            and not named & KEY_FIELDS and not named & VALUE_FIELDS:
        # a cover page with a change log (`Datum | Bearbeiter | Änderung`) names no key and no value
        return Detection(best, skip_reason="not_data")
    if best.score <= 1:
        # nothing known, or one period-looking cell: the header is the row that reads most like
        # one (most cells of words, not numbers), so the user can map its columns by hand
        best = max(candidates, key=lambda m: (_word_cells(head[m.row]), -m.row))
    closest, missing = None, None
    for k in kinds:
        miss, _ = missing_for(k, best)
        if missing is None or len(miss) < len(missing):
            closest, missing = k, miss
    if best.score == 0:  # no column is known: naming a "closest" kind would only mislead
        closest, missing = None, []
    if not missing and closest == "plan":
        missing = ["market"]    # a wide plan needs a plan-like name; without it, it lacks a market
        closest = "forecast"
    return Detection(best, None, closest=closest, missing=missing or [])


def _word_cells(cells: list[object]) -> int:
    """Cells holding words: text that is not a number."""
    count = 0
    for v in cells:
        text = header_text(v)
        if text and not isinstance(v, (int, float)) and not re.fullmatch(r"[-+]?[\d.,\s]+", text):
            count += 1
    return count


def signature(headers: list[str], periods: dict[int, Token] | None = None) -> str:
    """A stable hash of a header row's shape: folded texts, runs of period columns as one token."""
    parts: list[str] = []
    for col, text in enumerate(headers):
        if not text:
            continue
        part = "#period" if periods and col in periods else fold_header(text)
        if part == "#period" and parts and parts[-1] == "#period":
            continue
        parts.append(part)
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:16]


def remembered_mapping(head: list[list[object]], known: dict[str, dict[str, str]]) -> dict[str, str]:
    """The mapping remembered for the shape of one of the first rows, if any."""
    if not known:
        return {}
    for i, cells in enumerate(head[:HEADER_SEARCH_ROWS + 5]):
        texts = [header_text(v) for v in cells]
        if not any(texts):
            continue
        sig = signature(texts, match_row(i, cells, {}).periods)
        if sig in known:
            return dict(known[sig])
    return {}
