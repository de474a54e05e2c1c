"""Form controls for the case form: labelled choices, spin boxes with a "not entered" state, dates,
and the wheel guard that stops scrolling the page from silently changing them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QSpinBox,
    QWidget,
)

from counsel.gui.widgets import named


def combo(name: str, options: list[tuple[str, str]]) -> QComboBox:
    box = named(QComboBox(), name)
    for value, label in options:
        box.addItem(label, value)
    return box


def set_combo(box: QComboBox, value: object) -> None:
    index = box.findData(value)
    if index < 0 and isinstance(value, str):
        box.addItem(value, value)  # a value from a file we have no label for: keep it, never drop it
        index = box.count() - 1
    box.setCurrentIndex(max(index, 0))


def spin(name: str, low: int, high: int, special: str = "", suffix: str = "") -> QSpinBox:
    box = named(QSpinBox(), name)
    box.setRange(low, high)
    box.setSpecialValueText(special)
    box.setSuffix(suffix)
    return box


class NumberBox(QDoubleSpinBox):
    """A spin box showing 5 rather than 5.00 (doses like 2.5 mg keep their decimals)."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        return f"{value:g}"


def dspin(
    name: str, low: float, high: float, special: str = "", suffix: str = "", step: float = 1.0
) -> QDoubleSpinBox:
    box = named(NumberBox(), name)
    box.setRange(low, high)
    box.setDecimals(2)
    box.setSingleStep(step)
    box.setSpecialValueText(special)
    box.setSuffix(suffix)
    return box


class DateBox(QDateEdit):
    """A date field that Tab leaves (Qt's date edit uses Tab to walk day, month and year, which
    traps keyboard users): the arrow keys and typing still move between the parts."""

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 (Qt override)
        return QWidget.focusNextPrevChild(self, next)


def date_box(name: str, value: date) -> DateBox:
    box = named(DateBox(), name)
    box.setCalendarPopup(True)
    box.setDisplayFormat("d MMM yyyy")
    box.setDate(qdate(value))
    return box


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def parse_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


class _WheelGuard(QObject):
    """Number, date and choice fields take the wheel only when focused; otherwise the wheel
    scrolls the page under the pointer, as the pharmacist meant (two ticks once turned 5 mg into
    10 mg while scrolling)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        if watched.hasFocus():
            return False  # a focused field is being edited on purpose: the wheel steps it
        area = _scroll_area_of(watched)
        if area is not None:
            bar = area.verticalScrollBar()
            if bar is not None and bar.isVisible():
                QApplication.sendEvent(bar, event)
        return True  # never reaches the field


_GUARD = _WheelGuard()
GUARDED = (QAbstractSpinBox, QComboBox)


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def guard_wheel(root: QWidget) -> list[QWidget]:
    """Apply the wheel guard to every number, date and choice field under `root` (idempotent).

    Call it once a page is built, and again after a page builds new fields."""
    guarded: list[QWidget] = []
    for kind in GUARDED:
        for widget in root.findChildren(kind):
            if widget.property("wheel_guarded"):
                guarded.append(widget)
                continue
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel never takes focus
            widget.installEventFilter(_GUARD)
            widget.setProperty("wheel_guarded", True)
            guarded.append(widget)
    return guarded
