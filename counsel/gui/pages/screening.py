"""Screening questions asked inline on step 2: yes / no / not asked, where a point needs them.

An answer goes back into the case (step 1 shows it too), so the warnings and points follow it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QRadioButton, QWidget

from counsel.core.screening import NOT_ASKED, SCREENING_QUESTIONS
from counsel.gui.widgets import named

# The screening answers each point depends on (its advice or whether it applies changes with them).
POINT_QUESTIONS: dict[str, tuple[str, ...]] = {
    "alcohol": ("alcohol",),
    "alcohol_regular": ("alcohol",),
    "driving": ("drives",),
    "driving_driver": ("drives",),
    "never_stop_suddenly": ("missed_or_stopped_recently",),
    "withdrawal_signs": ("missed_or_stopped_recently", "withdrawal_signs"),
    "pregnancy": ("pregnant",),
    "pregnancy_planning": ("pregnant", "breastfeeding"),
    "breastfeeding": ("breastfeeding",),
    "misuse_dependence": ("misuse_history",),
}
YES_NO: tuple[tuple[str, object], ...] = (("Yes", True), ("No", False), ("Not asked", None))
ALCOHOL: tuple[tuple[str, object], ...] = (("None", "none"), ("Occasionally", "occasional"),
                                           ("Regularly", "regular"), ("Not asked", NOT_ASKED))


def is_unasked(value: object) -> bool:
    return value is None or value == NOT_ASKED


class ScreeningQuestion(QWidget):
    """One question with its answers as radio buttons; choosing one emits (field, value)."""

    answered = Signal(str, object)

    def __init__(self, field: str, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        question = SCREENING_QUESTIONS[field]
        self.label = QLabel(f"<b>Ask:</b> {question}")
        self.label.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        for text, answer in ALCOHOL if field == "alcohol" else YES_NO:
            button = named(QRadioButton(text), f"{question} {text}")
            button.setChecked(answer == value if answer is not None else value is None)
            self.group.addButton(button)
            self.buttons[text] = button
            row.addWidget(button)
            button.toggled.connect(lambda on, answer=answer: self._chosen(on, answer))

    def _chosen(self, on: bool, answer: object) -> None:
        if on:
            self.answered.emit(self.field, answer)

    def answer(self) -> str:
        """The chosen answer's label ("Yes", "No", "Not asked", ...)."""
        return next((text for text, b in self.buttons.items() if b.isChecked()), "")


# A new patient on the desktop starts with every screening question not asked (not a silent no).
NEW_PATIENT_UNASKED: dict[str, object] = {
    "pregnant": None, "breastfeeding": None, "alcohol": NOT_ASKED, "drives": None,
    "missed_or_stopped_recently": None, "withdrawal_signs": None, "misuse_history": None,
}
