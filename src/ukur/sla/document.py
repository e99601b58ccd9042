"""Reading an agreement's YAML text into plain data that remembers where every value was written.

YAML is parsed to its node tree (``yaml.compose``) rather than straight to Python objects so that every
mapping, sequence and scalar keeps its start mark: errors found later (by the JSON Schema, by the
semantic checks, by inheritance) can then name the file, the line and the field. Dates and times stay
strings (the YAML 1.1 timestamp resolver is switched off) so that the JSON Schema sees what was written
and the loader parses them with the agreement's timezone.

The published JSON Schema ``schema/sla-v1.schema.json`` is package data; :func:`validate_schema` reports
the most relevant violation (``jsonschema.exceptions.best_match``) at the line of the offending value,
or of the unexpected key for ``additionalProperties``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import best_match

from ukur.errors import AgreementError

__all__ = ["Document", "agreement_schema", "parse_document", "validate_schema"]

Path = tuple[str | int, ...]

SCHEMA_RESOURCE = "schema/sla-v1.schema.json"


class _Loader(yaml.SafeLoader):
    """A safe loader that leaves dates and times as the strings that were written."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Document:
    """Plain data (dicts, lists, scalars) with the 1-based ``(line, column)`` of every value by path."""

    data: dict[str, Any]
    marks: Mapping[Path, tuple[int, int]]
    source: str

    def line(self, path: Path) -> int:
        """The line of the value at ``path``, or of its nearest enclosing value that was written."""
        for cut in range(len(path), -1, -1):
            mark = self.marks.get(path[:cut])
            if mark is not None:
                return mark[0]
        return 1

    def field(self, path: Path) -> str:
        """A readable field name: ``objectives[first-response].target.P1`` (list items named by their id)."""
        text = ""
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                item = node[part] if isinstance(node, list) and part < len(node) else None
                name = item.get("id") if isinstance(item, dict) else None
                text += f"[{name if isinstance(name, str) else part}]"
                node = item
            else:
                text += f".{part}" if text else str(part)
                node = node.get(part) if isinstance(node, dict) else None
        return text

    def path_of(self, field: str) -> Path | None:
        """The path of a field written as ``calendars.office.closed[0]``, if the document has it."""
        parts: list[str | int] = []
        for piece in re.findall(r"[^.\[\]]+|\[\d+\]", field):
            parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
        path = tuple(parts)
        return path if path in self.marks else None

    def error(self, message: str, path: Path) -> AgreementError:
        """An :class:`AgreementError` located at ``path``."""
        where = self.field(path)
        text = f"{where}: {message}" if where else message
        return AgreementError(text, source=self.source, line=self.line(path), field=where or None)


def parse_document(text: str, *, source: str = "<agreement>") -> Document:
    """Parse YAML text into a :class:`Document`; YAML errors and duplicate keys become AgreementErrors."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise AgreementError(f"not valid YAML: {exc.reason}", source=source, line=line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise AgreementError("the agreement is empty", source=source, line=1)
        marks: dict[Path, tuple[int, int]] = {}
        data = _walk(loader, node, (), marks, source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        position = getattr(exc, "position", None)
        line = mark.line + 1 if mark is not None else (text.count("\n", 0, position) + 1 if position else 1)
        raise AgreementError(
            f"not valid YAML: {problem}",
            source=source,
            line=line,
            column=mark.column + 1 if mark is not None else None,
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise AgreementError(
            "the agreement must be a mapping of fields (ukur: sla/v1, id, ...)", source=source, line=1
        )
    return Document(data=data, marks=marks, source=source)


def _walk(
    loader: _Loader, node: yaml.Node, path: Path, marks: dict[Path, tuple[int, int]], source: str
) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise AgreementError(
                    "a key must be a plain word", source=source, line=key_node.start_mark.line + 1
                )
            key = str(loader.construct_object(key_node))
            if key in result:
                raise AgreementError(
                    f"duplicate key {key!r}",
                    source=source,
                    line=key_node.start_mark.line + 1,
                    field=".".join(str(p) for p in (*path, key)),
                )
            result[key] = _walk(loader, value_node, (*path, key), marks, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, item, (*path, i), marks, source) for i, item in enumerate(node.value)]
    value = loader.construct_object(node, deep=True)
    if isinstance(value, bytes | set):
        raise AgreementError(
            "binary values and sets are not allowed", source=source, line=node.start_mark.line + 1
        )
    return value


@cache
def agreement_schema() -> dict[str, Any]:
    """The published JSON Schema of ``ukur: sla/v1`` (package data ``ukur/sla/schema/sla-v1.schema.json``)."""
    text = resources.files("ukur.sla").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = agreement_schema()
    cls = jsonschema.validators.validator_for(schema)
    validator: jsonschema.protocols.Validator = cls(schema)
    return validator


def validate_schema(doc: Document) -> None:
    """Check the document against the JSON Schema; raise the most relevant violation with its line."""
    error = best_match(_validator().iter_errors(doc.data))
    if error is None:
        return
    path: Path = tuple(error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            path = (*path, extra[0])
            names = ", ".join(sorted(allowed))
            message = f"unknown field {extra[0]!r}" + (f" (allowed: {names})" if names else "")
    elif error.validator == "const" and path == ("ukur",):
        message = "this is not an ukur agreement of format sla/v1 (write `ukur: sla/v1`)"
    elif error.validator == "pattern" and isinstance(error.schema, dict):
        expected = error.schema.get("description")
        message = f"{_show(error.instance)} is not valid here" + (
            f" (expected {expected})" if expected else ""
        )
    elif error.validator in ("oneOf", "anyOf") and error.context:
        message = f"{_show(error.instance)} is not valid here: " + "; or ".join(
            dict.fromkeys(sub.message for sub in error.context)
        )
    raise doc.error(message, path)


def _show(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
