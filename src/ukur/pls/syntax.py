"""The lavaan-style text syntax of a PLS path model: :func:`parse_model` and :func:`format_model`.

::

    # measurement model
    Image =~ IMAG1 + IMAG2 + IMAG3          # Mode A composite ("reflective")
    Value <~ PERV1 + PERV2                  # Mode B composite ("formative")
    "Promosi di Media Sosial" =~ PMS1 + PMS2
    # structural model: the construct on the left is predicted by those on the right
    Satisfaction ~ Image + Value
    Loyalty + Complaints ~ Satisfaction     # several targets share the same predictors

Rules, chosen to match what lavaan/seminr users expect:

* ``#`` starts a comment that runs to the end of the line.
* A statement ends at the end of a line or at ``;``. It continues on the next line when the line ends in
  ``+`` or an operator, or when the next line starts with ``+``.
* Bare names consist of letters, digits, ``_`` and ``.``; any other name (spaces, hyphens, ...) is written
  in double quotes. Inside quotes ``\\"``, ``\\\\``, ``\\n``, ``\\t`` and ``\\r`` are escapes.
* As in lavaan, repeating a statement for the same construct *adds* to it: ``F =~ a + b`` followed by
  ``F =~ c`` measures F by a, b and c, and several ``Y ~ ...`` statements collect predictors. Declaring a
  construct with ``=~`` in one place and ``<~`` in another is an error.
* Constructs keep the order of their first measurement statement, indicators and paths the order in
  which they are written.

Errors: text that does not parse raises :class:`~ukur.errors.ModelSyntaxError`; text that parses into an
invalid model (an indicator in two constructs, a path to a construct that is never measured, a cycle,
...) raises :class:`~ukur.errors.ModelError`. Both carry the line and column (1-based) of the token that
caused the problem. :func:`format_model` writes the canonical text, for which
``parse_model(format_model(m)) == m`` holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from ukur.errors import ModelError, ModelSyntaxError
from ukur.pls.model import Construct, Mode, Model, Path

__all__ = ["format_model", "parse_model"]

MEASURE_OPERATORS = {"=~": Mode.A, "<~": Mode.B}
_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}
_HINTS = {
    "=": "expected '=~' (a Mode A construct) or '~' (a path)",
    "<": "expected '<~' (a Mode B construct)",
    "-": "paths are written 'Target ~ Source', not with arrows",
    ">": "paths are written 'Target ~ Source', not with arrows",
    "*": "coefficient modifiers such as '0.5*x' are not part of the PLS model syntax",
    ",": "separate names with '+'",
    "'": 'quote names with double quotes ("...")',
}


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical unit: ``kind`` is NAME, OP (``=~ <~ ~``), PLUS, SEMI, NEWLINE or END."""

    kind: str
    value: str
    line: int
    column: int


def tokenize(text: str, *, source: str = "model") -> list[Token]:
    """Split ``text`` into tokens; a character that cannot start a token is a syntax error."""
    tokens: list[Token] = []
    i, line, col, n = 0, 1, 1, len(text)

    def fail(message: str, at_line: int, at_col: int) -> ModelSyntaxError:
        return ModelSyntaxError(message, source=source, line=at_line, column=at_col)

    while i < n:
        ch = text[i]
        if ch == "\n":
            tokens.append(Token("NEWLINE", "\n", line, col))
            i, line, col = i + 1, line + 1, 1
        elif ch.isspace():
            i, col = i + 1, col + 1
        elif ch == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            col += end - i
            i = end
        elif ch in "=<" and text.startswith("~", i + 1):
            tokens.append(Token("OP", ch + "~", line, col))
            i, col = i + 2, col + 2
        elif ch in "~+;":
            kind = {"~": "OP", "+": "PLUS", ";": "SEMI"}[ch]
            tokens.append(Token(kind, ch, line, col))
            i, col = i + 1, col + 1
        elif ch == '"':
            start_col, j, chars = col, i + 1, []
            while True:
                if j >= n or text[j] == "\n":
                    raise fail("unterminated quoted name (missing closing '\"')", line, start_col)
                c = text[j]
                if c == '"':
                    break
                if c == "\\":
                    esc = text[j + 1] if j + 1 < n else ""
                    if esc not in _ESCAPES:
                        raise fail(
                            f"unknown escape '\\{esc}' in a quoted name (use \\\" or \\\\)",
                            line,
                            col + (j - i),
                        )
                    chars.append(_ESCAPES[esc])
                    j += 2
                    continue
                chars.append(c)
                j += 1
            name = "".join(chars)
            if not name.strip():
                raise fail("a quoted name must not be empty", line, start_col)
            tokens.append(Token("NAME", name, line, start_col))
            col += j + 1 - i
            i = j + 1
        elif ch.isalnum() or ch in "_.":
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_."):
                j += 1
            tokens.append(Token("NAME", text[i:j], line, col))
            col += j - i
            i = j
        else:
            arrow = text[i : i + 2] in ("<-", "->", "=>")
            hint = (
                _HINTS[">"]
                if arrow
                else _HINTS.get(ch, "names with spaces or symbols must be in double quotes")
            )
            raise fail(f"unexpected character {ch!r}; {hint}", line, col)
    tokens.append(Token("END", "", line, col))
    return tokens


@dataclass
class _Draft:
    """What the statements say so far, with the position of every name for error messages."""

    modes: dict[str, tuple[Mode, Token, Token]] = field(default_factory=dict)  # mode, name, operator
    indicators: dict[str, list[str]] = field(default_factory=dict)
    owner: dict[str, tuple[str, Token]] = field(default_factory=dict)
    paths: dict[tuple[str, str], Token] = field(default_factory=dict)
    path_tokens: list[tuple[Token, Token]] = field(default_factory=list)


class _Parser:
    """Recursive descent over the token list; grammar in :func:`parse_model`."""

    def __init__(self, tokens: list[Token], source: str) -> None:
        self.tokens = tokens
        self.pos = 0
        self.source = source
        self.draft = _Draft()

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def next(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def skip_newlines(self) -> None:
        while self.peek().kind == "NEWLINE":
            self.pos += 1

    def next_significant(self) -> Token:
        j = self.pos
        while self.tokens[j].kind == "NEWLINE":
            j += 1
        return self.tokens[j]

    def error(self, message: str, tok: Token) -> ModelSyntaxError:
        return ModelSyntaxError(message, source=self.source, line=tok.line, column=tok.column)

    def model_error(self, message: str, tok: Token, name: str) -> ModelError:
        return ModelError(message, source=self.source, line=tok.line, column=tok.column, field=name)

    def parse(self) -> None:
        while True:
            while self.peek().kind in ("NEWLINE", "SEMI"):
                self.pos += 1
            if self.peek().kind == "END":
                return
            self.statement()
            tok = self.peek()
            if tok.kind not in ("NEWLINE", "SEMI", "END"):
                raise self.error(self._unexpected(tok, "after a statement"), tok)

    def name_list(self, after: Token) -> list[Token]:
        """``name ('+' name)*``; a newline before a name or before a continuing '+' is allowed."""
        names = [self.expect_name(after)]
        while self.next_significant().kind == "PLUS":
            self.skip_newlines()
            plus = self.next()
            self.skip_newlines()
            names.append(self.expect_name(plus))
        return names

    def expect_name(self, after: Token) -> Token:
        tok = self.peek()
        if tok.kind == "NAME":
            return self.next()
        what = {"OP": "an operator", "PLUS": "'+'", "SEMI": "';'", "NEWLINE": "the end of the line"}
        found = what.get(tok.kind, "the end of the model")
        subject = f"after '{after.value}'" if after.kind != "NEWLINE" else "here"
        raise self.error(f"expected a name {subject} but found {found}", tok)

    def statement(self) -> None:
        first = self.peek()
        if first.kind != "NAME":
            raise self.error(self._unexpected(first, "at the start of a statement; expected a name"), first)
        lhs = [self.next()]
        while self.peek().kind == "PLUS":
            plus = self.next()
            self.skip_newlines()
            lhs.append(self.expect_name(plus))
        op = self.peek()
        if op.kind != "OP":
            last = lhs[-1]
            hint = ""
            if op.kind == "NAME" and op.line == last.line:
                hint = f' (write names with spaces in double quotes: "{last.value} {op.value}")'
            raise self.error(
                f"expected '=~', '<~' or '~' after '{last.value}' but found {self._describe(op)}{hint}", op
            )
        self.next()
        self.skip_newlines()
        rhs = self.name_list(op)
        if op.value == "~":
            for target in lhs:
                for source in rhs:
                    self.add_path(source, target)
            return
        if len(lhs) > 1:
            raise self.error(f"only '~' statements may have several names before '{op.value}'", op)
        self.add_construct(lhs[0], MEASURE_OPERATORS[op.value], op, rhs)

    def add_construct(self, name: Token, mode: Mode, op: Token, rhs: list[Token]) -> None:
        d = self.draft
        if name.value in d.modes and d.modes[name.value][0] is not mode:
            before = d.modes[name.value][2]
            raise self.model_error(
                f"construct '{name.value}' is declared with '{op.value}' here but with "
                f"'{before.value}' on line {before.line}",
                op,
                name.value,
            )
        d.modes.setdefault(name.value, (mode, name, op))
        block = d.indicators.setdefault(name.value, [])
        for tok in rhs:
            if tok.value in d.owner:
                other = d.owner[tok.value][0]
                message = (
                    f"indicator '{tok.value}' is listed twice in construct '{other}'"
                    if other == name.value
                    else f"indicator '{tok.value}' is used by two constructs ('{other}' and '{name.value}')"
                )
                raise self.model_error(message, tok, tok.value)
            d.owner[tok.value] = (name.value, tok)
            block.append(tok.value)

    def add_path(self, source: Token, target: Token) -> None:
        d = self.draft
        if source.value == target.value:
            raise self.model_error(f"construct '{source.value}' has a path to itself", source, source.value)
        key = (source.value, target.value)
        if key in d.paths:
            raise self.model_error(
                f"path '{source.value} -> {target.value}' is declared twice "
                f"(first on line {d.paths[key].line})",
                source,
                target.value,
            )
        d.paths[key] = source
        d.path_tokens.append((source, target))

    @staticmethod
    def _describe(tok: Token) -> str:
        if tok.kind == "NAME":
            return f"'{tok.value}'"
        if tok.kind == "NEWLINE":
            return "the end of the line"
        if tok.kind == "END":
            return "the end of the model"
        return f"'{tok.value}'"

    def _unexpected(self, tok: Token, where: str) -> str:
        if tok.kind == "NAME":
            return f"unexpected name '{tok.value}' {where} (missing '+' or ';'?)"
        if tok.kind == "OP":
            return (
                f"unexpected '{tok.value}' {where} (one operator per statement; end it with a newline or ';')"
            )
        return f"unexpected {self._describe(tok)} {where}"


def parse_model(text: str, *, source: str = "model") -> Model:
    """Parse the text syntax (grammar below) into a validated :class:`~ukur.pls.model.Model`.

    Grammar (``NL`` = newline; newlines inside a statement follow the continuation rules above)::

        model     := (statement? (NL | ';'))* statement?
        statement := names ('=~' | '<~' | '~') names       # several left names only with '~'
        names     := name ('+' name)*
        name      := bare | '"' quoted '"'
    """
    parser = _Parser(tokenize(text, source=source), source)
    parser.parse()
    return _build(parser, text, source)


def _build(parser: _Parser, text: str, source: str) -> Model:
    d = parser.draft
    ends = sorted((t for pair in d.path_tokens for t in pair), key=_order)
    for tok in ends:
        if tok.value not in d.modes:
            raise parser.model_error(_unmeasured(tok.value, d), tok, tok.value)
    if not d.modes:
        end = parser.tokens[-1]
        raise ModelError(
            "the model declares no constructs (write e.g. 'Image =~ IMAG1 + IMAG2')",
            source=source,
            line=end.line,
            column=end.column,
        )
    if len(d.modes) > 1:
        connected = {t.value for pair in d.path_tokens for t in pair}
        for name, (_, tok, _) in d.modes.items():
            if name not in connected:
                raise parser.model_error(
                    f"construct '{name}' is not connected to any other construct by a path", tok, name
                )
    cycle = _find_cycle(list(d.modes), list(d.paths))
    if cycle:
        closing = max((d.paths[(a, b)] for a, b in pairwise(cycle)), key=_order)
        raise parser.model_error(
            f"the structural model has a cycle: {' -> '.join(cycle)}", closing, closing.value
        )
    constructs = tuple(Construct(n, tuple(d.indicators[n]), m) for n, (m, _, _) in d.modes.items())
    paths = tuple(Path(s.value, t.value) for s, t in d.path_tokens)
    try:
        return Model(constructs, paths)
    except ModelError as exc:
        # Model validation has a rule the checks above do not know: point at the culprit's first use.
        tok = _first_mention(parser.tokens, exc.field)
        raise ModelError(
            exc.message, source=source, line=tok.line, column=tok.column, field=exc.field
        ) from None


def _order(tok: Token) -> tuple[int, int]:
    return tok.line, tok.column


def _unmeasured(name: str, d: _Draft) -> str:
    message = (
        f"construct '{name}' is used in a path but never measured "
        f"(declare it with '{_quote(name)} =~ ...' or '{_quote(name)} <~ ...')"
    )
    if name in d.owner:
        message += f"; '{name}' is an indicator of '{d.owner[name][0]}'"
    return message


def _first_mention(tokens: list[Token], name: str | None) -> Token:
    return next((t for t in tokens if t.kind == "NAME" and t.value == name), tokens[0])


def _find_cycle(names: list[str], edges: list[tuple[str, str]]) -> list[str]:
    """A directed cycle as ``[a, b, ..., a]`` (depth-first search in declaration order), or ``[]``."""
    succ: dict[str, list[str]] = {n: [] for n in names}
    for a, b in edges:
        succ[a].append(b)
    state: dict[str, int] = dict.fromkeys(names, 0)  # 0 new, 1 on the stack, 2 done
    for root in names:
        if state[root]:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, k = stack[-1]
            if k < len(succ[node]):
                stack[-1] = (node, k + 1)
                nxt = succ[node][k]
                if state[nxt] == 1:
                    trail = [n for n, _ in stack]
                    return [*trail[trail.index(nxt) :], nxt]
                if state[nxt] == 0:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()
    return []


def _quote(name: str) -> str:
    """``name`` as written in the syntax: bare when it is a plain ASCII identifier, else double-quoted."""
    if _BARE.fullmatch(name):
        return name
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def format_model(model: Model) -> str:
    """The canonical text of ``model``: measurement statements, then paths grouped by target.

    Consecutive paths into the same target share one statement, so the order of
    :attr:`Model.paths` is kept exactly and ``parse_model(format_model(m)) == m``.
    """
    lines = ["# measurement model"]
    op = {Mode.A: "=~", Mode.B: "<~"}
    for c in model.constructs:
        lines.append(f"{_quote(c.name)} {op[c.mode]} {' + '.join(_quote(i) for i in c.indicators)}")
    if model.paths:
        lines += ["", "# structural model"]
        groups: list[tuple[str, list[str]]] = []
        for p in model.paths:
            if groups and groups[-1][0] == p.target:
                groups[-1][1].append(p.source)
            else:
                groups.append((p.target, [p.source]))
        for target, sources in groups:
            lines.append(f"{_quote(target)} ~ {' + '.join(_quote(s) for s in sources)}")
    return "\n".join(lines) + "\n"
