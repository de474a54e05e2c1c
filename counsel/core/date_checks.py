"""Checks that need today's date (passed in, never read here): a plan that began before today.

Kept apart from run_checks (which is date-free, so a result is the same on any day); the services
add this finding when they know the date (CLI: --today or the clock; GUI: the session's day).
"""

from __future__ import annotations

from datetime import date

from counsel.core.case import Case
from counsel.core.findings import Warning

START_DATE_PAST = "START_DATE_PAST"


def start_date_warning(case: Case, today: date) -> Warning | None:
    """A plan that starts, builds up or tapers from a date before today: the leaflet shows the
    step in force today, and the pharmacist checks the dates (never blocks printing)."""
    rx = case.prescription
    has_dates = rx.plan in ("start", "change", "stop") or rx.titration or rx.taper
    if rx.start_date is None or rx.start_date >= today or not has_dates \
            or rx.form == "intrathecal":
        return None
    days = (today - rx.start_date).days
    return Warning(
        START_DATE_PAST,
        f"The start date ({rx.start_date.isoformat()}) is {days} day{'s' if days != 1 else ''} "
        f"before today ({today.isoformat()}). The leaflet shows the step in force today; check "
        "the dates with the patient and the prescription.",
        "prescription.start_date",
        "info",
        "Start date is in the past",
    )
