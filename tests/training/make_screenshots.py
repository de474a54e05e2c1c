"""Regenerate docs/screenshots/training-*.png (offscreen): `python -m tests.training.make_screenshots`."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from counsel import paths
from counsel.gui.training.window import TrainingWindow
from counsel.services.training import TrainingService

OUT = paths.PROJECT_ROOT / "docs" / "screenshots"


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        service = TrainingService(db_path=Path(tmp) / "training.sqlite3")
        window = TrainingWindow(service, clock=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
        window.resize(1200, 800)
        window.show()
        window.chooser.trainee.setText("Sam Trainee")
        window.chooser.select("stopped-abruptly")
        window.chooser.blind.setChecked(True)  # exam mode: neutral titles, checklist hidden
        app.processEvents()
        window.grab().save(str(OUT / "training-choose.png"))
        window.start("stopped-abruptly")
        station = window.station
        for q in ("last_dose", "how_feeling", "seeing_things", "drives"):
            station.ask(q)
        station.set_action("urgent")
        app.processEvents()
        window.grab().save(str(OUT / "training-station.png"))
        station.finish()
        window.submit_self_rating(80)
        for pid in ("withdrawal_signs", "never_stop_suddenly", "side_effects_urgent", "dont_run_out"):
            station.set_mark(pid, "discussed")
        station.set_mark("driving_driver", "understood")
        station.set_mark("missed_dose_uk", "discussed")  # unsafe for her: costs marks
        station.set_examiner(3, "Spotted withdrawal fast; the missed-dose advice was wrong for her.")
        app.processEvents()
        station.cards_scroll.ensureWidgetVisible(station.cards["driving_driver"])
        app.processEvents()
        window.grab().save(str(OUT / "training-marking.png"))
        window.submit_rating()
        app.processEvents()
        window.grab().save(str(OUT / "training-feedback.png"))
        window.tabs.setCurrentWidget(window.progress)
        app.processEvents()
        window.grab().save(str(OUT / "training-progress.png"))
        window.tabs.setCurrentWidget(window.reference)
        window.reference.set_filter("withdrawal")
        app.processEvents()
        window.grab().save(str(OUT / "training-reference.png"))
        window.close()
        service.close()
    print(f"wrote {OUT}/training-*.png")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
