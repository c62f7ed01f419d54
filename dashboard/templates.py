"""Empty input templates (xlsx) with German or English headers the reader recognises."""
from __future__ import annotations

import io

import xlsxwriter

from pipelines.contract import KINDS
from pipelines.text import field_label, kind_label

# German field names the header matcher does not know as such
_TEMPLATE_HEADERS = {("priority_class", "de"): "Klasse",
                     ("min_remaining_shelf_life_days", "en"): "Min remaining shelf life (days)"}


def template_header(field: str, lang: str) -> str:
    """The header a template writes for a field: the field's name, as the reader recognises it."""
    header = _TEMPLATE_HEADERS.get((field, lang)) or field_label(field, lang)
    return header[:1].upper() + header[1:]


def template(kind: str, lang: str) -> bytes:
    """An empty xlsx for one input kind with headers in the language; text never becomes a formula."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#eef1f5", "border": 1})
    required = book.add_format({"bold": True, "bg_color": "#c6dbef", "border": 1})
    sheet = book.add_worksheet(kind_label(kind, lang)[:31])
    spec = KINDS[kind]
    for col, field in enumerate(spec.fields):
        header = template_header(field, lang)
        sheet.write_string(0, col, header, required if field in spec.required else bold)
        sheet.set_column(col, col, max(14, len(header) + 4))
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
