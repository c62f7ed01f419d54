"""User-facing texts of the ingest concept, German and English, by key (merged into MESSAGES)."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "period_header_unreadable": {
        "de": "„{value}“ in {cell} sieht aus wie eine Periode, ist aber keine Woche und kein Monat, den Einklang lesen kann; die Spalte wird nicht stillschweigend verworfen. Bitte als „KW 05/2027“, „2027-W05“ oder „03/2027“ schreiben oder die Spalte löschen.",
        "en": "\"{value}\" in {cell} looks like a period but is not a week or month Einklang can read; the column is not dropped silently. Please write it as \"KW 05/2027\", \"2027-W05\" or \"03/2027\", or delete the column.",
    },
    "period_header_week53": {
        "de": "„{value}“ in {cell}: das Jahr {year} hat keine Kalenderwoche 53 (nur ISO-Jahre wie 2026 oder 2032 haben sie). Bitte die Spalte prüfen.",
        "en": "\"{value}\" in {cell}: the year {year} has no ISO week 53 (only ISO years such as 2026 or 2032 have one). Please check the column.",
    },
    "totals_row_mismatch": {
        "de": "Zeile sieht aus wie eine Summenzeile („{label}“), ergibt aber nicht die Summe der Zeilen, die sie abschließt: hier {value}, die Zeilen darüber ergeben {expected}. Da ihre Schlüssel unvollständig sind, kann sie auch kein Datensatz sein. Bitte die Summe oder die Zeilen darüber prüfen.",
        "en": "The row looks like a totals row (\"{label}\") but is not the sum of the rows it closes: {value} here, the rows above add up to {expected}. Its keys are incomplete, so it cannot be a record either. Please check the total or the rows above it.",
    },
    "totals_column_mismatch": {
        "de": "Die Summenspalte ergibt in dieser Zeile nicht die Summe ihrer Periodenspalten: hier {value}, die Perioden ergeben {expected}. Eine Spalte fehlt oder eine Zahl ist falsch; bitte prüfen.",
        "en": "The totals column is not the sum of its period columns in this row: {value} here, the periods add up to {expected}. A column is missing or a figure is wrong; please check.",
    },
    "measure_not_quantity": {
        "de": "Das Blatt enthält mehrere Kennzahlen ({value}), aber keine davon ist eine Menge (Menge, Absatzmenge, Prognose, Forecast, Quantity). Bitte die Kennzahl wählen, die gelesen werden soll (Zuordnung „Kennzahl“), oder nur die Mengenspalten exportieren.",
        "en": "The sheet holds several measures ({value}) but none is a quantity (Menge, Absatzmenge, Prognose, Forecast, Quantity). Please choose the measure to read (mapping \"measure\") or export the quantity columns only.",
    },
    "mapping_header_row": {"de": "Kopfzeile (Excel-Zeile, 0 = automatisch)", "en": "Header row (Excel row, 0 = automatic)"},
    "mapping_header_row_help": {"de": "Die Zeile mit den Spaltenköpfen, wenn Einklang eine andere gewählt hat (innerhalb der ersten 25 Zeilen).",
                                "en": "The row holding the column headers, where Einklang chose another one (within the first 25 rows)."},
    "mapping_measure": {"de": "Kennzahl, die gelesen wird", "en": "Measure to read"},
    "mapping_measure_help": {"de": "Bei mehreren Kennzahlen ohne Mengenwort (z. B. „Basis“ und „Promo“): die Kennzahl, die die Menge enthält.",
                             "en": "With several measures and no quantity word (e.g. \"Basis\" and \"Promo\"): the measure that holds the quantity."},
    "as_of_used": {
        "de": "Stand der Prognose: {date} ({source})",
        "en": "Forecast as of: {date} ({source})",
    },
    "as_of_given": {"de": "angegeben", "en": "given"},
    "as_of_name": {"de": "Montag der Zykluswoche im Datei- oder Blattnamen", "en": "Monday of the cycle week in the file or sheet name"},
    "as_of_today": {"de": "Tag des Hochladens; kein Zyklus im Dateinamen", "en": "upload day; no cycle week in the file name"},
    "as_of_auto_help": {"de": "Leer lassen: Montag der Zykluswoche aus dem Dateinamen (z. B. Absatzplanung_KW48_2026.xlsx), sonst heute.",
                        "en": "Leave empty: the Monday of the cycle week in the file name (e.g. Absatzplanung_KW48_2026.xlsx), else today."},
    "reconciliation_title": {"de": "Abgleich je Blatt: gelesen gegen gespeichert", "en": "Reconciliation per sheet: read against stored"},
    "col_cells_read": {"de": "Zellen gelesen", "en": "Cells read"},
    "col_sum_read": {"de": "Summe gelesen", "en": "Sum read"},
    "col_sum_stored": {"de": "Summe gespeichert", "en": "Sum stored"},
    "col_totals_checked": {"de": "Summen geprüft und übersprungen", "en": "Totals checked and skipped"},
    "col_columns_not_read": {"de": "Spalten nicht gelesen", "en": "Columns not read"},
    "col_why": {"de": "Grund", "en": "Why"},
    "skipped_title": {"de": "Übersprungene Blätter", "en": "Sheets skipped"},
    "changes_title": {"de": "Was sich gegenüber der aktuellen Version ändert", "en": "What changes against the current version"},
    "changes_rows": {"de": "{kind}: {before} → {after} Zeilen gegenüber Version {version} ({mode})",
                     "en": "{kind}: {before} → {after} rows against version {version} ({mode})"},
    "changes_first": {"de": "{kind}: erste Version, {after} Zeilen", "en": "{kind}: first version, {after} rows"},
    "changes_mode_replace": {"de": "ersetzt die ganze Version", "en": "replaces the whole version"},
    "changes_mode_merge": {"de": "ersetzt nur, was die Datei enthält; der Rest bleibt", "en": "replaces only what the file holds; the rest is kept"},
    "changes_totals": {"de": "Summe {value} je {group}", "en": "Total {value} per {group}"},
    "col_before_upload": {"de": "Vorher", "en": "Before"},
    "col_after_upload": {"de": "Nachher", "en": "After"},
    "col_delta_upload": {"de": "Differenz", "en": "Difference"},
    "changes_new_pmcs": {"de": "Neue Artikel-Markt-Kombinationen ({count}): {items}", "en": "New product-market combinations ({count}): {items}"},
    "changes_new_product": {"de": "Neue Artikel ({count}): {items}", "en": "New products ({count}): {items}"},
    "changes_gone_product": {"de": "Artikel, die wegfallen ({count}): {items}", "en": "Products that disappear ({count}): {items}"},
    "changes_new_market": {"de": "Neue Märkte ({count}): {items}", "en": "New markets ({count}): {items}"},
    "changes_gone_market": {"de": "Märkte, die wegfallen ({count}): {items}", "en": "Markets that disappear ({count}): {items}"},
    "changes_new_line": {"de": "Neue Linien ({count}): {items}", "en": "New lines ({count}): {items}"},
    "changes_gone_line": {"de": "Linien, die wegfallen ({count}): {items}", "en": "Lines that disappear ({count}): {items}"},
    "upload_as_of_preview": {"de": "Stand der Prognose (vor dem Übernehmen änderbar)", "en": "Forecast as of (can be changed before storing)"},
}

# why a sheet was skipped (merged into catalogue.SKIP_REASONS)
SKIP_REASONS: dict[str, dict[str, str]] = {
    "hidden": {"de": "ausgeblendet (meist ein älterer Planungsstand; wird nur gelesen, wenn Sie es ausdrücklich nennen)",
               "en": "hidden (usually an older cycle; read only where you name it)"},
}

# fields that shape reading without being stored (merged into catalogue.FIELD_NAMES)
FIELD_NAMES: dict[str, dict[str, str]] = {
    "shift": {"de": "Schicht", "en": "shift"},
    "measure": {"de": "Kennzahl", "en": "measure"},
    "year": {"de": "Jahr", "en": "year"},
}


def _number(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.translate(str.maketrans(",.", ".,")) if lang == "de" else text


def _t(key: str, lang: str, **params) -> str:
    from pipelines.text.catalogue import render  # the catalogue imports this table first
    return render(key, lang, **params)


def as_of_text(result, lang: str) -> str | None:
    """The as-of date an upload will use and where it comes from, or None without a forecast."""
    if result.as_of is None:
        return None
    day = result.as_of.strftime("%d.%m.%Y") if lang == "de" else result.as_of.isoformat()
    return _t("as_of_used", lang, date=day, source=_t(f"as_of_{result.as_of_source or 'today'}", lang))


def reconciliation_frame(result, lang: str):
    """The reconciliation as a display table (the upload preview)."""
    import pandas as pd

    columns = ["col_sheet", "col_cells_read", "col_sum_read", "col_sum_stored", "col_totals_checked",
               "col_columns_not_read"]
    rows = [[r["sheet"], r["cells_read"], _number(r["sum_read"], lang), _number(r["sum_stored"], lang),
             ", ".join(r["totals_checked"]) or "–", ", ".join(r["columns_not_read"]) or "–"]
            for r in result.reconciliation]
    return pd.DataFrame(rows, columns=[_t(c, lang) for c in columns])


def skipped_frame(result, lang: str):
    """The sheets skipped and why, as a display table."""
    import pandas as pd

    rows = [[s["sheet"], s["why"]] for s in result.skipped_sheets(lang)]
    return pd.DataFrame(rows, columns=[_t("col_sheet", lang), _t("col_why", lang)])


def reconciliation_lines(result, lang: str) -> list[str]:
    """The CLI's report of what was read per sheet, what was skipped and the as-of date used."""
    de = lang == "de"
    lines = []
    if result.as_of is not None:
        source = {"given": ("angegeben", "given"), "name": ("aus dem Dateinamen", "from the file name"),
                  "today": ("Tag des Hochladens", "upload day")}[result.as_of_source or "today"]
        lines.append(f"  {'Stand' if de else 'As of'}: {result.as_of.isoformat()} "
                     f"({source[0] if de else source[1]})")
    for r in result.reconciliation:
        dropped = r.get("sum_duplicates_dropped") or 0.0
        ok = r["sum_read"] is None or r["sum_stored"] is None or \
            abs(r["sum_read"] - r["sum_stored"] - dropped) < 1e-6
        mark = "=" if ok else "≠"
        if de:
            line = (f"  Blatt {r['sheet']}: {r['cells_read']} Zellen gelesen, Summe gelesen "
                    f"{_number(r['sum_read'], lang)} {mark} gespeichert {_number(r['sum_stored'], lang)}")
        else:
            line = (f"  Sheet {r['sheet']}: {r['cells_read']} cells read, sum read "
                    f"{_number(r['sum_read'], lang)} {mark} stored {_number(r['sum_stored'], lang)}")
        if dropped:
            line += (f" + {_number(dropped, lang)} in identischen Doppelzeilen" if de
                     else f" + {_number(dropped, lang)} in identical duplicate rows")
        lines.append(line)
        if r["totals_checked"]:
            lines.append(("    Summen geprüft und übersprungen: " if de else "    totals checked and skipped: ")
                         + ", ".join(r["totals_checked"]))
        if r["columns_not_read"]:
            lines.append(("    Spalten nicht gelesen: " if de else "    columns not read: ")
                         + ", ".join(r["columns_not_read"]))
    return lines    # skipped sheets are among the warnings


def _items(items: list, count: int, display=None) -> str:
    shown = [display(i) if display else str(i) for i in items]
    return ", ".join(shown) + (" …" if count > len(items) else "")


def change_summary(change, lang: str) -> str:
    """One line per kind: rows before and after, against which version, replace or merge."""
    from pipelines.text.catalogue import kind_label
    from pipelines.text.format import number

    kind = kind_label(change.kind, lang)
    if change.base_version is None:
        return _t("changes_first", lang, kind=kind, after=number(change.rows_after, lang))
    return _t("changes_rows", lang, kind=kind, before=number(change.rows_before, lang),
              after=number(change.rows_after, lang), version=change.base_version,
              mode=_t(f"changes_mode_{change.mode}", lang))


def change_keys(change, lang: str, product_display=None) -> list[str]:
    """New PMCs and the products, markets and lines that appear or disappear, one line each."""
    show = product_display or (lambda p: change.product_display.get(p, p))
    lines = []
    if change.new_pmc_count:
        lines.append(_t("changes_new_pmcs", lang, count=change.new_pmc_count,
                        items=_items([f"{show(p)} · {m}" for p, m in change.new_pmcs], change.new_pmc_count)))
    for direction, keys in (("new", change.appearing), ("gone", change.disappearing)):
        for key, items in keys.items():
            count = change.counts.get(f"{direction}_{key}", len(items))
            if count:
                lines.append(_t(f"changes_{direction}_{key}", lang, count=count,
                                items=_items(items, count, show if key == "product" else None)))
    return lines


def change_totals_title(change, lang: str) -> str:
    from pipelines.text.catalogue import field_label
    return _t("changes_totals", lang, value=field_label(change.value, lang),
              group=field_label(change.totals_by, lang))


def change_totals_frame(change, lang: str):
    """Totals per market (forecast, actuals) or line (capacity, plan): before, after, difference."""
    import pandas as pd
    from pipelines.text.catalogue import field_label
    from pipelines.text.format import figure

    def signed(x: float) -> str:
        return ("+" if round(x, 1) > 0 else "") + figure(x, lang)

    rows = [[t["group"] if t["group"] is not None else "–", figure(t["before"], lang),
             figure(t["after"], lang), signed(t["delta"])] for t in change.totals]
    return pd.DataFrame(rows, columns=[field_label(change.totals_by, lang).capitalize(),
                                       _t("col_before_upload", lang), _t("col_after_upload", lang),
                                       _t("col_delta_upload", lang)])


def changes_lines(result, lang: str, product_display=None) -> list[str]:
    """The CLI's report of what an upload changes against the current versions."""
    if not result.changes:
        return []
    lines = [f"  {_t('changes_title', lang)}:"]
    for change in result.changes:
        lines.append(f"    {change_summary(change, lang)}")
        if change.totals and change.base_version is not None:
            lines.append(f"      {change_totals_title(change, lang)}:")
            frame = change_totals_frame(change, lang)
            for row in frame.itertuples(index=False):
                lines.append(f"        {row[0]}: {row[1]} → {row[2]} ({row[3]})")
        lines += [f"      {line}" for line in change_keys(change, lang, product_display)]
    return lines
