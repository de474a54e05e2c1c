"""Screening answers yes / no / not asked: a new patient starts not asked (never a silent no), and
step 2 asks inline where a point needs the answer; the answer goes into the case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGroupBox

from counsel import paths
from counsel.gui.main_window import MainWindow
from counsel.gui.pages.screening import NEW_PATIENT_UNASKED

pytestmark = pytest.mark.gui
STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"


def _unasked_case(tmp_path: Path) -> Path:
    data = json.loads(STANDARD.read_text(encoding="utf-8"))
    data["patient"].update(NEW_PATIENT_UNASKED)
    path = tmp_path / "unasked.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _codes(window: MainWindow) -> set[str]:
    result = window.model.result
    assert result is not None
    return {w.code for w in result.warnings}


def test_a_new_patient_starts_with_every_question_not_asked(window: MainWindow) -> None:
    window.new_case(ask=False)
    page = window.patient
    for box in (page.pregnant, page.breastfeeding, page.drives):
        assert box.checkState() == Qt.CheckState.PartiallyChecked
    assert page.alcohol.currentData() == "not_asked"
    data = page.data()["patient"]
    assert data["drives"] is None and data["alcohol"] == "not_asked"
    assert data["withdrawal_signs"] is None and data["misuse_history"] is None
    page.drives.setCheckState(Qt.CheckState.Unchecked)  # an explicit no
    assert page.data()["patient"]["drives"] is False
    page.drives.setCheckState(Qt.CheckState.Checked)
    assert page.data()["patient"]["drives"] is True


def test_step_2_asks_inline_and_the_answer_goes_into_the_case(window: MainWindow, tmp_path: Path,
                                                              qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.open_case_file(_unasked_case(tmp_path))
    window.go_to(1)
    QApplication.processEvents()
    page = window.checklist
    assert "SCREENING_NOT_ASKED" in _codes(window)
    asked = {q.field: q for q in page.questions}
    assert {"alcohol", "drives", "withdrawal_signs", "missed_or_stopped_recently"} <= set(asked)
    # Inline: on the card of the point that needs it.
    assert page.cards["alcohol"].isAncestorOf(asked["alcohol"])
    assert page.cards["withdrawal_signs"].isAncestorOf(asked["withdrawal_signs"])
    assert asked["drives"].answer() == "Not asked"

    asked["drives"].buttons["No"].click()
    qtbot.waitUntil(lambda: window.model.session.case_data["patient"].get("drives") is False)
    assert window.patient.drives.checkState() == Qt.CheckState.Unchecked  # step 1 shows it too
    qtbot.waitUntil(lambda: any(q.field == "drives" and q.answer() == "No" for q in page.questions))

    # A yes changes the warnings: withdrawal signs after missed doses is urgent.
    by_field = {q.field: q for q in page.questions}
    by_field["missed_or_stopped_recently"].buttons["Yes"].click()
    qtbot.waitUntil(lambda: window.model.session.case_data["patient"].get(
        "missed_or_stopped_recently") is True)
    by_field = {q.field: q for q in page.questions}
    by_field["withdrawal_signs"].buttons["Yes"].click()
    qtbot.waitUntil(lambda: "WITHDRAWAL_SIGNS_URGENT" in _codes(window))
    result = window.model.result
    assert result is not None
    [finding] = [w for w in result.warnings if w.code == "SCREENING_NOT_ASKED"]
    assert "Drives" not in finding.message and "Drinks alcohol" in finding.message


def test_a_case_with_every_answer_asks_nothing(window: MainWindow) -> None:
    assert window.open_case_file(STANDARD)
    window.go_to(1)
    QApplication.processEvents()
    page = window.checklist
    assert page.cards and not page.questions
    assert "SCREENING_NOT_ASKED" not in _codes(window)
    assert not [b for b in page.findChildren(QGroupBox) if b.title() == "Screening questions to ask"]
    assert window.patient.drives.checkState() == Qt.CheckState.Unchecked
