"""Settings persist in QSettings (a temporary folder here) and fill new cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from counsel.gui import dialogs
from counsel.gui.main_window import MainWindow
from counsel.gui.settings import AppSettings, load_settings, save_settings
from tests.conftest import TODAY
from tests.gui.conftest import DialogLog

pytestmark = pytest.mark.gui


def test_defaults_when_nothing_is_stored() -> None:
    assert load_settings() == AppSettings()


def test_settings_round_trip_in_the_temporary_store(isolated_settings: Path) -> None:
    wanted = AppSettings(pharmacy_name="Elm Pharmacy", pharmacy_address="2 Elm Road", pharmacy_phone="0100",
                         pharmacist="AB", region="uk", paper="a4", large_print=True, printer="LeafletPDF")
    save_settings(wanted)
    assert load_settings() == wanted
    assert list(isolated_settings.rglob("*.ini"))  # written where the test said, not in ~/.config


def test_dialog_edits_and_new_cases_use_them(window: MainWindow, qtbot, monkeypatch,
                                             modal_log: DialogLog) -> None:
    dialog = dialogs.SettingsDialog(window.settings, ["LeafletPDF"])
    qtbot.addWidget(dialog)
    dialog.pharmacy_name.setText("Oak Pharmacy")
    dialog.pharmacy_phone.setText("020 0000 0000")
    dialog.pharmacist.setText("CD")
    dialog.region.setCurrentIndex(dialog.region.findData("uk"))
    dialog.large_print.setChecked(True)
    dialog.printer.setCurrentIndex(dialog.printer.findData("LeafletPDF"))
    chosen = dialog.values()
    monkeypatch.setattr(dialogs.SettingsDialog, "ask", classmethod(lambda cls, *a: chosen))
    window.actions_by_name["settings"].trigger()
    # The untouched new case picks the new details up at once.
    page = window.patient
    assert page.pharmacy_name.text() == "Oak Pharmacy"
    assert page.pharmacist.text() == "CD"
    assert page.region.currentData() == "uk"
    assert page.large_print.isChecked()
    # Stored, so a fresh window (next start) has them too.
    assert load_settings() == chosen
    fresh = MainWindow(today=lambda: TODAY)
    qtbot.addWidget(fresh)
    assert fresh.patient.pharmacy_phone.text() == "020 0000 0000"
    assert fresh.leaflet.large_print.isChecked()


def test_settings_do_not_overwrite_a_case_in_progress(window: MainWindow, monkeypatch) -> None:
    window.patient.age.setValue(50)
    chosen = AppSettings(pharmacy_name="Other")
    monkeypatch.setattr(dialogs.SettingsDialog, "ask", classmethod(lambda cls, *a: chosen))
    window.edit_settings()
    assert window.patient.age.value() == 50
    assert window.patient.pharmacy_name.text() == "Test Pharmacy"
