"""User-facing texts of access and safety (login, roles, plain text, the pack's limits), German and English."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # --- nothing from a file or a user breaks a page ------------------------------------------
    "unexpected_error": {
        "de": "Hier ist etwas schiefgegangen, das Einklang nicht erwartet hat (Fehlernummer {ref}). "
              "Ihre Daten sind unverändert. Bitte die Seite neu laden; bleibt der Fehler, die "
              "Fehlernummer an die Administration geben (sie steht im Server-Protokoll).",
        "en": "Something went wrong that Einklang did not expect (error number {ref}). Your data is "
              "unchanged. Please reload the page; if the error stays, give the error number to your "
              "administrator (it is in the server log).",
    },
    "link_period_bad": {
        "de": "Die Periode „{value}“ im Link ist keine Woche (2026-W07) und kein Monat (2026-07) des Plans.",
        "en": "The period “{value}” in the link is not a week (2026-W07) or month (2026-07) of the plan.",
    },
    "download_csv": {"de": "Als CSV herunterladen", "en": "Download as CSV"},
    "strategy_number_bad": {
        "de": "{table}, Zeile {row}, Spalte „{column}“: „{value}“ ist keine Zahl. Bitte eine Zahl "
              "in Prozent eingeben (z. B. 95 oder 92,5).",
        "en": "{table}, row {row}, column “{column}”: “{value}” is not a number. Please enter a "
              "number in percent (e.g. 95 or 92.5).",
    },
    "strategy_number_range": {
        "de": "{table}, Zeile {row}, Spalte „{column}“: {value} % liegt außerhalb von {low}–{high} %.",
        "en": "{table}, row {row}, column “{column}”: {value} % is outside {low}–{high} %.",
    },
    "strategy_numbers_refused": {
        "de": "Nicht gespeichert: {count} Eingabe(n) sind keine gültigen Prozentwerte. Nichts wurde verändert.",
        "en": "Not saved: {count} entr(ies) are not valid percentages. Nothing was changed.",
    },
    # --- the pack never fails on content ------------------------------------------------------
    "pack_more_items": {"de": "… und {count} weitere", "en": "… and {count} more"},
    "pack_more_chars": {"de": "… und {count} weitere Zeichen", "en": "… and {count} more characters"},
    "pack_part_failed": {
        "de": "Der {part}-Teil des Meeting-Pakets ließ sich nicht erstellen ({reason}); {other} ist vollständig.",
        "en": "The {part} part of the meeting pack could not be built ({reason}); {other} is complete.",
    },
}
