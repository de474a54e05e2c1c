"""Step 1: inline validation next to the field, opening and saving case files, new case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counsel import paths
from counsel.core.case import load_case
from counsel.gui.main_window import MainWindow
from tests.conftest import TODAY
from tests.gui.conftest import DialogLog

pytestmark = pytest.mark.gui
EXAMPLE = paths.EXAMPLES_DIR / "standard-adult-start.json"


def test_validation_message_sits_next_to_the_field(window: MainWindow, modal_log: DialogLog) -> None:
    page = window.patient
    page.age.setValue(30)
    # Still missing a strength: one message, by the strength field.
    assert window.model.error is not None
    assert window.model.error.field == "prescription.strength"
    assert page.error_text("prescription.strength") == "missing (required)"
    assert page.banner.text() == "Still needed: Strength."  # incomplete, not wrong: calm wording
    assert window.step_states()[0] == "in progress"
    page.strength.setCurrentText("ten")
    assert "is not a strength like '10 mg'" in page.error_text("prescription.strength")
    page.strength.setCurrentText("10 mg")
    page.dose.setValue(10)
    assert window.model.error is not None and window.model.error.field == "prescription.times_per_day"
    page.times.setValue(3)  # oral baclofen: how many times a day is never assumed
    assert window.model.error is None
    assert page.banner.isHidden()
    assert page.error_text("prescription.strength") == ""

    page.sex.setCurrentIndex(page.sex.findData("male"))
    page.pregnant.setChecked(True)
    assert page.error_text("patient.pregnant") == "cannot be true when sex is male"
    assert "Pregnant" in page.banner.text()
    assert window.step_states()[0] == "needs attention"
    page.pregnant.setChecked(False)

    page.titration.setChecked(True)
    page.t_step.setValue(5)
    page.t_target.setValue(5)
    assert page.error_text("prescription.titration.target_dose_mg") == "must be more than dose_mg (10)"
    page.t_target.setValue(20)
    assert window.model.error is None
    assert modal_log.calls == []  # never a modal error storm


def test_show_problem_focuses_the_field(window: MainWindow) -> None:
    window.patient.age.setValue(30)
    window.go_to(2)
    window.actions_by_name["problem"].trigger()
    assert window.current_step() == 0
    assert window.patient.strength.hasFocus() or window.focusWidget() is not None


def test_open_example_case_fills_the_form(window: MainWindow) -> None:
    assert window.open_case_file(EXAMPLE)
    page = window.patient
    assert page.name.text() == "Maria Lopez"
    assert page.age.value() == 45
    assert page.titration.isChecked() and page.t_target.value() == 20
    assert page.pharmacy_name.text() == "Riverside Pharmacy"
    assert window.model.error is None
    assert window.model.result is not None
    # The form reproduces the file exactly.
    expected = load_case(EXAMPLE, today=TODAY)
    assert window.model.result.case == expected
    assert not window.is_dirty()
    assert "standard-adult-start.json" in window.windowTitle()


def test_bad_case_file_is_one_line_and_nothing_is_lost(window: MainWindow, modal_log: DialogLog,
                                                       tmp_path: Path) -> None:
    assert window.open_case_file(EXAMPLE)
    window.patient.notes.setPlainText("asked about driving")
    bad = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    bad["patient"]["age"] = 300
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    assert not window.open_case_file(path)
    (_name, args), = [c for c in modal_log.calls if c[0] == "warn"]
    message = args[2]
    assert message.startswith("bad.json: patient.age: ")
    assert "\n" not in message
    assert window.patient.name.text() == "Maria Lopez"
    assert window.patient.notes.toPlainText() == "asked about driving"


def test_save_case_round_trips_atomically(window: MainWindow, modal_log: DialogLog, tmp_path: Path) -> None:
    assert window.open_case_file(EXAMPLE)
    window.patient.medicines.add("sertraline")
    target = tmp_path / "out.json"
    modal_log.save_case_path = target
    assert window.is_dirty()
    assert window.save_case(choose=True)
    saved = load_case(target, today=TODAY)
    assert saved.patient.other_medicines == ["sertraline"]
    assert saved.patient.name == "Maria Lopez"
    assert not window.is_dirty()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "qsettings"]  # no temp files left


def test_invalid_case_is_not_saved(window: MainWindow, modal_log: DialogLog, tmp_path: Path) -> None:
    window.patient.age.setValue(40)
    modal_log.save_case_path = tmp_path / "never.json"
    assert not window.save_case()
    assert "warn" in modal_log.names()
    assert not (tmp_path / "never.json").exists()


def test_new_case_resets_cleanly(window: MainWindow, modal_log: DialogLog) -> None:
    assert window.open_case_file(EXAMPLE)
    result = window.model.result
    assert result is not None
    window.checklist.cards[result.points[0].id].set_status("discussed")
    window.patient.notes.setPlainText("changed")
    modal_log.discard = False
    window.actions_by_name["new"].trigger()
    assert window.patient.name.text() == "Maria Lopez"  # the user said no: nothing lost
    modal_log.discard = True
    window.actions_by_name["new"].trigger()
    assert window.patient.name.text() == ""
    assert window.patient.age.value() == -1
    assert window.patient.medicines.medicines() == []
    assert window.model.session.marks == {}
    assert window.model.result is None
    assert window.patient.pharmacy_name.text() == "Test Pharmacy"  # from settings
    assert window.step_states() == ["not started"] * 4
    assert window.current_step() == 0
    assert window.windowTitle() == "Counsel — New case"


def test_unrecognised_medicine_flagged_and_completer_offers_names(started: MainWindow) -> None:
    editor = started.patient.medicines
    names = editor.completion_names()
    assert "zopiclone" in names
    started.open_case_file(paths.EXAMPLES_DIR / "opioid-and-sleeping-tablet.json")
    texts = [editor.list.item(i).text() for i in range(editor.list.count())]
    assert any("Ginkgo leaf tea" in t and "not recognised" in t for t in texts)
    assert any(t.startswith("OxyContin") and "opioid" in t for t in texts)


@pytest.mark.parametrize("path", sorted(paths.EXAMPLES_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_example_opens_on_every_page(window: MainWindow, path: Path) -> None:
    assert window.open_case_file(path)
    result = window.model.result
    assert result is not None
    assert result.case == load_case(path, today=TODAY)  # the form loses nothing
    window.go_to(1)
    assert set(window.checklist.cards) == set(result.point_ids())
    assert set(window.checklist.ack_boxes) == {w.code for w in result.warnings
                                               if w.severity != "info"}
    assert set(window.checklist._warning_texts) == {w.code for w in result.warnings}
    window.go_to(2)
    if result.schedule:
        assert window.schedule.table.rowCount() == len(result.schedule)
    else:
        assert "pump" in window.schedule.empty.text()


def test_choosing_a_suggestion_adds_the_full_name(started: MainWindow, qtbot) -> None:
    editor = started.patient.medicines
    editor.entry.setText("zopic")
    editor.completer.activated.emit("zopiclone")  # what Return on a highlighted suggestion does
    qtbot.waitUntil(lambda: editor.medicines() == ["zopiclone"])
    assert editor.entry.text() == ""


def test_medicines_are_checked_while_the_case_is_still_incomplete(started: MainWindow) -> None:
    editor = started.patient.medicines
    editor.add("zopiclone")
    editor.add("Ginkgo leaf tea")
    assert started.model.result is None  # age etc. still missing
    texts = [editor.list.item(i).text() for i in range(editor.list.count())]
    assert texts[0].startswith("zopiclone") and "✓" in texts[0]
    assert "not recognised" in texts[1]


def test_first_start_points_to_settings(qtbot) -> None:
    from counsel.gui.settings import AppSettings

    win = MainWindow(today=lambda: TODAY, settings=AppSettings())
    qtbot.addWidget(win)
    win.start_background()
    assert "Settings" in win.statusBar().currentMessage()
    win.worker.wait()
