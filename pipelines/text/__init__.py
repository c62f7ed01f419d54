"""Every user-facing text of Einklang in German and English (one catalogue), and its rendering."""
from pipelines.text.catalogue import MESSAGES, field_label, kind_label, reason_label, render

__all__ = ["MESSAGES", "field_label", "kind_label", "reason_label", "render"]
