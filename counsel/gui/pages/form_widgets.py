"""Form controls for the case form: labelled choices, spin boxes with a "not entered" state, dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox

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
