"""CSV text: encoding (UTF-8 with/without BOM, UTF-16 with BOM, Windows-1252) and delimiter detection."""
from __future__ import annotations

import csv
import io
from collections import Counter

DELIMITERS = (";", ",", "\t")


def decode(data: bytes) -> str | None:
    """The text of a CSV file, or None where it is neither UTF-8 nor Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently into more than one field."""
    lines = text.splitlines()[:50]
    best, best_score = ",", (-1, -1)
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim) if any(c.strip() for c in r)]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        mode, freq = Counter(multi).most_common(1)[0]
        score = (freq, mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_rows(text: str) -> list[list[str]]:
    """All rows of the CSV as lists of text cells."""
    delim = detect_delimiter(text)
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]
