"""YAML parsing that remembers where every value came from, so errors can name the line.

PyYAML's ``safe_load`` forgets positions. Here the document is composed into nodes first (which carry
``start_mark``), values are built from the same nodes, and a ``marks`` table maps each path
(``("constructs", 0, "items", 2, "code")``) to its 1-based line and column. Duplicate mapping keys, which
``safe_load`` silently resolves to the last one, are refused because a questionnaire with two ``code:``
lines for one item is almost always a copy-and-paste slip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from ukur.errors import SpecError

__all__ = ["Located", "Path", "load_located"]

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Located:
    """A parsed YAML document and the position of each value in it."""

    data: object
    marks: dict[Path, tuple[int, int]]
    source: str

    def where(self, path: Sequence[str | int]) -> tuple[int | None, int | None]:
        """Line and column of ``path`` or of its nearest ancestor that exists in the document."""
        p = tuple(path)
        while p not in self.marks and p:
            p = p[:-1]
        line, column = self.marks.get(p, (None, None))
        return line, column

    def error(
        self, message: str, path: Sequence[str | int], *, error: type[SpecError] = SpecError
    ) -> SpecError:
        """An error located at ``path``; ``field`` is the dotted path (``constructs[0].items[1].code``)."""
        line, column = self.where(path)
        return error(message, source=self.source, line=line, column=column, field=dotted(path) or None)


def dotted(path: Sequence[str | int]) -> str:
    """``("constructs", 0, "name")`` → ``constructs[0].name``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_located(text: str, *, source: str) -> Located:
    """Parse one YAML document; raise :class:`SpecError` with line and column when it is not valid YAML."""
    marks: dict[Path, tuple[int, int]] = {}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is None:
            raise SpecError("the file is empty", source=source, line=1)
        data = _build(node, (), marks, yaml.SafeLoader(""), source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise SpecError(
            f"not valid YAML: {problem}",
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids: its position, not a mark
        line = text.count("\n", 0, exc.position) + 1
        raise SpecError(f"not valid YAML: {exc}", source=source, line=line) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"not valid YAML: {exc}", source=source) from None
    return Located(data=data, marks=marks, source=source)


def _build(
    node: yaml.Node,
    path: Path,
    marks: dict[Path, tuple[int, int]],
    constructor: yaml.SafeLoader,
    source: str,
) -> object:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[object, object] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                raise SpecError(
                    "mapping keys must be plain words",
                    source=source,
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                )
            if key in out:
                raise SpecError(
                    f"key '{key}' appears twice in the same mapping",
                    source=source,
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                    field=dotted((*path, str(key))),
                )
            child = (*path, str(key))
            out[str(key)] = _build(value_node, child, marks, constructor, source)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v, (*path, i), marks, constructor, source) for i, v in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)
