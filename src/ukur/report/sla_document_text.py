"""Wording of the contract document in Bahasa Indonesia and English: labels, numbers, durations, calendars,
objectives as sentences a customer understands.

Numbers are formatted but never rounded beyond what the agreement wrote: a goal of 0.995 is "99.5 %"
(English) or "99,5 %" (Indonesian); money is "IDR 5,000,000" or "Rp5.000.000".
"""

from __future__ import annotations

import re

from ukur.sla import Agreement, BusinessCalendar, Duration, Objective, ObjectiveKind
from ukur.sla.maintenance import parse_rule

__all__ = [
    "LABELS",
    "calendar_words",
    "duration_words",
    "money",
    "objective_sentence",
    "percent",
    "rule_words",
    "t",
]

LABELS: dict[str, tuple[str, str]] = {
    # key: (id, en)
    "parties": ("Para Pihak", "The Parties"),
    "overview": ("Gambaran Umum Perjanjian", "Overview of the Agreement"),
    "services": ("Deskripsi Layanan", "Service Description"),
    "exclusions": ("Pengecualian", "Exclusions"),
    "objectives": ("Sasaran Tingkat Layanan", "Service Level Objectives"),
    "security": ("Standar Keamanan dan Kerahasiaan", "Security and Confidentiality"),
    "recovery": ("Pemulihan Bencana", "Disaster Recovery"),
    "reporting": ("Pelacakan dan Pelaporan Layanan", "Service Tracking and Reporting"),
    "penalties": ("Penalti dan Kompensasi", "Penalties and Compensation"),
    "claims": ("Klaim dan Penyelesaian Sengketa", "Claims and Dispute Resolution"),
    "termination": ("Pengakhiran", "Termination"),
    "review": ("Peninjauan dan Perubahan", "Review and Change"),
    "signatures": ("Tanda Tangan", "Signatures"),
    "provider": ("Penyedia", "Provider"),
    "customer": ("Pelanggan", "Customer"),
    "legal_name": ("Nama resmi", "Legal name"),
    "address": ("Alamat", "Address"),
    "representative": ("Diwakili oleh", "Represented by"),
    "contact": ("Kontak", "Contact"),
    "department": ("Departemen", "Department"),
    "agreement": ("Perjanjian", "Agreement"),
    "version": ("versi", "version"),
    "type": ("Jenis", "Type"),
    "customer_t": ("SLA pelanggan", "customer SLA"),
    "internal_t": ("SLA internal", "internal SLA"),
    "multilevel_t": ("SLA multilevel", "multilevel SLA"),
    "effective": ("Berlaku", "Effective"),
    "from_to": ("dari {a} sampai {b}", "from {a} to {b}"),
    "open_ended": ("sejak {a}", "from {a}"),
    "purpose": ("Tujuan", "Purpose"),
    "definitions": ("Definisi", "Definitions"),
    "term": ("Istilah", "Term"),
    "meaning": ("Arti", "Meaning"),
    "parent": (
        "Perjanjian ini adalah turunan dari perjanjian {p} dan mewarisi ketentuannya; yang diwarisi tanpa "
        "perubahan: {items}. Ketentuan yang dinyatakan ulang di sini hanya memperketat induknya.",
        "This agreement is a child of agreement {p} and inherits its terms; inherited unchanged: {items}. "
        "Terms restated here only tighten the parent's.",
    ),
    "nothing": ("tidak ada", "nothing"),
    "all_unrestated": ("semua ketentuan yang tidak dinyatakan ulang di sini", "every term not restated here"),
    "scope": ("Ruang lingkup", "Scope"),
    "support_hours": ("Jam layanan", "Support hours"),
    "channels": ("Saluran dukungan", "Support channels"),
    "maintenance": ("Pemeliharaan terencana", "Planned maintenance"),
    "maintenance_text": (
        "{rule}, masing-masing {d}, diumumkan {n} sebelumnya. Waktu ini dikecualikan dari {obj}.",
        "{rule}, {d} each, announced {n} ahead. This time is excluded from {obj}.",
    ),
    "all_objectives": ("semua sasaran", "all objectives"),
    "responsibilities": ("Tanggung jawab", "Responsibilities"),
    "calendar": ("Kalender", "Calendar"),
    "exclusion_windows": ("{n} jendela waktu, pertama {a}", "{n} time window(s), the first {a}"),
    "exclusion_when": ("catatan dengan {cond}", "records with {cond}"),
    "objective": ("Sasaran", "Objective"),
    "service": ("Layanan", "Service"),
    "measure": ("Ukuran", "Measure"),
    "target": ("Target waktu", "Target"),
    "goal": ("Target capaian", "Goal"),
    "window": ("Periode", "Window"),
    "confidentiality": ("Kerahasiaan", "Confidentiality"),
    "data_handling": ("Penanganan data", "Data handling"),
    "standards": ("Standar", "Standards"),
    "procedure": ("Prosedur", "Procedure"),
    "rto": ("Sasaran waktu pemulihan (RTO)", "Recovery time objective (RTO)"),
    "rpo": ("Sasaran titik pemulihan (RPO)", "Recovery point objective (RPO)"),
    "checked_by": ("Diperiksa dengan sasaran", "Checked by objective(s)"),
    "frequency": ("Frekuensi laporan", "Report frequency"),
    "recipients": ("Penerima", "Recipients"),
    "metrics": ("Sasaran yang dilaporkan", "Objectives reported"),
    "fee": ("Biaya layanan", "Service fee"),
    "per": ("per {p}", "per {p}"),
    "tiers": ("Kredit layanan untuk {o}", "Service credits for {o}"),
    "below": ("Capaian di bawah", "Compliance below"),
    "credit": ("Kredit (dari biaya)", "Credit (of the fee)"),
    "cap": ("Paling banyak {c} dari biaya.", "At most {c} of the fee."),
    "example": (
        "Contoh: bila capaian {o} dalam satu {w} adalah {x}, kreditnya {c} dari biaya {f} = {a}.",
        "Example: if {o} reaches {x} in a {w}, the credit is {c} of the fee {f} = {a}.",
    ),
    "example_nofee": (
        "Contoh: bila capaian {o} dalam satu {w} adalah {x}, kreditnya {c} dari biaya.",
        "Example: if {o} reaches {x} in a {w}, the credit is {c} of the fee.",
    ),
    "per_record_field": (
        "Setiap catatan {o} yang gagal diganti sebesar nilai kolom {f}{cap}.",
        "Every failed {o} record is compensated at the value of its field {f}{cap}.",
    ),
    "per_record_amount": (
        "Setiap catatan {o} yang gagal diganti sebesar {a}{cap}.",
        "Every failed {o} record is compensated with {a}{cap}.",
    ),
    "record_cap": (", paling banyak {c} per catatan", ", at most {c} per record"),
    "claims_policy": (
        "Klaim diajukan paling lambat {f} setelah {from_}, dan dijawab dalam {r} ({cal}).",
        "Claims are filed within {f} of {from_} and answered within {r} ({cal}).",
    ),
    "claims_file_only": (
        "Klaim diajukan paling lambat {f} setelah {from_} ({cal}).",
        "Claims are filed within {f} of {from_} ({cal}).",
    ),
    "claims_respond_only": ("Klaim dijawab dalam {r} ({cal}).", "Claims are answered within {r} ({cal})."),
    "the_event": ("kejadian", "the event"),
    "steps": ("Langkah", "Steps"),
    "within": ("paling lambat {d}", "within {d}"),
    "escalation": ("Kontak eskalasi", "Escalation contacts"),
    "venue": ("Forum penyelesaian", "Venue"),
    "notice": ("Pemberitahuan", "Notice period"),
    "for_cause": ("Pengakhiran karena pelanggaran", "Termination for cause"),
    "right": (
        "{party} berhak mengakhiri perjanjian bila sasaran {o} tidak tercapai dalam {b} dari {n} periode {w} terakhir.",
        "The {party} may terminate the agreement if objective {o} misses its goal in {b} of the last {n} {w} windows.",
    ),
    "review_every": ("Perjanjian ditinjau setiap {e}.", "The agreement is reviewed every {e}."),
    "change_procedure": ("Prosedur perubahan", "Change procedure"),
    "change_notice": (
        "Perubahan berlaku paling cepat {d} setelah disepakati.",
        "A change takes effect at least {d} after it is agreed.",
    ),
    "name": ("Nama", "Name"),
    "role": ("Jabatan", "Role"),
    "date": ("Tanggal", "Date"),
    "signature": ("Tanda tangan", "Signature"),
    "draft": ("DRAF", "DRAFT"),
    "draft_note": (
        "DRAF: perjanjian ini belum ditandatangani kedua pihak.",
        "DRAFT: this agreement has not been signed by both parties.",
    ),
    "footer": ("{id} · versi {v} · SHA-256 {h}", "{id} · version {v} · SHA-256 {h}"),
    "always": ("24 jam sehari, 7 hari seminggu", "24 hours a day, 7 days a week"),
    "closed_on": ("tutup pada {x}", "closed on {x}"),
    "holidays": (
        "hari libur {c} (kategori {k}; sumber: paket Python holidays)",
        "public holidays of {c} (categories {k}; source: the Python holidays package)",
    ),
    "and": ("dan", "and"),
    "none_listed": ("Tidak ada.", "None."),
}

WINDOWS = {
    "day": ("hari", "day"), "week": ("minggu", "week"), "month": ("bulan kalender", "calendar month"),
    "quarter": ("kuartal", "quarter"), "year": ("tahun", "year"), "half-year": ("semester", "half-year"),
}  # fmt: skip
DAY_NAMES = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
UNITS = {
    "s": ("detik", "second"), "m": ("menit", "minute"), "h": ("jam", "hour"), "d": ("hari", "day"),
}  # fmt: skip
STREAMS = {
    "shipments": ("kiriman", "shipments"), "tickets": ("tiket", "tickets"), "calls": ("panggilan", "calls"),
    "incidents": ("insiden", "incidents"), "restores": ("pemulihan", "restores"), "changes": ("perubahan", "changes"),
    "outages": ("gangguan", "outages"),
}  # fmt: skip
VERBS = {
    "delivered": "diantar", "picked up": "dijemput", "created": "dibuat", "resolved": "diselesaikan",
    "answered": "dijawab", "responded": "ditanggapi", "opened": "dibuka", "queued": "masuk antrean",
    "requested": "diminta", "completed": "selesai", "started": "dimulai", "ended": "berakhir", "closed": "ditutup",
    "first response": "mendapat respons pertama", "first responded": "ditanggapi pertama kali",
}  # fmt: skip
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_UNIT_OF = {"s": "s", "sec": "s", "second": "s", "seconds": "s", "detik": "s", "m": "m", "min": "m",
            "minute": "m", "minutes": "m", "menit": "m", "h": "h", "hr": "h", "hour": "h", "hours": "h",
            "jam": "h", "d": "d", "day": "d", "days": "d", "hari": "d"}  # fmt: skip


def t(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang`` (``id`` or ``en``) with ``values`` filled in."""
    text = LABELS[key][0 if lang == "id" else 1]
    return text.format(**values) if values else text


def number(x: float, lang: str) -> str:
    """A number as written (no trailing zeros), with the language's decimal mark."""
    text = f"{round(x, 6):,.6f}".rstrip("0").rstrip(".")
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def percent(x: float, lang: str) -> str:
    """A share as a percentage: 0.995 → ``99.5 %`` / ``99,5 %``."""
    return f"{number(x * 100, lang)} %"


def money(amount: float, currency: str, lang: str) -> str:
    """``IDR 5,000,000`` (en) or ``Rp5.000.000`` (id)."""
    text = number(amount, lang)
    return f"Rp{text}" if lang == "id" and currency == "IDR" else f"{currency} {text}"


def duration_words(d: Duration, lang: str) -> str:
    """``24h`` → ``24 hours`` / ``24 jam``; ``3 business days`` → ``3 working days`` / ``3 hari kerja``."""
    if d.seconds is None and d.business_days is not None:
        n = d.business_days
        return f"{n} hari kerja" if lang == "id" else f"{n} working day{'s' if n != 1 else ''}"
    parts = []
    for amount, unit in _PART.findall(d.text.lower()):
        key = _UNIT_OF.get(unit)
        if key is None:
            return d.text
        value = float(amount)
        word = UNITS[key][0 if lang == "id" else 1]
        plural = "" if lang == "id" or value == 1 else "s"
        parts.append(f"{number(value, lang)} {word}{plural}")
    return " ".join(parts) or d.text


def _days(lang: str, days: list[int]) -> str:
    names = DAY_NAMES[lang]
    return (
        f"{names[days[0]]}–{names[days[-1]]}"
        if len(days) > 2
        else f" {t('and', lang)} ".join(names[d] for d in days)
    )


def calendar_words(cal: BusinessCalendar, lang: str) -> str:
    """Opening hours, holidays and closed days in words, consecutive days with the same hours grouped."""
    if cal.always:
        return t("always", lang)
    groups: list[tuple[list[int], tuple[tuple[int, int], ...]]] = []
    for w in range(7):
        if groups and groups[-1][1] == cal.hours[w] and groups[-1][0][-1] == w - 1:
            groups[-1][0].append(w)
        else:
            groups.append(([w], cal.hours[w]))
    parts, closed = [], []
    for days, spans in groups:
        if not spans:
            closed.append(_days(lang, days))
            continue
        hours = f" {t('and', lang)} ".join(f"{a // 3600:02d}:{a % 3600 // 60:02d}–{b // 3600:02d}:{b % 3600 // 60:02d}"
                                           for a, b in spans)  # fmt: skip
        parts.append(f"{_days(lang, days)} {hours}")
    if cal.holiday_country:
        closed.append(t("holidays", lang, c=cal.holiday_country, k=", ".join(cal.holiday_categories)))
    closed += [d.isoformat() for d, _ in cal.closed]
    text = "; ".join(parts) + f" ({cal.timezone})"
    return text + ("; " + t("closed_on", lang, x=", ".join(closed)) if closed else "")


def rule_words(rule: str, lang: str) -> str:
    """``FREQ=MONTHLY;BYDAY=1SU;BYHOUR=1`` → ``the first Sunday of every month at 01:00``."""
    r = parse_rule(rule)
    names = DAY_NAMES[lang]
    at = f"{r.hour:02d}:{r.minute:02d}"
    ordinals = {"en": {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"},
                "id": {1: "pertama", 2: "kedua", 3: "ketiga", 4: "keempat", 5: "kelima", -1: "terakhir"}}  # fmt: skip
    every = "" if r.interval == 1 else f" {r.interval}"
    if r.freq == "DAILY":
        return f"Setiap{every} hari pukul {at}" if lang == "id" else f"Every{every} day(s) at {at}"
    if r.freq == "WEEKLY":
        days = f" {t('and', lang)} ".join(names[d] for _, d in r.days)
        return f"Setiap {days}{every and f' (tiap{every} minggu)'} pukul {at}" if lang == "id" else (
            f"Every {days}{every and f' (every{every} weeks)'} at {at}")  # fmt: skip
    days = f" {t('and', lang)} ".join(
        (f"{names[d]} {ordinals['id'][o]}" if lang == "id" else f"the {ordinals['en'][o]} {names[d]}")
        if o is not None
        else names[d]
        for o, d in r.days
    )
    return f"{days[0].upper() + days[1:]} setiap bulan pukul {at}" if lang == "id" else (
        f"{days[0].upper() + days[1:]} of every{every} month at {at}")  # fmt: skip


def _event(field: str) -> str:
    words = re.sub(r"_(at|time|ts|on)$", "", field).replace("_", " ").strip()
    return words


def _stream(name: str, lang: str) -> str:
    return STREAMS.get(name, (name, name))[0 if lang == "id" else 1]


def objective_sentence(agreement: Agreement, o: Objective, lang: str) -> str:
    """One objective as a sentence, e.g. "95 % of shipments in each calendar month are delivered within
    24 hours of being picked up." Targets per key, business calendars and pauses are spelled out."""
    goal = percent(o.goal, lang)
    window = WINDOWS.get(o.window.unit, (o.window.text, o.window.text))[0 if lang == "id" else 1]
    if o.window.unit == "rolling":
        window = f"{o.window.days} hari terakhir" if lang == "id" else f"rolling {o.window.days} days"
    records = _stream(o.records, lang)
    each = f"dalam setiap {window}" if lang == "id" else f"in each {window}"
    if o.kind is ObjectiveKind.AVAILABILITY:
        if lang == "id":
            return f"Layanan {o.service} tersedia sedikitnya {goal} dari waktu layanan {each}, dihitung dari catatan {records}."
        return f"The {o.service} service is available at least {goal} of its service time {each}, measured from {records} records."
    if o.kind is ObjectiveKind.RATIO:
        cond = "; ".join(f"{k} = {', '.join(map(str, v)).lower()}" for k, v in o.good_when)
        if lang == "id":
            return f"{goal} {records} {each} memenuhi syarat {cond}."
        return f"{goal} of {records} {each} meet the condition {cond}."
    start, stop = (_event(f) for f in o.clock())
    assert o.target is not None
    if o.target.by is None and o.target.default is not None:
        target = duration_words(o.target.default, lang)
    else:
        other = "lainnya" if lang == "id" else "others"
        items = [f"{k if k is not None else other} {duration_words(d, lang)}" for k, d in o.target.items()]
        target = (f"waktu menurut {o.target.by} ({'; '.join(items)})" if lang == "id"
                  else f"the time set by their {o.target.by} ({'; '.join(items)})")  # fmt: skip
    extra = ""
    if o.calendar != "24x7":
        extra += (
            f", dihitung pada kalender {o.calendar}"
            if lang == "id"
            else f", counted on the {o.calendar} calendar"
        )
    if o.pause_when:
        statuses = ", ".join(o.pause_when)
        extra += (
            f", jam berhenti selama status {statuses}"
            if lang == "id"
            else f", the clock paused while {statuses}"
        )
    if lang == "id":
        return f"{goal} {records} {each} {VERBS.get(stop, stop)} dalam {target} sejak {VERBS.get(start, start)}{extra}."
    verb = f"are {stop}" if stop.endswith("ed") else f"get their {stop}"
    return f"{goal} of {records} {each} {verb} within {target} of being {start}{extra}."


def window_name(unit: str, lang: str) -> str:
    """``month`` → ``calendar month`` / ``bulan kalender``."""
    return WINDOWS.get(unit, (unit, unit))[0 if lang == "id" else 1]
