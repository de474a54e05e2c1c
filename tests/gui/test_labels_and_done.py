"""Honest labels (what says "printed" prints, what says "not printed" does not) and a clean "done"
after the leaflet is handed over."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

from counsel import paths
from counsel.gui.main_window import MainWindow
from counsel.services.leaflet import LeafletOptions, render_leaflet_html
from tests.conftest import TODAY
from tests.gui.conftest import DialogLog, wait_for_preview

pytestmark = pytest.mark.gui
KIDNEY = paths.EXAMPLES_DIR / "older-adult-kidney.json"  # warnings, no calendar


def label_for(window: MainWindow, buddy: object) -> str:
    return next(lb.text() for lb in window.findChildren(QLabel) if lb.buddy() is buddy)


def test_notes_labels_match_what_prints(window: MainWindow) -> None:
    assert window.open_case_file(KIDNEY)
    patient_label = label_for(window, window.patient.notes)
    private_label = label_for(window, window.checklist.notes)
    assert patient_label == "Message for the patient (printed on the leaflet):"
    assert "Private counselling notes (not printed)" in private_label
    window.patient.notes.setPlainText("Bring this leaflet to your kidney blood test")
    window.go_to(1)
    window.checklist.notes.setPlainText("Patient seemed unsure; private remark zebra")
    result = window.model.result
    assert result is not None
    html = render_leaflet_html(result, LeafletOptions(), today=TODAY)
    assert "Bring this leaflet to your kidney blood test" in html  # said "printed": printed
    assert "zebra" not in html  # said "not printed": not printed
    assert "Message for the patient" not in html and "Private counselling" not in html


@pytest.mark.pdf
def test_a_finished_session_leaves_the_window_clean_for_the_next_patient(
        started: MainWindow, modal_log: DialogLog, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    win = started
    win.activateWindow()
    assert win.open_case_file(KIDNEY)
    win.patient.name.setText("George W.")  # an edit: the window has unsaved changes
    assert win.is_dirty()
    win.go_to(1)
    for code in win.checklist.ack_boxes:
        win.checklist.acknowledge(code, "prescriber_aware")
    for card in win.checklist.cards.values():
        card.set_status("discussed")
    for index in range(3):  # scroll every page down, as after a long session
        win.go_to(index)
        QApplication.processEvents()
        area = win.stack.widget(index)
        assert isinstance(area, QScrollArea)
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    win.go_to(3)
    wait_for_preview(win, qtbot)
    modal_log.save_pdf_path = tmp_path / "george.pdf"
    with qtbot.waitSignal(win.leaflet_actions.saved, timeout=60000):
        win.actions_by_name["save_pdf"].trigger()
    assert (tmp_path / "george.pdf").exists()

    # Done: not dirty, and the next Ctrl+N asks nothing.
    assert not win.is_dirty()
    assert not win.windowTitle().endswith("*")
    assert "finished" in win.statusBar().currentMessage().lower() or \
        "saved" in win.statusBar().currentMessage().lower()
    modal_log.calls.clear()
    win.actions_by_name["new"].trigger()
    assert "discard" not in modal_log.names()
    assert win.patient.name.text() == ""
    # Every page starts at its top; step 1 with the keyboard on its first field.
    for index in range(3):
        area = win.stack.widget(index)
        assert isinstance(area, QScrollArea)
        assert area.verticalScrollBar().value() == 0, index
    assert win.current_step() == 0
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.patient.name, timeout=3000)


def test_unsaved_edits_still_ask_before_a_new_case(window: MainWindow, modal_log: DialogLog) -> None:
    """The absence case: without a finished leaflet, Ctrl+N still protects the typing."""
    assert window.open_case_file(KIDNEY)
    window.patient.name.setText("Someone")
    modal_log.discard = False
    window.actions_by_name["new"].trigger()
    assert "discard" in modal_log.names()
    assert window.patient.name.text() == "Someone"
