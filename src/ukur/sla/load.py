"""YAML text → :class:`~ukur.sla.agreement.Agreement`: schema, meaning, and inheritance from a parent.

Loading runs in three steps, each reporting the file, the line and the field of the first problem:

1. :func:`~ukur.sla.document.parse_document` reads the YAML with the position of every value;
2. :func:`~ukur.sla.document.validate_schema` checks it against the published JSON Schema
   (``ukur/sla/schema/sla-v1.schema.json``);
3. the builder here gives the values their meaning (durations, percentages, calendars, dates in the
   agreement's timezone), checks references between the parts, and applies the parent agreement.

Inheritance (multilevel SLAs). ``parent: kilat-corporate`` makes the agreement a child of an agreement
that is already loaded (the caller passes a mapping of loaded agreements or a resolver, see
:class:`AgreementRegistry`). The child inherits the parent's calendars, services, objectives,
exclusions, penalties, claims policy, parties, fee, effective dates and timezone, and may

* add calendars, services and objectives of its own, and exclusions that cover only its own objectives;
* restate inherited calendars and exclusions unchanged (so a child can be a complete document on its own);
* restate an inherited objective to *tighten* it: a shorter target for every key, a higher goal (and any
  ``warn_at`` or description). Anything that would loosen the promise — a longer target, a lower goal, a
  changed clock (start, stop, calendar, pauses, window, stream), fewer credits, a shorter filing period or a
  longer response time for claims — is an error naming the field and its line in the child's file.

Signatures are never inherited: each agreement is signed on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ukur.errors import AgreementError
from ukur.sla.agreement import Agreement
from ukur.sla.build import Builder
from ukur.sla.contract_load import attach_contract
from ukur.sla.document import parse_document, validate_schema

__all__ = ["AgreementRegistry", "ParentResolver", "load_agreement", "parent_id"]

ParentResolver = Callable[[str], Agreement]


def load_agreement(
    text: str,
    *,
    source: str = "<agreement>",
    parents: Mapping[str, Agreement] | ParentResolver | None = None,
) -> Agreement:
    """Load and validate one agreement from YAML text.

    ``parents`` provides the parent named by ``parent:`` — a mapping of loaded agreements by id or a
    function ``id -> Agreement`` (which may raise :class:`~ukur.errors.AgreementError`). Raises
    :class:`~ukur.errors.AgreementError` with ``source``, ``line`` and ``field`` for every problem.
    """
    doc = parse_document(text, source=source)
    validate_schema(doc)
    parent: Agreement | None = None
    parent_name = doc.data.get("parent")
    if isinstance(parent_name, str):
        parent = _resolve(parent_name, parents, doc_error=lambda m: doc.error(m, ("parent",)))
        if parent.id == doc.data.get("id") or doc.data.get("id") in parent.parents:
            raise doc.error(f"agreement {parent_name!r} is its own ancestor", ("parent",))
    return attach_contract(Builder(doc, parent).agreement(), doc, parent)


def _resolve(
    name: str,
    parents: Mapping[str, Agreement] | ParentResolver | None,
    *,
    doc_error: Callable[[str], AgreementError],
) -> Agreement:
    if parents is None:
        raise doc_error(f"parent agreement {name!r} is not available (load it first or say where it is)")
    if callable(parents):
        return parents(name)
    found = parents.get(name)
    if found is None:
        known = ", ".join(sorted(parents)) or "none"
        raise doc_error(f"parent agreement {name!r} is not loaded (loaded: {known})")
    return found


def parent_id(text: str, *, source: str = "<agreement>") -> str | None:
    """The ``parent:`` an agreement names, read without validating the rest (for finding parent files)."""
    value: Any = parse_document(text, source=source).data.get("parent")
    return value if isinstance(value, str) else None


class AgreementRegistry:
    """Agreements loaded once each, with their parents resolved through ``read``.

    ``read(id) -> (text, source)`` returns the YAML of the agreement with that id (the CLI reads
    ``<id>.yaml`` next to the child or in ``--agreements DIR``; the web app reads its database). It may
    raise :class:`~ukur.errors.AgreementError` when there is no such agreement. Cycles of ``parent:``
    references are reported instead of recursing forever.
    """

    def __init__(self, read: Callable[[str], tuple[str, str]]) -> None:
        self._read = read
        self._loaded: dict[str, Agreement] = {}
        self._loading: list[str] = []

    def __contains__(self, agreement_id: str) -> bool:
        return agreement_id in self._loaded

    def add(self, agreement: Agreement) -> None:
        """Register an agreement loaded elsewhere, so that children can name it."""
        self._loaded[agreement.id] = agreement

    def get(self, agreement_id: str) -> Agreement:
        """The agreement with this id, loading it (and its ancestors) on first use."""
        found = self._loaded.get(agreement_id)
        if found is not None:
            return found
        if agreement_id in self._loading:
            chain = " → ".join([*self._loading, agreement_id])
            raise AgreementError(f"parent agreements form a cycle: {chain}", field="parent")
        text, source = self._read(agreement_id)
        self._loading.append(agreement_id)
        try:
            agreement = load_agreement(text, source=source, parents=self.get)
        finally:
            self._loading.pop()
        if agreement.id != agreement_id:
            raise AgreementError(
                f"the file was expected to define agreement {agreement_id!r} but its id is {agreement.id!r}",
                source=source,
                field="id",
            )
        self._loaded[agreement_id] = agreement
        return agreement

    def load(self, text: str, *, source: str) -> Agreement:
        """Load an agreement from text, resolving its parents through the registry, and register it."""
        self._loading.append(f"<{source}>")
        try:
            agreement = load_agreement(text, source=source, parents=self.get)
        finally:
            self._loading.pop()
        self._loaded.setdefault(agreement.id, agreement)
        return agreement
