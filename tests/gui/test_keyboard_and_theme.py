"""Keyboard: Tab walks every control of every step and is never trapped (date fields, the schedule
table). Themes: in a dark palette the checklist cards read at 4.5:1 or better."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton, QWidget

from counsel import paths
from counsel.gui.main_window import MainWindow
from counsel.gui.palettes import dark_palette
from counsel.gui.widgets import TONES
from tests.conftest import TODAY
from tests.gui.conftest import SETTINGS

pytestmark = pytest.mark.gui
STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"  # a titration: a calendar to check
KIDNEY = paths.EXAMPLES_DIR / "older-adult-kidney.json"  # warnings


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + \
        0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tab_stops(page: QWidget) -> list[QWidget]:
    """Controls Tab should reach: visible, enabled, tab-focusable; one radio button per group."""
    stops: list[QWidget] = []
    for widget in page.findChildren(QWidget):
        if not (widget.isVisibleTo(page) and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None):
            continue
        if isinstance(widget, QRadioButton) and not widget.isChecked():
            continue  # Tab enters a radio group at its checked button; arrows move inside
        if widget.objectName().startswith("qt_"):
            continue  # Qt's inner parts (a spin box's line edit, a scroll area's viewport)
        stops.append(widget)
    return stops


def press_tab_through(window: MainWindow, page: QWidget, presses: int) -> list[QWidget]:
    seen: list[QWidget] = []
    for _ in range(presses):
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None
        seen.append(now)
    return seen


@pytest.mark.parametrize("step", [0, 1, 2, 3])
def test_tab_reaches_every_control_and_is_never_trapped(window: MainWindow, qtbot, step: int) -> None:
    window.activateWindow()
    assert window.open_case_file(STANDARD)
    window.patient.follow_up_on.setChecked(True)
    window.go_to(step)
    page = window.pages[step]
    QApplication.processEvents()
    stops = tab_stops(page)
    assert stops
    stops[0].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    seen = press_tab_through(window, page, len(stops) + 15)
    for first, second in itertools.pairwise(seen):
        assert first is not second, f"Tab is trapped in {first.accessibleName() or first}"
    missing = [w.accessibleName() or type(w).__name__ for w in stops if w not in seen]
    assert not missing, missing
    if step == 2:
        assert window.schedule.table in seen and window.schedule.checked in seen
    if step == 0:
        assert window.patient.start in seen and window.patient.follow_up in seen


def test_the_calendar_check_has_a_key(window: MainWindow) -> None:
    assert "&c" in window.schedule.checked.text().lower()  # Alt+C ticks it




@pytest.fixture
def dark(qapp) -> Iterator[QPalette]:  # type: ignore[no-untyped-def]
    original = QApplication.palette()
    palette = dark_palette()
    QApplication.setPalette(palette)
    yield palette
    QApplication.setPalette(original)


def test_dark_mode_cards_read_at_4_5_to_1(dark: QPalette, qtbot) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    qtbot.addWidget(win)
    win.show()
    try:
        assert win.open_case_file(KIDNEY)
        win.go_to(1)
        QApplication.processEvents()
        cards = list(win.checklist.cards.values())
        assert cards
        qtbot.waitUntil(lambda: all(c.height() > 20 for c in cards[:6]))  # laid out
        for card in cards[:6]:
            image = card.grab().toImage()
            # The card's own background, inside its border and clear of any text.
            background = image.pixelColor(image.width() - 4, image.height() // 2)
            assert luminance(background) < 0.1, background.name()  # a dark card, not a white one
            assert contrast(background, dark.color(QPalette.ColorRole.Base)) < 1.1
            for label in card.findChildren(QLabel):
                if label.text() == "CRITICAL":
                    fg, bg = label.palette().color(QPalette.ColorRole.WindowText), QColor("#a40000")
                    assert contrast(QColor("white"), bg) >= 4.5
                    continue
                fg = label.palette().color(label.foregroundRole())
                assert contrast(fg, background) >= 4.5, (label.text()[:40], fg.name(), background.name())
        # The accent colours (errors, hints, step states) read on both themes' windows and bases.
        for light, dark_tone in TONES.values():
            for bg in (dark.color(QPalette.ColorRole.Window), dark.color(QPalette.ColorRole.Base)):
                assert contrast(QColor(dark_tone), bg) >= 4.5, (dark_tone, bg.name())
            for bg in (QColor("#efefef"), QColor("#ffffff")):
                assert contrast(QColor(light), bg) >= 4.5, (light, bg.name())
    finally:
        win.preview.request(None, win.preview_options())
        win.worker.wait(30000)


def test_light_mode_cards_stay_light(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The absence case: the palette roles give light cards in a light palette."""
    assert window.open_case_file(KIDNEY)
    window.go_to(1)
    QApplication.processEvents()
    card = next(iter(window.checklist.cards.values()))
    qtbot.waitUntil(lambda: card.height() > 20)
    image = card.grab().toImage()
    assert luminance(image.pixelColor(image.width() - 4, image.height() // 2)) > 0.5
