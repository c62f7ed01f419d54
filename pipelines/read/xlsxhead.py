"""The first rows of each xlsx worksheet, read by streaming the sheet XML.

fastexcel (and calamine under it) parse a whole sheet before returning its first row; finding the
header row that way would parse a big sheet twice. This reads just the head, with cell types (text,
number, date by number format, boolean) as Excel stores them.
"""
from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import zipfile
from defusedxml.ElementTree import fromstring, iterparse

_CHUNK = 1 << 16
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb'\b([rts])="([^"]*)"')
_V = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_T = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_RPH = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_REF = re.compile(rb"([A-Z]+)(\d+)")
_DATE_FORMAT_IDS = frozenset(range(14, 23)) | frozenset(range(27, 37)) | frozenset(range(45, 48)) \
    | frozenset(range(50, 59))
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


_MERGE = re.compile(rb'ref="\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)"')


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", code).lower()
    return bool(re.search(r"[dy]", code) or (("m" in code) and not re.search(r"[hs]", code)))


class XlsxHeads:
    """Reads the first rows of the worksheets of one xlsx/xlsm file."""

    def __init__(self, archive: zipfile.ZipFile, sheet_tails: dict[str, bytes] | None = None):
        self.archive = archive
        self.sheet_tails = sheet_tails or {}   # entry -> XML from `mergeCells` on (guard.Sniffed)
        wb = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {}
        shared = "xl/sharedStrings.xml"
        styles = "xl/styles.xml"
        for rel in rels:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[rel.get("Id")] = path
            kind = rel.get("Type", "")
            if kind.endswith("/sharedStrings"):
                shared = path
            elif kind.endswith("/styles"):
                styles = path
        self.date1904 = False
        self.sheets: dict[str, str] = {}
        self.hidden: set[str] = set()
        for el in wb.iter():
            name = _local(el.tag)
            if name == "workbookPr":
                self.date1904 = el.get("date1904", "0").lower() in ("1", "true")
            elif name == "sheet":
                rid = el.get(f"{{{_REL_NS}}}id") or el.get("id")
                if rid in targets:
                    self.sheets[el.get("name")] = targets[rid]
                if el.get("state", "visible").lower() in ("hidden", "veryhidden"):
                    self.hidden.add(el.get("name"))
        self._shared_path = shared
        self._shared: list[str] | None = None
        self._shared_iter = None
        self._date_styles = self._read_styles(styles)

    def _read_styles(self, path: str) -> set[int]:
        try:
            root = fromstring(self.archive.read(path))
        except KeyError:
            return set()
        custom = {}
        dates = set()
        for el in root.iter():
            if _local(el.tag) == "numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
        for el in root.iter():
            if _local(el.tag) == "cellXfs":
                for i, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                    fid = int(xf.get("numFmtId", "0"))
                    if fid in custom:
                        if _is_date_format(custom[fid]):
                            dates.add(i)
                    elif fid in _DATE_FORMAT_IDS:
                        dates.add(i)
        return dates

    def _shared_string(self, index: int) -> str | None:
        """Shared string by index, parsing sharedStrings.xml only as far as needed."""
        if self._shared is None:
            self._shared = []
            self._shared_iter = self._iter_shared()
        while len(self._shared) <= index and self._shared_iter is not None:
            try:
                self._shared.append(next(self._shared_iter))
            except StopIteration:
                self._shared_iter = None
        return self._shared[index] if index < len(self._shared) else None

    def _iter_shared(self):
        try:
            fh = self.archive.open(self._shared_path)
        except KeyError:
            return
        with fh:
            for _, el in iterparse(fh, events=("end",)):
                if _local(el.tag) == "si":
                    yield _si_text(el)
                    el.clear()

    def _serial(self, value: float) -> dt.date | dt.datetime:
        base = dt.datetime(1904, 1, 1) if self.date1904 else dt.datetime(1899, 12, 30)
        stamp = base + dt.timedelta(days=value)
        return stamp.date() if value == int(value) else stamp

    def merged(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """Merged ranges of a sheet as 0-based (first row, first col, last row, last col)."""
        path = self.sheets[sheet]
        if path in self.sheet_tails:
            data = self.sheet_tails[path]
        else:
            with self.archive.open(path) as fh:
                data = fh.read()
        at = data.rfind(b"<mergeCells")
        if at < 0:
            at = data.rfind(b":mergeCells")
        if at < 0:
            return []
        out = []
        for a_col, a_row, b_col, b_row in _MERGE.findall(data[at:]):
            out.append((int(a_row) - 1, _col_index(a_col), int(b_row) - 1, _col_index(b_col)))
        return out

    def head(self, sheet: str, nrows: int) -> list[list[object]]:
        """The first `nrows` rows of a sheet as a grid anchored at A1 (None for empty cells)."""
        buf = b""
        with self.archive.open(self.sheets[sheet]) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                buf += chunk
                if (not chunk or b"</sheetData>" in buf or _last_row_number(buf) > nrows
                        or buf.count(b"</row>") + buf.count(b":row>") > nrows):
                    break
        grid: list[list[object]] = []
        row_no = 0
        for rm in _ROW.finditer(buf):
            attrs = dict(_ATTR.findall(rm[1]))
            row_no = int(attrs[b"r"]) if b"r" in attrs else row_no + 1
            if row_no > nrows:
                break
            while len(grid) < row_no:
                grid.append([])
            cells = grid[row_no - 1]
            col = -1
            for cm in _CELL.finditer(rm[2] or b""):
                cattrs = dict(_ATTR.findall(cm[1]))
                ref = _REF.match(cattrs.get(b"r", b""))
                col = _col_index(ref[1]) if ref else col + 1
                value = self._value(cattrs, cm[2] or b"")
                if value is None:
                    continue
                while len(cells) <= col:
                    cells.append(None)
                cells[col] = value
        return grid

    def _value(self, attrs: dict, body: bytes) -> object:
        kind = attrs.get(b"t", b"n")
        if kind == b"inlineStr":
            return html.unescape(b"".join(_T.findall(_RPH.sub(b"", body))).decode("utf-8"))
        v = _V.search(body)
        if v is None:
            return None
        raw = html.unescape(v[1].decode("utf-8"))
        if kind == b"s":
            return self._shared_string(int(raw))
        if kind in (b"str", b"e", b"d"):
            return raw
        if kind == b"b":
            return raw == "1"
        number = float(raw)
        style = attrs.get(b"s")
        if style is not None and int(style) in self._date_styles:
            return self._serial(number)
        return number


def _last_row_number(buf: bytes) -> int:
    i = buf.rfind(b"<row ")
    if i < 0:
        i = buf.rfind(b":row ")
    m = re.search(rb'\br="(\d+)"', buf[i:i + 200]) if i >= 0 else None
    return int(m[1]) if m else 0


def _si_text(si) -> str:
    """Text of a shared string: plain or rich-text runs, without phonetic (rPh) runs."""
    parts = []
    for child in si:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)
