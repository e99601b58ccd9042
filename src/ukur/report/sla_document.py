"""The agreement as a contract document: numbered sections in the order of the usual anatomy of an SLA.

:func:`build_document` turns an :class:`~ukur.sla.Agreement` (and, for a child, its parent) into a
:class:`ContractDocument`: plain text blocks per section and per language, ready for the HTML/PDF
(:func:`render_document_html`, :func:`render_document_pdf`) and DOCX (:mod:`ukur.report.sla_document_docx`)
renderers, which only lay them out. The sections follow the elements of an SLA in the order the seed
article lists them (overview, service description, exclusions, service level objectives, security,
disaster recovery, tracking and reporting, penalties, termination, review and change, signatures), with
the parties first and the claims procedure after the penalties, as in the article's courier example.

Every page carries a footer with the agreement id, version and :func:`ukur.sla.diff.content_hash`, so
a printed copy can be matched to the stored version; the document is marked DRAFT until both parties
have signed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2

from ukur.errors import UkurError
from ukur.report import sla_document_text as w
from ukur.sla import Agreement, Penalty
from ukur.sla.contract import Contract, PartyDetails, Text
from ukur.sla.diff import content_hash
from ukur.sla.tighten import credit_at

__all__ = [
    "SECTION_KEYS",
    "Block",
    "ContractDocument",
    "Section",
    "build_document",
    "render_document_html",
    "render_document_pdf",
]

SECTION_KEYS = (
    "parties", "overview", "services", "exclusions", "objectives", "security", "recovery", "reporting",
    "penalties", "claims", "termination", "review", "signatures",
)  # fmt: skip
"""The sections, in the order they are numbered."""
BLANK = "_______________"


@dataclass(frozen=True)
class Block:
    """One block of a section: ``p`` (paragraph), ``list``, ``steps`` (numbered), ``table`` or ``kv``."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Section:
    """A numbered section: its key (:data:`SECTION_KEYS`), title and blocks in one language."""

    key: str
    number: int
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ContractDocument:
    """The document in one language (``langs == ("en",)``) or two side by side (``("id", "en")``).

    ``versions[i]`` holds the sections in ``langs[i]``; the versions have the same sections and blocks.
    """

    agreement: Agreement
    langs: tuple[str, ...]
    titles: tuple[str, ...]
    versions: tuple[tuple[Section, ...], ...]
    content_hash: str
    draft: bool

    @property
    def footer(self) -> str:
        """The line printed at the bottom of every page."""
        a = self.agreement
        return " | ".join(
            w.t("footer", lang, id=a.id, v=a.version, h=self.content_hash) for lang in self.langs[:1]
        )

    @property
    def draft_mark(self) -> str:
        return " / ".join(w.t("draft", lang) for lang in self.langs)


def build_document(
    agreement: Agreement, *, lang: str = "id", parent: Agreement | None = None
) -> ContractDocument:
    """The contract document of ``agreement`` in ``lang`` (``id``, ``en`` or ``bilingual``).

    ``parent`` (the loaded parent of a child agreement) lets the document say what is inherited.
    """
    langs = {"id": ("id",), "en": ("en",), "bilingual": ("id", "en")}.get(lang)
    if langs is None:
        raise UkurError(f"unknown document language {lang!r} (choose id, en or bilingual)", field="lang")
    if agreement.parent is not None and parent is not None and parent.id != agreement.parent:
        raise UkurError(f"{parent.id!r} is not the parent of {agreement.id!r} ({agreement.parent!r} is)")
    versions = tuple(_Writer(agreement, parent, code).sections() for code in langs)
    return ContractDocument(
        agreement=agreement,
        langs=langs,
        titles=tuple(agreement.title for _ in langs),
        versions=versions,
        content_hash=content_hash(agreement),
        draft=agreement.draft,
    )


class _Writer:
    def __init__(self, agreement: Agreement, parent: Agreement | None, lang: str) -> None:
        self.a = agreement
        self.parent = parent
        self.lang = lang
        self.c = agreement.contract or Contract()

    def t(self, key: str, **values: object) -> str:
        return w.t(key, self.lang, **values)

    def text(self, value: Text | None) -> str:
        return value.get(self.lang) if value is not None else ""

    def sections(self) -> tuple[Section, ...]:
        out = []
        for number, key in enumerate(SECTION_KEYS, start=1):
            blocks = tuple(b for b in getattr(self, key)() if b.text or b.items or b.rows)
            out.append(Section(key, number, self.t(key), blocks or (Block("p", self.t("none_listed")),)))
        return tuple(out)

    def party_rows(self, role: str) -> tuple[tuple[str, str], ...]:
        party = getattr(self.a, role)
        d: PartyDetails = getattr(self.c, role)
        rep = d.representative
        rows = [
            (self.t(role), party.name),
            (self.t("legal_name"), d.legal_name),
            (self.t("department"), d.department),
            (self.t("address"), d.address),
            (self.t("representative"), f"{rep.name}, {rep.role}".strip(", ") if rep else ""),
            (self.t("contact"), party.contact or ""),
        ]
        return tuple((k, v) for k, v in rows if v)

    def parties(self) -> list[Block]:
        a = self.a
        effective = (
            self.t("from_to", a=a.effective_from, b=a.effective_to)
            if a.effective_from and a.effective_to
            else self.t("open_ended", a=a.effective_from)
            if a.effective_from
            else ""
        )
        head = (
            (self.t("agreement"), f"{a.title} ({a.id}, {self.t('version')} {a.version})"),
            (self.t("type"), self.t(f"{a.type.value}_t")),
            (self.t("effective"), effective),
        )
        rows = tuple(r for r in head if r[1]) + self.party_rows("provider") + self.party_rows("customer")
        return [Block("kv", rows=rows)]

    def overview(self) -> list[Block]:
        blocks = [Block("p", self.text(self.c.overview))]
        if self.c.purpose is not None:
            blocks.append(Block("p", f"{self.t('purpose')}: {self.text(self.c.purpose)}"))
        if self.a.parent is not None:
            blocks.append(Block("p", self.t("parent", p=self.a.parent, items=self.inherited())))
        if self.c.definitions:
            rows = tuple((self.text(d.term), self.text(d.meaning)) for d in self.c.definitions)
            blocks.append(Block("table", header=(self.t("term"), self.t("meaning")), rows=rows))
        return blocks

    def inherited(self) -> str:
        """The parts a child takes unchanged from its parent (all of them when the parent is not given)."""
        p = self.parent
        if p is None:
            return self.t("all_unrestated")
        names = [f"{self.t('objective').lower()} {o.id}" for o in self.a.objectives if o in p.objectives]
        names += [f"{self.t('calendar').lower()} {n}" for n, _ in p.calendars if n != "24x7"]
        names += [f"{self.t('service').lower()} {s.id}" for s in self.a.services if s in p.services]
        names += [e.id for e in self.a.exclusions if e in p.exclusions]
        names += [
            f"{self.t('penalties').lower()} {x.objective}" for x in self.a.penalties if x in p.penalties
        ]
        if self.a.claims is not None and self.a.claims == p.claims:
            names.append(self.t("claims").lower())
        return ", ".join(names) or self.t("nothing")

    def services(self) -> list[Block]:
        blocks = [
            Block("list", items=tuple(f"{s.id}: {s.description}".rstrip(": ") for s in self.a.services)),
            Block("p", f"{self.t('scope')}: {self.text(self.c.scope)}" if self.c.scope else ""),
        ]
        calendars = [n for n, _ in self.a.calendars if n != "24x7"]
        hours = [f"{n}: {w.calendar_words(self.a.calendar(n), self.lang)}" for n in calendars]
        if self.c.support_calendar:
            hours.insert(0, f"{self.t('support_hours')}: {self.c.support_calendar}")
        blocks.append(Block("list", items=tuple(hours)))
        channels = tuple(
            f"{ch.name}: {ch.address}".rstrip(": ") + (f" ({ch.calendar})" if ch.calendar else "")
            for ch in self.c.channels
        )
        if channels:
            blocks += [Block("p", f"{self.t('channels')}:"), Block("list", items=channels)]
        m = self.c.maintenance
        if m is not None:
            objectives = ", ".join(m.objectives) or self.t("all_objectives")
            notice = w.duration_words(m.notice, self.lang) if m.notice else "—"
            blocks.append(Block("p", f"{self.t('maintenance')}: " + self.t(
                "maintenance_text", rule=w.rule_words(m.rule, self.lang), d=w.duration_words(m.duration, self.lang),
                n=notice, obj=objectives)))  # fmt: skip
        for party, duties in self.c.responsibilities:
            label = self.t(party) if party in ("provider", "customer") else party
            blocks.append(Block("p", f"{self.t('responsibilities')} — {label}:"))
            blocks.append(Block("list", items=tuple(self.text(d) for d in duties)))
        return blocks

    def exclusions(self) -> list[Block]:
        items = []
        for e in self.a.exclusions:
            parts = [e.description or e.id]
            if e.windows:
                first = e.windows[0]
                parts.append(
                    self.t(
                        "exclusion_windows",
                        n=len(e.windows),
                        a=f"{first.start:%Y-%m-%d %H:%M}–{first.stop:%H:%M} UTC",
                    )
                )
            if e.when:
                cond = "; ".join(f"{k} = {', '.join(map(str, v))}" for k, v in e.when)
                parts.append(self.t("exclusion_when", cond=cond))
            scope = ", ".join(e.objectives) or self.t("all_objectives")
            items.append(f"{e.id}: " + "; ".join(parts) + f" ({scope})")
        return [Block("list", items=tuple(items))]

    def objectives(self) -> list[Block]:
        sentences = tuple(w.objective_sentence(self.a, o, self.lang) for o in self.a.objectives)
        rows = []
        for o in self.a.objectives:
            target = ""
            if o.target is not None:
                target = "; ".join(
                    f"{k}: {w.duration_words(d, self.lang)}"
                    if k is not None
                    else w.duration_words(d, self.lang)
                    for k, d in o.target.items()
                )
            rows.append((o.id, o.service, o.kind.value, target or "—", w.percent(o.goal, self.lang),
                         w.window_name(o.window.unit, self.lang) if o.window.unit != "rolling" else o.window.text,
                         o.calendar))  # fmt: skip
        header = tuple(
            self.t(k) for k in ("objective", "service", "measure", "target", "goal", "window", "calendar")
        )
        return [Block("list", items=sentences), Block("table", header=header, rows=tuple(rows))]

    def security(self) -> list[Block]:
        s = self.c.security
        if s is None:
            return []
        return [
            Block(
                "p",
                f"{self.t('confidentiality')}: {self.text(s.confidentiality)}" if s.confidentiality else "",
            ),
            Block("p", f"{self.t('data_handling')}: {self.text(s.data_handling)}" if s.data_handling else ""),
            Block("p", f"{self.t('standards')}: {', '.join(s.standards)}" if s.standards else ""),
        ]

    def recovery(self) -> list[Block]:
        r = self.c.disaster_recovery
        if r is None:
            return []
        rows = (
            (self.t("procedure"), self.text(r.procedure)),
            (self.t("rto"), w.duration_words(r.rto, self.lang) if r.rto else ""),
            (self.t("rpo"), w.duration_words(r.rpo, self.lang) if r.rpo else ""),
            (self.t("checked_by"), ", ".join(r.objectives)),
        )
        return [Block("kv", rows=tuple(x for x in rows if x[1]))]

    def reporting(self) -> list[Block]:
        g = self.c.reporting
        if g is None:
            return []
        rows = (
            (self.t("frequency"), w.window_name(g.frequency, self.lang)),
            (self.t("recipients"), ", ".join(g.recipients)),
            (self.t("metrics"), ", ".join(g.metrics)),
        )
        return [Block("kv", rows=tuple(x for x in rows if x[1])), Block("p", self.text(g.description))]

    def penalties(self) -> list[Block]:
        a, lang = self.a, self.lang
        blocks = []
        if a.fee is not None:
            fee = f"{w.money(a.fee.amount, a.fee.currency, lang)} {self.t('per', p=w.window_name(a.fee.per, lang))}"
            blocks.append(Block("p", f"{self.t('fee')}: {fee}"))
        for p in a.penalties:
            if p.credits:
                tiers = sorted(p.credits, key=lambda x: -x.below)
                rows = tuple((f"< {w.percent(x.below, lang)}", w.percent(x.credit, lang)) for x in tiers)
                blocks.append(Block("p", self.t("tiers", o=p.objective)))
                blocks.append(Block("table", header=(self.t("below"), self.t("credit")), rows=rows))
                if p.cap is not None:
                    blocks.append(Block("p", self.t("cap", c=w.percent(p.cap, lang))))
                blocks.append(Block("p", self.example(p)))
            if p.per_record is not None:
                r = p.per_record
                cap = (
                    self.t("record_cap", c=w.money(r.cap, a.fee.currency if a.fee else "IDR", lang))
                    if r.cap
                    else ""
                )
                if r.field:
                    blocks.append(Block("p", self.t("per_record_field", o=p.objective, f=r.field, cap=cap)))
                else:
                    amount = w.money(r.amount or 0.0, a.fee.currency if a.fee else "IDR", lang)
                    blocks.append(Block("p", self.t("per_record_amount", o=p.objective, a=amount, cap=cap)))
        return blocks

    def example(self, p: Penalty) -> str:
        """A worked example: compliance halfway between the two highest thresholds (or 1 point below the only one)."""
        thresholds = sorted({x.below for x in p.credits}, reverse=True)
        level = (thresholds[0] + thresholds[1]) / 2 if len(thresholds) > 1 else thresholds[0] - 0.01
        credit = credit_at(p, level)
        unit = w.window_name(self.a.objective(p.objective).window.unit, self.lang)
        x, c = w.percent(level, self.lang), w.percent(credit, self.lang)
        if self.a.fee is None:
            return self.t("example_nofee", o=p.objective, w=unit, x=x, c=c)
        fee = self.a.fee
        return self.t("example", o=p.objective, w=unit, x=x, c=c, f=w.money(fee.amount, fee.currency, self.lang),
                      a=w.money(credit * fee.amount, fee.currency, self.lang))  # fmt: skip

    def claims(self) -> list[Block]:
        blocks = []
        cl = self.a.claims
        if cl is not None:
            cal = (
                w.calendar_words(self.a.calendar(cl.calendar), self.lang)
                if cl.calendar != "24x7"
                else w.t("always", self.lang)
            )
            from_ = cl.from_field.replace("_", " ") if cl.from_field else self.t("the_event")
            f = w.duration_words(cl.file_within, self.lang) if cl.file_within else ""
            r = w.duration_words(cl.respond_within, self.lang) if cl.respond_within else ""
            key = "claims_policy" if f and r else "claims_file_only" if f else "claims_respond_only"
            blocks.append(Block("p", self.t(key, f=f, r=r, from_=from_, cal=cal)))
        d = self.c.disputes
        if d is not None:
            steps = tuple(
                self.text(s.text)
                + (f" ({self.t('within', d=w.duration_words(s.within, self.lang))})" if s.within else "")
                for s in d.steps
            )
            blocks += [Block("p", f"{self.t('steps')}:"), Block("steps", items=steps)]
            if d.escalation:
                contacts = tuple(", ".join(x for x in (e.name, e.role, e.contact) if x) for e in d.escalation)
                blocks += [Block("p", f"{self.t('escalation')}:"), Block("list", items=contacts)]
            if d.venue is not None:
                blocks.append(Block("p", f"{self.t('venue')}: {self.text(d.venue)}"))
        return blocks

    def termination(self) -> list[Block]:
        t = self.c.termination
        if t is None:
            return []
        blocks = [
            Block("p", f"{self.t('notice')}: {w.duration_words(t.notice, self.lang)}" if t.notice else ""),
            Block("p", f"{self.t('for_cause')}: {self.text(t.for_cause)}" if t.for_cause else ""),
        ]
        rights = []
        for r in t.rights:
            unit = w.window_name(self.a.objective(r.objective).window.unit, self.lang)
            party = self.t(r.party) if r.party in ("provider", "customer") else r.party
            rights.append(self.t("right", party=party if self.lang == "id" else party.lower(), o=r.objective,
                                 b=r.breached, n=r.of, w=unit))  # fmt: skip
        return [*blocks, Block("list", items=tuple(rights))]

    def review(self) -> list[Block]:
        blocks = []
        if self.a.review_every:
            blocks.append(Block("p", self.t("review_every", e=w.window_name(self.a.review_every, self.lang))))
        if self.c.change_procedure is not None:
            blocks.append(Block("p", f"{self.t('change_procedure')}: {self.text(self.c.change_procedure)}"))
        if self.c.change_notice is not None:
            blocks.append(
                Block("p", self.t("change_notice", d=w.duration_words(self.c.change_notice, self.lang)))
            )
        return blocks

    def signatures(self) -> list[Block]:
        rows = []
        signed = {s.party: s for s in self.a.signatures}
        for party in dict.fromkeys(("provider", "customer", *signed)):
            s = signed.get(party)
            label = self.t(party) if party in ("provider", "customer") else party
            if s is None:
                rows.append((label, BLANK, BLANK, BLANK, BLANK))
            else:
                date = s.signed_at.isoformat() if s.signed_at else BLANK
                rows.append((label, s.name, s.role or BLANK, date, "" if s.signed_at else BLANK))
        header = tuple(self.t(k) for k in ("agreement", "name", "role", "date", "signature"))
        header = (self.t("provider") + " / " + self.t("customer"), *header[1:])
        blocks = [Block("table", header=header, rows=tuple(rows))]
        if self.a.draft:
            blocks.insert(0, Block("p", self.t("draft_note")))
        return blocks


@cache
def _environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: resources.files("ukur.report").joinpath(f"templates/{name}").read_text(encoding="utf-8")
    )
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render_document_html(document: ContractDocument) -> str:
    """The document as one self-contained HTML page (inline CSS, A4 print layout with footer and DRAFT)."""
    return _environment().get_template("sla_document.html.j2").render(doc=document, zip=zip)


def render_document_pdf(document: ContractDocument) -> bytes:
    """The HTML document laid out on A4 by WeasyPrint; a :class:`~ukur.errors.UkurError` when it is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise UkurError(
            "PDF output needs the weasyprint package and the Pango library "
            f"(pip install weasyprint; Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}"
        ) from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = weasyprint.HTML(string=render_document_html(document), base_url=None).write_pdf()
    if pdf is None:
        raise UkurError("WeasyPrint produced no PDF")
    return bytes(pdf)
