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
    # --- login and roles -----------------------------------------------------------------------
    "page_access": {"de": "Wer darf was", "en": "Who may do what"},
    "access_local": {
        "de": "Ohne Anmeldung (lokal, ein Benutzer): alles ist erlaubt. Für den Betrieb im Firmennetz "
              "eine Anmeldung in Streamlits `[auth]`-Secrets einrichten (docs/access.md).",
        "en": "No login configured (local, single user): everything is allowed. For a server in the "
              "company network configure a login in Streamlit's `[auth]` secrets (docs/access.md).",
    },
    "access_login_title": {"de": "Bitte anmelden", "en": "Please log in"},
    "access_login_body": {
        "de": "Einklang zeigt die Planung nur angemeldeten Benutzern.",
        "en": "Einklang shows the plan to logged-in users only.",
    },
    "access_login": {"de": "Anmelden", "en": "Log in"},
    "access_logout": {"de": "Abmelden", "en": "Log out"},
    "access_signed_in": {"de": "Angemeldet: {email} · Rolle {role}", "en": "Logged in: {email} · role {role}"},
    "access_you": {"de": "Sie: {email}, Rolle {role}.", "en": "You: {email}, role {role}."},
    "access_upload_refused": {
        "de": "{file}: Die Rolle {role} darf {kinds} nicht hochladen; nichts wurde gespeichert. "
              "{allowed} Wenden Sie sich an S&OP, um die Daten einspielen zu lassen.",
        "en": "{file}: the role {role} may not upload {kinds}; nothing was stored. {allowed} "
              "Ask S&OP to load the data.",
    },
    "access_upload_allowed": {"de": "Erlaubt sind: {kinds}.", "en": "Allowed: {kinds}."},
    "access_nothing": {"de": "Diese Rolle liest nur.", "en": "This role only reads."},
    "access_refused": {
        "de": "Die Rolle {role} darf {action} nicht; nur {roles}.",
        "en": "The role {role} may not {action}; only {roles}.",
    },
    "action_strategy": {"de": "die Strategie ändern", "en": "change the strategy"},
    "action_meeting": {"de": "Meetings anlegen oder Vereinbarungen bearbeiten", "en": "create meetings or edit agreements"},
    "action_agreement": {"de": "Vereinbarungen erfassen", "en": "record agreements"},
    "action_upload": {"de": "Daten hochladen", "en": "upload data"},
    "role_sop": {"de": "S&OP", "en": "S&OP"},
    "role_vertrieb": {"de": "Vertrieb", "en": "Sales"},
    "role_betrieb": {"de": "Betrieb", "en": "Operations"},
    "role_viewer": {"de": "Lesen", "en": "Viewer"},
    "col_role": {"de": "Rolle", "en": "Role"},
    "col_uploads": {"de": "darf hochladen", "en": "may upload"},
    "col_may": {"de": "darf außerdem", "en": "may also"},
    "col_members": {"de": "wer (E-Mail oder @Domain)", "en": "who (e-mail or @domain)"},
    "access_everyone_else": {"de": "alle anderen Angemeldeten", "en": "everyone else logged in"},
}
