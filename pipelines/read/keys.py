"""Key normal forms (spec section 1): product, market and line as text, priority classes as integers."""
from __future__ import annotations

import datetime as dt
import math

from pipelines.contract import PRIORITY_LETTERS


def number_text(value: float) -> str:
    """A numeric cell as key text: integral values lose the `.0` (123.0 -> '123')."""
    if math.isfinite(value) and float(value).is_integer() and abs(value) < 1e18:
        return str(int(value))
    return repr(float(value))


def text_key(value: object) -> str | None:
    """Market / line / free text: trimmed text as written; None where the cell is empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else number_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def product_key(value: object) -> str | None:
    """Product: trimmed text; a value made only of digits loses its leading zeros ('000123' -> '123'),
    and so does the text of an integral number ('100201.0', as a CSV written from a float column
    has it, is the number cell 100201.0: '100201')."""
    text = text_key(value)
    if text is not None and text.isascii():
        whole, dot, fraction = text.partition(".")
        if dot and whole.isdigit() and fraction and set(fraction) == {"0"}:
            text = whole
        if text.isdigit():
            return text.lstrip("0") or "0"
    return text


def key_for(field: str):
    """The normaliser of a key or text field."""
    return product_key if field == "product" else text_key


def priority_class(value: object) -> int | None:
    """A/B/C/D or 1/2/3/... as an integer class (A = 1, the most important); None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            return None
        return int(value) if value >= 1 else None
    text = str(value).strip().upper()
    if text in PRIORITY_LETTERS:
        return PRIORITY_LETTERS[text]
    if text.isascii() and text.isdigit() and int(text) >= 1:
        return int(text)
    return None
