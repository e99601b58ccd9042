"""``ukur sla report``: HTML/XLSX/PDF of the courier example for one period; the page's numbers equal
``ukur sla evaluate --format json`` with the same arguments; user mistakes exit 2 without a traceback."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ukur.cli.main import run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sla"
GOLD = str(EXAMPLES / "kilat-gold.yaml")
RECORDS = [
    *("--records", f"shipments={EXAMPLES / 'shipments.csv'}"),
    *("--records", f"tickets={EXAMPLES / 'tickets.csv'}"),
    *("--records", f"outages={EXAMPLES / 'outages.csv'}"),
    *("--status-history", f"tickets={EXAMPLES / 'ticket_history.csv'}"),
    *("--claims", str(EXAMPLES / "claims.csv")),
    *("--as-of", "2026-03-31T18:00"),
]


def _has_weasyprint() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".pdf"])
def test_writes_each_format(tmp_path, capsys, suffix):
    if suffix == ".pdf" and not _has_weasyprint() and os.environ.get("CI") != "true":
        pytest.skip("needs weasyprint and Pango (.ci/pdf.sh)")
    out = tmp_path / f"report{suffix}"
    assert run(["sla", "report", GOLD, *RECORDS, "--period", "2026-03", "--lang", "id", "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().err
    data = out.read_bytes()
    if suffix == ".html":
        text = data.decode("utf-8")
        assert text.startswith("<!DOCTYPE html>") and 'lang="id"' in text
        assert text.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4  # one chart per objective
        # Effective from 2026-01: the charts show January to March, March (the period) in bold.
        assert re.findall(r'data-window="([^"]+)"', text)[:3] == ["2026-01", "2026-02", "2026-03"]
    elif suffix == ".xlsx":
        assert "Kepatuhan pada 2026-03" in load_workbook(io.BytesIO(data)).sheetnames
    else:
        assert data[:5] == b"%PDF-"
    assert not list(tmp_path.glob(".*.tmp"))
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_report_numbers_equal_the_evaluate_json(tmp_path, capsys):
    page = tmp_path / "report.html"
    assert run(["sla", "report", GOLD, *RECORDS, "--period", "2026-02", "-o", str(page)]) == 0
    assert run(["sla", "evaluate", GOLD, *RECORDS, "--period", "2026-02", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    html = page.read_text(encoding="utf-8")
    table = re.search(r'<table id="tab-compliance".*?</table>', html, re.S)
    assert table is not None
    cells = re.findall(r'<td data-key="compliance"[^>]*data-value="([^"]+)"', table.group(0))
    assert [float(c) for c in cells] == [w["compliance"] for w in result["windows"]]
    credits = re.search(r'<table id="tab-credits".*?</table>', html, re.S)
    assert credits is not None
    amounts = re.findall(r'<td data-key="amount"[^>]*data-value="([^"]+)"', credits.group(0))
    assert [float(a) for a in amounts] == [c["amount"] for c in result["credits"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([GOLD, *RECORDS, "--period", "2026-02", "-o", "report.docx"], "cannot tell the report format"),
        ([GOLD, "--period", "2026-02", "-o", "report.html"], "give the record files with --records"),
        ([GOLD, "--records", f"parcels={EXAMPLES / 'shipments.csv'}", "--period", "2026-02", "-o", "r.html"],
         "no objective reads stream(s) parcels"),
        ([GOLD, *RECORDS, "--period", "2026-13", "-o", "report.html"], "period"),
        ([GOLD, *RECORDS, "--period", "2026-02", "--lang", "jv", "-o", "report.html"], "jv"),
        ([str(EXAMPLES / "missing.yaml"), *RECORDS, "--period", "2026-02", "-o", "report.html"], "missing.yaml"),
    ],
)  # fmt: skip
def test_user_mistakes_exit_2_without_traceback(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert run(["sla", "report", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing written
