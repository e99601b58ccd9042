"""The CLI's shared file helpers: located read errors, atomic writes with ordinary permissions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ukur.cli.files import read_text, write_atomic
from ukur.errors import DataError


def test_read_text_drops_the_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "model.txt"
    path.write_bytes("\ufeffA =~ a1".encode())
    assert read_text(path, "model") == "A =~ a1"


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "model file not found"), (b"\xff\xfe\x00A", "model file is not UTF-8 text")],
)
def test_read_text_names_the_file(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "model.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError) as raised:
        read_text(path, "model")
    assert raised.value.message == message
    assert raised.value.source == str(path)


def test_write_atomic_replaces_the_file_with_ordinary_permissions(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("old")
    write_atomic(path, "new ✓\n")
    assert path.read_text(encoding="utf-8") == "new ✓\n"
    write_atomic(path, b"\x00bytes")
    assert path.read_bytes() == b"\x00bytes"
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_atomic_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.html"
    path.write_text("old")

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_atomic_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="the output folder does not exist"):
        write_atomic(tmp_path / "no" / "report.html", "x")
