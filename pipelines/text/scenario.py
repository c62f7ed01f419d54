"""User-facing texts of the scenario concept, German and English, by key (merged into MESSAGES)."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # --- reading a scenario file (change and field are named by the caller) ---------------------
    "scn_toml": {"de": "Die Szenario-Datei ist kein gültiges TOML: {value}",
                 "en": "The scenario file is not valid TOML: {value}"},
    "scn_name": {"de": "Das Szenario braucht einen Namen: name = \"…\" in der ersten Zeile.",
                 "en": "The scenario needs a name: name = \"…\" on the first line."},
    "scn_kind": {"de": "Änderung {change}: unbekannte Art „{value}“; möglich sind {kinds}.",
                 "en": "Change {change}: unknown kind “{value}”; possible: {kinds}."},
    "scn_missing": {"de": "Änderung {change} ({kind}): das Feld „{field}“ fehlt.",
                    "en": "Change {change} ({kind}): the field “{field}” is missing."},
    "scn_field_unknown": {"de": "Änderung {change} ({kind}): unbekanntes Feld „{field}“.",
                          "en": "Change {change} ({kind}): unknown field “{field}”."},
    "scn_number": {"de": "Änderung {change}: „{field}“ muss eine Zahl sein, nicht „{value}“.",
                   "en": "Change {change}: “{field}” must be a number, not “{value}”."},
    "scn_demand_amount": {"de": "Änderung {change} (demand): genau eines von percent oder units angeben.",
                          "en": "Change {change} (demand): give exactly one of percent or units."},
    "scn_rate": {"de": "Änderung {change}: die Leistung (rate) muss größer als 0 sein, nicht {value}.",
                 "en": "Change {change}: the rate must be above 0, not {value}."},
    "scn_quantity": {"de": "Änderung {change}: die Menge darf nicht negativ sein ({value}).",
                     "en": "Change {change}: the quantity must not be negative ({value})."},
    "scn_text": {"de": "Änderung {change}: „{field}“ muss ein Text sein, nicht „{value}“.",
                 "en": "Change {change}: “{field}” must be text, not “{value}”."},
    "scn_product_unknown": {"de": "Änderung {change}: Artikel „{value}“ steht nicht in den Stammdaten.",
                            "en": "Change {change}: product “{value}” is not in the master data."},
    "scn_line_unknown": {"de": "Änderung {change}: Linie „{value}“ ist unbekannt (weder Kapazität "
                               "noch Stammdaten nennen sie).",
                         "en": "Change {change}: line “{value}” is unknown (neither capacity nor "
                               "master data name it)."},
    "scn_class": {"de": "Änderung {change}: „{value}“ ist keine Prioritätsklasse (A, B, C oder 1, 2, 3).",
                  "en": "Change {change}: “{value}” is not a priority class (A, B, C or 1, 2, 3)."},
    "scn_period": {"de": "Änderung {change}: „{field}“ = „{value}“ ist keine lesbare Periode "
                         "(z. B. 2027-W05, KW 05/2027, 2027-03).",
                   "en": "Change {change}: “{field}” = “{value}” is not a readable period "
                         "(e.g. 2027-W05, KW 05/2027, 2027-03)."},
    "scn_window": {"de": "Änderung {change}: „from“ ({value}) liegt nach „to“ ({to}).",
                   "en": "Change {change}: “from” ({value}) is after “to” ({to})."},
    "scn_unknown": {"de": "Kein Szenario „{value}“ gespeichert (einklang scenario list zeigt alle).",
                    "en": "No scenario “{value}” stored (einklang scenario list shows them all)."},
    "scn_stored": {"de": "Szenario „{name}“ gespeichert (Fassung {revision}, {changes} Änderungen).",
                   "en": "Scenario “{name}” stored (revision {revision}, {changes} changes)."},
    # --- comparison ---------------------------------------------------------------------------------
    "scn_base": {"de": "Basis", "en": "Base"},
    "scn_col_figure": {"de": "Kennzahl", "en": "Figure"},
    "scn_shortfall_class": {"de": "Fehlmenge Klasse {cls}", "en": "Shortfall class {cls}"},
    "scn_moves": {"de": "PMCs mit der größten Änderung der Fehlmenge",
                  "en": "PMCs whose shortfall changes most"},
}
