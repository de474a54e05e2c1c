"""Small widget helpers shared by the pages: accessible names, inline field errors, scroll wrapping."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QScrollArea, QSizePolicy, QWidget

W = TypeVar("W", bound=QWidget)

# Accent colours as (light theme, dark theme): every one reads at 4.5:1 or better on the
# default window and base colours of its theme. Text and backgrounds otherwise come from the
# palette (Qt follows the system's dark mode on Windows 11): no fixed light colours.
TONES: dict[str, tuple[str, str]] = {
    "error": ("#a40000", "#ff9e94"),
    "hint": ("#555555", "#c4c4c4"),
    "info": ("#0b5cad", "#9ccbff"),
    "ok": ("#1e7b1e", "#8fdc8f"),
    "flag": ("#8a4b00", "#ffc66d"),
}


def is_dark() -> bool:
    """The application palette is a dark one (light text on a dark window)."""
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tone(name: str) -> str:
    light, dark = TONES[name]
    return dark if is_dark() else light


def error_style() -> str:
    return f"color: {tone('error')}; font-weight: 600;"


def hint_style() -> str:
    return f"color: {tone('hint')};"


def named(widget: W, name: str, tip: str = "") -> W:
    """Give a control the name screen readers announce (and an optional tooltip)."""
    widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


def error_label(name: str) -> QLabel:
    """An inline validation message shown next to its field; hidden while the field is fine."""
    label = QLabel()
    label.setStyleSheet(error_style())
    label.setWordWrap(True)
    label.setAccessibleName(f"{name} problem")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(hint_style())
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


class _WidthWatcher(QObject):
    """Tells a page how wide its scroll area's viewport is, so it can reflow instead of scrolling sideways."""

    def __init__(self, area: QScrollArea, inner: QWidget) -> None:
        super().__init__(area)
        self._area = area
        self._inner = inner

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize:
            fit = getattr(self._inner, "fit_width", None)
            if fit is not None:
                fit(self._area.viewport().width())
        return False


def scrolled(inner: QWidget, name: str) -> QScrollArea:
    """Wrap a page so nothing is clipped at 1280x800 or with large fonts: it scrolls instead.

    A page with a `fit_width(width)` method is told the available width on every resize.
    """
    area = QScrollArea()
    area.viewport().installEventFilter(_WidthWatcher(area, inner))
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    area.setAccessibleName(name)
    inner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return area


def scaled_font(factor: float, *, bold: bool = False) -> QFont:
    """The application font scaled (headings grow with the user's font size instead of fixed points)."""
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font
