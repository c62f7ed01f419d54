"""Meetings and agreements: what was agreed on which gap, kept with history and judged next time."""
from __future__ import annotations

import datetime as dt
import json
from typing import Iterable

import duckdb
import pandas as pd

from pipelines import store
from pipelines.errors import UserError
from pipelines.model.levers import LEVER_KEYS, normalise_period
from pipelines.text import format as fmt
from pipelines.text import render
from pipelines.model import GAP_COLUMNS, MODEL_KINDS, Model, build, period_start_of
from pipelines.store.strategy import Strategy, current_strategy, strategy_version

AGREEMENT_FIELDS = ("text", "lever", "owner", "due_date", "goal_id", "status")
STATUSES = ("open", "done", "dropped")
# open: no new data since the agreement was made and its gap is as it was (a meeting held on the
# data it was made on has nothing to judge it by, and must not read "not held")
VERDICTS = ("held", "partly", "not_held", "past", "open")


def status_label(status: object, lang: str = "de") -> str:
    """An agreement's status (open, done, dropped) in the user's language: the meeting page and
    the pack say the same words."""
    if not isinstance(status, str) or not status:
        return ""
    return render(f"status_{status}", lang) if status in STATUSES else status


def lever_label(lever: object, lang: str = "de") -> str:
    """The name of a model lever in the user's language; free text as it was written."""
    if lever is None or (isinstance(lever, float) and pd.isna(lever)):
        return ""
    return render(f"lever_label_{lever}", lang) if lever in LEVER_KEYS else str(lever)


# --- meetings ----------------------------------------------------------------------------------

def create_meeting(con: duckdb.DuckDBPyConnection, meeting_date: dt.date | str, *,
                   participants: Iterable[str] = (), cycle: str | None = None,
                   title: str | None = None, versions: dict[str, int] | None = None,
                   strategy_version_id: int | None = None, lang: str = "de",
                   user: str | None = None) -> int:
    """Record a meeting and the version set and strategy it looked at (default: the current ones)."""
    with store.transaction(con):
        return _insert_meeting(con, meeting_date, participants=participants, cycle=cycle,
                               title=title, versions=versions,
                               strategy_version_id=strategy_version_id, lang=lang, user=user)


def _insert_meeting(con, meeting_date, *, participants=(), cycle=None, title=None, versions=None,
                    strategy_version_id=None, lang="de", user=None) -> int:
    """The meeting row; the caller holds the transaction."""
    versions = dict(versions) if versions is not None else store.current_versions(con)
    if strategy_version_id is None:
        strategy_version_id = current_strategy(con).version_id
    meeting_id = con.execute("select nextval('meeting_seq')").fetchall()[0][0]
    con.execute("insert into meetings values (?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, ?)",
                [meeting_id, _as_date(meeting_date), cycle, title,
                 json.dumps([p.strip() for p in participants if p and p.strip()], ensure_ascii=False),
                 json.dumps(versions), strategy_version_id, lang if lang in ("de", "en") else "de",
                 user])
    return meeting_id


def week_meeting(con: duckdb.DuckDBPyConnection, day: dt.date | str | None = None) -> int | None:
    """The meeting open in the ISO week of `day` (default today): the latest one dated in it."""
    day = _as_date(day) or dt.date.today()
    monday = day - dt.timedelta(days=day.isoweekday() - 1)
    row = con.execute("select meeting_id from meetings where meeting_date between ? and ? "
                      "order by meeting_date desc, meeting_id desc limit 1",
                      [monday, monday + dt.timedelta(days=6)]).fetchall()
    return row[0][0] if row else None


def week_cycle(day: dt.date, lang: str = "de") -> str:
    """The cycle name of a meeting opened for an ISO week ("KW 49" / "W49")."""
    return render("mt_week_cycle", lang, week=day.isocalendar()[1])


def baseline(con: duckdb.DuckDBPyConnection, current: dict[str, int] | None = None) -> dict | None:
    """The plan "compared with" means by default: the version set of the last meeting held on a
    plan other than `current` (default: the current plan), or None when no meeting was (then the
    previous upload is meant). The same for everyone: it is read from the store alone.

    A meeting held on the current plan is skipped, so the room keeps seeing what moved since the
    meeting before while it meets, and the next upload makes this meeting the baseline."""
    current = {k: v for k, v in (current or store.current_versions(con)).items() if k in MODEL_KINDS}
    rows = con.execute("select meeting_id, meeting_date, versions from meetings "
                       "order by meeting_date desc, meeting_id desc").fetchall()
    for meeting_id, meeting_date, versions in rows:
        frozen = {k: int(v) for k, v in json.loads(versions or "{}").items() if k in MODEL_KINDS}
        if frozen.get("forecast") is not None and frozen != current:
            return {"meeting_id": meeting_id, "meeting_date": meeting_date, "versions": frozen}
    return None


def update_meeting(con: duckdb.DuckDBPyConnection, meeting_id: int, *,
                   participants: Iterable[str] | None = None, cycle: str | None = None,
                   title: str | None = None, lang: str | None = None) -> None:
    """Change a meeting's participants, cycle, title or language (its data versions stay fixed)."""
    _meeting_row(con, meeting_id)
    changes = {"cycle": cycle, "title": title, "lang": lang}
    if participants is not None:
        changes["participants"] = json.dumps([p.strip() for p in participants if p and p.strip()],
                                             ensure_ascii=False)
    for column, value in changes.items():
        if value is not None:
            con.execute(f"update meetings set {column} = ? where meeting_id = ?", [value, meeting_id])


def _meeting_row(con, meeting_id: int) -> tuple:
    row = con.execute("select meeting_id, meeting_date, cycle, title, participants, versions, "
                      "strategy_version_id, lang, created_at, user_name from meetings "
                      "where meeting_id = ?", [meeting_id]).fetchone()
    if row is None:
        raise UserError("mt_unknown_meeting", value=meeting_id)
    return row


def get_meeting(con: duckdb.DuckDBPyConnection, meeting_id: int) -> dict:
    """One meeting as a dict; `versions` maps kind -> version id."""
    row = _meeting_row(con, meeting_id)
    keys = ("meeting_id", "meeting_date", "cycle", "title", "participants", "versions",
            "strategy_version_id", "lang", "created_at", "user_name")
    meeting = dict(zip(keys, row))
    meeting["participants"] = json.loads(meeting["participants"] or "[]")
    meeting["versions"] = {k: int(v) for k, v in json.loads(meeting["versions"] or "{}").items()}
    return meeting


def list_meetings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every meeting, newest first, with how many agreements it made."""
    return con.execute(
        "select m.meeting_id, m.meeting_date, m.cycle, m.title, m.participants, m.lang, "
        "m.strategy_version_id, m.created_at, m.user_name, "
        "(select count(*) from agreements a where a.meeting_id = m.meeting_id) as agreements "
        "from meetings m order by m.meeting_date desc, m.meeting_id desc").df()


def previous_meeting(con: duckdb.DuckDBPyConnection, meeting_id: int | None = None) -> int | None:
    """The meeting before the given one (or the latest meeting when none is given)."""
    if meeting_id is None:
        row = con.execute("select meeting_id from meetings order by meeting_date desc, meeting_id desc "
                          "limit 1").fetchone()
    else:
        date = _meeting_row(con, meeting_id)[1]
        row = con.execute(
            "select meeting_id from meetings where (meeting_date, meeting_id) < (?, ?) "
            "order by meeting_date desc, meeting_id desc limit 1", [date, meeting_id]).fetchone()
    return row[0] if row else None


# --- agreements --------------------------------------------------------------------------------

def _as_date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def _scope_items(scope) -> list[dict]:
    """PMC-periods (product, market, period) and line-periods (line, period) an agreement concerns."""
    if scope is None:
        return []
    if isinstance(scope, pd.DataFrame):
        scope = scope.to_dict("records")
    elif isinstance(scope, dict):
        scope = [scope]
    items = []
    for raw in scope:
        get = lambda k: None if raw.get(k) is None or (isinstance(raw.get(k), float) and pd.isna(raw.get(k))) \
            else str(raw.get(k)).strip()  # noqa: E731
        product, market, line, period = get("product"), get("market"), get("line"), get("period")
        if not period:
            continue
        if product and market:
            items.append({"scope": "pmc", "product": product, "market": market, "line": None,
                          "period": normalise_period(period)})
        elif line:
            items.append({"scope": "line", "product": None, "market": None, "line": line,
                          "period": normalise_period(period)})
    return items


def _gap_figures(model: "Model", items: list[dict]) -> list[dict]:
    """The gap of each scope item on a built model: PMC demand/supplied/shortfall, line overload."""
    # only the periods the items name: the whole plan is millions of rows
    periods = sorted({item["period"] for item in items})
    gaps = model.query(f"select {', '.join(GAP_COLUMNS)} from mart_gaps "
                       "where period in (select unnest(?::text[]))", [periods]) \
        if periods else model.query(f"select {', '.join(GAP_COLUMNS)} from mart_gaps limit 0")
    load = model.load()
    out = []
    for item in items:
        figures = dict(item)
        if item["scope"] == "pmc":
            hit = gaps[(gaps["product"] == item["product"])
                       & (gaps["market"].str.casefold() == item["market"].casefold())
                       & (gaps["period"] == item["period"])]
            if not hit.empty:
                figures["market"] = hit.iloc[0]["market"]
                figures["line"] = hit.iloc[0]["line"]
            figures.update(present=not hit.empty, demand=float(hit["demand"].sum()),
                           supplied=float(hit["supplied"].sum()),
                           shortfall=float(hit["shortfall"].sum()), overload_hours=None)
        else:
            on_line = gaps[(gaps["line"].fillna("").str.casefold() == item["line"].casefold())
                           & (gaps["period"] == item["period"])]
            line_load = load[(load["line"].str.casefold() == item["line"].casefold())
                             & (load["period"] == item["period"])]
            if not line_load.empty:
                figures["line"] = line_load.iloc[0]["line"]
            overload = line_load["overload_hours"].fillna(0).sum() if not line_load.empty else 0.0
            figures.update(present=not (on_line.empty and line_load.empty),
                           demand=float(on_line["demand"].sum()),
                           supplied=float(on_line["supplied"].sum()),
                           shortfall=float(on_line["shortfall"].sum()), overload_hours=float(overload))
        out.append(figures)
    return out


def record_agreement(con: duckdb.DuckDBPyConnection, meeting_id: int | None, text: str, *,
                     scope, lever: str | None = None, owner: str | None = None,
                     due_date: dt.date | str | None = None, goal_id: str | None = None,
                     user: str | None = None, versions: dict[str, int] | None = None,
                     model: "Model | None" = None, day: dt.date | str | None = None,
                     lang: str = "de", scenario: str | None = None) -> int:
    """Record what was agreed on which PMC- or line-periods, with the gap it addressed at the time.

    The gap is taken from `model` when given, else from a model built on `versions`, else on the
    meeting's version set. `lever` is a model lever key (prebuild, extra_hours, other_line,
    reprioritise) or free text. Every agreement belongs to a meeting: without `meeting_id` it
    joins the meeting of the ISO week of `day` (default today), and the week's first agreement
    opens that meeting on the plan the agreement was made on.
    `scenario` names a stored scenario the meeting takes ("we take scenario Zusatzschicht
    BUT-1"); an unknown name is refused.
    """
    if not text or not str(text).strip():
        raise UserError("mt_no_text")
    scenario = str(scenario).strip() if scenario is not None and str(scenario).strip() else None
    if scenario is not None and not con.execute("select 1 from scenarios where name = ? limit 1",
                                                [scenario]).fetchall():
        raise UserError("scn_unknown", value=scenario)
    items = _scope_items(scope)
    if not items:
        raise UserError("mt_no_scope")
    if meeting_id is None:
        meeting_id = week_meeting(con, day)
    meeting = get_meeting(con, meeting_id) if meeting_id is not None else None
    strategy_id = meeting["strategy_version_id"] if meeting else current_strategy(con).version_id
    if goal_id:
        strat = strategy_version(con, strategy_id) if strategy_id else current_strategy(con)
        if strat.goal_text(goal_id) is None and current_strategy(con).goal_text(goal_id) is None:
            raise UserError("mt_unknown_goal", value=goal_id)
    own_model = model is None
    if own_model:
        model = build(con, versions if versions is not None else (meeting or {}).get("versions"))
    try:
        figures = _gap_figures(model, items)
        used_versions = dict(model.versions)
    finally:
        if own_model:
            model.close()
    with store.transaction(con):
        if meeting_id is None:
            opened = _as_date(day) or dt.date.today()
            meeting_id = _insert_meeting(
                con, opened, cycle=week_cycle(opened, lang), lang=lang, user=user,
                versions={**store.current_versions(con), **used_versions},
                strategy_version_id=strategy_id)
        agreement_id = con.execute("select nextval('agreement_seq')").fetchone()[0]
        con.execute("insert into agreements (agreement_id, meeting_id, created_at, user_name, versions, "
                    "strategy_version_id, scenario) values (?, ?, current_timestamp, ?, ?, ?, ?)",
                    [agreement_id, meeting_id, user, json.dumps(used_versions), strategy_id, scenario])
        _insert_revision(con, agreement_id, 1, user, {
            "text": str(text).strip(), "lever": lever, "owner": owner,
            "due_date": _as_date(due_date), "goal_id": goal_id, "status": "open"})
        for i, f in enumerate(figures, start=1):
            con.execute("insert into agreement_scope values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [agreement_id, i, f["scope"], f["product"], f["market"], f["line"],
                         f["period"], f["demand"], f["supplied"], f["shortfall"], f["overload_hours"]])
    return agreement_id


def _insert_revision(con, agreement_id: int, revision: int, user: str | None, values: dict) -> None:
    con.execute("insert into agreement_revisions values (?, ?, current_timestamp, ?, ?, ?, ?, ?, ?, ?)",
                [agreement_id, revision, user, values["text"], values["lever"], values["owner"],
                 values["due_date"], values["goal_id"], values["status"]])


def edit_agreement(con: duckdb.DuckDBPyConnection, agreement_id: int, *, user: str | None = None,
                   **changes) -> int:
    """Append a revision with the given fields changed (text, lever, owner, due_date, goal_id,
    status); the earlier revisions stay. Returns the new revision number."""
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown agreement fields {sorted(unknown)}; known: {AGREEMENT_FIELDS}")
    if "status" in changes and changes["status"] not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    if "text" in changes and not str(changes["text"] or "").strip():
        raise UserError("mt_no_text")
    with store.transaction(con):
        row = con.execute(
            "select revision, text, lever, owner, due_date, goal_id, status from agreement_revisions "
            "where agreement_id = ? order by revision desc limit 1", [agreement_id]).fetchone()
        if row is None:
            raise UserError("mt_unknown_agreement", value=agreement_id)
        values = dict(zip(AGREEMENT_FIELDS, row[1:]))
        for key, value in changes.items():
            values[key] = _as_date(value) if key == "due_date" else \
                (str(value).strip() if key == "text" else value)
        _insert_revision(con, agreement_id, row[0] + 1, user, values)
    return row[0] + 1


def agreement_history(con: duckdb.DuckDBPyConnection, agreement_id: int) -> pd.DataFrame:
    """Every revision of an agreement, oldest first."""
    return con.execute(
        "select agreement_id, revision, revised_at, user_name, text, lever, owner, due_date, goal_id, "
        "status from agreement_revisions where agreement_id = ? order by revision",
        [agreement_id]).df()


def agreement_scope(con: duckdb.DuckDBPyConnection, agreement_id: int | None = None) -> pd.DataFrame:
    """The PMC- and line-periods of an agreement (or of all) with the gap when it was made."""
    where, params = ("where agreement_id = ?", [agreement_id]) if agreement_id is not None else ("", [])
    return con.execute(
        "select agreement_id, item, scope, product, market, line, period, demand_before, "
        f"supplied_before, shortfall_before, overload_hours_before from agreement_scope {where} "
        "order by agreement_id, item", params).df()


def agreements(con: duckdb.DuckDBPyConnection, meeting_id: int | None = None, *,
               model: "Model | None" = None) -> pd.DataFrame:
    """The latest revision of each agreement (of one meeting, or all), with its scope as text;
    with a built `model`, also the `unit` its shortfall is in (mart_agreement_judging: the
    article's where it concerns one article's PMCs, none for a line)."""
    heads = _agreement_heads(con, meeting_id)
    if model is None:
        return heads
    units = model.agreement_judging(_judging_items(con, heads["agreement_id"]))[["agreement_id", "unit"]]
    return heads.merge(units, on="agreement_id", how="left")


def _judging_items(con: duckdb.DuckDBPyConnection, agreement_ids=None) -> pd.DataFrame:
    """The scope items of every agreement (or of those named) with their period's start: what
    `Model.agreement_judging` takes."""
    scope = agreement_scope(con)
    if agreement_ids is not None:
        scope = scope[scope["agreement_id"].isin(list(agreement_ids))]
    return scope.assign(period_start=[_period_start(p) for p in scope["period"]])


def _agreement_heads(con: duckdb.DuckDBPyConnection, meeting_id: int | None) -> pd.DataFrame:
    where, params = ("where a.meeting_id = ?", [meeting_id]) if meeting_id is not None else ("", [])
    return con.execute(
        f"""
        with latest as (
            select * from agreement_revisions
            qualify row_number() over (partition by agreement_id order by revision desc) = 1
        ),
        -- one text per PMC or line: its period, or its first and last period and how many (an
        -- agreement covers a whole conflict episode, spec section 6)
        targets as (
            select agreement_id, min(item) as first_item, scope, product, market, line,
                case when count(*) = 1 then min(period)
                     else min(period) || ' – ' || max(period) || ' (' || count(*) || ')' end as periods,
                sum(shortfall_before) as shortfall_before,
                sum(overload_hours_before) as overload_hours_before
            from agreement_scope group by agreement_id, scope, product, market, line
        ),
        scope as (
            select agreement_id,
                string_agg(case when scope = 'pmc' then product || ' / ' || market || ' ' || periods
                                else line || ' ' || periods end, '; ' order by first_item) as concerns,
                sum(shortfall_before) as shortfall_before,
                sum(overload_hours_before) as overload_hours_before
            from targets group by agreement_id
        ),
        final as (
            select a.agreement_id, a.meeting_id, m.meeting_date, a.created_at, a.user_name as created_by,
                l.revision, l.revised_at, l.user_name as revised_by, l.text, l.lever, l.owner,
                l.due_date, l.goal_id, l.status, s.concerns, s.shortfall_before,
                s.overload_hours_before, a.versions, a.strategy_version_id, a.scenario
            from agreements a
            join latest l using (agreement_id)
            left join scope s using (agreement_id)
            left join meetings m on m.meeting_id = a.meeting_id
            {where}
        )
        select * from final order by agreement_id
        """, params).df()


# --- judging -----------------------------------------------------------------------------------

def judge_agreements(con: duckdb.DuckDBPyConnection, versions: dict[str, int] | None = None, *,
                     meeting_id: int | None = None, model: "Model | None" = None,
                     lang: str = "de", detail: bool = False) -> pd.DataFrame:
    """Each agreement checked against the current (or given) data: held, partly, not held.

    The figures and verdicts are the model's (`Model.agreement_judging`: int_agreement_items and
    mart_agreement_judging); this adds the agreements' text and the verdict in words.
    Held: the shortfall of its PMC- and line-periods is now 0; partly: smaller than when it was
    made; not held: the same or larger. A period that no longer appears in the data because it
    lies before the plan's first period is left out of both sums; an agreement whose periods are
    all past is 'past'. With `detail`, one row per scope item instead of one per agreement.
    """
    items = _judging_items(con)
    own_model = model is None
    if own_model:
        model = build(con, versions)
    try:
        judged = model.agreement_judging(items, detail=detail)
    finally:
        if own_model:
            model.close()
    if detail:
        return judged[[*items.columns.drop("period_start"), "demand_now", "supplied_now", "shortfall_now",
                       "overload_hours_now", "past", "verdict"]]
    heads = agreements(con, meeting_id)
    head_columns = list(heads.columns)
    heads = heads.drop(columns=["shortfall_before", "overload_hours_before"])
    out = heads.merge(judged, on="agreement_id", how="left")
    out["verdict"] = out["verdict"].fillna("past")
    same_data = _same_data(heads, model)
    out["verdict"] = [_open_or(v, same_data.get(int(a), False), b, n)
                      for a, v, b, n in zip(out["agreement_id"], out["verdict"],
                                            out["shortfall_before"], out["shortfall_now"])]
    for column in ("shortfall_before", "shortfall_now", "change", "items", "past_items"):
        out[column] = out[column].fillna(0)
    out["verdict_label"] = [render(f"verdict_{v}", lang) for v in out["verdict"]]
    out["verdict_text"] = [
        render(f"verdict_{v}", lang) if v in ("past", "open") else render(
            "verdict_text", lang, before=_amount(b, u, lang), after=_amount(a, u, lang),
            verdict_de=render(f"verdict_{v}", "de"), verdict_en=render(f"verdict_{v}", "en"))
        for v, b, a, u in zip(out["verdict"], out["shortfall_before"], out["shortfall_now"],
                              out["unit"])]
    columns = [*head_columns, "shortfall_now", "change", "unit", "overload_hours_now", "items",
               "past_items", "verdict", "verdict_label", "verdict_text"]
    return out[list(dict.fromkeys(columns))]


def _same_data(heads: pd.DataFrame, model: "Model") -> dict[int, bool]:
    """Per agreement: is `model` built on every data version (forecast, capacity, plan, masters)
    the agreement was made on?"""
    now = {k: int(v) for k, v in model.versions.items() if k in MODEL_KINDS}
    return {int(r.agreement_id): {k: int(v) for k, v in json.loads(r.versions or "{}").items()
                                  if k in MODEL_KINDS} == now
            for r in heads.itertuples()}


def _open_or(verdict: str, same_data: bool, before: object, now: object) -> str:
    """'open' where nothing is new to judge by: the same data and the same gap (rounded as the
    verdict rounds). A new strategy that moved the gap on the same data is judged; a new goal
    alone is not news."""
    if verdict == "past" or not same_data:
        return verdict
    unchanged = round(float(now or 0), 6) == round(float(before or 0), 6)
    return "open" if unchanged else verdict


def _amount(value: object, unit: object, lang: str) -> str:
    """A shortfall with its unit where the agreement has one (one article), else the number."""
    return fmt.quantity(value, unit, lang, 0) if isinstance(unit, str) else fmt.number(value, lang)


MARKS = ("open", "held", "partly", "not_held")
MARK_SYMBOLS = {"open": "◆", "held": "✓", "partly": "◐", "not_held": "✗"}
MARK_COLUMNS = ["agreement_id", "meeting_id", "scope", "product", "market", "line", "period",
                "text", "status", "mark", "mark_label", "symbol"]


def agreement_marks(con: duckdb.DuckDBPyConnection, *, model: "Model", lang: str = "de") -> pd.DataFrame:
    """One row per PMC- or line-period an agreement covers, with its mark for the screens:
    held / partly / not held (judge_agreements per item) once the plan has moved since it was
    made, else open (`_open_or`: nothing new to judge it by). Dropped agreements and past periods are left out."""
    items = judge_agreements(con, model=model, lang=lang, detail=True)
    heads = agreements(con)
    if items.empty or heads.empty:
        return pd.DataFrame(columns=MARK_COLUMNS)
    heads = heads[heads["status"] != "dropped"]
    same_data = _same_data(heads, model)
    items = items[~items["past"].astype(bool) & items["agreement_id"].isin(same_data)]
    frame = items.merge(heads[["agreement_id", "meeting_id", "text", "status"]], on="agreement_id")
    frame["mark"] = [m if m in MARKS else "open" for m in (
        _open_or(v, same_data[int(a)], b, n) for a, v, b, n in zip(
            frame["agreement_id"], frame["verdict"], frame["shortfall_before"], frame["shortfall_now"]))]
    frame["mark_label"] = [render(f"mark_{m}", lang) for m in frame["mark"]]
    frame["symbol"] = frame["mark"].map(MARK_SYMBOLS)
    return frame[MARK_COLUMNS].reset_index(drop=True)


def overall_mark(marks: Iterable[str]) -> str:
    """One mark for an agreement over its periods: held only when every period is held."""
    marks = set(marks)
    for mark in ("open", "not_held", "partly"):
        if marks == {mark} or (mark != "open" and mark in marks):
            return mark
    return "held" if marks == {"held"} else "partly"


def marks_by_conflict(marks: pd.DataFrame, lang: str = "de") -> dict[tuple, str]:
    """Per PMC (("pmc", product, market folded)) and line (("line", line folded)) the agreements
    covering it as one text, e.g. "#3 ◆ offen · #5 ✓ gehalten": the top-conflicts column."""
    out: dict[tuple, list[str]] = {}
    if marks is None or marks.empty:
        return {}
    for (scope, product, market, line, agreement_id), part in marks.groupby(
            ["scope", "product", "market", "line", "agreement_id"], dropna=False, sort=True):
        key = ("pmc", str(product), str(market).casefold()) if scope == "pmc" \
            else ("line", str(line).casefold())
        mark = overall_mark(part["mark"])
        out.setdefault(key, []).append(
            f"#{int(agreement_id)} {MARK_SYMBOLS[mark]} {render(f'mark_{mark}', lang)}")
    return {k: " · ".join(v) for k, v in out.items()}


def _period_start(label: str) -> dt.date | None:
    """First day of a stored period label; None for a label that names no period."""
    try:
        return period_start_of(label)
    except ValueError:
        return None


def judge_against_strategy(con: duckdb.DuckDBPyConnection, versions: dict[str, int] | None = None, *,
                           strategy: Strategy | None = None, model: "Model | None" = None,
                           lang: str = "de") -> pd.DataFrame:
    """The plan judged against the strategy (mart_strategy_checks): class-A markets short per
    period, PMCs below their fill-rate target, line-periods outside their utilisation band.

    The check uses the strategy the model was built with; a different `strategy` builds the model
    again with it (its classes change the allocation too)."""
    own_model = model is None or (strategy is not None and
                                  strategy.version_id != model.strategy_version_id)
    if own_model:
        chosen = model.versions if model is not None else versions
        model = build(con, chosen, strategy=strategy.version_id) if strategy is not None \
            else build(con, chosen)
    try:
        frame = model.strategy_checks()
    finally:
        if own_model:
            model.close()
    frame["message"] = [_check_message(r, lang) for r in frame.to_dict("records")]
    order = {"class_a_short": 0, "fill_rate": 1, "band_over": 2, "band_under": 3}
    frame["_order"] = frame["check"].map(order)
    # the largest first: a class-A market's missing line hours, a PMC's shortfall, a line's overload
    frame["_size"] = frame["shortfall_hours"].fillna(frame["shortfall"]).fillna(frame["overload_hours"]).fillna(0)
    frame = frame.sort_values(["_order", "period_start", "_size", "market", "product", "line"],
                              ascending=[True, True, False, True, True, True], na_position="first")
    return frame.drop(columns=["_order", "_size"]).reset_index(drop=True)


def _check_message(row: dict, lang: str) -> str:
    params = {k: ("" if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in row.items()}
    params["period"] = fmt.period(params.get("period"), lang)  # KW 05/2027, as the tables beside it
    for key in ("value", "target", "low", "high"):
        params[key] = fmt.percent(row.get(key) or 0.0, lang,
                                  1 if key == "value" and row["check"] == "fill_rate" else 0)
    # with its unit; a class-A market whose articles share no unit or weight by its line hours
    unit, hours = row.get("unit"), row.get("shortfall_hours")
    if isinstance(unit, str) and row.get("shortfall") is not None and not pd.isna(row["shortfall"]):
        params["shortfall"] = fmt.quantity(row["shortfall"], unit, lang, 0)
    elif hours is not None and not pd.isna(hours):
        params["shortfall"] = f"{fmt.number(hours, lang, 1)} h"
    else:
        params["shortfall"] = fmt.number(row.get("shortfall") or 0.0, lang)
    return render(f"check_{row['check']}", lang, **params)
