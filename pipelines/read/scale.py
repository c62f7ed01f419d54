"""The unit a number column's header names (spec section 2: quantities in units, hours in hours,
rates in units or kg per hour): `Absatzmenge (Tsd. Stück)` is in thousands, `Kapazität (min)` in
minutes, `Leistung (Stk/min)` per minute, `Leistung (t/h)` in tonnes per hour. Read without it,
each was stored 60 or 1,000 times too small or too large. A header unit that has no hour or
piece equivalent (`Kapazität (Schichten)`, `Leistung (Stk/Schicht)`) is refused.

The product master's fields that have a unit (net weight in kg, shelf life in days, price and
margin in EUR per unit, rate in units or kg per hour) know every unit they convert, and refuse any
other (`unknown`): `Gewicht (g)` read as kg was 1,000 times too heavy, without a word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipelines.contract import PER_COUNT, UMLAUTS

HOUR_FIELDS = frozenset({"available_hours", "max_hours", "changeover_hours"})
QUANTITY_FIELDS = frozenset({"quantity", "planned_quantity"})

# where a header names its unit: a bracket at its end, or a phrase after `in` (`Menge in 1.000 Stück`)
_BRACKET = re.compile(r"[\(\[]([^\)\]]*)[\)\]]")
_IN = re.compile(r"(?:^|\s)in\s+(.+)$")
# the whole unit is the multiplier, with a piece word at most: `Werk 1000`, `VKORG 1000`, `K-Artikel`
# are names, not units
_PIECES = r"(?:\s*(?:stk\.?|stueck|st\.?|pcs\.?|units?|einheiten|ce|kartons?))?"
_THOUSANDS = re.compile(r"^(?:tsd\.?|tausend|thousands?|1[.,' ]?000|'000|k)" + _PIECES + r"$|^tstk\.?$")
_MILLIONS = re.compile(r"^(?:mio\.?|millionen|millions?|1[.,' ]?000[.,' ]?000)" + _PIECES + r"$")
_MINUTES = re.compile(r"^(?:min|mins|minute|minuten|minutes)\.?$")
_SECONDS = re.compile(r"^(?:s|sek|sekunden|sec|secs|seconds?)\.?$")
_SHIFTS_DAYS = re.compile(r"^(?:schicht|schichten|shifts?|tag|tage|days?|wochen|weeks?)\.?$")
_PER = r"\s*(?:/|je|pro|per)\s*"
_RATE = re.compile(r"^(?P<what>[\w.]+)" + _PER + r"(?P<per>[\w.]+)$")
_PER_HOUR = {"h", "std", "std.", "stunde", "hour", "hr"}
_PER_MINUTE = {"min", "min.", "minute"}


@dataclass(frozen=True)
class Scale:
    """What a header's unit does to its numbers: multiply by `factor`; a rate may become kg per
    hour (`rate_unit`); `refused` names a unit with no hour or piece equivalent."""

    factor: float = 1.0
    rate_unit: str | None = None
    unit: str = ""              # the unit as the header writes it, for the note and the refusal
    refused: bool = False
    unknown: bool = False       # a unit this field does not know (`Gewicht (Pfund)`): refused
    per_kg: bool = False        # a price or margin per kg: times the article's kg per unit
    percent: bool = False       # a margin in % of the price


NONE = Scale()


def _units(header: str) -> list[str]:
    text = " ".join(str(header or "").lower().translate(UMLAUTS).split())
    found = [m.group(1).strip() for m in _BRACKET.finditer(text)]
    outside = _BRACKET.sub(" ", text)
    if (m := _IN.search(outside)) is not None:
        found.append(m.group(1).strip())
    return [u for u in found if u]


def header_scale(field: str, header: str | None) -> Scale:
    """The scale of a number field whose header is `header` (NONE where it names no unit we act on)."""
    if field in MASTER_UNIT_FIELDS:
        return master_scale(field, header)
    for unit in _units(header or ""):
        if field in QUANTITY_FIELDS:
            if _MILLIONS.match(unit):
                return Scale(1e6, unit=unit)
            if _THOUSANDS.match(unit):
                return Scale(1e3, unit=unit)
        elif field in HOUR_FIELDS:
            if _MINUTES.match(unit):
                return Scale(1 / 60, unit=unit)
            if _SECONDS.match(unit):
                return Scale(1 / 3600, unit=unit)
            if _SHIFTS_DAYS.match(unit):
                return Scale(unit=unit, refused=True)
        elif field == "rate" and (m := _RATE.match(unit)) is not None:
            what, per = m.group("what").rstrip("."), m.group("per")
            per_factor = 60.0 if per in _PER_MINUTE else 1.0 if per in _PER_HOUR else None
            if per_factor is None:
                return Scale(unit=unit, refused=True)  # per shift, day, week: hours unknown
            if what in ("t", "to", "tonne", "tonnen", "tonnes"):
                return Scale(per_factor * 1000, rate_unit="kg/h", unit=unit)
            if what in ("kg", "kilo", "kilogramm", "kilogram"):
                return Scale(per_factor, rate_unit="kg/h", unit=unit)
            if per_factor != 1.0:
                return Scale(per_factor, unit=unit)
    return NONE


# --- the product master's fields that have a unit --------------------------------------------

MASTER_UNIT_FIELDS = frozenset({"net_weight", "shelf_life_days", "min_remaining_shelf_life_days",
                                "price", "margin", "rate"})
# words beside a unit that say which figure, not in what: `Preis (netto)`, `Gewicht (kg, netto)`
_QUALIFIERS = re.compile(r"(?<![a-z])(?:netto|net)(?![a-z])")
_PIECE = ("stk", "stueck", "stck", "st", "pcs", "pc", "pce", "piece", "pieces", "unit", "units",
          "einheit", "einheiten", "me", "ea", "each", "ce", "karton", "kartons", "ktn", "krt",
          "case", "cases", "becher", "cup", "cups", "flasche", "flaschen", "bottle", "bottles",
          "packung", "packungen", "pack", "packs", "pck")
_PIECE_RE = "|".join(sorted(_PIECE, key=len, reverse=True))
_SPLIT_PER = re.compile(r"\s*(?:/|(?<![a-z])(?:je|pro|per)(?![a-z]))\s*")
# kilograms of one weight unit (as the model's `key_kg`: a unit's key is its name without dots or spaces)
WEIGHT_KG = {"kg": 1.0, "kgm": 1.0, "kilo": 1.0, "kilogramm": 1.0, "kilogram": 1.0, "kilograms": 1.0,
             "g": 0.001, "gr": 0.001, "gramm": 0.001, "gram": 0.001, "grams": 0.001,
             "lb": 0.45359237, "lbs": 0.45359237, "pound": 0.45359237, "pounds": 0.45359237,
             "oz": 0.028349523125, "ounce": 0.028349523125, "ounces": 0.028349523125}
# days of one shelf-life unit; a month is 30 days, as the pre-build lever counts a month (spec 5)
DURATION_DAYS = {**dict.fromkeys(("tag", "tage", "tagen", "day", "days", "d"), 1.0),
                 **dict.fromkeys(("woche", "wochen", "wo", "week", "weeks", "wk", "wks", "w"), 7.0),
                 **dict.fromkeys(("monat", "monate", "monaten", "mon", "mo", "mte", "month", "months"), 30.0),
                 **dict.fromkeys(("jahr", "jahre", "jahren", "year", "years", "yr", "yrs", "j", "y"), 365.0)}
_CURRENCY = {"eur": 1.0, "euro": 1.0, "euros": 1.0, "€": 1.0, "ct": 0.01, "cent": 0.01, "cents": 0.01}
# how many units a price is given for: `je 100 Stk`, `EUR/1000`, `EUR/Tsd. Stk`
_COUNT = {"10": 10.0, "100": 100.0, "1000": 1000.0, "tsd": 1000.0, "tausend": 1000.0, "k": 1000.0}
_PRICE_PER = re.compile(rf"^(?P<count>10|100|1000|tsd|tausend|k)?"
                        rf"(?P<what>{_PIECE_RE}|kg|kilo|kilogramm|t|to|tonne|tonnen)?$")
_RATE_MULT = {"tsd": 1e3, "tausend": 1e3, "thousand": 1e3, "thousands": 1e3, "1000": 1e3, "k": 1e3,
              "t": 1e3, "mio": 1e6, "1000000": 1e6}
_RATE_WHAT = re.compile(rf"^(?P<mult>tsd|tausend|thousands?|1000000|1000|k|mio|t(?=(?:{_PIECE_RE})$))?"
                        rf"(?P<what>{_PIECE_RE}|kg|kilo|kilogramm|kilogram|t|to|tonne|tonnen|tonnes)?$")
_PER_HOUR_WORDS = {"h", "std", "stunde", "stunden", "hour", "hours", "hr", "hrs"}
_PER_MINUTE_WORDS = {"min", "minute", "minuten", "minutes", "mins"}
_PER_SECOND_WORDS = {"s", "sek", "sekunde", "sekunden", "sec", "secs", "second", "seconds"}
_PER_UNKNOWN_HOURS = {"schicht", "schichten", "shift", "shifts", "tag", "tage", "day", "days", "d",
                      "woche", "week", "w", "wo"}


def _compact(text: str) -> str:
    return re.sub(r"[\s.]+", "", text)


def _master_units(header: str) -> list[str]:
    """The units a master header names, as written: each bracket, and a count after the name
    (`Preis je 100 Stk`)."""
    text = " ".join(str(header or "").split())
    found = [m.group(1).strip() for m in _BRACKET.finditer(text)]
    outside = _BRACKET.sub(" ", text).strip()
    if (m := PER_COUNT.search(outside)) is not None:
        found.append(m.group(0).strip())
    return found


def master_scale(field: str, header: str | None) -> Scale:
    """The scale of a master field with a unit: NONE without a unit (or with only `netto`), the
    factor to the contract's unit, or `unknown` for a unit the field does not know."""
    scale = NONE
    for written in _master_units(header or ""):
        unit = re.sub(r"^in\s+", "", _QUALIFIERS.sub(" ", written.lower().translate(UMLAUTS))).strip(" ,;")
        if not unit:
            continue  # `(netto)`: which figure, not in what unit
        one = replace(_one_master_unit(field, unit), unit=written)
        if one.unknown or one.refused:
            return one
        if scale is NONE:
            scale = one
        else:  # `Preis (EUR) je 100 Stk`: both apply
            scale = Scale(scale.factor * one.factor, scale.rate_unit or one.rate_unit,
                          f"{scale.unit}, {written}", per_kg=scale.per_kg or one.per_kg,
                          percent=scale.percent or one.percent)
    return scale


def _one_master_unit(field: str, unit: str) -> Scale:
    compact = _compact(unit)
    if field == "net_weight":
        what, _, per = _SPLIT_PER.sub("/", unit).partition("/")
        what, per = _compact(what), _compact(per)
        if what in WEIGHT_KG and (not per or per in _PIECE):
            return Scale(WEIGHT_KG[what])
    elif field in ("shelf_life_days", "min_remaining_shelf_life_days"):
        if compact in DURATION_DAYS:
            return Scale(DURATION_DAYS[compact])
    elif field in ("price", "margin"):
        if field == "margin" and (compact.startswith("%") or compact.startswith(("prozent", "percent"))):
            return Scale(percent=True)
        return _money(unit)
    elif field == "rate":
        return _rate(unit)
    return Scale(unknown=True)


def _money(unit: str) -> Scale:
    """EUR or ct, per piece, per 10/100/1000 pieces, or per kg (`EUR/kg`, `ct/100 kg`, `€/t`)."""
    parts = [_compact(p) for p in _SPLIT_PER.split(unit, maxsplit=1)]
    currency, per = (parts + [""])[:2]
    if currency and currency not in _CURRENCY:   # `(USD)`, `(%)`; a bare `(Stk)` says nothing of money
        return Scale(unknown=True)
    factor = _CURRENCY.get(currency, 1.0)
    if not per:
        return Scale(factor) if currency else Scale(unknown=True)
    m = _PRICE_PER.match(per)
    if m is None or not (m["count"] or m["what"]):
        return Scale(unknown=True)
    if m["count"] == "k" and m["what"] is None:
        return Scale(unknown=True)   # `EUR/k` alone says too little
    count = _COUNT[m["count"]] if m["count"] else 1.0
    what = m["what"] or ""
    if what in ("kg", "kilo", "kilogramm"):
        return Scale(factor / count, per_kg=True)
    if what in ("t", "to", "tonne", "tonnen"):
        return Scale(factor / count / 1000.0, per_kg=True)
    return Scale(factor / count)


def _rate(unit: str) -> Scale:
    """Units or kg per hour or minute, in thousands where the unit says so (`Tsd. Stk/h`)."""
    parts = [_compact(p) for p in _SPLIT_PER.split(unit, maxsplit=1)]
    if len(parts) != 2:
        return Scale(unknown=True)
    what, per = parts
    if per in _PER_HOUR_WORDS:
        per_factor = 1.0
    elif per in _PER_MINUTE_WORDS:
        per_factor = 60.0
    elif per in _PER_SECOND_WORDS:
        per_factor = 3600.0
    elif per in _PER_UNKNOWN_HOURS:
        return Scale(refused=True)   # per shift, day, week: the hours are not known
    else:
        return Scale(unknown=True)
    m = _RATE_WHAT.match(what)
    if m is None:
        return Scale(unknown=True)
    mult = _RATE_MULT[m["mult"]] if m["mult"] else 1.0
    base = m["what"] or ""
    if base in ("t", "to", "tonne", "tonnen", "tonnes"):
        return Scale(per_factor * mult * 1000.0, rate_unit="kg/h")
    if base in ("kg", "kilo", "kilogramm", "kilogram"):
        return Scale(per_factor * mult, rate_unit="kg/h")
    return Scale(per_factor * mult)
