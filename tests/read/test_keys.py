from hypothesis import given, strategies as st

from pipelines.read.keys import priority_class, product_key, text_key


def test_product_normal_forms():
    assert product_key("000123") == "123"
    assert product_key(123.0) == "123"
    assert product_key(123) == "123"
    assert product_key("  A-77 ") == "A-77"
    assert product_key("0000") == "0"
    assert product_key("") is None
    assert product_key("   ") is None
    assert product_key(None) is None
    assert product_key(12.5) == "12.5"
    assert product_key("00A1") == "00A1"      # not only digits: kept as written


def test_market_and_line_are_trimmed_text_as_written():
    assert text_key("  Export NL ") == "Export NL"
    assert text_key("leh") == "leh"            # case folding is ingest's job
    assert text_key(1.0) == "1"
    assert text_key("0010") == "0010"          # only products lose leading zeros


def test_priority_classes():
    assert [priority_class(v) for v in ("A", "b", " C ", "D", "1", 2.0, 3)] == [1, 2, 3, 4, 1, 2, 3]
    assert priority_class("X") is None
    assert priority_class(1.5) is None
    assert priority_class(0) is None
    assert priority_class("") is None


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=5))
def test_digit_products_equal_their_number_cells(number, zeros):
    assert product_key("0" * zeros + str(number)) == product_key(float(number)) == str(number)
