"""AppTest of the what-if page: a change from the widgets, base beside scenario, save, ?scenario=."""
from __future__ import annotations

from urllib.parse import parse_qs

from dash_seed import build_tiny
from pipelines import store

PAGE = "screens/scenario.py"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_capacity_change_closes_the_overload_and_is_saved(app, tmp_path):
    db = build_tiny(tmp_path / "tiny.duckdb")
    at = app(db, "en")
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    base = metrics(at)               # no change yet: the scenario equals the base
    assert base["Open conflicts"] != "0"
    at.selectbox(key="cap_line").set_value("L1")
    at.text_input(key="cap_from").set_value("2027-W03")
    at.text_input(key="cap_to").set_value("KW 03/2027")
    at.number_input(key="cap_hours").set_value(40.0)
    at.button(key="cap_add").click().run()
    assert not at.exception
    assert 'line = "L1"' in at.text_area(key="scn_text").value
    shown = metrics(at)
    # L1 W03 (80 h needed, 40 there) fits with 40 more; L2's maintenance week stays short
    assert int(shown["Open conflicts"]) < int(base["Open conflicts"])
    assert int(shown["Overloaded line-weeks"]) == int(base["Overloaded line-weeks"]) - 1
    assert len(at.dataframe) >= 1     # the PMCs whose shortfall changes
    at.button(key="scn_save").click().run()
    assert not at.exception and at.success
    con = store.connect(db)  # the app's connection has this configuration
    try:
        assert con.execute("select name, revision from scenarios").fetchall() == [("New scenario", 1)]
    finally:
        con.close()


def test_bad_scenario_shows_every_problem_and_computes_nothing(app, tmp_path):
    db = build_tiny(tmp_path / "tiny.duckdb")
    at = app(db, "de")
    at.run()
    at.switch_page(PAGE).run()
    at.text_area(key="scn_text").set_value(
        'name = "**fett**"\n[[change]]\nkind = "capacity"\nline = "L9"\nhours = 4\n').run()
    assert not at.exception
    assert at.error and not at.metric
    errors = at.dataframe[0].value
    assert list(errors.iloc[0, :2]) == ["1", "line"] and "L9" in errors.iloc[0, 3]


def test_saved_scenario_by_url(app, tmp_path):
    db = build_tiny(tmp_path / "tiny.duckdb")
    con = store.connect(db)
    from pipelines.scenario import add
    add(con, 'name = "Discount +50"\n[[change]]\nkind = "demand"\nmarket = "Discount"\npercent = 50\n')
    con.close()
    at = app(db, "en")
    at.run()
    at.query_params["scenario"] = "Discount +50"
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "Discount +50" in at.text_area(key="scn_text").value
    assert any("Discount +50" in t.value for t in at.text)


def test_the_link_shown_after_saving_opens_the_scenario(app, tmp_path):
    db = build_tiny(tmp_path / "tiny.duckdb")
    name = "Zusatzschicht L1 Sommer + Discount +20% & mehr"
    at = app(db, "de")
    at.run()
    at.switch_page(PAGE).run()
    at.text_area(key="scn_text").set_value(
        f'name = "{name}"\n[[change]]\nkind = "demand"\nmarket = "Discount"\npercent = 20\n').run()
    at.button(key="scn_save").click().run()
    assert not at.exception and at.success
    links = [e.value for kind in ("code", "text") for e in at.get(kind) if "scenario=" in e.value]
    assert len(links) == 1 and " " not in links[0], links
    query = links[0].split("?", 1)[1]
    assert parse_qs(query) == {"scenario": [name]}, "pasted, the link names the scenario as typed"
    pasted = app(db, "de")  # a colleague's browser: a new session on that address
    pasted.run()
    for key, values in parse_qs(query).items():
        pasted.query_params[key] = values[0]
    pasted.switch_page(PAGE).run()
    assert not pasted.exception
    assert pasted.selectbox(key="scenario").value == name
    assert f'name = "{name}"' in pasted.text_area(key="scn_text").value


def test_a_drill_down_lever_link_starts_a_scenario(app, tmp_path):
    db = build_tiny(tmp_path / "tiny.duckdb")
    at = app(db, "en")
    at.run()
    base = metrics(at)
    for name, value in {"from": "extra_hours", "line": "L1", "period": "2027-W03", "hours": "40"}.items():
        at.query_params[name] = value
    at.switch_page(PAGE).run()
    assert not at.exception
    assert 'kind = "capacity"' in at.text_area(key="scn_text").value
    shown = metrics(at)
    assert int(shown["Overloaded line-weeks"]) == int(base["Overloaded line-weeks"]) - 1
