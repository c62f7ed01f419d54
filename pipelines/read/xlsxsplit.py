"""A big worksheet read on two cores: its rows cut in two workbooks that fastexcel parses at once.

calamine (under fastexcel) parses a worksheet in one pass on one core, and that pass was the
largest part of an upload (0.27 s of 0.8 s for a 10,000 x 104 forecast, docs/performance.md).
fastexcel releases the GIL while it parses, so two workbooks parse in two threads in about the
time of one. This module cuts the sheet's XML at a row boundary near its middle: the first
workbook keeps the rows above the cut, the second the rows from the cut on, each with the
original row numbers (`r="5024"`), so fastexcel (which places rows by that number, counted from
A1) returns them at their own rows. Both workbooks are stored uncompressed: the guard has already
inflated the XML (`guard.Sniffed.sheet_xml`), and nothing is inflated a second time.

The cut is made only where it is safe to read back exactly; anywhere else (`cut` returns None)
the sheet is read whole, as before:
- the XML is kept only between `WHOLE_MIN_BYTES` (smaller sheets gain a few milliseconds) and
  `WHOLE_MAX_BYTES` (while the halves are parsed, fastexcel holds a copy of each, about the XML's
  size more than a whole read: the large plan's forecast, 125 MB of XML, peaks at 676 MB against
  560 MB whole and reads in 3.5 s against 4.2 s; at 50,000 rows x 104 weeks, 150 MB, it would
  pass the 750 MB budget and is read whole);
- the row at the cut names its number, the row before it (where it names one) a smaller one, and
  the cut lies below the rows to read;
- the text before the cut ends a row (`</row>` or an empty `<row .../>`), so it is not inside
  an inline string's CDATA.
Every other part of the workbook (shared strings, styles, the workbook with its date system) is
copied unchanged; the other worksheets are replaced by empty ones, which fastexcel never opens.
"""
from __future__ import annotations

import io
import re
import threading
import zipfile
from dataclasses import dataclass, field

MB = 1 << 20
WHOLE_MIN_BYTES = 8 * MB
WHOLE_MAX_BYTES = 128 * MB
COPIED_MAX_BYTES = 16 * MB   # parts besides worksheets copied into both halves (else left out)

_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b[^>]*?(/?)>")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData\s*>")
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_R = re.compile(rb'\sr\s*=\s*["\'](\d+)["\']')
_ROW_ENDED = re.compile(rb"(?:</(?:\w+:)?row\s*>|<(?:\w+:)?row\b[^>]*/>)\s*$")
_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData/></worksheet>")


def keeps_whole(size: int) -> bool:
    """Whether the guard keeps a worksheet entry of this inflated size whole for `cut`."""
    return WHOLE_MIN_BYTES <= size <= WHOLE_MAX_BYTES


@dataclass
class Halves:
    """A sheet cut at `split_row` (0-based): `first()` builds the workbook with the rows above
    it, `second()` the one with the rows from it on (each in its reading thread: building one
    copies half the XML). Each is built once: when both are, the XML is let go, so that it is
    not held while the halves are parsed (at 125 MB of XML that was 225 MB more at the peak)."""

    archive: zipfile.ZipFile
    sheet_path: str
    xml: bytes | None
    rows_start: int   # offset of the first row (just after <sheetData>)
    at: int           # offset of the row at the cut
    rows_end: int     # offset of </sheetData>
    split_row: int
    _built: set = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def first(self) -> bytes:
        return self._build("first", lambda view: (view[:self.at], view[self.rows_end:]))

    def second(self) -> bytes:
        return self._build("second", lambda view: (view[:self.rows_start], view[self.at:]))

    def _build(self, part: str, pieces) -> bytes:
        with self._lock:
            if part in self._built or self.xml is None:
                raise RuntimeError(f"the {part} half was built already")
            xml = self.xml
        out = _workbook(self.archive, self.sheet_path, pieces(memoryview(xml)))
        with self._lock:
            self._built.add(part)
            if len(self._built) == 2:
                self.xml = None
        return out


def cut(archive: zipfile.ZipFile, sheet_path: str, xml: bytes, first_row: int) -> Halves | None:
    """`xml` (the worksheet `sheet_path` of `archive`) cut at a row near the middle, or None
    where it cannot be cut safely (see the module's docstring). `first_row` is the 0-based first
    row that will be read: the cut lies below it."""
    opened = _SHEET_DATA.search(xml)
    if opened is None or opened[1]:
        return None
    start = opened.end()
    closed = _SHEET_DATA_END.search(xml, max(start, xml.rfind(b"sheetData") - 16))
    if closed is None:
        return None
    end = closed.start()
    row = _ROW.search(xml, (start + end) // 2, end)
    if row is None or not _ROW_ENDED.search(xml, max(start, row.start() - 4096), row.start()):
        return None
    number = _R.search(row[0])
    if number is None:
        return None
    split_row = int(number[1]) - 1
    if split_row <= first_row:
        return None
    before = None
    for before in _ROW.finditer(xml, max(start, row.start() - 65_536), row.start()):
        pass
    if before is not None:
        previous = _R.search(before[0])
        if previous is not None and int(previous[1]) - 1 >= split_row:
            return None
    return Halves(archive, sheet_path, xml, start, row.start(), end, split_row)


def _workbook(archive: zipfile.ZipFile, sheet_path: str, sheet_xml: tuple[memoryview, ...]) -> bytes:
    """The workbook with `sheet_xml` (written piece by piece, never joined) as `sheet_path`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in archive.infolist():
            name = info.filename
            entry = zipfile.ZipInfo(name, date_time=info.date_time)
            if name == sheet_path:
                entry.file_size = sum(len(part) for part in sheet_xml)
                with dst.open(entry, "w") as fh:
                    for part in sheet_xml:
                        fh.write(part)
                continue
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                body = _EMPTY_SHEET
            elif info.file_size <= COPIED_MAX_BYTES:
                body = archive.read(name)
            else:  # a picture or a pivot cache: nothing fastexcel reads for the cells
                continue
            dst.writestr(entry, body)
    return out.getvalue()
