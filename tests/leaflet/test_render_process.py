"""The desktop app's leaflet helper process (services/render_process.py), driven for real.

Each test starts its own helper (a real child process running WeasyPrint) and checks what the
app relies on: the same PDF bytes as an in-process render, the same one-line errors, and that a
crash, a hang or a broken engine costs one request (or one line), never the app.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from counsel.leaflet.errors import LeafletError
from counsel.leaflet.render import leaflet_pdf
from counsel.services import render_process
from counsel.services.casework import counsel_file
from counsel.services.leaflet import LeafletOptions
from counsel.services.render_process import RenderProcess, RenderProcessError
from tests.conftest import EXAMPLES, TODAY

pytestmark = pytest.mark.pdf

STANDARD = next(p for p in EXAMPLES if p.stem == "standard-adult-start")


@pytest.fixture
def helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RenderProcess]:
    # The helper's temporary font folder goes here, so a test can see it cleaned up.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    made = RenderProcess()
    made.start()
    yield made
    made.close()


def _gone(pid: int, within_s: float = 5.0) -> bool:
    """The process has exited (a zombie not yet reaped by its Popen counts as gone)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize(("name", "large"), [
    ("standard-adult-start", False),
    ("standard-adult-start", True),
    ("older-adult-kidney", False),
    ("intrathecal-pump", False),
])
def test_the_helper_makes_the_same_bytes_as_an_in_process_render(
        helper: RenderProcess, name: str, large: bool) -> None:
    path = next(p for p in EXAMPLES if p.stem == name)
    result = counsel_file(path, today=TODAY)
    options = LeafletOptions(large_print=large, paper="letter" if large else "a4")
    made = helper.render(result, options, today=TODAY)
    assert made.startswith(b"%PDF")
    assert made == leaflet_pdf(result, options, today=TODAY)[2]


def test_a_leaflet_error_comes_back_as_the_same_one_line_leaflet_error(helper: RenderProcess) -> None:
    result = counsel_file(STANDARD, today=TODAY)
    with pytest.raises(LeafletError) as in_process:
        leaflet_pdf(result, LeafletOptions(paper="legal"), today=TODAY)  # type: ignore[arg-type]
    with pytest.raises(LeafletError) as from_helper:
        helper.render(result, LeafletOptions(paper="legal"), today=TODAY)  # type: ignore[arg-type]
    assert str(from_helper.value) == str(in_process.value)
    # ... and the helper is still there for the next leaflet.
    assert helper.render(result, LeafletOptions(), today=TODAY).startswith(b"%PDF")


def test_a_helper_that_dies_mid_leaflet_costs_that_request_and_the_next_gets_a_fresh_one(
        helper: RenderProcess) -> None:
    # Killed while it lays out a large-print leaflet (about half a second), as a crash in a
    # native library would. Whether the kill lands just before or during the layout, the
    # outcome is the same one line.
    result = counsel_file(STANDARD, today=TODAY)
    large = LeafletOptions(large_print=True)
    helper.wait_ready()
    first = helper.pid
    assert first is not None
    outcome: list[BaseException | bytes] = []

    def ask() -> None:
        try:
            outcome.append(helper.render(result, large, today=TODAY))
        except RenderProcessError as exc:
            outcome.append(exc)

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.1)
    os.kill(first, signal.SIGKILL)
    asking.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], RenderProcessError)
    assert str(outcome[0]) == "the leaflet engine stopped while making this leaflet; try again"
    assert _gone(first)
    again = helper.render(result, large, today=TODAY)
    assert again == leaflet_pdf(result, large, today=TODAY)[2]
    assert helper.pid not in (None, first)


def test_a_helper_that_died_while_idle_is_replaced_without_losing_a_leaflet(
        helper: RenderProcess) -> None:
    result = counsel_file(STANDARD, today=TODAY)
    helper.wait_ready()
    first = helper.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)  # killed between leaflets (out of memory, a stray kill)
    assert _gone(first)
    assert helper.render(result, LeafletOptions(), today=TODAY).startswith(b"%PDF")
    assert helper.pid not in (None, first)


def test_a_render_that_hangs_is_stopped_and_the_next_one_works(helper: RenderProcess) -> None:
    result = counsel_file(STANDARD, today=TODAY)
    helper.wait_ready()
    stuck = helper.pid
    assert stuck is not None
    with pytest.raises(RenderProcessError,
                       match=r"^the leaflet took over 0\.001 s to make and was stopped; try again$"):
        helper.render(result, LeafletOptions(), today=TODAY, timeout_s=0.001)
    assert _gone(stuck)
    assert helper.render(result, LeafletOptions(), today=TODAY).startswith(b"%PDF")


def test_the_helper_leaves_with_its_font_folder_when_the_app_closes_its_pipe(
        helper: RenderProcess, tmp_path: Path) -> None:
    result = counsel_file(STANDARD, today=TODAY)
    helper.render(result, LeafletOptions(), today=TODAY)
    pid = helper.pid
    assert pid is not None
    assert any((tmp_path / "tmp").iterdir())  # WeasyPrint's temporary fonts, while it runs
    helper.close()
    assert _gone(pid)
    assert not any((tmp_path / "tmp").iterdir())


def test_a_broken_engine_is_one_line_and_is_not_restarted_for_every_leaflet(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint cannot load (as with a missing Pango): a stand-in package fails on import.
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise OSError('cannot load library pango')\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))
    broken = RenderProcess()
    broken.start()
    try:
        first = broken.pid
        with pytest.raises(RenderProcessError, match=r"^cannot load library pango$"):
            broken.wait_ready()
        assert first is not None and _gone(first)
        result = counsel_file(STANDARD, today=TODAY)
        for _ in range(3):
            with pytest.raises(RenderProcessError, match=r"^cannot load library pango$"):
                broken.render(result, LeafletOptions(), today=TODAY)
        assert broken.pid is None  # no new helper was started after it said why
    finally:
        broken.close()


def test_switched_off_the_leaflet_is_made_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(render_process.ENV_SWITCH, "0")
    assert render_process.shared() is None
    result = counsel_file(STANDARD, today=TODAY)
    made = render_process.render_leaflet_pdf(result, LeafletOptions(), today=TODAY)
    assert made == leaflet_pdf(result, LeafletOptions(), today=TODAY)[2]


NOISY = """
import importlib.abc, os, sys

class Noisy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "weasyprint":
            print("a noisy library says hello")
            os.write(1, b"and writes to file descriptor 1 too\\n")
        return None

sys.meta_path.insert(0, Noisy())
"""


def test_a_library_that_prints_cannot_corrupt_the_replies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    # The helper moves its stdout to stderr before it imports the leaflet code, so output from
    # WeasyPrint's import (here a stand-in hook that prints as it loads) never lands in a frame.
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(NOISY, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "site"))
    noisy = RenderProcess()
    noisy.start()
    try:
        result = counsel_file(STANDARD, today=TODAY)
        made = noisy.render(result, LeafletOptions(), today=TODAY)
        assert made == leaflet_pdf(result, LeafletOptions(), today=TODAY)[2]
    finally:
        noisy.close()
    assert "a noisy library says hello" in capfd.readouterr().err


def test_reprints_and_practice_leaflets_are_the_same_bytes_through_the_helper(tmp_path: Path) -> None:
    # The desktop app's other two leaflet paths (the records window's reprint, the training
    # window's practice leaflet) go through the shared helper too.
    result = counsel_file(STANDARD, today=TODAY)
    omit = frozenset({"storage_tablet"})  # a point the pharmacist may leave off
    reprint = render_process.records_renderer(result, paper="letter", large_print=None,
                                              today=TODAY, omit=omit)
    assert reprint == leaflet_pdf(result, LeafletOptions(paper="letter", omit=omit), today=TODAY)[2]
    practice = LeafletOptions(training=True)
    out = tmp_path / "practice.pdf"
    written = render_process.write_leaflet(result, practice, out, today=TODAY)
    assert out.read_bytes() == written == leaflet_pdf(result, practice, today=TODAY)[2]
    helper = render_process.shared()
    assert helper is not None and helper.pid is not None
    with pytest.raises(LeafletError, match=r"^output: "):
        render_process.write_leaflet(result, practice, tmp_path / "practice.txt", today=TODAY)
    assert not (tmp_path / "practice.txt").exists()


def test_the_helper_runs_at_a_lower_priority_than_the_app(helper: RenderProcess) -> None:
    # When both want a core, the window and typing win (serve() lowers its own priority).
    helper.wait_ready()
    assert helper.pid is not None
    assert os.getpriority(os.PRIO_PROCESS, helper.pid) == min(
        19, os.getpriority(os.PRIO_PROCESS, 0) + render_process.HELPER_NICENESS)


def test_closing_the_app_is_not_held_up_by_a_hung_leaflet(helper: RenderProcess) -> None:
    result = counsel_file(STANDARD, today=TODAY)
    helper.wait_ready()
    pid = helper.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # hung: it never answers
    outcome: list[BaseException | bytes] = []

    def ask() -> None:
        try:
            outcome.append(helper.render(result, LeafletOptions(), today=TODAY))
        except RenderProcessError as exc:
            outcome.append(exc)

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.2)
    t = time.monotonic()
    helper.close(wait_s=0.5)
    asking.join(10)
    assert time.monotonic() - t < 5 and not asking.is_alive()
    assert [str(x) for x in outcome] == [
        "the leaflet engine stopped while making this leaflet; try again"]
    assert _gone(pid)
