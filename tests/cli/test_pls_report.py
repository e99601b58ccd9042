"""``ukur pls report``: writes HTML/XLSX/DOCX for the demo study; user mistakes exit 2 with one line."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ukur.cli.main import run

DEMO = Path(__file__).resolve().parents[2] / "examples" / "umkm-pamulang"
ARGS = [str(DEMO / "model.txt"), str(DEMO / "data.csv")]
BOOT = ["--bootstrap", "60", "--seed", "3", "--hypotheses", str(DEMO / "hypotheses.txt")]


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".docx"])
def test_writes_each_format(tmp_path, capsys, suffix):
    out = tmp_path / f"report{suffix}"
    assert run(["pls", "report", *ARGS, *BOOT, "--lang", "id", "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().err
    data = out.read_bytes()
    if suffix == ".html":
        text = data.decode("utf-8")
        assert text.startswith("<!DOCTYPE html>") and 'lang="id"' in text
        assert 'data-table="hypotheses"' in text and text.count("<svg") == 2
        assert "Uraian hasil" in text
    elif suffix == ".xlsx":
        wb = load_workbook(io.BytesIO(data))
        assert {"outer", "boot_paths", "hypotheses", "Warnings", "Written"} <= set(wb.sheetnames)
    else:
        from docx import Document

        assert len(Document(io.BytesIO(data)).tables) >= 12
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed, not left behind
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_without_bootstrap_has_no_bootstrap_section(tmp_path):
    out = tmp_path / "r.html"
    assert run(["pls", "report", *ARGS, "--lang", "en", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert 'data-table="paths"' in text and 'data-table="boot_paths"' not in text
    assert text.count("<svg") == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "r.pdf"], "unknown report format '.pdf'"),
        (["-o", "r.html", "--profile", "Umur"], "profile column 'Umur' is not in the data"),
        (["-o", "r.html", "--hypotheses", str(DEMO / "hypotheses.txt")], "--hypotheses needs a bootstrap"),
        (["-o", "no/such/dir/r.html"], "the output folder does not exist"),
    ],
)
def test_user_errors_exit_2(tmp_path, monkeypatch, capsys, extra, message):
    monkeypatch.chdir(tmp_path)
    assert run(["pls", "report", *ARGS, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.glob("r.*"))


def test_missing_model_file_exits_2(tmp_path, capsys):
    assert run(["pls", "report", str(tmp_path / "none.txt"), ARGS[1], "-o", str(tmp_path / "r.html")]) == 2
    assert "model file not found" in capsys.readouterr().err
