"""The state of one counselling session as plain data: case form, point marks, acknowledgements, notes.

The GUI keeps exactly one of these per open case and announces every change, so that autosave and
the records layer can store a session without knowing about widgets. No Qt, no I/O, no clock.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

from counsel.leaflet.options import omit_refusal

if TYPE_CHECKING:  # annotations only: the GUI builds its window before the core (pydantic) loads
    from counsel.core.rules import Counselling, SelectedPoint

MarkStatus = Literal["pending", "discussed", "understood", "not_discussed"]
MARK_STATUSES: tuple[str, ...] = get_args(MarkStatus)
LeafletOutput = Literal["", "saved", "printed"]


@dataclass(frozen=True)
class PointMark:
    """What happened to one checklist point: discussed, understood (teach-back) or skipped with a reason."""

    status: MarkStatus = "pending"
    reason: str = ""

    @property
    def covered(self) -> bool:
        """Discussed or confirmed by teach-back."""
        return self.status in ("discussed", "understood")


@dataclass
class CounsellingSession:
    """One counselling: the case as typed (JSON-shaped, may still be invalid) and what was done with it."""

    case_data: dict[str, Any] = field(default_factory=dict)
    marks: dict[str, PointMark] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)
    # How each acknowledged warning was dealt with (an id of counsel.services.release.ACK_OUTCOMES).
    ack_outcomes: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    schedule_checked: bool = False
    leaflet_output: LeafletOutput = ""

    def mark(self, point_id: str, status: MarkStatus, reason: str = "") -> None:
        self.marks[point_id] = PointMark(status, reason.strip() if status == "not_discussed" else "")

    def mark_of(self, point_id: str) -> PointMark:
        return self.marks.get(point_id, PointMark())

    def acknowledge(self, code: str, done: bool = True, outcome: str = "") -> None:
        if done:
            self.acknowledged.add(code.upper())
            if outcome:
                self.ack_outcomes[code.upper()] = outcome
        else:
            self.acknowledged.discard(code.upper())
            self.ack_outcomes.pop(code.upper(), None)

    def uncovered_critical(self, result: Counselling) -> list[SelectedPoint]:
        """Critical points of this case not yet marked discussed or understood."""
        return [p for p in result.points if p.point.critical and not self.mark_of(p.id).covered]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready copy (stable names: the records layer may store it)."""
        return {
            "case": copy.deepcopy(self.case_data),
            "marks": {k: {"status": m.status, "reason": m.reason} for k, m in sorted(self.marks.items())},
            "acknowledged": sorted(self.acknowledged),
            "ack_outcomes": dict(sorted(self.ack_outcomes.items())),
            "notes": self.notes,
            "schedule_checked": self.schedule_checked,
            "leaflet_output": self.leaflet_output,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CounsellingSession:
        marks: dict[str, PointMark] = {}
        for key, raw in dict(data.get("marks") or {}).items():
            status = str(raw.get("status", "pending"))
            if status in MARK_STATUSES:
                marks[str(key)] = PointMark(status, str(raw.get("reason", "")))  # type: ignore[arg-type]
        output = str(data.get("leaflet_output", ""))
        return cls(
            case_data=copy.deepcopy(dict(data.get("case") or {})),
            marks=marks,
            acknowledged={str(c).upper() for c in data.get("acknowledged") or []},
            ack_outcomes={str(k).upper(): str(v) for k, v in dict(data.get("ack_outcomes") or {}).items()},
            notes=str(data.get("notes", "")),
            schedule_checked=bool(data.get("schedule_checked", False)),
            leaflet_output=output if output in ("saved", "printed") else "",  # type: ignore[arg-type]
        )


# The reason that leaves a point off the leaflet ("not discussed: not relevant"). Matched at the
# start of the reason, ignoring case and spacing, so "Not relevant - no car" counts too.
NOT_RELEVANT = "not relevant"


def marked_not_relevant(mark: PointMark) -> bool:
    """Not discussed, with a reason that starts "not relevant"."""
    words = " ".join(mark.reason.casefold().split())
    return mark.status == "not_discussed" and (
        words == NOT_RELEVANT or (words.startswith(NOT_RELEVANT)
                                  and not words[len(NOT_RELEVANT)].isalnum()))


def leaflet_omit(marks: dict[str, PointMark], result: Counselling) -> frozenset[str]:
    """The points the leaflet leaves out (LeafletOptions.omit): those marked not relevant, except
    any the leaflet must keep (critical points: counsel.leaflet.options.omit_refusal). The GUI,
    its records and a reprint all take the omit set from here."""
    return frozenset(p.id for p in result.points
                     if marked_not_relevant(marks.get(p.id, PointMark())) and not omit_refusal(p))


def kept_note(point: SelectedPoint, mark: PointMark) -> str:
    """For a point marked not relevant that still prints: one line saying why ('' otherwise)."""
    refusal = omit_refusal(point) if marked_not_relevant(mark) else ""
    return f"Still on the leaflet: '{point.point.title}' {refusal}." if refusal else ""
