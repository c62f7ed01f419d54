"""User-facing texts of the server concept, German and English, by key (merged into MESSAGES)."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "store_locked": {
        "de": "Die Datenbank {db} ist seit {seconds:.0f} s von einem anderen Prozess belegt{holder_text}. "
              "Bitte warten, bis dieser fertig ist, und den Befehl erneut ausführen (oder "
              "EINKLANG_LOCK_TIMEOUT erhöhen).",
        "en": "The database {db} has been held by another process for {seconds:.0f} s{holder_text}. "
              "Please wait until it has finished and run the command again (or raise "
              "EINKLANG_LOCK_TIMEOUT).",
    },
    "serve_not_loopback": {
        "de": "Einklang startet nicht auf der Adresse {address}: Dort wäre das Dashboard für das ganze "
              "Netz ohne Anmeldung beschreibbar. Entweder eine Anmeldung einrichten (Abschnitt [auth] "
              "in .streamlit/secrets.toml der App oder in ~/.streamlit/secrets.toml, siehe "
              "docs/deploy.md), oder hinter einem Reverse-Proxy auf 127.0.0.1 bleiben, oder – nur in "
              "einem vertrauenswürdigen Netz – --insecure angeben.",
        "en": "Einklang does not start on address {address}: the whole network could write to the "
              "dashboard without logging in. Either configure a login ([auth] section in the app's "
              ".streamlit/secrets.toml or in ~/.streamlit/secrets.toml, see docs/deploy.md), or stay "
              "on 127.0.0.1 behind a reverse proxy, or, only on a trusted network, pass --insecure.",
    },
    "serve_insecure": {
        "de": "Achtung: Einklang läuft auf {address} ohne Anmeldung (--insecure). Jeder im Netz kann "
              "Daten hochladen und Vereinbarungen erfassen.",
        "en": "Warning: Einklang serves {address} without a login (--insecure). Anyone on the network "
              "can upload data and record agreements.",
    },
    "serve_started": {
        "de": "Einklang: {url} (Beenden mit Strg+C oder SIGTERM)",
        "en": "Einklang: {url} (stop with Ctrl+C or SIGTERM)",
    },
    "watch_accepted": {
        "de": "{file}: angenommen, gespeichert als {versions}.",
        "en": "{file}: accepted, stored as {versions}.",
    },
    "watch_existing": {
        "de": "{file}: dieselbe Datei ist schon gespeichert ({versions}); nichts Neues.",
        "en": "{file}: the same file is already stored ({versions}); nothing new.",
    },
    "watch_refused": {
        "de": "{file}: abgelehnt, nichts gespeichert ({count} Fehler).",
        "en": "{file}: refused, nothing stored ({count} errors).",
    },
    "watch_busy": {
        "de": "{file}: die Datenbank ist belegt; die Datei bleibt liegen und wird beim nächsten Lauf "
              "eingelesen.",
        "en": "{file}: the database is busy; the file stays and is read on the next run.",
    },
    "watch_no_folder": {
        "de": "Der Ablageordner {folder} existiert nicht oder ist kein Ordner.",
        "en": "The drop folder {folder} does not exist or is not a folder.",
    },
}
