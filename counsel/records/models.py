"""The records' data: sessions in progress, finished counselling records and audit entries.

Everything is a frozen dataclass with a stable JSON shape (`to_dict` / `from_dict`), which is also
the export format, so an export read back gives equal objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, cast

MarkStatus = Literal["discussed", "understood", "not_discussed"]
MARK_STATUSES: tuple[MarkStatus, ...] = ("discussed", "understood", "not_discussed")
# In a finished record a point nobody marked is shown as such, never as a guessed status.
PointStatus = Literal["discussed", "understood", "not_discussed", "not_marked"]
SessionStatus = Literal["open", "finished", "discarded"]
AuditAction = Literal[
    "finished", "corrected", "printed", "reprinted", "exported", "viewed", "discarded"
]
Paper = Literal["a4", "letter"]


def utc_text(moment: datetime) -> str:
    """A fixed-width UTC timestamp, so stored text sorts and compares like the time itself."""
    if moment.tzinfo is None:
        raise ValueError("the clock must give timezone-aware datetimes")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _opt_date(text: object) -> date | None:
    return date.fromisoformat(str(text)) if text else None


def _opt_bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def calendar_check_text(calendar_checked: bool | None, case: dict[str, Any]) -> str:
    """How a record's step-3 calendar check reads to a person (history window, `records show`).

    None is told apart from the case: no calendar (the rule of counsel.core.schedule: a pump
    patient, or no dose or start date), or a record finished before the check was kept (v3).
    """
    if calendar_checked is not None:
        return "checked against the prescription" if calendar_checked else "NOT checked"
    rx = case.get("prescription") or {}
    if rx.get("form") == "intrathecal" or rx.get("dose_mg") is None or not rx.get("start_date"):
        return "no calendar to check"
    return "not recorded (finished before calendar checks were kept)"


@dataclass(frozen=True)
class Mark:
    """A checklist point's mark during a session."""

    point_id: str
    status: MarkStatus
    reason: str
    at: datetime


@dataclass(frozen=True)
class Acknowledgement:
    """How the pharmacist dealt with one warning (e.g. 'checked with prescriber')."""

    code: str
    how: str
    at: datetime


@dataclass(frozen=True)
class LeafletGiven:
    """The leaflet handed over: enough to regenerate it and to prove which file it was."""

    content_version: str
    language: str
    paper: Paper
    large_print: bool
    sha256: str
    rendered_on: date
    format: str = "pdf"
    # Points left off this leaflet (marked not relevant), so a reprint leaves out the same ones.
    omit: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "content_version": self.content_version, "language": self.language,
            "format": self.format, "paper": self.paper, "large_print": self.large_print,
            "sha256": self.sha256, "rendered_on": self.rendered_on.isoformat()}
        if self.omit:  # only when some were left out: older records' JSON (and hashes) unchanged
            d["omit"] = sorted(self.omit)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LeafletGiven:
        return cls(content_version=str(d["content_version"]), language=str(d["language"]),
                   paper=cast(Paper, d["paper"]), large_print=bool(d["large_print"]),
                   sha256=str(d["sha256"]), rendered_on=date.fromisoformat(d["rendered_on"]),
                   format=str(d.get("format", "pdf")),
                   omit=tuple(sorted(str(p) for p in d.get("omit") or ())))


@dataclass(frozen=True)
class SessionSummary:
    """One line of the 'resume an unfinished session?' prompt (no patient name, ever)."""

    id: str
    pharmacist: str
    patient_ref: str
    drug: str
    started_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SessionState:
    """Everything saved so far in a session: enough to put the screen back exactly as it was."""

    id: str
    status: SessionStatus
    pharmacist: str
    patient_ref: str
    local_id: str | None
    started_at: datetime
    updated_at: datetime
    case: dict[str, Any]
    notes: str
    marks: dict[str, Mark]
    acknowledgements: dict[str, Acknowledgement]
    leaflet: LeafletGiven | None
    schedule_checked: bool = False  # step 3: "I have checked this calendar against the prescription"


@dataclass(frozen=True)
class Directions:
    dose_mg: float | None
    dose_text: str
    times_per_day: int
    times: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"dose_mg": self.dose_mg, "dose_text": self.dose_text,
                "times_per_day": self.times_per_day, "times": list(self.times)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Directions:
        dose = d.get("dose_mg")
        return cls(dose_mg=None if dose is None else float(dose), dose_text=str(d["dose_text"]),
                   times_per_day=int(d["times_per_day"]), times=tuple(d["times"]))


@dataclass(frozen=True)
class WarningRecord:
    """A check that fired, and how (and whether) it was acknowledged."""

    code: str
    message: str
    acknowledged: bool
    how: str = ""
    at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "acknowledged": self.acknowledged,
                "how": self.how, "at": utc_text(self.at) if self.at else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> WarningRecord:
        return cls(code=str(d["code"]), message=str(d["message"]),
                   acknowledged=bool(d["acknowledged"]), how=str(d.get("how", "")),
                   at=parse_utc(d["at"]) if d.get("at") else None)


@dataclass(frozen=True)
class PointRecord:
    """One checklist point and what happened to it."""

    id: str
    section: str
    title: str
    critical: bool
    status: PointStatus
    reason: str = ""
    at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "section": self.section, "title": self.title,
                "critical": self.critical, "status": self.status, "reason": self.reason,
                "at": utc_text(self.at) if self.at else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PointRecord:
        return cls(id=str(d["id"]), section=str(d["section"]), title=str(d["title"]),
                   critical=bool(d["critical"]), status=cast(PointStatus, d["status"]),
                   reason=str(d.get("reason", "")),
                   at=parse_utc(d["at"]) if d.get("at") else None)


@dataclass(frozen=True)
class Correction:
    """Who corrected a record, when and why (the corrected version is a new row)."""

    by: str
    at: datetime
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "at": utc_text(self.at), "why": self.why}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Correction:
        return cls(by=str(d["by"]), at=parse_utc(d["at"]), why=str(d["why"]))


@dataclass(frozen=True)
class RecordBody:
    """The content of a finished counselling record (everything except its storage identity)."""

    session_id: str
    pharmacist: str
    started_at: datetime
    finished_at: datetime
    patient_ref: str
    region: str
    drug: str
    form: str
    strength: str
    directions: Directions
    plan: str
    content_version: str
    warnings: tuple[WarningRecord, ...]
    points: tuple[PointRecord, ...]
    leaflet: LeafletGiven | None
    follow_up_date: date | None
    notes: str
    case: dict[str, Any] = field(hash=False)
    # Whether the pharmacist ticked "calendar checked against the prescription" on step 3; None when
    # the case has no calendar (a pump patient), or the record was finished before this was kept.
    calendar_checked: bool | None = None

    @property
    def duration_seconds(self) -> int:
        return int((self.finished_at - self.started_at).total_seconds())

    def body_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "pharmacist": self.pharmacist,
            "started_at": utc_text(self.started_at),
            "finished_at": utc_text(self.finished_at),
            "duration_seconds": self.duration_seconds,
            "patient_ref": self.patient_ref,
            "region": self.region,
            "drug": self.drug,
            "form": self.form,
            "strength": self.strength,
            "directions": self.directions.to_dict(),
            "plan": self.plan,
            "content_version": self.content_version,
            "warnings": [w.to_dict() for w in self.warnings],
            "points": [p.to_dict() for p in self.points],
            "leaflet": self.leaflet.to_dict() if self.leaflet else None,
            "follow_up_date": self.follow_up_date.isoformat() if self.follow_up_date else None,
            "notes": self.notes,
            "calendar_checked": self.calendar_checked,
            "case": self.case,
        }

    @staticmethod
    def body_kwargs(d: dict[str, Any]) -> dict[str, Any]:
        return {
            "session_id": str(d["session_id"]),
            "pharmacist": str(d["pharmacist"]),
            "started_at": parse_utc(d["started_at"]),
            "finished_at": parse_utc(d["finished_at"]),
            "patient_ref": str(d["patient_ref"]),
            "region": str(d["region"]),
            "drug": str(d["drug"]),
            "form": str(d["form"]),
            "strength": str(d["strength"]),
            "directions": Directions.from_dict(d["directions"]),
            "plan": str(d["plan"]),
            "content_version": str(d["content_version"]),
            "warnings": tuple(WarningRecord.from_dict(w) for w in d["warnings"]),
            "points": tuple(PointRecord.from_dict(p) for p in d["points"]),
            "leaflet": LeafletGiven.from_dict(d["leaflet"]) if d.get("leaflet") else None,
            "follow_up_date": _opt_date(d.get("follow_up_date")),
            "notes": str(d.get("notes", "")),
            "case": dict(d.get("case") or {}),
            "calendar_checked": _opt_bool(d.get("calendar_checked")),
        }

    @classmethod
    def from_body_dict(cls, d: dict[str, Any]) -> RecordBody:
        return cls(**cls.body_kwargs(d))


@dataclass(frozen=True)
class Record(RecordBody):
    """A stored record version. Version 1 is the original; a correction is version n+1."""

    id: int = 0
    version: int = 1
    supersedes: int | None = None
    correction: Correction | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "supersedes": self.supersedes,
                "correction": self.correction.to_dict() if self.correction else None,
                **self.body_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        return cls(id=int(d["id"]), version=int(d["version"]),
                   supersedes=None if d.get("supersedes") is None else int(d["supersedes"]),
                   correction=Correction.from_dict(d["correction"]) if d.get("correction") else None,
                   **RecordBody.body_kwargs(d))


@dataclass(frozen=True)
class RecordSummary:
    """One row of the history list: the latest version of a record."""

    id: int
    version: int
    finished_at: datetime
    pharmacist: str
    patient_ref: str
    drug: str
    strength: str
    form: str


@dataclass(frozen=True)
class AuditEntry:
    """An append-only audit line: what happened to which record, when and by whom."""

    id: int
    at: datetime
    actor: str
    action: AuditAction
    record_id: int | None
    detail: str


@dataclass(frozen=True)
class RecordQuery:
    """History search: every given field must match (text fields match a part, case-insensitive)."""

    patient_ref: str = ""
    drug: str = ""
    pharmacist: str = ""
    date_from: date | None = None
    date_to: date | None = None
    include_superseded: bool = False
    limit: int = 500
    branch: str | None = None  # None: every branch; "x": only records made in branch x
