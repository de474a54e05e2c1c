"""Pick a station: trainee name, filters by difficulty and topic, and the door sign to read first."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.training.common import DIFFICULTY, DOOR_SIGN_STYLE, named, topic_label, wrapped
from counsel.services.training import TrainingService

ID_ROLE = Qt.ItemDataRole.UserRole


class ChooserPage(QWidget):
    start_requested = Signal(str)

    def __init__(self, service: TrainingService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._build_ui()
        self._connect_signals()
        self.refresh()

    def _build_ui(self) -> None:
        self.trainee = named(QLineEdit(), "Trainee name", "Your name, so your progress is kept")
        self.trainee.setPlaceholderText("Your name (kept only in the training log)")
        self.difficulty = named(QComboBox(), "Filter by difficulty")
        self.difficulty.addItem("Any difficulty", None)
        for level, label in DIFFICULTY.items():
            self.difficulty.addItem(label, level)
        self.topic = named(QComboBox(), "Filter by topic")
        self.topic.addItem("Any topic", None)
        for t in self._service.topics():
            self.topic.addItem(topic_label(t), t)
        self.blind = named(QCheckBox("Exam mode: hide the checklist until I finish"), "Exam mode",
                           "Blind mode: the checklist cards appear only after Finish, for marking")
        form = QFormLayout()
        form.addRow("Trainee", self.trainee)
        form.addRow("Mode", self.blind)
        filters = QHBoxLayout()
        filters.addWidget(self.difficulty)
        filters.addWidget(self.topic)
        form.addRow("Show", filters)
        self.list = named(QListWidget(), "Training stations")
        self.preview = named(wrapped(style=DOOR_SIGN_STYLE), "Door sign of the selected station")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.meta = named(wrapped(), "About the selected station")
        self.start_button = named(QPushButton("Start station"), "Start the selected station")
        self.start_button.setDefault(True)
        self.hint = wrapped()
        self.hint.setStyleSheet("color: #555555;")
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Door sign</b> — read this before you start"))
        right.addWidget(self.preview)
        right.addWidget(self.meta)
        right.addWidget(self.hint)
        right.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignRight)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 2)
        body.addLayout(right, 3)
        layout = QVBoxLayout(self)
        heading = QLabel("Training stations: scripted patients on the real checklist")
        heading.setStyleSheet("font-size: 14pt; font-weight: 700;")
        layout.addWidget(heading)
        layout.addWidget(wrapped("Synthetic patients only. Attempts are kept in a separate training log, "
                                 "never in the counselling records."))
        layout.addLayout(form)
        layout.addLayout(body, 1)

    def _connect_signals(self) -> None:
        self.difficulty.currentIndexChanged.connect(self._on_filter_changed)
        self.topic.currentIndexChanged.connect(self._on_filter_changed)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.trainee.textChanged.connect(self._on_trainee_changed)
        self.blind.toggled.connect(self._on_blind_toggled)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.list.itemActivated.connect(self._on_list_activated)

    def refresh(self) -> None:
        keep = self.selected_id()
        self.list.clear()
        for s in self._service.filter(difficulty=self.difficulty.currentData(),
                                      topic=self.topic.currentData()):
            stars = "★" * s.spec.difficulty + "☆" * (3 - s.spec.difficulty)
            # The neutral title: the teaching title would give the answer away.
            item = QListWidgetItem(f"{stars}  {s.spec.station_title}")
            item.setData(ID_ROLE, s.id)
            self.list.addItem(item)
            if s.id == keep:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._update_preview()

    def selected_id(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else None

    def select(self, scenario_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == scenario_id:
                self.list.setCurrentRow(row)
                return
        raise KeyError(f"scenario '{scenario_id}' is not in the list (check the filters)")

    def listed_ids(self) -> list[str]:
        return [str(self.list.item(r).data(ID_ROLE)) for r in range(self.list.count())]

    def _update_preview(self) -> None:
        sid = self.selected_id()
        if sid is None:
            self.preview.setText("No station matches these filters.")
            self.meta.setText("")
        else:
            s = self._service.scenario(sid)
            region = "UK" if s.case.region == "uk" else "US"
            self.preview.setText(html.escape(s.spec.door_sign))
            topics = ("" if self.blind.isChecked() else "<br>Topics: "
                      + ", ".join(html.escape(topic_label(t)) for t in s.spec.topics))
            self.meta.setText(
                f"Difficulty {DIFFICULTY[s.spec.difficulty]} · {region} rules · time guide "
                f"{s.spec.rubric.time_minutes} min · pass mark {s.spec.rubric.pass_mark}%{topics}")
        self._update_start()

    def _update_start(self) -> None:
        ok = self.selected_id() is not None and bool(self.trainee.text().strip())
        self.start_button.setEnabled(ok)
        self.hint.setText("" if self.trainee.text().strip() else "Enter your name to start.")

    def _on_filter_changed(self, index: int) -> None:
        self.refresh()

    def _on_list_current_changed(self, current: QListWidgetItem | None,
                                 previous: QListWidgetItem | None) -> None:
        self._update_preview()

    def _on_trainee_changed(self, text: str) -> None:
        self._update_start()

    def _on_blind_toggled(self, checked: bool) -> None:
        self._update_preview()

    def _on_start_clicked(self) -> None:
        sid = self.selected_id()
        if sid is not None and self.start_button.isEnabled():
            self.start_requested.emit(sid)

    def _on_list_activated(self, item: QListWidgetItem) -> None:
        self._on_start_clicked()
