"""Text renderings for the command line: error tables, version reports, CSV and JSON."""
from __future__ import annotations

import json
import math

import pandas as pd

from pipelines.errors import UserError
from pipelines.text import format as fmt
from pipelines.text import field_label, kind_label, render

_HEADINGS = {
    "de": ("Datei", "Blatt", "Zeile", "Spalte", "Kopf", "Wert", "Meldung"),
    "en": ("File", "Sheet", "Row", "Column", "Header", "Value", "Message"),
}
_FORMULA_START = ("=", "+", "@", "\t", "\r")


def error_table(errors: list[UserError], lang: str = "de") -> str:
    """Every error as one row of a readable table, in the user's language."""
    title = {"de": f"Datei abgelehnt: {len(errors)} Fehler. Es wurde nichts gespeichert.",
             "en": f"File refused: {len(errors)} error(s). Nothing was stored."}[lang]
    rows = [[e.file or "", e.sheet or "", "" if e.row is None else str(e.row), e.column or "",
             e.header or "", "" if e.value is None else str(e.value), e.message(lang)] for e in errors]
    headings = list(_HEADINGS[lang])
    widths = [max([len(h)] + [min(len(r[i]), 40) for r in rows]) for i, h in enumerate(headings[:-1])]
    def fmt(cells: list[str]) -> str:
        fixed = [c[:40].ljust(w) for c, w in zip(cells[:-1], widths)]
        return "  ".join(fixed + [cells[-1]])
    lines = [title, fmt(headings), fmt(["-" * w for w in widths] + ["-" * 7])]
    lines += [fmt(r) for r in rows]
    return "\n".join(lines)


_WORDS = {
    "de": {"long": "lang", "wide": "breit", "week": "Woche", "month": "Monat"},
    "en": {"long": "long", "wide": "wide", "week": "week", "month": "month"},
}


def version_lines(result, lang: str, dry_run: bool = False) -> list[str]:
    """A short report of an accepted upload."""
    if dry_run:
        head = {"de": f"{result.file}: geprüft, nichts gespeichert.",
                "en": f"{result.file}: checked, nothing stored."}[lang]
    elif result.existing:
        head = {"de": f"{result.file}: bereits vorhanden.", "en": f"{result.file}: already stored."}[lang]
    else:
        head = {"de": f"{result.file}: übernommen.", "en": f"{result.file}: accepted."}[lang]
    lines = [head]
    words = _WORDS[lang]
    for v in result.versions:
        version = "-" if v.version is None else v.version
        layout, grain = words.get(v.layout, v.layout), words.get(v.grain, "-") if v.grain else "-"
        if lang == "de":
            lines.append(f"  {kind_label(v.kind, lang)}: Version {version}, {fmt.number(v.rows, lang)} Zeilen "
                         f"({layout}, {grain}, Kopfzeile {v.header_row}, "
                         f"{v.merged_rows} addiert, {v.skipped_rows} übersprungen)")
        else:
            lines.append(f"  {kind_label(v.kind, lang)}: version {version}, {fmt.number(v.rows, lang)} rows "
                         f"({layout}, {grain}, header row {v.header_row}, "
                         f"{v.merged_rows} merged, {v.skipped_rows} skipped)")
    lines += ["  ! " + w.message(lang) for w in result.warnings]
    return lines


def _safe_text(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, str) and value.startswith("-") and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def frame_to_csv(frame: pd.DataFrame) -> str:
    """Comma-separated, '.' decimal, UTF-8, header row, no index; no cell becomes a formula."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_safe_text)
    return out.to_csv(index=False, lineterminator="\n")


def _json_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    if hasattr(value, "item"):
        return _json_value(value.item())
    if isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def frame_to_json(frame: pd.DataFrame) -> str:
    """A JSON array of row objects; missing values as null."""
    records = [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]
    return json.dumps(records, ensure_ascii=False)


def kpi_rows(figures: dict, lang: str, grain: str = "week") -> list[tuple[str, str, object, str]]:
    """The headline figures of Model.kpis as (key, label, value, kind) rows in display order; kind
    is 'percent', 'number', 'hours' or 'money'. The dashboard's tiles, the pack and the CLI label
    and show them alike (kpi_text)."""
    rows = [("fill_rate", render("kpi_fill_rate", lang), figures["fill_rate"], "percent")]
    rows += [(f"fill_rate_{cls}", render("kpi_fill_rate_class", lang, cls=cls), value, "percent")
             for cls, value in figures["fill_rate_by_class"].items() if value is not None]
    rows += [
        ("overloaded_line_periods",
         render("kpi_overloaded" if grain == "week" else "kpi_overloaded_month", lang),
         figures["overloaded_line_periods"], "number"),
        ("open_conflicts", render("kpi_conflicts", lang), figures["open_conflicts"], "number"),
        ("shortfall_hours", render("kpi_shortfall_hours", lang), figures["shortfall_hours"], "hours"),
    ]
    if figures.get("shortfall_value") is not None:
        rows.append(("shortfall_value", render("kpi_shortfall_value", lang),
                     figures["shortfall_value"], "money"))
    return rows


def kpi_text(value: object, kind: str, lang: str) -> str:
    """One headline figure as the dashboard shows it."""
    if kind == "percent":
        return fmt.percent(value, lang, 1)
    if kind == "money":  # with the currency: '1,2 Mio. €' / '€1.2M'
        return fmt.money(value, lang)
    if kind == "hours" and fmt.finite(value) is not None:
        return f"{fmt.number(value, lang)} h"
    return fmt.number(value, lang)


def kpi_delta(now: object, before: object, kind: str, lang: str) -> str | None:
    """The change of one headline figure against the comparison, signed, in the figure's unit:
    fill rates in percentage points, hours with 'h', money with '€'; None without a comparison."""
    if fmt.finite(now) is None or fmt.finite(before) is None:
        return None
    diff = float(now) - float(before)
    if kind == "percent":
        text = fmt.number(diff * 100, lang, 1) + (" %-Pkt." if lang == "de" else " pp")
    elif kind == "money":
        text = fmt.money(diff, lang)
    elif kind == "hours":
        text = f"{fmt.compact(diff, lang)} h"
    else:
        text = fmt.compact(diff, lang)
    return f"+{text}" if diff > 0 and not text.startswith(("-", "−", "+")) else text


def kpi_unchanged(delta: str | None, kind: str, lang: str) -> bool:
    """Whether a change `kpi_delta` wrote reads as none ("0 h", "-0,0 %-Pkt."): shown without
    an arrow and in grey, not as a red rise of nothing."""
    return delta is not None and delta.lstrip("+-−") == kpi_delta(0.0, 0.0, kind, lang)


def kpi_frame(figures: dict, lang: str) -> pd.DataFrame:
    """The headline figures as a table for the command line, with the comparison when given."""
    before = figures.get("compare")
    before_values = {k: v for k, _, v, _ in kpi_rows(before, lang)} if before else {}
    rows = []
    for key, label, value, kind in kpi_rows(figures, lang):
        row = {"kpi": key, "label": label, "value": value, "shown": kpi_text(value, kind, lang)}
        if before:
            previous = before_values.get(key)
            row["compare"] = previous
            row["change"] = None if previous is None or value is None else round(value - previous, 6)
        rows.append(row)
    return pd.DataFrame(rows, dtype=object)


# --- the upload's report: what was read per sheet, what was skipped, the as-of date used -------

def as_of_text(result, lang: str) -> str | None:
    """The as-of date an upload will use and where it comes from, or None without a forecast."""
    if result.as_of is None:
        return None
    return render("as_of_used", lang, date=fmt.date(result.as_of, lang),
                  source=render(f"as_of_{result.as_of_source or 'today'}", lang))


def reconciliation_frame(result, lang: str) -> pd.DataFrame:
    """The reconciliation as a display table (the upload preview)."""
    columns = ["col_sheet", "col_cells_read", "col_sum_read", "col_sum_stored", "col_zero_cells",
               "col_totals_checked", "col_columns_not_read"]
    rows = [[r["sheet"], fmt.number(r["cells_read"], lang), fmt.figure(r["sum_read"], lang, 6),
             fmt.figure(r["sum_stored"], lang, 6), fmt.number(r.get("zero_cells") or 0, lang),
             ", ".join(r["totals_checked"]) or fmt.MISSING, ", ".join(r["columns_not_read"]) or fmt.MISSING]
            for r in result.reconciliation]
    return pd.DataFrame(rows, columns=[render(c, lang) for c in columns])


def skipped_frame(result, lang: str) -> pd.DataFrame:
    """The sheets skipped and why, as a display table."""
    rows = [[s["sheet"], s["why"]] for s in result.skipped_sheets(lang)]
    return pd.DataFrame(rows, columns=[render("col_sheet", lang), render("col_why", lang)])


def skipped_lines(result, lang: str) -> list[str]:
    """The CLI's list of the sheets skipped and why (a refused file says no more than that no
    sheet holds data; this says which sheets were passed over, e.g. the hidden one)."""
    skipped = result.skipped_sheets(lang)
    if not skipped:
        return []
    return [render("skipped_title", lang) + ":"] + [f"  {s['sheet']}: {s['why']}" for s in skipped]


def reconciliation_lines(result, lang: str) -> list[str]:
    """The CLI's report of what was read per sheet and the as-of date used (skipped sheets are
    among the warnings)."""
    lines = [f"  {as_of}"] if (as_of := as_of_text(result, lang)) is not None else []
    for r in result.reconciliation:
        dropped = r.get("sum_duplicates_dropped") or 0.0
        ok = r["sum_read"] is None or r["sum_stored"] is None or \
            abs(r["sum_read"] - r["sum_stored"] - dropped) < 1e-6
        line = render("recon_sheet_line", lang, sheet=r["sheet"], cells=fmt.number(r["cells_read"], lang),
                      read=fmt.figure(r["sum_read"], lang, 6), mark="=" if ok else "≠",
                      stored=fmt.figure(r["sum_stored"], lang, 6))
        if dropped:
            line += render("recon_duplicates", lang, value=fmt.figure(dropped, lang, 6))
        lines.append(line)
        if r.get("zero_cells"):
            lines.append(render("recon_zero_cells", lang, count=fmt.number(r["zero_cells"], lang)))
        if r["totals_checked"]:
            lines.append(render("recon_totals_checked", lang, value=", ".join(r["totals_checked"])))
        if r["columns_not_read"]:
            lines.append(render("recon_columns_not_read", lang, value=", ".join(r["columns_not_read"])))
    return lines


# --- what an upload changes against the current versions (the preview and `ingest --dry-run`) ---

def _items(items: list, count: int, display=None) -> str:
    shown = [display(i) if display else str(i) for i in items]
    return ", ".join(shown) + (" …" if count > len(items) else "")


def change_summary(change, lang: str) -> str:
    """One line per kind: rows before and after, against which version, replace or merge."""
    kind = kind_label(change.kind, lang)
    if change.base_version is None:
        return render("changes_first", lang, kind=kind, after=fmt.number(change.rows_after, lang))
    return render("changes_rows", lang, kind=kind, before=fmt.number(change.rows_before, lang),
              after=fmt.number(change.rows_after, lang), version=change.base_version,
              mode=render(f"changes_mode_{change.mode}", lang))


def change_keys(change, lang: str, product_display=None) -> list[str]:
    """New PMCs and the products, markets and lines that appear or disappear, one line each."""
    show = product_display or (lambda p: change.product_display.get(p, p))
    lines = []
    if change.new_pmc_count:
        lines.append(render("changes_new_pmcs", lang, count=change.new_pmc_count,
                        items=_items([f"{show(p)} · {m}" for p, m in change.new_pmcs], change.new_pmc_count)))
    for direction, keys in (("new", change.appearing), ("gone", change.disappearing)):
        for key, items in keys.items():
            count = change.counts.get(f"{direction}_{key}", len(items))
            if count:
                lines.append(render(f"changes_{direction}_{key}", lang, count=count,
                                items=_items(items, count, show if key == "product" else None)))
    return lines


def change_totals_title(change, lang: str) -> str:
    return render("changes_totals", lang, value=field_label(change.value, lang),
              group=field_label(change.totals_by, lang))


def change_totals_frame(change, lang: str):
    """Totals per market (forecast, actuals) or line (capacity, plan): before, after, difference."""

    def signed(x: float) -> str:
        return ("+" if round(x, 1) > 0 else "") + fmt.figure(x, lang)

    with_unit = any("unit" in t for t in change.totals)
    rows = [[t["group"] if t["group"] is not None else "–", *([t.get("unit") or "–"] if with_unit else []),
             fmt.figure(t["before"], lang), fmt.figure(t["after"], lang), signed(t["delta"])]
            for t in change.totals]
    return pd.DataFrame(rows, columns=[field_label(change.totals_by, lang).capitalize(),
                                       *([field_label("unit", lang).capitalize()] if with_unit else []),
                                       render("col_before_upload", lang), render("col_after_upload", lang),
                                       render("col_delta_upload", lang)])


def changes_lines(result, lang: str, product_display=None) -> list[str]:
    """The CLI's report of what an upload changes against the current versions."""
    if not result.changes:
        return []
    lines = [f"  {render('changes_title', lang)}:"]
    for change in result.changes:
        lines.append(f"    {change_summary(change, lang)}")
        if change.totals and change.base_version is not None:
            lines.append(f"      {change_totals_title(change, lang)}:")
            frame = change_totals_frame(change, lang)
            for row in frame.itertuples(index=False):
                *group, before, after, delta = row
                lines.append(f"        {' · '.join(map(str, group))}: {before} → {after} ({delta})")
        lines += [f"      {line}" for line in change_keys(change, lang, product_display)]
    return lines
