"""Atomic writes: a failed or interrupted write never leaves a half file or a temp file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counsel.leaflet import render
from counsel.leaflet.errors import LeafletError
from counsel.leaflet.output import write_atomic
from counsel.services.leaflet import LeafletOptions, write_leaflet
from tests.conftest import TODAY, counsel_for


@pytest.fixture
def target(tmp_path: Path) -> Path:
    out = tmp_path / "leaflet.pdf"
    out.write_bytes(b"old leaflet")
    return out


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_replaces_the_target(target: Path) -> None:
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert _only(target.parent) == ["leaflet.pdf"]


def test_failed_fsync_leaves_old_file_and_no_temp(target: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(LeafletError, match="cannot write"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old leaflet"
    assert _only(target.parent) == ["leaflet.pdf"]


def test_interrupt_before_rename_leaves_old_file_and_no_temp(
        target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new" * 100_000)
    assert target.read_bytes() == b"old leaflet"
    assert _only(target.parent) == ["leaflet.pdf"]


def test_failing_render_writes_nothing(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(render, "html_to_pdf", broken)
    html = target.parent / "leaflet.html"
    with pytest.raises(RuntimeError):
        write_leaflet(counsel_for(), LeafletOptions(), target, today=TODAY, html_out=html)
    assert target.read_bytes() == b"old leaflet"
    assert _only(target.parent) == ["leaflet.pdf"]


def test_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(LeafletError, match="does not exist"):
        write_leaflet(counsel_for(), LeafletOptions(), tmp_path / "no" / "x.pdf", today=TODAY)
    with pytest.raises(LeafletError, match=r"must end in \.pdf"):
        write_leaflet(counsel_for(), LeafletOptions(), tmp_path / "x.txt", today=TODAY)
    (tmp_path / "d.pdf").mkdir()
    with pytest.raises(LeafletError, match="is a folder"):
        write_leaflet(counsel_for(), LeafletOptions(), tmp_path / "d.pdf", today=TODAY)
