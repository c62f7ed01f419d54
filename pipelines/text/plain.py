"""Text from a file or a user, shown as text: never markdown, HTML, a link, an image or a formula."""
from __future__ import annotations

import re

import pandas as pd

# what makes markdown out of text: links and images ([ ] !), HTML and entities (< > &), emphasis
# and code (* _ ~ `), tables (|), LaTeX ($), e-mail autolinks (@), Streamlit's directives and
# icons (:red[...], :material/x:, and :// of a bare URL); a colon before a digit (12:30) is text
_MARKDOWN = re.compile(r"([\\`*_\[\]{}<>!|~$&@]|:(?=[A-Za-z/_+-]))")
# at the start of a text: a heading, quote, list item or rule
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)](?=\s|$))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# a signed number as the dashboard shows it ("-1.234,5", "+12 %", "-3 pp") is no formula
_SIGNED_NUMBER = re.compile(r"^[+-]\d[\d.,]*( ?%| %-Pkt\.| pp| h)?$")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return _CONTROL.sub("", str(value)).replace("\r", " ").replace("\n", " ")


def markdown(value: object) -> str:
    """`value` for an element that renders markdown (st.markdown, captions, titles, labels)."""
    escaped = _MARKDOWN.sub(r"\\\1", _text(value))
    return _BLOCK_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped)


def html(value: object) -> str:
    """`value` for a place that reads HTML-like markup (plotly labels, reportlab paragraphs)."""
    return _text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _SIGNED_NUMBER.match(value):
        return "'" + value
    return value


def csv(frame: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV (with BOM, so Excel reads the umlauts) in which no cell is a formula."""
    out = frame.copy()
    for column in out.columns:
        out[column] = out[column].map(csv_cell)
    out.columns = [csv_cell(str(c)) for c in out.columns]
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
