"""Issue 10 in the GUI: a point marked "not discussed: not relevant" is left off the leaflet (never a
critical one, and the card says so), and a start date in the past is an information-only warning."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument

from counsel import paths
from counsel.gui.main_window import MainWindow
from counsel.services.session import leaflet_omit
from tests.conftest import TODAY
from tests.gui.conftest import SETTINGS, DialogLog, wait_for_preview
from tests.gui.test_error_path import pdf_text

pytestmark = [pytest.mark.gui, pytest.mark.pdf]

STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"  # Maria Lopez, starts on TODAY
STORAGE = "Keep your tablets at room temperature"  # storage_tablet (not critical)
NEVER_STOP = "Do not stop taking baclofen suddenly"  # never_stop_suddenly (critical)


def _preview_text(win: MainWindow, qtbot) -> str:  # type: ignore[no-untyped-def]
    wait_for_preview(win, qtbot)
    return pdf_text(win.preview.pdf)


def test_not_relevant_mark_leaves_the_point_off_the_leaflet(started: MainWindow, qtbot) -> None:
    win = started
    assert win.open_case_file(STANDARD)
    assert STORAGE in _preview_text(win, qtbot)
    card = win.checklist.cards["storage_tablet"]

    card.set_status("not_discussed", "no time today")  # another reason: still printed
    assert win.preview_options().omit == frozenset()
    assert STORAGE in _preview_text(win, qtbot)

    card.set_status("not_discussed", "Not relevant - keeps them in a blister box")
    assert win.preview_options().omit == frozenset({"storage_tablet"})
    assert win.preview.wanted_options() == win.preview_options()  # the mark asked for a render
    text = _preview_text(win, qtbot)
    assert STORAGE not in text
    assert NEVER_STOP in text and "Maria Lopez" in text
    assert win.preview.pdf_options is not None and win.preview.pdf_options.omit == {"storage_tablet"}

    card.set_status("discussed")  # changed mind: back on the leaflet
    assert STORAGE in _preview_text(win, qtbot)


def test_a_critical_point_cannot_be_dropped_and_the_card_says_so(
        started: MainWindow, qtbot, modal_log: DialogLog, tmp_path: Path) -> None:
    win = started
    assert win.open_case_file(STANDARD)
    wait_for_preview(win, qtbot)
    critical = win.checklist.cards["never_stop_suddenly"]
    plain = win.checklist.cards["storage_tablet"]
    assert critical.kept.isHidden()
    critical.set_status("not_discussed", "not relevant")
    plain.set_status("not_discussed", "not relevant")
    assert not critical.kept.isHidden()
    assert "critical point: it is always printed on the leaflet" in critical.kept.text()
    assert plain.kept.isHidden() and plain.kept.text() == ""  # a plain point is simply left out
    # One rule (services.session.leaflet_omit over counsel.leaflet.options.omit_refusal).
    result = win.model.result
    assert result is not None
    assert leaflet_omit(win.model.session.marks, result) == {"storage_tablet"}
    assert win.preview_options().omit == {"storage_tablet"}

    # The saved leaflet keeps the critical point and leaves the plain one out; no render error.
    for card in win.checklist.cards.values():
        if card.point.point.critical and card is not critical:
            card.set_status("discussed")
    win.schedule.checked.setChecked(True)
    modal_log.confirm_critical = True  # the critical point was not discussed: confirmed
    target = tmp_path / "leaflet.pdf"
    modal_log.save_pdf_path = target
    win.go_to(3)
    with qtbot.waitSignal(win.leaflet_actions.saved, timeout=60000):
        win.actions_by_name["save_pdf"].trigger()
    text = pdf_text(target)
    assert NEVER_STOP in text and STORAGE not in text
    assert win.preview.last_error == ""

    critical.set_status("not_discussed", "patient declined")  # another reason: no note
    assert critical.kept.isHidden()


@pytest.fixture
def later(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    """The standard case opened 8 days after its start date."""
    win = MainWindow(today=lambda: TODAY + timedelta(days=8), settings=SETTINGS)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignals([win.engine_ready, win.catalog_ready], timeout=60000):
        win.start_background()
    yield win
    win.preview.request(None, win.preview_options())
    win.worker.wait(30000)


def test_start_date_in_the_past_is_listed_and_does_not_block_printing(
        later: MainWindow, qtbot, modal_log: DialogLog, tmp_path: Path) -> None:
    win = later
    assert win.open_case_file(STANDARD)
    result = win.model.result
    assert result is not None
    found = [w for w in result.warnings if w.code == "START_DATE_PAST"]
    assert len(found) == 1 and found[0].severity == "info"
    # Listed as information, in full, with nothing to acknowledge (the print gate ignores it).
    assert "START_DATE_PAST" not in win.checklist.ack_boxes
    assert "START_DATE_PAST" not in win.checklist.outcome_boxes
    label, full, _short = win.checklist._warning_texts["START_DATE_PAST"]
    assert "Start date is in the past" in full and "8 days before today" in full
    assert label.text() == full

    for card in win.checklist.cards.values():
        card.set_status("discussed")
    win.schedule.checked.setChecked(True)
    check = win.leaflet_actions.release()
    assert check is not None and check.released  # never acknowledged: information only
    assert "START_DATE_PAST" not in win.model.session.acknowledged
    target = tmp_path / "leaflet.pdf"
    modal_log.save_pdf_path = target
    win.go_to(3)
    with qtbot.waitSignal(win.leaflet_actions.saved, timeout=60000):
        win.actions_by_name["save_pdf"].trigger()
    assert "warn" not in modal_log.names()
    assert target.read_bytes().startswith(b"%PDF")
    assert win.leaflet.document.status() == QPdfDocument.Status.Ready


def test_no_start_date_warning_on_the_start_day(window: MainWindow) -> None:
    assert window.open_case_file(STANDARD)
    result = window.model.result
    assert result is not None
    assert "START_DATE_PAST" not in [w.code for w in result.warnings]
    assert "START_DATE_PAST" not in window.checklist.ack_boxes
