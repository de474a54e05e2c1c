"""Screenshots of every step for the docs (run under Xvfb, or offscreen as a fallback).

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py

Uses a throw-away settings folder and an example case; writes PNGs to docs/screenshots/.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from counsel import paths  # noqa: E402
from counsel.gui.app import create_app  # noqa: E402
from counsel.gui.check import pump  # noqa: E402
from counsel.gui.dialogs import CriticalConfirmDialog, SettingsDialog  # noqa: E402
from counsel.gui.main_window import MainWindow  # noqa: E402
from counsel.gui.pages.screening import NEW_PATIENT_UNASKED  # noqa: E402
from counsel.gui.palettes import dark_palette  # noqa: E402
from counsel.gui.settings import AppSettings  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
TODAY = date(2026, 11, 23)
SETTINGS = AppSettings(pharmacy_name="Riverside Pharmacy", pharmacy_phone="(555) 010-2030",
                       pharmacy_address="12 River Road, Springfield", pharmacist="JK", paper="letter")
LIMIT = 300_000


def settle(app: QApplication, until: Callable[[], bool] = lambda: True, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        pump()
        if until():
            break
    end = time.perf_counter() + 0.4  # let asynchronous painting (QPdfView) finish
    while time.perf_counter() < end:
        pump()


def save(widget: QWidget, name: str) -> Path:
    path = OUT / name
    image = widget.grab().toImage()
    image.save(str(path))
    if path.stat().st_size > LIMIT:  # screenshots of flat UI compress well in 8-bit colour
        image.convertToFormat(QImage.Format.Format_Indexed8).save(str(path))
    print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return path




def walk(app: QApplication, prefix: str) -> MainWindow:
    """One window through the four steps of a new starter with a titration."""
    win = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    win.resize(1280, 800)
    win.show()
    win.open_case_file(paths.EXAMPLES_DIR / "standard-adult-start.json")
    settle(app)
    save(win, f"{prefix}-1-patient.png")
    win.go_to(1)
    result = win.model.result
    assert result is not None
    for point in result.points[:2]:
        win.checklist.cards[point.id].set_status("discussed")
    settle(app)
    save(win, f"{prefix}-2-checklist.png")
    win.go_to(2)
    settle(app)
    save(win, f"{prefix}-3-schedule.png")
    win.go_to(3)
    settle(app, lambda: win.preview.is_current()
           and win.leaflet.document.status() == QPdfDocument.Status.Ready)
    save(win, f"{prefix}-4-leaflet.png")
    return win


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    store = tempfile.mkdtemp(prefix="counsel-shots-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, store)
    # A scratch records database: screenshots never write into the user's real records.
    os.environ["COUNSEL_DB"] = str(Path(store) / "records.sqlite3")
    app = create_app()
    win = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    win.resize(1280, 800)
    win.show()
    win.start_background()
    win.start_records()
    settle(app, lambda: win.engine_label.text().endswith("ready"))
    save(win, "01-new-case.png")

    win.patient.age.setValue(52)
    win.patient.sex.setCurrentIndex(win.patient.sex.findData("male"))
    win.patient.pregnant.setChecked(True)
    settle(app)
    save(win, "02-inline-validation.png")

    win.new_case(ask=False)
    win.open_case_file(paths.EXAMPLES_DIR / "standard-adult-start.json")
    win.patient.medicines.add("zopiclone")
    win.patient.medicines.add("Ginkgo leaf tea")
    win.patient.drives.setChecked(True)
    settle(app)
    save(win, "03-patient-prescription.png")

    win.go_to(1)
    result = win.model.result
    assert result is not None
    for point in result.points[:3]:
        win.checklist.cards[point.id].set_status("understood" if point.point.critical else "discussed")
    win.checklist.acknowledge(result.warnings[0].code, "prescriber_aware")
    settle(app)
    save(win, "04-checklist-warnings.png")
    area = win.stack.currentWidget()
    card = win.checklist.cards[result.points[4].id]
    card.set_status("not_discussed", "Patient in a hurry; will phone tomorrow")
    area.ensureWidgetVisible(card, 0, 200)  # type: ignore[attr-defined]
    settle(app)
    save(win, "05-checklist-points.png")

    win.go_to(2)
    win.schedule.checked.setChecked(True)
    settle(app)
    save(win, "06-schedule.png")

    win.go_to(3)
    settle(app, lambda: win.preview.is_current()
           and win.leaflet.document.status() == QPdfDocument.Status.Ready)
    save(win, "07-leaflet-preview.png")

    dialog = CriticalConfirmDialog([p.point.title for p in win.model.session.uncovered_critical(result)],
                                   "Print", win)
    dialog.resize(560, 420)
    dialog.show()
    settle(app)
    save(dialog, "08-critical-confirm.png")
    dialog.close()

    settings = SettingsDialog(SETTINGS, ["LeafletPDF"], win)
    settings.show()
    settle(app)
    save(settings, "09-settings.png")
    settings.close()

    kidney = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    kidney.resize(1280, 800)
    kidney.show()
    kidney.open_case_file(paths.EXAMPLES_DIR / "older-adult-kidney.json")
    kidney.patient.kidney.setCurrentIndex(kidney.patient.kidney.findData("mild"))
    kidney.patient.crcl.setValue(25)  # disagrees with "mild": flagged beside the value
    settle(app)
    area = kidney.stack.currentWidget()
    area.ensureWidgetVisible(kidney.patient.kidney_derived, 0, 60)  # type: ignore[attr-defined]
    settle(app)
    save(kidney, "12-kidney-conflict-and-amount.png")
    kidney.go_to(3)  # warnings not acknowledged: the print gate says what is missing
    settle(app, lambda: kidney.preview.is_current()
           and kidney.leaflet.document.status() == QPdfDocument.Status.Ready)
    save(kidney, "13-print-gate-not-ready.png")
    # A repeat ("continue") patient: the short list first (warnings, critical points by title).
    kidney.patient.kidney.setCurrentIndex(kidney.patient.kidney.findData("severe"))
    kidney.go_to(1)
    kidney.checklist.ensure_built()
    settle(app)
    first = next(iter(kidney.checklist.outcome_boxes.values()))
    first.setFocus()
    kidney.stack.currentWidget().verticalScrollBar().setValue(0)  # type: ignore[attr-defined]
    settle(app)
    save(kidney, "14-repeat-short-list.png")

    # A new patient whose screening questions are not asked yet: asked inline on step 2.
    asking = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    asking.resize(1280, 800)
    asking.show()
    data = json.loads((paths.EXAMPLES_DIR / "standard-adult-start.json").read_text(encoding="utf-8"))
    data["patient"].update(NEW_PATIENT_UNASKED)
    asking._load_data(data, None)
    asking.go_to(1)
    settle(app)
    area = asking.stack.currentWidget()
    area.ensureWidgetVisible(asking.checklist.cards["alcohol"], 0, 300)  # type: ignore[attr-defined]
    settle(app)
    save(asking, "15-screening-not-asked.png")
    windows = [win, kidney, asking]

    # Every step in a dark palette (as Windows 11 dark mode gives) and at 150 % and 200 % fonts.
    light = QApplication.palette()
    QApplication.setPalette(dark_palette())
    windows.append(walk(app, "dark"))
    QApplication.setPalette(light)
    font = QApplication.font()
    big = QApplication.font()
    big.setPointSizeF(font.pointSizeF() * 1.5)
    QApplication.setFont(big)
    windows.append(walk(app, "font-150"))
    big.setPointSizeF(font.pointSizeF() * 2)
    QApplication.setFont(big)
    windows.append(walk(app, "font-200"))
    QApplication.setFont(font)
    for window in windows:
        window.worker.wait()
        window._clean = window.model.session.case_data  # screenshots only: close without asking
        window.model.pristine = True
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
