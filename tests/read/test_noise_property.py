"""Property: a random wide or long forecast written with export noise reads back exactly, and a
corrupted totals row is never dropped silently (spec section 2)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from pipelines.read import read_file
from tests.read.conftest import xlsx_bytes

WEEKS = ["KW 01/2027", "KW 02/27", "2027-W03", "W04/2027", "KW 5.2027"]
LABELS = ["2027-W01", "2027-W02", "2027-W03", "2027-W04", "2027-W05"]


def german(value: float) -> str:
    return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


@st.composite
def forecasts(draw):
    n_products = draw(st.integers(1, 3))
    markets = draw(st.lists(st.sampled_from(["LEH", "Discount", "Export NL", "Foodservice"]),
                            min_size=1, max_size=3, unique=True))
    n_weeks = draw(st.integers(1, 5))
    qty = st.one_of(st.just(0), st.integers(1, 5000), st.floats(0.25, 9999, allow_nan=False).map(lambda x: round(x, 2)))
    data = {(str(100 + p), m, w): draw(qty) for p in range(n_products) for m in markets for w in range(n_weeks)}
    return data, n_products, markets, n_weeks


def cell(draw, value: float, english: bool):
    """A quantity as an export writes it: a number, German/English text, `-` or empty for 0."""
    if value == 0:
        return draw(st.sampled_from([None, "-", 0, "0"]))
    how = draw(st.sampled_from(["number", "text"]))
    if how == "number":
        return value
    text = f"{value:,.2f}" if english else german(value)
    return text


def sheet_rows(draw, data, n_products, markets, n_weeks, *, corrupt: bool):
    english = draw(st.booleans())
    wide = draw(st.booleans())
    rows: list[list] = []
    for _ in range(draw(st.integers(0, 3))):          # title and selection rows
        rows.append([draw(st.sampled_from(["Absatzplanung", "Selektion: Werk 1000", None]))])
    totals_row = None
    if wide:
        two_rows = draw(st.booleans())
        if two_rows:
            rows.append(["Artikel", "Markt", 2027] + [None] * (n_weeks - 1))
            rows.append([None, None] + [f"KW {w + 1:02d}" for w in range(n_weeks)])
        else:
            rows.append(["Artikel", "Markt"] + WEEKS[:n_weeks])
        subtotals = draw(st.booleans())     # an export closes every group or none
        for p in range(n_products):
            for m in markets:
                rows.append([str(100 + p), m] + [cell(draw, data[(str(100 + p), m, w)], english)
                                                 for w in range(n_weeks)])
            if subtotals:
                sums = [sum(data[(str(100 + p), m, w)] for m in markets) for w in range(n_weeks)]
                if corrupt and totals_row is None:
                    sums[0] += 1
                    totals_row = len(rows) + 1
                rows.append([f"Summe {100 + p}", None] + sums)
    else:
        rows.append(["Artikel", "Markt", "KW", "Menge"])
        for (p, m, w), v in data.items():
            if v:
                rows.append([p, m, LABELS[w], cell(draw, v, english)])
        if draw(st.booleans()) or corrupt:
            total = sum(data.values()) + (1 if corrupt else 0)
            totals_row = len(rows) + 1 if corrupt else None
            rows.append(["Gesamtsumme", None, None, total])
    if english:       # an English file must show it: a number that only English reads
        rows.insert(0, ["Stand 1,234.50"])
        totals_row = totals_row + 1 if totals_row else None
    return rows, totals_row


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forecasts(), st.data())
def test_noisy_forecast_reads_back_exactly(generated, draw):
    data, n_products, markets, n_weeks = generated
    rows, _ = sheet_rows(draw.draw, data, n_products, markets, n_weeks, corrupt=False)
    result = read_file(xlsx_bytes({"Absatzplan": rows}), "Absatzplan.xlsx")
    assert result.ok, [(e.key, e.row, e.column, e.value) for e in result.all_errors()]
    (sheet,) = result.sheets
    got = {(r.product, r.market, r.period): r.quantity for r in sheet.frame.itertuples() if r.quantity}
    want = {(p, m, LABELS[w]): float(v) for (p, m, w), v in data.items() if v}
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert abs(got[key] - value) < 1e-9, key
    assert abs(sheet.sum_read - sum(want.values())) < 1e-6


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forecasts(), st.data())
def test_corrupted_totals_row_is_never_dropped_silently(generated, draw):
    data, n_products, markets, n_weeks = generated
    rows, totals_row = sheet_rows(draw.draw, data, n_products, markets, n_weeks, corrupt=True)
    result = read_file(xlsx_bytes({"Absatzplan": rows}), "Absatzplan.xlsx")
    if totals_row is None:
        return
    assert not result.ok
    assert ("totals_row_mismatch", totals_row) in [(e.key, e.row) for e in result.all_errors()]
