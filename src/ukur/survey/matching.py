"""Matching the column headers of a form export to question codes, and answers to scale points.

Form tools write the question *text* as the column header, often changed a little on the way: a trailing
``*`` for required questions, doubled spaces, curly quotes, a number in front ("3. Saya ..."), different
capitalisation, or, for Google Forms grids, ``Grid title [Row text]``. :func:`normalize` reduces a text to
lower-case words separated by single spaces (Unicode NFKC, case-folded, every run of punctuation or
whitespace one space), so all of those compare equal while different wordings still differ.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["header_variants", "leading_number", "normalize", "suggest"]

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_BRACKET = re.compile(r"^(?P<outer>.*?)\s*\[(?P<inner>[^\[\]]+)\]\s*\**\s*$", re.DOTALL)
_NUMBERING = re.compile(r"^\s*\(?[A-Za-z]{0,8}\s?\d{1,3}[a-z]?\s*[.):\]]\s*|^\s*\d{1,3}\s+(?=\D)")
_LEADING_NUMBER = re.compile(r"^\s*(?P<n>[+-]?\d+(?:[.,]\d+)?)(?:\s*(?:[-–=:.)(]|$)|\s+\D)")


def normalize(text: object) -> str:
    """Lower-case words separated by single spaces: ``" Saya  SUKA, produk ini! *"`` → ``"saya suka produk ini"``."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def header_variants(header: str) -> list[str]:
    """Normalized forms of a header to try in order: as written, the grid row text, without numbering.

    ``"Promosi [Konten menarik]"`` yields the whole text and ``"konten menarik"``; ``"PMS1. Konten
    menarik"`` and ``"3) Konten menarik"`` also yield ``"konten menarik"``.
    """
    out = [normalize(header)]
    m = _BRACKET.match(header)
    if m:
        out.append(normalize(m.group("inner")))
    stripped = _NUMBERING.sub("", header, count=1)
    if stripped != header:
        out.append(normalize(stripped))
    return [v for i, v in enumerate(out) if v and v not in out[:i]]


def leading_number(text: str) -> float | None:
    """The number that starts an answer such as ``"4 - Setuju"``, ``"4 (Setuju)"`` or ``"5"``; else None."""
    m = _LEADING_NUMBER.match(text)
    if not m:
        return None
    return float(m.group("n").replace(",", "."))


def suggest(text: str, candidates: Mapping[str, str] | Iterable[str], *, cutoff: float = 0.75) -> str | None:
    """The closest candidate to ``text`` by normalized similarity, to hint at a typo in a header."""
    pool = dict(candidates) if isinstance(candidates, Mapping) else {c: c for c in candidates}
    keys = {normalize(k): v for k, v in pool.items()}
    best = difflib.get_close_matches(normalize(text), list(keys), n=1, cutoff=cutoff)
    return keys[best[0]] if best else None
