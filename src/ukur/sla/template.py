"""Agreement templates: complete, valid ``sla/v1`` files to start from, in Bahasa Indonesia or English.

The templates are package data (``ukur/sla/templates/<name>.yaml``). One file serves every type and
language through line markers, so the choices and their explanations are written once:

* a line ending in ``#@en`` or ``#@id`` is kept only for that language, one ending in ``#@customer``,
  ``#@internal`` or ``#@multilevel`` only for that agreement type (markers combine: ``#@id #@internal``);
* a comment line starting ``#en`` or ``#id`` is an explanation in that language;
* ``${from}`` and ``${to}`` are the effective dates (a year from ``effective_from``).

The clauses (``contract:``) are always bilingual, ``{id: …, en: …}``: the templates are written for
Indonesian businesses, and UU 24/2009 Art. 31 wants the Indonesian text. ``lang`` chooses the language
of the comments, the title and the descriptions.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from importlib import resources
from string import Template

from ukur.errors import AgreementError

__all__ = ["LANGS", "TEMPLATES", "TYPES", "render_template"]

TEMPLATES = ("courier", "helpdesk", "it-service", "cloud", "call-center")
TYPES = ("customer", "internal", "multilevel")
LANGS = ("id", "en")
_MARKER = re.compile(r"\s*#@(\w+)")
_COMMENT = re.compile(r"^(\s*)#(en|id)( |$)")


def render_template(name: str, *, type: str = "customer", lang: str = "id", effective_from: date) -> str:
    """The YAML text of template ``name`` for agreement ``type`` in ``lang``, effective for one year.

    Raises :class:`~ukur.errors.AgreementError` naming the allowed values for an unknown template,
    type or language.
    """
    for value, allowed, what in (
        (name, TEMPLATES, "template"),
        (type, TYPES, "type"),
        (lang, LANGS, "language"),
    ):
        if value not in allowed:
            raise AgreementError(f"unknown {what} {value!r} (choose from {', '.join(allowed)})", field=what)
    text = resources.files("ukur.sla").joinpath(f"templates/{name}.yaml").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        markers = set(_MARKER.findall(line))
        langs, types = markers & set(LANGS), markers & set(TYPES)
        if (langs and lang not in langs) or (types and type not in types):
            continue
        line = _MARKER.sub("", line).rstrip()
        comment = _COMMENT.match(line)
        if comment:
            if comment.group(2) != lang:
                continue
            line = f"{comment.group(1)}#{comment.group(3)}{line[comment.end() :]}".rstrip()
        lines.append(line)
    # One year less a day; from 29 February the year ends on 28 February.
    until = date(effective_from.year + 1, effective_from.month, 1) + timedelta(days=effective_from.day - 2)
    return Template("\n".join(lines) + "\n").substitute(
        {"from": effective_from.isoformat(), "to": until.isoformat()}
    )
