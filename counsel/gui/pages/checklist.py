"""Step 2, checklist: the applicable points section by section, marks, and warning acknowledgements."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.pages.form_widgets import guard_wheel
from counsel.gui.pages.screening import POINT_QUESTIONS, ScreeningQuestion, is_unasked
from counsel.gui.widgets import hint_label, named, scaled_font
from counsel.services.release import ACK_OUTCOMES
from counsel.services.session import CounsellingSession, MarkStatus, PointMark, kept_note

if TYPE_CHECKING:  # annotations only: the window paints before the core (pydantic) loads
    from counsel.core.findings import Warning
    from counsel.core.rules import Counselling, SelectedPoint

STATUS_LABELS: tuple[tuple[MarkStatus, str], ...] = (
    ("pending", "Not yet"),
    ("discussed", "Discussed"),
    ("understood", "Understood (teach-back)"),
    ("not_discussed", "Not discussed"),
)
# The session's notes go to the record only, never to the leaflet: the label says so.
PRIVATE_NOTES_LABEL = "Private counselling notes (not printed)"
# Cards take their colours from the palette (dark mode draws light text on dark cards); only the
# critical stripe is a fixed red, and it carries no text.
CARD_STYLE = (
    "QFrame#point { border: 1px solid palette(mid); border-radius: 4px; background: palette(base); }"
    "QFrame#critical { border: 1px solid palette(mid); border-left: 5px solid #c62828;"
    " border-radius: 4px; background: palette(base); }"
    "QFrame#point QLabel, QFrame#critical QLabel { color: palette(text); }"
)
CRITICAL_STYLE = "background: #a40000; color: white; font-weight: 700; padding: 1px 6px; border-radius: 3px;"


class OutcomeBox(QComboBox):
    """How a warning was dealt with. Keys 1-4 choose an outcome in one press (the list shows each
    key); choosing acknowledges the warning and the page moves on (ChecklistPage._on_outcome)."""

    chosen_by_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        text = event.text()
        if event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier) \
                and len(text) == 1 and "1" <= text <= str(self.count() - 1):
            self.setCurrentIndex(int(text))
            self.chosen_by_key.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class PointCard(QFrame):
    """One checklist point: what to say, the patient's wording, why it applies, and its mark."""

    marked = Signal(str, str, str)
    advance = Signal(object)  # this card, marked by key: the page moves on to the next one

    def __init__(self, point: SelectedPoint, mark: PointMark, parent: QWidget | None = None, *,
                 compact: bool = False, title_only: bool = False) -> None:
        super().__init__(parent)
        self.point = point
        self.setObjectName("critical" if point.point.critical else "point")
        self.setStyleSheet(CARD_STYLE)
        title = QLabel(f"<b>{_esc(point.point.title)}</b>")
        title.setWordWrap(True)
        head = QHBoxLayout()
        if point.point.critical:
            badge = QLabel("CRITICAL")
            badge.setStyleSheet(CRITICAL_STYLE)
            badge.setAccessibleName("Critical point")
            head.addWidget(badge)
        head.addWidget(title, 1)
        say = QLabel(f"<b>Say:</b> {_esc(point.prompt)}")
        words = QLabel("<b>Patient wording:</b> <i>" + _esc(" ".join(point.patient_text)) + "</i>")
        why = QLabel(
            f"<b>Applies because:</b> {_esc(point.reason_text)}. "
            f"<i>{_esc(point.why)}</i>"
        )
        for label in (say, words, why):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Counter speed: the patient wording and the reason open on the card being worked on
        # (the one with the keyboard); the others show the title and what to say.
        self.say = say
        # title_only (a repeat patient's short list): what to say folds too; the Must say strip
        # and the titles carry the list, and the card with the keyboard opens in full.
        self.details = (say, words, why) if title_only else (words, why)
        self.set_expanded(not compact)

        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout()
        for status, text in STATUS_LABELS:
            button = named(QRadioButton(text), f"{point.point.title}: {text}")
            self.group.addButton(button)
            self.buttons[status] = button
            row.addWidget(button)
        self.reason = named(QLineEdit(), f"{point.point.title}: reason not discussed")
        self.reason.setPlaceholderText("Reason, if not discussed")
        self.reason.setToolTip('"not relevant" leaves the point off the leaflet '
                               "(critical points always stay on it)")
        row.addWidget(self.reason, 1)

        layout = QVBoxLayout(self)
        self._layout = layout
        layout.addLayout(head)
        layout.addWidget(say)
        layout.addWidget(words)
        layout.addWidget(why)
        layout.addLayout(row)
        # Said on the card when "not relevant" cannot leave a critical point off the leaflet.
        self.kept = QLabel()
        self.kept.setTextFormat(Qt.TextFormat.PlainText)  # the title is content, never markup
        self.kept.setStyleSheet("font-weight: 600;")
        self.kept.setWordWrap(True)
        layout.addWidget(self.kept)
        self._apply(mark)
        self.group.buttonToggled.connect(self._on_toggled)
        self.reason.editingFinished.connect(self._emit)
        # Counter speed: D discussed, U understood, N not discussed, on the focused card (the
        # reason field keeps its letters: a line edit takes printable keys before shortcuts).
        for key, status in (("D", "discussed"), ("U", "understood"), ("N", "not_discussed")):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda status=status: self.key_mark(status))

    def add_question(self, question: QWidget) -> None:
        """A screening question this point needs, under the marks."""
        self._layout.addWidget(question)

    def set_expanded(self, expanded: bool) -> None:
        for label in self.details:
            label.setVisible(expanded)

    def expanded(self) -> bool:
        return not self.details[0].isHidden()

    def key_mark(self, status: MarkStatus) -> None:
        """Mark by key; a skipped point asks for its reason, the others move on."""
        if status == "not_discussed":
            self.buttons[status].setChecked(True)
            self.reason.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        self.set_status(status)
        self.advance.emit(self)

    def focus_mark(self) -> None:
        """Keyboard focus on this card's marks (the checked one, as Tab would enter the group)."""
        button = self.buttons[self.status()]
        button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def status(self) -> str:
        for status, button in self.buttons.items():
            if button.isChecked():
                return status
        return "pending"

    def set_status(self, status: MarkStatus, reason: str = "") -> None:
        """Mark the point (as the pharmacist would with the radio buttons)."""
        self.reason.setText(reason)
        self.buttons[status].setChecked(True)
        self._emit()

    def _apply(self, mark: PointMark) -> None:
        self.buttons[mark.status].setChecked(True)
        self.reason.setText(mark.reason)
        self.reason.setEnabled(mark.status == "not_discussed")
        self._show_kept(mark)

    def _show_kept(self, mark: PointMark) -> None:
        note = kept_note(self.point, mark)
        self.kept.setText(note)
        self.kept.setVisible(bool(note))

    def _on_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.reason.setEnabled(self.status() == "not_discussed")
            self._emit()

    def _emit(self) -> None:
        self._show_kept(PointMark(self.status(), self.reason.text()))  # type: ignore[arg-type]
        self.marked.emit(self.point.id, self.status(), self.reason.text())


class ChecklistPage(QWidget):
    """Warnings to acknowledge, then every applicable point, grouped by section."""

    mark_changed = Signal(str, str, str)
    screening_answered = Signal(str, object)  # patient field, answer (None / "not_asked": not asked)
    acknowledged = Signal(str, bool, str)  # code, acknowledged, outcome id
    notes_changed = Signal(str)
    go_to_patient = Signal()
    title = "Checklist"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: dict[str, PointCard] = {}
        self._ack_boxes: dict[str, QCheckBox] = {}
        self._outcomes: dict[str, QComboBox] = {}
        # code -> (label, full text, title only): a short list folds each warning to its title
        # except the one being acknowledged (its outcome list has the keyboard).
        self._warning_texts: dict[str, tuple[QLabel, str, str]] = {}
        self.questions: list[ScreeningQuestion] = []
        self._asked_here: set[str] = set()  # answered on this checklist: stays on screen
        self._refocus = ""
        self._signature: object = None
        self._pending: tuple[Counselling | None, CounsellingSession] | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Checklist progress")
        self.must_say = named(QLabel(), "Must say")
        self.must_say.setWordWrap(True)
        self.must_say.setTextFormat(Qt.TextFormat.RichText)
        self.must_say.setStyleSheet("QLabel { border: 1px solid palette(mid); border-radius: 4px;"
                                    " padding: 6px; background: palette(base); color: palette(text); }")
        self.must_say.hide()
        self.empty = hint_label(
            "The checklist appears once the patient and prescription in step 1 are complete and valid."
        )
        self.empty_button = named(QPushButton("Go to step 1"), "Go to patient and prescription")
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(0, 0, 0, 0)
        self.notes = named(QPlainTextEdit(), PRIVATE_NOTES_LABEL)
        self.notes.setPlaceholderText("Counselling notes: questions asked, what the patient was unsure about")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(80)
        # A repeat ("continue") patient gets the short list first: the warnings and the critical
        # points; the other points fold by section (the "+" key or the button opens them).
        self.short_list = False
        self.folded: list[QWidget] = []
        self.show_all = named(QPushButton("Show all points (+)"), "Show all points")
        self.show_all.clicked.connect(self.unfold)
        self.show_all.hide()
        unfold_key = QShortcut(QKeySequence("+"), self)
        unfold_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        unfold_key.activated.connect(self.unfold)
        layout = QVBoxLayout(self)
        # A short opening and a closing teach-back: general counselling practice, not drug facts.
        self.opening = named(QLabel(OPENING), "How to open")
        self.closing = named(QLabel(CLOSING), "How to close")
        for line in (self.opening, self.closing):
            line.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(self.opening)
        layout.addWidget(self.must_say)
        layout.addWidget(self.empty)
        layout.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.content)
        layout.addWidget(self.show_all, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.closing)
        self.notes_label = QLabel(f"<b>{PRIVATE_NOTES_LABEL}</b>")
        self.notes_label.setBuddy(self.notes)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        layout.addStretch(1)
        self.empty_button.clicked.connect(self.go_to_patient)
        self._open_card: PointCard | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self.notes.textChanged.connect(lambda: self.notes_changed.emit(self.notes.toPlainText()))

    def show_result(self, result: Counselling | None, session: CounsellingSession) -> None:
        """Rebuild the cards when the applicable points change; otherwise keep widgets (and focus)."""
        if self.notes.toPlainText() != session.notes:
            self.notes.setPlainText(session.notes)
        self.empty.setVisible(result is None)
        self.opening.setVisible(result is not None)
        self.closing.setVisible(result is not None)
        self.empty_button.setVisible(result is None)
        self.content.setVisible(result is not None)
        signature = (
            None
            if result is None
            else (
                tuple((w.code, w.message) for w in result.warnings),
                tuple((p.id, p.prompt, p.patient_text, p.reason_text) for p in result.points),
            )
        )
        if signature != self._signature:
            self._signature = signature
            # Building ~20 cards takes a noticeable slice of the UI thread: do it only when the
            # page is on screen (or its cards are asked for), not on every edit in step 1.
            self._pending = (result, session)
            if self.isVisible():
                self.ensure_built()
        self.update_summary(result, session)

    def ensure_built(self) -> None:
        if self._pending is not None:
            result, session = self._pending
            self._pending = None
            self._rebuild(result, session)

    @property
    def cards(self) -> dict[str, PointCard]:
        """The point cards by point id (built on first use)."""
        self.ensure_built()
        return self._cards

    @property
    def ack_boxes(self) -> dict[str, QCheckBox]:
        """The acknowledgement check boxes by warning code (built on first use)."""
        self.ensure_built()
        return self._ack_boxes

    @property
    def outcome_boxes(self) -> dict[str, QComboBox]:
        """How each warning was dealt with, by warning code (built on first use)."""
        self.ensure_built()
        return self._outcomes

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self.ensure_built()
        super().showEvent(event)

    def _rebuild(self, result: Counselling | None, session: CounsellingSession) -> None:
        while self.content_layout.count():
            item = self.content_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Detach now: deleteLater alone leaves the old cards painted until the event loop
                # gets round to them (and forever when no loop runs, e.g. in scripts).
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self._cards.clear()
        self.questions = []
        self.folded = []
        self._open_card = None
        self._ack_boxes.clear()
        self._outcomes.clear()
        self._warning_texts.clear()
        self.short_list = result is not None and result.case.prescription.plan == "continue"
        # (set before the warnings box: its labels fold on a short list)
        self.show_all.hide()
        if result is None:
            return
        if result.warnings:
            self.content_layout.addWidget(self._warnings_box(result, session))
            pending = [w.code for w in result.unacknowledged(session.acknowledged)]
            self._fold_warnings(pending[0] if pending else None)
        for section in result.sections:
            heading = QLabel(section.section.title)
            heading.setFont(scaled_font(1.2, bold=True))
            heading.setContentsMargins(0, 10, 0, 2)
            self.content_layout.addWidget(heading)
            shown = 0
            for point in section.points:
                card = PointCard(point, session.mark_of(point.id), compact=True,
                                 title_only=self.short_list)
                card.marked.connect(self.mark_changed)
                card.advance.connect(self._advance_from)
                self._cards[point.id] = card
                self.content_layout.addWidget(card)
                if self.short_list and not point.point.critical:
                    card.hide()
                    self.folded.append(card)
                else:
                    shown += 1
            if self.short_list and shown == 0:
                heading.hide()  # a whole section folded: the button says how many points wait
                self.folded.append(heading)
        if self.folded:
            hidden = sum(1 for w in self.folded if isinstance(w, PointCard))
            self.show_all.setText(f"Show the other {hidden} points (+)")
            self.show_all.show()
        self._ask_screening(result)
        self._chain_tab_order()
        guard_wheel(self.content)

    def _ask_screening(self, result: Counselling) -> None:
        """Screening questions not asked yet (or answered here), inline on the points that need
        them; any no point on screen covers go in a box above the points."""
        patient = result.case.patient
        wanted = [f for f in ("pregnant", "breastfeeding", "alcohol", "drives",
                              "missed_or_stopped_recently", "withdrawal_signs", "misuse_history")
                  if is_unasked(getattr(patient, f)) or f in self._asked_here]
        if patient.sex == "male" or patient.age < 9:
            wanted = [f for f in wanted if f not in ("pregnant", "breastfeeding")]
        covered: set[str] = set()
        for card in self._cards.values():
            if card in self.folded:
                continue  # folded (a repeat's short list): asked in the box instead
            for field in POINT_QUESTIONS.get(card.point.id, ()):
                if field in wanted and field not in covered:
                    covered.add(field)
                    card.add_question(self._question(field, getattr(patient, field)))
        rest = [f for f in wanted if f not in covered]
        if rest:
            box = QGroupBox("Screening questions to ask")
            layout = QVBoxLayout(box)
            for field in rest:
                layout.addWidget(self._question(field, getattr(patient, field)))
            self.content_layout.insertWidget(1 if self._outcomes else 0, box)
        refocus = next((q for q in self.questions if q.field == self._refocus), None)
        self._refocus = ""
        if refocus is not None:
            checked = refocus.group.checkedButton()
            if checked is not None:
                checked.setFocus(Qt.FocusReason.OtherFocusReason)

    def _question(self, field: str, value: object) -> ScreeningQuestion:
        question = ScreeningQuestion(field, value)
        question.answered.connect(self._on_answered)
        self.questions.append(question)
        return question

    def _on_answered(self, field: str, value: object) -> None:
        """An answer goes into the case; the question stays on screen (to correct a slip)."""
        self._asked_here.add(field)
        self._refocus = field
        self.screening_answered.emit(field, value)

    def forget_answers(self) -> None:
        """A new patient: questions answered on the last one's checklist are not kept on screen."""
        self._asked_here.clear()

    def unfold(self) -> None:
        """Open the folded sections (a repeat patient's short list first, the rest on request)."""
        for widget in self.folded:
            widget.show()
        self.folded = []
        self.show_all.hide()

    def _chain_tab_order(self) -> None:
        """Tab follows the page: warnings, then each point's marks and reason, then the notes.

        Without this, cards built after the notes field would come after it in the focus chain.
        """
        order: list[QWidget] = [self.empty_button]
        for code, check in self._ack_boxes.items():
            order += [self._outcomes[code], check]
        for card in self._cards.values():
            order += [*card.buttons.values(), card.reason]
            order += [b for q in self.questions if card.isAncestorOf(q) for b in q.buttons.values()]
        order.append(self.notes)
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _warnings_box(self, result: Counselling, session: CounsellingSession) -> QGroupBox:
        """Warnings to act on, each with how it was dealt with; then information, with no controls.

        Information (severity "info": a start date in the past, a score line to check) never blocks
        printing and is never acknowledged (core rules), so it gets no outcome list or tick box: a
        tick box the print gate ignores would tell the pharmacist something untrue.
        """
        to_act, notes = result.to_acknowledge, result.information
        box = QGroupBox("Safety warnings: read each one and say how it was dealt with" if to_act
                        else "For your information")
        box.setStyleSheet("QGroupBox { font-weight: 700; }")
        layout = QVBoxLayout(box)
        for warning in to_act:
            layout.addWidget(self._warning_label(warning, folds=True))
            code = warning.code
            title = warning.title
            outcome = named(OutcomeBox(), f"How the warning was dealt with: {title}")
            outcome.addItem("How was it dealt with? (keys 1-4)", "")
            for key, (value, label) in enumerate(ACK_OUTCOMES.items(), start=1):
                outcome.addItem(f"{key}  {label}", value)
            outcome.setCurrentIndex(max(outcome.findData(session.ack_outcomes.get(code, "")), 0))
            check = named(QCheckBox("Acknowledged"), f"Acknowledge warning: {title}")
            check.setStyleSheet("font-weight: 400;")
            check.setChecked(code in session.acknowledged)
            check.toggled.connect(lambda on, code=code: self._on_ack_toggled(code, on))
            outcome.currentIndexChanged.connect(lambda _i, code=code: self._on_outcome(code))
            outcome.chosen_by_key.connect(lambda code=code: self._advance_from_warning(code))
            self._ack_boxes[code] = check
            self._outcomes[code] = outcome
            row = QHBoxLayout()
            row.addWidget(outcome)
            row.addWidget(check)
            row.addStretch(1)
            layout.addLayout(row)
        if notes:
            if to_act:
                heading = QLabel("For your information (nothing to acknowledge):")
                heading.setStyleSheet("font-weight: 700;")
                layout.addSpacing(6)
                layout.addWidget(heading)
            for warning in notes:
                layout.addWidget(self._warning_label(warning, folds=False))
        return box

    def _warning_label(self, warning: Warning, *, folds: bool) -> QLabel:
        """One finding's plain title and message; the stable code is the tooltip (and the record's).

        Only a warning to act on folds on a short list: it opens when its outcome list takes the
        keyboard. Information has no control to take the keyboard, so it always shows in full.
        """
        title = warning.title
        full = f"<b>{_esc(title)}</b>: {_esc(warning.message)}"
        text = QLabel(full)
        self._warning_texts[warning.code] = (text, full, f"<b>{_esc(title)}</b> ▸" if folds else full)
        text.setToolTip(warning.code)
        text.setWordWrap(True)
        text.setStyleSheet("font-weight: 400;")
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return text

    def _fold_warnings(self, open_code: str | None) -> None:
        """On a short list, only the warning being acknowledged shows its whole message."""
        for code, (label, full, short) in self._warning_texts.items():
            label.setText(full if not self.short_list or code == open_code else short)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The card holding the keyboard shows its details; the one before folds up again."""
        if self.short_list and new is not None:
            code = next((c for c, box in self._outcomes.items()
                         if new is box or new is self._ack_boxes[c]), None)
            if code is not None:
                self._fold_warnings(code)
        card = new
        while card is not None and not isinstance(card, PointCard):
            card = card.parentWidget()
        if card is None or card is self._open_card or card not in self._cards.values():
            return
        if self._open_card is not None and self._open_card in self._cards.values():
            self._open_card.set_expanded(False)
        card.set_expanded(True)
        self._open_card = card

    def _advance_from_warning(self, code: str) -> None:
        """After an outcome chosen by key: the next warning still to do, else the first point."""
        codes = list(self._outcomes)
        later = codes[codes.index(code) + 1:]
        target = next((c for c in later if not self._ack_boxes[c].isChecked()), None)
        if target is not None:
            self.focus_warning(target)
            return
        cards = [c for c in self._cards.values() if c not in self.folded]
        first = next((c for c in cards if c.status() == "pending"), cards[0] if cards else None)
        if first is None:
            self.notes.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        first.focus_mark()
        _ensure_visible(self, first)

    def _advance_from(self, card: PointCard) -> None:
        """After a key mark, the next point still to do gets the keyboard (and comes into view);
        folded points (a repeat patient's short list) are passed over."""
        cards = [c for c in self._cards.values() if c not in self.folded or c is card]
        index = cards.index(card)
        later = cards[index + 1:]
        target = next((c for c in later if c.status() == "pending"), later[0] if later else None)
        if target is None:
            self.notes.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        target.focus_mark()
        _ensure_visible(self, target)

    def acknowledge(self, code: str, outcome: str) -> None:
        """Acknowledge a warning with an outcome id (as choosing it in the list does)."""
        combo = self._outcomes[code]
        combo.setCurrentIndex(max(combo.findData(outcome), 0))

    def _on_outcome(self, code: str) -> None:
        """Choosing how a warning was dealt with acknowledges it (one deliberate choice, not two)."""
        outcome = str(self._outcomes[code].currentData() or "")
        check = self._ack_boxes[code]
        if not outcome:
            check.setChecked(False)
        elif check.isChecked():
            self.acknowledged.emit(code, True, outcome)
        else:
            check.setChecked(True)

    def _on_ack_toggled(self, code: str, on: bool) -> None:
        combo = self._outcomes[code]
        outcome = str(combo.currentData() or "")
        if on and not outcome:
            # An acknowledgement records how the warning was dealt with: ask for that first.
            check = self._ack_boxes[code]
            check.blockSignals(True)
            check.setChecked(False)
            check.blockSignals(False)
            combo.setFocus(Qt.FocusReason.OtherFocusReason)
            self.summary.setText("Choose how the warning was dealt with: the record keeps it.")
            return
        if not on and outcome:
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.acknowledged.emit(code, on, outcome if on else "")

    def focus_warning(self, code: str) -> None:
        """Take the pharmacist to a warning still to acknowledge."""
        self.ensure_built()
        combo = self._outcomes.get(code)
        if combo is not None:
            combo.setFocus(Qt.FocusReason.OtherFocusReason)
            _ensure_visible(self, combo)

    def update_summary(self, result: Counselling | None, session: CounsellingSession) -> None:
        if result is None:
            self.summary.setText("")
            return
        points = result.points
        covered = sum(1 for p in points if session.mark_of(p.id).covered)
        critical = len(session.uncovered_critical(result))
        unacked = len(result.unacknowledged(session.acknowledged))
        parts = [f"<b>{covered} of {len(points)}</b> points discussed"]
        parts.append(
            f"<b>{critical}</b> critical not yet discussed" if critical else "all critical points discussed"
        )
        if result.warnings:
            parts.append(
                f"<b>{unacked}</b> warning(s) to acknowledge" if unacked else "all warnings acknowledged"
            )
        self.summary.setText(" · ".join(parts))
        self._show_must_say(result, session)

    def _show_must_say(self, result: Counselling, session: CounsellingSession) -> None:
        """The few things this patient must hear, one line each, ticked off as they are covered;
        the full cards follow below. Keys on a card: D discussed, U understood, N not discussed."""
        lines = must_say_lines(result, session)
        if not lines:
            self.must_say.hide()
            return
        items = "".join(f"<li>{'✓ ' if done else ''}{_esc(text)}</li>" for text, done in lines)
        self.must_say.setText("<b>Must say</b> (on a card: D discussed, U understood, N not "
                              f"discussed)<ul style='margin: 2px 0 0 -20px'>{items}</ul>")
        self.must_say.show()


MUST_SAY_MAX = 8
OPENING = ("<b>Open:</b> check who the medicine is for (name and date of birth). Ask: "
           "<i>\"What has the doctor told you it is for?\"</i>")
CLOSING = ("<b>Close (teach-back):</b> <i>\"To check I explained it well, can you tell me how and "
           "when you will take it, and what you will do if you miss a dose?\"</i>")


def must_say_lines(result: Counselling, session: CounsellingSession) -> list[tuple[str, bool]]:
    """Warnings to act on, then the critical points, as one-line prompts (at most MUST_SAY_MAX)."""
    lines: list[tuple[str, bool]] = []
    for warning in result.to_acknowledge:
        lines.append((f"Warning: {warning.title}", warning.code in session.acknowledged))
    for point in result.points:
        if point.point.critical:
            lines.append((point.point.title, session.mark_of(point.id).covered))
    if len(lines) > MUST_SAY_MAX:
        rest = len(lines) - MUST_SAY_MAX + 1
        lines = [*lines[:MUST_SAY_MAX - 1], (f"… and {rest} more critical items below", False)]
    return lines


def _ensure_visible(page: QWidget, widget: QWidget) -> None:
    parent = page.parentWidget()
    while parent is not None and not hasattr(parent, "ensureWidgetVisible"):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
