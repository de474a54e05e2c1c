"""Step 4, leaflet: live preview of the personalised PDF, its options, Print and Save."""

from __future__ import annotations

import time

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.pages import choices
from counsel.gui.widgets import error_style, hint_label, named, scrolled

PAPERS = [("a4", "A4"), ("letter", "US Letter")]


class LeafletPage(QWidget):
    """Options on the left, the PDF preview on the right."""

    options_changed = Signal()
    large_print_changed = Signal(bool)
    region_changed = Signal(str)
    print_requested = Signal()
    save_requested = Signal()
    preview_shown = Signal(float)  # perf_counter time the new PDF was on screen
    title = "Leaflet"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._restore_y = 0
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        side = QWidget()
        form = QFormLayout()
        self.large_print = named(QCheckBox("Large print"), "Large print leaflet")
        self.paper = named(QComboBox(), "Paper size")
        for value, label in PAPERS:
            self.paper.addItem(label, value)
        self.region = named(QComboBox(), "Region rules")
        for value, label in choices.REGION:
            self.region.addItem(label, value)
        form.addRow("", self.large_print)
        form.addRow("Paper:", self.paper)
        form.addRow("Region:", self.region)
        self.print_button = named(QPushButton("Print…"), "Print the leaflet", "Ctrl+P")
        self.save_button = named(QPushButton("Save PDF…"), "Save the leaflet as PDF", "Ctrl+Shift+S")
        self.readiness = QLabel("")
        self.readiness.setWordWrap(True)
        self.readiness.setAccessibleName("Checklist before printing")
        self.show_missing_button = named(QPushButton("Show what is missing"),
                                         "Go to the first thing missing before printing")
        self.show_missing_button.hide()
        self.printer_label = hint_label("")
        self.printer_label.setAccessibleName("Printer status")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.setAccessibleName("Rendering the leaflet")
        self.progress.hide()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Leaflet status")
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())
        self.error.setAccessibleName("Leaflet problem")
        self.error.hide()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(QLabel("<b>Leaflet options</b>"))
        side_layout.addLayout(form)
        side_layout.addSpacing(8)
        side_layout.addWidget(self.readiness)
        side_layout.addWidget(self.show_missing_button)
        side_layout.addWidget(self.print_button)
        side_layout.addWidget(self.save_button)
        side_layout.addWidget(self.printer_label)
        side_layout.addSpacing(8)
        side_layout.addWidget(self.progress)
        side_layout.addWidget(self.status)
        side_layout.addWidget(self.error)
        side_layout.addStretch(1)
        side_area = scrolled(side, "Leaflet options")
        side_area.setMinimumWidth(250)
        side_area.setMaximumWidth(360)

        self.view = named(QPdfView(), "Leaflet preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.empty = hint_label("The preview appears once the patient and prescription in step 1 are valid.")
        right = QVBoxLayout()
        right.addWidget(self.empty)
        right.addWidget(self.view, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(side_area)
        layout.addLayout(right, 1)

    def _connect_signals(self) -> None:
        self.large_print.toggled.connect(self.large_print_changed)
        self.paper.currentIndexChanged.connect(self.options_changed)
        self.region.currentIndexChanged.connect(lambda: self.region_changed.emit(self.region.currentData()))
        self.print_button.clicked.connect(self.print_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.document.statusChanged.connect(self._on_document_status)

    # ---------------------------------------------------------------- state
    def set_options(self, *, large_print: bool, region: str, paper: str | None = None) -> None:
        """Mirror the case's values without emitting change signals."""
        for widget in (self.large_print, self.region, self.paper):
            widget.blockSignals(True)
        self.large_print.setChecked(large_print)
        self.region.setCurrentIndex(max(self.region.findData(region), 0))
        if paper is not None:
            self.paper.setCurrentIndex(max(self.paper.findData(paper), 0))
        for widget in (self.large_print, self.region, self.paper):
            widget.blockSignals(False)

    def paper_value(self) -> str:
        return str(self.paper.currentData())

    def set_available(self, available: bool) -> None:
        self.empty.setVisible(not available)
        self.print_button.setEnabled(available)
        self.save_button.setEnabled(available)

    def set_printers(self, printers: list[str], default: str) -> None:
        if not printers:
            self.printer_label.setText(
                "No printer is installed on this computer. Use Save PDF… and print the file elsewhere."
            )
        else:
            self.printer_label.setText(
                f"Printer: {default or printers[0]}"
                + (f" (and {len(printers) - 1} more)" if len(printers) > 1 else "")
            )

    def show_readiness(self, critical: int, missing: str) -> None:
        """What is still open, so Print does not come as a surprise. `missing` is the print gate's
        summary ('' when the leaflet may be given)."""
        open_items = [missing] if missing else []
        if critical:
            open_items.append(f"{critical} critical point{'s' if critical != 1 else ''} not yet discussed")
        if missing:
            self.readiness.setStyleSheet(error_style())
            self.readiness.setText("Not ready to print: " + "; ".join(open_items) + ".")
        elif open_items:
            self.readiness.setStyleSheet("")
            self.readiness.setText("Before printing: " + "; ".join(open_items) + ".")
        else:
            self.readiness.setStyleSheet("")
            self.readiness.setText("✓ Checklist complete: ready to print.")
        self.show_missing_button.setVisible(bool(missing))

    def show_rendering(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        if busy:
            self.status.setText("Updating the preview…")

    def show_failure(self, message: str) -> None:
        """Keep the last good preview; say what went wrong in one line."""
        self.progress.hide()
        self.error.setText(
            f"The leaflet could not be made: {message}. The preview shows the last good version."
        )
        self.error.show()
        self.status.setText("")

    def show_pdf(self, pdf: bytes) -> None:
        """Load new PDF bytes into the preview, keeping the reader's place."""
        self.error.hide()
        self._restore_y = self.view.verticalScrollBar().value()
        old = self._buffer
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self.document.load(buffer)
        if old is not None:
            old.close()
            old.deleteLater()

    def _on_document_status(self, status: QPdfDocument.Status) -> None:
        if status == QPdfDocument.Status.Ready:
            self.view.verticalScrollBar().setValue(self._restore_y)
            pages = self.document.pageCount()
            self.status.setText(f"Preview up to date: {pages} page{'s' if pages != 1 else ''}.")
            self.progress.hide()
            self.preview_shown.emit(time.perf_counter())
        elif status == QPdfDocument.Status.Error:
            self.show_failure("the PDF could not be displayed")

    def page_text(self, page: int = 0) -> str:
        return self.document.getAllText(page).text()

    def go_to_top(self) -> None:
        self.view.pageNavigator().jump(0, QPointF(), 0)
