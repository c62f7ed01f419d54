"""Numbers, percentages, money, dates and periods in the user's language, through Babel; ISO
weeks through the standard library. The dashboard, the pack and the command line format here."""
from __future__ import annotations

import datetime as dt
import functools
import math
import re

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

LANGS = ("de", "en")
LANG_NAMES = {"de": "Deutsch", "en": "English"}  # each language in its own words, for the picker
LOCALES = {"de": "de_DE", "en": "en_US"}
MISSING = "–"

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def lang_code(value: object) -> str | None:
    """The language a link asks for: a code ('en') or its name ('English'), in any case; else None."""
    text = str(value or "").strip().casefold()
    return next((code for code, name in LANG_NAMES.items() if text in (code, name.casefold())), None)


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["de"])


# Babel parses the locale and the pattern on every call; the pack and the strategy check format
# thousands of figures, so both are parsed once (the same objects Babel would make each time).
@functools.lru_cache(maxsize=None)
def _babel_locale(lang: str) -> Locale:
    return Locale.parse(_locale(lang))


@functools.lru_cache(maxsize=256)
def _pattern(pattern: str) -> babel_numbers.NumberPattern:
    return babel_numbers.parse_pattern(pattern)


def finite(value: object) -> float | None:
    """A finite float, or None for missing, NaN and text."""
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def number(value: object, lang: str, decimals: int = 0, *, thousands: bool = True) -> str:
    """1.234,5 in German, 1,234.5 in English; '–' for missing values, never '-0'."""
    x = finite(value)
    if x is None:
        return MISSING if value is None or not isinstance(value, str) else value
    if round(x, decimals) == 0:
        x = 0.0
    pattern = ("#,##0" if thousands else "0") + ("." + "0" * decimals if decimals > 0 else "")
    return babel_numbers.format_decimal(x, format=_pattern(pattern), locale=_babel_locale(lang),
                                        decimal_quantization=True)


def figure(value: object, lang: str, decimals: int = 1) -> str:
    """A figure for a sentence: at most `decimals` decimals, trailing zeros dropped."""
    x = finite(value)
    if x is None:
        return MISSING
    if round(x, decimals) == 0:
        x = 0.0
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return babel_numbers.format_decimal(x, format=_pattern(pattern), locale=_babel_locale(lang))


def percent(value: object, lang: str, decimals: int = 0) -> str:
    """A ratio as percent: 0.875 -> '87,5 %' (de) / '87.5%' (en)."""
    x = finite(value)
    if x is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + (" %" if lang == "de" else "%")
    return _plain(babel_numbers.format_percent(x, format=_pattern(pattern), locale=_babel_locale(lang)))


def compact(value: object, lang: str) -> str:
    """Big numbers for the meeting-room screen: 1,2 Mio. / 1.2M; below a million in full."""
    x = finite(value)
    if x is None:
        return MISSING
    if abs(x) >= 1e6:
        return _plain(babel_numbers.format_compact_decimal(
            x, format_type="short", locale=_locale(lang), fraction_digits=1))
    return number(x, lang, 0)


def money(value: object, lang: str, *, compact_form: bool = True) -> str:
    """Euro amounts: '1,4 Mio. €' / '€1.4M' (compact), or '12.345 €' / '€12,345' in full."""
    x = finite(value)
    if x is None:
        return MISSING
    if compact_form and abs(x) >= 1e6:
        return _plain(babel_numbers.format_compact_currency(
            x, "EUR", locale=_locale(lang), fraction_digits=1))
    return _plain(babel_numbers.format_currency(round(x), "EUR", format="#,##0 ¤" if lang == "de"
                                                else "¤#,##0", locale=_locale(lang),
                                                currency_digits=False))


def _as_date(value: object) -> dt.date | dt.datetime | None:
    if value is None:
        return None
    try:
        import pandas as pd
        if pd.isna(value):
            return None
        return pd.Timestamp(value).to_pydatetime()
    except (TypeError, ValueError):
        return None


def date(value: object, lang: str) -> str:
    """27.11.2026 in German, 2026-11-27 in English."""
    stamp = _as_date(value)
    if stamp is None:
        return MISSING if value is None or not isinstance(value, str) else value
    day = stamp.date() if isinstance(stamp, dt.datetime) else stamp
    return babel_dates.format_date(day, "dd.MM.yyyy" if lang == "de" else "yyyy-MM-dd",
                                   locale=_locale(lang))


def datetime(value: object, lang: str) -> str:
    """27.11.2026 14:05 in German, 2026-11-27 14:05 in English."""
    stamp = _as_date(value)
    if stamp is None:
        return MISSING if value is None or not isinstance(value, str) else value
    return babel_dates.format_datetime(stamp, "dd.MM.yyyy HH:mm" if lang == "de"
                                       else "yyyy-MM-dd HH:mm", locale=_locale(lang))


_MONTHS = {  # three letters in both languages, as planners write them (Babel's German has "Sept.")
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def month_name(month: int, lang: str, wide: bool = False) -> str:
    """Month name: abbreviated 'Mär' / 'Mar', or in full (Babel) 'März' / 'March' for sentences."""
    if wide:
        return babel_dates.get_month_names("wide", locale=_locale(lang))[month]
    return _MONTHS[lang if lang in _MONTHS else "de"][month - 1]


def period(value: object, lang: str) -> str:
    """'2027-W05' -> 'KW 05/2027' (de) / 'W05 2027' (en); '2027-03' -> 'Mär 2027' / 'Mar 2027'."""
    text = "" if value is None else str(value)
    if m := _WEEK.match(text):
        year, week = m.groups()
        return f"KW {week}/{year}" if lang == "de" else f"W{week} {year}"
    if m := _MONTH.match(text):
        year, month = m.groups()
        return f"{month_name(int(month), lang)} {year}"
    return text


_PERIOD_IN_TEXT = re.compile(r"(?<![\w-])\d{4}-(?:W\d{2}|\d{2})(?![\w-])")


def periods_in(value: object, lang: str) -> str:
    """Every ISO period inside a composed text written as `period` writes it: an agreement's
    "Betrifft" `100301 / LEH 2026-W51 – 2026-W52 (2)` -> `100301 / LEH KW 51/2026 – KW 52/2026 (2)`."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _PERIOD_IN_TEXT.sub(lambda m: period(m.group(0), lang), str(value))


def priority_class(value: object) -> str:
    """Class 1/2/3 as the planner's A/B/C."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return MISSING
    return "ABCDEFGH"[n - 1] if 1 <= n <= 8 else str(n)


def _is_pieces(unit: object) -> bool:
    return unit is None or (isinstance(unit, float) and math.isnan(unit)) or str(unit).strip() in ("", "Stk")


def unit_label(unit: object, lang: str) -> str:
    """An article's unit as tables and chart axes show it: 'Stk'/'pcs' for pieces (the model
    writes every name of pieces as 'Stk'), any other unit as the master gives it ('kg', 'Becher')."""
    from pipelines.text import render
    return render("unit_pieces", lang) if _is_pieces(unit) else str(unit).strip()


def unit_word(unit: object, lang: str) -> str:
    """The unit in a sentence: 'Stück'/'units' for pieces, else the unit itself."""
    from pipelines.text import render
    return render("unit_pieces_word", lang) if _is_pieces(unit) else str(unit).strip()


def quantity(value: object, unit: object, lang: str, decimals: int | None = None) -> str:
    """A quantity with its unit: '17.963 Stk', '4.200 kg' (whole, below 10 with one decimal)."""
    x = finite(value)
    if decimals is None:
        decimals = 1 if x is not None and abs(x) < 10 and x != round(x) else 0
    return f"{number(value, lang, decimals)} {unit_label(unit, lang)}"
