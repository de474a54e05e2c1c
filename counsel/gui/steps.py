"""Which state each step of the walkthrough is in (pure: derived from the session and preview)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from counsel.core.errors import CaseError
from counsel.services.release import has_calendar

if TYPE_CHECKING:  # annotations only: the window paints before the core (pydantic) loads
    from counsel.core.rules import Counselling
    from counsel.services.session import CounsellingSession

StepState = Literal["not started", "in progress", "done", "needs attention"]
SYMBOLS: dict[str, str] = {"not started": "○", "in progress": "◐", "done": "✓", "needs attention": "⚠"}
# Colour tones (counsel.gui.widgets.TONES: a light and a dark variant each).
TONES: dict[str, str] = {
    "not started": "hint",
    "in progress": "info",
    "done": "ok",
    "needs attention": "error",
}


def patient_state(pristine: bool, error: CaseError | None) -> StepState:
    if error is None:
        return "done"
    if pristine:
        return "not started"
    return "in progress" if error.problem.startswith("missing") else "needs attention"


def checklist_state(result: Counselling | None, session: CounsellingSession) -> StepState:
    if result is None:
        return "not started"
    if result.unacknowledged(session.acknowledged):
        return "needs attention"
    marks = [session.mark_of(p.id) for p in result.points]
    if all(m.status != "pending" for m in marks):
        return "done"
    return "in progress" if any(m.status != "pending" for m in marks) or result.warnings else "not started"


def schedule_state(result: Counselling | None, session: CounsellingSession) -> StepState:
    if result is None:
        return "not started"
    if not has_calendar(result) or session.schedule_checked:
        return "done"
    return "not started"


def leaflet_state(
    result: Counselling | None, session: CounsellingSession, *, failed: bool, has_preview: bool
) -> StepState:
    if result is None:
        return "not started"
    if failed:
        return "needs attention"
    if session.leaflet_output:
        return "done"
    return "in progress" if has_preview else "not started"
