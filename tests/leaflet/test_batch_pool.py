"""Batch rendering pools shut down cleanly: workers exit normally and leave no font folders."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from counsel.leaflet.batch import render_pool


def _warm() -> None:
    from counsel.leaflet.pdf import warm_up

    warm_up()  # loads the @font-face fonts: WeasyPrint makes its temporary font folder


def _render_tiny(n: int) -> int:
    from counsel.leaflet.pdf import html_to_pdf

    return len(html_to_pdf(f"<html lang='en'><body><p>{n}</p></body></html>", paper="a4",
                           large_print=False, training=False))


def _font_folders(folder: Path) -> list[Path]:
    return sorted(folder.glob("weasyprint-*"))


@pytest.mark.pdf
def test_a_closed_pool_leaves_no_temporary_font_folders(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the spawned workers' temporary folder
    ctx = multiprocessing.get_context("spawn")
    with render_pool(ctx, 2, initializer=_warm) as pool:
        sizes = pool.map(_render_tiny, range(4), chunksize=1)
        assert _font_folders(tmp_path)  # the workers really made their font folders
        workers = list(pool._pool)  # type: ignore[attr-defined]
    assert all(s > 1000 for s in sizes)
    assert [w.exitcode for w in workers] == [0, 0]  # exited by themselves, not SIGTERM (-15)
    assert _font_folders(tmp_path) == []


@pytest.mark.pdf
def test_a_terminated_pool_is_what_left_them_behind(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2, initializer=_warm) as pool:  # the old way: __exit__ terminates
        pool.map(_render_tiny, range(2), chunksize=1)
    pool.join()
    assert _font_folders(tmp_path)


def _fail_inside(ctx: multiprocessing.context.BaseContext) -> None:
    with render_pool(ctx, 1) as pool:
        assert pool.map(abs, [-1]) == [1]
        raise ZeroDivisionError


def test_an_error_in_the_batch_stops_the_pool_and_is_raised() -> None:
    with pytest.raises(ZeroDivisionError):
        _fail_inside(multiprocessing.get_context("spawn"))
