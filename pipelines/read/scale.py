"""The unit a number column's header names (spec section 2: quantities in units, hours in hours,
rates in units or kg per hour): `Absatzmenge (Tsd. Stück)` is in thousands, `Kapazität (min)` in
minutes, `Leistung (Stk/min)` per minute, `Leistung (t/h)` in tonnes per hour. Read without it,
each was stored 60 or 1,000 times too small or too large. A header unit that has no hour or
piece equivalent (`Kapazität (Schichten)`, `Leistung (Stk/Schicht)`) is refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.contract import UMLAUTS

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
