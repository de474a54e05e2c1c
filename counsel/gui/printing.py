"""Printers: list them (CUPS via QPrinterInfo), send the WeasyPrint PDF with `lp`, or paint it with Qt.

`lp` keeps the PDF's vector text and fonts, so it is preferred; the QPainter path rasterises pages and
is the fallback when `lp` is missing. Job titles never carry patient data (CUPS logs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

JOB_TITLE = "Counsel leaflet"
LP_TIMEOUT_S = 60


class PrintError(Exception):
    """Printing failed; the message is one line for the pharmacist."""


def available_printers() -> list[str]:
    """Installed print queues (empty when CUPS has none or is not running)."""
    return [str(name) for name in QPrinterInfo.availablePrinterNames()]


def default_printer() -> str:
    return str(QPrinterInfo.defaultPrinterName())


def lp_path() -> str | None:
    return shutil.which("lp")


def lp_command(lp: str, printer: str, copies: int, path: Path, paper: str = "a4") -> list[str]:
    # media= keeps the leaflet's own paper size; otherwise the queue's default (often A4) rescales it.
    media = "Letter" if paper == "letter" else "A4"
    return [lp, "-d", printer, "-n", str(max(copies, 1)), "-t", JOB_TITLE, "-o", f"media={media}", str(path)]


def send_with_lp(pdf: bytes, printer: str, copies: int, lp: str, paper: str = "a4") -> str:
    """Runs in the worker: spool the PDF with lp; returns lp's one-line answer (the request id)."""
    fd, name = tempfile.mkstemp(prefix="counsel-leaflet-", suffix=".pdf")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pdf)
        try:
            done = subprocess.run(
                lp_command(lp, printer, copies, path, paper),
                capture_output=True,
                text=True,
                timeout=LP_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PrintError(f"the print system did not answer within {LP_TIMEOUT_S} s") from None
        if done.returncode != 0:
            why = (done.stderr or done.stdout).strip().splitlines()
            raise PrintError(why[0] if why else f"lp failed (exit {done.returncode})")
        return done.stdout.strip().splitlines()[0] if done.stdout.strip() else "sent"
    finally:
        path.unlink(missing_ok=True)  # lp has copied the file to the spool; no patient data left behind


def paint_pdf(pdf: bytes, printer: QPrinter, dpi: int = 300) -> int:
    """Fallback without lp: render each page to an image and paint it (UI thread; returns pages)."""
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise PrintError("the leaflet PDF could not be read for printing")
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("the printer could not be opened")
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            size = document.pagePointSize(page)
            image = document.render(page, QSize(int(size.width() / 72 * dpi), int(size.height() / 72 * dpi)))
            target = painter.viewport()
            fitted = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), fitted), image)
    finally:
        painter.end()
    return document.pageCount()
