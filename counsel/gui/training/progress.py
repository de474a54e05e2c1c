"""Progress over time for a trainee: attempts, topic scores, most missed points, CSV for sign-off."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from counsel.core.errors import CounselError
from counsel.gui.training.common import named, topic_label, wrapped
from counsel.services.training import TrainingService
from counsel.training.scoring import EXAMINER_RATINGS

COLUMNS = ("Finished (UTC)", "Trainee", "Station", "Score", "Result", "Self-rating", "Critical missed",
           "Mode", "Examiner")


class ProgressPage(QWidget):
    def __init__(self, service: TrainingService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.trainee = named(QComboBox(), "Show progress for")
        self.refresh_button = named(QPushButton("Refresh"), "Refresh progress")
        self.export_button = named(QPushButton("Export summary CSV…"),
                                   "Export a summary CSV for supervisor sign-off")
        self.table = named(QTableWidget(0, len(COLUMNS)), "Training attempts")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = named(QTextBrowser(), "Scores by topic and most missed points")
        self.status = wrapped()
        top = QHBoxLayout()
        top.addWidget(QLabel("Trainee"))
        top.addWidget(self.trainee, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.status)
        self.refresh_button.clicked.connect(self.refresh)
        self.trainee.currentIndexChanged.connect(self._on_trainee_changed)
        self.export_button.clicked.connect(self._on_export_clicked)

    def refresh(self) -> None:
        try:
            names = self._service.trainees()
        except CounselError as exc:
            self.status.setText(html.escape(str(exc)))
            return
        keep = self.trainee.currentData()
        self.trainee.blockSignals(True)
        self.trainee.clear()
        self.trainee.addItem("All trainees", None)
        for n in names:
            self.trainee.addItem(n, n)
        index = self.trainee.findData(keep)
        self.trainee.setCurrentIndex(max(index, 0))
        self.trainee.blockSignals(False)
        self._show()

    def _show(self) -> None:
        prog = self._service.progress(self.trainee.currentData())
        self.table.setRowCount(len(prog.attempts))
        for row, a in enumerate(prog.attempts):
            values = (a.finished_at.replace("T", " ")[:16], a.trainee, a.scenario_title, f"{a.score}%",
                      "pass" if a.passed else "fail", "" if a.self_rating is None else f"{a.self_rating}%",
                      ", ".join(a.critical_missed), "exam" if a.mode == "blind" else "open",
                      _examiner(a.examiner_rating, a.examiner_comment))
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        topics = "".join(f"<tr><td>{html.escape(topic_label(t))}</td><td align='right'>{p}%</td></tr>"
                         for t, p in prog.topics.items())
        missed = "".join(f"<li>{html.escape(m.title)} — missed {m.missed} of {m.seen}</li>"
                         for m in prog.most_missed)
        self.summary.setHtml(f"<b>By topic</b><table>{topics}</table>"
                             f"<b>Most often missed</b><ul>{missed or '<li>none yet</li>'}</ul>")

    def export_to(self, path: Path) -> None:
        try:
            self._service.export_csv(path, self.trainee.currentData())
        except (CounselError, OSError) as exc:
            self.status.setText(f"Could not export: {html.escape(str(exc))}")
            return
        self.status.setText(f"Saved {html.escape(str(path))}")

    def _on_trainee_changed(self, index: int) -> None:
        self._show()

    def _on_export_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export training summary", "training-summary.csv",
                                              "CSV files (*.csv)")
        if name:
            self.export_to(Path(name))


def _examiner(rating: int | None, comment: str | None) -> str:
    """The examiner's global rating and comment, e.g. '3 (clear pass): Spotted withdrawal fast'."""
    text = "" if rating is None else f"{rating} ({EXAMINER_RATINGS[rating].lower()})"
    if comment:
        text = f"{text}: {comment}" if text else comment
    return text
