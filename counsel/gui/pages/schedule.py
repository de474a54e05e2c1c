"""Step 3, schedule: the dose calendar as a table to check against the prescription."""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.widgets import hint_label, named, tone

if TYPE_CHECKING:  # annotations only: the window paints before the core (pydantic) loads
    from counsel.core.rules import Counselling


def mg(amount: float) -> str:
    """The core's milligram wording (imported on use: the core loads after the window paints)."""
    from counsel.core.doses import mg as core_mg

    return core_mg(amount)


# Short headings: at 150 % fonts the amount ("1½ tablets of 10 mg") must still fit in full.
COLUMNS = ("From", "To", "Days", "Each dose", "Amount to take", "Times a day", "At", "Daily total")
# When the columns do not fit side by side (200 % fonts), the table reflows: the headings break
# over two lines, every column shares the width and the cells wrap; it never scrolls sideways.
WRAPPED = ("From", "To", "Days", "Each\ndose", "Amount\nto take", "Times\na day", "At",
           "Daily\ntotal")


def _day(value: date | None) -> str:
    return "ongoing" if value is None else f"{value:%a} {value.day} {value:%b %Y}"


class SchedulePage(QWidget):
    """The titration or taper calendar, one row per step."""

    checked_changed = Signal(bool)
    title = "Schedule"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Prescription summary")
        self.empty = hint_label("")
        self.table = named(QTableWidget(0, len(COLUMNS)), "Dose calendar")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move inside it)
        self.table.setWordWrap(False)  # until it reflows (see _reflow); tooltips have it all
        self.table.verticalHeader().setVisible(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reflowed = False
        self._reflowed_at = -1
        self._fit_columns()
        # The table's own width decides (the page can be resized while hidden, before its layout
        # has given the table its width).
        self.table.installEventFilter(self)
        self.checked = named(
            QCheckBox("I have &checked this calendar against the prescription"),
            "Calendar checked against the prescription",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addWidget(self.checked)
        layout.addStretch(1)
        self.checked.toggled.connect(self.checked_changed)

    def focus_check(self) -> None:
        """Take the pharmacist to the calendar tick (the print gate asks for it)."""
        self.checked.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_result(self, result: Counselling | None, checked: bool) -> None:
        self.checked.blockSignals(True)
        self.checked.setChecked(checked)
        self.checked.blockSignals(False)
        self.table.setRowCount(0)
        self._reflowed_at = -1
        if result is None:
            self.summary.setText("")
            self.empty.setText("The calendar appears once the patient and prescription in step 1 are valid.")
            self.empty.show()
            self.table.hide()
            self.checked.hide()
            return
        rx = result.case.prescription
        self.summary.setText(self._summary(result))
        if not result.schedule:
            self.empty.setText("No calendar: pump (intrathecal) doses are set by the pump clinic.")
            self.empty.show()
            self.table.hide()
            self.checked.hide()
            return
        self.empty.hide()
        self.table.show()
        self.checked.show()
        times = ", ".join(rx.times)
        for row, step in enumerate(result.schedule):
            amount = result.amount(step.dose_mg)
            cells = (
                _day(step.start),
                _day(step.end) if step.end else "ongoing",
                str(step.days) if step.days is not None else "—",
                amount.mg_text,
                amount.amount_text,
                str(step.times_per_day),
                times,
                mg(step.daily_total_mg),
            )
            self.table.insertRow(row)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a narrow column (large fonts) still shows it in full
                if col in (2, 3, 5, 7):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == 7:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if not amount.measurable and col == 4:
                    item.setForeground(QColor(tone("error")))
                self.table.setItem(row, col, item)
        self._reflow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.table and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            width = self.table.width()
            if width != self._reflowed_at:
                self._reflow()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)

    def _reflow(self) -> None:
        """Columns sized to their contents when they fit the page, else wrapped to its width."""
        if self.table.isHidden() or not self.table.rowCount():
            return
        self._reflowed_at = self.table.width()
        header = self.table.horizontalHeader()
        self.table.setWordWrap(False)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self._fit_columns()
        needed = sum(max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c))
                     for c in range(self.table.columnCount()))
        # The table's width (its viewport lags behind a resize), less a vertical scroll bar when
        # a long calendar scrolls inside the table.
        room = self.table.width() - 2 * self.table.frameWidth()
        if self.table.rowCount() > 8:
            room -= self.table.verticalScrollBar().sizeHint().width()
        self.reflowed = needed > room
        if self.reflowed:
            self.table.setWordWrap(True)
            self.table.setHorizontalHeaderLabels(list(WRAPPED))
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        rows = [self.table.rowHeight(r) for r in range(self.table.rowCount())]
        height = header.sizeHint().height() + 2 * self.table.frameWidth() + 2
        # A long calendar scrolls inside the table; up to 8 steps (wrapped too) show whole.
        cap = max(460, height + 8 * max(rows))
        self.table.setFixedHeight(min(height + sum(rows), cap))

    @staticmethod
    def _summary(result: Counselling) -> str:
        rx = result.case.prescription
        plan = {"start": "Starting", "continue": "Continuing", "change": "Changing", "stop": "Stopping"}[
            rx.plan
        ]
        form = result.monograph.forms.get(rx.form)
        product = f"{result.monograph.name} {rx.strength} {form.label if form else rx.form.replace('_', ' ')}"
        text = f"<b>{plan} {html.escape(product)}</b>"
        if rx.dose_mg is not None:
            text += f", {mg(rx.dose_mg)} {rx.doses_per_day} times a day at {', '.join(rx.times)}"
        if rx.start_date is not None:
            text += f", from {_day(rx.start_date)}"
        if rx.titration is not None:
            t = rx.titration
            text += (
                f"; increase by {mg(t.step_mg)} every {t.every_days} days up to "
                f"{mg(t.target_dose_mg)} each time"
            )
        if rx.taper is not None:
            text += f"; reduce by {mg(rx.taper.step_mg)} every {rx.taper.every_days} days, then stop"
        if rx.prescriber:
            text += f" (prescriber: {html.escape(rx.prescriber)})"
        return text + f". Maximum for {result.region.label}: {mg(result.region.max_daily_mg)} a day."
