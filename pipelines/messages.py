"""Every user-facing text, German and English, by key. Templates use str.format fields."""
from __future__ import annotations

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
    "kind_unknown": {
        "de": "Das Blatt passt zu keiner Eingabeart. Es sieht aus wie {kind_de}, aber es fehlt: {missing_de}.",
        "en": "The sheet fits no input kind. It looks like {kind_en}, but it lacks: {missing_en}.",
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
        "de": "{count} neue Artikel, die der Artikelstamm nicht kennt: {items}.",
        "en": "{count} new products the master data does not know: {items}.",
    },
    "new_markets": {
        "de": "{count} neue Märkte ohne Prioritätsklasse: {items}.",
        "en": "{count} new markets without a priority class: {items}.",
    },
    "same_file": {
        "de": "Diese Datei wurde bereits als Version {version} ({kind_de}) hochgeladen.",
        "en": "This file was already uploaded as version {version} ({kind_en}).",
    },
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
    "rate": {"de": "Leistung (Stück pro Stunde)", "en": "rate (units per hour)"},
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


def field_label(name: str, lang: str) -> str:
    return FIELD_NAMES.get(name, {}).get(lang, name)


def kind_label(name: str, lang: str) -> str:
    return KIND_LABELS.get(name, {}).get(lang, name)


def render(key: str, lang: str = "de", **params: object) -> str:
    """The text of a message key in a language; missing params render as empty."""
    lang = lang if lang in ("de", "en") else "de"
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
