"""Words and number formats of the SLA report, in English and Bahasa Indonesia.

The engine never formats: shares are fractions, amounts plain floats, instants naive UTC. This module
writes them the way each language does: English ``IDR 10,000,000`` and ``95.2 %``; Indonesian
``Rp 10.000.000`` and ``95,2 %`` (decimal comma, dot thousands, as in Indonesian invoices and reports).
Instants are shown in the agreement's timezone. :meth:`SLAText.t` raises ``KeyError`` for an unknown
label so that a new label cannot silently fall back to the other language (a test checks that both
languages define the same keys).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ukur.errors import SpecError

__all__ = ["LANGS", "MESSAGES", "SLAText", "sla_text"]

LANGS = ("en", "id")

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"),
}  # fmt: skip

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "Service level report",
        "period": "Period {period}",
        "period_all": "All records",
        "as_of": "Evaluated at {time} ({tz})",
        "draft": "DRAFT",
        "draft_note": "This agreement is not signed by both parties: it is a draft and binds no one yet.",
        "signed_note": "Signed by both parties.",
        "sec_agreement": "Agreement",
        "sec_compliance": "Compliance per objective",
        "sec_breaches": "Breaches",
        "sec_exclusions": "Exclusions applied",
        "sec_credits": "Credits and compensation owed",
        "sec_claims": "Claims",
        "sec_review": "Review",
        "sec_notes": "Notes",
        "tab_summary": "Agreement",
        "tab_services": "Services",
        "tab_signatures": "Signatures",
        "tab_compliance": "Compliance in {period}",
        "tab_breaches": "Breached records",
        "tab_invalid": "Invalid records",
        "tab_exclusions": "Exclusions",
        "tab_credits": "Credits owed",
        "tab_claims_windows": "Claim handling per month",
        "tab_claims": "Claims",
        "tab_review": "Review",
        "tab_history": "Last windows",
        "fig_chart": "Compliance of {objective} over the last {n} windows (goal {goal})",
        "chart_goal": "goal",
        "chart_none": "no decided record",
        "f_id": "Id",
        "f_title": "Title",
        "f_type": "Type",
        "f_version": "Version",
        "f_provider": "Provider",
        "f_customer": "Customer",
        "f_parents": "Inherits from",
        "f_effective": "Effective",
        "f_timezone": "Time zone",
        "f_fee": "Fee",
        "f_status": "Status",
        "signed": "signed",
        "unsigned": "not signed",
        "per_month": "per month",
        "per_day": "per day",
        "per_week": "per week",
        "per_quarter": "per quarter",
        "per_year": "per year",
        "c_service": "Service",
        "c_description": "Description",
        "c_party": "Party",
        "c_name": "Name",
        "c_role": "Role",
        "c_signed_at": "Signed on",
        "c_objective": "Objective",
        "c_kind": "Kind",
        "c_window": "Window",
        "c_target": "Target",
        "c_total": "Records",
        "c_met": "Met",
        "c_breached": "Breached",
        "c_at_risk": "At risk",
        "c_open": "Open",
        "c_excluded": "Excluded",
        "c_invalid": "Invalid",
        "c_compliance": "Compliance",
        "c_goal": "Goal",
        "c_ok": "Goal met",
        "c_budget": "Budget left",
        "c_credit": "Credit owed",
        "c_record": "Record",
        "c_start": "Start",
        "c_stop": "Stop",
        "c_counted": "Counted time",
        "c_reason": "Reason",
        "c_compensation": "Compensation",
        "c_exclusion": "Exclusion",
        "c_rule": "Rule",
        "c_records_excluded": "Records excluded",
        "c_objectives": "Objectives affected",
        "c_tier": "Tier applied",
        "c_credit_percent": "Credit (% of fee)",
        "c_records": "Records",
        "c_fee": "Fee",
        "c_amount": "Amount",
        "c_final": "Final",
        "c_claim": "Claim",
        "c_claim_type": "Type",
        "c_claim_amount": "Amount claimed",
        "c_filed_at": "Filed",
        "c_filed_in_time": "Filed in time",
        "c_respond_deadline": "Answer due",
        "c_responded_at": "Answered",
        "c_response": "Handling",
        "c_filed_late": "Filed late",
        "c_on_time": "On time",
        "c_late": "Late",
        "c_overdue": "Overdue",
        "c_item": "Item",
        "c_current": "In the period",
        "c_value": "Value",
        "kind_duration": "duration",
        "kind_ratio": "ratio",
        "kind_availability": "availability",
        "kind_tier": "service credit",
        "kind_per_record": "per-record compensation",
        "resp_on_time": "answered in time",
        "resp_late": "answered late",
        "resp_open": "open",
        "resp_overdue": "overdue",
        "resp_invalid": "invalid",
        "yes": "yes",
        "no": "no",
        "not_yet": "not yet",
        "total": "Total",
        "tier_text": "below {below} → {credit}",
        "tier_capped": "{tier}, capped at {cap}",
        "why_duration": "over by {over} (target {target})",
        "why_open": "not finished by the deadline {deadline}; {counted} counted so far",
        "why_ratio": "{condition}",
        "why_down": "down {counted}",
        "cond": "{field} is not {values}",
        "cond_is": "{field} is {values}",
        "rule_windows": "time windows: {windows}",
        "rule_when": "records where {conditions}",
        "all_objectives": "all objectives",
        "window_time": "Time inside exclusion windows, not counted: {time} on {n} record(s).",
        "review_every": "Review cycle",
        "review_next": "Next review",
        "review_end": "Agreement ends",
        "review_reason_cycle": "every {every} from {start}",
        "review_reason_end": "the agreement ends before the next cycle date",
        "review_none": "The agreement sets no review cycle.",
        "every_month": "month",
        "every_quarter": "quarter",
        "every_half-year": "half-year",
        "every_year": "year",
        "none_breached": "No record breached its objective in this period.",
        "none_windows": "No record falls in this period (yet).",
        "none_excluded": "No exclusion applied in this period.",
        "none_credits": "Nothing is owed for this period.",
        "none_claims": "No claim was filed in this period.",
        "total_owed": "Total owed: {amount}",
        "more_rows": "… and {n} more rows (all rows are in the XLSX report).",
        "generated": "Generated by ukur from {source}. Times are local to {tz}.",
        "error": "error",
        "note": "note",
    },
    "id": {
        "title": "Laporan tingkat layanan",
        "period": "Periode {period}",
        "period_all": "Semua catatan",
        "as_of": "Dievaluasi pada {time} ({tz})",
        "draft": "DRAF",
        "draft_note": "Perjanjian ini belum ditandatangani kedua pihak: masih draf dan belum mengikat.",
        "signed_note": "Ditandatangani kedua pihak.",
        "sec_agreement": "Perjanjian",
        "sec_compliance": "Kepatuhan per sasaran",
        "sec_breaches": "Pelanggaran",
        "sec_exclusions": "Pengecualian yang diterapkan",
        "sec_credits": "Kredit dan kompensasi terutang",
        "sec_claims": "Klaim",
        "sec_review": "Peninjauan",
        "sec_notes": "Catatan",
        "tab_summary": "Perjanjian",
        "tab_services": "Layanan",
        "tab_signatures": "Tanda tangan",
        "tab_compliance": "Kepatuhan pada {period}",
        "tab_breaches": "Catatan yang melanggar",
        "tab_invalid": "Catatan tidak valid",
        "tab_exclusions": "Pengecualian",
        "tab_credits": "Kredit terutang",
        "tab_claims_windows": "Penanganan klaim per bulan",
        "tab_claims": "Klaim",
        "tab_review": "Peninjauan",
        "tab_history": "Jendela terakhir",
        "fig_chart": "Kepatuhan {objective} pada {n} jendela terakhir (sasaran {goal})",
        "chart_goal": "sasaran",
        "chart_none": "tidak ada catatan yang selesai",
        "f_id": "Id",
        "f_title": "Judul",
        "f_type": "Jenis",
        "f_version": "Versi",
        "f_provider": "Penyedia",
        "f_customer": "Pelanggan",
        "f_parents": "Turunan dari",
        "f_effective": "Berlaku",
        "f_timezone": "Zona waktu",
        "f_fee": "Biaya",
        "f_status": "Status",
        "signed": "ditandatangani",
        "unsigned": "belum ditandatangani",
        "per_month": "per bulan",
        "per_day": "per hari",
        "per_week": "per minggu",
        "per_quarter": "per triwulan",
        "per_year": "per tahun",
        "c_service": "Layanan",
        "c_description": "Uraian",
        "c_party": "Pihak",
        "c_name": "Nama",
        "c_role": "Jabatan",
        "c_signed_at": "Tanggal tanda tangan",
        "c_objective": "Sasaran",
        "c_kind": "Jenis",
        "c_window": "Jendela",
        "c_target": "Target",
        "c_total": "Catatan",
        "c_met": "Terpenuhi",
        "c_breached": "Dilanggar",
        "c_at_risk": "Berisiko",
        "c_open": "Berjalan",
        "c_excluded": "Dikecualikan",
        "c_invalid": "Tidak valid",
        "c_compliance": "Kepatuhan",
        "c_goal": "Sasaran",
        "c_ok": "Sasaran tercapai",
        "c_budget": "Sisa anggaran",
        "c_credit": "Kredit terutang",
        "c_record": "Catatan",
        "c_start": "Mulai",
        "c_stop": "Selesai",
        "c_counted": "Waktu terhitung",
        "c_reason": "Alasan",
        "c_compensation": "Kompensasi",
        "c_exclusion": "Pengecualian",
        "c_rule": "Aturan",
        "c_records_excluded": "Catatan dikecualikan",
        "c_objectives": "Sasaran terdampak",
        "c_tier": "Tingkat yang berlaku",
        "c_credit_percent": "Kredit (% biaya)",
        "c_records": "Catatan",
        "c_fee": "Biaya",
        "c_amount": "Jumlah",
        "c_final": "Final",
        "c_claim": "Klaim",
        "c_claim_type": "Jenis",
        "c_claim_amount": "Nilai klaim",
        "c_filed_at": "Diajukan",
        "c_filed_in_time": "Diajukan tepat waktu",
        "c_respond_deadline": "Batas jawaban",
        "c_responded_at": "Dijawab",
        "c_response": "Penanganan",
        "c_filed_late": "Terlambat diajukan",
        "c_on_time": "Tepat waktu",
        "c_late": "Terlambat",
        "c_overdue": "Lewat batas",
        "c_item": "Butir",
        "c_current": "Dalam periode",
        "c_value": "Nilai",
        "kind_duration": "durasi",
        "kind_ratio": "rasio",
        "kind_availability": "ketersediaan",
        "kind_tier": "kredit layanan",
        "kind_per_record": "kompensasi per catatan",
        "resp_on_time": "dijawab tepat waktu",
        "resp_late": "dijawab terlambat",
        "resp_open": "berjalan",
        "resp_overdue": "lewat batas",
        "resp_invalid": "tidak valid",
        "yes": "ya",
        "no": "tidak",
        "not_yet": "belum",
        "total": "Jumlah",
        "tier_text": "di bawah {below} → {credit}",
        "tier_capped": "{tier}, dibatasi {cap}",
        "why_duration": "lewat {over} (target {target})",
        "why_open": "belum selesai pada batas waktu {deadline}; {counted} terhitung sejauh ini",
        "why_ratio": "{condition}",
        "why_down": "padam {counted}",
        "cond": "{field} bukan {values}",
        "cond_is": "{field} bernilai {values}",
        "rule_windows": "jendela waktu: {windows}",
        "rule_when": "catatan dengan {conditions}",
        "all_objectives": "semua sasaran",
        "window_time": "Waktu di dalam jendela pengecualian, tidak dihitung: {time} pada {n} catatan.",
        "review_every": "Siklus peninjauan",
        "review_next": "Peninjauan berikutnya",
        "review_end": "Perjanjian berakhir",
        "review_reason_cycle": "setiap {every} sejak {start}",
        "review_reason_end": "perjanjian berakhir sebelum tanggal siklus berikutnya",
        "review_none": "Perjanjian tidak menetapkan siklus peninjauan.",
        "every_month": "bulan",
        "every_quarter": "triwulan",
        "every_half-year": "semester",
        "every_year": "tahun",
        "none_breached": "Tidak ada catatan yang melanggar sasarannya pada periode ini.",
        "none_windows": "Belum ada catatan pada periode ini.",
        "none_excluded": "Tidak ada pengecualian yang diterapkan pada periode ini.",
        "none_credits": "Tidak ada yang terutang untuk periode ini.",
        "none_claims": "Tidak ada klaim yang diajukan pada periode ini.",
        "total_owed": "Jumlah terutang: {amount}",
        "more_rows": "… dan {n} baris lagi (semua baris ada di laporan XLSX).",
        "generated": "Dibuat oleh ukur dari {source}. Waktu dalam zona {tz}.",
        "error": "galat",
        "note": "catatan",
    },
}

_CURRENCY = {"id": {"IDR": "Rp"}, "en": {}}


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and not math.isfinite(value)


@dataclass(frozen=True, slots=True)
class SLAText:
    """Labels and formats for one language; ``timezone`` is where instants are shown."""

    code: str
    timezone: str = "UTC"

    def t(self, key: str, **values: Any) -> str:
        """The label ``key`` with ``{placeholders}`` filled in."""
        text = MESSAGES[self.code][key]
        return text.format(**values) if values else text

    def num(self, value: Any, digits: int = 0) -> str:
        """``1,234.5`` (en) or ``1.234,5`` (id); an em dash for a missing value."""
        if _missing(value):
            return "—"
        text = f"{float(value):,.{digits}f}"
        if text.startswith("-") and float(value) > -(0.5 * 10**-digits):
            text = text[1:]
        if self.code == "id":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text

    def pct(self, fraction: Any, digits: int = 1) -> str:
        """A fraction as a percentage with a space before the sign: ``95.2 %`` / ``95,2 %``."""
        return "—" if _missing(fraction) else f"{self.num(100.0 * float(fraction), digits)} %"

    def goal(self, fraction: Any) -> str:
        """A goal or threshold as written in agreements: no trailing zeros (``99.5 %``, ``95 %``)."""
        if _missing(fraction):
            return "—"
        text = f"{100.0 * float(fraction):.4f}".rstrip("0").rstrip(".")
        return f"{text.replace('.', ',') if self.code == 'id' else text} %"

    def money(self, amount: Any, currency: str | None) -> str:
        """``Rp 10.000.000`` (id) or ``IDR 10,000,000`` (en)."""
        if _missing(amount):
            return "—"
        code = currency or ""
        symbol = _CURRENCY[self.code].get(code, code)
        return f"{symbol} {self.num(amount, 0)}".strip()

    def yes_no(self, value: Any) -> str:
        return "—" if _missing(value) else self.t("yes" if bool(value) else "no")

    def day(self, value: date | None) -> str:
        """``1 January 2027`` / ``1 Januari 2027``."""
        if value is None:
            return "—"
        return f"{value.day} {_MONTHS[self.code][value.month - 1]} {value.year}"

    def local(self, instant: Any) -> pd.Timestamp | None:
        """A naive UTC instant as naive local time in :attr:`timezone` (``None`` when missing)."""
        if _missing(instant):
            return None
        return pd.Timestamp(instant).tz_localize("UTC").tz_convert(self.timezone).tz_localize(None)

    def time(self, instant: Any) -> str:
        """A naive UTC instant written in local time: ``2026-02-04 10:31``."""
        local = self.local(instant)
        return "—" if local is None else local.strftime("%Y-%m-%d %H:%M")

    def duration(self, seconds: Any) -> str:
        """``2 h 5 min`` / ``2 jam 5 mnt``, ``1 d 4 h`` / ``1 hari 4 jam`` (zero parts left out)."""
        if _missing(seconds):
            return "—"
        minutes = round(float(seconds) / 60.0)
        days, rest = divmod(minutes, 1440)
        hours, mins = divmod(rest, 60)
        units = ("hari", "jam", "mnt") if self.code == "id" else ("d", "h", "min")
        parts = [f"{k} {u}" for k, u in zip((days, hours, mins), units, strict=True) if k]
        return " ".join(parts) or f"0 {units[2]}"


def sla_text(code: str, *, timezone: str = "UTC") -> SLAText:
    """The :class:`SLAText` for ``en`` or ``id``; a :class:`SpecError` for any other language."""
    if code not in LANGS:
        raise SpecError(f"unknown report language '{code}' (choose {' or '.join(LANGS)})", field="lang")
    return SLAText(code, timezone)
