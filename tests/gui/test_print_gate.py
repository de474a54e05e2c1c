"""One print gate (counsel.services.release) for the GUI and the CLI: a leaflet leaves the counter
only with every warning acknowledged (with an outcome) and any dose calendar checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QGroupBox, QLabel

from counsel import paths
from counsel.cli import render_commands, run
from counsel.gui import leaflet_actions, printing
from counsel.gui.main_window import MainWindow
from counsel.services import release
from counsel.services.casework import counsel_file
from tests.conftest import TODAY
from tests.gui.conftest import DialogLog

pytestmark = pytest.mark.gui
STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"  # a titration: a dose calendar
KIDNEY = paths.EXAMPLES_DIR / "older-adult-kidney.json"  # warnings, steady dose: no calendar
CHILD = paths.EXAMPLES_DIR / "child-oral-liquid.json"  # two warnings and one piece of information


def test_the_service_gate_lists_warnings_then_the_calendar() -> None:
    result = counsel_file(STANDARD, today=TODAY)
    assert release.has_calendar(result)
    open_gate = release.release_check(result, acknowledged=[], calendar_checked=False)
    assert [m.kind for m in open_gate.missing][-1] == "calendar"
    assert not open_gate.released
    assert release.release_check(result, acknowledged=[w.code for w in result.warnings],
                                 calendar_checked=True).released
    kidney = counsel_file(KIDNEY, today=TODAY)
    assert not release.has_calendar(kidney) and kidney.warnings
    gate = release.release_check(kidney, acknowledged=[kidney.warnings[0].code.lower()],
                                 calendar_checked=False)
    assert gate.warning_codes == [w.code for w in kidney.unacknowledged({kidney.warnings[0].code})]
    assert gate.warning_codes
    assert not gate.calendar_unchecked  # no calendar on the leaflet: nothing to check


def test_gui_and_cli_use_the_one_gate() -> None:
    assert leaflet_actions.release_check is release.release_check
    assert render_commands.release_check is release.release_check


@pytest.fixture
def kidney(window: MainWindow) -> MainWindow:
    assert window.open_case_file(KIDNEY)
    for card in window.checklist.cards.values():
        card.set_status("discussed")
    return window


def test_gui_refuses_save_and_print_with_an_unacknowledged_warning(
        kidney: MainWindow, modal_log: DialogLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = kidney.model.result
    assert result is not None
    first, *rest = [w.code for w in result.warnings]
    for code in rest:
        kidney.checklist.acknowledge(code, "prescriber_aware")
    monkeypatch.setattr(printing, "available_printers", lambda: ["FakeQueue"])
    modal_log.save_pdf_path = tmp_path / "x.pdf"
    kidney.go_to(3)
    assert "Not ready to print" in kidney.leaflet.readiness.text()
    assert "1 warning not acknowledged" in kidney.leaflet.readiness.text()
    assert kidney.leaflet.show_missing_button.isVisibleTo(kidney.leaflet)
    for action in ("save_pdf", "print"):
        modal_log.calls.clear()
        kidney.go_to(3)
        kidney.actions_by_name[action].trigger()
        assert modal_log.names() == ["warn"], action  # no file dialog, no print dialog
        assert first in modal_log.calls[0][1][2]
        assert kidney.current_step() == 1  # taken to the warning
    assert not (tmp_path / "x.pdf").exists()

    # A tick alone does not acknowledge: the outcome is asked for first.
    kidney.checklist.ack_boxes[first].setChecked(True)
    assert first not in kidney.model.session.acknowledged
    kidney.checklist.acknowledge(first, "will_contact")
    assert kidney.checklist.ack_boxes[first].isChecked()
    assert kidney.model.session.ack_outcomes[first] == "will_contact"
    assert "ready to print" in kidney.leaflet.readiness.text()
    modal_log.calls.clear()
    kidney.actions_by_name["save_pdf"].trigger()
    assert modal_log.names() == ["save_pdf"]  # through the gate (the render follows)

    # Withdrawing the tick withdraws the acknowledgement and its outcome.
    kidney.checklist.ack_boxes[first].setChecked(False)
    assert first not in kidney.model.session.acknowledged
    assert first not in kidney.model.session.ack_outcomes


def test_gui_refuses_with_an_unchecked_calendar_and_takes_you_there(
        window: MainWindow, modal_log: DialogLog, tmp_path: Path) -> None:
    window.activateWindow()
    assert window.open_case_file(STANDARD)
    result = window.model.result
    assert result is not None
    for card in window.checklist.cards.values():
        card.set_status("discussed")
    for code in window.checklist.ack_boxes:
        window.checklist.acknowledge(code, "not_needed")
    modal_log.save_pdf_path = tmp_path / "x.pdf"
    window.go_to(3)
    window.actions_by_name["save_pdf"].trigger()
    assert modal_log.names() == ["warn"]
    assert "calendar" in modal_log.calls[0][1][2]
    assert window.current_step() == 2
    assert window.schedule.checked.hasFocus()
    window.schedule.checked.setChecked(True)
    modal_log.calls.clear()
    window.actions_by_name["save_pdf"].trigger()
    assert "save_pdf" in modal_log.names()


def test_cli_render_uses_the_gate_for_the_calendar(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.pdf"
    code = run(["render", str(STANDARD), "-o", str(out)], today=TODAY)
    err = capsys.readouterr().err
    assert code == 3 and "--calendar-checked" in err and not out.exists()
    code = run(["render", str(KIDNEY), "-o", str(out), "--calendar-checked"], today=TODAY)
    err = capsys.readouterr().err
    assert code == 3 and "needs acknowledgement" in err and not out.exists()


def test_information_is_shown_without_controls_and_the_count_matches_the_controls(
        window: MainWindow) -> None:
    """A tick box the gate ignores would mislead: information gets none, and the page's count of
    warnings to acknowledge is the number of warnings that offer an acknowledgement."""
    assert window.open_case_file(CHILD)
    result = window.model.result
    assert result is not None
    to_act = [w.code for w in result.warnings if w.severity != "info"]
    info = [w.code for w in result.warnings if w.severity == "info"]
    assert to_act and info  # the example has both kinds
    window.go_to(1)
    page = window.checklist
    assert list(page.ack_boxes) == to_act and list(page.outcome_boxes) == to_act
    assert f"<b>{len(to_act)}</b> warning(s) to acknowledge" in page.summary.text()
    box = page.ack_boxes[to_act[0]].parentWidget()
    assert isinstance(box, QGroupBox) and box.title().startswith("Safety warnings")
    texts = [label.text() for label in box.findChildren(QLabel)]
    heading = texts.index("For your information (nothing to acknowledge):")
    for code in info:  # after the heading, in full, and the gate never asks for it
        label, full, _short = page._warning_texts[code]
        assert texts.index(label.text()) > heading and label.text() == full
    for code in to_act:
        page.acknowledge(code, "prescriber_aware")
    for card in page.cards.values():
        card.set_status("discussed")
    window.schedule.checked.setChecked(True)
    check = window.leaflet_actions.release()
    assert check is not None and check.released
    assert not set(info) & set(window.model.session.acknowledged)
