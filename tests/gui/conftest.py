"""GUI fixtures: isolated QSettings, no real modal dialogs, and a main window on a fixed date."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtPdf import QPdfDocument

from counsel.gui import dialogs
from counsel.gui.main_window import MainWindow
from counsel.gui.settings import AppSettings
from tests.conftest import TODAY

SETTINGS = AppSettings(pharmacy_name="Test Pharmacy", pharmacy_phone="555 0100",
                       pharmacy_address="1 High Street", pharmacist="TP", region="us", paper="a4")


@dataclass
class DialogLog:
    """Every modal the app tried to open, and the answers tests choose (default: the safe answer)."""

    calls: list[tuple[str, Any]] = field(default_factory=list)
    confirm_critical: bool = False
    save_instead: bool = False
    print_ok: bool = False
    discard: bool = True
    save_pdf_path: Path | None = None
    save_case_path: Path | None = None
    open_path: Path | None = None

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Path:
    """QSettings writes under tmp_path, never the user's real settings."""
    folder = tmp_path / "qsettings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def modal_log(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    """Replace every modal dialog (they would block an offscreen test) with a recorder."""
    log = DialogLog()

    def record(name: str, answer: Any):  # type: ignore[no-untyped-def]
        def ask(*args: Any) -> Any:
            log.calls.append((name, args))
            return answer() if callable(answer) else answer
        return classmethod(lambda cls, *args: ask(*args))

    confirm = record("critical", lambda: log.confirm_critical)
    monkeypatch.setattr(dialogs.CriticalConfirmDialog, "ask", confirm)
    monkeypatch.setattr(dialogs.NoPrinterDialog, "ask", record("no_printer", lambda: log.save_instead))
    monkeypatch.setattr(dialogs.PrintDialog, "ask", record("print", lambda: log.print_ok))
    monkeypatch.setattr(dialogs.FileDialogs, "save_pdf", record("save_pdf", lambda: log.save_pdf_path))
    monkeypatch.setattr(dialogs.FileDialogs, "save_case", record("save_case", lambda: log.save_case_path))
    monkeypatch.setattr(dialogs.FileDialogs, "open_case", record("open_case", lambda: log.open_path))
    monkeypatch.setattr(dialogs.Messages, "warn", record("warn", None))
    monkeypatch.setattr(dialogs.Messages, "info", record("info", None))
    monkeypatch.setattr(dialogs.Messages, "discard_changes", record("discard", lambda: log.discard))
    monkeypatch.setattr(dialogs.SettingsDialog, "ask", record("settings", None))
    return log


@pytest.fixture
def window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.preview.request(None, win.preview_options())
    win.worker.wait(30000)


@pytest.fixture
def started(window: MainWindow, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    """A window whose content and leaflet engine have loaded."""
    with qtbot.waitSignals([window.engine_ready, window.catalog_ready], timeout=60000):
        window.start_background()
    return window


def wait_for_preview(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.preview.is_current()
                    and window.leaflet.document.status() == QPdfDocument.Status.Ready, timeout=60000)
