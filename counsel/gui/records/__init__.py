"""The records windows: counselling history (search, read-only record, reprint) and the resume prompt.

Hooks for the main window:
    open_history_window(parent, service, user=...) -> QWidget
    ask_resume(parent, service, user=...) -> SessionState | None
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from counsel.gui.records.resume import ResumeDialog, ask_resume
from counsel.gui.records.window import ConfirmCurrentContent, HistoryWindow, SavePdf
from counsel.services.records import RecordsService

__all__ = ["ConfirmCurrentContent", "HistoryWindow", "ResumeDialog", "SavePdf", "ask_resume",
           "open_history_window"]


def open_history_window(parent: QWidget | None, service: RecordsService, *,
                        user: str = "") -> QWidget:
    """Open (and show) the history window; user = the pharmacist's initials for the audit log."""
    window = HistoryWindow(service, user=user, parent=parent)
    window.show()
    return window
