"""Hostile input: the model syntax, agreement and questionnaire YAML and the table reader, fuzzed.

Property: whatever the text or bytes, a parser either returns its object or raises a
:class:`ukur.errors.UkurError` that says where the problem is (a line, or a field/column name) —
never another exception.  Inputs are random text and random mutations (deletions, insertions,
replacements, duplicated lines) of the valid example files; for XLSX also damage inside one part of a
still-valid zip (the sheet, shared strings, workbook XML) and valid workbooks with any cell values
(text, numbers, booleans, dates, times, formulas, gaps).  ``derandomize=True`` makes every run
draw the same examples (CI stability); the example counts keep the whole module under about a minute.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import sla_yaml
from ukur.errors import UkurError
from ukur.io import parse_table
from ukur.pls.syntax import parse_model
from ukur.sla import load_agreement
from ukur.survey import parse_questionnaire

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FUZZ = settings(
    derandomize=True,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MODELS = [
    (EXAMPLES / "umkm-pamulang" / "model.txt").read_text(encoding="utf-8"),
    "A =~ a1 + a2\nB =~ b1 + b2\nB ~ A\n",
    'IMAGE <~ "img 1" + img2; SAT =~ s1 + s2\nSAT ~ IMAGE\n',
]
AGREEMENTS = [
    (EXAMPLES / "sla" / "kilat-corporate.yaml").read_text(encoding="utf-8"),
    (EXAMPLES / "sla" / "helpdesk-internal.yaml").read_text(encoding="utf-8"),
    sla_yaml("kilat-gold", "Toko A"),
]
QUESTIONNAIRES = [(EXAMPLES / "umkm-pamulang" / "questionnaire.yaml").read_text(encoding="utf-8")]


def _head(path: Path, lines: int = 30) -> bytes:
    return b"".join(path.read_bytes().splitlines(keepends=True)[:lines])


CSV_FILES = [
    _head(EXAMPLES / "sla" / "shipments.csv"),
    _head(EXAMPLES / "umkm-pamulang" / "data.csv"),
    "id;nilai\nA1;1,5\nA2;\xa02,25\n".encode("latin-1"),
    b"\xef\xbb\xbfa,b\n1,2\n",
]
PUNCTUATION = st.sampled_from([*":-[]{},#&*!|>'\"%@`\n\t ;=~<+\\\x00\ufeff", "  ", "- ", ": ", "\r\n"])


def mutated(seeds: list[str]) -> st.SearchStrategy[str]:
    """A seed text changed by up to four edits: delete, insert, replace a slice or duplicate a line."""

    @st.composite
    def build(draw: Callable[..., Any]) -> str:
        text = draw(st.sampled_from(seeds))
        for _ in range(draw(st.integers(1, 4))):
            n = len(text)
            i = draw(st.integers(0, n))
            j = draw(st.integers(i, min(n, i + 40)))
            piece = draw(st.one_of(PUNCTUATION, st.text(max_size=8)))
            kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate"]))
            if kind == "delete":
                text = text[:i] + text[j:]
            elif kind == "insert":
                text = text[:i] + piece + text[i:]
            elif kind == "replace":
                text = text[:i] + piece + text[j:]
            else:
                lines = text.splitlines(keepends=True) or [""]
                k = draw(st.integers(0, len(lines) - 1))
                text = "".join(lines[: k + 1] + lines[k:])
        return text

    return build()


# Errors about the file (or its sheet) as a whole: their position is the file itself (``source``).
WHOLE_FILE = ("the file is empty", "unsupported file type", "not a readable XLSX workbook", "sheet '")


def check(parse: Callable[[], object], *, whole_file: tuple[str, ...] = ()) -> None:
    """``parse`` succeeds or raises a UkurError naming a line or a field; nothing else escapes.

    Errors whose message starts with one of ``whole_file`` concern the whole file and need only its name.
    """
    try:
        parse()
    except UkurError as exc:
        assert str(exc).strip()
        if exc.message.startswith(whole_file):
            assert exc.source, f"a whole-file error without the file's name: {exc!r}"
        else:
            assert exc.line is not None or exc.field is not None, f"error without a position: {exc!r}"


@FUZZ
@given(st.one_of(mutated(MODELS), st.text(max_size=200)))
def test_model_syntax_never_crashes(text: str) -> None:
    check(lambda: parse_model(text, source="fuzz"))


@FUZZ
@given(st.one_of(mutated(AGREEMENTS), st.text(max_size=200)))
def test_agreement_yaml_never_crashes(text: str) -> None:
    check(lambda: load_agreement(text, source="fuzz.yaml"))


@settings(FUZZ, max_examples=200)
@given(st.one_of(mutated(QUESTIONNAIRES), st.text(max_size=200)))
def test_questionnaire_yaml_never_crashes(text: str) -> None:
    check(lambda: parse_questionnaire(text, source="fuzz.yaml"))


def mutated_bytes(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    @st.composite
    def build(draw: Callable[..., Any]) -> bytes:
        data = draw(st.sampled_from(seeds))
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(data)))
            j = draw(st.integers(i, min(len(data), i + 30)))
            piece = draw(
                st.one_of(st.binary(max_size=6), st.sampled_from([b",", b";", b'"', b"\n", b"\r", b"\x00"]))
            )
            data = data[:i] + piece + data[j:]
        return data

    return build()


@FUZZ
@given(
    st.one_of(mutated_bytes(CSV_FILES), st.binary(max_size=300)),
    st.sampled_from(["data.csv", "data.txt", "data.tsv", "data.xlsx", "data"]),
)
def test_table_reader_never_crashes_on_bytes(data: bytes, name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas/openpyxl may warn about odd files; errors are what count
        check(lambda: parse_table(data, name=name), whole_file=WHOLE_FILE)


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "picked_up_at", "score"])
    for i in range(5):
        sheet.append([f"K{i}", "2026-01-05 08:00", i * 1.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = _xlsx()


@settings(FUZZ, max_examples=150)
@given(mutated_bytes([XLSX]))
def test_table_reader_never_crashes_on_damaged_xlsx(data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda: parse_table(data, name="upload.xlsx"), whole_file=WHOLE_FILE)


def rezipped(data: bytes, member: str, content: bytes) -> bytes:
    """The XLSX (zip) ``data`` with ``member`` replaced by ``content``; the zip itself stays valid."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, content if info.filename == member else source.read(info.filename))
    return out.getvalue()


XLSX_MEMBERS = sorted(zipfile.ZipFile(io.BytesIO(XLSX)).namelist())


@st.composite
def damaged_xlsx_parts(draw: Callable[..., Any]) -> bytes:
    """A readable zip whose worksheet, shared strings, workbook or content-type XML is damaged.

    Random bytes flipped in the zip itself mostly stop at the zip layer ("not a readable XLSX workbook");
    damage inside one member reaches openpyxl's XML parsing, which runs lazily while rows are read.
    """
    member = draw(st.sampled_from(XLSX_MEMBERS))
    with zipfile.ZipFile(io.BytesIO(XLSX)) as book:
        original = book.read(member)
    return rezipped(XLSX, member, draw(mutated_bytes([original])))


@settings(FUZZ, max_examples=200)
@given(damaged_xlsx_parts())
def test_table_reader_never_crashes_on_damaged_xlsx_xml(data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda: parse_table(data, name="upload.xlsx"), whole_file=WHOLE_FILE)


CELL = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(
        ["", " ", "NA", "-", "1,5", "1.5e3", "TRUE", "=1+1", "#N/A", "2026-01-05 08:00", "1e400"]
    ),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.times(),
)


def workbook(rows: list[list[object]]) -> bytes | None:
    """An XLSX holding ``rows`` on its first sheet, or None when openpyxl refuses a value when writing."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    try:
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
    except (ValueError, TypeError, openpyxl.utils.exceptions.IllegalCharacterError):
        return None  # e.g. control characters or integers beyond what Excel stores: not a real upload
    return out.getvalue()


@settings(FUZZ, max_examples=150)
@given(st.lists(st.lists(CELL, max_size=5), max_size=6))
def test_table_reader_never_crashes_on_any_cell_values(rows: list[list[object]]) -> None:
    """Valid workbooks with any header and cells: text, numbers, booleans, dates, times, formulas, gaps."""
    data = workbook(rows)
    assume(data is not None)
    assert data is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda: parse_table(data, name="cells.xlsx"), whole_file=WHOLE_FILE)


JSON_FILES = [
    b'[{"id": "K1", "picked_up_at": "2026-01-05T08:00:00+07:00", "score": 4}, {"id": "K2", "score": null}]',
    b'[{"id": "K1", "n": 1.5, "ok": true, "note": "a,b"}]',
    b'{"id": "K1", "n": 1}\n{"id": "K2", "n": 2}\n',
]
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(
    st.one_of(
        mutated_bytes(JSON_FILES),
        JSON_VALUE.map(lambda value: json.dumps(value).encode()),
        st.lists(JSON_VALUE, max_size=4).map(lambda rows: "\n".join(map(json.dumps, rows)).encode()),
    ),
    st.sampled_from(["records.json", "records.jsonl"]),
)
def test_json_records_reader_never_crashes(data: bytes, name: str) -> None:
    """JSON (an array of objects) and JSON Lines records: mutated seeds and any JSON values."""
    check(lambda: parse_table(data, name=name), whole_file=WHOLE_FILE)


@pytest.mark.parametrize("seed", range(len(CSV_FILES)))
def test_the_unmutated_seeds_parse(seed: int) -> None:
    """The seeds are valid, so the mutations start from something the reader accepts."""
    assert len(parse_table(CSV_FILES[seed], name="seed.csv").columns) >= 2
    assert parse_model(MODELS[0]) is not None and load_agreement(AGREEMENTS[0]) is not None
    assert parse_questionnaire(QUESTIONNAIRES[0]) is not None and len(parse_table(XLSX, name="x.xlsx")) == 5
    assert len(parse_table(JSON_FILES[0], name="r.json")) == 2
    assert len(parse_table(JSON_FILES[2], name="r.jsonl")) == 2
