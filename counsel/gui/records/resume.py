"""At start-up: offer to resume a counselling session that was interrupted (or lost to a crash)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.records.models import SessionState, SessionSummary
from counsel.services.records import RecordsService


class ResumeDialog(QDialog):
    """Lists unfinished sessions (reference, medicine, pharmacist, last change; never a name)."""

    def __init__(self, sessions: list[SessionSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resume counselling?")
        self.choice: tuple[str, str] | None = None  # ("resume" | "discard", session id)
        self.list = QListWidget()
        self.list.setAccessibleName("Unfinished sessions")
        for s in sessions:
            item = QListWidgetItem(f"{s.patient_ref or 'no reference yet'} — {s.drug or 'medicine?'} — "
                                   f"{s.pharmacist}, last change {s.updated_at:%Y-%m-%d %H:%M} UTC")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox()
        self.resume_button = QPushButton("&Resume")
        self.discard_button = QPushButton("&Discard")
        buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("These counselling sessions were not finished. Everything saved "
                                "so far is kept."))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resume_button.clicked.connect(lambda: self._choose("resume"))
        self.discard_button.clicked.connect(lambda: self._choose("discard"))
        buttons.rejected.connect(self.reject)

    def _choose(self, action: str) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self.choice = (action, str(self.list.item(row).data(Qt.ItemDataRole.UserRole)))
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, sessions: list[SessionSummary]) -> tuple[str, str] | None:
        dialog = cls(sessions, parent)
        dialog.exec()
        return dialog.choice


def ask_resume(parent: QWidget | None, service: RecordsService, *,
               user: str = "") -> SessionState | None:
    """Offer unfinished sessions; returns the state to restore, or None (nothing, later, discarded)."""
    sessions = service.unfinished_sessions()
    if not sessions:
        return None
    choice = ResumeDialog.ask(parent, sessions)
    if choice is None:
        return None
    action, session_id = choice
    if action == "discard":
        service.discard_session(session_id, by=user or "?")
        return None
    return service.resume(session_id)
