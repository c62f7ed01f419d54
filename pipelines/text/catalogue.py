"""Every user-facing text, German and English, by key: the one catalogue of the command line, the
pack and the dashboard (each concept adds its own table). Templates use str.format fields."""
from __future__ import annotations

from pipelines.text import access, dashboard, ingest, meeting, scenario, server

MESSAGES: dict[str, dict[str, str]] = {
    # --- guards: the file as a whole -------------------------------------------------------
    "file_too_large": {
        "de": "Die Datei ist {size_mb:.1f} MB groß; erlaubt sind höchstens {limit_mb:.0f} MB.",
        "en": "The file is {size_mb:.1f} MB; at most {limit_mb:.0f} MB are allowed.",
    },
    "zip_too_large": {
        "de": "Die Arbeitsmappe würde entpackt {size_mb:.0f} MB belegen; erlaubt sind höchstens {limit_mb:.0f} MB. Bitte die Datei ohne leere Formatierungsbereiche neu speichern.",
        "en": "The workbook would unpack to {size_mb:.0f} MB; at most {limit_mb:.0f} MB are allowed. Please save it again without empty formatted ranges.",
    },
    "zip_ratio": {
        "de": "Der Eintrag {entry} der Arbeitsmappe ist {ratio:.0f}-fach komprimiert (erlaubt: {limit:.0f}); die Datei wird nicht geöffnet.",
        "en": "The workbook entry {entry} is compressed {ratio:.0f} times (allowed: {limit:.0f}); the file is not opened.",
    },
    "zip_damaged": {
        "de": "Die Arbeitsmappe ist beschädigt oder gibt falsche Größen an (Eintrag {entry}); sie wird nicht geöffnet. Bitte in Excel neu speichern.",
        "en": "The workbook is damaged or declares false sizes (entry {entry}); it is not opened. Please save it again in Excel.",
    },
    "zip_entries": {
        "de": "Die Arbeitsmappe enthält {count} Einträge (erlaubt: {limit}).",
        "en": "The workbook holds {count} entries (allowed: {limit}).",
    },
    "encrypted": {
        "de": "Die Datei ist mit einem Passwort geschützt. Bitte ohne Kennwort speichern und erneut hochladen.",
        "en": "The file is password-protected. Please save it without a password and upload it again.",
    },
    "not_a_workbook": {
        "de": "Die Datei ist weder eine Excel-/ODS-Arbeitsmappe noch eine CSV-Datei ({detail}).",
        "en": "The file is neither an Excel/ODS workbook nor a CSV file ({detail}).",
    },
    "unreadable": {
        "de": "Die Datei konnte nicht gelesen werden: {detail}",
        "en": "The file could not be read: {detail}",
    },
    "empty_file": {
        "de": "Die Datei enthält keine Daten.",
        "en": "The file holds no data.",
    },
    "csv_encoding": {
        "de": "Die CSV-Datei ist weder UTF-8 noch Windows-1252 kodiert.",
        "en": "The CSV file is neither UTF-8 nor Windows-1252 encoded.",
    },
    # --- sheets and headers ------------------------------------------------------------------
    "no_data_sheet": {
        "de": "Kein Tabellenblatt enthält erkennbare Planungsdaten.",
        "en": "No sheet holds recognisable planning data.",
    },
    "duplicate_period_header": {
        "de": "Die Spalten {columns} haben dieselbe Überschrift; zusammengezählt stünde die Periode doppelt. "
              "Bitte die überzählige Spalte löschen oder richtig benennen.",
        "en": "The columns {columns} have the same header; added up, the period would count twice. Please "
              "delete the extra column or name it correctly.",
    },
    "sheet_copy": {
        "de": "Blatt „{sheet}“ wiederholt Blatt „{original}“ Zeile für Zeile ({rows} Datensätze mit denselben "
              "Schlüsseln und Mengen): zusammengezählt stünde jede Menge doppelt. Bitte die Kopie löschen "
              "oder ausblenden.",
        "en": "Sheet \"{sheet}\" repeats sheet \"{original}\" row for row ({rows} records with the same keys "
              "and quantities): added up, every quantity would count twice. Please delete or hide the copy.",
    },
    "sheet_without_rows": {
        "de": "Blatt „{sheet}“ hat eine Kopfzeile ({kind_de}, Zeile {row}), aber keine Datenzeilen darunter: "
              "nichts übernommen, die aktuelle Version bleibt. War der Export gefiltert, oder stehen die "
              "Daten auf einem anderen Blatt?",
        "en": "Sheet \"{sheet}\" has a header ({kind_en}, row {row}) but no data rows below it: nothing "
              "stored, the current version stays. Was the export filtered, or are the data on another sheet?",
    },
    "kind_unknown": {
        "de": "Das Blatt passt zu keiner Eingabeart. Es sieht aus wie {kind_de}, aber es fehlt: {missing_de}.",
        "en": "The sheet fits no input kind. It looks like {kind_en}, but it lacks: {missing_en}.",
    },
    "kind_unknown_no_columns": {
        "de": "Keine Spalte dieses Blatts ist bekannt (gefunden: {found}). Bitte die Spalten zuordnen: Dashboard „Spalten zuordnen“ oder einklang ingest --kind … --map FELD=SPALTE.",
        "en": "No column of this sheet is known (found: {found}). Please map the columns: dashboard \"Map columns\" or einklang ingest --kind … --map FIELD=HEADER.",
    },
    "kind_mismatch": {
        "de": "Als {kind_de} angegeben, aber es fehlt: {missing_de}. Gefundene Spalten: {found}.",
        "en": "Named as {kind_en}, but it lacks: {missing_en}. Columns found: {found}.",
    },
    "header_not_found": {
        "de": "In den ersten 20 Zeilen wurde keine Kopfzeile mit den nötigen Spalten gefunden.",
        "en": "No header row naming the required columns was found in the first 20 rows.",
    },
    "duplicate_header": {
        "de": "Die Spalten {columns} meinen beide das Feld {field_de}; bitte eine davon umbenennen oder per Zuordnung wählen.",
        "en": "The columns {columns} both mean the field {field_en}; please rename one or choose one in the column mapping.",
    },
    "mapping_header_missing": {
        "de": "Die Zuordnung nennt die Spalte „{header}“, die es in der Kopfzeile nicht gibt.",
        "en": "The mapping names the column \"{header}\", which the header row does not have.",
    },
    "mapping_field_unknown": {
        "de": "Die Zuordnung nennt das unbekannte Feld „{value}“. Bekannte Felder: {fields}.",
        "en": "The mapping names the unknown field \"{value}\". Known fields: {fields}.",
    },
    "kind_name_unknown": {
        "de": "Unbekannte Eingabeart „{value}“. Bekannt: {kinds}.",
        "en": "Unknown input kind \"{value}\". Known: {kinds}.",
    },
    # --- cells -------------------------------------------------------------------------------
    "excel_error": {
        "de": "Die Zelle zeigt den Fehler {value}: Ihre Formel rechnet nicht (etwa ein SVERWEIS ohne "
              "Treffer oder eine Division durch 0). Bitte die Formel im Export korrigieren oder die Zelle "
              "leeren; als 0 gelesen wäre die Zahl still falsch.",
        "en": "The cell shows the error {value}: its formula does not compute (a VLOOKUP without a "
              "match or a division by 0, say). Please fix the formula in the export or clear the cell; "
              "read as 0, the figure would be silently wrong.",
    },
    "header_unit_scaled": {
        "de": "Spalte {where} „{value}“ nennt ihre Einheit: gespeichert als {field_de}, jeder Wert × {factor_de}.",
        "en": "Column {where} \"{value}\" names its unit: stored as {field_en}, each value × {factor_en}.",
    },
    "header_unit_refused": {
        "de": "Die Überschrift „{value}“ nennt eine Einheit, die sich nicht in {field_de} umrechnen lässt "
              "(Schichten, Tage oder je Schicht: ihre Stunden sind nicht bekannt). Bitte in Stunden bzw. "
              "Stück je Stunde angeben.",
        "en": "The header \"{value}\" names a unit that cannot be put into {field_en} (shifts, days or per "
              "shift: their hours are not known). Please give hours, or units per hour.",
    },
    "header_unit_mixed": {
        "de": "Die Periodenspalten nennen verschiedene Einheiten („{first}“, „{header}“); bitte eine Einheit für alle.",
        "en": "The period columns name different units (\"{first}\", \"{header}\"); please use one unit for all.",
    },
    "pivot_blank_key": {
        "de": "„{value}“ ist der Platzhalter der Pivot-Tabelle für ein leeres Feld: in den Quelldaten fehlt "
              "diesen Mengen die Angabe {field_de}. Bitte dort ergänzen oder „{value}“ in der Pivot-Tabelle "
              "herausfiltern.",
        "en": "\"{value}\" is the pivot table's placeholder for an empty {field_en}: these quantities have no "
              "{field_en}. Please fill it in in the source data or filter \"{value}\" out of the pivot table.",
    },
    "number_implausible": {
        "de": "{value} ist als {field_de} nicht glaubhaft (eine Billion oder mehr); bitte die Zelle prüfen.",
        "en": "{value} is not believable as {field_en} (a trillion or more); please check the cell.",
    },
    "not_a_number": {
        "de": "„{value}“ ist keine Zahl.",
        "en": "\"{value}\" is not a number.",
    },
    "ambiguous_number": {
        "de": "„{value}“ kann {a} oder {b} bedeuten, und die übrigen Zahlen der Datei entscheiden es nicht. Bitte ohne Tausenderpunkt oder mit Dezimalkomma schreiben.",
        "en": "\"{value}\" could mean {a} or {b}, and the other numbers of the file do not decide it. Please write it without a thousands separator or with a decimal point.",
    },
    "negative": {
        "de": "{value} ist negativ; {field_de} darf nicht negativ sein.",
        "en": "{value} is negative; {field_en} must not be negative.",
    },
    "bad_period": {
        "de": "„{value}“ ist keine lesbare Periode. Erwartet: Kalenderwoche (2027-W05, KW 05/2027), Monat (2027-03, März 2027) oder Datum.",
        "en": "\"{value}\" is not a readable period. Expected: ISO week (2027-W05, KW 05/2027), month (2027-03, March 2027) or a date.",
    },
    "missing_value": {
        "de": "{field_de} fehlt.",
        "en": "{field_en} is missing.",
    },
    "bad_priority": {
        "de": "„{value}“ ist keine Prioritätsklasse (A, B, C oder 1, 2, 3).",
        "en": "\"{value}\" is not a priority class (A, B, C or 1, 2, 3).",
    },
    "conflicting_duplicate": {
        "de": "{key} steht mehrfach mit verschiedenen Werten in der Datei (auch in Zeile {other_row}).",
        "en": "{key} is given more than once with different values (also in row {other_row}).",
    },
    "mixed_grain": {
        "de": "Das Blatt mischt Wochen und Monate ({value}); bitte eine Körnung je Blatt.",
        "en": "The sheet mixes weeks and months ({value}); please use one grain per sheet.",
    },
    "as_of_invalid": {
        "de": "„{value}“ ist kein Datum im Format JJJJ-MM-TT.",
        "en": "\"{value}\" is not a date in the form YYYY-MM-DD.",
    },
    # --- strategy, meetings, look-back, meeting pack (pipelines/strategy, meeting, export) --------
    "st_sheet_priorities": {"de": "Prioritäten", "en": "Priorities"},
    "st_sheet_bands": {"de": "Auslastungsband", "en": "Utilisation band"},
    "st_sheet_targets": {"de": "Lieferfähigkeitsziel", "en": "Fill-rate target"},
    "st_sheet_goals": {"de": "Ziele", "en": "Goals"},
    "st_col_market": {"de": "Markt", "en": "Market"},
    "st_col_product": {"de": "Artikel", "en": "Product"},
    "st_col_class": {"de": "Klasse", "en": "Class"},
    "st_col_line": {"de": "Linie", "en": "Line"},
    "st_col_band_low": {"de": "Auslastung von", "en": "Utilisation from"},
    "st_col_band_high": {"de": "Auslastung bis", "en": "Utilisation to"},
    "st_col_target": {"de": "Ziel Lieferfähigkeit", "en": "Fill-rate target"},
    "st_col_goal_id": {"de": "Ziel-Nr", "en": "Goal id"},
    "st_col_goal_text": {"de": "Ziel", "en": "Goal"},
    "st_col_active": {"de": "Aktiv", "en": "Active"},
    "st_default_line": {"de": "(Standard für alle Linien)", "en": "(default for every line)"},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
    "st_col_market_or_class": {"de": "Markt oder Klasse", "en": "market or class"},
    "st_col_pmc": {"de": "Artikel / Markt", "en": "product / market"},
    "st_missing": {
        "de": "In dieser Zeile fehlt {what_de}.",
        "en": "This row lacks {what_en}.",
    },
    "st_missing_column": {
        "de": "Die Kopfzeile (Zeile {row}) hat keine Spalte „{what_de}“; ohne sie wird das Blatt nicht gelesen.",
        "en": "The header row (row {row}) has no column \"{what_en}\"; without it the sheet is not read.",
    },
    "st_no_header": {
        "de": "In den ersten {rows} Zeilen steht keine Kopfzeile mit {columns_de}: das Blatt wird nicht gelesen und nichts übernommen.",
        "en": "None of the first {rows} rows is a header naming {columns_en}: the sheet is not read and nothing is stored.",
    },
    "st_bad_band": {
        "de": "„{value}“ ist kein Auslastungsband: von und bis als Anteil (0,75) oder Prozent (75 %), von nicht über bis.",
        "en": "\"{value}\" is not a utilisation band: from and to as a share (0.75) or percent (75 %), from not above to.",
    },
    "st_bad_target": {
        "de": "„{value}“ ist kein Lieferfähigkeitsziel zwischen 0 und 100 %.",
        "en": "\"{value}\" is not a fill-rate target between 0 and 100 %.",
    },
    "st_bad_active": {
        "de": "„{value}“ sagt nicht, ob das Ziel aktiv ist. Aktiv: x, ✓, ja, 1, wahr; nicht aktiv: nein, 0, falsch oder eine leere Zelle.",
        "en": "\"{value}\" does not say whether the goal is active. Active: x, ✓, yes, 1, true; not active: no, 0, false or an empty cell.",
    },
    "st_conflicting_duplicate": {
        "de": "{what_de} „{key}“ steht mehrfach mit verschiedenen Werten: Zeile {other_row} „{other_value}“, Zeile {row} „{value}“. Keiner der beiden wird stillschweigend genommen; bitte eine Zeile löschen oder angleichen.",
        "en": "{what_en} \"{key}\" is given more than once with different values: row {other_row} \"{other_value}\", row {row} \"{value}\". Neither is taken silently; please delete one row or make them agree.",
    },
    "st_not_workbook": {
        "de": "Eine Strategie wird aus einer Arbeitsmappe gelesen ({extensions}) mit den Blättern {sheets_de}; diese Datei ist eine Textdatei (CSV) ohne Blätter. Nichts übernommen.",
        "en": "A strategy is read from a workbook ({extensions}) with the sheets {sheets_en}; this file is a text (CSV) file without sheets. Nothing was stored.",
    },
    "st_import_empty": {
        "de": "Die Datei enthält keine einzige Strategiezeile auf den Blättern {sheets_de} (Blätter der Datei: {found}). Nichts übernommen: ein Import ersetzt die ganze Strategie, die gespeicherte bleibt unverändert.",
        "en": "The file holds not a single strategy row on the sheets {sheets_en} (sheets of the file: {found}). Nothing was stored: an import replaces the whole strategy, so the stored one stays as it is.",
    },
    "st_hidden_sheet": {
        "de": "Das Blatt ist ausgeblendet. Ausgeblendete Blätter werden nicht gelesen, und ein Import ersetzt die ganze Strategie: dieser Teil ginge verloren. Bitte das Blatt einblenden oder löschen.",
        "en": "The sheet is hidden. Hidden sheets are not read, and an import replaces the whole strategy: this part would be lost. Please unhide or delete the sheet.",
    },
    "st_sheet_twice": {
        "de": "Die Blätter „{other}“ und „{sheet}“ enthalten beide {part_de}; welches gilt? Bitte eines löschen.",
        "en": "The sheets \"{other}\" and \"{sheet}\" both hold {part_en}; which one counts? Please delete one.",
    },
    "mt_no_text": {
        "de": "Die Vereinbarung braucht einen Text: was wurde vereinbart?",
        "en": "The agreement needs a text: what was agreed?",
    },
    "mt_no_scope": {
        "de": "Die Vereinbarung braucht mindestens ein Artikel-Markt-Paar oder eine Linie mit Periode.",
        "en": "The agreement needs at least one product-market pair or one line with a period.",
    },
    "mt_unknown_goal": {
        "de": "Das Ziel „{value}“ gibt es in der Strategie nicht.",
        "en": "The goal \"{value}\" is not part of the strategy.",
    },
    "mt_unknown_meeting": {
        "de": "Das Meeting {value} gibt es nicht.",
        "en": "Meeting {value} does not exist.",
    },
    "mt_unknown_agreement": {
        "de": "Die Vereinbarung {value} gibt es nicht.",
        "en": "Agreement {value} does not exist.",
    },
    "verdict_held": {"de": "gehalten", "en": "held"},
    "verdict_partly": {"de": "teilweise", "en": "partly"},
    "verdict_not_held": {"de": "nicht gehalten", "en": "not held"},
    "verdict_past": {"de": "Periode vorbei, nicht mehr geplant", "en": "period past, no longer planned"},
    "verdict_open": {"de": "offen: seit der Vereinbarung keine neuen Daten", "en": "open: no new data since it was made"},
    "verdict_text": {
        "de": "Fehlmenge vorher {before}, jetzt {after}: {verdict_de}.",
        "en": "Shortfall before {before}, now {after}: {verdict_en}.",
    },
    "check_fill_rate": {
        "de": "{product} / {market}: Lieferfähigkeit {value} unter dem Ziel von {target}.",
        "en": "{product} / {market}: fill rate {value} below the target of {target}.",
    },
    "check_band_over": {
        "de": "Linie {line}, {period}: Auslastung {value} über dem Zielband {low}–{high}.",
        "en": "Line {line}, {period}: utilisation {value} above the target band {low}–{high}.",
    },
    "check_band_under": {
        "de": "Linie {line}, {period}: Auslastung {value} unter dem Zielband {low}–{high}.",
        "en": "Line {line}, {period}: utilisation {value} below the target band {low}–{high}.",
    },
    "check_class_a_short": {
        "de": "Markt {market} (Klasse A), {period}: Fehlmenge {shortfall}.",
        "en": "Market {market} (class A), {period}: shortfall {shortfall}.",
    },
    "pack_title": {"de": "S&OP-Meeting {date}", "en": "S&OP meeting {date}"},
    "pack_sheet_kpis": {"de": "KPIs", "en": "KPIs"},
    "pack_sheet_conflicts": {"de": "Konflikte", "en": "Conflicts"},
    "pack_sheet_agreements": {"de": "Vereinbarungen", "en": "Agreements"},
    "pack_sheet_accuracy": {"de": "Prognosegüte", "en": "Accuracy"},
    "pack_sheet_strategy": {"de": "Strategie-Abgleich", "en": "Strategy check"},
    "pack_sheet_changes": {"de": "Änderungen", "en": "Changes"},
    "pack_participants": {"de": "Teilnehmer: {names}", "en": "Participants: {names}"},
    "pack_cycle": {"de": "Zyklus: {cycle}", "en": "Cycle: {cycle}"},
    "pack_versions": {"de": "Datenstand: {versions}", "en": "Data versions: {versions}"},
    "pack_chart_utilization": {"de": "Höchste Auslastung je Linie", "en": "Peak utilisation per line"},
    "pack_chart_fill_rate": {"de": "Lieferfähigkeit je Markt", "en": "Fill rate per market"},
    "pack_chart_accuracy": {"de": "Prognose und Ist ({unit})", "en": "Forecast and actuals ({unit})"},
    "pack_chart_changes": {"de": "Änderung der Prognose je Markt ({unit})", "en": "Forecast change per market ({unit})"},
    "pack_none": {"de": "Keine.", "en": "None."},
    "pack_kpi_demand": {"de": "Bedarf", "en": "Demand"},
    "pack_kpi_supplied": {"de": "Lieferbar", "en": "Supplied"},
    "pack_kpi_shortfall": {"de": "Fehlmenge", "en": "Shortfall"},
    "pack_kpi_fill_rate": {"de": "Lieferfähigkeit", "en": "Fill rate"},
    "pack_kpi_conflicts": {"de": "Konflikte (Artikel-Markt-Perioden)", "en": "Conflicts (product-market-periods)"},
    "pack_kpi_lines_over": {"de": "Linienperioden über dem Zielband", "en": "Line-periods above the target band"},
    "pack_kpi_wape": {"de": "Prognosefehler (WAPE)", "en": "Forecast error (WAPE)"},
    "pack_kpi_bias": {"de": "Prognose-Bias", "en": "Forecast bias"},
    "pack_kpi_held": {"de": "Vereinbarungen gehalten", "en": "Agreements held"},
    "pack_agreements_title": {"de": "Vereinbarungen", "en": "Agreements"},
    "pack_lookback_title": {"de": "Rückblick auf die Vereinbarungen", "en": "Looking back at agreements"},
    "pack_kpis_title": {"de": "Kennzahlen", "en": "Key figures"},
    "pack_conflicts_title": {"de": "Größte Konflikte", "en": "Top conflicts"},
    "col_rank": {"de": "Rang", "en": "Rank"},
    "col_product": {"de": "Artikel", "en": "Product"},
    "col_product_name": {"de": "Bezeichnung", "en": "Name"},
    "col_market": {"de": "Markt", "en": "Market"},
    "col_period": {"de": "Periode", "en": "Period"},
    "col_line": {"de": "Linie", "en": "Line"},
    "col_priority_class": {"de": "Klasse", "en": "Class"},
    "col_demand": {"de": "Bedarf", "en": "Demand"},
    "col_supplied": {"de": "Lieferbar", "en": "Supplied"},
    "col_shortfall": {"de": "Fehlmenge", "en": "Shortfall"},
    "col_unit": {"de": "Einheit", "en": "Unit"},
    "col_shortfall_hours": {"de": "Fehlende Linienstunden (h)", "en": "Missing line hours (h)"},
    "col_fill_rate": {"de": "Lieferfähigkeit", "en": "Fill rate"},
    "col_reason": {"de": "Ursache", "en": "Reason"},
    "col_explanation": {"de": "Erklärung", "en": "Explanation"},
    "col_levers": {"de": "Hebel", "en": "Levers"},
    "col_agreement_id": {"de": "Nr.", "en": "No."},
    "col_meeting_date": {"de": "Meeting", "en": "Meeting"},
    "col_text": {"de": "Vereinbarung", "en": "Agreement"},
    "col_lever": {"de": "Hebel", "en": "Lever"},
    "col_owner": {"de": "Verantwortlich", "en": "Owner"},
    "col_due_date": {"de": "Fällig", "en": "Due"},
    "col_goal_id": {"de": "Ziel-Nr.", "en": "Goal no."},
    "col_status": {"de": "Status", "en": "Status"},
    "col_table": {"de": "Tabelle", "en": "Table"},
    "col_concerns": {"de": "Betrifft", "en": "Concerns"},
    "col_shortfall_before": {"de": "Fehlmenge damals", "en": "Shortfall then"},
    "col_shortfall_now": {"de": "Fehlmenge jetzt", "en": "Shortfall now"},
    "col_change": {"de": "Veränderung", "en": "Change"},
    "col_change_value": {"de": "Veränderung (€)", "en": "Change (€)"},
    "col_unrouted_products": {"de": "Artikel ohne Linie (nicht in h)", "en": "Products without line (not in h)"},
    "col_verdict_label": {"de": "Ergebnis", "en": "Result"},
    "col_revision": {"de": "Fassung", "en": "Revision"},
    "col_forecast": {"de": "Prognose", "en": "Forecast"},
    "col_actual": {"de": "Ist", "en": "Actual"},
    "col_abs_error": {"de": "Abweichung absolut", "en": "Absolute error"},
    "col_wape": {"de": "WAPE", "en": "WAPE"},
    "col_bias": {"de": "Bias", "en": "Bias"},
    "col_periods": {"de": "Perioden", "en": "Periods"},
    "col_message": {"de": "Meldung", "en": "Message"},
    "col_check": {"de": "Prüfung", "en": "Check"},
    "col_previous": {"de": "Vergleich", "en": "Comparison"},
    "col_current": {"de": "Aktuell", "en": "Current"},
    "col_kpi": {"de": "Kennzahl", "en": "Key figure"},
    "col_value": {"de": "Wert", "en": "Value"},
    "col_utilization": {"de": "Auslastung", "en": "Utilisation"},
    "col_low": {"de": "Band von", "en": "Band from"},
    "col_high": {"de": "Band bis", "en": "Band to"},
    "col_target": {"de": "Ziel", "en": "Target"},
    "pack_section_accuracy_market": {"de": "Prognosegüte je Markt", "en": "Forecast accuracy per market"},
    "pack_section_worst": {"de": "Größte Abweichungen (Artikel-Markt)", "en": "Worst offenders (product-market)"},
    "pack_section_moves": {"de": "Größte Änderungen seit der letzten Version", "en": "Biggest moves since the previous version"},
    "pack_legend_band": {"de": "Zielband", "en": "Target band"},
    "pack_no_data": {"de": "Keine Daten.", "en": "No data."},
    "lever_label_prebuild": {"de": "Vorproduktion", "en": "Pre-build"},
    "lever_label_extra_hours": {"de": "Zusatzstunden", "en": "Extra hours"},
    "lever_label_other_line": {"de": "Ausweichlinie", "en": "Other line"},
    "lever_label_reprioritise": {"de": "Umpriorisieren", "en": "Reprioritise"},
    # --- warnings and report lines -------------------------------------------------------------
    "sheet_skipped": {
        "de": "Blatt „{sheet}“ übersprungen: {reason_de}.",
        "en": "Sheet \"{sheet}\" skipped: {reason_en}.",
    },
    "rows_merged": {
        "de": "{count} Zeilen mit gleichem Schlüssel wurden addiert.",
        "en": "{count} rows with the same key were added up.",
    },
    "rows_skipped": {
        "de": "{count} Zeilen übersprungen (Summen-, Leer- oder Titelzeilen).",
        "en": "{count} rows skipped (totals, empty or title rows).",
    },
    "duplicates_dropped": {
        "de": "{count} identische doppelte Zeilen entfernt.",
        "en": "{count} identical duplicate rows dropped.",
    },
    "new_products": {
        "de": "Artikel, die der Artikelstamm nicht kennt ({count}): {items}.",
        "en": "Products the product master does not know ({count}): {items}.",
    },
    "new_markets": {
        "de": "Märkte ohne Prioritätsklasse ({count}, gelten als Klasse B): {items}.",
        "en": "Markets without a priority class ({count}, counted as class B): {items}.",
    },
    "same_file": {
        "de": "Diese Datei wurde bereits als Version {version} ({kind_de}) hochgeladen.",
        "en": "This file was already uploaded as version {version} ({kind_en}).",
    },
    # --- gap model: errors, levers, explanations (pipelines/model.py, levers.py, explain.py) ---
    "model_version_unknown": {
        "de": "Version {value} gibt es nicht als {kind_de}.",
        "en": "There is no {kind_en} version {value}.",
    },
    "model_grain_week": {
        "de": "Wochenweise Auswertung geht nicht: {kinds} liegt nur monatlich vor. Bitte Monat wählen.",
        "en": "A weekly view is not possible: {kinds} is only monthly. Please choose month.",
    },
    "model_pmc_unknown": {
        "de": "Für Artikel {product}, Markt {market} gibt es in {period} keinen Bedarf.",
        "en": "Product {product}, market {market} has no demand in {period}.",
    },
    "model_line_unknown": {
        "de": "Linie {line} hat in {period} weder Bedarf noch Kapazität.",
        "en": "Line {line} has neither demand nor capacity in {period}.",
    },
    "lever_no_routing": {
        "de": "{product} hat keine Linie oder Leistung im Artikelstamm; Hebel auf einer Linie greifen nicht.",
        "en": "{product} has no line or rate in the product master; no lever on a line applies.",
    },
    "lever_no_shortfall": {
        "de": "Keine Fehlmenge zu schließen.",
        "en": "No shortfall to close.",
    },
    "lever_prebuild_closes": {
        "de": "Vorproduzieren in {periods} schließt alle {units} {unit} ({hours} h).",
        "en": "Pre-building in {periods} closes all {units} {unit} ({hours} h).",
    },
    "lever_prebuild_partial": {
        "de": "Vorproduzieren in den freien Stunden von {periods} schließt {units} von {shortfall} {unit} ({hours} h).",
        "en": "Pre-building in the free hours of {periods} closes {units} of {shortfall} {unit} ({hours} h).",
    },
    "lever_prebuild_no_shelf_life": {
        "de": "Für {product} fehlen Haltbarkeitsdaten; ob Vorproduzieren geht, lässt sich nicht sagen.",
        "en": "{product} has no shelf-life data, so whether it can be pre-built cannot be said.",
    },
    "lever_prebuild_no_window": {
        "de": "Vorproduzieren geht nicht: {shelf} Tage Haltbarkeit minus {remaining} Tage Mindestrestlaufzeit lassen keine {period_word}.",
        "en": "Pre-building is not possible: {shelf} days shelf life minus {remaining} days minimum remaining leaves no {period_word}.",
    },
    "lever_prebuild_no_free_hours": {
        "de": "Vorproduzieren bis {k} {periods_word} vorher wäre möglich, aber {line} hat dort keine freien Stunden.",
        "en": "Pre-building up to {k} {periods_word} ahead would be possible, but {line} has no free hours there.",
    },
    "lever_extra_hours_no_max_hours": {
        "de": "{hours} Zusatzstunden auf {line} würden sie schließen (keine Maximalstunden angegeben).",
        "en": "{hours} extra hours on {line} would close it (no maximum hours given).",
    },
    "lever_extra_hours_within_max": {
        "de": "{hours} Zusatzstunden auf {line} würden sie schließen; die Maximalstunden lassen {headroom} h zu.",
        "en": "{hours} extra hours on {line} would close it; the maximum hours allow {headroom} h more.",
    },
    "lever_extra_hours_beyond_max": {
        "de": "{needed} Zusatzstunden würden sie schließen, die Maximalstunden lassen aber nur {headroom} h zu ({units} {unit}).",
        "en": "{needed} extra hours would close it, but the maximum hours allow only {headroom} h more ({units} {unit}).",
    },
    # appended where the allocation makes the line need more than shortfall / rate
    "lever_extra_hours_higher_classes": {
        "de": "Die Fehlmenge allein entspricht {shortfall_hours} h; nach den Prioritätsklassen gehen Zusatzstunden auf {line} aber zuerst an die höheren Klassen, denen dort ebenfalls Stunden fehlen.",
        "en": "The shortfall alone is {shortfall_hours} h, but under the priority classes extra hours on {line} go first to the higher classes, which are short there too.",
    },
    "lever_extra_hours_own_class": {
        "de": "Die Fehlmenge allein entspricht {shortfall_hours} h; Zusatzstunden auf {line} teilen sich aber alle Artikel und Märkte der Klasse {cls} anteilig.",
        "en": "The shortfall alone is {shortfall_hours} h, but extra hours on {line} are shared in proportion among all products and markets of class {cls}.",
    },
    "lever_extra_hours_changeover": {
        "de": "Die Fehlmenge allein entspricht {shortfall_hours} h; dazu kommt der noch offene Anteil von {market} an der Rüstzeit.",
        "en": "The shortfall alone is {shortfall_hours} h, plus the open part of {market}'s share of the changeover.",
    },
    "lever_other_line_closes": {
        "de": "{line} hat {free} freie Stunden und könnte alle {units} {unit} fertigen ({hours} h).",
        "en": "{line} has {free} free hours and could make all {units} {unit} ({hours} h).",
    },
    "lever_other_line_partial": {
        "de": "{line} hat {free} freie Stunden und könnte {units} von {shortfall} {unit} fertigen.",
        "en": "{line} has {free} free hours and could make {units} of {shortfall} {unit}.",
    },
    "lever_other_line_no_free_hours": {
        "de": "Ausweichlinie {line} hat in {period} keine freien Stunden.",
        "en": "Alternate line {line} has no free hours in {period}.",
    },
    "lever_other_line_no_alternate": {
        "de": "Für {product} ist keine Ausweichlinie hinterlegt.",
        "en": "No alternate line is known for {product}.",
    },
    "lever_reprioritise_closes": {
        "de": "In Klasse {top} bekäme {market} alle {demand} {unit} (+{units}); dafür verlören: {losers}.",
        "en": "In class {top}, {market} would get all {demand} {unit} (+{units}); losing: {losers}.",
    },
    "lever_reprioritise_partial": {
        "de": "In Klasse {top} bekäme {market} {new} von {demand} {unit} (+{units}); dafür verlören: {losers}.",
        "en": "In class {top}, {market} would get {new} of {demand} {unit} (+{units}); losing: {losers}.",
    },
    "lever_reprioritise_already_top": {
        "de": "{market} ist schon in der höchsten Klasse der Linie ({top}).",
        "en": "{market} is already in the line's top class ({top}).",
    },
    "lever_reprioritise_no_gain": {
        "de": "Auch in Klasse {top} bekäme {market} nicht mehr.",
        "en": "Even in class {top}, {market} would get no more.",
    },
    "lever_reprioritise_no_capacity": {
        "de": "{line} hat in {period} keine Kapazitätsdaten; eine höhere Klasse hilft nicht.",
        "en": "{line} has no capacity data in {period}; a higher class does not help.",
    },
    "line_lever_no_overload": {
        "de": "{line} ist in {period} nicht überlastet.",
        "en": "{line} is not overloaded in {period}.",
    },
    "line_lever_prebuild_closes": {
        "de": "Vorproduzieren in {periods} deckt die ganze Überlast von {overload} h.",
        "en": "Pre-building in {periods} covers the whole overload of {overload} h.",
    },
    "line_lever_prebuild_partial": {
        "de": "Vorproduzieren in {periods} deckt {hours} der {overload} h Überlast.",
        "en": "Pre-building in {periods} covers {hours} of the {overload} h overload.",
    },
    "line_lever_prebuild_no_shelf_life": {
        "de": "Keinem der {count} Artikel mit Fehlmenge ist eine Haltbarkeit hinterlegt; ob Vorproduzieren geht, lässt sich nicht sagen.",
        "en": "None of the {count} products in shortfall has shelf-life data, so whether pre-building works cannot be said.",
    },
    "line_lever_prebuild_no_window": {
        "de": "Vorproduzieren geht nicht: die Haltbarkeit des empfindlichsten Artikels lässt keine {period_word}.",
        "en": "Pre-building is not possible: the shelf life of the most perishable product leaves no {period_word}.",
    },
    "line_lever_prebuild_no_free_hours": {
        "de": "Vorproduzieren bis {k} {periods_word} vorher wäre möglich, aber dort sind keine Stunden frei.",
        "en": "Pre-building up to {k} {periods_word} ahead would be possible, but no hours are free there.",
    },
    "line_lever_extra_hours_no_max_hours": {
        "de": "{overload} Zusatzstunden würden die Überlast schließen (keine Maximalstunden angegeben).",
        "en": "{overload} extra hours would close the overload (no maximum hours given).",
    },
    "line_lever_extra_hours_within_max": {
        "de": "{overload} Zusatzstunden würden die Überlast schließen; die Maximalstunden lassen {headroom} h zu.",
        "en": "{overload} extra hours would close the overload; the maximum hours allow {headroom} h more.",
    },
    "line_lever_extra_hours_beyond_max": {
        "de": "{overload} Zusatzstunden wären nötig, die Maximalstunden lassen aber nur {headroom} h zu.",
        "en": "{overload} extra hours would be needed, but the maximum hours allow only {headroom} h more.",
    },
    "line_lever_shelf_life_missing": {
        "de": "({count} Artikel ohne Haltbarkeitsdaten nicht berücksichtigt.)",
        "en": "({count} products without shelf-life data not considered.)",
    },
    "explain_load": {
        "de": "{line} braucht {required} h in {period}, hat aber {available} h.",
        "en": "{line} needs {required} h in {period} but has {available} h.",
    },
    "explain_no_capacity": {
        "de": "{line} hat für {period} keine Kapazitätsdaten; {market} bekommt 0 seiner {demand} {unit}.",
        "en": "{line} has no capacity data for {period}; {market} gets 0 of its {demand} {unit}.",
    },
    "explain_no_routing": {
        "de": "{product} hat im Artikelstamm keine Linie oder Leistung; die {demand} {unit} für {market} in {period} fehlen ganz.",
        "en": "{product} has no line or rate in the product master; all {demand} {unit} for {market} in {period} are short.",
    },
    "explain_higher_classes": {
        "de": "Märkte der {class_word} {classes} nehmen {hours} h; {market} (Klasse {cls}) bekommt {supplied} seiner {demand} {unit}.",
        "en": "Class {classes} markets take {hours} h; {market} (class {cls}) gets {supplied} of its {demand} {unit}.",
    },
    "explain_own_class": {
        "de": "Die Märkte der Klasse {cls} teilen sich {hours} h anteilig; {market} bekommt {supplied} seiner {demand} {unit}.",
        "en": "Class {cls} markets share {hours} h in proportion; {market} gets {supplied} of its {demand} {unit}.",
    },
    "explain_supplied": {
        "de": "{market} (Klasse {cls}) bekommt alle {demand} {unit}.",
        "en": "{market} (class {cls}) gets all {demand} {unit}.",
    },
    "explain_extra_hours": {
        "de": "{hours} Zusatzstunden würden sie schließen.",
        "en": "{hours} extra hours would close it.",
    },
    "explain_extra_hours_max": {
        "de": "{hours} Zusatzstunden würden sie schließen; die Maximalstunden lassen nur {headroom} h zu.",
        "en": "{hours} extra hours would close it; the maximum hours allow only {headroom} h.",
    },
    "explain_other_line": {
        "de": "Auf {line} könnten {units} {unit} laufen.",
        "en": "{line} could make {units} {unit}.",
    },
    "reason_capacity": {
        "de": "Kapazität reicht nicht",
        "en": "not enough capacity",
    },
    "reason_no_capacity": {
        "de": "keine Kapazitätsdaten",
        "en": "no capacity data",
    },
    "reason_no_routing": {
        "de": "keine Linie/Leistung im Artikelstamm",
        "en": "no line/rate in the product master",
    },
    "reason_no_net_weight": {
        "de": "kein Nettogewicht für die kg-Angabe",
        "en": "no net weight for the kg figure",
    },
    "reason_unit_mismatch": {
        "de": "Einheit passt nicht zum Artikel",
        "en": "unit does not match the article",
    },
    "explain_no_net_weight": {
        "de": "{product} ist in {given} angegeben, der Artikelstamm nennt aber kein Nettogewicht je {article_unit}; die {demand} für {market} in {period} lassen sich nicht in Linienstunden umrechnen und fehlen ganz. Ein Nettogewicht im Artikelstamm behebt das.",
        "en": "{product} is given in {given}, but the product master has no net weight per {article_unit}; the {demand} for {market} in {period} cannot be turned into line hours and are short in full. A net weight in the product master fixes this.",
    },
    "explain_unit_mismatch": {
        "de": "Die Prognose nennt {product} in {given}, der Artikelstamm führt ihn in {article_unit}; die {demand} für {market} in {period} lassen sich nicht umrechnen und fehlen ganz.",
        "en": "The forecast gives {product} in {given}, the product master keeps it in {article_unit}; the {demand} for {market} in {period} cannot be converted and are short in full.",
    },
    "unit_pieces": {"de": "Stk", "en": "pcs"},
    "unit_pieces_word": {"de": "Stück", "en": "units"},
}

FIELD_NAMES: dict[str, dict[str, str]] = {
    "product": {"de": "Artikel", "en": "product"},
    "market": {"de": "Markt", "en": "market"},
    "period": {"de": "Periode", "en": "period"},
    "quantity": {"de": "Menge", "en": "quantity"},
    "planned_quantity": {"de": "Planmenge", "en": "planned quantity"},
    "line": {"de": "Linie", "en": "line"},
    "available_hours": {"de": "verfügbare Stunden", "en": "available hours"},
    "max_hours": {"de": "maximale Stunden", "en": "maximum hours"},
    "rate": {"de": "Leistung (Stück oder kg pro Stunde)", "en": "rate (units or kg per hour)"},
    "net_weight": {"de": "Nettogewicht (kg je Einheit)", "en": "net weight (kg per unit)"},
    "changeover_hours": {"de": "Rüstzeit (Stunden)", "en": "changeover hours"},
    "shelf_life_days": {"de": "Haltbarkeit (Tage)", "en": "shelf life (days)"},
    "min_remaining_shelf_life_days": {"de": "Mindestrestlaufzeit (Tage)", "en": "minimum remaining shelf life (days)"},
    "priority_class": {"de": "Prioritätsklasse", "en": "priority class"},
    "unit": {"de": "Einheit", "en": "unit"},
    "name": {"de": "Bezeichnung", "en": "name"},
    "product_group": {"de": "Warengruppe", "en": "product group"},
    "price": {"de": "Preis", "en": "price"},
    "margin": {"de": "Deckungsbeitrag", "en": "margin"},
    "period_columns": {"de": "Periodenspalten", "en": "period columns"},
}

KIND_LABELS: dict[str, dict[str, str]] = {
    "forecast": {"de": "Absatzprognose", "en": "sales forecast"},
    "actuals": {"de": "Ist-Absatz", "en": "actual sales"},
    "capacity": {"de": "Kapazität", "en": "capacity"},
    "plan": {"de": "Produktionsplan", "en": "production plan"},
    "products": {"de": "Artikelstamm", "en": "product master"},
    "alternates": {"de": "Ausweichlinien", "en": "alternate lines"},
    "markets": {"de": "Märkte", "en": "markets"},
}

SKIP_REASONS: dict[str, dict[str, str]] = {
    "empty": {"de": "leer", "en": "empty"},
    "not_data": {"de": "keine Tabelle (Deckblatt oder Notizen)", "en": "not a table (cover page or notes)"},
}


def _merge(*tables: dict[str, dict[str, str]]) -> None:
    """Add each concept's texts to MESSAGES; a key defined twice is a bug, not an override."""
    for table in tables:
        twice = sorted(set(table) & set(MESSAGES))
        if twice:
            raise RuntimeError(f"text keys defined twice: {', '.join(twice)}")
        MESSAGES.update(table)


_merge(dashboard.TEXTS, ingest.TEXTS, meeting.TEXTS, scenario.TEXTS, server.TEXTS, access.TEXTS)
SKIP_REASONS.update(ingest.SKIP_REASONS)
FIELD_NAMES.update({k: v for k, v in ingest.FIELD_NAMES.items() if k not in FIELD_NAMES})


def field_label(name: str, lang: str) -> str:
    return FIELD_NAMES.get(name, {}).get(lang, name)


def kind_label(name: str, lang: str) -> str:
    return KIND_LABELS.get(name, {}).get(lang, name)


def reason_label(reason: object, lang: str) -> str:
    """Why a PMC-period is short, in words (the model's codes capacity, no_routing, ...): the one
    wording of Model.conflicts' reason_text and the pack; '' for none, an unknown code as it is."""
    if not isinstance(reason, str) or not reason:
        return ""
    return render(f"reason_{reason}", lang) if f"reason_{reason}" in MESSAGES else reason


def render(key: str, lang: str = "de", /, **params: object) -> str:
    """The text of a message key in a language; missing params render as empty."""
    lang = lang if lang in ("de", "en") else "de"
    if key == "kind_unknown" and not params.get("kind"):
        key = "kind_unknown_no_columns"  # nothing recognised: there is no closest kind to name
    template = MESSAGES[key][lang]
    # derive localized variants of field/kind params (field -> field_de / field_en ...)
    for base, table in (("field", FIELD_NAMES), ("kind", KIND_LABELS)):
        if base in params and isinstance(params[base], str):
            for lg in ("de", "en"):
                params.setdefault(f"{base}_{lg}", table.get(params[base], {}).get(lg, params[base]))
    if "missing" in params and isinstance(params["missing"], (list, tuple)):
        for lg in ("de", "en"):
            params.setdefault(f"missing_{lg}", ", ".join(field_label(f, lg) for f in params["missing"]))
    if "reason" in params:
        for lg in ("de", "en"):
            params.setdefault(f"reason_{lg}", SKIP_REASONS.get(params["reason"], {}).get(lg, params["reason"]))

    class _Default(dict):
        def __missing__(self, k: str) -> str:
            return ""

    return template.format_map(_Default(params))
