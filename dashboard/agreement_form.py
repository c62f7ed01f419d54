"""The few-clicks form that records what the meeting agreed on one conflict (used by the drill-down)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import access, i18n, queries, ui, views
from dashboard.queries import meeting as qm
from dashboard.i18n import t, t_text
from dashboard.queries import PlanChoice, VersionKey

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


def _concerns(scope: dict, period: str) -> str:
    """How `pipelines.meeting.agreements` spells one scope item in its `concerns` column."""
    if scope.get("line"):
        return f"{scope['line']} {period}"
    return f"{scope['product']} / {scope['market']} {period}"


def agreement_form(model_or_context: VersionKey | PlanChoice, scope: dict, lang: str) -> int | None:
    """Render the form for one PMC-period ({product, market, period}) or line-period ({line, period})
    of the plan `model_or_context`; returns the new agreement's id on the run it was saved."""
    key = model_or_context.current if isinstance(model_or_context, PlanChoice) else model_or_context
    suffix = _scope_key(scope)
    mstamp = qm.meeting_stamp()
    saved = None
    with st.container(border=True):
        st.subheader(t("ag_title", lang), anchor=False)
        earlier = qm.agreements(mstamp, None)
        mine = earlier[earlier["concerns"].fillna("").str.contains(
            _concerns(scope, scope["period"]), regex=False)] if len(earlier) else earlier
        if len(mine):
            st.caption(t("ag_existing", lang) + ": " + " · ".join(
                f"#{r.agreement_id} {ui.text(r.text)} ({t('status_' + r.status, lang)})" for r in mine.itertuples()))
        meetings = qm.meetings(mstamp)
        meeting_ids = [None] + [int(m) for m in meetings["meeting_id"]]
        labels = {int(r.meeting_id): t_text("mt_option", lang, date=i18n.date(r.meeting_date, lang),
                                       cycle=r.cycle or "–") for r in meetings.itertuples()}
        options = lever_options(_levers(key, scope, lang), lang)
        goals = qm.strategy(mstamp).goals
        goals = goals[goals["active"].fillna(True).astype(bool)] if len(goals) else goals
        goal_texts = {None: t("ag_goal_none", lang)} | {
            str(g.goal_id): f"{g.goal_id} · {g.text}" for g in goals.itertuples()}
        periods = _periods(key, scope)
        with st.form(key=f"ag_form_{suffix}", clear_on_submit=True, border=False):
            text = st.text_area(t("ag_text", lang), key=f"ag_text_{suffix}", height=80)
            a, b, c = st.columns([2, 1, 1])
            lever = a.selectbox(t("ag_lever", lang), list(options), key=f"ag_lever_{suffix}",
                                format_func=options.get)
            owner = b.text_input(t("ag_owner", lang), key=f"ag_owner_{suffix}")
            due = c.date_input(t("ag_due", lang), value=dt.date.today() + dt.timedelta(days=14),
                               key=f"ag_due_{suffix}", format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD")
            a, b, c = st.columns([2, 1, 1])
            free = a.text_input(t("ag_lever_text", lang), key=f"ag_free_{suffix}")
            goal = b.selectbox(t("ag_goal", lang), list(goal_texts), key=f"ag_goal_{suffix}",
                               format_func=goal_texts.get)
            meeting_id = c.selectbox(t("ag_meeting", lang), meeting_ids, key=f"ag_meeting_{suffix}",
                                     index=1 if len(meeting_ids) > 1 else 0,
                                     format_func=lambda m: labels.get(m, t("ag_no_meeting", lang)))
            chosen = st.multiselect(t("ag_periods", lang), periods, default=[str(scope["period"])],
                                    key=f"ag_periods_{suffix}",
                                    format_func=lambda p: i18n.period(p, lang))
            scenario = _scenario_select(key, suffix, lang)
            submitted = st.form_submit_button(t("ag_save", lang), type="primary", icon=":material/handshake:",
                                              key=f"ag_save_{suffix}", disabled=not access.may("agreement"))
        if not access.may("agreement"):
            st.caption(access.refused("agreement", lang))
        if submitted:
            fixed = {k: v for k, v in scope.items() if k != "period"}
            # typed text wins: the meeting chose something the model does not offer
            lever_value = free.strip() or (None if lever == FREE else lever)
            try:
                saved = qm.record_agreement(key, meeting_id, text, [fixed | {"period": p} for p in chosen],
                                            lever=lever_value, owner=owner.strip(), due_date=due,
                                            goal_id=goal, scenario=scenario)
            except Exception as exc:  # a UserError (no text, no period, unknown goal) in words
                ui.fail(exc, lang)
            else:
                stored = qm.agreements(qm.meeting_stamp(), None)
                row = stored[stored["agreement_id"] == saved]
                shortfall = row["shortfall_before"].iloc[0] if len(row) else None
                st.success(t("ag_saved", lang, id=saved, shortfall=i18n.number(shortfall, lang)),
                           icon=":material/check_circle:")
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
