"""Names from files and texts from users reach every page as plain text: no markdown image or link,
no HTML, in page text, widget labels and plotly charts; CSV downloads carry no live formula."""
from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from hostile_seed import HOSTILE, LINE, MARKET, TRAP, build_hostile

# what markdown would turn into a link, an image, HTML or a Streamlit directive, unless escaped
UNSAFE = re.compile(r"(?<!\\)(\]\(|<a\b|<img\b|<b>|://)")
ESCAPED = r"\!\[m\](http\://127.0.0.1:9/market.png)"   # the hostile market as plain text for markdown
MARKDOWN_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                     "error", "success", "exception")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    return path, build_hostile(path)


def markdown_sources(at) -> list[str]:
    """Every text the page hands to Streamlit's markdown renderer (element bodies and labels)."""
    sources = [str(e.value) for kind in MARKDOWN_ELEMENTS for e in at.get(kind)]
    sources += [m.label for m in at.metric]
    for kind in ("selectbox", "multiselect", "text_input", "text_area", "button", "checkbox",
                 "date_input", "segmented_control", "radio"):
        sources += [str(getattr(w, "label", "")) for w in at.get(kind)]
    sources += [str(getattr(e.proto, "label", "")) for e in at.get("page_link")]
    sources += [str(getattr(e.proto, "help", "")) for kind in ("selectbox", "button") for e in at.get(kind)]
    return sources


def chart_specs(at) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def assert_plain(at) -> str:
    """No markdown source holds the trap address unescaped, no chart holds live HTML with it;
    returns everything shown, so a test can check the hostile text did reach the page."""
    assert not at.exception, [e.message for e in at.exception]
    sources = markdown_sources(at)
    for text in sources:
        assert not UNSAFE.search(text), f"unescaped for markdown: {text!r}"
    for spec in chart_specs(at):
        figure = json.loads(spec)
        for trace in figure["data"]:  # click keys and legend groups are data, never drawn
            trace.pop("customdata", None), trace.pop("legendgroup", None)
        drawn = json.dumps(figure)
        for tag in ("<a ", "<img", "<b>"):
            assert tag not in drawn, drawn[max(0, drawn.find(tag) - 300):drawn.find(tag) + 100]
    return "\n".join(sources + chart_specs(at))


def goto(at, page: str, **params):
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    return at


def test_overview_shows_hostile_names_as_text(app, hostile):
    at = app(hostile[0])
    at.run()
    shown = assert_plain(at)
    assert ESCAPED in shown, "the hostile market reached the overview's conflict list"
    at.segmented_control(key="hm_by").set_value("line").run()
    shown = assert_plain(at)
    assert "=HYPERLINK" in shown and "&lt;" not in LINE  # the line axis carries the name as text


def test_conflict_drill_down_and_line_view(app, hostile):
    db, top = hostile
    at = goto(app(db), "screens/conflict.py", product=top["product"], market=top["market"],
              period=top["period"])
    shown = assert_plain(at)
    assert ESCAPED in shown  # the title names the hostile product and market
    at = goto(app(db), "screens/conflict.py", line=top["line"], period=top["period"])
    shown = assert_plain(at)
    assert r"\=HYPERLINK" in shown


@pytest.mark.parametrize("page", ["screens/capacity.py", "screens/demand.py", "screens/upload.py",
                                  "screens/strategy.py", "screens/lookback.py"])
def test_data_pages(app, hostile, page):
    at = goto(app(hostile[0]), page)
    shown = assert_plain(at)
    assert "127" in shown or page.endswith(("capacity.py", "strategy.py", "upload.py"))


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
def test_meeting_steps(app, hostile, step):
    at = goto(app(hostile[0]), "screens/meeting.py", step=str(step))
    shown = assert_plain(at)
    assert ESCAPED in shown  # the meeting's title is hostile


def test_tables_offer_an_escaped_csv_and_no_builtin_export(app, hostile):
    import tomllib
    from pathlib import Path
    from pipelines.text import plain
    at = goto(app(hostile[0]), "screens/capacity.py")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Als CSV herunterladen") == 2, labels  # bottlenecks and maintenance
    table = next(d.value for d in at.dataframe if LINE in d.value.iloc[:, 0].tolist())
    rows = pd.read_csv(io.BytesIO(plain.csv(table)), dtype=str, keep_default_na=False)
    assert "'" + LINE in rows.iloc[:, 0].tolist()
    assert not any(v.startswith(("=", "+", "@")) for v in rows.to_numpy().ravel())
    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True  # the toolbar's export writes cells raw
    assert config["client"]["showErrorDetails"] == "none"


def test_csv_cells():
    from pipelines.text import plain
    assert [plain.csv_cell(v) for v in ("=1+1", "+49 170", "-x", "@A1", "\tq", "\rq", "-1.234,5", "+12 %", "Joghurt")] \
        == ["'=1+1", "'+49 170", "'-x", "'@A1", "'\tq", "'\rq", "-1.234,5", "+12 %", "Joghurt"]


@pytest.mark.parametrize("typed, message", [
    ("xyz", "„xyz“ ist keine Zahl"), ("-5", "-5 % liegt außerhalb von 0–200 %"),
    ("250", "250 % liegt außerhalb von 0–200 %")])
def test_strategy_editor_refuses_bad_numbers_by_row_and_value(app, tiny_db, typed, message):
    at = goto(app(tiny_db), "screens/strategy.py")
    at.session_state["sg_bands_0"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"line": "L1", "min_utilization": "70", "max_utilization": "90"},
        {"line": "L2", "min_utilization": "70", "max_utilization": typed}]}
    at.button(key="sg_save").click().run()
    assert not at.exception
    assert at.error and "Nicht gespeichert: 1 Eingabe" in at.error[0].value
    shown = " ".join(c.value for c in at.caption)
    # rows 1-2 are the plan's lines L1 and L2 with the default band, rows 3-4 the added ones
    assert "Zeile 4" in shown and "Band bis" in shown and message in shown.replace("\\", ""), shown
    assert "sg_bands_0" in [e.key for e in at.data_editor], "no new strategy version was stored"


def test_strategy_editor_reads_german_decimals(app, tiny_db, tmp_path):
    import shutil
    db = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_db, db)
    at = goto(app(db), "screens/strategy.py")
    at.session_state["sg_targets_0"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"priority_class": "A", "market": "LEH", "target": "92,5"}]}
    at.button(key="sg_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    from dashboard.queries import cursor
    from pipelines.store import strategy as sg
    with cursor(str(db)) as cur:
        targets = sg.current_strategy(cur).fill_targets
    assert targets["target"].round(4).tolist() == [0.98, 0.95, 0.9, 0.925]  # defaults kept, 92,5 % added


@pytest.mark.parametrize("params, shown", [
    ({"line": "BUT-1", "period": "2027-W99"}, "BUT-1 · "),
    ({"line": "NOPE", "period": "2027-W02"}, "NOPE"),
    ({"product": "999999", "market": "LEH", "period": "2027-W02"}, "999999 · LEH"),
    ({"product": "100301", "market": "LEH", "period": "2027-W99"}, "99")])
@pytest.mark.parametrize("lang, words", [("de", "keine Daten"), ("en", "no data")])
def test_bad_deep_links_say_so_in_the_users_language(app, demo_db, params, shown, lang, words):
    at = goto(app(demo_db, lang), "screens/conflict.py", **params)
    assert not at.exception, [e.message for e in at.exception]
    warning = at.warning[0].value.replace("\\", "")
    assert words in warning and shown in warning, warning
    assert at.selectbox, "the conflict chooser is offered instead"


def test_an_unexpected_error_shows_a_reference_not_its_text(monkeypatch, app, demo_db, caplog):
    from dashboard import queries
    at = app(demo_db, "en")
    at.run()
    def broken(*args, **kwargs):
        raise RuntimeError("secret path /etc/shadow")
    monkeypatch.setattr(queries, "bottlenecks", broken)
    at.switch_page("screens/capacity.py").run()
    assert not at.exception
    error = at.error[0].value
    assert "error number" in error and "/etc/shadow" not in error
    assert any("secret path" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_failing_pdf_leaves_the_excel_offered_and_says_so(monkeypatch, app, hostile):
    from dashboard.queries import meeting as qm
    from pipelines import pack

    def broken(built, target=None):
        raise RuntimeError("LayoutError")
    monkeypatch.setattr(pack, "export_pdf", broken)
    qm.pack.clear()
    try:
        at = goto(app(hostile[0], "en"), "screens/meeting.py")
        assert not at.exception
        labels = [b.proto.label for b in at.get("download_button")]
        assert "Excel" in " ".join(labels) and not [x for x in labels if "PDF" in x], labels
        assert any("The PDF part of the meeting pack could not be built" in w.value for w in at.warning)
    finally:
        qm.pack.clear()
