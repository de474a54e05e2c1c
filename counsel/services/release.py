"""The print gate: one rule, used by the GUI and the CLI, for when a leaflet may leave the counter.

A leaflet is released (printed, saved as a PDF, or finished into a record) only when every safety
warning has been acknowledged and, where the leaflet carries a dose calendar (a titration or a
taper), the calendar has been checked against the prescription. Anything missing is listed, in
order, so a front end can say what is missing and take the pharmacist there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from counsel.core.errors import CounselError

if TYPE_CHECKING:  # annotations only: the GUI builds its window before the core (pydantic) loads
    from counsel.core.rules import Counselling

CALENDAR = "CALENDAR"

# How a warning was dealt with. The record keeps the label (it is the acknowledgement's "how").
ACK_OUTCOMES: dict[str, str] = {
    "prescriber_aware": "Prescriber already aware",
    "contacted": "Prescriber contacted",
    "will_contact": "Will contact the prescriber",
    "not_needed": "No action needed",
}
DEFAULT_OUTCOME = "not_needed"


@dataclass(frozen=True)
class Missing:
    """One thing standing between the leaflet and the patient."""

    kind: Literal["warning", "calendar"]
    code: str  # the warning code, or CALENDAR
    text: str  # one line for the pharmacist


@dataclass(frozen=True)
class ReleaseCheck:
    missing: tuple[Missing, ...]

    @property
    def released(self) -> bool:
        return not self.missing

    @property
    def warning_codes(self) -> list[str]:
        return [m.code for m in self.missing if m.kind == "warning"]

    @property
    def calendar_unchecked(self) -> bool:
        return any(m.kind == "calendar" for m in self.missing)

    def summary(self, *, codes: bool = True) -> str:
        """'2 warnings not acknowledged (A, B); the dose calendar is not checked' (or '')."""
        parts = []
        pending = self.warning_codes
        if pending:
            listed = f" ({', '.join(pending)})" if codes else ""
            parts.append(f"{len(pending)} warning{'s' if len(pending) != 1 else ''} not "
                         f"acknowledged{listed}")
        if self.calendar_unchecked:
            parts.append("the dose calendar is not checked against the prescription")
        return "; ".join(parts)


def has_calendar(result: Counselling) -> bool:
    """The leaflet prints a dated dose calendar: the dose changes over time (titration or taper)."""
    return len(result.schedule) >= 2


def release_check(result: Counselling, *, acknowledged: Iterable[str],
                  calendar_checked: bool) -> ReleaseCheck:
    """What is still missing before this leaflet may be printed, saved or recorded as finished."""
    done = {code.strip().upper() for code in acknowledged}
    # The core decides which warnings need acknowledging (information-only ones never block).
    missing = [Missing("warning", w.code, f"Acknowledge the warning: {w.message}")
               for w in result.unacknowledged(done)]
    if has_calendar(result) and not calendar_checked:
        missing.append(Missing("calendar", CALENDAR,
                               "Check the dose calendar against the prescription (step 3)."))
    return ReleaseCheck(tuple(missing))


def outcome_label(outcome: str) -> str:
    """The words the record keeps for an acknowledgement outcome (unknown ids are kept as given)."""
    return ACK_OUTCOMES.get(outcome, outcome)


# " (by pnorth)": who gave an acknowledgement when it was not the session's own pharmacist.
# User names never hold brackets (counsel.services.accounts), so the last bracket is the name.
_GIVEN_BY = re.compile(r" \(by [^()]+\)$")
_HOW_MAX = 300  # the record keeps at most this much of an acknowledgement's "how"


def acknowledgement_how(how: str, *, by: str | None = None) -> str:
    """The acknowledgement's "how" as the record keeps it: the outcome's label (or the words given)
    and, after a switch of user, " (by NAME)" naming who gave it. outcome_of() reads it back."""
    if not by:
        return how[:_HOW_MAX]
    suffix = f" (by {by})"
    return f"{how[:_HOW_MAX - len(suffix)]}{suffix}"


def outcome_of(how: str) -> str:
    """The outcome id an acknowledgement's "how" says ('' when it names none, e.g. free text or
    "acknowledged on the command line"), whoever gave it: the inverse of acknowledgement_how()
    over outcome_label()."""
    label = _GIVEN_BY.sub("", how.strip()).strip()
    return next((key for key, text in ACK_OUTCOMES.items() if text == label), "")


def outcome_labels(outcomes: Mapping[str, str], codes: Iterable[str]) -> dict[str, str]:
    """Each acknowledged code with the label of its outcome (the default where none was chosen)."""
    return {code: outcome_label(outcomes.get(code, DEFAULT_OUTCOME)) for code in codes}


class AcknowledgementError(CounselError):
    """An acknowledgement given on the command line names an outcome that does not exist."""


def parse_acknowledgements(text: str | None) -> dict[str, str]:
    """'A, b=contacted' -> {'A': '', 'B': 'contacted'}: each code with its outcome id ('' = none).

    The GUI chooses an outcome from ACK_OUTCOMES; the CLI names one the same way, so the record
    keeps the same label (outcome_label) whichever front end acknowledged the warning.
    """
    acks: dict[str, str] = {}
    for item in (text or "").split(","):
        code, _, outcome = item.partition("=")
        code, outcome = code.strip().upper(), outcome.strip().lower()
        if not code:
            continue
        if outcome and outcome not in ACK_OUTCOMES:
            raise AcknowledgementError(
                f"--acknowledge: '{outcome[:40]}' for {code[:40]} is not an outcome "
                f"(one of {', '.join(ACK_OUTCOMES)})")
        acks[code] = outcome
    return acks
