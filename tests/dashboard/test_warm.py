"""The warm-up (issue 13) builds what the overview and the agenda show from the same cached
functions the pages call: its figures are those of a cold build, and a page after it finds them."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pipelines import model as gap_model


def _fresh(monkeypatch, db) -> None:
    monkeypatch.setenv("EINKLANG_DB", str(db))
    monkeypatch.setenv("EINKLANG_LANG", "de")
    st.cache_data.clear()
    st.cache_resource.clear()
    from dashboard import queries
    queries._stamps.clear()
    queries._prefetched.clear()


def test_warm_up_builds_the_current_plan_and_its_comparison(monkeypatch, demo_db):
    _fresh(monkeypatch, demo_db)
    from dashboard import queries, warm
    warmed = warm.warm_up("de")
    stamp = queries.stamp()
    key, previous = warm.plan_keys(stamp)
    assert warmed == [key, previous] and dict(key)["forecast"] != dict(previous)["forecast"]

    versions = {k: v for k, v in key if k != "db"}
    with gap_model.build_from_file(demo_db, versions) as cold:
        assert queries.kpis(key) == {**cold.kpis(), "grain": cold.grain}
        pd.testing.assert_frame_equal(
            queries.top_conflicts(key, "de").drop(columns="explanation"), cold.top_conflicts(10))
        assert queries.horizon_start(key) == cold.horizon_start()
        since = cold.horizon_start()
    before = {k: v for k, v in previous if k != "db"}
    with gap_model.build_from_file(demo_db, before) as cold:
        assert queries.kpis(previous, since) == {**cold.kpis(since), "grain": cold.grain}


def test_a_page_after_the_warm_up_builds_no_model(monkeypatch, demo_db, app):
    _fresh(monkeypatch, demo_db)
    from dashboard import queries, warm
    warm.warm_up("de")
    built = []
    real = gap_model.build_from_file
    monkeypatch.setattr(gap_model, "build_from_file",
                        lambda *a, **k: built.append(a) or real(*a, **k))
    page = app(demo_db)
    page.run()
    assert not page.exception
    assert built == [], "the overview found the warmed models in the cache"
    assert queries.model(warm.plan_keys(queries.stamp())[0]) is not None


def _prefetch_done() -> None:
    import threading
    for thread in threading.enumerate():
        if thread.name == "einklang-prefetch":
            thread.join(timeout=120)
            assert not thread.is_alive()


def _assert_prefetched_as_cold(demo_db, key, cells, top) -> None:
    from dashboard import queries
    model = queries.model(key)
    wanted = set(cells) | set(top)
    assert {k for k, lang in model._levers if lang == "de"} >= wanted
    assert {k for k, lang in model._explanations if lang == "de"} >= wanted
    versions = {k: v for k, v in key if k != "db"}
    with gap_model.build_from_file(demo_db, versions) as cold:
        for product, market, period in [cells[0], cells[len(cells) // 2], cells[-1], top[-1]]:
            assert model.explain(product, market, period, "de") == cold.explain(product, market, period, "de")
            pd.testing.assert_frame_equal(model.levers(product, market, period, "de"),
                                          cold.levers(product, market, period, "de"))


def _cells_and_top(key):
    from dashboard import queries
    cells = queries._heatmap_keys(queries.conflict_cells(key)[0])
    top = list(zip(*(queries.top_conflicts(key, "de")[c] for c in ("product", "market", "period"))))
    return cells, top


def test_the_warm_up_computes_the_levers_and_explanation_of_every_heatmap_cell(monkeypatch, demo_db):
    """A click on any heatmap cell finds its levers and explanation computed (issue 13): at the
    server's start (the main thread, before it listens) the warm-up computes them in this thread,
    so nothing of it competes with the first page, and what it computed is what a cold model
    computes for the cell alone."""
    _fresh(monkeypatch, demo_db)
    import threading
    from dashboard import warm
    key = warm.warm_up("de")[0]
    assert not [t for t in threading.enumerate() if t.name == "einklang-prefetch"], \
        "the start's prefetch is done when warm_up returns"
    cells, top = _cells_and_top(key)
    assert len(cells) > 3 * 2
    _assert_prefetched_as_cold(demo_db, key, cells, top)


def test_a_background_prefetch_works_in_passes_and_computes_what_a_cold_model_does(monkeypatch, demo_db):
    """A version landing while the server runs is warmed by the watcher: its prefetch runs in a
    thread, a few cells per pass, and ends with the same levers and explanations."""
    _fresh(monkeypatch, demo_db)
    from dashboard import queries, warm
    monkeypatch.setattr(queries, "PREFETCH_CHUNK", 3)  # several passes even on the demo company
    key = warm.plan_keys(queries.stamp())[0]
    top = queries.top_conflicts(key, "de")  # computes the top ten's explanations itself
    calls = []
    real = gap_model.Model.explanations
    monkeypatch.setattr(gap_model.Model, "explanations",
                        lambda self, pmcs, lang="de": calls.append(len(pmcs)) or real(self, pmcs, lang))
    queries.prefetch_drill_down(key, "de", top, heatmap=True)
    _prefetch_done()
    cells, top = _cells_and_top(key)
    assert len(calls) >= 3 and max(calls) <= 3, calls
    _assert_prefetched_as_cold(demo_db, key, cells, top)


def test_a_background_prefetch_waits_while_a_page_runs(monkeypatch, demo_db):
    """No pass starts while any session's script runs, nor until QUIET_SECONDS after: on a large
    plan a pass keeps both cores busy for a second, and the first page after a start had waited
    for it (docs/performance.md)."""
    _fresh(monkeypatch, demo_db)
    import threading
    import time
    from dashboard import queries
    monkeypatch.setattr(queries, "QUIET_SECONDS", 0.3)
    key = queries.version_key(queries.stamp())
    top = queries.top_conflicts(key, "en")  # computes the top ten's explanations itself
    cells = set(queries._heatmap_keys(queries.conflict_cells(key)[0]))

    def english() -> set:
        return {k for k, lang in queries.model(key)._explanations if lang == "en"}
    before = english()
    assert cells - before, "heatmap cells beyond the top ten"
    release = threading.Event()
    page = threading.Thread(target=release.wait, name=queries.SCRIPT_THREAD)
    page.start()
    try:
        queries.prefetch_drill_down(key, "en", top, heatmap=True)
        time.sleep(0.8)
        assert english() == before, "waited for the page"
    finally:
        release.set()
        page.join()
    ended = time.monotonic()
    _prefetch_done()
    assert time.monotonic() - ended >= 0.3, "and a quiet moment after it"
    assert english() >= cells | before


def test_at_exit_a_waiting_prefetch_stops_without_computing(monkeypatch, demo_db):
    """The process's exit (atexit) stops a background prefetch between passes: a daemon thread
    inside a DuckDB query when the interpreter goes away aborts the process (exit 134)."""
    _fresh(monkeypatch, demo_db)
    import threading
    import time
    from dashboard import queries
    key = queries.version_key(queries.stamp())
    top = queries.top_conflicts(key, "en")
    before = {k for k, lang in queries.model(key)._explanations if lang == "en"}
    release = threading.Event()
    page = threading.Thread(target=release.wait, name=queries.SCRIPT_THREAD)
    page.start()
    try:
        queries.prefetch_drill_down(key, "en", top, heatmap=True)
        (thread,) = [t for t in queries._prefetch_threads if t.is_alive()]
        started = time.monotonic()
        queries.stop_prefetch()
        assert not thread.is_alive() and time.monotonic() - started < 1.0
    finally:
        queries._stopping.clear()
        release.set()
        page.join()
    assert {k for k, lang in queries.model(key)._explanations if lang == "en"} == before


def test_a_page_runs_in_the_thread_the_prefetch_waits_for(tmp_path):
    """Streamlit's script thread is named as `queries.SCRIPT_THREAD` says (a rename in a Streamlit
    upgrade would let the prefetch compete with the pages again)."""
    from streamlit.testing.v1 import AppTest
    script = tmp_path / "page.py"
    script.write_text("import streamlit as st\nfrom dashboard import queries\n"
                      "st.write('running' if queries.pages_running() else 'idle')\n", encoding="utf-8")
    page = AppTest.from_file(str(script)).run()
    assert not page.exception
    assert [m.value for m in page.markdown] == ["running"]
    from dashboard import queries
    assert not queries.pages_running()


def test_a_plan_opened_later_warms_only_its_top_conflicts(monkeypatch, demo_db):
    """The overview of a plan the warm-up did not prefetch (here: another language) computes the
    top conflicts' levers in the background, not every heatmap cell's: the switch stays quick."""
    _fresh(monkeypatch, demo_db)
    from dashboard import queries, warm
    key = warm.warm_up("de")[0]
    _prefetch_done()
    top = queries.top_conflicts(key, "en")
    queries.prefetch_drill_down(key, "en", top)
    _prefetch_done()
    english = {k for k, lang in queries.model(key)._explanations if lang == "en"}
    assert english == set(zip(top["product"], top["market"], top["period"]))
    assert len(queries._heatmap_keys(queries.conflict_cells(key)[0])) > len(english)


def test_the_warm_up_of_an_empty_store_does_nothing(monkeypatch, empty_db):
    _fresh(monkeypatch, empty_db)
    from dashboard import warm
    assert warm.warm_up("de") == []


def test_the_server_does_not_collect_garbage_after_every_rerun():
    """Streamlit's default full collection after each rerun walks the whole cache of a large plan
    (50-100 ms per click, docs/performance.md); the server's config turns it off."""
    import tomllib
    from pathlib import Path
    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_the_overview_heatmap_is_built_once_and_drawn_unchanged(monkeypatch, demo_db, app):
    """The conflict heatmap is cached as a figure and shared by every session: the overview's
    reruns (projector mode too) draw that figure and never change it."""
    _fresh(monkeypatch, demo_db)
    from dashboard import charts, queries, views
    from dashboard.queries import meeting as qm
    key = queries.version_key(queries.stamp())
    marks = qm.marks(key, qm.meeting_stamp(), "de")
    figure, shown, total = queries.pmc_heatmap(key, "de", marks)
    assert queries.pmc_heatmap(key, "de", marks)[0] is figure
    cells, order = views.heatmap_cells(queries.conflict_cells(key)[0])
    assert shown == len(order) > 0 and total >= shown
    assert figure.to_json() == charts.pmc_heatmap(cells, "de", order, marks=marks).to_json()
    drawn = figure.to_json()
    page = app(demo_db)
    page.run()
    assert not page.exception
    page.session_state["projector"] = True
    page.run()
    assert not page.exception
    assert queries.pmc_heatmap(key, "de", marks)[0] is figure and figure.to_json() == drawn


def test_the_first_overview_after_the_warm_up_builds_no_heatmap_figure(monkeypatch, demo_db, app):
    """The heatmap figure with its marks is part of the warm-up: the first navigation after a
    start draws it from the cache instead of building it (half of a large plan's overview)."""
    _fresh(monkeypatch, demo_db)
    from dashboard import charts, warm
    warm.warm_up("de")
    built = []
    real = charts.pmc_heatmap
    monkeypatch.setattr(charts, "pmc_heatmap", lambda *a, **k: built.append(a) or real(*a, **k))
    page = app(demo_db)
    page.run()
    assert not page.exception
    assert page.get("plotly_chart"), "the overview drew its heatmap"
    assert built == [], "the warm-up built the figure the overview asks for"
    _prefetch_done()  # its background thread must not outlive the test (DuckDB aborts at exit)
