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
    ("Gewicht netto", "net_weight"), ("Preis je 100 Stk", "price"), ("Price per 1000 pcs", "price"),
    ("Verkaufspreis pro 1.000 Stück", "price"), ("Marge je 100 Stk", "margin"), ("Menge je 1000 Stk", None)])
def test_a_gross_weight_is_no_net_weight_and_a_price_may_be_per_hundred(header, field):
    assert field_for_header(header) == field


@pytest.mark.parametrize("field, header, factor", [
    ("net_weight", "Gewicht (g)", 0.001), ("net_weight", "Net weight (lb)", 0.45359237),
    ("net_weight", "Gewicht (oz)", 0.028349523125), ("shelf_life_days", "MHD (Monate)", 30.0),
    ("shelf_life_days", "MHD (Jahre)", 365.0), ("price", "Preis (ct/100 Stk)", 0.0001),
    ("rate", "Leistung (tsd stk / h)", 1000.0), ("rate", "Leistung (Tsd. Stk/min)", 60000.0)])
def test_a_master_header_unit_has_its_factor(field, header, factor):
    from pipelines.read.scale import header_scale

    scale = header_scale(field, header)
    assert not scale.unknown and scale.factor == pytest.approx(factor, rel=1e-12)
