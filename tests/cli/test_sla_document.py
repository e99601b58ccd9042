"""``ukur sla document``: every format and language is written; a child's parent is found; mistakes exit 2
and write nothing."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import docx
import pytest

from ukur.cli.main import run
from ukur.sla.diff import content_hash
from ukur.sla.template import render_template

EXAMPLES = Path(__file__).parents[2] / "examples" / "sla"


@pytest.fixture
def agreement(tmp_path: Path) -> Path:
    path = tmp_path / "courier.yaml"
    path.write_text(
        render_template("courier", type="customer", lang="id", effective_from=date(2027, 1, 1)),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("suffix", [".html", ".docx", ".pdf"])
@pytest.mark.parametrize("lang", ["id", "en", "bilingual"])
def test_document_is_written_in_every_format_and_language(agreement, tmp_path, capsys, suffix, lang):
    if suffix == ".pdf":
        pytest.importorskip("weasyprint")
    out = tmp_path / f"agreement{suffix}"
    assert run(["sla", "document", str(agreement), "--lang", lang, "--output", str(out)]) == 0
    data = out.read_bytes()
    digest = content_hash(agreement.read_text(encoding="utf-8"))
    if suffix == ".html":
        assert digest in data.decode("utf-8")
    elif suffix == ".docx":
        assert digest in docx.Document(io.BytesIO(data)).sections[0].footer.paragraphs[0].text
    else:
        assert data[:5] == b"%PDF-"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_child_document_finds_its_parent_next_to_it(tmp_path, capsys):
    for name in ("kilat-corporate.yaml", "kilat-gold.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    out = tmp_path / "gold.html"
    assert run(["sla", "document", str(tmp_path / "kilat-gold.yaml"), "--lang", "en", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "child of agreement kilat-corporate" in page and "DRAFT" not in page


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--output", "agreement.odt"], "cannot tell the document format"),
        (["--output", "agreement.html", "--lang", "fr"], "fr"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(agreement, tmp_path, capsys, argv, message):
    argv = [a if not a.startswith("agreement.") else str(tmp_path / a) for a in argv]
    assert run(["sla", "document", str(agreement), *argv]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["courier.yaml"]


def test_invalid_agreement_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ukur: sla/v1\nid: bad\n", encoding="utf-8")
    assert run(["sla", "document", str(bad), "--output", str(tmp_path / "bad.html")]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "bad.html").exists()
