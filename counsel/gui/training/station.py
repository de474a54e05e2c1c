"""The station: door sign, a visible timer, the scripted patient and the real checklist."""

from __future__ import annotations

import html

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.training.common import DOOR_SIGN_STYLE, named, tree_children, wrapped
from counsel.training.scenarios import Scenario
from counsel.training.scoring import Answers

ID_ROLE = Qt.ItemDataRole.UserRole
NEW_POINT = QColor("#fff2b3")
OVER_TIME_STYLE = "color: #a40000; font-weight: 700; font-size: 14pt;"
TIMER_STYLE = "color: #1d3f6e; font-weight: 700; font-size: 14pt;"


class StationPage(QWidget):
    """One run of a scenario. Asking a question reveals its answer and any checklist points it unlocks."""

    finished = Signal()
    question_asked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scenario: Scenario | None = None
        self._asked: list[str] = []
        self._discussed: set[str] = set()
        self._new_points: set[str] = set()
        self._elapsed = QElapsedTimer()
        self._seconds = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._build_ui()
        self._connect_signals()

    # ------------------------------------------------------------------ build
    def _build_ui(self) -> None:
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: 700;")
        self.timer_label = named(QLabel("00:00"), "Station timer")
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
        ask_box = QGroupBox("Screening: ask the patient")
        ask_layout = QVBoxLayout(ask_box)
        ask_layout.addWidget(self.questions, 2)
        ask_layout.addWidget(self.ask_button)
        ask_layout.addWidget(QLabel("Conversation"))
        ask_layout.addWidget(self.transcript, 3)

        self.checklist = named(QTreeWidget(), "Checklist: tick each point as you discuss it")
        self.checklist.setHeaderHidden(True)
        self.prompt = named(wrapped(), "What to say for the selected point")
        self.prompt.setStyleSheet("color: #333333; padding: 4px;")
        self.prompt.setMinimumHeight(48)
        self.refer = named(QCheckBox("Refer: this patient needs urgent medical help or the prescriber today"),
                           "Refer the patient")
        check_box = QGroupBox("Checklist: tick each point as you discuss it")
        check_layout = QVBoxLayout(check_box)
        check_layout.addWidget(self.checklist, 1)
        check_layout.addWidget(self.prompt)
        check_layout.addWidget(self.refer)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(ask_box)
        splitter.addWidget(check_box)
        splitter.setSizes([420, 560])
        self.finish_button = named(QPushButton("Finish station"), "Finish the station and rate yourself")
        self.finish_button.setDefault(True)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.finish_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.door_sign)
        layout.addWidget(self.opening)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self._on_timer_timeout)
        self.ask_button.clicked.connect(self._on_ask_clicked)
        self.questions.itemDoubleClicked.connect(self._on_questions_double_clicked)
        self.checklist.itemChanged.connect(self._on_checklist_item_changed)
        self.checklist.currentItemChanged.connect(self._on_checklist_current_changed)
        self.finish_button.clicked.connect(self.finish)

    # ------------------------------------------------------------------ public API
    def load(self, scenario: Scenario) -> None:
        """Start a fresh attempt at `scenario` (clears everything and starts the clock)."""
        self._scenario = scenario
        self._asked = []
        self._discussed = set()
        self._new_points = set()
        spec = scenario.spec
        self.title.setText(html.escape(spec.title))
        self.door_sign.setText(f"<b>Door sign</b><br>{html.escape(spec.door_sign)}")
        self.opening.setText(f"<i>The patient says:</i> \u201c{html.escape(spec.opening)}\u201d")
        self.questions.clear()
        for q in spec.questions:
            item = QListWidgetItem(q.text)
            item.setData(ID_ROLE, q.id)
            self.questions.addItem(item)
        self.transcript.setHtml(
            f"<p><b>Patient:</b> {html.escape(spec.opening)}</p>")
        self.refer.setChecked(False)
        self.prompt.setText("Select a point to see what to say.")
        self._rebuild_checklist()
        self._seconds = 0
        self._elapsed.start()
        self._update_timer_label()
        self._timer.start()

    @property
    def scenario(self) -> Scenario:
        assert self._scenario is not None, "load() a scenario first"
        return self._scenario

    def ask(self, question_id: str) -> str:
        """Ask the patient one question; returns (and shows) the answer."""
        q = self.scenario.question(question_id)
        if question_id not in self._asked:
            self._asked.append(question_id)
            before = {p.id for p in self.scenario.visible_points(frozenset(self._asked[:-1]))}
            after = {p.id for p in self.scenario.visible_points(frozenset(self._asked))}
            self._new_points = after - before
            self._rebuild_checklist()
            self._mark_question_asked(question_id)
        self.transcript.append(f"<p><b>You:</b> {html.escape(q.text)}<br>"
                               f"<b>Patient:</b> {html.escape(q.answer)}</p>")
        self.question_asked.emit(question_id)
        return q.answer

    def asked(self) -> list[str]:
        return list(self._asked)

    def visible_point_ids(self) -> list[str]:
        return [p.id for p in self.scenario.visible_points(frozenset(self._asked))]

    def set_discussed(self, point_id: str, discussed: bool = True) -> None:
        item = self._point_item(point_id)
        if item is None:
            raise KeyError(f"point '{point_id}' is not on the checklist yet")
        item.setCheckState(0, Qt.CheckState.Checked if discussed else Qt.CheckState.Unchecked)

    def discussed(self) -> set[str]:
        return set(self._discussed)

    def set_referred(self, referred: bool) -> None:
        self.refer.setChecked(referred)

    def answers(self, self_rating: int | None = None) -> Answers:
        return Answers(asked=frozenset(self._asked), discussed=frozenset(self._discussed),
                       self_rating=self_rating, referral="urgent" if self.refer.isChecked() else "none")

    def elapsed_seconds(self) -> int:
        return self._elapsed.elapsed() // 1000 if self._elapsed.isValid() else 0

    def finish(self) -> None:
        self._timer.stop()
        self._seconds = self.elapsed_seconds()
        self.finished.emit()

    def stop_clock(self) -> None:
        self._timer.stop()

    # ------------------------------------------------------------------ internals
    def _rebuild_checklist(self) -> None:
        scenario = self.scenario
        visible = {p.id for p in scenario.visible_points(frozenset(self._asked))}
        self.checklist.blockSignals(True)
        self.checklist.clear()
        bold = QFont()
        bold.setBold(True)
        for section in scenario.counselling.sections:
            points = [p for p in section.points if p.id in visible]
            if not points:
                continue
            head = QTreeWidgetItem([section.section.title])
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.checklist.addTopLevelItem(head)
            for p in points:
                label = f"{p.point.title}  [critical]" if p.point.critical else p.point.title
                child = QTreeWidgetItem([label])
                child.setData(0, ID_ROLE, p.id)
                child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                               | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Checked if p.id in self._discussed
                                    else Qt.CheckState.Unchecked)
                child.setToolTip(0, p.prompt)
                if p.id in self._new_points:
                    child.setBackground(0, QBrush(NEW_POINT))
                    child.setToolTip(0, f"New: found by your last question. {p.prompt}")
                head.addChild(child)
        self.checklist.expandAll()
        self.checklist.blockSignals(False)

    def _mark_question_asked(self, question_id: str) -> None:
        for row in range(self.questions.count()):
            item = self.questions.item(row)
            if item.data(ID_ROLE) == question_id:
                item.setText(f"\u2713 {self.scenario.question(question_id).text}")
                item.setForeground(QBrush(QColor("#555555")))

    def _point_item(self, point_id: str) -> QTreeWidgetItem | None:
        return next((c for c in tree_children(self.checklist) if c.data(0, ID_ROLE) == point_id), None)

    def _update_timer_label(self) -> None:
        seconds = self.elapsed_seconds()
        guide = self.scenario.spec.rubric.time_minutes if self._scenario else 0
        text = f"{seconds // 60:02d}:{seconds % 60:02d} / {guide:02d}:00"
        self.timer_label.setText(text)
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

    def _on_checklist_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        point_id = item.data(0, ID_ROLE)
        if not point_id:
            return
        if item.checkState(0) == Qt.CheckState.Checked:
            self._discussed.add(str(point_id))
        else:
            self._discussed.discard(str(point_id))

    def _on_checklist_current_changed(self, current: QTreeWidgetItem | None,
                                      previous: QTreeWidgetItem | None) -> None:
        point_id = current.data(0, ID_ROLE) if current is not None else None
        if not point_id:
            return
        p = self.scenario.point(str(point_id))
        self.prompt.setText(f"<b>Say:</b> {html.escape(p.prompt)}")
