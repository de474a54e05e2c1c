"""Small widget helpers shared by the pages: accessible names, inline field errors, scroll wrapping."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget

W = TypeVar("W", bound=QWidget)

ERROR_STYLE = "color: #a40000; font-weight: 600;"
HINT_STYLE = "color: #555555;"


def named(widget: W, name: str, tip: str = "") -> W:
    """Give a control the name screen readers announce (and an optional tooltip)."""
    widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


def error_label(name: str) -> QLabel:
    """An inline validation message shown next to its field; hidden while the field is fine."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName(f"{name} problem")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(HINT_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def scrolled(inner: QWidget, name: str) -> QScrollArea:
    """Wrap a page so nothing is clipped at 1280x800 or with large fonts: it scrolls instead."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    area.setAccessibleName(name)
    inner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return area
