"""The dashboard's door to the one text catalogue and the locale formats (pipelines.text)."""
from __future__ import annotations

from pipelines.text import MESSAGES, plain, render
from pipelines.text.format import (LANG_NAMES, LANGS, compact, date, datetime,  # noqa: F401
                                   lang_code, money, number, percent, period, priority_class,
                                   quantity, unit_label)

TEXTS = MESSAGES  # every key of the catalogue, for pages that check whether a text exists


def t(key: str, lang: str, **params: object) -> str:
    """The text of a key for a markdown-rendering element: every parameter (data from a file or a
    user) is escaped, so it shows as typed and never as a link, an image or HTML."""
    return t_text(key, lang, **{k: v if isinstance(v, (int, float)) else plain.markdown(v)
                                for k, v in params.items()})


def t_text(key: str, lang: str, **params: object) -> str:
    """The text of a key as plain text (option labels, chart texts, tables): nothing escaped."""
    return render(key, lang, **params)


def plotly_separators(lang: str) -> str:
    """Plotly's `layout.separators`: decimal then thousands."""
    return ",." if lang == "de" else ".,"
