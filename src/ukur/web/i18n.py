"""A small message catalogue in English and Bahasa Indonesia, and choosing the language of a request.

Messages live in ``locales/<lang>.json`` (flat ``key: text`` with ``{name}`` placeholders); a test checks
that both catalogues have the same keys and placeholders.  The language is, in order: the one the person
chose (kept in their session), their account's preference, the browser's ``Accept-Language``, and the
server default.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "catalogue", "negotiate", "translator"]

LANGUAGES: dict[str, str] = {"en": "English", "id": "Bahasa Indonesia"}
LOCALES = Path(__file__).with_name("locales")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The messages of ``lang`` (``en`` or ``id``)."""
    data: dict[str, str] = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
    return data


def translator(lang: str) -> Callable[..., str]:
    """``_(key, **values)``: the message in ``lang``, else in English, else the key itself."""
    messages = catalogue(lang if lang in LANGUAGES else "en")
    english = catalogue("en")

    def _(key: str, **values: object) -> str:
        text = messages.get(key) or english.get(key) or key
        return text.format(**values) if values else text

    return _


def negotiate(accept_language: str | None, default: str = "en") -> str:
    """The best of :data:`LANGUAGES` for an ``Accept-Language`` header (RFC 9110 §12.5.4 q-values)."""
    best, best_q = default, 0.0
    for part in (accept_language or "").split(","):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary == "in":  # the withdrawn ISO 639 code for Indonesian, still sent by some Android browsers
            primary = "id"
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best
