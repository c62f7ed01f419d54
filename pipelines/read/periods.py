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
_MONTH_YEAR_FIRST = re.compile(r"(\d{4})\s*[-/]\s*(\d{1,2})")
_MONTH_FIRST = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_MONTH_NAME = re.compile(r"([a-z]+)\.?\s*[-/ .']?\s*(\d{4})")
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


def parse_period(value: object) -> Token | None:
    """A period token from a cell or header value; None where it is not a readable period."""
    if isinstance(value, dt.date):   # a datetime too
        return _date(value.year, value.month, value.day)
    if isinstance(value, np.datetime64):
        return parse_period(value.astype("datetime64[D]").item())
    if not isinstance(value, str):
        return None
    s = " ".join(value.strip().lower().translate(UMLAUTS).split())
    if not s or len(s) > 40:
        return None
    if m := _WEEK_YEAR_FIRST.fullmatch(s):
        return _week(int(m[1]), int(m[2]))
    if m := _WEEK_FIRST.fullmatch(s):
        return _week(int(m[2]), int(m[1]))
    if m := _ISO_DATE.fullmatch(s):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DE_DATE.fullmatch(s):
        return _date(int(m[3]), int(m[2]), int(m[1]))
    if m := _MONTH_YEAR_FIRST.fullmatch(s):
        return _month(int(m[1]), int(m[2]))
    if m := _MONTH_FIRST.fullmatch(s):
        return _month(int(m[2]), int(m[1]))
    if (m := _MONTH_NAME.fullmatch(s)) and m[1] in MONTH_NAMES:
        return _month(int(m[2]), MONTH_NAMES[m[1]])
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
    """True where every date token is the first of a month (and there is at least one date)."""
    days = [t[1] for t in tokens if t[0] == "D"]
    return bool(days) and all(d.day == 1 for d in days)
