"""ukur.io.read_table: dialects, encodings, XLSX, JSON records, and every error with its location."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from ukur.errors import DataError
from ukur.io import parse_table, read_table, require_numeric, source_line


def write(tmp_path, name: str, content: str | bytes):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


# --- CSV dialects ---------------------------------------------------------------------------------
def test_comma_csv_types_and_attrs(tmp_path):
    p = write(tmp_path, "d.csv", "id,score,name\n1,2.5,Budi\n2,3,Siti\n")
    f = read_table(p)
    assert list(f.columns) == ["id", "score", "name"]
    assert f["id"].dtype == np.int64
    assert f["score"].dtype == np.float64
    assert f["score"].tolist() == [2.5, 3.0]
    assert f["name"].tolist() == ["Budi", "Siti"]
    assert f.attrs["source"] == str(p)
    assert f.attrs["lines"] == (2, 3)
    assert f.attrs["separator"] == ","


def test_semicolon_with_decimal_comma_as_indonesian_excel_writes(tmp_path):
    p = write(tmp_path, "d.csv", "a;b;c\n3,5;1.234,5;7\n4;2,25;8\n")
    f = read_table(p)
    assert f["a"].tolist() == [3.5, 4.0]
    assert f["b"].tolist() == [1234.5, 2.25]
    assert f["c"].tolist() == [7, 8]
    assert f.attrs["separator"] == ";"


def test_tab_separated(tmp_path):
    f = read_table(write(tmp_path, "d.tsv", "x\ty\n1\t2\n3\t4\n"))
    assert f.to_dict("list") == {"x": [1, 3], "y": [2, 4]}


def test_single_column_with_decimal_comma(tmp_path):
    f = read_table(write(tmp_path, "d.csv", "score\n3,5\n4,5\n"))
    assert f["score"].tolist() == [3.5, 4.5]


def test_quoted_fields_and_multiline_cells_keep_true_line_numbers(tmp_path):
    p = write(tmp_path, "d.csv", 'name,comment,v\nA,"multi\nline, text",1\n\nB,"say ""hi""",x\n')
    f = read_table(p)
    assert f["comment"].tolist() == ["multi\nline, text", 'say "hi"']
    assert f.attrs["lines"] == (2, 5)
    assert source_line(f, 1) == 5
    with pytest.raises(DataError, match="line 5 holds 'x'") as err:
        require_numeric(f, ["v"])
    assert err.value.line == 5
    assert err.value.field == "v"


def test_crlf_and_blank_separator_only_rows_are_skipped(tmp_path):
    f = read_table(write(tmp_path, "d.csv", "a;b\r\n1;2\r\n;\r\n3;4\r\n;\r\n"))
    assert f.to_dict("list") == {"a": [1, 3], "b": [2, 4]}
    assert f.attrs["lines"] == (2, 4)


def test_trailing_unnamed_empty_columns_are_dropped(tmp_path):
    f = read_table(write(tmp_path, "d.csv", "a;b;;\n1;2;;\n3;4;;\n"))
    assert list(f.columns) == ["a", "b"]


def test_header_only_gives_empty_frame(tmp_path):
    f = read_table(write(tmp_path, "d.csv", "a,b\n"))
    assert list(f.columns) == ["a", "b"]
    assert len(f) == 0


def test_missing_markers_text_and_numeric(tmp_path):
    p = write(tmp_path, "d.csv", "a;b;c\n-99;NA;x\n2;3;-99\n-99,0;4; \n")
    f = read_table(p, na_values=[-99, "NA"])
    assert f["a"].isna().tolist() == [True, False, True]
    assert f["a"].dtype == np.float64
    assert f["b"].tolist()[1:] == [3.0, 4.0]
    assert np.isnan(f["b"].iloc[0])
    assert f["c"].isna().tolist() == [False, True, True]
    assert f["c"].iloc[0] == "x"


def test_numbers_like_text_stay_text_when_column_is_mixed(tmp_path):
    f = read_table(write(tmp_path, "d.csv", "code\n00123\nA7\n"))
    assert f["code"].tolist() == ["00123", "A7"]


def test_huge_integers_become_floats(tmp_path):
    f = read_table(write(tmp_path, "d.csv", "n\n99999999999999999999999\n1\n"))
    assert f["n"].dtype == np.float64
    assert f["n"].iloc[0] == pytest.approx(1e23)


# --- encodings ------------------------------------------------------------------------------------
def test_utf8_bom_is_dropped(tmp_path):
    f = read_table(write(tmp_path, "d.csv", b"\xef\xbb\xbfNama,Umur\nAr\xc3\xa9,30\n"))
    assert list(f.columns) == ["Nama", "Umur"]
    assert f["Nama"].iloc[0] == "Aré"
    assert f.attrs["encoding"] == "utf-8"


def test_latin1_fallback(tmp_path):
    f = read_table(write(tmp_path, "d.csv", "Caf\xe9;Preis\nb\xe4r;2\n".encode("latin-1")))
    assert list(f.columns) == ["Café", "Preis"]
    assert f["Café"].iloc[0] == "bär"


def test_cp1252_only_byte_falls_back_to_latin1(tmp_path):
    f = read_table(write(tmp_path, "d.csv", b"a\n\x81x\n"))
    assert f.attrs["encoding"] == "latin-1"
    assert f["a"].iloc[0] == "\x81x"


def test_forced_encoding_error_names_the_line(tmp_path):
    p = write(tmp_path, "d.csv", b"a\nok\n\xff\n")
    with pytest.raises(DataError, match="not valid utf-8") as err:
        read_table(p, encoding="utf-8")
    assert err.value.line == 3
    with pytest.raises(DataError, match="unknown text encoding"):
        read_table(p, encoding="no-such-codec")


# --- errors -----------------------------------------------------------------------------------------
def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found") as err:
        read_table(tmp_path / "nope.csv")
    assert err.value.source == str(tmp_path / "nope.csv")


def test_directory_is_not_a_file(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(DataError, match="directory"):
        read_table(tmp_path / "dir.csv")


@pytest.mark.parametrize("name", ["e.csv", "e.xlsx", "e.json", "e.jsonl"])
@pytest.mark.parametrize("content", [b"", b"  \n\n", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path, name, content):
    with pytest.raises(DataError, match="empty"):
        read_table(write(tmp_path, name, content))


def test_unsupported_extension(tmp_path):
    with pytest.raises(DataError, match=r"unsupported file type '\.sav'"):
        read_table(write(tmp_path, "d.sav", "a\n1\n"))


def test_ragged_row_names_line_and_expected_fields(tmp_path):
    with pytest.raises(DataError, match="line 4 has 3 fields but the header has 2") as err:
        read_table(write(tmp_path, "d.csv", "a,b\n1,2\n3,4\n5,6,7\n"))
    assert err.value.line == 4
    assert str(err.value).startswith(f"{tmp_path / 'd.csv'}:4:")


def test_empty_header_name(tmp_path):
    with pytest.raises(DataError, match="column 2 has no name") as err:
        read_table(write(tmp_path, "d.csv", "a,,c\n1,2,3\n"))
    assert (err.value.line, err.value.column) == (1, 2)


def test_duplicate_header_name(tmp_path):
    with pytest.raises(DataError, match=r"'x' appears twice in the header \(columns 1 and 3\)") as err:
        read_table(write(tmp_path, "d.csv", "x,y, x \n1,2,3\n"))
    assert err.value.column == 3
    assert err.value.field == "x"


def test_nul_bytes(tmp_path):
    with pytest.raises(DataError, match="NUL") as err:
        read_table(write(tmp_path, "d.csv", b"a\n1\n\x002\n"))
    assert err.value.line == 3


# --- XLSX -------------------------------------------------------------------------------------------
def make_xlsx(path, sheets: dict[str, list[list[object]]]):
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_xlsx_first_sheet_types_and_lines(tmp_path):
    p = make_xlsx(
        tmp_path / "d.xlsx",
        {
            "Data": [
                ["id", "score", "when", "ok", "label"],
                [1, 2.5, dt.datetime(2026, 1, 5, 9, 30), True, "Setuju"],
                [None, None, None, None, None],
                [2, "3", dt.date(2026, 1, 6), False, -99],
            ],
            "Other": [["z"], [1]],
        },
    )
    f = read_table(p, na_values=[-99])
    assert list(f.columns) == ["id", "score", "when", "ok", "label"]
    assert f["id"].tolist() == [1, 2]
    assert f["score"].tolist() == [2.5, 3.0]
    assert f["when"].tolist() == ["2026-01-05T09:30:00", "2026-01-06T00:00:00"]
    assert f["ok"].tolist() == ["TRUE", "FALSE"]
    assert f["label"].iloc[0] == "Setuju"
    assert pd.isna(f["label"].iloc[1])
    assert f.attrs["lines"] == (2, 4)
    assert f.attrs["sheet"] == "Data"


def test_xlsx_sheet_by_name_and_index(tmp_path):
    p = make_xlsx(tmp_path / "d.xlsx", {"A": [["a"], [1]], "B": [["b"], [2]]})
    assert read_table(p, sheet="B").to_dict("list") == {"b": [2]}
    assert read_table(p, sheet=0).to_dict("list") == {"a": [1]}
    with pytest.raises(DataError, match="no sheet named 'C' \\(sheets: 'A', 'B'\\)"):
        read_table(p, sheet="C")
    with pytest.raises(DataError, match="index 5 does not exist"):
        read_table(p, sheet=5)


def test_xlsx_header_problems_and_empty_sheet(tmp_path):
    p = make_xlsx(tmp_path / "d.xlsx", {"S": [[None, None], [None, None], ["a", "a"], [1, 2]]})
    with pytest.raises(DataError, match="appears twice") as err:
        read_table(p)
    assert err.value.line == 3
    p2 = make_xlsx(tmp_path / "e.xlsx", {"S": []})
    with pytest.raises(DataError, match="sheet 'S' is empty"):
        read_table(p2)


def test_corrupt_xlsx(tmp_path):
    with pytest.raises(DataError, match="not a readable XLSX"):
        read_table(write(tmp_path, "d.xlsx", b"PK\x03\x04 this is not a zip"))


# --- JSON records -----------------------------------------------------------------------------------
def test_json_records(tmp_path):
    text = '[\n {"id": "00123", "h": 4, "x": null},\n {"id": "7", "h": 2.5, "y": true, "z": [1,2]}\n]\n'
    f = read_table(write(tmp_path, "r.json", text))
    assert list(f.columns) == ["id", "h", "x", "y", "z"]
    assert f["id"].tolist() == ["00123", "7"]
    assert f["h"].tolist() == [4.0, 2.5]
    assert f["x"].isna().all()
    assert f["y"].iloc[1] == "true"
    assert f["z"].iloc[1] == "[1,2]"
    assert f.attrs["lines"] == (2, 3)


def test_json_empty_array():
    f = parse_table(b" [ ] ", name="r.json")
    assert f.shape == (0, 0)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ('[{"a": 1},\n {"a": 2,}]', "malformed JSON", 2, 10),
        ('{"a": 1}', "expected a JSON array", 1, 1),
        ('[{"a": 1},\n 3]', "record 2 is not a JSON object", 2, 2),
        ('[{"a": 1} {"a": 2}]', "expected ',' or ']'", 1, 11),
        ('[{"a": 1}]\nx', "text after the array", 2, 1),
        ('[{"a": 1}', "expected ',' or ']'", 1, 10),
    ],
)
def test_bad_json_names_line_and_column(text, message, line, column):
    with pytest.raises(DataError, match=message) as err:
        parse_table(text.encode(), name="r.json")
    assert (err.value.line, err.value.column) == (line, column)


def test_jsonl_records_and_errors(tmp_path):
    f = read_table(write(tmp_path, "r.jsonl", '{"a": 1}\n\n{"a": 2, "b": "x"}\n'))
    assert f["a"].tolist() == [1, 2]
    assert f.attrs["lines"] == (1, 3)
    with pytest.raises(DataError, match="malformed JSON") as err:
        read_table(write(tmp_path, "s.jsonl", '{"a": 1}\n{"a": }\n'))
    assert (err.value.line, err.value.column) == (2, 7)
    with pytest.raises(DataError, match="one JSON object") as err:
        read_table(write(tmp_path, "t.jsonl", '{"a": 1}\n[1]\n'))
    assert err.value.line == 2


# --- require_numeric --------------------------------------------------------------------------------
def test_require_numeric_returns_floats_and_names_problems(tmp_path):
    f = read_table(write(tmp_path, "d.csv", "a,b,c\n1,2,x\n3,,y\n"))
    out = require_numeric(f, ["a", "b"])
    assert out.dtypes.tolist() == [np.float64, np.float64]
    assert out["b"].isna().tolist() == [False, True]
    with pytest.raises(DataError, match="column 'zz' is not in the data"):
        require_numeric(f, ["zz"])
    with pytest.raises(DataError, match="column 'c' must be numeric but line 2 holds 'x'") as err:
        require_numeric(f, ["a", "c"], source="survey.csv")
    assert (err.value.source, err.value.line, err.value.field) == ("survey.csv", 2, "c")


def test_require_numeric_accepts_numeric_text_in_object_columns():
    f = pd.DataFrame({"a": pd.Series(["1", None, "2,5"], dtype=object)})
    with pytest.raises(DataError, match="line 4 holds '2,5'"):
        require_numeric(f, ["a"])
    g = pd.DataFrame({"a": pd.Series(["1", None, " 2.5 "], dtype=object)})
    assert require_numeric(g, ["a"])["a"].tolist()[::2] == [1.0, 2.5]


def test_source_line_falls_back_to_header_plus_one():
    assert source_line(pd.DataFrame({"a": [1, 2]}), 1) == 3


def test_json_dump_roundtrip_of_records(tmp_path):
    records = [{"ticket": f"T{i}", "minutes": i * 1.5} for i in range(5)]
    f = read_table(write(tmp_path, "r.json", json.dumps(records, indent=2)))
    assert f["minutes"].tolist() == [r["minutes"] for r in records]
