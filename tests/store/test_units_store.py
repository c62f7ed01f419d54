"""Net weight, changeover hours and a rate in kg/h are read from the product master's headers and
stored as given; forecast units are stored as given; files of an older schema gain the columns."""
from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines import store
from pipelines.model import build
from pipelines.settings import load_settings
from pipelines.store.ingest import ingest_bytes

PRODUCTS = ("Artikelnummer;Linie;Leistung (kg/h);Einheit;Nettogewicht;Rüstzeit [h]\n"
            "000815;BUT-1;500;Stk;0,25;1,5\n4711;BUT-1;800;kg;;0,5\n").encode("utf-8")
FORECAST = ("Artikel;Markt;KW;Menge;Einheit\n815;LEH;2027-W05;1000;KG\n815;LEH;2027-W05;100;Stk\n"
            "4711;LEH;2027-W05;400;\n").encode("utf-8")


def test_master_fields_and_rate_unit_are_stored_as_given(tmp_path: Path):
    con = store.connect(tmp_path / "e.duckdb")
    # the forecast comes before the master data: the model converts, so the order does not matter
    assert ingest_bytes(con, FORECAST, "absatz.csv").ok
    result = ingest_bytes(con, PRODUCTS, "artikelstamm.csv")
    assert result.ok, [e.message("en") for e in result.errors]
    assert con.execute("select product, rate, unit, net_weight, changeover_hours, rate_unit "
                       "from products order by product").fetchall() == [
        ("4711", 800.0, "kg", None, 0.5, "kg/h"), ("815", 500.0, "Stk", 0.25, 1.5, "kg/h")]
    # rows of one key in different units are not added up
    assert con.execute("select product, quantity, unit from forecast order by product, unit").fetchall() \
        == [("4711", 400.0, None), ("815", 1000.0, "KG"), ("815", 100.0, "Stk")]
    model = build(con, settings=load_settings(env={}))
    gaps = model.gaps().set_index("product")
    # 1000 kg / 0.25 kg + 100 Stk = 4100 Stk at 500 kg/h / 0.25 kg = 2000 Stk/h: 2.05 h + 1.5 h
    assert (gaps.loc["815", "demand"], gaps.loc["815", "unit"], gaps.loc["815", "rate"]) == \
        (4100.0, "Stk", 2000.0)
    assert gaps.loc["815", "required_hours"] == 3.55
    assert (gaps.loc["4711", "unit"], gaps.loc["4711", "required_hours"]) == ("kg", 1.0)
    model.close()
    con.close()


def test_a_file_of_the_older_schema_opens_and_gains_the_columns(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("create table products (version_id integer, product text, line text, rate double, "
                "name text, product_group text, unit text, shelf_life_days double, "
                "min_remaining_shelf_life_days double, price double, margin double)")
    old.execute("create table alternates (version_id integer, product text, line text, rate double)")
    old.execute("insert into products (version_id, product, line, rate) values (1, 'A', 'L1', 10)")
    old.close()
    con = store.connect(path)
    columns = [r[0] for r in con.execute("describe products").fetchall()]
    assert columns[-3:] == ["net_weight", "changeover_hours", "rate_unit"]
    assert "rate_unit" in [r[0] for r in con.execute("describe alternates").fetchall()]
    assert con.execute("select product, net_weight, rate_unit from products").fetchall() == [("A", None, None)]
    assert con.execute("select value from meta where name = 'schema_version'").fetchone() == ("2",)
    con.close()
