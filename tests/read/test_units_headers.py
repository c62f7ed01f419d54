"""Headers of the units fields (spec section 2): net weight, changeover hours, a rate in kg/h."""
from __future__ import annotations

import pytest

from pipelines.contract import field_for_header, rate_unit


@pytest.mark.parametrize("header, field", [
    ("Nettogewicht (kg)", "net_weight"), ("Gewicht", "net_weight"), ("kg/Stk", "net_weight"),
    ("kg je Einheit", "net_weight"), ("Net weight", "net_weight"),
    ("Rüstzeit [h]", "changeover_hours"), ("Ruestzeit", "changeover_hours"),
    ("Rüststunden", "changeover_hours"), ("Setup hours", "changeover_hours"),
    ("Changeover", "changeover_hours"), ("Leistung (kg/h)", "rate")])
def test_units_headers_name_their_fields(header, field):
    assert field_for_header(header) == field


@pytest.mark.parametrize("header, unit", [
    ("Leistung (kg/h)", "kg/h"), ("Leistung [KG/H]", "kg/h"), ("Rate (kg per hour)", "kg/h"),
    ("Leistung (kg/Std)", "kg/h"), ("Leistung (Stk/h)", None), ("Leistung", None), (None, None)])
def test_the_rate_unit_comes_from_the_header_bracket(header, unit):
    assert rate_unit(header) == unit


@pytest.mark.parametrize("header, field", [
    ("Gewicht (brutto)", None), ("Weight (gross)", None), ("Gewicht [Tara]", None), ("Gewicht (netto)", "net_weight"),
    ("Gewicht netto", "net_weight")])
def test_a_gross_weight_is_no_net_weight(header, field):
    assert field_for_header(header) == field

