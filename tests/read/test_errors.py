"""Every read error rule: key, sheet, Excel row, column letter and header of the cell at fault."""
import io
import zipfile


from pipelines.read import read_file

from .conftest import errs, records, xlsx_bytes

HEADER = ["Artikel", "Markt", "Periode", "Menge"]


def test_not_a_number_and_negative_in_long_layout(read_rows):
    result = read_rows([HEADER, ["1", "LEH", "2027-W05", "viel"], ["2", "LEH", "2027-W05", -5]])
    assert errs(result) == [("not_a_number", "Absatzplan", 2, "D", "Menge"),
                            ("negative", "Absatzplan", 3, "D", "Menge")]
    assert result.all_errors()[0].value == "viel"
    assert not result.ok


def test_missing_required_value_in_long_layout(read_rows):
    result = read_rows([HEADER, ["1", None, "2027-W05", 3], ["2", "LEH", None, 4], ["3", "LEH", "2027-W05", None]])
    assert errs(result) == [("missing_value", "Absatzplan", 2, "B", "Markt"),
                            ("missing_value", "Absatzplan", 3, "C", "Periode"),
                            ("missing_value", "Absatzplan", 4, "D", "Menge")]


def test_bad_period(read_rows):
    result = read_rows([HEADER, ["1", "LEH", "KW 54/2027", 3], ["1", "LEH", "2027-W53", 3], ["1", "LEH", "KW 05/2027", 3]])
    assert errs(result) == [("bad_period", "Absatzplan", 2, "C", "Periode"),
                            ("bad_period", "Absatzplan", 3, "C", "Periode")]
    assert result.all_errors()[1].value == "2027-W53"


def test_mixed_grain(read_rows):
    result = read_rows([HEADER, ["1", "LEH", "2027-W05", 3], ["1", "LEH", "2027-03", 3]])
    assert [e.key for e in result.all_errors()] == ["mixed_grain"]
    assert result.all_errors()[0].value == "2027-W05, 2027-03"


def test_ambiguous_number_undecided_names_the_cell(read_rows):
    result = read_rows([HEADER, ["1", "LEH", "2027-W05", "1.234"], ["2", "LEH", "2027-W05", "17"]])
    assert errs(result) == [("ambiguous_number", "Absatzplan", 2, "D", "Menge")]
    err = result.all_errors()[0]
    assert err.value == "1.234" and err.params == {"a": "1234", "b": "1.234"}


def test_ambiguous_number_decided_by_another_sheet_of_the_file():
    data = xlsx_bytes({"Absatz": [HEADER, ["1", "LEH", "2027-W05", "1.234"]],
                       "Artikelstamm": [["Artikel", "Linie", "Leistung"], ["1", "L1", "0,5"]]})
    result = read_file(data, "plan.xlsx")
    assert result.ok
    assert result.sheets[0].frame["quantity"].tolist() == [1234.0]
    assert result.sheets[1].frame["rate"].tolist() == [0.5]


def test_ambiguous_number_decided_english(read_rows):
    result = read_rows([HEADER, ["1", "LEH", "2027-W05", "1.234"], ["2", "LEH", "2027-W05", "2,500.75"]])
    assert result.ok
    assert result.sheets[0].frame["quantity"].tolist() == [1.234, 2500.75]


def test_number_cells_are_never_ambiguous(read_rows):
    """A number cell 1.234 stays 1.234 even in a German file whose text '1.234' means 1234."""
    result = read_rows([HEADER, ["1", "LEH", "2027-W05", 1.234], ["2", "LEH", "2027-W05", "1.234"],
                        ["3", "LEH", "2027-W05", "2,5"]])
    assert result.ok
    assert result.sheets[0].frame["quantity"].tolist() == [1.234, 1234.0, 2.5]


def test_wide_layout_cell_errors_name_the_value_cell(read_rows):
    rows = [["Absatzplan"], ["Artikel", "Markt", "KW 01/2027", "KW 02/2027", "Summe"],
            ["1", "LEH", 5, "abc", 5], ["2", "LEH", -3, "", -3], [None, "LEH", 1, 1, 2]]
    result = read_rows(rows)
    assert errs(result) == [("not_a_number", "Absatzplan", 3, "D", "KW 02/2027"),
                            ("negative", "Absatzplan", 4, "C", "KW 01/2027"),
                            ("missing_value", "Absatzplan", 5, "A", "Artikel")]


def test_priority_class_errors(read_rows):
    result = read_rows([["Markt", "Klasse"], ["LEH", "A"], ["Discount", "X"], ["Export", None]], sheet="Märkte")
    assert errs(result) == [("bad_priority", "Märkte", 3, "B", "Klasse"),
                            ("missing_value", "Märkte", 4, "B", "Klasse")]


def test_duplicate_header(read_rows):
    result = read_rows([["Artikel", "Artikelnummer", "Markt", "Periode", "Menge"], ["1", "1", "LEH", "2027-W05", 3]])
    assert errs(result) == [("duplicate_header", "Absatzplan", 1, "B", "Artikelnummer")]
    assert "A „Artikel“, B „Artikelnummer“" in result.all_errors()[0].message("de")


def test_kind_unknown_names_closest_kind_and_missing_fields(read_rows):
    result = read_rows([["Artikel", "Periode", "Menge"], ["1", "2027-W05", 3]], sheet="Daten")
    (err,) = result.all_errors()
    assert (err.key, err.sheet, err.row) == ("kind_unknown", "Daten", 1)
    assert err.message("en") == "The sheet fits no input kind. It looks like sales forecast, but it lacks: market."
    assert err.message("de").endswith("es fehlt: Markt.")


def test_user_named_kind_that_does_not_fit(read_rows):
    result = read_rows([HEADER, ["1", "LEH", "2027-W05", 3]], kind="capacity")
    (err,) = result.all_errors()
    assert err.key == "kind_mismatch" and err.params["missing"] == ["line", "available_hours"]
    assert "Artikel, Markt, Periode, Menge" in err.message("en")


def test_user_named_kind_applies(read_rows):
    result = read_rows([HEADER, ["1", "LEH", "2027-W05", 3]], kind="actuals")
    assert result.ok and result.sheets[0].kind == "actuals"


def test_unknown_kind_name(read_rows):
    assert [e.key for e in read_rows([HEADER], kind="prognose").errors] == ["kind_name_unknown"]


def test_mapping_errors(read_rows):
    result = read_rows([HEADER, ["1", "LEH", "2027-W05", 3]], mapping={"produkt": "Artikel"})
    assert [(e.key, e.value) for e in result.errors] == [("mapping_field_unknown", "produkt")]
    result = read_rows([HEADER, ["1", "LEH", "2027-W05", 3]], mapping={"product": "Art.-Nr."})
    assert [(e.key, e.header) for e in result.errors] == [("mapping_header_missing", "Art.-Nr.")]


def test_mapping_by_hand_and_remembered(read_rows):
    rows = [["Nr intern", "Kunde", "Periode", "Menge"], ["007", "LEH", "2027-W05", 3]]
    assert [e.key for e in read_rows(rows).all_errors()] == ["kind_unknown"]
    mapping = {"product": "Nr intern", "market": "Kunde"}
    first = read_rows(rows, mapping=mapping)
    assert first.ok and first.sheets[0].columns == {"product": "Nr intern", "market": "Kunde",
                                                    "period": "Periode", "quantity": "Menge"}
    again = read_rows([["Absatz 2028"], *rows], known_mappings={first.sheets[0].signature: mapping})
    assert again.ok
    assert records(again.sheets[0].frame, ("product", "market", "_row")) == [("7", "LEH", 3)]


def test_totals_rows_are_skipped_and_counted(read_rows):
    rows = [HEADER, ["1", "LEH", "2027-W05", 3], ["Summe LEH", None, None, 3], ["1", "Discount", "2027-W05", 2],
            ["Gesamtergebnis", None, None, 5], [None, None, None, 5], [], ["Total:", None, None, 5]]
    result = read_rows(rows)
    assert result.ok
    sheet = result.sheets[0]
    assert sheet.totals_rows == 4 and sheet.skipped_rows == 5
    assert sheet.frame["_row"].tolist() == [2, 4]


def test_mixed_number_column_in_xlsx_keeps_cell_types(read_rows):
    """Text and number cells in one column: each read by its own type (the calamine path)."""
    rows = [["Artikel", "Markt", "KW 01/2027", "KW 02/2027"], ["1", "LEH", 1.5, "1.234,5"],
            ["2", "LEH", "-", 1.234]]
    result = read_rows(rows)
    assert result.ok
    assert result.sheets[0].frame["quantity"].tolist() == [1.5, 1234.5, 0.0, 1.234]


def test_csv_encoding_error():
    result = read_file(b"Artikel;Markt\n\x81\x8d;LEH\n", "x.csv")
    assert [e.key for e in result.errors] == ["csv_encoding"]


def test_not_a_workbook_and_unreadable():
    assert [e.key for e in read_file(b"\x00\x01garbage" * 10, "x.xlsx").errors] == ["not_a_workbook"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "not xml at all")
    assert [e.key for e in read_file(buf.getvalue(), "x.xlsx").errors] == ["unreadable"]


def test_no_data_sheet():
    result = read_file(xlsx_bytes({"Deckblatt": [["Absatzplanung 2027"]]}), "x.xlsx")
    assert result.skipped_sheets == [("Deckblatt", "not_data")]
    assert [e.key for e in result.errors] == ["no_data_sheet"]


def test_every_message_renders_in_both_languages(read_rows):
    results = [
        read_rows([HEADER, ["1", None, "KW 54/2027", "viel"], ["1", "LEH", "2027-W05", "1.234"], ["1", "LEH", "2027-03", -1]]),
        read_rows([["Artikel", "Artikelnummer", "Periode", "Menge"], ["1", "1", "2027-W05", 3]]),
        read_rows([HEADER], kind="markets"),
        read_rows([["Markt", "Klasse"], ["LEH", "Z"]]),
    ]
    errors = [e for r in results for e in r.all_errors()]
    assert len({e.key for e in errors}) >= 8
    for e in errors:
        for lang in ("de", "en"):
            text = e.message(lang)
            assert "{" not in text and "„“" not in text and ": ." not in text, (e.key, text)


def test_progress_is_reported(read_rows):
    seen = []
    read_rows([HEADER, ["1", "LEH", "2027-W05", 3]], progress=lambda stage, f: seen.append((stage, f)))
    assert seen[0][1] == 0.0 and seen[-1] == ("done", 1.0)
    assert [f for _, f in seen] == sorted(f for _, f in seen)


def test_wide_header_of_date_cells(read_rows):
    import datetime as dt
    months = [dt.datetime(2027, m, 1) for m in (1, 2)]
    result = read_rows([["Artikel", "Markt", *months], ["1", "LEH", 1, 2]])
    assert result.ok and result.sheets[0].grain == "month"
    assert result.sheets[0].frame["period"].tolist() == ["2027-01", "2027-02"]
    mondays = [dt.datetime(2027, 1, 4), dt.datetime(2027, 1, 11)]
    result = read_rows([["Artikel", "Markt", *mondays], ["1", "LEH", 1, 2]])
    assert result.sheets[0].frame["period"].tolist() == ["2027-W01", "2027-W02"]


def test_footnote_below_the_table_is_skipped(read_rows):
    rows = [HEADER, ["1", "LEH", "2027-W05", 3], ["1", None, "2027-W06", 4], [], ["Quelle: SAP BW, Stand 01.03."]]
    result = read_rows(rows)
    assert errs(result) == [("missing_value", "Absatzplan", 3, "B", "Markt")]
    assert result.sheets[0].skipped_rows == 2      # the empty row and the footnote
    assert result.sheets[0].frame["_row"].tolist() == [2, 3]


def test_table_away_from_a1_keeps_excel_rows_and_columns(read_rows):
    rows = [[], [], [None, None, "Absatzplan"], [],
            [None, None, "Artikel", "Markt", "KW 01/2027", "KW 02/2027"],
            [None, None, "7", "LEH", 1, "x"]]
    result = read_rows(rows)
    assert errs(result) == [("not_a_number", "Absatzplan", 6, "F", "KW 02/2027")]
    sheet = result.sheets[0]
    assert sheet.header_row == 5 and sheet.skipped_rows == 4
    assert records(sheet.frame, ("product", "quantity", "_row", "_col"))[0] == ("7", 1.0, 6, "E")


def test_head_falls_back_to_fastexcel_when_the_xml_surprises(read_rows, monkeypatch):
    from pipelines.read import xlsxhead

    def broken(self, sheet, nrows):
        raise ValueError("unexpected XML")
    monkeypatch.setattr(xlsxhead.XlsxHeads, "head", broken)
    result = read_rows([["Titel"], HEADER, ["1", "LEH", "2027-W05", 3]])
    assert result.ok and result.sheets[0].header_row == 2
    assert records(result.sheets[0].frame, ("product", "period", "quantity", "_row")) == [("1", "2027-W05", 3.0, 3)]
