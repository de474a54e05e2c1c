"""A day at the counter in one process: the real main window under the real event loop.

PySide6 6.12.0 on Python 3.11 dropped one reference to None per call of many setters, and the app
aborted (`Fatal Python error: none_dealloc`) after about 600 keystrokes, 1,450 checklist marks or
200 case opens. This soak drives the real window far past those counts and checks that it is still
alive, still responsive, still consistent, and that None's reference count has not drained away.
Leaflet renders are replaced by a fixed PDF: the soak is about the Qt side, and a real render per
burst would only make it slower (the preview path is still exercised end to end).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QTimer
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from counsel.gui import preview
from counsel.gui.main_window import MainWindow
from tests.conftest import EXAMPLES
from tests.gui.conftest import DialogLog

pytestmark = [pytest.mark.gui]

KEYSTROKES = 5000
MARKS = 2000
OPENS = 300
# None's count may wander by a few hundred as caches fill; the 6.12.0 leak lost one per setter
# call, i.e. thousands over this run.
NONE_MARGIN = 300


def tiny_pdf() -> bytes:
    """A one-page PDF made by Qt (no WeasyPrint): what the preview shows during the soak."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF()))
    painter = QPainter(writer)
    painter.drawText(100, 100, "soak")
    painter.end()
    buffer.close()
    return bytes(data.data())


def responsive(qtbot, within_ms: int = 2000) -> bool:  # type: ignore[no-untyped-def]
    """A zero-delay timer queued now fires within `within_ms` (the event loop is turning)."""
    fired: list[float] = []
    QTimer.singleShot(0, lambda: fired.append(time.perf_counter()))
    qtbot.waitUntil(lambda: bool(fired), timeout=within_ms)
    return bool(fired)


def test_a_day_at_the_counter(window: MainWindow, qtbot, modal_log: DialogLog,  # type: ignore[no-untyped-def]
                              monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tiny_pdf()
    monkeypatch.setattr(preview, "render_pdf", lambda result, options, today: pdf)
    win = window
    win.activateWindow()
    QApplication.processEvents()
    none_before = sys.getrefcount(None)
    started = time.perf_counter()
    timings: dict[str, float] = {}

    # 1. Case opens, the same path as File › Open (the dialog answers with the next example).
    opens = 0
    t0 = time.perf_counter()
    while opens < OPENS:
        for path in EXAMPLES:
            if opens == OPENS:
                break
            modal_log.open_path = path
            win.actions_by_name["open"].trigger()
            opens += 1
            assert win.case_path == path
            if opens % 25 == 0:
                win.go_to(1)  # the checklist builds its cards for this case
                QApplication.processEvents()
                assert set(win.checklist.cards) == {p.id for p in win.model.result.points}  # type: ignore[union-attr]
                win.go_to(0)
            QApplication.processEvents()
    timings["opens"] = time.perf_counter() - t0

    # 2. Keystrokes into real fields: the case form (each one re-works the counselling) and the
    # checklist's free-text fields.
    modal_log.open_path = EXAMPLES[0]
    win.actions_by_name["open"].trigger()
    t0 = time.perf_counter()
    typed = 0
    word = "Abcdefghij"  # 10 keys
    field_cycle = [win.patient.name, win.patient.prescriber]
    while typed < KEYSTROKES // 2:
        target = field_cycle[(typed // len(word)) % 2]
        target.setFocus()
        QTest.keyClicks(target, word)
        typed += len(word)
        if typed % 100 == 0:
            for edit in field_cycle:
                edit.clear()  # keep the fields short (a name is not a novel)
        QApplication.processEvents()
    win.go_to(1)
    QApplication.processEvents()
    cards = list(win.checklist.cards.values())
    assert cards, win.model.error
    notes_field = win.checklist.notes
    while typed < KEYSTROKES:
        if typed % 1000 < 500:
            target = notes_field
        else:
            card = cards[(typed // 10) % len(cards)]
            card.set_status("not_discussed", "")
            target = card.reason
        target.setFocus()
        QTest.keyClicks(target, word)
        typed += len(word)
        if typed % 100 == 0:
            notes_field.clear()
            for card in cards:
                card.reason.clear()
        QApplication.processEvents()
    timings["keys"] = time.perf_counter() - t0
    assert typed == KEYSTROKES

    # 3. Checklist marks, by clicking the radio buttons.
    t0 = time.perf_counter()
    statuses = ("discussed", "understood", "pending", "discussed")
    for i in range(MARKS):
        card = cards[i % len(cards)]
        status = statuses[(i // len(cards)) % len(statuses)]
        card.buttons[status].click()
        if i % 20 == 0:
            QApplication.processEvents()
    timings["marks"] = time.perf_counter() - t0

    # Alive, responsive and consistent.
    assert responsive(qtbot)
    result = win.model.result
    assert result is not None
    last = statuses[((MARKS - 1) // len(cards)) % len(statuses)]
    assert win.model.session.mark_of(cards[(MARKS - 1) % len(cards)].point.id).status == last
    first = cards[0].point.id
    assert win.checklist.cards[first].status() == win.model.session.mark_of(first).status
    assert win.windowTitle().startswith("Counsel — ")
    assert win.isVisible()
    none_after = sys.getrefcount(None)
    elapsed = time.perf_counter() - started
    sys.stdout.write(f"\nsoak: {OPENS} opens {timings['opens']:.1f} s, "
                     f"{KEYSTROKES} keys {timings['keys']:.1f} s, {MARKS} marks {timings['marks']:.1f} s, "
                     f"total {elapsed:.1f} s; "
                     f"None refcount {none_before} -> {none_after}\n")
    assert none_after > none_before - NONE_MARGIN, (none_before, none_after)


def test_soak_figures_are_the_ones_in_the_readme() -> None:
    """The README states what the soak drives; keep the two in step."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"{KEYSTROKES:,} keystrokes" in readme
    assert f"{MARKS:,} checklist marks" in readme
    assert f"{OPENS} case opens" in readme
