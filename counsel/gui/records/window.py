"""The history window: search records, open one read-only (with its audit trail), reprint its leaflet."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from counsel.core.errors import CounselError
from counsel.gui.records.detail import record_html
from counsel.gui.records.model import RecordTableModel
from counsel.services.records import RecordQuery, RecordsService, Reprint

log = logging.getLogger(__name__)


class ConfirmCurrentContent:
    """Ask whether to reprint with the current content when the record's version is gone."""

    @classmethod
    def ask(cls, parent: QWidget, message: str) -> bool:
        answer = QMessageBox.question(parent, "Content has changed", message)
        return answer == QMessageBox.StandardButton.Yes


class SavePdf:
    """Ask where to save a reprinted leaflet (None: cancelled)."""

    @classmethod
    def ask(cls, parent: QWidget, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "Save reprinted leaflet", suggested,
                                              "PDF files (*.pdf)")
        return Path(name) if name else None


class _JobSignals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _ReprintJob(QRunnable):
    """Renders off the UI thread (WeasyPrint takes a second); touches no widget."""

    def __init__(self, fn: Callable[[], Reprint], signals: _JobSignals) -> None:
        super().__init__()
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn()
        except CounselError as exc:
            self._signals.failed.emit(str(exc))
        except Exception as exc:  # a render can fail in many ways; the user gets one line
            log.warning("reprint failed: %s", type(exc).__name__)  # no message: may hold patient data
            self._signals.failed.emit(f"reprint failed ({type(exc).__name__})")
        else:
            self._signals.done.emit(result)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class HistoryWindow(QWidget):
    """Counselling history. Everything shown is read-only; corrections are made elsewhere."""

    searched = Signal(int)          # number of records found
    record_opened = Signal(int)     # record id
    reprinted = Signal(object)      # Reprint (pdf bytes, hash, whether identical)
    reprint_failed = Signal(str)    # one-line reason

    def __init__(self, service: RecordsService, *, user: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.service = service
        self.user = user.strip() or "?"
        self.current_id: int | None = None
        self.last_reprint: Reprint | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _JobSignals(self)
        self.setWindowTitle("Counselling history")
        self.resize(1100, 700)
        self._build_ui()
        self._connect_signals()
        self.search()

    # -- UI ------------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.patient_edit = QLineEdit()
        self.patient_edit.setAccessibleName("Patient reference")
        self.patient_edit.setPlaceholderText("e.g. GW1948")
        self.drug_edit = QLineEdit()
        self.drug_edit.setAccessibleName("Medicine")
        self.pharmacist_edit = QLineEdit()
        self.pharmacist_edit.setAccessibleName("Pharmacist initials")
        self.use_dates = QCheckBox("Only between")
        today = date.today()  # GUI edge: a default for the date filter only
        self.from_edit = QDateEdit(_qdate(today.replace(day=1)))
        self.to_edit = QDateEdit(_qdate(today))
        for edit, name in ((self.from_edit, "From date"), (self.to_edit, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setEnabled(False)
        self.search_button = QPushButton("&Search")
        filters = QFormLayout()
        filters.addRow("Patient reference", self.patient_edit)
        filters.addRow("Medicine", self.drug_edit)
        filters.addRow("Pharmacist", self.pharmacist_edit)
        dates = QHBoxLayout()
        for w in (self.use_dates, self.from_edit, QLabel("and"), self.to_edit, self.search_button):
            dates.addWidget(w)
        dates.addStretch(1)
        filters.addRow("Dates (UTC)", dates)

        self.model = RecordTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Records found")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Record details")
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText("Choose a record to see everything it holds.")

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name to print (not stored)")
        self.name_edit.setPlaceholderText("Patient name to print (not stored)")
        self.reprint_button = QPushButton("&Reprint leaflet")
        self.reprint_button.setEnabled(False)
        self.save_button = QPushButton("Save reprinted PDF…")
        self.save_button.setEnabled(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        actions = QHBoxLayout()
        for control in (self.name_edit, self.reprint_button, self.save_button):
            actions.addWidget(control)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    def _connect_signals(self) -> None:
        self.search_button.clicked.connect(self.search)
        for edit in (self.patient_edit, self.drug_edit, self.pharmacist_edit):
            edit.returnPressed.connect(self.search)
        self.use_dates.toggled.connect(self._on_use_dates_toggled)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_row_changed)
        self.reprint_button.clicked.connect(self.reprint)
        self.save_button.clicked.connect(self.save_reprint)
        self._signals.done.connect(self._on_job_done)
        self._signals.failed.connect(self._on_job_failed)

    # -- actions -------------------------------------------------------------------------------

    def query(self) -> RecordQuery:
        dated = self.use_dates.isChecked()
        return RecordQuery(
            patient_ref=self.patient_edit.text(), drug=self.drug_edit.text(),
            pharmacist=self.pharmacist_edit.text(),
            date_from=_pydate(self.from_edit.date()) if dated else None,
            date_to=_pydate(self.to_edit.date()) if dated else None,
        )

    def search(self) -> None:
        try:
            rows = self.service.find(self.query())
        except CounselError as exc:
            self._say(str(exc))
            return
        self.model.set_rows(rows)
        self._say(f"{len(rows)} record{'s' if len(rows) != 1 else ''} found.")
        self.searched.emit(len(rows))

    def open_record(self, record_id: int) -> None:
        """Show one record read-only; opening it is noted in the audit log."""
        try:
            record = self.service.get(record_id, viewed_by=self.user)
            html = record_html(record, self.service.versions(record_id),
                               self.service.audit(record_id))
        except CounselError as exc:
            self._say(str(exc))
            return
        self.current_id = record_id
        self.detail.setHtml(html)
        self.reprint_button.setEnabled(True)
        self.save_button.setEnabled(False)
        self.last_reprint = None
        self.record_opened.emit(record_id)

    def reprint(self) -> None:
        """Regenerate the leaflet; if the content changed since, ask before using the current one."""
        if self.current_id is None:
            return
        record_id = self.current_id
        try:
            check = self.service.check_reprint(record_id)
        except CounselError as exc:
            self._say(str(exc))
            return
        if check.content_changed and not ConfirmCurrentContent.ask(self, check.message):
            self._say("Reprint cancelled.")
            return
        name = self.name_edit.text().strip() or None
        accept = check.content_changed
        self.reprint_button.setEnabled(False)
        self._say("Reprinting…")
        self._pool.start(_ReprintJob(
            lambda: self.service.reprint(record_id, by=self.user, accept_current=accept,
                                         patient_name=name), self._signals))

    def save_reprint(self) -> None:
        if self.last_reprint is None:
            return
        path = SavePdf.ask(self, f"leaflet-record-{self.last_reprint.record_id}.pdf")
        if path is None:
            return
        try:
            self.service.write_pdf(path, self.last_reprint.pdf)
        except CounselError as exc:
            self._say(str(exc))
            return
        self._say(f"Saved {path.name}.")

    # -- slots ---------------------------------------------------------------------------------

    def _on_use_dates_toggled(self, on: bool) -> None:
        self.from_edit.setEnabled(on)
        self.to_edit.setEnabled(on)

    def _on_table_row_changed(self, current: Any, previous: Any) -> None:
        del previous
        if current.isValid():
            self.open_record(self.model.summary(current.row()).id)

    def _on_job_done(self, result: object) -> None:
        assert isinstance(result, Reprint)
        self.last_reprint = result
        self.reprint_button.setEnabled(self.current_id is not None)
        self.save_button.setEnabled(True)
        self._say(result.message)
        if self.current_id == result.record_id:
            self.open_record(result.record_id)  # show the new audit line
            self.last_reprint = result
            self.save_button.setEnabled(True)
        self.reprinted.emit(result)

    def _on_job_failed(self, message: str) -> None:
        self.reprint_button.setEnabled(self.current_id is not None)
        self._say(message)
        self.reprint_failed.emit(message)

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._pool.waitForDone(30000)
        super().closeEvent(event)
