"""A whole counselling session driven from the keyboard, counting key presses and the words of
prompts on step 2. Shared by tests/gui/test_counter_speed.py and `scripts/bench_gui.py
--counselling`. The caller answers the file dialogs (open: the case; save: a scratch PDF)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from counsel.gui.main_window import MainWindow

Wait = Callable[[Callable[[], bool], float], None]


class Keys:
    """Key presses sent to whatever has focus, counted."""

    def __init__(self) -> None:
        self.count = 0

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
              times: int = 1) -> None:
        for _ in range(times):
            target = QApplication.focusWidget()
            if target is None:
                raise RuntimeError("no widget has the keyboard")
            QTest.keyClick(target, key, modifier)
            QApplication.processEvents()
            self.count += 1


def words_on_screen(page: QWidget) -> int:
    text = " ".join(label.text() for label in page.findChildren(QLabel) if label.isVisibleTo(page))
    return len(re.sub(r"<[^>]+>", " ", text).split())


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    """Turn the event loop until `condition()` (RuntimeError after `timeout` seconds)."""
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise RuntimeError("timed out")
        QApplication.processEvents()
        time.sleep(0.01)


def counsel_by_keyboard(win: MainWindow, case: Path, wait: Wait = wait_until) -> tuple[int, int]:
    """Open (Ctrl+O), acknowledge each warning (1: "prescriber already aware", and on to the next),
    D on each point on screen, Alt+C for any calendar, Ctrl+E to save. Returns (key presses,
    words of prompts on step 2)."""
    keys = Keys()
    win.activateWindow()
    wait(win.isActiveWindow, 5)
    win.sidebar.setFocus()
    wait(win.sidebar.hasFocus, 5)
    keys.press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    if win.case_path != case:
        raise RuntimeError(f"{case.name} was not opened")
    keys.press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = win.checklist
    wait(lambda: page.isAncestorOf(QApplication.focusWidget()), 3)
    words = words_on_screen(page)
    result = win.model.result
    assert result is not None
    for code in page.outcome_boxes:  # focus starts on the first warning's outcome list
        assert QApplication.focusWidget() is page.outcome_boxes[code], code
        keys.press(Qt.Key.Key_1)  # "Prescriber already aware": acknowledged, and on to the next
    for card in page.cards.values():
        # A repeat patient's short list: the folded points are not on screen, not gone through.
        if card.status() != "pending" or not card.isVisibleTo(page):
            continue
        assert card.isAncestorOf(QApplication.focusWidget()), card.point.id
        keys.press(Qt.Key.Key_D)
    if len(result.schedule) >= 2:
        keys.press(Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
        keys.press(Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # Alt+C (an animated click)
        wait(lambda: win.model.session.schedule_checked, 2)
    keys.press(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Ctrl+E: Save PDF
    wait(lambda: win.model.session.leaflet_output == "saved", 60)
    return keys.count, words
