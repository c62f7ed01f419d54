"""Conflict drill-down for one PMC-period (?product=&market=&period=) or line-period (?line=&period=)."""
import streamlit as st

from dashboard import charts, i18n, queries, ui, views
from dashboard.agreement_form import agreement_form
from dashboard.i18n import t
from pipelines import scenario as scenarios
from pipelines.text.format import unit_label

SCENARIO = "screens/scenario.py"

lang, choice = ui.lang(), ui.plan()
params = st.query_params
# This page links to itself (PMC -> its line view -> back to the PMC). Streamlit 1.67 writes a
# page link's query into the address bar only when the page changes, so the line view kept the
# PMC's address and the browser's Back skipped the conflict. Writing the query back (unchanged)
# makes Streamlit put it into the address bar as a new history entry, once per new address.
if shown := {k: params[k] for k in ("product", "market", "line", "period") if k in params}:
    st.query_params.update(shown)
ui.back_link(lang)
if not ui.require_model(choice, lang):
    st.stop()
key = choice.current


def _chooser() -> None:
    """No conflict named in the URL: pick one of the top conflicts or a line."""
    st.title(t("page_conflict", lang))
    top = queries.top_conflicts(key, lang, 25)
    if top.empty:
        st.success(t("no_conflicts", lang))
    else:
        options = list(top.itertuples(index=False))
        picked = st.selectbox(
            t("pick_conflict", lang), range(len(options)), index=None,
            placeholder=t("pick_conflict", lang) + " …",
            format_func=lambda i: f"{views.pmc_label(options[i].product, options[i].product_name, options[i].market, getattr(options[i], 'product_display', None))}"
                                  f" · {i18n.period(options[i].period, lang)} · "
                                  f"{t('col_shortfall', lang)} {i18n.quantity(options[i].shortfall, options[i].unit, lang, 0)}")
        if picked is not None:
            r = options[picked]
            st.query_params.update({"product": r.product, "market": r.market, "period": r.period})
            st.rerun()
    st.stop()


def _what_if(levers, periods: list[str], short: set[str], product=None, market=None) -> None:
    """"What if we take lever X": a link per lever that opens the scenario page with that change
    prefilled, over the run of short periods around this one."""
    window = scenarios.episode(periods, short, period)
    for row in levers.to_dict("records"):
        link = scenarios.lever_link(row, window, product, market)
        if link is not None:
            st.page_link(SCENARIO, icon=":material/alt_route:", query_params=link,
                         label=t("scn_what_if", lang) + " · " + views.lever_name(row["lever"], lang)
                         + (f" ({ui.text(row['line'])})" if row.get("line") else ""))


def _share_link() -> None:
    # the whole address as code (copy button, no markdown): a caption linked only "http://host"
    st.caption(t("share_link", lang))
    st.code(views.share_url(st.context.url, st.query_params.to_dict()), language=None, wrap_lines=True)


period = params.get("period")
if params.get("line") and period:
    line = queries.find_line(key, params["line"])
    if line is None:
        st.warning(t("not_found", lang, what=params["line"]))
        _chooser()
    if period not in views.periods_of_line(queries.line_load(key), line):
        st.warning(t("not_found", lang, what=f"{line} · {i18n.period(period, lang)}"))
        _chooser()
    st.title(t("line_title", lang, line=line, period=i18n.period(period, lang)))
    if params.get("product") and params.get("market"):  # opened from a PMC drill-down
        st.page_link(ui.CONFLICT, label=t("back_pmc", lang, pmc=f"{params['product']} · {params['market']}",
                                          period=i18n.period(period, lang)),
                     query_params=ui.keep_agenda({"product": params["product"], "market": params["market"],
                                                  "period": period}))
    _share_link()
    load, capacity = queries.line_load_by_class(key, line)
    st.subheader(t("line_load_title", lang, line=line))
    ui.chart(charts.line_load(load, capacity, lang, period), config={"displayModeBar": False})
    st.subheader(t("levers", lang))
    levers = queries.line_levers(key, line, period, lang)
    if levers.empty:
        st.info(t("no_levers", lang))
    else:
        ui.table(views.lever_table(levers, lang, line=True), hide_index=True, key="line_levers",
                 static=True)
        on_line = queries.line_load(key)
        on_line = on_line[on_line["line"] == line]
        _what_if(levers, on_line["period"].astype(str).tolist(),
                 set(on_line.loc[on_line["overload_hours"] > 1e-9, "period"].astype(str)))
    st.subheader(t("competitors", lang, line=line, period=i18n.period(period, lang)))
    ui.table(views.table(queries.competitors(key, line, period), [
        ("product", "col_product", "text"), ("product_name", "col_name", "text"),
        ("market", "col_market", "text"), ("priority_class", "col_class", "class"),
        ("demand", "col_demand", "qty"), ("supplied", "col_supplied", "qty"),
        ("shortfall", "col_shortfall", "qty"), ("required_hours", "col_required_hours", "dec1"),
    ], lang), hide_index=True, key="competitors")
    agreement_form(key, {"line": line, "period": period}, lang)
    st.stop()

if not (params.get("product") and params.get("market") and period):
    _chooser()

# a link written by the app names the PMC as stored; only a hand-typed one needs the search
product, market = params["product"], params["market"]
series = queries.pmc_series(key, product, market)
if series.empty:
    found = queries.find_pmc(key, product, market)
    if found is None:
        st.warning(t("not_found", lang, what=f"{product} · {market}"))
        _chooser()
    product, market = found
    series = queries.pmc_series(key, product, market)
at = series[series["period"] == period]
if at.empty:
    st.warning(t("not_found", lang, what=f"{product} · {market} · {i18n.period(period, lang)}"))
    _chooser()
now = at.iloc[0]
st.title(t("pmc_title", lang, product=views.pmc_label(product, now["product_name"], "", now.get("product_display")).rstrip(" ·"),
           market=market, period=i18n.period(period, lang)))
_share_link()

a, b, c, d = st.columns([3, 3, 3, 2])
unit = now["unit"]  # the article's unit: every quantity of this page is in it
# the unit in the label, the figure alone as the value: "15.562 Becher" was cut to "15.562 …" at
# 1280 px, and the shortfall is the figure the meeting came for
in_unit = f" ({unit_label(unit, lang)})"
a.metric(t("col_demand", lang) + in_unit, i18n.number(now["demand"], lang, 0), border=True)
b.metric(t("col_supplied", lang) + in_unit, i18n.number(now["supplied"], lang, 0), border=True)
c.metric(t("col_shortfall", lang) + in_unit, i18n.number(now["shortfall"], lang, 0), border=True)
d.metric(t("col_class", lang), i18n.priority_class(now["priority_class"]), border=True)

text = queries.explanation(key, product, market, period, lang)
if text:
    st.info(ui.text(text), icon=":material/lightbulb:")

st.subheader(t("levers", lang))
if now["shortfall"] <= 1e-9:
    st.success(t("no_shortfall_here", lang))
else:
    levers = queries.levers(key, product, market, period, lang)
    if levers.empty:
        st.info(t("no_levers", lang))
    else:
        st.caption(t("levers_hint", lang))
        bars = views.lever_bars(levers, lang)
        if (bars["closes"] > 0).any():  # a chart of zeros says less than the notes below
            ui.chart(charts.levers_chart(bars, float(now["shortfall"]), lang, unit),
                            config={"displayModeBar": False})
        ui.table(views.lever_table(levers, lang, unit=unit), hide_index=True, key="levers", static=True)
        _what_if(levers, series["period"].astype(str).tolist(),
                 set(series.loc[series["shortfall"] > 1e-9, "period"].astype(str)), product, market)

agreement_form(key, {"product": product, "market": market, "period": period}, lang)

st.subheader(t("demand_vs_supplied", lang))
ui.chart(charts.demand_supplied(series, lang, period, unit), config={"displayModeBar": False})

line = now["line"]
if isinstance(line, str) and line:
    st.subheader(t("line_load_title", lang, line=line))
    load, capacity = queries.line_load_by_class(key, line)
    ui.chart(charts.line_load(load, capacity, lang, period), config={"displayModeBar": False})
    # the PMC stays in the URL: Back and the link above the line view return to it
    st.page_link(ui.CONFLICT, label=t("line_title", lang, line=line, period=i18n.period(period, lang)),
                 icon=":material/factory:", query_params=ui.keep_agenda(
                     {"product": product, "market": market, "period": period, "line": line}))
