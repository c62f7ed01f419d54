"""A wide capacity export whose rows name their figure (`Kennzahl`: available and maximum hours):
given a tiny workbook, expect the rows in the DuckDB file (docs/ingest.md, "Capacity by measure")."""
from __future__ import annotations

import pytest

from tests.store.test_master_units import ingest, stored

WEEKS = ["KW 01/2027", "KW 02/2027"]


def capacity(rows: list[list], head=("Linie", "Kennzahl"), weeks=WEEKS) -> dict:
    return {"Kapazität": [[*head, *weeks], *rows]}


def test_available_and_maximum_hours_rows_are_stored_side_by_side(tmp_path):
    result, path = ingest(tmp_path, capacity([
        ["L1", "Verfügbare Stunden", 80, 60], ["L1", "Max. Stunden", 96, None],
        ["L2", "Kapazität", 40, 40], ["L2", "Maximale Stunden", 48, 44]]), "Kapazitaet_2027.xlsx")
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select line, period, available_hours, max_hours from capacity order by 1, 2") == [
        ("L1", "2027-W01", 80.0, 96.0), ("L1", "2027-W02", 60.0, None),   # an empty cell: no maximum
        ("L2", "2027-W01", 40.0, 48.0), ("L2", "2027-W02", 40.0, 44.0)]
    (note,) = [w for w in result.warnings if w.key == "max_hours_rows_read"]
    assert "2 Zeilen mit der Kennzahl „Max. Stunden, Maximale Stunden“" in note.message("de")
    assert stored(path, "select skipped_rows from versions where kind = 'capacity'") == [(0,)]


def test_a_unit_in_the_week_headers_applies_to_both(tmp_path):
    result, path = ingest(tmp_path, capacity([["L1", "Stunden", 600, 480], ["L1", "Max Stunden", 720, 720]],
                                             weeks=[f"{w} (min)" for w in WEEKS]), "Kapazitaet.xlsx")
    assert result.ok, [e.message("en") for e in result.errors]
    assert stored(path, "select available_hours, max_hours from capacity order by period") == [
        (10.0, 12.0), (8.0, 12.0)]


@pytest.mark.parametrize("rows, key, row", [
    ([["L1", "Verfügbare Stunden", 80, 80], ["L2", "Maximale Stunden", 48, 48]], "max_hours_without_hours", 3),
    ([["L1", "Verfügbare Stunden", 80, 80], ["L1", "Maximale Stunden", 96, 96],
      ["L1", "Maximale Stunden", 90, 90]], "max_hours_twice", 4)])
def test_a_maximum_without_its_hours_or_twice_is_refused_naming_the_row(tmp_path, rows, key, row):
    result, path = ingest(tmp_path, capacity(rows), "Kapazitaet.xlsx")
    assert not result.ok
    assert [(e.key, e.row, e.column) for e in result.errors] == [(key, row, "A")]  # once, not per week
    assert "Linie" in result.errors[0].message("de") or "line" in result.errors[0].message("en")
    assert stored(path, "select count(*) from capacity") == [(0,)]


def test_measures_without_available_hours_are_refused_saying_which_names_are_read(tmp_path):
    result, _ = ingest(tmp_path, capacity([["L1", "Schichten", 2, 2], ["L1", "Maximale Stunden", 96, 96]]),
                       "Kapazitaet.xlsx")
    (err,) = result.errors
    assert (err.key, err.column) == ("measure_not_hours", "B")
    assert "Verfügbare Stunden" in err.message("de") and "available hours" in err.message("en")


def test_a_bad_number_in_a_maximum_row_is_named_by_its_own_row(tmp_path):
    result, _ = ingest(tmp_path, capacity([["L1", "Verfügbare Stunden", 80, 80], ["L2", "Verfügbare Stunden", 40, 40],
                                           ["L1", "Maximale Stunden", "viel", -5]]), "Kapazitaet.xlsx")
    assert {(e.key, e.row, e.column, e.value) for e in result.errors} == {
        ("not_a_number", 4, "C", "viel"), ("negative", 4, "D", -5)}
