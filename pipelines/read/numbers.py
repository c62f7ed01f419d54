"""Numbers written as text: German `1.234,5`, English `1,234.5`, dashes, and the ambiguous `1.234`.

A text number is classified on its own first (`parse_text_number`); the file's style then decides the
ambiguous ones (`resolve`): if the file holds unambiguous German numbers it is German, English ones
English, neither or both: undecided.
"""
from __future__ import annotations

import re
from typing import NamedTuple

GERMAN, ENGLISH = "de", "en"
DASHES = frozenset({"-", "–", "—", "−", "--"})

_SPACE_GROUPS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f']\d{3})+(?:[.,]\d+)?")
_PLAIN = re.compile(r"\d+|\d+(?:\.\d+)?[eE][+-]?\d+")
_DE_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?")
_EN_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?")
_COMMA_DECIMAL = re.compile(r"\d*,\d+")
_POINT_DECIMAL = re.compile(r"\d*\.\d+")
_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")
_CURRENCY = re.compile(r"^(?:€|eur)\s*|\s*(?:€|eur)$", re.IGNORECASE)


class TextNumber(NamedTuple):
    """What a text cell says as a number. `style` is None for a style-neutral number."""

    kind: str               # 'number' | 'de' | 'en' | 'ambiguous' | 'dash' | 'invalid'
    german: float | None    # value read the German way
    english: float | None   # value read the English way


INVALID = TextNumber("invalid", None, None)


def parse_text_number(text: str) -> TextNumber:
    """Classify one text cell as a number, without knowing the file's style."""
    s = text.strip()
    if s in DASHES:
        return TextNumber("dash", 0.0, 0.0)
    s = _CURRENCY.sub("", s)
    sign = 1.0
    if s[:1] in "-−+" and len(s) > 1:
        sign = -1.0 if s[0] != "+" else 1.0
        s = s[1:].lstrip()
    elif s.endswith("-") and len(s) > 1:      # SAP writes negatives as 123-
        sign, s = -1.0, s[:-1].rstrip()
    if _SPACE_GROUPS.fullmatch(s):
        s = re.sub(r"[ \u00a0\u202f']", "", s)
    if not s:
        return INVALID
    if _PLAIN.fullmatch(s):
        v = sign * float(s)
        return TextNumber("number", v, v)
    if _AMBIGUOUS.fullmatch(s):
        if "," in s:      # 1,234: German 1.234, English 1234
            de, en = float(s.replace(",", ".")), float(s.replace(",", ""))
        else:             # 1.234: German 1234, English 1.234
            de, en = float(s.replace(".", "")), float(s)
        return TextNumber("ambiguous", sign * de, sign * en)
    if _DE_THOUSANDS.fullmatch(s) or _COMMA_DECIMAL.fullmatch(s):
        return TextNumber("de", sign * float(s.replace(".", "").replace(",", ".")), None)
    if _EN_THOUSANDS.fullmatch(s) or _POINT_DECIMAL.fullmatch(s):
        return TextNumber("en", None, sign * float(s.replace(",", "")))
    return INVALID


def file_style(kinds: set[str] | dict[str, int]) -> str | None:
    """The style a file's unambiguous text numbers point to, or None where they do not decide it."""
    has_de, has_en = GERMAN in kinds, ENGLISH in kinds
    if has_de and not has_en:
        return GERMAN
    if has_en and not has_de:
        return ENGLISH
    return None


def resolve(number: TextNumber, style: str | None) -> float | None:
    """The value of a classified text number under the file's style; None if invalid or undecided."""
    if number.kind in ("number", "dash", "de"):
        return number.german
    if number.kind == "en":
        return number.english
    if number.kind == "ambiguous" and style is not None:
        return number.german if style == GERMAN else number.english
    return None


def format_german(value: float, decimals: int = 2, thousands: bool = True) -> str:
    """`1234.5` -> `1.234,50` (the meeting pack, tests and fixtures)."""
    s = f"{value:,.{decimals}f}" if thousands else f"{value:.{decimals}f}"
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_english(value: float, decimals: int = 2, thousands: bool = True) -> str:
    """`1234.5` -> `1,234.50` (the meeting pack, tests and fixtures)."""
    return f"{value:,.{decimals}f}" if thousands else f"{value:.{decimals}f}"
