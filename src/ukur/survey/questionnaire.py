"""The questionnaire: a YAML file (``ukur: questionnaire/v1``) loaded into frozen value objects.

A questionnaire has a title, an optional introduction, consent and thank-you text, respondent-profile
questions (single choice or number), constructs with their Likert items, one Likert scale for all items
(5 or 7 points, labelled per language) and optional attention-check items. Every text is either a plain
string, taken to be in the first language, or a mapping ``{id: ..., en: ...}``.

Loading (:mod:`ukur.survey.loading`) validates in two steps, both reporting file, line, column and field:

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

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml

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


# --- loading (in ukur.survey.loading) -------------------------------------------------------------


def load_questionnaire(path: str | Path, *, source: str | None = None) -> Questionnaire:
    """Read and validate a questionnaire file; errors name the file, line and field."""
    from ukur.survey.loading import load_file

    return load_file(path, source=source)


def parse_questionnaire(text: str, *, source: str = "questionnaire") -> Questionnaire:
    """Validate questionnaire YAML text against the schema and the rules in the module docstring."""
    from ukur.survey.loading import parse_text

    return parse_text(text, source=source)
