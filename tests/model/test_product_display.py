"""Given/expect: article numbers as the ERP writes them reach the marts; joins use the normal form."""
from __future__ import annotations

from pipelines.model import build
from tests.model.conftest import add_version


def test_marts_carry_the_display_form_and_join_on_the_normal_form(con, settings):
    add_version(con, "forecast", [dict(product="815", market="LEH", period="2027-W10", quantity=100),
                                  dict(product="42", market="LEH", period="2027-W10", quantity=10)])
    add_version(con, "products", [dict(product="815", line="L1", rate=10),
                                  dict(product="42", line="L1", rate=10)])
    add_version(con, "capacity", [dict(line="L1", period="2027-W10", available_hours=5)])
    con.execute("insert into keys values ('product', '815', '000815', 1), ('market', 'leh', 'LEH', 1)")
    model = build(con, settings=settings)
    assert [tuple(r) for r in model.cursor.execute(
        "select * from stg_product_display").fetchall()] == [("815", "000815")]
    gaps = model.gaps().set_index("product")
    assert gaps.loc["815", "product_display"] == "000815" and gaps.loc["815", "supplied"] > 0
    assert gaps.loc["42", "product_display"] == "42"  # no kept form: the normal form is shown
    top = model.top_conflicts()
    assert dict(zip(top["product"], top["product_display"])) == {"815": "000815", "42": "42"}
