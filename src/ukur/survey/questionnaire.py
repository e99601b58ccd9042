"""The questionnaire: a YAML file (``ukur: questionnaire/v1``) loaded into frozen value objects.

A questionnaire has a title, an optional introduction, consent and thank-you text, respondent-profile
questions (single choice or number), constructs with their Likert items, one Likert scale for all items
(5 or 7 points, labelled per language) and optional attention-check items. Every text is either a plain
string, taken to be in the first language, or a mapping ``{id: ..., en: ...}``.

Loading validates in two steps, both reporting file, line, column and field:

1. the JSON Schema shipped with the package (``schema/questionnaire-v1.schema.json``): shapes and types;
2. the rules a schema cannot express: codes unique across the whole form, one label per scale point in
   every language, the first language present in every text, an attention check's expected answer on the
   scale, no two items whose texts normalize to the same words (an export could not be matched).

Example::

    ukur: questionnaire/v1
    languages: [id, en]
    title: {id: Promosi media sosial UMKM, en: Social media promotion of MSMEs}
    scale:
      points: 5
      labels:
        id: [Sangat tidak setuju, Tidak setuju, Netral, Setuju, Sangat setuju]
    constructs:
      - name: Minat Beli
        items:
          - {code: MB1, text: Saya berminat membeli produk ini}
          - {code: MB2, text: Saya tidak tertarik pada produk ini, reversed: true}
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jsonschema
import yaml

from ukur.errors import SpecError
from ukur.survey._yamlmarks import Located, dotted, load_located
from ukur.survey.matching import normalize

__all__ = [
    "AttentionCheck",
    "Choice",
    "Construct",
    "Item",
    "ProfileQuestion",
    "Questionnaire",
    "Scale",
    "Section",
    "Text",
    "load_questionnaire",
    "parse_questionnaire",
    "to_yaml",
]

VERSION = "questionnaire/v1"


@dataclass(frozen=True, slots=True)
class Text:
    """A text in one or more languages, in the questionnaire's language order."""

    values: tuple[tuple[str, str], ...]

    def get(self, language: str | None = None) -> str:
        """The text in ``language``, falling back to the first language given."""
        for lang, value in self.values:
            if lang == language:
                return value
        return self.values[0][1]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.values)

    def all(self) -> tuple[str, ...]:
        return tuple(v for _, v in self.values)

    def to_dict(self) -> dict[str, str]:
        return dict(self.values)


@dataclass(frozen=True, slots=True)
class Scale:
    """The Likert scale: ``points`` values from ``minimum`` to ``maximum`` with labels per language."""

    points: int
    minimum: int
    labels: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def maximum(self) -> int:
        return self.minimum + self.points - 1

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(range(self.minimum, self.maximum + 1))

    def labels_for(self, language: str | None = None) -> tuple[str, ...]:
        for lang, labels in self.labels:
            if lang == language:
                return labels
        return self.labels[0][1]

    def reverse(self, value: float) -> float:
        """The reverse-coded value: ``minimum + maximum - value`` (5 → 1 on a 1–5 scale)."""
        return self.minimum + self.maximum - value

    def describe(self, language: str | None = None) -> str:
        """``"1 = Sangat tidak setuju … 5 = Sangat setuju"``."""
        labels = self.labels_for(language)
        return "; ".join(f"{v} = {label}" for v, label in zip(self.values, labels, strict=True))

    def to_dict(self) -> dict[str, Any]:
        return {"points": self.points, "min": self.minimum, "max": self.maximum, "labels": dict(self.labels)}


@dataclass(frozen=True, slots=True)
class Item:
    """One Likert item of a construct. ``reversed`` items are recoded as ``min + max - answer``."""

    code: str
    text: Text
    construct: str
    reversed: bool = False


@dataclass(frozen=True, slots=True)
class Construct:
    """A construct (its ``name`` is the one used in the PLS model syntax) and its items."""

    name: str
    items: tuple[Item, ...]
    label: Text | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.items)


@dataclass(frozen=True, slots=True)
class AttentionCheck:
    """A Likert item with one correct answer ("Untuk pertanyaan ini pilih 'Setuju'")."""

    code: str
    text: Text
    expected: int
    after: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a single-choice profile question; ``code`` is what the coded data holds."""

    code: str
    label: Text


@dataclass(frozen=True, slots=True)
class ProfileQuestion:
    """A respondent-profile question: a single choice (gender, education, age band) or a number."""

    code: str
    text: Text
    kind: Literal["choice", "number"]
    options: tuple[Choice, ...] = ()
    other: bool = False
    minimum: float | None = None
    maximum: float | None = None
    required: bool = True


@dataclass(frozen=True, slots=True)
class Section:
    """One page of the respondent form: the profile, or a construct's items (and attention checks)."""

    key: str
    title: Text | None
    questions: tuple[ProfileQuestion | Item | AttentionCheck, ...]


@dataclass(frozen=True)
class Questionnaire:
    """A validated questionnaire. Build it with :func:`load_questionnaire` or :func:`parse_questionnaire`."""

    title: Text
    languages: tuple[str, ...]
    scale: Scale
    constructs: tuple[Construct, ...]
    profile: tuple[ProfileQuestion, ...] = ()
    attention_checks: tuple[AttentionCheck, ...] = ()
    introduction: Text | None = None
    consent: Text | None = None
    thanks: Text | None = None
    source: str = field(default="questionnaire", compare=False)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """All construct items, construct by construct."""
        return tuple(i for c in self.constructs for i in c.items)

    @cached_property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.items)

    @cached_property
    def likert_codes(self) -> tuple[str, ...]:
        """Items and attention checks: every question answered on the scale."""
        return self.item_codes + tuple(a.code for a in self.attention_checks)

    @cached_property
    def reversed_codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.items if i.reversed)

    @cached_property
    def question_count(self) -> int:
        """Number of questions a respondent answers (profile, items, attention checks)."""
        return len(self.profile) + len(self.likert_codes)

    def item(self, code: str) -> Item:
        for i in self.items:
            if i.code == code:
                return i
        raise KeyError(code)

    def construct(self, name: str) -> Construct:
        for c in self.constructs:
            if c.name == name:
                return c
        raise KeyError(name)

    def questions(self) -> Iterator[tuple[str, str, Text]]:
        """``(code, kind, text)`` for every question: profile, items, attention checks."""
        for p in self.profile:
            yield p.code, "profile", p.text
        for i in self.items:
            yield i.code, "item", i.text
        for a in self.attention_checks:
            yield a.code, "attention", a.text

    def sections(self) -> tuple[Section, ...]:
        """The form's pages in order: the profile (if any), then one page per construct.

        An attention check goes at the end of the page of the construct named in its ``after``; checks
        without ``after`` go at the end of the middle construct's page, where attention typically drops.
        """
        placed: dict[str, list[AttentionCheck]] = {c.name: [] for c in self.constructs}
        middle = self.constructs[(len(self.constructs) - 1) // 2].name
        for check in self.attention_checks:
            placed[check.after or middle].append(check)
        pages: list[Section] = []
        if self.profile:
            pages.append(Section(key="profile", title=None, questions=self.profile))
        for c in self.constructs:
            pages.append(Section(key=c.name, title=c.label, questions=(*c.items, *placed[c.name])))
        return tuple(pages)

    def to_dict(self) -> dict[str, Any]:
        """The questionnaire as plain data (the shape of the YAML file, every text as a mapping)."""

        def text(t: Text | None) -> dict[str, str] | None:
            return None if t is None else t.to_dict()

        return {
            "ukur": VERSION,
            "languages": list(self.languages),
            "title": text(self.title),
            "introduction": text(self.introduction),
            "consent": text(self.consent),
            "thanks": text(self.thanks),
            "scale": self.scale.to_dict(),
            "profile": [
                {
                    "code": p.code,
                    "text": text(p.text),
                    "type": p.kind,
                    "required": p.required,
                    **(
                        {
                            "options": [{"code": o.code, "label": text(o.label)} for o in p.options],
                            "other": p.other,
                        }
                        if p.kind == "choice"
                        else {"min": p.minimum, "max": p.maximum}
                    ),
                }
                for p in self.profile
            ],
            "constructs": [
                {
                    "name": c.name,
                    "label": text(c.label),
                    "items": [
                        {"code": i.code, "text": text(i.text), "reversed": i.reversed} for i in c.items
                    ],
                }
                for c in self.constructs
            ],
            "attention_checks": [
                {"code": a.code, "text": text(a.text), "expected": a.expected, "after": a.after}
                for a in self.attention_checks
            ],
        }


def to_yaml(questionnaire: Questionnaire) -> str:
    """The questionnaire as a ``questionnaire/v1`` file: ``parse_questionnaire(to_yaml(q)) == q``.

    Defaults are left out (``reversed: false``, ``required: true``, ``min: 1``), so a questionnaire
    edited in the web app is saved in the same shape a person would write.
    """
    q = questionnaire

    def text(t: Text) -> dict[str, str]:
        return t.to_dict()

    def profile(p: ProfileQuestion) -> dict[str, Any]:
        out: dict[str, Any] = {"code": p.code, "type": p.kind, "text": text(p.text)}
        if not p.required:
            out["required"] = False
        if p.kind == "choice":
            out["options"] = [{"code": o.code, "label": text(o.label)} for o in p.options]
            if p.other:
                out["other"] = True
        else:
            out |= {k: v for k, v in (("min", p.minimum), ("max", p.maximum)) if v is not None}
        return out

    doc: dict[str, Any] = {"ukur": VERSION, "languages": list(q.languages), "title": text(q.title)}
    for key in ("introduction", "consent", "thanks"):
        value = getattr(q, key)
        if value is not None:
            doc[key] = text(value)
    scale: dict[str, Any] = {"points": q.scale.points}
    if q.scale.minimum != 1:
        scale["min"] = q.scale.minimum
    doc["scale"] = scale | {"labels": {lang: list(labels) for lang, labels in q.scale.labels}}
    if q.profile:
        doc["profile"] = [profile(p) for p in q.profile]
    doc["constructs"] = [
        {
            "name": c.name,
            **({"label": text(c.label)} if c.label is not None else {}),
            "items": [
                {"code": i.code, "text": text(i.text), **({"reversed": True} if i.reversed else {})}
                for i in c.items
            ],
        }
        for c in q.constructs
    ]
    if q.attention_checks:
        doc["attention_checks"] = [
            {
                "code": a.code,
                "text": text(a.text),
                "expected": a.expected,
                **({"after": a.after} if a.after else {}),
            }
            for a in q.attention_checks
        ]
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)


# --- loading ---------------------------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``questionnaire/v1`` (shipped as package data)."""
    raw = resources.files("ukur.survey").joinpath("schema/questionnaire-v1.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(raw)
    return loaded


def load_questionnaire(path: str | Path, *, source: str | None = None) -> Questionnaire:
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
    return parse_questionnaire(text, source=label)


def parse_questionnaire(text: str, *, source: str = "questionnaire") -> Questionnaire:
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
