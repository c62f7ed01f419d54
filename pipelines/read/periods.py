"""Period labels (spec section 3): ISO weeks, months and dates, in cells and in wide headers.

`parse_period` reads one label into a token: ('W', year, week), ('M', year, month) or ('D', date).
Dates stay dates until the whole file has been seen: where every date of the file's period field is
the first of a month the file is monthly (`resolve(token, monthly_dates=True)`), else weekly.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np

from pipelines.contract import UMLAUTS

Token = tuple

_MONTHS = {
    1: ("jan", "januar", "january", "jaenner", "jaen"),
    2: ("feb", "februar", "february", "febr"),
    3: ("mar", "maer", "maerz", "marz", "mrz", "march"),
    4: ("apr", "april"),
    5: ("mai", "may"),
    6: ("jun", "juni", "june"),
    7: ("jul", "juli", "july"),
    8: ("aug", "august"),
    9: ("sep", "sept", "september"),
    10: ("okt", "oct", "oktober", "october"),
    11: ("nov", "november"),
    12: ("dez", "dec", "dezember", "december"),
}
MONTH_NAMES = {name: month for month, names in _MONTHS.items() for name in names}

_WEEK_WORD = r"(?:kw|cw|wk|w|woche|week)"
_WEEK_YEAR_FIRST = re.compile(r"(\d{4})\s*[-/ ]?\s*" + _WEEK_WORD + r"\s*(\d{1,2})")
_WEEK_FIRST = re.compile(_WEEK_WORD + r"\s*\.?\s*(\d{1,2})\s*(?:[/.\-]\s*|\s)\s*(\d{4})")
# two-digit years need a separator: `KW 05/27`, `W05/27`, `KW 05.27` (yy is 20yy)
_WEEK_FIRST_YY = re.compile(_WEEK_WORD + r"\s*\.?\s*(\d{1,2})\s*[/.\-]\s*(\d{2})")
_MONTH_YEAR_FIRST = re.compile(r"(\d{4})\s*[-/]\s*(\d{1,2})")
_MONTH_FIRST = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_MONTH_NAME = re.compile(r"([a-z]+)\.?\s*[-/ .']?\s*(\d{4}|\d{2})")
# what a period header looks like even where it cannot be read (`KW 53/2027`, `KW 52/26x`)
_LOOKS_WEEK = re.compile(r"(?<![a-z])" + _WEEK_WORD + r"\s*\.?\s*\d")
_LOOKS_MONTH = re.compile(r"(?<![a-z])([a-z]+)\.?\s*[-/ .']?\s*\d{2}")
_LOOKS_NUMERIC = re.compile(r"\d{1,2}\s*[./]\s*(?:\d{4}|\d{1,2}\s*[./]\s*\d{2,4})|\d{4}\s*-\s*w?\d{1,2}(?:-\d{1,2})?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DE_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_YEARS = range(1900, 3000)


def has_week_53(year: int) -> bool:
    """ISO years with 53 weeks: those whose 28 December falls in week 53."""
    return dt.date(year, 12, 28).isocalendar()[1] == 53


def _week(year: int, week: int) -> Token | None:
    if year in _YEARS and 1 <= week <= (53 if has_week_53(year) else 52):
        return ("W", year, week)
    return None


def _month(year: int, month: int) -> Token | None:
    return ("M", year, month) if year in _YEARS and 1 <= month <= 12 else None


def _date(year: int, month: int, day: int) -> Token | None:
    try:
        return ("D", dt.date(year, month, day)) if year in _YEARS else None
    except ValueError:
        return None


def _fold(value: str) -> str:
    return " ".join(value.strip().lower().translate(UMLAUTS).split())


def month_name(text: object) -> int | None:
    """The month a bare month name names (`Mär`, `MÄRZ`, `Mrz.`, `Sept.`, `Dec`), else None."""
    if not isinstance(text, str):
        return None
    return MONTH_NAMES.get(_fold(text).rstrip("."))


def looks_like_period(value: object) -> bool:
    """Whether a header reads like a period (a week or month word with a number, a date-like
    number) even where it cannot be read: such a header is an error, never a dropped column."""
    if not isinstance(value, str):
        return False
    s = _fold(value)
    if not s or len(s) > 40:
        return False
    if _LOOKS_WEEK.search(s) or _LOOKS_NUMERIC.search(s):
        return True
    return any(m[1] in MONTH_NAMES for m in _LOOKS_MONTH.finditer(s))


def week_53_missing(value: object) -> int | None:
    """The year of a `KW 53/yyyy`-like label whose ISO year has no week 53, else None."""
    if not isinstance(value, str):
        return None
    s = _fold(value)
    for pattern in (_WEEK_FIRST, _WEEK_FIRST_YY):
        if (m := pattern.fullmatch(s)) and int(m[1]) == 53:
            year = _year(m[2])
            return year if not has_week_53(year) else None
    if (m := _WEEK_YEAR_FIRST.fullmatch(s)) and int(m[2]) == 53 and not has_week_53(int(m[1])):
        return int(m[1])
    return None


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def parse_period(value: object, grain_hint: str | None = None) -> Token | None:
    """A period token from a cell or header value; None where it is not a readable period.

    `grain_hint` ('week' where the period header names a week) reads `NN.YYYY` and `NN/YYYY` as
    weeks (SAP writes `49.2026`); without it they are months.
    """
    if isinstance(value, dt.date):   # a datetime too
        return _date(value.year, value.month, value.day)
    if isinstance(value, np.datetime64):
        return parse_period(value.astype("datetime64[D]").item())
    if not isinstance(value, str):
        return None
    s = _fold(value)
    if not s or len(s) > 40:
        return None
    if m := _WEEK_YEAR_FIRST.fullmatch(s):
        return _week(int(m[1]), int(m[2]))
    if m := _WEEK_FIRST.fullmatch(s):
        return _week(int(m[2]), int(m[1]))
    if m := _WEEK_FIRST_YY.fullmatch(s):
        return _week(_year(m[2]), int(m[1]))
    if m := _ISO_DATE.fullmatch(s):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DE_DATE.fullmatch(s):
        return _date(int(m[3]), int(m[2]), int(m[1]))
    if m := _MONTH_YEAR_FIRST.fullmatch(s):
        return _month(int(m[1]), int(m[2]))
    if m := _MONTH_FIRST.fullmatch(s):
        if grain_hint == "week":
            return _week(int(m[2]), int(m[1]))
        return _month(int(m[2]), int(m[1]))
    if (m := _MONTH_NAME.fullmatch(s)) and m[1] in MONTH_NAMES:
        return _month(_year(m[2]), MONTH_NAMES[m[1]])
    return None


def resolve(token: Token, monthly_dates: bool) -> tuple[str, str, dt.date]:
    """(label, grain, first day) of a token; dates become their month or their ISO week."""
    if token[0] == "D":
        day: dt.date = token[1]
        if monthly_dates:
            token = ("M", day.year, day.month)
        else:
            year, week, _ = day.isocalendar()
            token = ("W", year, week)
    if token[0] == "W":
        _, year, week = token
        return f"{year:04d}-W{week:02d}", "week", dt.date.fromisocalendar(year, week, 1)
    _, year, month = token
    return f"{year:04d}-{month:02d}", "month", dt.date(year, month, 1)


def dates_are_monthly(tokens) -> bool:
    """True where every date token is the first of a month, or every one the last day of its
    month (month-end dates as SAP and BW write them), and there is at least one date."""
    days = [t[1] for t in tokens if t[0] == "D"]
    if not days:
        return False
    return all(d.day == 1 for d in days) or all((d + dt.timedelta(days=1)).day == 1 for d in days)


def grain_hint_of(header: object) -> str | None:
    """'week' or 'month' where a period header names its grain (KW, Woche, Week / Monat, Month)."""
    from pipelines.contract import fold_header

    folded = fold_header(header)
    if folded in ("kw", "woche", "kalenderwoche", "week", "cw", "wk", "kwjahr", "weekyear"):
        return "week"
    if folded in ("monat", "month", "monatjahr", "monthyear"):
        return "month"
    return None
