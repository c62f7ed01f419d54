"""User-facing texts of the meeting concept, German and English, by key (merged into MESSAGES)."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
}
