"""The dashboard's door to the one text catalogue and the locale formats (pipelines.text)."""
from __future__ import annotations

from pipelines.text import MESSAGES, render
from pipelines.text.format import (LANGS, compact, date, datetime, money, number,  # noqa: F401
                                   percent, period, priority_class)

TEXTS = MESSAGES  # every key of the catalogue, for pages that check whether a text exists


def t(key: str, lang: str, **params: object) -> str:
    """The text of a key in a language, from the one catalogue (German when the language is unknown)."""
    return render(key, lang, **params)


def plotly_separators(lang: str) -> str:
    """Plotly's `layout.separators`: decimal then thousands."""
    return ",." if lang == "de" else ".,"
