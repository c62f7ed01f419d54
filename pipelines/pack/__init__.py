"""The meeting pack: one Excel workbook and one PDF for the minutes, in the meeting's language.

Text is always written as text: xlsxwriter with `strings_to_formulas` off and `write_string`
for every string, so a market called "=HYPERLINK(...)" stays a name and never becomes a formula.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import pandas as pd

from pipelines import meeting as mt
from pipelines.model import Model, build
from pipelines.model import accuracy as acc
from pipelines.model import compare
from pipelines.model.levers import class_letter
from pipelines.store.strategy import strategy_for_versions, strategy_version
from pipelines import store
from pipelines.text import format as fmt
from pipelines.text.format import period as period_text, unit_label
from pipelines.text import kind_label, reason_label, render
from pipelines.text.tables import kpi_rows, kpi_text

log = logging.getLogger("einklang.pack")

CONFLICT_COLUMNS = ["rank", "product", "product_name", "market", "period", "line", "priority_class",
                    "demand", "supplied", "shortfall", "unit", "shortfall_hours", "reason", "explanation", "levers",
                    "agreements"]
AGREEMENT_COLUMNS = ["agreement_id", "meeting_date", "text", "lever", "owner", "due_date", "goal_id",
                     "status", "concerns", "shortfall_before", "revision", "scenario"]
JUDGED_COLUMNS = ["agreement_id", "meeting_date", "text", "owner", "concerns", "shortfall_before",
                  "shortfall_now", "change", "unit", "verdict_label"]
ACCURACY_COLUMNS = ["market", "priority_class", "periods", "forecast", "actual", "abs_error", "unit", "wape",
                    "bias"]
WORST_COLUMNS = ["rank", "product", "market", "priority_class", "forecast", "actual", "abs_error", "unit",
                 "wape", "bias"]
MOVES_COLUMNS = ["rank", "product", "market", "previous", "current", "change", "unit"]
CHANGE_COLUMNS = ["market", "previous", "current", "change", "unit", "change_value", "unrouted_products"]
STRATEGY_COLUMNS = ["message", "product", "market", "line", "period", "value", "target", "low", "high",
                    "shortfall", "unit", "shortfall_hours"]
PERCENT_COLUMNS = {"fill_rate", "wape", "bias", "value", "target", "low", "high", "utilization"}


@dataclass
class Pack:
    """Everything one meeting pack shows, as frames (also what a dashboard page could display)."""

    lang: str
    meeting: dict | None
    versions: dict[str, int]
    kpis: pd.DataFrame
    conflicts: pd.DataFrame
    agreements: pd.DataFrame
    judged: pd.DataFrame
    strategy_checks: pd.DataFrame
    accuracy_by_market: pd.DataFrame
    worst_offenders: pd.DataFrame
    accuracy_series: pd.DataFrame
    changes_by_market: pd.DataFrame
    biggest_moves: pd.DataFrame
    load: pd.DataFrame
    fill_by_market: pd.DataFrame
    bands: dict[str, tuple[float, float]] = field(default_factory=dict)
    # the scenarios the meeting weighed: a row per figure, a column for the base and each scenario
    scenarios: pd.DataFrame = field(default_factory=pd.DataFrame)


def build_pack(con: duckdb.DuckDBPyConnection, meeting_id: int | None = None, *,
               versions: dict[str, int] | None = None, lang: str | None = None, top: int = 25,
               model: "Model | None" = None) -> Pack:
    """Gather the pack of a meeting (its versions and language) or of the current plan."""

    meeting = mt.get_meeting(con, meeting_id) if meeting_id is not None else None
    lang = lang or (meeting or {}).get("lang") or "de"
    if versions is None and meeting:
        versions = meeting["versions"]
    own_model = model is None
    if own_model:
        model = build(con, versions)
    try:
        strategy = strategy_version(con, meeting["strategy_version_id"]) \
            if meeting and meeting["strategy_version_id"] else strategy_for_versions(con, model.versions)
        # one row per PMC, at its heaviest period: ten rows of one unrouted article tell nothing more
        conflicts = model.conflicts(top, per_pmc=True)
        conflicts["unit"] = [unit_label(u, lang) for u in conflicts["unit"]]
        conflicts["reason"] = [reason_label(r, lang) for r in conflicts["reason"]]
        conflicts["rank"] = range(1, len(conflicts) + 1)
        keys = list(zip(conflicts["product"], conflicts["market"], conflicts["period"]))
        texts = _batch(lambda: model.explanations(keys, lang), keys,
                       lambda key: _safe(lambda: model.explain(*key, lang)))
        levers = _batch(lambda: model.levers_of(keys, lang), keys,
                        lambda key: _safe_levers(lambda: model.levers(*key, lang)))
        conflicts["explanation"] = [texts.get(key) or "" for key in keys]
        conflicts["levers"] = [_lever_notes(levers.get(key)) for key in keys]
        covered = mt.marks_by_conflict(mt.agreement_marks(con, model=model, lang=lang), lang)
        conflicts["agreements"] = [covered.get(("pmc", str(r.product), str(r.market).casefold()), "")
                                   for r in conflicts.itertuples()]
        # the look-back judges the previous meeting's agreements, as agenda step 2 does
        reviewed = mt.previous_meeting(con, meeting_id)
        judged = mt.judge_agreements(con, model=model, lang=lang, meeting_id=reviewed) \
            if reviewed is not None else mt.judge_agreements(con, model=model, lang=lang).iloc[0:0]
        figures = model.kpis()
        grain = model.grain
        checks = mt.judge_against_strategy(con, model=model, strategy=strategy, lang=lang)
        load = model.load()
        fill_market = model.fill_rates("market")
        used_versions = dict(model.versions)
        weighed = _safe_frame(lambda: _scenarios(con, model, meeting, meeting_id, lang))
    finally:
        if own_model:
            model.close()
    agreements = mt.agreements(con, meeting_id) if meeting_id is not None else mt.agreements(con)
    agreements["lever"] = [mt.lever_label(v, lang) for v in agreements["lever"]]
    for frame in (agreements, judged):  # "Betrifft" with its periods as every page writes them
        frame["concerns"] = [fmt.periods_in(v, lang) for v in frame["concerns"]]
    agreements["status"] = [mt.status_label(v, lang) for v in agreements["status"]]
    accuracy_market = acc.accuracy(con, "market", strategy_version_id=strategy.version_id)
    worst = acc.worst_offenders(con, 10, strategy_version_id=strategy.version_id)
    total = acc.accuracy(con, "total", strategy_version_id=strategy.version_id)
    series = acc.accuracy_series(con, strategy_version_id=strategy.version_id)
    changes, moves = compare.change_and_moves(con, used_versions.get("forecast"), top=10)
    changes["unit"] = [unit_label(u, lang) for u in changes["unit"]]
    kpis = _kpis(figures, grain, checks, total, judged, lang)
    bands = {line: strategy.band(line) for line in load["line"].dropna().unique()}
    # from here on the frames are only shown: article numbers as the ERP writes them
    displays = store.product_displays(con)
    conflicts, agreements, judged, checks, worst, moves = (
        store.with_product_display(f, displays, into="product") for f in (conflicts, agreements, judged, checks, worst, moves))
    judged, checks, accuracy_market, worst, moves = (
        _units_shown(f, lang) for f in (judged, checks, accuracy_market, worst, moves))
    return Pack(lang=lang, meeting=meeting, versions=used_versions, kpis=kpis, conflicts=conflicts,
                agreements=agreements, judged=judged, strategy_checks=checks,
                accuracy_by_market=accuracy_market, worst_offenders=worst, accuracy_series=series,
                changes_by_market=changes, biggest_moves=moves, load=load,
                fill_by_market=fill_market, bands=bands, scenarios=weighed)


def _units_shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The `unit` column as the screen writes it ('pcs' in English for the model's 'Stk'); a row
    without a unit (a line, articles without a common one) keeps none."""
    if "unit" not in frame.columns:
        return frame
    return frame.assign(unit=[unit_label(u, lang) if isinstance(u, str) else u for u in frame["unit"]])


def weighed_scenarios(con: duckdb.DuckDBPyConnection, meeting: dict | None,
                      meeting_id: int | None) -> list[str]:
    """The scenarios a meeting weighed: those its agreements name, then those saved on its date
    (without a meeting: those any agreement names), in that order."""
    named = con.execute("select distinct scenario from agreements where scenario is not null "
                        "and meeting_id is not distinct from coalesce(?, meeting_id) order by 1",
                        [meeting_id]).fetchall()
    names = [r[0] for r in named]
    if meeting and meeting.get("meeting_date"):
        saved = con.execute("select name from scenarios where created_at::date = ? "
                            "group by name order by min(created_at)",
                            [meeting["meeting_date"]]).fetchall()
        names += [r[0] for r in saved if r[0] not in names]
    return names


def _scenarios(con, model, meeting, meeting_id, lang: str) -> pd.DataFrame:
    from pipelines.scenario import get
    from pipelines.scenario.compare import compare_frame, side_by_side
    from pipelines.model import scenario_model
    names = weighed_scenarios(con, meeting, meeting_id)
    if not names:
        return pd.DataFrame()
    shifted = []
    try:
        for name in names:
            shifted.append(scenario_model(model, get(con, name)))
        return compare_frame(side_by_side(model, shifted), lang)
    finally:
        for one in shifted:
            one.close()


def _safe_frame(make) -> pd.DataFrame:
    """A part the pack can do without: scenarios that cannot be computed must not stop the export."""
    try:
        return make()
    except Exception:  # noqa: BLE001
        log.exception("pack: scenarios left out")
        return pd.DataFrame()


def _safe(make) -> str:
    """A text the pack can do without: an explanation that fails must not stop the export."""
    try:
        return make() or ""
    except Exception:  # noqa: BLE001 - the pack shows the numbers even without the sentence
        return ""


def _batch(make, keys: list[tuple], one) -> dict:
    """The explanations (or levers) of all conflicts in one pass; should the pass fail, each one
    on its own, so that one conflict that cannot be explained leaves the others' texts."""
    try:
        return make()
    except Exception:  # noqa: BLE001
        log.exception("pack: explanations or levers computed one by one")
        return {key: one(key) for key in keys}


def _safe_levers(make) -> "pd.DataFrame | None":
    try:
        return make()
    except Exception:  # noqa: BLE001 - the pack shows the numbers even without the levers
        return None


def _lever_notes(levers: "pd.DataFrame | None") -> str:
    if levers is None or levers.empty or "note" not in levers.columns:
        return ""
    notes = [str(n) for n in levers["note"].dropna() if str(n).strip()]
    return "\n".join(dict.fromkeys(notes))  # an unrouted product says the same for every lever


def _kpis(figures: dict, grain: str, checks: pd.DataFrame, total: pd.DataFrame,
          judged: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The KPI sheet: the headline figures of Model.kpis exactly as the overview shows them, then
    the strategy check, forecast accuracy and the look-back."""
    rows = [(key, label, value, "percent" if kind == "percent" else kind)
            for key, label, value, kind in kpi_rows(figures, lang, grain)]
    rows += [
        ("pack_kpi_lines_over", render("pack_kpi_lines_over", lang),
         int((checks["check"] == "band_over").sum()), "number"),
        ("pack_kpi_wape", render("pack_kpi_wape", lang), _first(total, "wape"), "percent"),
        ("pack_kpi_bias", render("pack_kpi_bias", lang), _first(total, "bias"), "percent"),
    ]
    live = judged[~judged["verdict"].isin(["past", "open"])] if not judged.empty else judged  # judged ones
    if len(live):
        rows.append(("pack_kpi_held", render("pack_kpi_held", lang),
                     f"{int((live['verdict'] == 'held').sum())} / {len(live)}", "text"))
    return pd.DataFrame([{"key": k, "kpi": label, "value": v, "format": f}
                         for k, label, v, f in rows])


def _first(frame: pd.DataFrame, column: str):
    if frame.empty or column not in frame.columns:
        return None
    value = frame.iloc[0][column]
    return None if _missing(value) else float(value)


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --- Excel -------------------------------------------------------------------------------------

def export_workbook(pack: Pack, target: str | Path | None = None) -> bytes | None:
    """Write the pack as a workbook (sheets KPIs, conflicts, agreements, accuracy, strategy check,
    changes); returns the bytes when no target is given."""
    import xlsxwriter

    lang = pack.lang
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                      "strings_to_numbers": False, "in_memory": True})
    fmt = {
        "header": wb.add_format({"bold": True, "bg_color": "#DDE5EE", "text_wrap": True,
                                 "valign": "top"}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "number": wb.add_format({"num_format": "#,##0", "valign": "top"}),
        "decimal": wb.add_format({"num_format": "#,##0.0", "valign": "top"}),
        "percent": wb.add_format({"num_format": "0.0%", "valign": "top"}),
        "hours": wb.add_format({"num_format": '#,##0 "h"', "valign": "top"}),
        "money": wb.add_format({"num_format": '#,##0 "€"', "valign": "top"}),
        # a date as the screens write it (27.11.2026 in German): a fixed pattern, not Excel's locale
        "date": wb.add_format({"num_format": "dd.mm.yyyy" if lang == "de" else "yyyy-mm-dd",
                               "valign": "top"}),
        "text": wb.add_format({"text_wrap": True, "valign": "top"}),
        "lang": lang,
    }
    ws = wb.add_worksheet(render("pack_sheet_kpis", lang))
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 18)
    ws.write_string(0, 0, _title(pack), fmt["title"])
    row = 1
    for line in _header_lines(pack):
        ws.write_string(row, 0, line)
        row += 1
    row += 1
    ws.write_string(row, 0, render("col_kpi", lang), fmt["header"])
    ws.write_string(row, 1, render("col_value", lang), fmt["header"])
    for r in pack.kpis.itertuples(index=False):
        row += 1
        ws.write_string(row, 0, r.kpi)
        _cell(ws, row, 1, r.value, fmt.get(r.format) if r.format in ("percent", "hours", "money")
              else fmt["number"], fmt)

    _sheet(wb, fmt, render("pack_sheet_conflicts", lang), pack.conflicts, CONFLICT_COLUMNS, lang,
           widths={"explanation": 70, "levers": 70}, decimals={"shortfall_hours"})
    agreements = pack.agreements.copy()
    ws = _sheet(wb, fmt, render("pack_sheet_agreements", lang), agreements, AGREEMENT_COLUMNS, lang,
                widths={"text": 50, "concerns": 40})
    after = _table(ws, fmt, len(agreements) + 3, pack.judged, JUDGED_COLUMNS, lang,
                   title=render("pack_lookback_title", lang))
    _scenario_table_xlsx(ws, fmt, after + 2, pack)  # the scenarios the agreements took or weighed
    ws = _sheet(wb, fmt, render("pack_sheet_accuracy", lang), pack.accuracy_by_market, ACCURACY_COLUMNS,
                lang, title=render("pack_section_accuracy_market", lang))
    _table(ws, fmt, len(pack.accuracy_by_market) + 4, pack.worst_offenders, WORST_COLUMNS, lang,
           title=render("pack_section_worst", lang))
    _sheet(wb, fmt, render("pack_sheet_strategy", lang), pack.strategy_checks, STRATEGY_COLUMNS, lang,
           widths={"message": 80})
    # the change per market in the one measure of the version change (kg, one unit or line hours)
    ws = _sheet(wb, fmt, render("pack_sheet_changes", lang), pack.changes_by_market, CHANGE_COLUMNS,
                lang, decimals={"previous", "current", "change"})
    _table(ws, fmt, len(pack.changes_by_market) + 3, pack.biggest_moves, MOVES_COLUMNS, lang,
           title=render("pack_section_moves", lang))
    wb.close()
    data = buffer.getvalue()
    if target is None:
        return data
    Path(target).write_bytes(data)
    return None


def _scenario_kind(kpi: str) -> str:
    """How a figure of the scenario comparison is shown: fill rates as percent, the rest as numbers."""
    return "percent" if str(kpi).startswith("fill_rate") else "money" if kpi == "shortfall_value" \
        else "number"


def _scenario_table_xlsx(ws, fmt, start: int, pack: Pack) -> None:
    """The scenarios the meeting weighed: a row per figure, the base and each scenario beside it."""
    lang = pack.lang
    ws.write_string(start, 0, render("pack_scenarios_title", lang), fmt["title"])
    frame = pack.scenarios
    if frame is None or frame.empty:
        ws.write_string(start + 1, 0, render("pack_scenarios_none", lang))
        return
    columns = [c for c in frame.columns if c != "kpi"]
    for c, column in enumerate(columns):
        ws.write_string(start + 1, c, cut(str(column), lang, XLSX_CELL_CHARS), fmt["header"])
    for r, values in enumerate(frame.itertuples(index=False), start=start + 2):
        record = dict(zip(frame.columns, values))
        kind = _scenario_kind(record["kpi"])
        for c, column in enumerate(columns):
            value = record[column]
            if c == 0:
                ws.write_string(r, 0, str(value))
            else:
                _cell(ws, r, c, value, fmt["percent"] if kind == "percent" else fmt["decimal"], fmt)


def _sheet(wb, fmt, name: str, frame: pd.DataFrame, columns: list[str], lang: str, *,
           widths: dict[str, int] | None = None, title: str | None = None,
           decimals: set[str] = frozenset()):
    ws = wb.add_worksheet(name[:31])
    for c, column in enumerate(columns):
        ws.set_column(c, c, (widths or {}).get(column, 14))
    _table(ws, fmt, 0, frame, columns, lang, title=title, decimals=decimals)
    ws.freeze_panes(1 if title is None else 2, 0)
    return ws


def _table(ws, fmt, start: int, frame: pd.DataFrame, columns: list[str], lang: str, *,
           title: str | None = None, decimals: set[str] = frozenset()) -> int:
    row = start
    if title:
        ws.write_string(row, 0, title, fmt["title"])
        row += 1
    for c, column in enumerate(columns):
        ws.write_string(row, c, render(f"col_{column}", lang), fmt["header"])
    if frame is None or frame.empty:
        ws.write_string(row + 1, 0, render("pack_none", lang))
        return row + 2
    frame = frame.reindex(columns=columns)
    for values in frame.itertuples(index=False):
        row += 1
        for c, (column, value) in enumerate(zip(columns, values)):
            if column == "priority_class" and not _missing(value):
                ws.write_string(row, c, class_letter(value))
                continue
            if column == "period" and not _missing(value):  # KW 05/2027, as the screen shows it
                ws.write_string(row, c, period_text(value, lang))
                continue
            style = fmt["percent"] if column in PERCENT_COLUMNS else fmt["decimal"] if column in decimals \
                else fmt["number"] if column not in ("rank", "agreement_id", "revision", "periods") else None
            _cell(ws, row, c, value, style, fmt)
    return row + 1


def _cell(ws, row: int, col: int, value, number_format, fmt) -> None:
    """One cell; strings always as strings (never a formula), dates as dates, numbers as numbers."""
    if _missing(value):
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        value = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        ws.write_datetime(row, col, value, fmt["date"])
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isinf(float(value)):
            ws.write_string(row, col, str(value))
        else:
            ws.write_number(row, col, float(value), number_format)
    elif hasattr(value, "item"):  # numpy scalars
        _cell(ws, row, col, value.item(), number_format, fmt)
    else:
        text = str(value)
        if len(text) > XLSX_CELL_CHARS:
            text = cut(text, fmt.get("lang", "de"), XLSX_CELL_CHARS)
        ws.write_string(row, col, text, fmt["text"])


def _title(pack: Pack) -> str:
    date = (pack.meeting or {}).get("meeting_date") or dt.date.today()
    title = render("pack_title", pack.lang, date=_date_text(date, pack.lang))
    extra = (pack.meeting or {}).get("title")
    return f"{title} – {extra}" if extra else title


def _date_text(value, lang: str) -> str:
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return fmt.date(value, lang)
    return str(value)


def _header_lines(pack: Pack) -> list[str]:
    lang, meeting = pack.lang, pack.meeting or {}
    lines = []
    if meeting.get("cycle"):
        lines.append(render("pack_cycle", lang, cycle=meeting["cycle"]))
    if meeting.get("participants"):
        lines.append(render("pack_participants", lang, names=", ".join(meeting["participants"])))
    lines.append(render("pack_versions", lang, versions=", ".join(
        f"{kind_label(k, lang)} #{v}" for k, v in sorted(pack.versions.items()))))
    return lines


# --- PDF ---------------------------------------------------------------------------------------

def export_pdf(pack: Pack, target: str | Path | None = None) -> bytes | None:
    """The minutes: title, KPIs, key charts, top conflicts, agreements and the look-back (reportlab,
    drawn offline with reportlab graphics); returns the bytes when no target is given."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    lang = pack.lang
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=1.5 * cm, rightMargin=1.5 * cm,
                            topMargin=1.2 * cm, bottomMargin=1.2 * cm, title=_title(pack),
                            author="Einklang", lang=lang)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story = [Paragraph(escape(cut(_title(pack), lang, 300)), styles["Title"])]
    for line in _header_lines(pack):
        story.append(Paragraph(escape(cut(line, lang, 1500)), styles["BodyText"]))
    story.append(Spacer(1, 0.3 * cm))

    def table(frame: pd.DataFrame, columns: list[str], widths: list[float] | None = None):
        if frame is None or frame.empty:
            return Paragraph(escape(render("pack_none", lang)), styles["BodyText"])
        data = [[Paragraph(f"<b>{escape(render(f'col_{c}', lang))}</b>", small) for c in columns]]
        for values in frame.reindex(columns=columns).itertuples(index=False):
            data.append([Paragraph(escape(_pdf_value(c, v, lang)).replace("\n", "<br/>"), small)
                         for c, v in zip(columns, values)])
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE5EE")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return t

    story.append(Paragraph(escape(render("pack_kpis_title", lang)), styles["Heading2"]))
    kpi_rows = [[Paragraph(escape(r.kpi), small),
                 Paragraph(escape(_format_kpi(r.value, r.format, lang)), small)]
                for r in pack.kpis.itertuples(index=False)]
    kpi_table = Table(kpi_rows, colWidths=[8 * cm, 4 * cm])
    kpi_table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999"))]))
    story.append(kpi_table)

    story.append(PageBreak())
    charts = [_utilization_chart(pack), _fill_rate_chart(pack), _accuracy_chart(pack),
              _changes_chart(pack)]
    grid = Table([[charts[0], charts[1]], [charts[2], charts[3]]])
    story.append(grid)

    story.append(PageBreak())
    story.append(Paragraph(escape(render("pack_agreements_title", lang)), styles["Heading2"]))
    story.append(table(pack.agreements, ["agreement_id", "text", "lever", "owner", "due_date",
                                         "goal_id", "concerns", "shortfall_before", "scenario"],
                       [1.2 * cm, 6.4 * cm, 2.6 * cm, 2.4 * cm, 2.2 * cm, 1.4 * cm, 4.8 * cm, 2.4 * cm,
                        3 * cm]))
    story.append(Spacer(1, 0.4 * cm))
    story.append(Paragraph(escape(render("pack_lookback_title", lang)), styles["Heading2"]))
    story.append(table(pack.judged, ["agreement_id", "meeting_date", "text", "concerns",
                                     "shortfall_before", "shortfall_now", "verdict_label"],
                       [1.2 * cm, 2.4 * cm, 8 * cm, 5.6 * cm, 2.8 * cm, 2.8 * cm, 3 * cm]))
    story.append(Spacer(1, 0.4 * cm))
    story.append(Paragraph(escape(render("pack_conflicts_title", lang)), styles["Heading2"]))
    story.append(table(pack.conflicts.head(10), ["rank", "product", "market", "period", "line",
                                                 "priority_class", "shortfall", "unit",
                                                 "shortfall_hours", "levers"],
                       [1.2 * cm, 2.2 * cm, 3.2 * cm, 2.2 * cm, 2 * cm, 1.4 * cm, 2.2 * cm, 1.6 * cm,
                        2.4 * cm, 8.2 * cm]))
    story.append(Spacer(1, 0.4 * cm))
    story.append(Paragraph(escape(render("pack_scenarios_title", lang)), styles["Heading2"]))
    story.append(_scenario_table(pack, small, styles))
    story.append(Spacer(1, 0.4 * cm))
    story.append(Paragraph(escape(render("pack_sheet_strategy", lang)), styles["Heading2"]))
    story.append(table(pack.strategy_checks.head(20), ["message"], [24 * cm]))
    doc.build(story)
    data = buffer.getvalue()
    if target is None:
        return data
    Path(target).write_bytes(data)
    return None


def _number_text(value: float, lang: str, decimals: int = 0) -> str:
    return fmt.number(value, lang, decimals)


def _scenario_table(pack: Pack, small, styles):
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Table, TableStyle
    lang, frame = pack.lang, pack.scenarios
    if frame is None or frame.empty:
        return Paragraph(escape(render("pack_scenarios_none", lang)), styles["BodyText"])
    columns = [c for c in frame.columns if c != "kpi"][:7]  # the base and up to six scenarios fit
    data = [[Paragraph(f"<b>{escape(cut(str(c), lang, 120))}</b>", small) for c in columns]]
    for values in frame.itertuples(index=False):
        record = dict(zip(frame.columns, values))
        kind = _scenario_kind(record["kpi"])
        data.append([Paragraph(escape(str(record[c]) if i == 0 else _format_kpi(record[c], kind, lang)),
                               small) for i, c in enumerate(columns)])
    widths = [7 * cm] + [3.2 * cm] * (len(columns) - 1)
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE5EE")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _format_kpi(value, kind: str, lang: str) -> str:
    if _missing(value):
        return "–"
    if kind in ("percent", "number", "hours", "money"):
        return kpi_text(value, kind, lang)
    return str(value)


# a table cell of the PDF must fit on one page (reportlab raises LayoutError otherwise)
PDF_CELL_CHARS, PDF_CELL_LINES = 500, 12
XLSX_CELL_CHARS = 32_000  # Excel holds at most 32,767 characters in a cell


def cut(text: str, lang: str, limit: int, lines: int | None = None) -> str:
    """`text` within `limit` characters (and `lines` lines): a list (lines, or items separated by
    commas) keeps its first items and says "… and 312 more"; a long text "… and 2,300 more characters"."""
    rows = text.split("\n")
    if len(text) <= limit and (lines is None or len(rows) <= lines):
        return text
    for separator, items in (("\n", rows), (", ", text.split(", "))):
        if len(items) < 4:
            continue
        kept, size = [], 0
        for item in items:
            if size + len(item) > limit * 0.9 or (separator == "\n" and lines and len(kept) >= lines - 1):
                break
            kept.append(item)
            size += len(item) + len(separator)
        if kept:
            more = render("pack_more_items", lang, count=_number_text(len(items) - len(kept), lang))
            return cut(separator.join(kept), lang, limit, lines) + separator + more
    head = text[:int(limit * 0.9)].rsplit(" ", 1)[0]
    rest = _number_text(len(text) - len(head), lang)
    return head.replace("\n", " ") + " " + render("pack_more_chars", lang, count=rest)


def _pdf_value(column: str, value, lang: str) -> str:
    return cut(_pdf_text(column, value, lang), lang, PDF_CELL_CHARS, PDF_CELL_LINES)


def _pdf_text(column: str, value, lang: str) -> str:
    if _missing(value):
        return ""
    if column == "priority_class":
        return class_letter(value)
    if column == "period":
        return period_text(value, lang)
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return _date_text(value, lang)
    if column in PERCENT_COLUMNS and isinstance(value, (int, float)):
        return _number_text(float(value) * 100, lang, 1) + " %"
    if column == "shortfall_hours" and isinstance(value, (int, float)):
        return _number_text(float(value), lang, 1)
    if isinstance(value, float) or (hasattr(value, "item") and isinstance(value.item(), float)):
        return _number_text(float(value), lang)
    return str(value)


# --- charts (reportlab graphics: no browser, no network) ---------------------------------------

_CHART_W, _CHART_H = 370, 230


def _drawing(title: str):
    from reportlab.graphics.shapes import Drawing, String
    d = Drawing(_CHART_W, _CHART_H)
    d.add(String(10, _CHART_H - 14, title, fontName="Helvetica-Bold", fontSize=10))
    return d


def _empty(d, lang: str):
    from reportlab.graphics.shapes import String
    d.add(String(20, _CHART_H / 2, render("pack_no_data", lang), fontName="Helvetica", fontSize=9))
    return d


def _bar_chart(d, labels: list[str], values: list[float], *, percent: bool = False,
               colors_for=None):
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.lib import colors

    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45, 55, _CHART_W - 60, _CHART_H - 85
    chart.data = [values]
    chart.categoryAxis.categoryNames = [str(lbl)[:14] for lbl in labels]
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    low = min(0.0, min(values)) if values else 0.0
    high = max(values) if values else 1.0
    chart.valueAxis.valueMin = low * 1.1
    chart.valueAxis.valueMax = (high * 1.1) if high > 0 else 1.0
    if percent:
        chart.valueAxis.labelTextFormat = lambda v: f"{v * 100:.0f}%"
    chart.bars[0].fillColor = colors.HexColor("#4C78A8")
    if colors_for:
        for i, value in enumerate(values):
            chart.bars[(0, i)].fillColor = colors.HexColor(colors_for(labels[i], value))
    d.add(chart)
    return chart


def _utilization_chart(pack: Pack):
    d = _drawing(render("pack_chart_utilization", pack.lang))
    load = pack.load.dropna(subset=["utilization"])
    if load.empty:
        return _empty(d, pack.lang)
    peak = load.groupby("line", as_index=False)["utilization"].max()
    labels, values = list(peak["line"]), [float(v) for v in peak["utilization"]]

    def color(line, value):
        low, high = pack.bands.get(line, (0.75, 0.9))
        return "#E45756" if value > high else "#F2B701" if value < low else "#54A24B"
    _bar_chart(d, labels, values, percent=True, colors_for=color)
    return d


def _fill_rate_chart(pack: Pack):
    d = _drawing(render("pack_chart_fill_rate", pack.lang))
    fill = pack.fill_by_market.dropna(subset=["fill_rate"])
    if fill.empty:
        return _empty(d, pack.lang)
    _bar_chart(d, list(fill["market"]), [float(v) for v in fill["fill_rate"]], percent=True)
    return d


def _accuracy_chart(pack: Pack):
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.lib import colors

    series = pack.accuracy_series
    unit = series["unit"].iloc[0] if len(series) and series["unit"].notna().any() else None
    d = _drawing(render("pack_chart_accuracy", pack.lang,
                        unit=unit_label(unit, pack.lang) if unit else "–"))
    if series.empty:
        return _empty(d, pack.lang)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 55, 50, _CHART_W - 75, _CHART_H - 95
    chart.data = [[float(v) for v in series["forecast"]], [float(v) for v in series["actual"]]]
    step = max(1, len(series) // 8)
    chart.categoryAxis.categoryNames = [period_text(p, pack.lang) if i % step == 0 else ""
                                        for i, p in enumerate(series["period"])]
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: _number_text(v, pack.lang)
    chart.lines[0].strokeColor = colors.HexColor("#4C78A8")
    chart.lines[1].strokeColor = colors.HexColor("#E45756")
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = _CHART_W - 150, _CHART_H - 12
    legend.fontSize = 7
    legend.colorNamePairs = [(colors.HexColor("#4C78A8"), render("col_forecast", pack.lang)),
                             (colors.HexColor("#E45756"), render("col_actual", pack.lang))]
    d.add(legend)
    return d


def _changes_chart(pack: Pack):
    changes = pack.changes_by_market
    d = _drawing(render("pack_chart_changes", pack.lang,
                        unit=changes["unit"].iloc[0] if len(changes) else "–"))
    if changes.empty:
        return _empty(d, pack.lang)
    _bar_chart(d, list(changes["market"]), [float(v) for v in changes["change"]],
               colors_for=lambda _, v: "#54A24B" if v >= 0 else "#E45756")
    return d


# --- one call ------------------------------------------------------------------------------------

def pack_stem(meeting: dict | None) -> str:
    """The pack's file name without suffix: the meeting's date and number (two meetings of one day
    get two packs), or today's date for the current plan."""
    meeting = meeting or {}
    date = meeting.get("meeting_date") or dt.date.today()
    stem = f"Einklang_Meeting_{date:%Y-%m-%d}" if isinstance(date, (dt.date, dt.datetime)) else "Einklang_Meeting"
    return f"{stem}_{int(meeting['meeting_id'])}" if meeting.get("meeting_id") is not None else stem


def export_pack(con: duckdb.DuckDBPyConnection, directory: str | Path, meeting_id: int | None = None,
                *, versions: dict[str, int] | None = None, lang: str | None = None) -> tuple[Path, Path]:
    """Write `<name>.xlsx` and `<name>.pdf` of a meeting (or the current plan) into a directory."""
    pack = build_pack(con, meeting_id, versions=versions, lang=lang)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = pack_stem(pack.meeting)
    files, failed = build_files(pack)
    paths = {}
    for part, data in files.items():
        paths[part] = directory / f"{stem}.{part}"
        paths[part].write_bytes(data)
    if failed:
        raise PackIncomplete(paths, failed, pack.lang)
    return paths["xlsx"], paths["pdf"]


class PackIncomplete(Exception):
    """One part of the pack failed; the other was written (`written`: part -> path)."""

    def __init__(self, written: dict, failed: dict[str, str], lang: str):
        self.written, self.failed, self.lang = written, failed, lang
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return " ".join(part_failed_text(part, reason, lang) for part, reason in self.failed.items())


def part_failed_text(part: str, reason: str, lang: str) -> str:
    other = "PDF" if part == "xlsx" else "Excel"
    return render("pack_part_failed", lang, part="Excel" if part == "xlsx" else "PDF", reason=reason,
                  other=other)


def build_files(pack: Pack) -> tuple[dict[str, bytes], dict[str, str]]:
    """The Excel and the PDF of a pack, built independently: (part -> bytes, part -> why it failed)."""
    files, failed = {}, {}
    for part, make in (("xlsx", export_workbook), ("pdf", export_pdf)):
        try:
            files[part] = make(pack)
        except Exception as exc:  # noqa: BLE001 - the other part is still worth having
            log.error("meeting pack: the %s part failed", part, exc_info=exc)
            failed[part] = type(exc).__name__
    return files, failed
