"""Property: any mutation of a valid agreement loads, or fails with an AgreementError that has a line.

Mutations work on the text (delete, duplicate or swap lines, replace a value with a random token, cut the
file short, insert random characters), so they reach the YAML parser, the schema and the builder alike.
No other exception type may escape: a user's typo must never become a traceback.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ukur.errors import AgreementError
from ukur.sla import Agreement, load_agreement

FULL = (Path(__file__).parent / "fixtures" / "issue-example.yaml").read_text(encoding="utf-8")
EXAMPLES = Path(__file__).parents[2] / "examples" / "sla"
PARENT = load_agreement((EXAMPLES / "kilat-corporate.yaml").read_text(encoding="utf-8"))
CHILD = (EXAMPLES / "kilat-gold.yaml").read_text(encoding="utf-8")
TOKENS = st.sampled_from(
    ["", "null", "-1", "0", "1.5", "true", "[]", "{}", "'x'", "95", "200%", "4 h", "3 business days", "1d4h",
     "mon-fri", "25:00-26:00", "2026-13-01", "Asia/Nowhere", "24x7", "office", "&a", "*a", "!!python/tuple [1]",
     ":", "- x", "\t", "P1: 1h", "{by: priority}", "by", "0.5", "1e309", "nan"]
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, text: str = FULL) -> str:
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "value", "cut", "insert"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "value" and ":" in lines[i]:
            head, _, _ = lines[i].rpartition(":")
            lines[i] = f"{head}: {draw(TOKENS)}"
        elif kind == "cut":
            lines = lines[: max(i, 1)]
        else:
            position = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:position] + draw(st.text(max_size=4)) + lines[i][position:]
        if not lines:
            lines = ["ukur: sla/v1"]
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_load_or_fail_with_a_located_agreement_error(text: str) -> None:
    try:
        result = load_agreement(text, source="mutated.yaml")
    except AgreementError as error:
        assert error.source == "mutated.yaml"
        assert error.line is not None and error.line >= 1
        assert error.message
    else:
        assert isinstance(result, Agreement)
        assert result.objectives


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(CHILD))
def test_mutations_of_a_child_load_or_fail_with_a_located_agreement_error(text: str) -> None:
    try:
        result = load_agreement(text, source="child.yaml", parents={PARENT.id: PARENT})
    except AgreementError as error:
        assert error.line is not None and error.line >= 1
        assert error.source in ("child.yaml", None) or error.source.endswith(".yaml")
    else:
        assert isinstance(result, Agreement)
