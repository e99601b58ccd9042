"""Loading a questionnaire file: YAML with positions → JSON Schema → cross-field rules → value objects.

Split from :mod:`ukur.survey.questionnaire` (the value objects) so each stays readable; use
:func:`ukur.survey.questionnaire.load_questionnaire` and :func:`~ukur.survey.questionnaire.parse_questionnaire`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from ukur.errors import SpecError
from ukur.survey._yamlmarks import Located, dotted, load_located
from ukur.survey.matching import normalize
from ukur.survey.questionnaire import (
    VERSION,
    AttentionCheck,
    Choice,
    Construct,
    Item,
    ProfileQuestion,
    Questionnaire,
    Scale,
    Text,
)

__all__ = ["load_file", "parse_text", "schema"]


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``questionnaire/v1`` (shipped as package data)."""
    raw = resources.files("ukur.survey").joinpath("schema/questionnaire-v1.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(raw)
    return loaded


def load_file(path: str | Path, *, source: str | None = None) -> Questionnaire:
    """Read and validate a questionnaire file; errors name the file, line and field."""
    p = Path(path)
    label = source or str(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpecError("file not found", source=label) from None
    except UnicodeDecodeError:
        raise SpecError("the questionnaire is not UTF-8 text", source=label) from None
    except OSError as exc:
        raise SpecError(f"cannot read the file ({exc.strerror or exc})", source=label) from None
    return parse_text(text, source=label)


def parse_text(text: str, *, source: str = "questionnaire") -> Questionnaire:
    """Validate questionnaire YAML text against the schema and the rules above."""
    doc = load_located(text, source=source)
    if not isinstance(doc.data, dict):
        raise doc.error("a questionnaire is a mapping that starts with 'ukur: questionnaire/v1'", ())
    if doc.data.get("ukur") != VERSION:
        found = doc.data.get("ukur")
        hint = f"found {found!r}" if found is not None else "the key is missing"
        raise doc.error(f"the first key must be 'ukur: {VERSION}' ({hint})", ("ukur",))
    _check_schema(doc)
    return _Builder(doc).build()


def _check_schema(doc: Located) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: doc.where(list(e.absolute_path)))
    if not errors:
        return
    err = errors[0]
    path = list(err.absolute_path)
    raise doc.error(_schema_message(err), path)


def _schema_message(err: jsonschema.ValidationError) -> str:
    """A shorter message than jsonschema's for the common cases."""
    if err.validator == "additionalProperties":
        return f"unknown field(s): {err.message.split('(')[-1].rstrip(')')}"
    if err.validator == "oneOf" and isinstance(err.instance, dict | list | int | float | bool | None):
        return "expected a text (a string, or a mapping from language code to string)"
    if err.validator == "pattern" and isinstance(err.instance, str):
        return f"{err.instance!r} is not allowed here (letters, digits, '_' and '.', starting with a letter)"
    return err.message


class _Builder:
    """Turns the schema-valid document into value objects and checks the cross-field rules."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data  # type: ignore[assignment]
        self.languages = self._languages()
        self.codes: dict[str, tuple[str | int, ...]] = {}
        self.texts: dict[str, tuple[str, tuple[str | int, ...]]] = {}

    def build(self) -> Questionnaire:
        scale = self._scale()
        profile = tuple(self._profile(i, p) for i, p in enumerate(self.data.get("profile", [])))
        constructs = tuple(self._construct(i, c) for i, c in enumerate(self.data["constructs"]))
        names = [c.name for c in constructs]
        checks = tuple(
            self._attention(i, a, scale, names) for i, a in enumerate(self.data.get("attention_checks", []))
        )
        return Questionnaire(
            title=self._text(self.data["title"], ("title",)),
            languages=self.languages,
            scale=scale,
            constructs=constructs,
            profile=profile,
            attention_checks=checks,
            introduction=self._optional_text("introduction"),
            consent=self._optional_text("consent"),
            thanks=self._optional_text("thanks"),
            source=self.doc.source,
        )

    def _languages(self) -> tuple[str, ...]:
        if "languages" in self.data:
            return tuple(self.data["languages"])
        title = self.data["title"]
        if isinstance(title, Mapping):
            return tuple(title)
        labels = self.data["scale"]["labels"]
        return tuple(labels)

    def _text(self, raw: object, path: tuple[str | int, ...], *, complete: bool = True) -> Text:
        """A text; ``complete`` texts must have the first language (a construct label may not)."""
        if isinstance(raw, str):
            return Text(((self.languages[0], raw.strip()),))
        if not isinstance(raw, Mapping):
            raise self.doc.error(
                "expected a text (a string, or a mapping from language code to string)", path
            )
        for lang in raw:
            if lang not in self.languages:
                raise self.doc.error(
                    f"language '{lang}' is not in languages {list(self.languages)}", (*path, lang)
                )
        if complete and self.languages[0] not in raw:
            raise self.doc.error(f"the text has no '{self.languages[0]}' version (the first language)", path)
        ordered = tuple((lang, str(raw[lang]).strip()) for lang in self.languages if lang in raw)
        return Text(ordered)

    def _optional_text(self, key: str) -> Text | None:
        return self._text(self.data[key], (key,)) if key in self.data else None

    def _code(self, code: str, path: tuple[str | int, ...]) -> str:
        if code in self.codes:
            raise self.doc.error(f"code '{code}' is used twice (first at {dotted(self.codes[code])})", path)
        self.codes[code] = path
        return code

    def _unique_text(self, text: Text, code: str, path: tuple[str | int, ...]) -> None:
        for value in text.all():
            key = normalize(value)
            other = self.texts.get(key)
            if other is not None and other[0] != code:
                raise self.doc.error(
                    f"the text of '{code}' reads the same as the text of '{other[0]}'; "
                    "answers could not be told apart in a form export",
                    path,
                )
            self.texts[key] = (code, path)

    def _scale(self) -> Scale:
        raw = self.data["scale"]
        points = int(raw["points"])
        labels: list[tuple[str, tuple[str, ...]]] = []
        for lang, values in raw["labels"].items():
            path = ("scale", "labels", lang)
            if lang not in self.languages:
                raise self.doc.error(f"language '{lang}' is not in languages {list(self.languages)}", path)
            if len(values) != points:
                raise self.doc.error(f"{len(values)} labels for a {points}-point scale", path)
            if len({normalize(v) for v in values}) != points:
                raise self.doc.error("two labels of the scale read the same", path)
            labels.append((lang, tuple(v.strip() for v in values)))
        labels.sort(key=lambda pair: self.languages.index(pair[0]))
        return Scale(points=points, minimum=int(raw.get("min", 1)), labels=tuple(labels))

    def _profile(self, index: int, raw: Mapping[str, Any]) -> ProfileQuestion:
        path: tuple[str | int, ...] = ("profile", index)
        code = self._code(raw["code"], (*path, "code"))
        text = self._text(raw["text"], (*path, "text"))
        self._unique_text(text, code, (*path, "text"))
        kind = raw["type"]
        if kind == "choice":
            for key in ("min", "max"):
                if key in raw:
                    raise self.doc.error(f"'{key}' applies to number questions only", (*path, key))
            if "options" not in raw:
                raise self.doc.error("a choice question needs 'options'", path)
            options = tuple(self._choice(o, (*path, "options", k)) for k, o in enumerate(raw["options"]))
            seen: set[str] = set()
            for k, o in enumerate(options):
                keys = {normalize(o.code), *(normalize(v) for v in o.label.all())}
                if keys & seen:
                    raise self.doc.error("two options read the same", (*path, "options", k))
                seen |= keys
            return ProfileQuestion(
                code,
                text,
                "choice",
                options=options,
                other=bool(raw.get("other", False)),
                required=bool(raw.get("required", True)),
            )
        for key in ("options", "other"):
            if key in raw:
                raise self.doc.error(f"'{key}' applies to choice questions only", (*path, key))
        low, high = raw.get("min"), raw.get("max")
        if low is not None and high is not None and low > high:
            raise self.doc.error(f"min ({low}) is greater than max ({high})", (*path, "min"))
        return ProfileQuestion(
            code, text, "number", minimum=low, maximum=high, required=bool(raw.get("required", True))
        )

    def _choice(self, raw: object, path: tuple[str | int, ...]) -> Choice:
        if isinstance(raw, str):
            label = self._text(raw, path)
            return Choice(code=label.get(), label=label)
        if not isinstance(raw, Mapping):
            raise self.doc.error("an option is a label or a mapping with 'label' and 'code'", path)
        label = self._text(raw["label"], (*path, "label"))
        return Choice(code=str(raw.get("code", label.get())), label=label)

    def _construct(self, index: int, raw: Mapping[str, Any]) -> Construct:
        path: tuple[str | int, ...] = ("constructs", index)
        name = raw["name"].strip()
        for k in range(index):
            if self.data["constructs"][k]["name"].strip() == name:
                raise self.doc.error(f"construct '{name}' is declared twice", (*path, "name"))
        label = self._text(raw["label"], (*path, "label"), complete=False) if "label" in raw else None
        items = []
        for k, item in enumerate(raw["items"]):
            ipath = (*path, "items", k)
            code = self._code(item["code"], (*ipath, "code"))
            text = self._text(item["text"], (*ipath, "text"))
            self._unique_text(text, code, (*ipath, "text"))
            items.append(Item(code, text, name, bool(item.get("reversed", False))))
        return Construct(name=name, items=tuple(items), label=label)

    def _attention(
        self, index: int, raw: Mapping[str, Any], scale: Scale, constructs: list[str]
    ) -> AttentionCheck:
        path: tuple[str | int, ...] = ("attention_checks", index)
        code = self._code(raw["code"], (*path, "code"))
        text = self._text(raw["text"], (*path, "text"))
        self._unique_text(text, code, (*path, "text"))
        expected = int(raw["expected"])
        if expected not in scale.values:
            raise self.doc.error(
                f"expected answer {expected} is not on the scale ({scale.minimum}–{scale.maximum})",
                (*path, "expected"),
            )
        after = raw.get("after")
        if after is not None and after not in constructs:
            raise self.doc.error(f"'after' names no construct: '{after}'", (*path, "after"))
        return AttentionCheck(code, text, expected, after)
