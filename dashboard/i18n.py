"""Every text of the dashboard in German and English, and number/date/period formats per language."""
from __future__ import annotations

import datetime as dt
import math
import re

from pipelines.read.numbers import format_english, format_german
from pipelines.text import MESSAGES, plain

LANGS = ("de", "en")

TEXTS: dict[str, dict[str, str]] = {
    # --- shell -----------------------------------------------------------------------------------
    "app_title": {"de": "Einklang – S&OP-Cockpit", "en": "Einklang – S&OP cockpit"},
    "nav_planning": {"de": "Planung", "en": "Planning"},
    "nav_data": {"de": "Daten", "en": "Data"},
    "page_overview": {"de": "Überblick", "en": "Overview"},
    "page_conflict": {"de": "Konflikt im Detail", "en": "Conflict drill-down"},
    "page_capacity": {"de": "Kapazität", "en": "Capacity"},
    "page_demand": {"de": "Absatz", "en": "Demand"},
    "page_upload": {"de": "Daten hochladen", "en": "Upload data"},
    "language": {"de": "Sprache", "en": "Language"},
    "plan_version": {"de": "Plan", "en": "Plan"},
    "compare_version": {"de": "Verglichen mit", "en": "Compared with"},
    "version_current": {"de": "aktueller Stand", "en": "current plan"},
    "version_option": {"de": "Stand nach #{version} · {kind} · {label}",
                       "en": "as of #{version} · {kind} · {label}"},
    "version_none": {"de": "– kein Vergleich –", "en": "– no comparison –"},
    "version_help": {"de": "Jeder Stand ist der Plan, wie er nach diesem Upload galt.",
                     "en": "Each state is the plan as it stood after that upload."},
    "db_unavailable": {
        "de": "Die Datenbank {db} lässt sich nicht öffnen ({detail}). Läuft gerade ein anderer "
              "Einklang-Prozess (z. B. `einklang ingest`) auf derselben Datei?",
        "en": "The database {db} cannot be opened ({detail}). Is another Einklang process "
              "(e.g. `einklang ingest`) using the same file?",
    },
    "model_missing": {"de": "Das Planungsmodell ist noch nicht verfügbar.",
                      "en": "The planning model is not available yet."},
    # --- empty states ------------------------------------------------------------------------------
    "empty_title": {"de": "Noch keine Planungsdaten", "en": "No planning data yet"},
    "empty_body": {
        "de": "Laden Sie Absatzprognose, Kapazität und Artikelstamm auf der Seite **Daten hochladen** "
              "hoch – oder starten Sie mit der Demo-Firma: `einklang demo`.",
        "en": "Upload the sales forecast, capacity and product master on the **Upload data** page – "
              "or start with the demo company: `einklang demo`.",
    },
    "empty_needs": {"de": "Für diese Ansicht fehlt noch: {kinds}.",
                    "en": "This view still needs: {kinds}."},
    "go_upload": {"de": "Zu „Daten hochladen“", "en": "Go to “Upload data”"},
    "no_conflicts": {"de": "Keine Konflikte: Die Kapazität deckt den Bedarf in allen Perioden.",
                     "en": "No conflicts: capacity covers demand in every period."},
    # --- overview ------------------------------------------------------------------------------
    "kpi_fill_rate": {"de": "Lieferfähigkeit", "en": "Fill rate"},
    "kpi_fill_rate_class": {"de": "Lieferfähigkeit Klasse {cls}", "en": "Fill rate class {cls}"},
    "kpi_overloaded": {"de": "Überlastete Linienwochen", "en": "Overloaded line-weeks"},
    "kpi_overloaded_month": {"de": "Überlastete Linienmonate", "en": "Overloaded line-months"},
    "kpi_conflicts": {"de": "Offene Konflikte", "en": "Open conflicts"},
    "kpi_shortfall": {"de": "Fehlmenge", "en": "Shortfall"},
    "kpi_shortfall_value": {"de": "Fehlmenge in €", "en": "Shortfall value (€)"},
    "kpi_vs": {"de": "gegenüber Vergleich", "en": "against comparison"},
    "heatmap_title": {"de": "Wo es eng wird", "en": "Where it gets tight"},
    "heatmap_by": {"de": "Ansicht", "en": "View"},
    "heatmap_by_pmc": {"de": "Artikel × Markt", "en": "Product × market"},
    "heatmap_by_line": {"de": "Linie", "en": "Line"},
    "heatmap_hint": {"de": "Klick auf ein Feld öffnet den Konflikt im Detail.",
                     "en": "Click a cell to open the conflict drill-down."},
    "heatmap_more": {"de": "Gezeigt: die {shown} wichtigsten von {total} Artikel-Markt-Kombinationen mit Konflikt.",
                     "en": "Showing the {shown} most important of {total} product-market combinations in conflict."},
    "top_conflicts": {"de": "Die wichtigsten Konflikte", "en": "Top conflicts"},
    "top_conflicts_hint": {"de": "Nach strategischem Gewicht (Fehlmenge je Prioritätsklasse), je Artikel-Markt die schwerste Periode.",
                           "en": "By strategic weight (shortfall per priority class), each product-market at its worst period."},
    "new_this_cycle": {"de": "Neu in diesem Zyklus", "en": "New this cycle"},
    "new_products": {"de": "Neue Artikel", "en": "New products"},
    "new_markets": {"de": "Neue Märkte", "en": "New markets"},
    "new_pmcs": {"de": "Neue Artikel-Markt-Kombinationen", "en": "New product-market combinations"},
    "nothing_new": {"de": "Nichts Neues gegenüber dem Vergleichsstand.",
                    "en": "Nothing new against the comparison."},
    "open": {"de": "Öffnen", "en": "Open"},
    # --- column labels ---------------------------------------------------------------------------
    "col_product": {"de": "Artikel", "en": "Product"},
    "col_name": {"de": "Bezeichnung", "en": "Name"},
    "col_market": {"de": "Markt", "en": "Market"},
    "col_line": {"de": "Linie", "en": "Line"},
    "col_period": {"de": "Periode", "en": "Period"},
    "col_class": {"de": "Klasse", "en": "Class"},
    "col_demand": {"de": "Bedarf", "en": "Demand"},
    "col_supplied": {"de": "Lieferbar", "en": "Supplied"},
    "col_shortfall": {"de": "Fehlmenge", "en": "Shortfall"},
    "col_weight": {"de": "Gewicht", "en": "Weight"},
    "col_reason": {"de": "Erklärung", "en": "Explanation"},
    "col_required_hours": {"de": "Benötigte Stunden", "en": "Required hours"},
    "col_available_hours": {"de": "Verfügbare Stunden", "en": "Available hours"},
    "col_peak_utilisation": {"de": "Spitzenauslastung", "en": "Peak utilisation"},
    "col_max_hours": {"de": "Maximale Stunden", "en": "Maximum hours"},
    "col_utilisation": {"de": "Auslastung", "en": "Utilisation"},
    "col_overload_hours": {"de": "Überlast (h)", "en": "Overload (h)"},
    "col_lever": {"de": "Hebel", "en": "Lever"},
    "col_closes": {"de": "Schließt (Stück)", "en": "Closes (units)"},
    "col_hours": {"de": "Stunden", "en": "Hours"},
    "col_detail": {"de": "Hinweis", "en": "Note"},
    "col_change": {"de": "Veränderung", "en": "Change"},
    "col_previous": {"de": "Vergleich", "en": "Comparison"},
    "col_current": {"de": "Aktuell", "en": "Current"},
    "col_group": {"de": "Warengruppe", "en": "Product group"},
    "col_maintenance": {"de": "Wartung / Stillstand", "en": "Maintenance / shutdown"},
    "col_sheet": {"de": "Blatt", "en": "Sheet"},
    "col_row": {"de": "Zeile", "en": "Row"},
    "col_column": {"de": "Spalte", "en": "Column"},
    "col_header": {"de": "Kopf", "en": "Header"},
    "col_value": {"de": "Wert", "en": "Value"},
    "col_message": {"de": "Meldung", "en": "Message"},
    "col_file": {"de": "Datei", "en": "File"},
    "col_kind": {"de": "Art", "en": "Kind"},
    "col_layout": {"de": "Layout", "en": "Layout"},
    "col_grain": {"de": "Körnung", "en": "Grain"},
    "col_header_row": {"de": "Kopfzeile", "en": "Header row"},
    "col_rows": {"de": "Zeilen", "en": "Rows"},
    "col_skipped": {"de": "Übersprungen", "en": "Skipped"},
    "col_totals": {"de": "Summenzeilen", "en": "Totals rows"},
    "col_merged": {"de": "Addiert", "en": "Merged"},
    "col_version": {"de": "Version", "en": "Version"},
    "col_label": {"de": "Bezeichnung", "en": "Label"},
    "col_created": {"de": "Hochgeladen", "en": "Uploaded"},
    "col_as_of": {"de": "Stand", "en": "As of"},
    "col_user": {"de": "Von", "en": "By"},
    "col_mode": {"de": "Modus", "en": "Mode"},
    "col_columns": {"de": "Erkannte Spalten", "en": "Recognised columns"},
    "mode_replace": {"de": "ersetzt", "en": "replace"},
    "mode_merge": {"de": "zusammengeführt", "en": "merge"},
    "layout_long": {"de": "lang", "en": "long"},
    "layout_wide": {"de": "breit (Periodenspalten)", "en": "wide (period columns)"},
    "grain_week": {"de": "Woche", "en": "week"},
    "grain_month": {"de": "Monat", "en": "month"},
    # --- drill-down ------------------------------------------------------------------------------
    "pick_conflict": {"de": "Konflikt wählen", "en": "Choose a conflict"},
    "pick_line": {"de": "oder eine Linie", "en": "or a line"},
    "pmc_title": {"de": "{product} · {market} · {period}", "en": "{product} · {market} · {period}"},
    "line_title": {"de": "Linie {line} · {period}", "en": "Line {line} · {period}"},
    "demand_vs_supplied": {"de": "Bedarf und Lieferbares über die Zeit",
                           "en": "Demand and supplied over time"},
    "line_load_title": {"de": "Auslastung der Linie {line}: wer um die Stunden konkurriert",
                        "en": "Load of line {line}: who competes for the hours"},
    "competitors": {"de": "Artikel-Markt-Kombinationen auf {line} in {period}",
                    "en": "Product-market combinations on {line} in {period}"},
    "levers": {"de": "Hebel: was die Lücke schließt", "en": "Levers: what closes the gap"},
    "levers_hint": {"de": "Jeder Hebel für sich allein betrachtet.",
                    "en": "Each lever on its own."},
    "no_levers": {"de": "Für diesen Konflikt bietet das Modell keine Hebel.",
                  "en": "The model offers no levers for this conflict."},
    "explanation": {"de": "Warum", "en": "Why"},
    "not_found": {"de": "Zu diesen Angaben gibt es im gewählten Stand keine Daten: {what}.",
                  "en": "The chosen plan holds no data for: {what}."},
    "share_link": {"de": "Link für das Protokoll", "en": "Link for the minutes"},
    "back_overview": {"de": "← Überblick", "en": "← Overview"},
    "no_shortfall_here": {"de": "In dieser Periode fehlt nichts.", "en": "Nothing is short in this period."},
    "col_closes_hours": {"de": "Schließt (h)", "en": "Closes (h)"},
    # --- capacity ------------------------------------------------------------------------------
    "utilisation_title": {"de": "Auslastung je Linie und Periode", "en": "Utilisation per line and period"},
    "target_band": {"de": "Zielband", "en": "Target band"},
    "bottlenecks": {"de": "Engpässe: Überlaststunden je Linie", "en": "Bottlenecks: overload hours per line"},
    "maintenance": {"de": "Perioden mit reduzierter Kapazität", "en": "Periods with reduced capacity"},
    "maintenance_hint": {"de": "Weniger als 80 % der üblichen Stunden der Linie (Median): Wartung, Stillstand, Saison.",
                         "en": "Below 80 % of the line's usual hours (median): maintenance, shutdown, season."},
    "col_usual_hours": {"de": "Üblich (h)", "en": "Usual (h)"},
    "periods_short": {"de": "{total} fehlen in {count} Perioden", "en": "{total} short over {count} periods"},
    "no_maintenance": {"de": "Keine Perioden mit reduzierter Kapazität.",
                       "en": "No periods with reduced capacity."},
    "no_capacity_data": {"de": "keine Kapazitätsdaten", "en": "no capacity data"},
    # --- demand --------------------------------------------------------------------------------
    "demand_title": {"de": "Absatzprognose über die Zeit", "en": "Forecast over time"},
    "demand_by": {"de": "Gruppiert nach", "en": "Grouped by"},
    "demand_change": {"de": "Was sich gegenüber dem Vergleich geändert hat",
                      "en": "What changed against the comparison"},
    "demand_biggest": {"de": "Größte Veränderungen je Artikel-Markt", "en": "Biggest moves per product-market"},
    "no_comparison": {"de": "Wählen Sie links einen Vergleichsstand mit einer anderen Absatzprognose.",
                      "en": "Choose a comparison with a different forecast in the sidebar."},
    "total_previous": {"de": "Vergleich gesamt", "en": "Comparison total"},
    "total_current": {"de": "Aktuell gesamt", "en": "Current total"},
    # --- upload --------------------------------------------------------------------------------
    "upload_files": {"de": "Exporte hierher ziehen (Excel, ODS, CSV – auch mehrere)",
                     "en": "Drop exports here (Excel, ODS, CSV – several at once)"},
    "upload_limit": {"de": "Höchstens {mb} MB je Datei.", "en": "At most {mb} MB per file."},
    "upload_check": {"de": "Prüfen", "en": "Check"},
    "upload_store": {"de": "Übernehmen", "en": "Store"},
    "upload_kind": {"de": "Art (automatisch erkennen, wenn leer)", "en": "Kind (detected when empty)"},
    "upload_kind_auto": {"de": "automatisch", "en": "detect"},
    "upload_label": {"de": "Bezeichnung der Version", "en": "Version label"},
    "upload_as_of": {"de": "Stand der Prognose", "en": "Forecast as of"},
    "upload_merge": {"de": "Nur die enthaltenen Märkte/Linien/Artikel ersetzen",
                     "en": "Replace only the markets/lines/products in the file"},
    "upload_preview": {"de": "Erkannt in {file} – noch nichts gespeichert",
                       "en": "Recognised in {file} – nothing stored yet"},
    "upload_refused": {"de": "{file} abgelehnt: {count} Fehler. Es wurde nichts gespeichert.",
                       "en": "{file} refused: {count} error(s). Nothing was stored."},
    "upload_stored": {"de": "{file} übernommen: {versions}.", "en": "{file} stored: {versions}."},
    "upload_existing": {"de": "{file} war bereits gespeichert: {versions}.",
                        "en": "{file} was already stored: {versions}."},
    "upload_too_large": {"de": "{file} ist {size} MB groß; erlaubt sind höchstens {mb} MB.",
                         "en": "{file} is {size} MB; at most {mb} MB are allowed."},
    "upload_skipped_sheets": {"de": "Übersprungene Blätter", "en": "Skipped sheets"},
    "upload_reading": {"de": "Lese {file} …", "en": "Reading {file} …"},
    "stage_read": {"de": "lesen", "en": "reading"},
    "stage_validate": {"de": "prüfen", "en": "checking"},
    "stage_check": {"de": "Datei prüfen", "en": "checking the file"},
    "stage_open": {"de": "öffnen", "en": "opening"},
    "stage_parse": {"de": "Zahlen und Perioden lesen", "en": "reading numbers and periods"},
    "stage_store": {"de": "speichern", "en": "storing"},
    "stage_done": {"de": "fertig", "en": "done"},
    "mapping_title": {"de": "Spalten zuordnen", "en": "Map columns"},
    "mapping_hint": {"de": "Einklang erkennt nicht alle Spalten. Ordnen Sie die Felder den Spalten Ihrer Datei zu; "
                           "die Zuordnung wird für Dateien derselben Form gemerkt.",
                     "en": "Einklang does not recognise every column. Map the fields to your file's columns; "
                           "the mapping is remembered for files of the same shape."},
    "mapping_none": {"de": "– nicht vorhanden –", "en": "– not present –"},
    "mapping_apply": {"de": "Mit dieser Zuordnung prüfen", "en": "Check with this mapping"},
    "versions_title": {"de": "Gespeicherte Versionen", "en": "Stored versions"},
    "versions_empty": {"de": "Noch keine Versionen gespeichert.", "en": "No versions stored yet."},
    "templates_title": {"de": "Vorlagen", "en": "Templates"},
    "templates_hint": {"de": "Leere Vorlagen je Eingabeart, mit deutschen oder englischen Spaltenköpfen.",
                       "en": "Empty templates per input kind, with German or English headers."},
    "template_de": {"de": "Vorlage (deutsch)", "en": "Template (German)"},
    "template_en": {"de": "Vorlage (englisch)", "en": "Template (English)"},
    "warnings": {"de": "Hinweise", "en": "Notes"},
    "new_keys": {"de": "Neu", "en": "New"},
}


def t(key: str, lang: str, **params: object) -> str:
    """The text of a key for a markdown-rendering element: every parameter (data from a file or a
    user) is escaped, so it shows as typed and never as a link, an image or HTML."""
    return t_text(key, lang, **{k: v if isinstance(v, (int, float)) else plain.markdown(v)
                                for k, v in params.items()})


def t_text(key: str, lang: str, **params: object) -> str:
    """The text of a key as plain text (option labels, chart texts, tables): nothing escaped."""
    entry = TEXTS.get(key) or MESSAGES[key]
    text = entry.get(lang) or entry["de"]
    return text.format(**params) if params else text


def register(texts: dict[str, dict[str, str]]) -> None:
    """Merge a feature's own text table (e.g. dashboard/i18n_meeting.py); a key is defined once."""
    clash = sorted(set(texts) & set(TEXTS))
    if clash:
        raise ValueError(f"text keys defined twice: {clash}")
    TEXTS.update(texts)


from dashboard.i18n_meeting import TEXTS as _MEETING_TEXTS  # noqa: E402  (plain data, no cycle)

register(_MEETING_TEXTS)


# --- numbers -------------------------------------------------------------------------------------

def number(value: object, lang: str, decimals: int = 0) -> str:
    """1.234,5 in German, 1,234.5 in English; empty for missing values."""
    if value is None:
        return "–"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return "–"
    if round(x, decimals) == 0:
        x = 0.0  # no "-0"
    return format_german(x, decimals) if lang == "de" else format_english(x, decimals)


def percent(value: object, lang: str, decimals: int = 0) -> str:
    """A ratio as percent: 0.875 -> '87,5 %' (de) / '87.5%' (en)."""
    if value is None:
        return "–"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(x):
        return "–"
    text = number(x * 100, lang, decimals)
    return f"{text} %" if lang == "de" else f"{text}%"


def compact(value: object, lang: str) -> str:
    """Big numbers for the meeting-room screen: 1,2 Mio. / 1.2M, 12.345 / 12,345."""
    if value is None:
        return "–"
    x = float(value)
    if math.isnan(x):
        return "–"
    if abs(x) >= 1e6:
        return number(x / 1e6, lang, 1) + (" Mio." if lang == "de" else "M")
    return number(x, lang, 0)


def plotly_separators(lang: str) -> str:
    """Plotly's `layout.separators`: decimal then thousands."""
    return ",." if lang == "de" else ".,"


def date(value: object, lang: str) -> str:
    """27.11.2026 in German, 2026-11-27 in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    try:
        import pandas as pd
        if pd.isna(value):
            return "–"
        value = pd.Timestamp(value).to_pydatetime()
    except (TypeError, ValueError):
        return str(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.strftime("%d.%m.%Y") if lang == "de" else value.isoformat()


def datetime(value: object, lang: str) -> str:
    """27.11.2026 14:05 in German, 2026-11-27 14:05 in English."""
    try:
        import pandas as pd
        if value is None or pd.isna(value):
            return "–"
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    return stamp.strftime("%d.%m.%Y %H:%M") if lang == "de" else stamp.strftime("%Y-%m-%d %H:%M")


_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_MONTHS = {
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def period(value: object, lang: str) -> str:
    """'2027-W05' -> 'KW 05/2027' (de) / 'W05 2027' (en); '2027-03' -> 'Mär 2027' / 'Mar 2027'."""
    text = "" if value is None else str(value)
    m = _WEEK.match(text)
    if m:
        year, week = m.groups()
        return f"KW {week}/{year}" if lang == "de" else f"W{week} {year}"
    m = _MONTH.match(text)
    if m:
        year, month = m.groups()
        return f"{_MONTHS[lang if lang in _MONTHS else 'de'][int(month) - 1]} {year}"
    return text


def priority_class(value: object) -> str:
    """Class 1/2/3 as the planner's A/B/C."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return "–"
    return "ABCDEFGH"[n - 1] if 1 <= n <= 8 else str(n)
