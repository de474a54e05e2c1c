"""The station: door sign, time used against the guide, the scripted patient, the action to take,
and the counter's own checklist cards (discussed / understood / not discussed).

Two phases. While the station runs the trainee asks questions, chooses the action and (in open
mode) marks the cards as they go; in blind (exam) mode the checklist stays hidden. After Finish
and the self-rating, the cards are shown for marking, with the examiner's global rating and
comment, and the station is scored.
"""

from __future__ import annotations

import html
from typing import Literal, cast

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.pages.checklist import PointCard
from counsel.gui.training.common import DOOR_SIGN_STYLE, named, wrapped
from counsel.services.session import MarkStatus, PointMark
from counsel.training.scenarios import ACTION_LABELS, ACTIONS, Action, Scenario
from counsel.training.scoring import EXAMINER_RATINGS, Answers, Mode

ID_ROLE = Qt.ItemDataRole.UserRole
OVER_TIME_STYLE = "color: #a40000; font-weight: 700; font-size: 13pt;"
TIMER_STYLE = "color: #1d3f6e; font-weight: 700; font-size: 13pt;"
NEW_STYLE = "color: #6b4e00; background: #fff2b3; padding: 1px 6px; border-radius: 3px;"
BANNER_STYLE = ("QLabel { background: #e8eef7; border: 1px solid #9db3d6; border-radius: 6px;"
                " padding: 8px; color: #1d3f6e; }")
Phase = Literal["running", "marking"]


def time_text(seconds: int, guide_minutes: int) -> str:
    """'Time used 03:12 of the 6:00 guide' (the station's time guide, not a hard stop)."""
    return f"Time used {seconds // 60:02d}:{seconds % 60:02d} of the {guide_minutes}:00 guide"


class StationPage(QWidget):
    """One run of a scenario. Asking a question reveals its answer and any checklist points it unlocks."""

    finished = Signal()  # the trainee pressed Finish: the clock has stopped
    score_requested = Signal()  # marking done: score the station
    question_asked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scenario: Scenario | None = None
        self._asked: list[str] = []
        self._marks: dict[str, PointMark] = {}
        self._new_points: set[str] = set()
        self._cards: dict[str, PointCard] = {}
        self._blind = False
        self._phase: Phase = "running"
        self._elapsed = QElapsedTimer()
        self._seconds = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._build_ui()
        self._connect_signals()

    # ------------------------------------------------------------------ build
    def _build_ui(self) -> None:
        self.title = named(QLabel(), "Station")
        self.title.setStyleSheet("font-size: 14pt; font-weight: 700;")
        self.timer_label = named(QLabel("Time used 00:00"), "Time used against the time guide")
        self.timer_label.setStyleSheet(TIMER_STYLE)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.timer_label)
        self.door_sign = named(wrapped(style=DOOR_SIGN_STYLE), "Door sign")
        self.opening = named(wrapped(), "What the patient says first")

        self.questions = named(QListWidget(), "Questions you can ask the patient",
                               "Double-click a question, or select it and press Ask")
        self.ask_button = named(QPushButton("Ask the patient"), "Ask the selected question")
        self.transcript = named(QTextBrowser(), "Conversation so far")
        ask_box = QGroupBox("Ask the patient")
        ask_layout = QVBoxLayout(ask_box)
        ask_layout.addWidget(self.questions, 2)
        ask_layout.addWidget(self.ask_button)
        ask_layout.addWidget(QLabel("Conversation"))
        ask_layout.addWidget(self.transcript, 3)
        ask_layout.addWidget(self._action_box())

        self.blind_notice = named(wrapped(
            "<b>Exam mode: the checklist is hidden.</b><br>Counsel the patient as you would at the "
            "counter, and choose the action. When you press Finish the clock stops, you rate "
            "yourself, and then the checklist cards are shown for marking."), "Exam mode notice")
        self.blind_notice.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.blind_notice.setStyleSheet(BANNER_STYLE)
        self.cards_widget = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_widget)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_scroll = named(QScrollArea(), "Checklist cards: mark each point")
        self.cards_scroll.setWidgetResizable(True)
        self.cards_scroll.setWidget(self.cards_widget)
        self.checklist_stack = QStackedWidget()
        self.checklist_stack.addWidget(self.cards_scroll)
        self.checklist_stack.addWidget(self.blind_notice)
        self.marking_banner = named(wrapped(style=BANNER_STYLE), "Marking instructions")
        self.examiner_box = self._examiner_box()
        check_box = QGroupBox("Checklist")
        check_layout = QVBoxLayout(check_box)
        check_layout.addWidget(self.marking_banner)
        check_layout.addWidget(self.checklist_stack, 1)
        check_layout.addWidget(self.examiner_box)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(ask_box)
        splitter.addWidget(check_box)
        splitter.setSizes([400, 640])
        self.finish_button = named(QPushButton("Finish station"), "Finish the station and rate yourself")
        self.finish_button.setDefault(True)
        self.score_button = named(QPushButton("Score the station"), "Score the station")
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.finish_button)
        bottom.addWidget(self.score_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.door_sign)
        layout.addWidget(self.opening)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

    def _action_box(self) -> QGroupBox:
        box = QGroupBox("Action: what else will you do?")
        layout = QVBoxLayout(box)
        self.action_group = QButtonGroup(self)
        self.action_buttons: dict[str, QRadioButton] = {}
        for action in ACTIONS:
            button = named(QRadioButton(ACTION_LABELS[action]), f"Action: {ACTION_LABELS[action]}")
            self.action_group.addButton(button)
            self.action_buttons[action] = button
            layout.addWidget(button)
        return box

    def _examiner_box(self) -> QGroupBox:
        box = QGroupBox("Examiner")
        self.examiner_rating = named(QComboBox(), "Examiner's global rating")
        self.examiner_rating.addItem("Not rated", None)
        for value, label in EXAMINER_RATINGS.items():
            self.examiner_rating.addItem(f"{value} – {label}", value)
        self.examiner_comment = named(QLineEdit(), "Examiner's comment")
        self.examiner_comment.setPlaceholderText("One line of feedback for the trainee (optional)")
        self.examiner_comment.setMaxLength(500)
        form = QFormLayout(box)
        form.addRow("Global rating", self.examiner_rating)
        form.addRow("Comment", self.examiner_comment)
        return box

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self._on_timer_timeout)
        self.ask_button.clicked.connect(self._on_ask_clicked)
        self.questions.itemDoubleClicked.connect(self._on_questions_double_clicked)
        self.finish_button.clicked.connect(self.finish)
        self.score_button.clicked.connect(self.score_requested)

    # ------------------------------------------------------------------ public API
    def load(self, scenario: Scenario, *, blind: bool = False) -> None:
        """Start a fresh attempt at `scenario` (clears everything and starts the clock)."""
        self._scenario = scenario
        self._blind = blind
        self._asked = []
        self._marks = {}
        self._new_points = set()
        spec = scenario.spec
        self.title.setText(html.escape(spec.station_title) + (" · exam mode" if blind else ""))
        self.door_sign.setText(f"<b>Door sign</b><br>{html.escape(spec.door_sign)}")
        self.opening.setText(f"<i>The patient says:</i> \u201c{html.escape(spec.opening)}\u201d")
        self.questions.clear()
        for q in spec.questions:
            item = QListWidgetItem(q.text)
            item.setData(ID_ROLE, q.id)
            self.questions.addItem(item)
        self.transcript.setHtml(f"<p><b>Patient:</b> {html.escape(spec.opening)}</p>")
        self.action_buttons["none"].setChecked(True)
        self.examiner_rating.setCurrentIndex(0)
        self.examiner_comment.clear()
        self._set_phase("running")
        self._rebuild_cards()
        self._seconds = 0
        self._elapsed.start()
        self._update_timer_label()
        self._timer.start()

    @property
    def scenario(self) -> Scenario:
        assert self._scenario is not None, "load() a scenario first"
        return self._scenario

    @property
    def blind(self) -> bool:
        return self._blind

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def cards(self) -> dict[str, PointCard]:
        """The counter's cards for the points on the checklist now, by point id."""
        return dict(self._cards)

    def checklist_visible(self) -> bool:
        return self.checklist_stack.currentWidget() is self.cards_scroll

    def ask(self, question_id: str) -> str:
        """Ask the patient one question; returns (and shows) the answer."""
        q = self.scenario.question(question_id)
        if question_id not in self._asked:
            self._asked.append(question_id)
            before = {p.id for p in self.scenario.visible_points(frozenset(self._asked[:-1]))}
            after = {p.id for p in self.scenario.visible_points(frozenset(self._asked))}
            self._new_points = after - before
            self._rebuild_cards()
            self._mark_question_asked(question_id)
        self.transcript.append(f"<p><b>You:</b> {html.escape(q.text)}<br>"
                               f"<b>Patient:</b> {html.escape(q.answer)}</p>")
        self.question_asked.emit(question_id)
        return q.answer

    def asked(self) -> list[str]:
        return list(self._asked)

    def visible_point_ids(self) -> list[str]:
        return [p.id for p in self.scenario.visible_points(frozenset(self._asked))]

    def set_mark(self, point_id: str, status: MarkStatus, reason: str = "") -> None:
        """Mark a card as the pharmacist would with its radio buttons."""
        card = self._cards.get(point_id)
        if card is None:
            raise KeyError(f"point '{point_id}' is not on the checklist yet")
        card.set_status(status, reason)

    def set_discussed(self, point_id: str, discussed: bool = True) -> None:
        self.set_mark(point_id, "discussed" if discussed else "pending")

    def discussed(self) -> set[str]:
        """Points marked discussed or understood."""
        return {pid for pid, mark in self._marks.items() if mark.covered}

    def set_action(self, action: Action) -> None:
        self.action_buttons[action].setChecked(True)

    def set_referred(self, referred: bool) -> None:
        """The older yes/no referral: yes means an urgent referral."""
        self.set_action("urgent" if referred else "none")

    def action(self) -> Action:
        return next((a for a in ACTIONS if self.action_buttons[a].isChecked()), "none")

    def set_examiner(self, rating: int | None, comment: str = "") -> None:
        self.examiner_rating.setCurrentIndex(max(0, self.examiner_rating.findData(rating)))
        self.examiner_comment.setText(comment)

    def answers(self, self_rating: int | None = None) -> Answers:
        mode: Mode = "blind" if self._blind else "open"
        rating = self.examiner_rating.currentData()
        return Answers(
            asked=frozenset(self._asked),
            discussed=frozenset(p for p, m in self._marks.items() if m.status == "discussed"),
            understood=frozenset(p for p, m in self._marks.items() if m.status == "understood"),
            self_rating=self_rating, referral=self.action(), mode=mode,
            examiner_rating=rating if isinstance(rating, int) else None,
            examiner_comment=self.examiner_comment.text().strip(),
        )

    def elapsed_seconds(self) -> int:
        if self._phase == "marking" or not self._timer.isActive():
            return self._seconds
        return self._elapsed.elapsed() // 1000 if self._elapsed.isValid() else 0

    def finish(self) -> None:
        """Stop the clock; the window asks for the self-rating next."""
        self._seconds = self.elapsed_seconds()
        self._timer.stop()
        self._update_timer_label()
        self.finished.emit()

    def begin_marking(self) -> None:
        """Show the cards (also in blind mode) and the examiner's rating, for marking and scoring."""
        self._new_points = set()
        self._rebuild_cards()
        self._set_phase("marking")

    def stop_clock(self) -> None:
        self._timer.stop()

    # ------------------------------------------------------------------ internals
    def _set_phase(self, phase: Phase) -> None:
        self._phase = phase
        running = phase == "running"
        hide_cards = running and self._blind
        self.checklist_stack.setCurrentWidget(self.blind_notice if hide_cards else self.cards_scroll)
        self.examiner_box.setVisible(not running)
        self.marking_banner.setVisible(not running)
        if not running:
            self.marking_banner.setText(
                f"<b>Time stopped</b> ({time_text(self._seconds, self._guide())}). Mark each card as the "
                "trainee covered it: discussed, understood (teach-back) or not discussed. Add the "
                "examiner's global rating, then score the station.")
        self.finish_button.setVisible(running)
        self.score_button.setVisible(not running)
        self.score_button.setDefault(not running)
        self.questions.setEnabled(running)
        self.ask_button.setEnabled(running)

    def _guide(self) -> int:
        return self.scenario.spec.rubric.time_minutes if self._scenario else 0

    def _rebuild_cards(self) -> None:
        """The counter's cards for the visible points, grouped by section; marks are kept."""
        while self.cards_layout.count():
            item = self.cards_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self._cards = {}
        scenario = self.scenario
        visible = {p.id for p in scenario.visible_points(frozenset(self._asked))}
        bold = QFont()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.1)
        for section in scenario.counselling.sections:
            points = [p for p in section.points if p.id in visible]
            if not points:
                continue
            heading = QLabel(section.section.title)
            heading.setFont(bold)
            heading.setContentsMargins(0, 8, 0, 2)
            self.cards_layout.addWidget(heading)
            for point in points:
                if point.id in self._new_points:
                    new = QLabel("New: found by your last question")
                    new.setStyleSheet(NEW_STYLE)
                    self.cards_layout.addWidget(new, 0, Qt.AlignmentFlag.AlignLeft)
                card = PointCard(point, self._marks.get(point.id, PointMark()))
                card.marked.connect(self._on_card_marked)
                self._cards[point.id] = card
                self.cards_layout.addWidget(card)
        self.cards_layout.addStretch(1)

    def _mark_question_asked(self, question_id: str) -> None:
        for row in range(self.questions.count()):
            item = self.questions.item(row)
            if item.data(ID_ROLE) == question_id:
                item.setText(f"\u2713 {self.scenario.question(question_id).text}")

    def _update_timer_label(self) -> None:
        seconds = self.elapsed_seconds()
        guide = self._guide()
        self.timer_label.setText(time_text(seconds, guide))
        self.timer_label.setStyleSheet(OVER_TIME_STYLE if seconds > guide * 60 else TIMER_STYLE)
        self.timer_label.setAccessibleDescription(f"{seconds // 60} minutes used of {guide}")

    # ------------------------------------------------------------------ slots
    def _on_timer_timeout(self) -> None:
        self._update_timer_label()

    def _on_ask_clicked(self) -> None:
        item = self.questions.currentItem()
        if item is not None:
            self.ask(str(item.data(ID_ROLE)))

    def _on_questions_double_clicked(self, item: QListWidgetItem) -> None:
        self.ask(str(item.data(ID_ROLE)))

    def _on_card_marked(self, point_id: str, status: str, reason: str) -> None:
        self._marks[point_id] = PointMark(cast(MarkStatus, status), reason)
