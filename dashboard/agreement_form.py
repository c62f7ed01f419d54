"""The few-clicks form that records what the meeting agreed on one conflict (used by the drill-down)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import access, i18n, queries, ui, views
from dashboard.queries import meeting as qm
from dashboard.i18n import t, t_text
from dashboard.queries import PlanChoice, VersionKey
from pipelines.errors import UserError
from pipelines.meeting import MARK_SYMBOLS, overall_mark
from pipelines.model.levers import best_lever

FREE = "__free__"


def _scope_key(scope: dict) -> str:
    return "_".join(str(scope[k]) for k in ("product", "market", "line", "period") if scope.get(k))


def lever_options(levers: pd.DataFrame, lang: str) -> dict[str, str]:
    """Lever key -> label with what it closes, model levers first in the model's order."""
    options: dict[str, str] = {}
    for r in levers.itertuples(index=False):
        if r.lever in options:
            continue
        label = views.lever_name(r.lever, lang)
        closes = getattr(r, "closes_units", None)
        unit = ""
        if closes is None or pd.isna(closes):
            closes, unit = getattr(r, "closes_hours", None), " h"
        if closes is not None and not pd.isna(closes) and float(closes) > 0:
            label += " – " + t_text("ag_closes", lang, units=i18n.number(closes, lang) + unit)
        options[str(r.lever)] = label
    options[FREE] = t("ag_lever_free", lang)
    return options


def _periods(key: VersionKey, scope: dict) -> list[str]:
    """The periods the agreement may concern: where this PMC is short, or this line overloaded."""
    if scope.get("line"):
        load = queries.line_load(key)
        on_line = load[(load["line"] == scope["line"]) & (load["overload_hours"] > 1e-9)]
        periods = on_line["period"].astype(str).tolist()
    else:
        series = queries.pmc_series(key, scope["product"], scope["market"])
        periods = series.loc[series["shortfall"] > 1e-9, "period"].astype(str).tolist()
    return sorted(set(periods) | {str(scope["period"])})


def _levers(key: VersionKey, scope: dict, lang: str) -> pd.DataFrame:
    try:
        if scope.get("line"):
            return queries.line_levers(key, scope["line"], scope["period"], lang)
        return queries.levers(key, scope["product"], scope["market"], scope["period"], lang)
    except Exception:  # noqa: BLE001 - no levers for this conflict: free text still works
        return pd.DataFrame(columns=["lever"])


# --- defaults of the form (issue 10): lever, periods, meeting; agreements already made ---------

def _lever_index(options: dict[str, str], levers: pd.DataFrame) -> int | None:
    """The lever closing the most at the fewest hours (levers.best_lever); None when none closes
    anything: then the form asks the meeting to choose."""
    best = best_lever(levers)
    return list(options).index(best) if best in options else None


def _episode(key: VersionKey, scope: dict) -> list[str]:
    """The conflict episode around the clicked period (mart_conflict_episodes)."""
    try:
        return queries.episode(key, str(scope["period"]), product=scope.get("product"),
                               market=scope.get("market"), line=scope.get("line"))
    except Exception:  # noqa: BLE001 - no episode: the clicked period alone
        return [str(scope["period"])]


def _meeting_options(mstamp, lang: str) -> tuple[list, dict, int]:
    """Meetings to record in, newest first: this week's (or None: this week's, opened on saving)
    is the default."""
    meetings = qm.meetings(mstamp)
    this_week = qm.week_meeting(mstamp, dt.date.today())
    labels = views.meeting_labels(meetings, lang)
    ids = [int(m) for m in meetings["meeting_id"]]
    if this_week is None:
        ids = [None] + ids
        labels[None] = t("ag_week_meeting", lang)
    return ids, labels, ids.index(this_week) if this_week in ids else 0


def _covering(key: VersionKey, mstamp, scope: dict, lang: str) -> list[str]:
    """The agreements on this PMC (or line), each with its periods and mark (open, held, ...)."""
    marks = qm.marks(key, mstamp, lang)
    if marks.empty:
        return []
    if scope.get("line"):
        mine = marks[(marks["scope"] == "line")
                     & (marks["line"].fillna("").str.casefold() == str(scope["line"]).casefold())]
    else:
        mine = marks[(marks["scope"] == "pmc") & (marks["product"] == scope["product"])
                     & (marks["market"].fillna("").str.casefold() == str(scope["market"]).casefold())]
    lines = []
    for agreement_id, part in mine.groupby("agreement_id", sort=True):
        periods = sorted(part["period"])
        span = i18n.period(periods[0], lang) + ("" if len(periods) == 1
                                                 else " – " + i18n.period(periods[-1], lang))
        mark = overall_mark(part["mark"])
        lines.append(t_text("ag_mark_line", lang, id=int(agreement_id), text=part["text"].iloc[0],
                            periods=span, status=f"{MARK_SYMBOLS[mark]} {t_text('mark_' + mark, lang)}"))
    return lines


def agreement_form(model_or_context: VersionKey | PlanChoice, scope: dict, lang: str) -> int | None:
    """Render the form for one PMC-period ({product, market, period}) or line-period ({line, period})
    of the plan `model_or_context`; after saving the page is drawn again with the agreement listed."""
    key = model_or_context.current if isinstance(model_or_context, PlanChoice) else model_or_context
    suffix = _scope_key(scope)
    # A refused save keeps what was typed (no clear_on_submit: it clears before the save is
    # judged); a stored agreement empties the form by giving its fields new keys, so they are drawn
    # new with their defaults (setting a drawn widget's value is not allowed).
    generation = st.session_state.get(f"_ag_generation_{suffix}", 0)
    field = suffix + (f"_{generation}" if generation else "")
    mstamp = qm.meeting_stamp()
    saved = None
    with st.container(border=True):
        st.subheader(t("ag_title", lang), anchor=False)
        covering = _covering(key, mstamp, scope, lang)
        if covering:
            st.markdown(f"**{t('ag_marks', lang)}**")
            for line in covering:
                st.markdown("- " + ui.text(line))
        meeting_ids, labels, meeting_index = _meeting_options(mstamp, lang)
        levers = _levers(key, scope, lang)
        options = lever_options(levers, lang)
        lever_index = _lever_index(options, levers)
        goals = qm.strategy(mstamp).goals
        goals = goals[goals["active"].fillna(True).astype(bool)] if len(goals) else goals
        goal_texts = {None: t("ag_goal_none", lang)} | {
            str(g.goal_id): f"{g.goal_id} · {g.text}" for g in goals.itertuples()}
        episode = _episode(key, scope)
        periods = sorted(set(_periods(key, scope)) | set(episode))
        with st.form(key=f"ag_form_{field}", border=False):
            text = st.text_area(t("ag_text", lang), key=f"ag_text_{field}", height=80)
            a, b, c = st.columns([2, 1, 1])
            lever = a.selectbox(t("ag_lever", lang), list(options), key=f"ag_lever_{field}",
                                format_func=options.get, index=lever_index,
                                placeholder=t_text("ag_lever_choose", lang))
            owner = b.text_input(t("ag_owner", lang), key=f"ag_owner_{field}")
            due = c.date_input(t("ag_due", lang), value=dt.date.today() + dt.timedelta(days=14),
                               key=f"ag_due_{field}", format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD")
            a, b, c = st.columns([2, 1, 1])
            free = a.text_input(t("ag_lever_text", lang), key=f"ag_free_{field}")
            goal = b.selectbox(t("ag_goal", lang), list(goal_texts), key=f"ag_goal_{field}",
                               format_func=goal_texts.get)
            meeting_id = c.selectbox(t("ag_meeting", lang), meeting_ids, key=f"ag_meeting_{field}",
                                     index=meeting_index, format_func=labels.get)
            chosen = st.multiselect(t("ag_periods", lang), periods, default=episode,
                                    key=f"ag_periods_{field}",
                                    format_func=lambda p: i18n.period(p, lang))
            if len(episode) > 1:
                st.caption(t("ag_episode", lang, first=i18n.period(episode[0], lang),
                             last=i18n.period(episode[-1], lang), count=len(episode)))
            scenario = _scenario_select(key, field, lang)
            submitted = st.form_submit_button(t("ag_save", lang), type="primary", icon=":material/handshake:",
                                              key=f"ag_save_{field}", disabled=not access.may("agreement"))
        if not access.may("agreement"):
            st.caption(access.refused("agreement", lang))
        if submitted:
            fixed = {k: v for k, v in scope.items() if k != "period"}
            # typed text wins: the meeting chose something the model does not offer
            lever_value = free.strip() or (None if lever in (FREE, None) else lever)
            if lever_value is None and lever is None:  # none preselected, none chosen
                st.error(t("ag_lever_missing", lang), icon=":material/error:")
                if not text.strip():  # both at once: one more try, not two
                    ui.fail(UserError("mt_no_text"), lang)
                return None
            try:
                saved = qm.record_agreement(key, meeting_id, text, [fixed | {"period": p} for p in chosen],
                                            lever=lever_value, owner=owner.strip(), due_date=due,
                                            goal_id=goal, lang=lang, scenario=scenario)
            except Exception as exc:  # a UserError (no text, no period, unknown goal) in words
                ui.fail(exc, lang)
            else:
                stored = qm.agreements(qm.meeting_stamp(), None)
                row = stored[stored["agreement_id"] == saved]
                shortfall = row["shortfall_before"].iloc[0] if len(row) else None
                # drawn again, so the list above and the meeting picker show the new agreement
                st.session_state[f"_ag_saved_{suffix}"] = t(
                    "ag_saved", lang, id=saved, shortfall=i18n.number(shortfall, lang))
                st.session_state[f"_ag_generation_{suffix}"] = generation + 1
                st.rerun()
        if (message := st.session_state.pop(f"_ag_saved_{suffix}", None)) is not None:
            st.success(message, icon=":material/check_circle:")
    return saved


def _scenario_select(key: VersionKey, suffix: str, lang: str) -> str | None:
    """The stored scenario the agreement takes, if any ("we take scenario ..."); preselected from
    `?ag_scenario=NAME` (the scenario page links back with it)."""
    from dashboard.queries import scenario as qs
    names = [None] + [str(n) for n in qs.saved(dict(key)["db"])["name"]]
    wanted = st.query_params.get("ag_scenario")
    index = names.index(wanted) if wanted in names else 0
    return st.selectbox(t("ag_scenario", lang), names, index=index, key=f"ag_scenario_{suffix}",
                        format_func=lambda n: t("ag_scenario_none", lang) if n is None else n)
