"""No silent edits: the mouse wheel over a number, date or choice field that is not focused changes
nothing (it scrolls the page); a focused field still takes the wheel."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QDateEdit, QScrollArea, QWidget

from counsel import paths
from counsel.gui.main_window import MainWindow
from counsel.gui.pages.form_widgets import GUARDED

pytestmark = pytest.mark.gui
KIDNEY = paths.EXAMPLES_DIR / "older-adult-kidney.json"  # warnings to acknowledge, a calendar


def value_of(widget: QWidget) -> Any:
    if isinstance(widget, QDateEdit):
        return widget.date()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    assert isinstance(widget, QComboBox)
    return (widget.currentIndex(), widget.currentText())


def wheel(widget: QWidget, ticks: int) -> None:
    """Wheel ticks over the middle of the widget.

    Sent to the field itself: a real wheel event lands on the field's inner line edit, which
    ignores it, and Qt passes it on to the field (and its event filters). A synthetic event sent to
    the inner child is not passed on, so the test starts where the real one arrives."""
    centre = QPointF(widget.rect().center())
    for _ in range(abs(ticks)):
        event = QWheelEvent(centre, widget.mapToGlobal(centre), QPoint(0, 0),
                            QPoint(0, 120 if ticks > 0 else -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)


def activate(window: MainWindow) -> None:
    """Focus is only real in the active window."""
    window.activateWindow()
    QApplication.processEvents()
    assert window.isActiveWindow()


def fields(page: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for kind in GUARDED:
        found += [w for w in page.findChildren(kind) if w.isVisibleTo(page) and w.isEnabled()]
    return found


def test_the_wheel_over_unfocused_fields_changes_nothing_on_any_page(window: MainWindow, qtbot) -> None:
    win = window
    activate(win)
    assert win.open_case_file(KIDNEY)
    win.patient.titration.setChecked(True)  # its fields too
    win.patient.follow_up_on.setChecked(True)
    counted: dict[int, int] = {}
    for step, page in enumerate(win.pages):
        win.go_to(step)
        QApplication.processEvents()
        found = fields(page)
        counted[step] = len(found)
        for widget in found:
            win.sidebar.setFocus()
            QApplication.processEvents()
            assert not widget.hasFocus()
            before = value_of(widget)
            wheel(widget, 3)
            wheel(widget, -5)
            assert value_of(widget) == before, (step, widget.accessibleName())
            assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus, widget.accessibleName()
    # Every number, date and choice field of step 1 was tried (age, weight, CrCl, dose, dates, …).
    assert counted[0] >= 15 and counted[3] >= 2, counted


def test_a_focused_field_still_takes_the_wheel(window: MainWindow) -> None:
    activate(window)
    dose = window.patient.dose
    dose.setValue(5)
    window.go_to(0)
    dose.setFocus()
    QApplication.processEvents()
    wheel(dose, 1)
    assert dose.value() == 7.5  # one step of 2.5 mg: the wheel works where the pharmacist means it


def test_scrolling_over_a_field_scrolls_the_page(window: MainWindow) -> None:
    activate(window)
    window.resize(900, 500)  # the form no longer fits: the page scrolls
    window.go_to(0)
    QApplication.processEvents()
    area = window.stack.currentWidget()
    assert isinstance(area, QScrollArea)
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(0)
    window.sidebar.setFocus()
    age = window.patient.age
    before = age.value()
    wheel(age, -2)  # wheel down over the age field
    assert bar.value() > 0
    assert age.value() == before
