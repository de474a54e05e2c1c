"""A plan given after its start date: a START_DATE_PAST finding (core, today passed in) in the
normal warnings list of the services and the CLI; information only, so it never blocks printing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from counsel import paths
from counsel.cli import run
from counsel.core.date_checks import start_date_warning
from counsel.services.casework import counsel, counsel_file
from tests.conftest import TODAY, make_case

STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"  # starts 2026-11-23 (TODAY)
LATER = TODAY + timedelta(days=8)


def test_start_date_in_the_past_is_reported_with_the_days() -> None:
    case = make_case(prescription={"plan": "start"})
    found = start_date_warning(case, LATER)
    assert found is not None
    assert found.code == "START_DATE_PAST" and found.severity == "info"
    assert found.field == "prescription.start_date"
    assert "(2026-11-23) is 8 days before today (2026-12-01)" in found.message
    assert found.title == "Start date is in the past"


@pytest.mark.parametrize(("changes", "today"), [
    ({"prescription": {"plan": "start"}}, TODAY),  # starts today
    ({"prescription": {"plan": "start", "start_date": "2026-12-05"}}, TODAY),  # in the future
    ({"prescription": {"plan": "continue"}}, date(2027, 1, 1)),  # same dose, no calendar
    ({"prescription": {"form": "intrathecal", "strength": "500 mcg/mL", "dose_mg": None,
                       "times_per_day": None, "plan": "start"}}, date(2027, 1, 1)),
])
def test_no_finding_when_the_start_date_is_not_past_or_does_not_matter(
        changes: dict[str, dict[str, object]], today: date) -> None:
    assert start_date_warning(make_case(**changes), today) is None


def test_services_add_it_when_they_know_the_date() -> None:
    codes = [w.code for w in counsel_file(STANDARD, today=LATER).warnings]
    assert "START_DATE_PAST" in codes
    assert "START_DATE_PAST" not in [w.code for w in counsel_file(STANDARD, today=TODAY).warnings]
    case = make_case(prescription={"plan": "start"})
    assert "START_DATE_PAST" in [w.code for w in counsel(case, today=LATER).warnings]
    assert "START_DATE_PAST" not in [w.code for w in counsel(case).warnings]  # no date, no check
    assert counsel(case, today=LATER).unacknowledged(set()) == counsel(case).unacknowledged(set())


def test_cli_checklist_lists_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["checklist", str(STANDARD)], today=LATER) == 0
    out = capsys.readouterr().out
    assert "START_DATE_PAST: The start date (2026-11-23) is 8 days before today" in out
    assert run(["checklist", str(STANDARD)], today=TODAY) == 0
    assert "START_DATE_PAST" not in capsys.readouterr().out
