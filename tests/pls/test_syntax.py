"""ukur.pls.syntax: the lavaan-style model text, its errors with positions, and the format round-trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ukur.errors import ModelError, ModelSyntaxError, UkurError
from ukur.pls.model import Construct, Mode, Model, Path
from ukur.pls.syntax import format_model, parse_model, tokenize

ECSI_TEXT = """
# ECSI, reduced
Image =~ IMAG1 + IMAG2 + IMAG3   # Mode A
Value <~ PERV1 + PERV2
Satisfaction =~ CUSA1 + CUSA2
Satisfaction ~ Image + Value
Value ~ Image
"""


def ecsi_built() -> Model:
    return (
        Model.build()
        .reflective("Image", ["IMAG1", "IMAG2", "IMAG3"])
        .formative("Value", ["PERV1", "PERV2"])
        .reflective("Satisfaction", ["CUSA1", "CUSA2"])
        .path(["Image", "Value"], "Satisfaction")
        .path("Image", "Value")
        .model()
    )


def test_text_and_builder_give_the_same_model():
    assert parse_model(ECSI_TEXT) == ecsi_built()
    assert Model.from_syntax(ECSI_TEXT) == ecsi_built()


def test_canonical_format():
    assert format_model(ecsi_built()) == (
        "# measurement model\n"
        "Image =~ IMAG1 + IMAG2 + IMAG3\n"
        "Value <~ PERV1 + PERV2\n"
        "Satisfaction =~ CUSA1 + CUSA2\n"
        "\n"
        "# structural model\n"
        "Satisfaction ~ Image + Value\n"
        "Value ~ Image\n"
    )
    assert ecsi_built().to_syntax() == format_model(ecsi_built())


def test_quoted_names_continuations_and_semicolons():
    text = (
        '"Promosi di Media Sosial" =~ PMS1 + PMS2 +\n'
        "    PMS3\n"
        "    + PMS4   # continues because the line starts with '+'\n"
        '"Keterlibatan Pelanggan" =~\n  KP1 + KP2; "Minat Beli" <~ MB1 + MB2\n'
        '"Keterlibatan Pelanggan" + "Minat Beli" ~ "Promosi di Media Sosial"\n'
        '"Minat Beli" ~\n "Keterlibatan Pelanggan"\n'
    )
    m = parse_model(text)
    pms, kp, mb = "Promosi di Media Sosial", "Keterlibatan Pelanggan", "Minat Beli"
    assert m.constructs == (
        Construct(pms, ("PMS1", "PMS2", "PMS3", "PMS4"), Mode.A),
        Construct(kp, ("KP1", "KP2"), Mode.A),
        Construct(mb, ("MB1", "MB2"), Mode.B),
    )
    assert m.paths == (Path(pms, kp), Path(pms, mb), Path(kp, mb))
    assert '"Promosi di Media Sosial" =~ PMS1' in format_model(m)


def test_repeated_statements_add_like_lavaan():
    m = parse_model("F =~ a + b\nG =~ c\nF =~ d\nG ~ F")
    assert m.construct("F").indicators == ("a", "b", "d")


def test_escapes_and_unicode_bare_names():
    m = parse_model(
        '"say \\"hi\\"\\\\" =~ x\nKepuasan_Pelanggan² =~ ü.1\nKepuasan_Pelanggan² ~ "say \\"hi\\"\\\\"'
    )
    assert m.construct_names == ('say "hi"\\', "Kepuasan_Pelanggan²")
    assert m.construct("Kepuasan_Pelanggan²").indicators == ("ü.1",)
    assert parse_model(format_model(m)) == m
    assert '"Kepuasan_Pelanggan²"' in format_model(m)


def test_tokens_carry_positions():
    toks = tokenize('A =~ "b c"\n  + d')
    assert [(t.kind, t.value, t.line, t.column) for t in toks] == [
        ("NAME", "A", 1, 1),
        ("OP", "=~", 1, 3),
        ("NAME", "b c", 1, 6),
        ("NEWLINE", "\n", 1, 11),
        ("PLUS", "+", 2, 3),
        ("NAME", "d", 2, 5),
        ("END", "", 2, 6),
    ]


ERRORS = [
    # (text, error type, message fragment, line, column)
    ("A =~ a b", ModelSyntaxError, "unexpected name 'b'", 1, 8),
    ("A =~ a ~ b", ModelSyntaxError, "one operator per statement", 1, 8),
    ("A =~", ModelSyntaxError, "expected a name after '=~' but found the end of the model", 1, 5),
    ("A =~ a +\n", ModelSyntaxError, "expected a name after '+'", 2, 1),
    ("A =~ a;\n =~ b", ModelSyntaxError, "at the start of a statement", 2, 2),
    ("A a", ModelSyntaxError, "expected '=~', '<~' or '~' after 'A' but found 'a'", 1, 3),
    ("A\n=~ a", ModelSyntaxError, "expected '=~', '<~' or '~' after 'A' but found the end of the line", 1, 2),
    ("A = a", ModelSyntaxError, "unexpected character '='", 1, 3),
    ("Y ~ 0.5*X", ModelSyntaxError, "modifiers", 1, 8),
    ("Y <- X", ModelSyntaxError, "not with arrows", 1, 3),
    ("A =~ a, b", ModelSyntaxError, "separate names with '+'", 1, 7),
    ("Promosi Sosial =~ a", ModelSyntaxError, 'in double quotes: "Promosi Sosial"', 1, 9),
    ('\n  "Promosi =~ a', ModelSyntaxError, "unterminated quoted name", 2, 3),
    ('"" =~ a', ModelSyntaxError, "must not be empty", 1, 1),
    ('"a\\q" =~ b', ModelSyntaxError, "unknown escape", 1, 3),
    ("A + B =~ a", ModelSyntaxError, "only '~' statements may have several names", 1, 7),
    (
        "A =~ a\nB =~ b\nB ~ A\nC =~ a",
        ModelError,
        "indicator 'a' is used by two constructs ('A' and 'C')",
        4,
        6,
    ),
    ("A =~ a + b + a\nB =~ c\nB ~ A", ModelError, "'a' is listed twice in construct 'A'", 1, 14),
    ("A =~ a\nB =~ b\nA <~ c\nB ~ A", ModelError, "declared with '<~' here but with '=~' on line 1", 3, 3),
    ("A =~ a\nB =~ b\nB ~ A + Z", ModelError, "'Z' is used in a path but never measured", 3, 9),
    ("A =~ a\nB =~ b\nB ~ A + a", ModelError, "'a' is an indicator of 'A'", 3, 9),
    ("Y ~ X", ModelError, "'Y' is used in a path but never measured", 1, 1),
    ("A =~ a\nB =~ b\nB ~ A\nC =~ c", ModelError, "'C' is not connected", 4, 1),
    ("A =~ a\nA ~ A", ModelError, "'A' has a path to itself", 2, 5),
    ("A =~ a\nB =~ b\nB ~ A\n\nB ~ A", ModelError, "'A -> B' is declared twice (first on line 3)", 5, 5),
    (
        "A =~ a; B =~ b; C =~ c\nB ~ A\nC ~ B\nA ~ C   # closes the loop",
        ModelError,
        "cycle: A -> B -> C -> A",
        4,
        5,
    ),
    ("# nothing but a comment\n", ModelError, "declares no constructs", 2, 1),
]


@pytest.mark.parametrize(("text", "kind", "message", "line", "column"), ERRORS)
def test_errors_name_line_and_column(text, kind, message, line, column):
    with pytest.raises(kind) as err:
        parse_model(text, source="model.txt")
    assert message in err.value.message
    assert (err.value.line, err.value.column) == (line, column)
    assert str(err.value).startswith(f"model.txt:{line}:{column}: ")


def test_single_construct_model_is_valid():
    assert parse_model("A =~ a + b").paths == ()


# --- property tests ---------------------------------------------------------------------------------
WORDS = [
    "Promosi",
    "di",
    "Media",
    "Sosial",
    "Minat",
    "Beli",
    "Kepuasan",
    "Pelanggan",
    "Citra",
    "Merek",
    "Keterlibatan",
    "Harga",
    "Kualitas",
    "Layanan",
    "Loyalitas",
    "Nilai",
]
names = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_.]{0,6}", fullmatch=True),
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=8
    ).filter(lambda s: s.strip() != ""),
)


@st.composite
def models(draw) -> Model:
    all_names = draw(st.lists(names, min_size=2, max_size=40, unique=True))
    k = draw(st.integers(1, min(6, len(all_names) - 1)))
    cons, pool = all_names[:k], all_names[k:]
    # Indicators may share a name with a construct (single-item constructs often do) but not with each other.
    pool = pool + [c for c in cons if draw(st.booleans())]
    blocks, i = [], 0
    for c in cons:
        size = draw(st.integers(1, 4))
        block = pool[i : i + size] or [f"{c}_item"]
        i += size
        blocks.append((c, block, draw(st.sampled_from([Mode.A, Mode.B]))))
    used = {x for _, b, _ in blocks for x in b}
    if len(used) != sum(len(b) for _, b, _ in blocks):
        blocks = [(c, [f"i{n}_{j}" for j in range(len(b))], m) for n, (c, b, m) in enumerate(blocks)]
    order = draw(st.permutations(cons))
    edges = set()
    for j in range(1, len(order)):
        edges.add((order[draw(st.integers(0, j - 1))], order[j]))
        for h in range(j):
            if draw(st.booleans()):
                edges.add((order[h], order[j]))
    paths = draw(st.permutations(sorted(edges)))
    return Model(tuple(Construct(c, tuple(b), m) for c, b, m in blocks), tuple(Path(s, t) for s, t in paths))


@settings(max_examples=200, deadline=None)
@given(models())
def test_random_models_round_trip(model):
    text = format_model(model)
    assert parse_model(text) == model
    assert format_model(parse_model(text)) == text


SYNTAX_CHARS = 'AB ab"=~<+;#\n\\*-é1.\t'


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(SYNTAX_CHARS, max_size=60), st.text(max_size=60)))
def test_garbage_gives_a_positioned_error_or_a_model(text):
    try:
        model = parse_model(text, source="g")
    except UkurError as exc:
        assert isinstance(exc, ModelSyntaxError | ModelError)
        assert exc.line is not None and exc.column is not None
        assert exc.line >= 1 and exc.column >= 1
        assert exc.line <= text.count("\n") + 1
    else:
        assert parse_model(format_model(model)) == model
