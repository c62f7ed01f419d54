"""read_file never raises on odd input: random grids of plausible and implausible cells."""
import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from pipelines.text import MESSAGES
from pipelines.read import read_file

from .conftest import xlsx_bytes

TOKENS = ["Artikel", "Markt", "Periode", "Menge", "Linie", "Stunden", "Leistung", "Klasse", "KW 05/2027",
          "2027-03", "März 2027", "Summe", "Gesamt", "-", "1.234", "1,5", "1.234,5", "abc", "", " ", "A",
          "000123", "2027-W53", "01.03.2027", "Planmenge", "=SUM(A1)", "Ist", "é", "\t"]
cells = st.one_of(st.none(), st.sampled_from(TOKENS), st.integers(-5, 5000),
                  st.floats(allow_nan=False, allow_infinity=False, width=32),
                  st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)))
grids = st.lists(st.lists(cells, max_size=7), max_size=12)


def check(result):
    for e in result.all_errors():
        assert e.key in MESSAGES
        e.message("de"), e.message("en")
    for s in result.sheets:
        assert s.kind is None or {"_row", "_col"} <= set(s.frame.columns)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids, st.sampled_from([";", ",", "\t"]))
def test_random_csv_never_raises(grid, sep):
    text = "\n".join(sep.join("" if v is None else str(v) for v in row) for row in grid)
    check(read_file(text.encode("utf-8"), "random.csv"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids, st.sampled_from([None, "forecast", "markets"]))
def test_random_xlsx_never_raises(grid, kind):
    check(read_file(xlsx_bytes({"Ist-Absatz": grid or [[]]}), "random.xlsx", kind=kind))
