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
        window.chooser.select("driver-who-drinks")
        app.processEvents()
        window.grab().save(str(OUT / "training-choose.png"))
        window.start("driver-who-drinks")
        window.station.ask("alcohol")
        window.station.ask("drives")
        for pid in ("your_doses", "titration_plan", "driving_driver", "alcohol"):
            window.station.set_discussed(pid)
        app.processEvents()
        window.grab().save(str(OUT / "training-station.png"))
        window.station.finish()
        window.submit_rating(85)
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
