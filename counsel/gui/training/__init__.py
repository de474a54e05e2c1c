"""Training mode windows (scripted patient stations, reference browser, progress)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from counsel.services.training import TrainingService


def open_training_window(parent: QWidget | None = None) -> QWidget:
    """Create and show the training window (a separate top-level window over `parent`)."""
    from counsel.gui.training.window import TrainingWindow

    window = TrainingWindow(TrainingService(), parent=parent)
    if parent is not None:
        window.setWindowFlag(Qt.WindowType.Window, True)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    window.show()
    return window
