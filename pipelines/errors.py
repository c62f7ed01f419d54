"""The one user-facing error type: where in which file, what value, and a message key."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.text import render


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class UserError(Exception):
    """A problem the user can act on; rendered once for the CLI and once for the UI."""

    key: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None          # 1-based Excel row
    column: str | None = None       # Excel column letter(s)
    header: str | None = None
    value: object = None
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "de") -> str:
        return render(self.key, lang, value=self.value, header=self.header, **self.params)

    def to_dict(self, lang: str = "de") -> dict:
        value = self.value
        if value is not None and not isinstance(value, (int, float, str, bool)):
            value = str(value)
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "header": self.header, "value": value, "key": self.key,
                "message": self.message(lang)}

    def __str__(self) -> str:
        return self.message("en")


class Rejected(Exception):
    """An upload refused as a whole, with every problem found."""

    def __init__(self, errors: list[UserError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors

