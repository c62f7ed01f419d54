"""User-facing texts of the ingest concept, German and English, by key (merged into MESSAGES)."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "period_header_unreadable": {
        "de": "„{value}“ in {cell} sieht aus wie eine Periode, ist aber keine Woche und kein Monat, den Einklang lesen kann; die Spalte wird nicht stillschweigend verworfen. Bitte als „KW 05/2027“, „2027-W05“ oder „03/2027“ schreiben oder die Spalte löschen.",
        "en": "\"{value}\" in {cell} looks like a period but is not a week or month Einklang can read; the column is not dropped silently. Please write it as \"KW 05/2027\", \"2027-W05\" or \"03/2027\", or delete the column.",
    },
    "period_header_no_year": {
        "de": "„{value}“ in {cell} ist ein Monat ohne Jahr; die Spalte wird nicht stillschweigend verworfen. Bitte das Jahr dazuschreiben („Mär 2027“, „03/2027“) oder eine Jahreszeile über die Monate setzen (2027 über Jan, Feb, …).",
        "en": "\"{value}\" in {cell} is a month without a year; the column is not dropped silently. Please add the year (\"Mar 2027\", \"03/2027\") or put a year row above the months (2027 over Jan, Feb, ...).",
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
    "col_zero_cells": {"de": "Davon 0, nicht gespeichert", "en": "Of which 0, not stored"},
    "col_totals_checked": {"de": "Summen geprüft und übersprungen", "en": "Totals checked and skipped"},
    "col_columns_not_read": {"de": "Spalten nicht gelesen", "en": "Columns not read"},
    "col_why": {"de": "Grund", "en": "Why"},
    "skipped_title": {"de": "Übersprungene Blätter", "en": "Sheets skipped"},
    "recon_sheet_line": {"de": "  Blatt {sheet}: {cells} Zellen gelesen, Summe gelesen {read} {mark} gespeichert {stored}",
                         "en": "  Sheet {sheet}: {cells} cells read, sum read {read} {mark} stored {stored}"},
    "recon_duplicates": {"de": " + {value} in identischen Doppelzeilen", "en": " + {value} in identical duplicate rows"},
    "recon_zero_cells": {"de": "    davon {count} Zellen mit 0 (auch „-“): nicht gespeichert, sie tragen keine Menge",
                         "en": "    of which {count} cells of 0 (a \"-\" too): not stored, they carry no quantity"},
    "recon_totals_checked": {"de": "    Summen geprüft und übersprungen: {value}", "en": "    totals checked and skipped: {value}"},
    "recon_columns_not_read": {"de": "    Spalten nicht gelesen: {value}", "en": "    columns not read: {value}"},
    "changes_title": {"de": "Was sich gegenüber der aktuellen Version ändert", "en": "What changes against the current version"},
    "changes_title_stored": {"de": "Was sich gegenüber der vorigen Version geändert hat", "en": "What changed against the previous version"},
    "changes_rows": {"de": "{kind}: {before} → {after} Zeilen gegenüber Version {version} ({mode})",
                     "en": "{kind}: {before} → {after} rows against version {version} ({mode})"},
    "changes_first": {"de": "{kind}: erste Version, {after} Zeilen", "en": "{kind}: first version, {after} rows"},
    "changes_mode_replace": {"de": "ersetzt die ganze Version", "en": "replaces the whole version"},
    "changes_mode_merge": {"de": "ersetzt nur, was die Datei enthält; der Rest bleibt", "en": "replaces only what the file holds; the rest is kept"},
    "changes_totals": {"de": "Summe {value} je {group} (je Einheit: Stück und kg werden nicht addiert)",
                       "en": "Total {value} per {group} (per unit: pieces and kg are not added)"},
    "col_before_upload": {"de": "Vorher", "en": "Before"},
    "col_after_upload": {"de": "Nachher", "en": "After"},
    "col_delta_upload": {"de": "Differenz", "en": "Difference"},
    "changes_new_pmcs": {"de": "Neue Artikel-Markt-Kombinationen ({count}): {items}", "en": "New product-market combinations ({count}): {items}"},
    "changes_new_product": {"de": "Artikel, die hinzukommen ({count}): {items}", "en": "Products that are added ({count}): {items}"},
    "changes_gone_product": {"de": "Artikel, die wegfallen ({count}): {items}", "en": "Products that disappear ({count}): {items}"},
    "changes_new_market": {"de": "Märkte, die hinzukommen ({count}): {items}", "en": "Markets that are added ({count}): {items}"},
    "changes_gone_market": {"de": "Märkte, die wegfallen ({count}): {items}", "en": "Markets that disappear ({count}): {items}"},
    "changes_new_line": {"de": "Linien, die hinzukommen ({count}): {items}", "en": "Lines that are added ({count}): {items}"},
    "changes_gone_line": {"de": "Linien, die wegfallen ({count}): {items}", "en": "Lines that disappear ({count}): {items}"},
    "upload_as_of_preview": {"de": "Stand der Prognose (vor dem Übernehmen änderbar)", "en": "Forecast as of (can be changed before storing)"},
    # --- units in the product master's headers (docs/ingest.md "Units in the products master's headers")
    "header_unit_unknown": {
        "de": "Die Überschrift „{value}“ nennt die Einheit „{unit}“, die Einklang für {field_de} nicht kennt; "
              "ohne Umrechnung gelesen wäre jede Zahl der Spalte still falsch. Nichts übernommen. Verstanden werden: "
              "{understood_de}. Bitte die Überschrift auf eine dieser Einheiten ändern.",
        "en": "The header \"{value}\" names the unit \"{unit}\", which Einklang does not know for the "
              "{field_en}; read as it is, every figure of the column would be silently wrong. Nothing stored. "
              "Understood: {understood_en}. Please change the header to one of these units.",
    },
    "measure_not_hours": {
        "de": "Die Spalte „Kennzahl“ nennt {value}, aber keine davon sind verfügbare Stunden (Stunden, "
              "Verfügbare Stunden, Kapazität). Bitte die Zeilen der verfügbaren Stunden so benennen; maximale "
              "Stunden („Maximale Stunden“, „Max. Stunden“) werden daneben gelesen.",
        "en": "The measure column names {value}, but none of them is available hours (hours, available "
              "hours, capacity). Please name the rows of available hours so; maximum hours (\"max hours\", "
              "\"maximum hours\") are read beside them.",
    },
    "max_hours_rows_read": {
        "de": "{count} Zeilen mit der Kennzahl „{value}“ als maximale Stunden neben den verfügbaren Stunden gelesen.",
        "en": "{count} rows with the measure \"{value}\" read as maximum hours beside the available hours.",
    },
    "max_hours_twice": {
        "de": "Maximale Stunden für Linie „{value}“ stehen zweimal (Zeilen {other} und {row}); es gilt keine. "
              "Bitte eine der Zeilen entfernen.",
        "en": "Maximum hours for line \"{value}\" are given twice (rows {other} and {row}); neither is taken. "
              "Please remove one of the rows.",
    },
    "max_hours_without_hours": {
        "de": "Maximale Stunden für Linie „{value}“ ohne eine Zeile mit ihren verfügbaren Stunden: eine "
              "Obergrenze ohne Kapazität sagt nichts. Bitte die Zeile der verfügbaren Stunden ergänzen.",
        "en": "Maximum hours for line \"{value}\" without a row of its available hours: a ceiling without "
              "capacity says nothing. Please add the line's row of available hours.",
    },
    "header_unit_pound": {
        "de": "Die Überschrift „{value}“ nennt „{unit}“: ein Pfund sind im deutschen Handel 500 g, als "
              "englisches lb 453,6 g; welches gemeint ist, kann Einklang nicht wissen. Nichts übernommen. "
              "Bitte die Überschrift auf g, kg oder lb ändern (verstanden werden: {understood_de}).",
        "en": "The header \"{value}\" names \"{unit}\": a German Pfund is 500 g, an English lb 453.6 g, and "
              "Einklang cannot tell which is meant. Nothing stored. Please change the header to g, kg or lb "
              "(understood: {understood_en}).",
    },
    "header_unit_gross": {
        "de": "Die Überschrift „{value}“ nennt einen Bruttowert („{unit}“); Einklang bewertet Fehlmengen mit "
              "dem Nettopreis je Einheit, mit Mehrwertsteuer wäre jeder Wert zu hoch. Nichts übernommen. Bitte "
              "die Spalte mit Nettowerten liefern (Überschrift z. B. „Preis (EUR)“ oder „Preis (netto)“).",
        "en": "The header \"{value}\" names a gross figure (\"{unit}\"); Einklang values shortfalls at the net "
              "price per unit, and with VAT every value would be too high. Nothing stored. Please give the "
              "column in net figures (header e.g. \"Price (EUR)\" or \"Price (net)\").",
    },
    "units_understood_net_weight": {
        "de": "kg, g (÷ 1.000), lb (× 0,45359237), oz (× 0,028349523125), je Stück oder Einheit; „netto“ darf dabeistehen",
        "en": "kg, g (÷ 1,000), lb (× 0.45359237), oz (× 0.028349523125), per piece or unit; \"net\" may stand beside",
    },
    "units_understood_shelf_life_days": {
        "de": "Tage, Wochen (× 7), Monate (× 30), Jahre (× 365)",
        "en": "days, weeks (× 7), months (× 30), years (× 365)",
    },
    "units_understood_min_remaining_shelf_life_days": {
        "de": "Tage, Wochen (× 7), Monate (× 30), Jahre (× 365)",
        "en": "days, weeks (× 7), months (× 30), years (× 365)",
    },
    "units_understood_price": {
        "de": "EUR, €, ct/Cent (÷ 100), je Stück, je 100 oder 1.000 Stück, je kg oder t (über das Gewicht des "
              "Artikels); „netto“ darf dabeistehen",
        "en": "EUR, €, ct/cent (÷ 100), per piece, per 100 or 1,000 pieces, per kg or t (through the article's "
              "weight); \"net\" may stand beside",
    },
    "units_understood_margin": {
        "de": "EUR, €, ct/Cent (÷ 100), je Stück, je 100 oder 1.000 Stück, je kg oder t (über das Gewicht des "
              "Artikels), % (des Preises)",
        "en": "EUR, €, ct/cent (÷ 100), per piece, per 100 or 1,000 pieces, per kg or t (through the article's "
              "weight), % (of the price)",
    },
    "units_understood_rate": {
        "de": "Stk/h, Stk/min (× 60), Tsd. Stk/h (× 1.000), kg/h, kg/min, t/h",
        "en": "pcs/h, pcs/min (× 60), thousand pcs/h (× 1,000), kg/h, kg/min, t/h",
    },
    "per_kg_no_weight": {
        "de": "{field_de} {value} gilt je kg, aber Artikel {product} wird nicht in kg geführt und hat kein "
              "Nettogewicht: sein Betrag je Einheit ist nicht bekannt. Bitte das Nettogewicht oder die "
              "Einheit (kg) eintragen.",
        "en": "The {field_en} {value} is per kg, but product {product} is not kept in kg and has no net "
              "weight: its amount per unit is not known. Please fill in the net weight or the unit (kg).",
    },
    "header_unit_per_kg": {
        "de": "Spalte {where} „{value}“ gilt je kg: gespeichert als {field_de} je Einheit, für Artikel, die "
              "nicht in kg geführt werden, mit dem Nettogewicht multipliziert.",
        "en": "Column {where} \"{value}\" is per kg: stored as {field_en} per unit, multiplied by the net weight "
              "for articles not kept in kg.",
    },
    "margin_percent_no_price": {
        "de": "Die Spalte „{value}“ gibt den Deckungsbeitrag in % des Preises an, aber das Blatt hat keine "
              "Preisspalte: der Deckungsbeitrag je Einheit ist nicht bekannt. Bitte eine Spalte „Preis“ "
              "ergänzen oder den Deckungsbeitrag in EUR je Einheit angeben.",
        "en": "The column \"{value}\" gives the margin in % of the price, but the sheet has no price column: "
              "the margin per unit is not known. Please add a \"Price\" column or give the margin in EUR per unit.",
    },
    "margin_percent_no_price_row": {
        "de": "Deckungsbeitrag {value} % des Preises, aber Artikel {product} hat keinen Preis („{price}“ ist "
              "leer): der Deckungsbeitrag je Einheit ist nicht bekannt. Bitte den Preis eintragen.",
        "en": "Margin {value} % of the price, but product {product} has no price (\"{price}\" is empty): the "
              "margin per unit is not known. Please fill in the price.",
    },
    "header_unit_percent": {
        "de": "Spalte {where} „{value}“ ist in % des Preises: gespeichert als Deckungsbeitrag in EUR je Einheit "
              "(Preis aus „{price}“ × %).",
        "en": "Column {where} \"{value}\" is in % of the price: stored as the margin in EUR per unit (price "
              "from \"{price}\" × %).",
    },
}

# why a sheet was skipped (merged into catalogue.SKIP_REASONS)
SKIP_REASONS: dict[str, dict[str, str]] = {
    "hidden": {"de": "ausgeblendet (meist ein älterer Planungsstand; in Excel einblenden, damit es gelesen wird)",
               "en": "hidden (usually an older cycle; unhide it in Excel to have it read)"},
}

# fields that shape reading without being stored (merged into catalogue.FIELD_NAMES)
FIELD_NAMES: dict[str, dict[str, str]] = {
    "shift": {"de": "Schicht", "en": "shift"},
    "measure": {"de": "Kennzahl", "en": "measure"},
    "year": {"de": "Jahr", "en": "year"},
}
