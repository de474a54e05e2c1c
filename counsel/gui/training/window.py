"""The training window: choose a station, run it, rate yourself, get feedback; study; see progress."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from counsel.core.errors import CounselError
from counsel.gui.training.chooser import ChooserPage
from counsel.gui.training.feedback import FeedbackPage, RatingPage
from counsel.gui.training.progress import ProgressPage
from counsel.gui.training.reference import ReferenceBrowser
from counsel.gui.training.station import StationPage
from counsel.gui.worker import Worker
from counsel.services.leaflet import LeafletOptions
from counsel.services.render_process import write_leaflet
from counsel.services.training import TrainingService
from counsel.training.scoring import Result

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TrainingWindow(QWidget):
    """Training mode. Attempts go to the training database only (never the counselling records)."""

    attempt_finished = Signal(object)  # the scored Result, after it has been saved
    leaflet_saved = Signal(object)  # Path of a practice leaflet (watermarked TRAINING)
    leaflet_failed = Signal(str)

    def __init__(self, service: TrainingService, *, clock: Clock = _utc_now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock
        self.result: Result | None = None
        self.saved_attempt_id: int | None = None
        self._self_rating: int | None = None
        self._worker = Worker(self)
        self.setWindowTitle("Counsel — Training (synthetic patients only)")
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.chooser = ChooserPage(self._service)
        self.station = StationPage()
        self.rating = RatingPage()
        self.feedback = FeedbackPage()
        self.stack = QStackedWidget()
        for page in (self.chooser, self.station, self.rating, self.feedback):
            self.stack.addWidget(page)
        self.reference = ReferenceBrowser(self._service.reference())
        self.progress = ProgressPage(self._service)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.stack, "Practice")
        self.tabs.addTab(self.reference, "Reference")
        self.tabs.addTab(self.progress, "Progress")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.resize(1100, 760)

    def _connect_signals(self) -> None:
        self.chooser.start_requested.connect(self._on_chooser_start_requested)
        self.station.finished.connect(self._on_station_finished)
        self.station.score_requested.connect(self._on_station_score_requested)
        self.rating.submitted.connect(self._on_rating_submitted)
        self.feedback.again.connect(self._on_feedback_again)
        self.feedback.choose_another.connect(self._on_feedback_choose_another)
        self.feedback.leaflet_requested.connect(self._on_feedback_leaflet_requested)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

    # ------------------------------------------------------------------ public API (also for tests)
    def start(self, scenario_id: str, *, blind: bool | None = None) -> None:
        """Run a station; `blind` (exam mode) defaults to the chooser's check box."""
        self.result = None
        self.saved_attempt_id = None
        self._self_rating = None
        exam = self.chooser.blind.isChecked() if blind is None else blind
        self.station.load(self._service.scenario(scenario_id), blind=exam)
        self.stack.setCurrentWidget(self.station)

    def submit_self_rating(self, rating: int) -> None:
        """Keep the trainee's self-rating, then show the cards (and examiner rating) for marking."""
        self._self_rating = rating
        self.station.begin_marking()
        self.stack.setCurrentWidget(self.station)

    def submit_rating(self, rating: int | None = None) -> Result:
        """Score the attempt, save it to the training log, show the feedback."""
        if rating is None:
            rating = self._self_rating
        scenario = self.station.scenario
        self.station.stop_clock()
        duration = self.station.elapsed_seconds()
        result = self._service.score(scenario.id, self.station.answers(self_rating=rating))
        trainee = self.chooser.trainee.text().strip()
        try:
            self.saved_attempt_id = self._service.save(
                trainee, result, finished_at=self._clock(), duration_s=duration)
            saved = f"Saved to the training log ({html.escape(str(self._service.db_path))})."
        except CounselError as exc:
            self.saved_attempt_id = None
            saved = f"Not saved: {html.escape(str(exc))}"
        self.result = result
        self.feedback.show_result(result, scenario, saved, duration_s=duration)
        self.stack.setCurrentWidget(self.feedback)
        self.attempt_finished.emit(result)
        return result

    def save_practice_leaflet(self, out: Path) -> None:
        """Render this station's leaflet with the TRAINING watermark, off the UI thread."""
        result = self.station.scenario.counselling
        options = LeafletOptions(training=True)  # never a patient-ready leaflet from training mode
        today = self._clock().date()
        self.feedback.saved_label.setText("Making the practice leaflet…")
        self._worker.submit(lambda: write_leaflet(result, options, out, today=today),
                            lambda _pdf: self._on_leaflet_done(out), self._on_leaflet_error)

    def _on_leaflet_done(self, out: Path) -> None:
        self.feedback.saved_label.setText(f"Practice leaflet saved: {html.escape(str(out))} "
                                          "(watermarked TRAINING — not for patient use).")
        self.leaflet_saved.emit(out)

    def _on_leaflet_error(self, message: str) -> None:
        self.feedback.saved_label.setText(f"Could not make the leaflet: {html.escape(message)}")
        self.leaflet_failed.emit(message)

    # ------------------------------------------------------------------ slots
    def _on_feedback_leaflet_requested(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save practice leaflet",
                                              f"training-{self.station.scenario.id}.pdf",
                                              "PDF files (*.pdf)")
        if name:
            self.save_practice_leaflet(Path(name))

    def _on_chooser_start_requested(self, scenario_id: str) -> None:
        self.start(scenario_id)

    def _on_station_finished(self) -> None:
        self.rating.set_rating(50)
        self.stack.setCurrentWidget(self.rating)

    def _on_rating_submitted(self, rating: int) -> None:
        self.submit_self_rating(rating)

    def _on_station_score_requested(self) -> None:
        self.submit_rating()

    def _on_feedback_again(self) -> None:
        self.start(self.station.scenario.id)

    def _on_feedback_choose_another(self) -> None:
        self.stack.setCurrentWidget(self.chooser)

    def _on_tabs_current_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.progress:
            self.progress.refresh()

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self.station.stop_clock()
        self._worker.wait()
        self._service.close()  # reopened lazily if the window is shown again
        super().closeEvent(event)  # type: ignore[arg-type]
