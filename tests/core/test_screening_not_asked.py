"""Screening answers may be "not asked" (null, or alcohol "not_asked"): never less cautious than a
"no", anything allowed only on a clear no stays closed, and an information finding says what to ask."""

from __future__ import annotations

import pytest

from counsel.core.case import parse_case
from counsel.core.errors import CaseError
from counsel.core.facts import facts_for
from counsel.core.screening import SCREENING_QUESTIONS, not_asked
from tests.conftest import TODAY, counsel_for, make_case, make_data

UNASKED = {"pregnant": None, "breastfeeding": None, "alcohol": "not_asked", "drives": None,
           "missed_or_stopped_recently": None, "withdrawal_signs": None, "misuse_history": None}
NO = {"pregnant": False, "breastfeeding": False, "alcohol": "none", "drives": False,
      "missed_or_stopped_recently": False, "withdrawal_signs": False, "misuse_history": False}


def test_the_case_takes_not_asked_and_still_refuses_nonsense() -> None:
    case = make_case(patient=UNASKED)
    assert case.patient.drives is None and case.patient.alcohol == "not_asked"
    assert not_asked(case.patient) == list(SCREENING_QUESTIONS)
    assert not_asked(make_case(patient=NO).patient) == []
    assert not_asked(make_case().patient) == []  # a file that leaves them out means no, as before
    with pytest.raises(CaseError, match="alcohol"):
        parse_case(make_data(patient={"alcohol": "maybe"}), today=TODAY)
    # Never asked of a man: not listed.
    male = make_case(patient={**UNASKED, "sex": "male"})
    assert "pregnant" not in not_asked(male.patient) and "drives" in not_asked(male.patient)


def test_not_asked_is_at_least_as_cautious_as_no() -> None:
    unasked, no = counsel_for(patient=UNASKED), counsel_for(patient=NO)
    assert [p.id for p in unasked.points] == [p.id for p in no.points]
    extra = {w.code for w in unasked.warnings} - {w.code for w in no.warnings}
    assert extra == {"SCREENING_NOT_ASKED"}
    assert {w.code for w in no.warnings} <= {w.code for w in unasked.warnings}
    [finding] = [w for w in unasked.warnings if w.code == "SCREENING_NOT_ASKED"]
    assert finding.severity == "info" and finding.title == "Screening questions not asked yet"
    assert "Drinks alcohol" in finding.message and "withdrawal" in finding.message
    assert "SCREENING_NOT_ASKED" not in {w.code for w in no.warnings}
    # A yes still raises its own warning.
    assert "MISUSE_HISTORY" in {w.code for w in counsel_for(
        patient={**UNASKED, "misuse_history": True}).warnings}


def test_only_the_questions_left_are_listed() -> None:
    result = counsel_for(patient={**NO, "drives": None})
    [finding] = [w for w in result.warnings if w.code == "SCREENING_NOT_ASKED"]
    assert SCREENING_QUESTIONS["drives"] in finding.message
    assert SCREENING_QUESTIONS["alcohol"] not in finding.message


def test_a_night_dose_needs_a_clear_no_to_misuse() -> None:
    def allowed(value: bool | None) -> object:
        case = make_case(region="uk", patient={"misuse_history": value})
        return facts_for(case, {}, {}).values["task_timed_dose_allowed"]

    assert allowed(False) is True
    assert allowed(None) is False  # not asked: not allowed
    assert allowed(True) is False


def test_not_asked_survives_a_dump_that_leaves_out_empty_values() -> None:
    case = make_case(patient={**UNASKED, "pregnant": True})
    data = case.model_dump(mode="json", exclude_none=True)  # as the records and the GUI store it
    assert data["patient"]["drives"] is None and data["patient"]["pregnant"] is True
    again = parse_case(data, today=TODAY)
    assert not_asked(again.patient) == [f for f in SCREENING_QUESTIONS if f != "pregnant"]
    assert "drives" not in make_case().model_dump(mode="json", exclude_none=True)["patient"] or \
        make_case().model_dump(mode="json", exclude_none=True)["patient"]["drives"] is False
