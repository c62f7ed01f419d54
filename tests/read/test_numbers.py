import math

import pytest
from hypothesis import given, strategies as st

from pipelines.read.numbers import (ENGLISH, GERMAN, file_style, format_english, format_german,
                                    parse_text_number, resolve)


@pytest.mark.parametrize("text, kind, value", [
    ("1.234,5", "de", 1234.5), ("1234,5", "de", 1234.5), ("0,45", "de", 0.45), ("1.234.567", "de", 1234567),
    ("12,34", "de", 12.34), ("-1.234,5", "de", -1234.5), ("1 234,5", "de", 1234.5),
    ("1,234.5", "en", 1234.5), ("1234.5", "en", 1234.5), ("0.123", "en", 0.123), ("1,234,567", "en", 1234567),
    ("1234", "number", 1234), ("  42 ", "number", 42), ("123-", "number", -123), ("1e3", "number", 1000),
    ("-", "dash", 0), ("–", "dash", 0),
])
def test_unambiguous_text_numbers(text, kind, value):
    tn = parse_text_number(text)
    assert tn.kind == kind
    assert resolve(tn, None) == pytest.approx(value)


@pytest.mark.parametrize("text, german, english", [("1.234", 1234, 1.234), ("1,234", 1.234, 1234),
                                                   ("1.000", 1000, 1.0), ("-12.500", -12500, -12.5)])
def test_ambiguous_text_numbers_are_decided_by_the_file(text, german, english):
    tn = parse_text_number(text)
    assert tn.kind == "ambiguous"
    assert resolve(tn, None) is None
    assert resolve(tn, GERMAN) == pytest.approx(german)
    assert resolve(tn, ENGLISH) == pytest.approx(english)


@pytest.mark.parametrize("text", ["abc", "", "1,2,3", "12.34.5", "#N/A", "1.23,4.5", "5 %"])
def test_not_numbers(text):
    assert parse_text_number(text).kind == "invalid"


def test_file_style():
    assert file_style({"de", "number"}) == GERMAN
    assert file_style({"en", "ambiguous"}) == ENGLISH
    assert file_style({"de", "en"}) is None
    assert file_style({"number", "ambiguous"}) is None


amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2))


@given(amounts, st.booleans())
def test_german_round_trip(value, thousands):
    text = format_german(value, 2, thousands)
    assert resolve(parse_text_number(text), GERMAN) == pytest.approx(value, abs=1e-9)


@given(amounts, st.booleans())
def test_english_round_trip(value, thousands):
    text = format_english(value, 2, thousands)
    assert resolve(parse_text_number(text), ENGLISH) == pytest.approx(value, abs=1e-9)


@given(amounts)
def test_two_decimals_never_ambiguous(value):
    """With two decimals a number reads one way only, so it decides a file's style."""
    assert parse_text_number(format_german(value)).kind in ("de", "number")
    assert parse_text_number(format_english(value)).kind in ("en", "number")


@given(st.integers(min_value=1000, max_value=999_999))
def test_german_thousands_integer_read_alone_is_ambiguous_or_decided(n):
    text = format_german(n, 0)
    tn = parse_text_number(text)
    assert tn.kind == "ambiguous"
    assert math.isclose(resolve(tn, GERMAN), n)
