"""Print… and Save PDF…: confirm uncovered critical points, then print with lp (or Qt) or save atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from counsel.atomic_write import write_atomic
from counsel.gui import printing
from counsel.gui.dialogs import CriticalConfirmDialog, FileDialogs, Messages, NoPrinterDialog, PrintDialog
from counsel.gui.files import output_refusal, write_failure
from counsel.gui.preview import fingerprint, render_pdf
from counsel.services.release import ReleaseCheck, release_check

if TYPE_CHECKING:
    from counsel.gui.main_window import MainWindow


class LeafletActions(QObject):
    """The output side of the leaflet step; long work (render, lp) runs in the worker."""

    saved = Signal(Path)
    printed = Signal(str)  # lp's answer, or "painted"
    failed = Signal(str)
    handed_over = Signal(bytes, str)  # the PDF given to the patient, "saved" or "printed" (records)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    # ------------------------------------------------------------ checks
    def _ready(self, action: str) -> bool:
        """A valid case, and any critical point not yet discussed deliberately confirmed."""
        result = self.w.model.result
        if result is None:
            Messages.warn(
                self.w,
                f"{action}: the case is not complete",
                f"Complete step 1 first: {self.w.model.error or 'the case is empty'}.",
            )
            self.w.show_problem()
            return False
        if not self._released(action):
            return False
        uncovered = self.w.model.session.uncovered_critical(result)
        if uncovered and not CriticalConfirmDialog.ask(self.w, [p.point.title for p in uncovered], action):
            self.w.go_to(1)
            return False
        return True

    def release(self) -> ReleaseCheck | None:
        """The service-layer print gate for the case on screen (None: no valid case)."""
        result, session = self.w.model.result, self.w.model.session
        if result is None:
            return None
        return release_check(result, acknowledged=session.acknowledged,
                             calendar_checked=session.schedule_checked)

    def _released(self, action: str) -> bool:
        """The gate: every warning acknowledged and any dose calendar checked. If not, say what is
        missing and take the pharmacist to the first missing item."""
        check = self.release()
        if check is None or check.released:
            return check is not None
        Messages.warn(self.w, f"{action}: not ready yet",
                      f"Before the leaflet can be given: {check.summary()}.\n\n"
                      + "\n".join(f"• {m.text}" for m in check.missing))
        self.show_missing(check)
        return False

    def show_missing(self, check: ReleaseCheck | None = None) -> None:
        """Go to the first thing still missing (a warning on step 2, or the calendar on step 3)."""
        check = check or self.release()
        if check is None or check.released:
            return
        first = check.missing[0]
        if first.kind == "warning":
            self.w.go_to(1)
            self.w.checklist.focus_warning(first.code)
        else:
            self.w.go_to(2)
            self.w.schedule.focus_check()

    def _with_pdf(self, use: Callable[[bytes], None]) -> None:
        """Call `use` with a PDF of the case on screen: the preview if it is of this very case, else
        a fresh render. Either way the PDF is checked against the case on screen just before it is
        used, so one patient's leaflet is never saved or printed under another's name."""
        preview, result = self.w.preview, self.w.model.result
        assert result is not None
        options, today = self.w.preview_options(), self.w.today()
        wanted = fingerprint(result)
        if preview.matches(result, options):
            self._use_checked(preview.pdf, wanted, use)
            return
        self.w.statusBar().showMessage("Making the leaflet…")
        self.w.worker.submit(
            lambda: render_pdf(result, options, today),
            lambda pdf: self._use_checked(pdf, wanted, use) if isinstance(pdf, bytes) else None,
            lambda message: self._fail(f"The leaflet could not be made: {message}"),
        )

    def _use_checked(self, pdf: bytes, made_from: str, use: Callable[[bytes], None]) -> None:
        if made_from != fingerprint(self.w.model.result):
            self._fail("The case changed while the leaflet was being made, so nothing was saved or "
                       "printed. Check the case and try again.")
            return
        check = self.release()  # again: an acknowledgement may have been withdrawn meanwhile
        if check is None or not check.released:
            self._fail("The leaflet is not ready to give: "
                       f"{check.summary() if check else 'the case is not complete'}.")
            return
        use(pdf)

    def _fail(self, message: str) -> None:
        self.w.statusBar().showMessage(message, 10000)
        Messages.warn(self.w, "Leaflet", message)
        self.failed.emit(message)

    # -------------------------------------------------------------- save
    def save_pdf(self, *, confirmed: bool = False) -> None:
        if not confirmed and not self._ready("Save"):
            return
        path = FileDialogs.save_pdf(self.w, self.w._suggested_name(".pdf", Path.home()))
        if path is not None and not self._refused(path):
            self._with_pdf(lambda pdf: self._write(path, pdf))

    def _refused(self, path: Path) -> bool:
        """The shared output guard: never write over a database (or its -wal/-shm) or the open case
        file. Asked when the path is chosen (before any render) and again just before writing."""
        refusal = output_refusal(path, "Save PDF", databases=self.w.databases_in_use(),
                                 inputs=[self.w.case_path])
        if refusal:
            self._fail(refusal)
        return bool(refusal)

    def _write(self, path: Path, pdf: bytes) -> None:
        if self._refused(path):
            return
        try:
            write_atomic(path, pdf)
        except OSError as exc:
            self._fail(write_failure(path, exc))
            return
        self.w.model.set_leaflet_output("saved")
        self.w.statusBar().showMessage(f"Leaflet saved: {path}", 10000)
        self.saved.emit(path)
        self.handed_over.emit(pdf, "saved")

    # ------------------------------------------------------------- print
    def print_leaflet(self) -> None:
        if not self._ready("Print"):
            return
        printers = printing.available_printers()
        if not printers:
            self.w.statusBar().showMessage(
                "No printer is installed: save the leaflet as a PDF instead.", 10000
            )
            if NoPrinterDialog.ask(self.w):
                self.save_pdf(confirmed=True)
            return
        wanted = (
            self.w.settings.printer if self.w.settings.printer in printers else printing.default_printer()
        )
        printer = QPrinter(
            QPrinterInfo.printerInfo(wanted or printers[0]), QPrinter.PrinterMode.HighResolution
        )
        paper = (
            QPageSize.PageSizeId.Letter
            if self.w.leaflet.paper_value() == "letter"
            else QPageSize.PageSizeId.A4
        )
        printer.setPageSize(QPageSize(paper))
        printer.setDocName(printing.JOB_TITLE)
        if not PrintDialog.ask(self.w, printer):
            return
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            target = Path(printer.outputFileName())  # "Print to file" in the dialog: write our own PDF
            if not self._refused(target):
                self._with_pdf(lambda pdf: self._write(target, pdf))
            return
        chosen = printer.printerName()
        name = chosen if chosen in printers else (wanted or printers[0])
        copies = printer.copyCount()
        self._with_pdf(lambda pdf: self._spool(pdf, name, copies, printer))

    def _spool(self, pdf: bytes, name: str, copies: int, printer: QPrinter) -> None:
        lp = printing.lp_path()
        if lp is None:
            try:
                printing.paint_pdf(pdf, printer)
            except printing.PrintError as exc:
                self._fail(f"Printing failed: {exc}")
                return
            self._printed(name, "painted", pdf)
            return
        self.w.statusBar().showMessage(f"Sending the leaflet to {name}…")
        paper = self.w.leaflet.paper_value()
        made_from = fingerprint(self.w.model.result)
        self.w.worker.submit(
            lambda: printing.send_with_lp(pdf, name, copies, lp, paper),
            lambda answer: self._printed(name, str(answer), pdf, made_from),
            lambda message: self._fail(f"Printing on {name} failed: {message}"),
        )

    def _printed(self, name: str, answer: str, pdf: bytes, made_from: str | None = None) -> None:
        if made_from is not None and made_from != fingerprint(self.w.model.result):
            # Printed, but another case is on screen now: never record it under that one. The
            # printed case's session stays unfinished (resumable) in the records.
            self._fail(f"The leaflet was sent to {name}, but the case on screen changed meanwhile, "
                       "so it was not recorded as given. Reopen that case to finish it.")
            return
        self.w.model.set_leaflet_output("printed")
        self.w.statusBar().showMessage(f"Leaflet sent to {name} ({answer}).", 10000)
        self.printed.emit(answer)
        self.handed_over.emit(pdf, "printed")
