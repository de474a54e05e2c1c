"""Counselling records use cases: autosaved sessions, finishing, history, corrections, reprint, export.

Pure Python (no Qt). The clock is passed in; storage is any RecordsRepository (SQLite by default).
Every save is one short transaction, so an interruption, crash or power cut loses nothing saved.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from counsel.core.case import Case, parse_case
from counsel.core.content import Catalog, default_catalog
from counsel.core.rules import Counselling, counsel_case
from counsel.records.accounts import Account
from counsel.records.build import build_record
from counsel.records.chain import ChainReport
from counsel.records.db import default_db_path
from counsel.records.errors import (
    NotFoundError,
    RecordsError,
    SessionClosedError,
    SignInRequiredError,
    TrainingRefusedError,
)
from counsel.records.exporting import to_csv, to_json, write_atomic
from counsel.records.models import (
    MARK_STATUSES,
    Acknowledgement,
    AuditEntry,
    Correction,
    LeafletGiven,
    Mark,
    MarkStatus,
    Paper,
    PointRecord,
    Record,
    RecordQuery,
    RecordSummary,
    SessionState,
    SessionSummary,
    WarningRecord,
)
from counsel.records.privacy import (
    name_parts,
    patient_reference,
    redact_text,
    require_reference,
    strip_name,
)
from counsel.records.repository import RecordsRepository
from counsel.records.sqlite_repo import SQLiteRepository
from counsel.records.store import DbTarget, describe, open_repository, resolve
from counsel.services.outputs import check_output_path
from counsel.services.release import acknowledgement_how, outcome_label

__all__ = [
    "ChainReport", "Clock", "LeafletGiven", "NotFoundError", "RecordQuery", "RecordSettings",
    "RecordsError", "RecordsHealth", "RecordsService", "Reprint", "ReprintCheck",
    "SessionClosedError", "TrainingRefusedError", "check_can_record", "default_db_path",
    "leaflet_given", "record_headless_render", "records_health", "snapshot_of",
]

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ExportFormat = Literal["csv", "json"]
_TEXT_MAX = 2000


class Renderer(Protocol):
    """Makes leaflet PDF bytes (the leaflet service by default; tests may pass a fake)."""

    def __call__(self, result: Counselling, *, paper: Paper, large_print: bool | None,
                 today: date, omit: frozenset[str] = ...) -> bytes: ...


def _leaflet_service_render(result: Counselling, *, paper: Paper, large_print: bool | None,
                            today: date, omit: frozenset[str] = frozenset()) -> bytes:
    # Imported here: the leaflet service pulls in WeasyPrint, which is slow to import.
    from counsel.services.leaflet import LeafletOptions, render_leaflet_pdf

    return render_leaflet_pdf(result, LeafletOptions(large_print=large_print, paper=paper,
                                                     omit=omit), today=today)


@dataclass(frozen=True)
class RecordSettings:
    """store_full_names=False (the default): records keep a pseudonymous reference, never the name."""

    store_full_names: bool = False


@dataclass(frozen=True)
class ReprintCheck:
    """Whether the content used for a record's leaflet is still the current content."""

    record_id: int
    stored_version: str
    current_version: str

    @property
    def content_changed(self) -> bool:
        return self.stored_version != self.current_version

    @property
    def message(self) -> str:
        if not self.content_changed:
            return f"Reprint uses the same content version ({self.stored_version})."
        return (f"The leaflet was made with content version {self.stored_version}; the current "
                f"content is {self.current_version}. Reprint with the current version?")


@dataclass(frozen=True)
class Reprint:
    """A regenerated leaflet: the PDF, its hash, and whether it matches the one handed over."""

    record_id: int
    pdf: bytes
    sha256: str
    content_version: str
    content_changed: bool
    identical: bool | None  # None when the record has no leaflet hash to compare with
    message: str


def _clean(text: str, limit: int = _TEXT_MAX) -> str:
    return text.strip()[:limit]


def _case_dict(case: Case | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(case, Case):
        return case.model_dump(mode="json", exclude_none=True)
    return {str(k): v for k, v in dict(case).items()}


def leaflet_given(result: Counselling, pdf: bytes, *, paper: Paper, large_print: bool | None,
                  rendered_on: date, omit: frozenset[str] = frozenset()) -> LeafletGiven:
    """What to record about a leaflet that was printed or saved for the patient (`omit`: the
    LeafletOptions.omit it was made with, services.session.leaflet_omit)."""
    patient = result.case.patient
    return LeafletGiven(
        content_version=result.monograph.content_version, language=patient.language, paper=paper,
        large_print=patient.large_print if large_print is None else large_print,
        sha256=hashlib.sha256(pdf).hexdigest(), rendered_on=rendered_on, omit=tuple(sorted(omit)),
    )


def snapshot_of(state: SessionState) -> dict[str, Any]:
    """A resumed session in the GUI session model's shape (CounsellingSession.from_json)."""
    return {
        "case": state.case,
        "marks": {k: {"status": m.status, "reason": m.reason} for k, m in sorted(state.marks.items())},
        "acknowledged": sorted(state.acknowledgements),
        "notes": state.notes,
        "schedule_checked": state.schedule_checked,
    }


class RecordsService:
    """The records façade the GUI and CLI share. Not thread-safe across calls from many threads
    except through the repository's own lock; the GUI calls it from one thread."""

    def __init__(self, repo: RecordsRepository, *, clock: Clock,
                 settings: RecordSettings | None = None, catalog: Catalog | None = None,
                 renderer: Renderer | None = None) -> None:
        self.repo = repo
        self.clock = clock
        self.settings = settings or RecordSettings()
        self._catalog = catalog
        self._render = renderer or _leaflet_service_render
        # Name words per session, kept in memory only, to blank the name out of free text.
        self._names: dict[str, list[str]] = {}
        self._actor: Account | None = None
        self._accounts_in_use: bool | None = None

    @classmethod
    def open(cls, db_path: DbTarget | None = None, *, clock: Clock,
             settings: RecordSettings | None = None, catalog: Catalog | None = None,
             renderer: Renderer | None = None) -> RecordsService:
        """Open (create, migrate) the database: an SQLite path, a postgresql:// URL, or the
        default ($COUNSEL_DB or the user data folder)."""
        repo = open_repository(db_path)
        return cls(repo, clock=clock, settings=settings, catalog=catalog, renderer=renderer)

    # -- who is at the counter -----------------------------------------------------------------

    @property
    def actor(self) -> Account | None:
        """The signed-in person (None on a single PC without accounts: typed initials are used).

        Set it after AccountsService.sign_in; switch user sets another; lock or sign-out sets
        None. On PostgreSQL the connection's row-level-security scope follows it.
        """
        return self._actor

    @actor.setter
    def actor(self, account: Account | None) -> None:
        self._actor = account
        if account is None or account.role == "admin":
            self.repo.set_scope("all")
        elif account.role == "trainee":
            self.repo.set_scope("none")
        else:
            self.repo.set_scope("branch", account.branch)

    def _by(self, typed: str) -> str:
        """Who an audit entry names: the signed-in account, else what was typed."""
        return self.actor.username if self.actor else (_clean(typed, 20) or "?")

    def _require_sign_in(self, what: str) -> None:
        """Once a database has accounts, every use of real records needs a signed-in person.

        Asked of the database once per service (a counter keeps working through a server
        outage); accounts added while the app is open count from its next start or sign-in.
        """
        if self.actor is not None:
            return
        if self._accounts_in_use is None:
            self._accounts_in_use = bool(self.repo.accounts())
        if self._accounts_in_use:
            raise SignInRequiredError(f"{what}: sign in first — this records database has "
                                      "accounts, so records are kept under the signed-in person")

    def _scoped(self, query: RecordQuery) -> RecordQuery | None:
        """The query limited to what the signed-in person may see; None: nothing at all.

        Trainees never see real records; pharmacists and supervisors see their branch's; admins
        (and a single PC without accounts) see all.
        """
        self._require_sign_in("records")
        if self.actor is None or self.actor.role == "admin":
            return query
        if self.actor.role == "trainee":
            return None
        return dataclasses.replace(query, branch=self.actor.branch)

    def _may_see(self, record_id: int) -> None:
        self._require_sign_in(f"record {record_id}")
        if self.actor is None or self.actor.role == "admin":
            return
        if self.actor.role == "trainee" or self.repo.record_branch(record_id) != self.actor.branch:
            # Same words as a missing record: a scope does not reveal what exists elsewhere.
            raise NotFoundError(f"record {record_id}: not found")

    @property
    def location(self) -> str:
        return self.repo.location

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = default_catalog()
        return self._catalog

    def close(self) -> None:
        self.repo.close()

    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the records clock must give timezone-aware datetimes")
        return now

    # -- privacy -------------------------------------------------------------------------------

    def _private(self, session_id: str, text: str) -> str:
        if self.settings.store_full_names:
            return text
        return redact_text(text, self._names.get(session_id, []))

    def _storable(self, session_id: str, case: dict[str, Any]) -> dict[str, Any]:
        parts = name_parts(case)
        if parts:
            self._names[session_id] = parts
        return case if self.settings.store_full_names else strip_name(case, parts)

    # -- sessions ------------------------------------------------------------------------------

    def start_session(self, case: Case | Mapping[str, Any], *, pharmacist: str,
                      local_id: str | None = None, training: bool = False) -> str:
        """Start a session for a real patient; returns its id. Training sessions are refused."""
        if training:
            raise TrainingRefusedError("training sessions are never stored in the counselling records")
        self._require_sign_in("counselling record")
        if self.actor is not None and self.actor.role == "trainee":
            raise TrainingRefusedError("a trainee account makes no real counselling records: use "
                                       "training mode, or ask a pharmacist to sign in")
        initials = self.actor.username if self.actor else _clean(pharmacist, 20)
        if not initials:
            raise RecordsError("pharmacist: initials are needed to start a counselling record")
        now = self._now()
        data = _case_dict(case)
        session_id = uuid.uuid4().hex
        ref = patient_reference(data, today=now.date(), local_id=local_id)
        self.repo.create_session(session_id, pharmacist=initials, patient_ref=ref,
                                 local_id=_clean(local_id, 40) if local_id else None,
                                 case=self._storable(session_id, data), at=now)
        return session_id

    def save_case(self, session_id: str, case: Case | Mapping[str, Any],
                  *, local_id: str | None = None) -> None:
        """Autosave the case form as typed (it may still be incomplete)."""
        now = self._now()
        data = _case_dict(case)
        ref = patient_reference(data, today=now.date()) or None
        local = _clean(local_id, 40) if local_id else None
        self.repo.save_case(session_id, self._storable(session_id, data), ref, now,
                            local_id=local or None)

    def mark_point(self, session_id: str, point_id: str, status: MarkStatus,
                   reason: str = "") -> None:
        """Discussed, understood (teach-back) or not discussed (a reason is required)."""
        if status not in MARK_STATUSES:
            raise RecordsError(f"mark: unknown status '{status}' (use {', '.join(MARK_STATUSES)})")
        reason = _clean(reason, 500) if status == "not_discussed" else ""
        if status == "not_discussed" and not reason:
            raise RecordsError(f"mark {point_id}: a reason is needed when a point is not discussed")
        self.repo.save_mark(session_id, Mark(point_id, status, self._private(session_id, reason),
                                             self._now()))

    def clear_point(self, session_id: str, point_id: str) -> None:
        self.repo.clear_mark(session_id, point_id, self._now())

    def acknowledge(self, session_id: str, code: str, how: str = "acknowledged") -> None:
        """Record how a warning was dealt with, e.g. 'checked with prescriber'.

        Signed in as someone other than the person who started the session (switch user at a
        shared counter), the acknowledgement says who gave it.
        """
        how = _clean(how, 300) or "acknowledged"
        if self.actor is not None and \
                self.repo.load_session(session_id).pharmacist != self.actor.username:
            # Composed (and read back by outcome_of) in one place: counsel.services.release.
            how = acknowledgement_how(how, by=self.actor.username)
        self.repo.save_ack(session_id, Acknowledgement(code.strip().upper(),
                                                       self._private(session_id, how), self._now()))

    def withdraw_acknowledgement(self, session_id: str, code: str) -> None:
        self.repo.clear_ack(session_id, code.strip().upper(), self._now())

    def save_notes(self, session_id: str, notes: str) -> None:
        self.repo.save_notes(session_id, self._private(session_id, _clean(notes)), self._now())

    def set_schedule_checked(self, session_id: str, checked: bool) -> None:
        """Step 3: the pharmacist has (or has no longer) checked the calendar against the prescription."""
        self.repo.save_schedule_checked(session_id, checked, self._now())

    def save_leaflet(self, session_id: str, leaflet: LeafletGiven | None) -> None:
        """Record the leaflet handed over (see leaflet_given()); None clears it."""
        self.repo.save_leaflet(session_id, leaflet, self._now())

    def apply_snapshot(self, session_id: str, data: Mapping[str, Any]) -> None:
        """Save a whole CounsellingSession.to_json() snapshot (the GUI's session model) change by change.

        Marks with status 'pending' are cleared; leaflet_output "" clears a recorded leaflet (the
        case changed after printing); schedule_checked is the step-3 calendar tick. Only what
        differs from the stored session is written.
        """
        stored = self.repo.load_session(session_id)
        if "case" in data:
            case = dict(data["case"] or {})
            if self._storable(session_id, case) != stored.case:
                self.save_case(session_id, case)
        marks = dict(data.get("marks") or {}) if "marks" in data else {
            k: {"status": m.status, "reason": m.reason} for k, m in stored.marks.items()}
        for point_id, raw in marks.items():
            status, reason = str(raw.get("status", "pending")), str(raw.get("reason", ""))
            old = stored.marks.get(point_id)
            if status == "pending":
                if old is not None:
                    self.clear_point(session_id, point_id)
            elif old is None or old.status != status or old.reason != self._private(
                    session_id, reason.strip()):
                if status == "not_discussed" and not reason.strip():
                    continue  # not complete yet: the reason is still being typed
                self.mark_point(session_id, point_id, status, reason)  # type: ignore[arg-type]
        for point_id in set(stored.marks) - set(marks):
            self.clear_point(session_id, point_id)
        if "acknowledged" in data:
            codes = {str(c).strip().upper() for c in data.get("acknowledged") or []}
            for code in codes - set(stored.acknowledgements):
                self.acknowledge(session_id, code)
            for code in set(stored.acknowledgements) - codes:
                self.withdraw_acknowledgement(session_id, code)
        if "notes" in data and self._private(session_id, _clean(str(data["notes"]))) != stored.notes:
            self.save_notes(session_id, str(data["notes"]))
        if "schedule_checked" in data and bool(data["schedule_checked"]) != stored.schedule_checked:
            self.set_schedule_checked(session_id, bool(data["schedule_checked"]))
        # The GUI forgets a printed leaflet when the case changes: it no longer matches.
        if data.get("leaflet_output", None) == "" and stored.leaflet is not None:
            self.save_leaflet(session_id, None)

    def unfinished_sessions(self) -> list[SessionSummary]:
        """Open sessions, newest first: offer these for resume at start-up.

        Once accounts are in use: only after sign-in, never for a trainee, and only the
        signed-in person's own sessions (another pharmacist's patient stays theirs to resume).
        """
        self._require_sign_in("unfinished sessions")
        if self.actor is None:
            return self.repo.open_sessions()
        if self.actor.role == "trainee":
            return []
        return [s for s in self.repo.open_sessions() if s.pharmacist == self.actor.username]

    def waiting_to_send(self) -> int | None:
        """Records finished on this counter and waiting in its outbox for the server; None when
        there is no outbox (SQLite, or a server without COUNSEL_OUTBOX)."""
        waiting = getattr(self.repo, "waiting", None)
        return int(waiting()) if callable(waiting) else None

    def send_waiting(self) -> int:
        """Try to send what waits in the outbox now; returns how many were sent."""
        flush = getattr(self.repo, "flush", None)
        return len(flush()) if callable(flush) else 0

    def status_text(self) -> str:
        """The records part of the status bar, e.g. 'records: waiting to send (2)'."""
        waiting = self.waiting_to_send()
        return f"records: waiting to send ({waiting})" if waiting else "records: on"

    def resume(self, session_id: str) -> SessionState:
        """Everything saved in an open session, to put the screen back exactly as it was."""
        state = self.repo.load_session(session_id)
        if state.status != "open":
            raise SessionClosedError(f"session {session_id}: already {state.status}")
        return state

    def discard_session(self, session_id: str, *, by: str) -> None:
        """Drop an unwanted unfinished session (its patient data is removed; the audit notes it)."""
        self.repo.discard_session(session_id, actor=self._by(by), at=self._now())
        self._names.pop(session_id, None)

    def counselling_for(self, case_data: Mapping[str, Any], *, today: date,
                        region: str | None = None) -> Counselling:
        case = parse_case(dict(case_data), today=today)
        return counsel_case(case, self.catalog, region=region if region in ("us", "uk") else None)  # type: ignore[arg-type]

    def finish_session(self, session_id: str) -> int:
        """Turn the session into a finished, append-only record; returns the record id.

        The case must be complete and valid by now (CaseError names the field otherwise).
        """
        self._require_sign_in("finish")
        state = self.resume(session_id)
        require_reference(state.patient_ref)
        now = self._now()
        result = self.counselling_for(state.case, today=now.date())
        # The validated case (start date filled in) so a reprint gives the same calendar.
        stored_case = result.case.model_dump(mode="json", exclude_none=True)
        if not self.settings.store_full_names:
            stored_case = strip_name(stored_case, self._names.get(session_id, []))
        body = build_record(state, result, stored_case=stored_case, finished_at=now,
                            notes=state.notes)
        record_id = self.repo.finish_session(
            body, actor=self.actor.username if self.actor else state.pharmacist,
            branch=self.actor.branch if self.actor else "")
        self._names.pop(session_id, None)
        return record_id

    # -- records -------------------------------------------------------------------------------

    def find(self, query: RecordQuery | None = None) -> list[RecordSummary]:
        scoped = self._scoped(query or RecordQuery())
        return [] if scoped is None else self.repo.find(scoped)

    def get(self, record_id: int, *, viewed_by: str | None = None) -> Record:
        """One record version; with viewed_by (or signed in), the view is written to the audit log."""
        self._may_see(record_id)
        record = self.repo.get_record(record_id)
        if viewed_by or self.actor:
            self.repo.log("viewed", actor=self._by(viewed_by or ""), at=self._now(),
                          record_id=record_id)
        return record

    def versions(self, record_id: int) -> list[Record]:
        self._may_see(record_id)
        return self.repo.versions(record_id)

    def audit(self, record_id: int | None = None) -> list[AuditEntry]:
        if record_id is None:
            if self.actor is not None and self.actor.role != "admin":
                raise RecordsError("audit: the whole audit log is for admins; open one record's")
        else:
            self._may_see(record_id)
        return self.repo.audit(record_id)

    def verify(self) -> ChainReport:
        """Check the tamper-evidence hash chains: OK, or the first broken link (table, id)."""
        return self.repo.verify()

    def correct(self, record_id: int, *, by: str, why: str, changes: Mapping[str, Any]) -> int:
        """Add a corrected version; the original stays as it was. Returns the new record id.

        changes may hold: notes, follow_up_date (ISO date or None), patient_ref,
        points {id: {"status", "reason"}}, warnings {code: how}.
        """
        by, why = (self.actor.username if self.actor else _clean(by, 20)), _clean(why, 500)
        if not by or not why:
            raise RecordsError("correction: who corrects it and why are both required")
        allowed = {"notes", "follow_up_date", "patient_ref", "points", "warnings"}
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise RecordsError(f"correction: {unknown[0]}: cannot be corrected "
                               f"(allowed: {', '.join(sorted(allowed))})")
        self._may_see(record_id)
        old = self.repo.get_record(record_id)
        now = self._now()
        update: dict[str, Any] = {}
        if "notes" in changes:
            update["notes"] = _clean(str(changes["notes"]))
        if "patient_ref" in changes:
            update["patient_ref"] = require_reference(_clean(str(changes["patient_ref"]), 40))
        if "follow_up_date" in changes:
            raw = changes["follow_up_date"]
            try:
                update["follow_up_date"] = date.fromisoformat(str(raw)) if raw else None
            except ValueError:
                raise RecordsError(f"correction: follow_up_date: '{raw}' is not a date "
                                   "like 2026-12-01") from None
        if "points" in changes:
            update["points"] = self._corrected_points(old.points, changes["points"], now)
        if "warnings" in changes:
            update["warnings"] = self._corrected_warnings(old.warnings, changes["warnings"], now)
        body = dataclasses.replace(old, **update)
        return self.repo.add_correction(record_id, body, Correction(by=by, at=now, why=why))

    @staticmethod
    def _corrected_points(points: tuple[PointRecord, ...], changes: Any,
                          now: datetime) -> tuple[PointRecord, ...]:
        wanted = dict(changes)
        known = {p.id for p in points}
        for pid in wanted:
            if pid not in known:
                raise RecordsError(f"correction: points.{pid}: not a point of this record")
        out = []
        for p in points:
            if p.id in wanted:
                status = str(wanted[p.id].get("status", ""))
                reason = _clean(str(wanted[p.id].get("reason", "")), 500)
                if status not in MARK_STATUSES:
                    raise RecordsError(f"correction: points.{p.id}.status: '{status}' is not one of "
                                       f"{', '.join(MARK_STATUSES)}")
                if status == "not_discussed" and not reason:
                    raise RecordsError(f"correction: points.{p.id}.reason: required")
                p = dataclasses.replace(p, status=status, reason=reason, at=now)
            out.append(p)
        return tuple(out)

    @staticmethod
    def _corrected_warnings(warnings: tuple[WarningRecord, ...], changes: Any,
                            now: datetime) -> tuple[WarningRecord, ...]:
        wanted = {str(k).upper(): str(v) for k, v in dict(changes).items()}
        known = {w.code for w in warnings}
        for code in wanted:
            if code not in known:
                raise RecordsError(f"correction: warnings.{code}: not a warning of this record")
        return tuple(
            dataclasses.replace(w, acknowledged=True, how=_clean(wanted[w.code], 300), at=now)
            if w.code in wanted else w
            for w in warnings
        )

    # -- printing ------------------------------------------------------------------------------

    def log_print(self, record_id: int, *, by: str, detail: str = "") -> None:
        """Note in the audit log that a record's leaflet was printed or saved."""
        self._require_sign_in("print")
        self.repo.log("printed", actor=self._by(by), at=self._now(), record_id=record_id,
                      detail=detail)

    def check_reprint(self, record_id: int) -> ReprintCheck:
        self._may_see(record_id)
        record = self.repo.get_record(record_id)
        mono = self.catalog.monograph(record.drug)
        current = mono.content_version if mono else "unavailable"
        stored = record.leaflet.content_version if record.leaflet else record.content_version
        return ReprintCheck(record_id, stored, current)

    def reprint(self, record_id: int, *, by: str, accept_current: bool = False,
                patient_name: str | None = None) -> Reprint:
        """Regenerate the record's leaflet from the stored case (logged in the audit).

        If the content has changed since, this refuses unless accept_current=True (ask first,
        with check_reprint().message). patient_name (when names are not stored) is printed on
        the leaflet but not stored or logged.
        """
        check = self.check_reprint(record_id)
        if check.content_changed and not accept_current:
            raise RecordsError(check.message)
        if self.catalog.monograph(self.repo.get_record(record_id).drug) is None:
            raise RecordsError(f"record {record_id}: no content for this drug any more")
        record = self.repo.get_record(record_id)
        leaflet = record.leaflet
        rendered_on = leaflet.rendered_on if leaflet else record.finished_at.date()
        case = dict(record.case)
        if patient_name and patient_name.strip():
            case["patient"] = {**dict(case.get("patient") or {}), "name": patient_name.strip()}
        result = self.counselling_for(case, today=rendered_on, region=record.region)
        # The points left off the first print stay off (only passed when there are some, so a
        # renderer without `omit` still reprints older records).
        omit = {"omit": frozenset(leaflet.omit)} if leaflet and leaflet.omit else {}
        pdf = self._render(result, paper=leaflet.paper if leaflet else "a4",
                           large_print=leaflet.large_print if leaflet else None, today=rendered_on,
                           **omit)
        sha = hashlib.sha256(pdf).hexdigest()
        identical = (sha == leaflet.sha256) if leaflet else None
        version = result.monograph.content_version
        compared = {None: "no original hash", True: "identical to the original",
                    False: "differs from the original"}[identical]
        self.repo.log("reprinted", actor=self._by(by), at=self._now(), record_id=record_id,
                      detail=f"content {version}; sha256 {sha}; {compared}")
        if check.content_changed:
            message = f"Reprinted with the current content ({version}), not {check.stored_version}."
        elif identical:
            message = "Reprinted: identical to the leaflet handed over."
        else:
            message = f"Reprinted with the same content version ({version})."
        return Reprint(record_id, pdf, sha, version, check.content_changed, identical, message)

    # -- export --------------------------------------------------------------------------------

    def export(self, fmt: ExportFormat, *, by: str, query: RecordQuery | None = None,
               all_versions: bool = True) -> str:
        """Records as CSV or JSON text (every version by default: corrections keep originals)."""
        query = dataclasses.replace(query or RecordQuery(), include_superseded=all_versions,
                                    limit=1_000_000)
        scoped = self._scoped(query)
        if scoped is None:
            raise RecordsError("export: a trainee account cannot export real records")
        query = scoped
        records = self.repo.records(query)
        now = self._now()
        text = to_json(records, exported_at=now) if fmt == "json" else to_csv(records)
        span = f"{query.date_from or 'start'} to {query.date_to or 'now'}"
        self.repo.log("exported", actor=self._by(by), at=now, record_id=None,
                      detail=f"{fmt}, {len(records)} record versions, {span}")
        return text

    def check_output(self, path: Path, option: str = "file") -> None:
        """Refuse (OutputPathError) a path that is, or links to, this or another Counsel database."""
        check_output_path(path, option, databases=[Path(self.location)])

    def write_file(self, path: Path, text: str, *, option: str = "file") -> None:
        """Atomic write (temporary file + rename), for exports; never over a database."""
        self.check_output(path, option)
        write_atomic(path, text.encode("utf-8"))

    def write_pdf(self, path: Path, pdf: bytes, *, option: str = "file") -> None:
        """Atomic write of a reprinted leaflet; never over a database."""
        self.check_output(path, option)
        write_atomic(path, pdf)


@dataclass(frozen=True)
class RecordsHealth:
    """What `main.py --check` reports about the records database."""

    ok: bool
    location: str
    problem: str = ""
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "location": self.location, "problem": self.problem,
                "detail": self.detail}


def _writable_folder(path: Path) -> bool:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def records_health(db_path: DbTarget | None = None) -> RecordsHealth:
    """Can this user's records database be opened, migrated, written to and verified?

    For `main.py --check`: healthy only when counselling would really be recorded. A missing file
    is healthy when its folder can be written (the app creates it on first use; the check does
    not). An existing file is opened as the app opens it (so an older schema is migrated).
    """
    try:
        target = resolve(db_path)
    except RecordsError as exc:
        return RecordsHealth(False, "", str(exc))
    if isinstance(target, str):
        return _server_health(target)
    path = target
    location = str(path)
    if not path.exists():
        if path.is_symlink() or not _writable_folder(path):
            return RecordsHealth(False, location, f"{path}: the records database cannot be created"
                                 " there (the folder is not writable); set COUNSEL_DB to a "
                                 "writable place")
        return RecordsHealth(True, location, detail="not created yet: made on first use")
    try:
        repo = SQLiteRepository(path)
    except RecordsError as exc:
        return RecordsHealth(False, location, str(exc))
    return _probe(repo, location, str(path), integrity=True)


def _server_health(url: str) -> RecordsHealth:
    location = describe(url)
    try:
        repo = open_repository(url)
    except RecordsError as exc:
        return RecordsHealth(False, location, str(exc))
    return _probe(repo, location, location, integrity=False)


def _probe(repo: Any, location: str, label: str, *, integrity: bool) -> RecordsHealth:
    """The checks both engines share: (SQLite's own integrity check,) writable, chains verify.

    Closes `repo` whatever happens.
    """
    try:
        if integrity:
            quick = repo.integrity()
            if quick != "ok":
                return RecordsHealth(False, location, f"{label}: the records database is damaged "
                                     f"({quick[:80]}); restore a backup")
        repo.check_writable()
        chains = repo.verify()
    except RecordsError as exc:
        return RecordsHealth(False, location, str(exc))
    finally:
        repo.close()
    if not chains.ok:
        return RecordsHealth(False, location, f"{label}: records verify: {chains.message}")
    return RecordsHealth(True, location, detail=chains.message)


def check_can_record(result: Counselling, *, now: datetime, db_path: DbTarget | None = None,
                     pharmacist: str | None = None, actor: Account | None = None) -> None:
    """Before `render --record` writes the PDF: refuse (one RecordsError line) if the record
    could not be stored afterwards, so no leaflet is handed over unrecorded.

    actor: the person signed in for this command (`--user`); once the database has accounts the
    record needs one (the same rule as RecordsService.start_session), and never a trainee.
    """
    who = actor.username if actor else (pharmacist or result.case.pharmacist)
    if not who.strip():
        raise RecordsError('pharmacist: missing — set "pharmacist" (initials) in the case to '
                           "record it")
    require_reference(patient_reference(_case_dict(result.case), today=now.date()))
    if actor is not None and actor.role == "trainee":
        raise TrainingRefusedError("a trainee account makes no real counselling records: use "
                                   "--training, or ask a pharmacist to sign in")
    repo = open_repository(db_path)
    try:
        if actor is None and repo.accounts():
            raise SignInRequiredError("--record: sign in first (--user NAME) — this records "
                                      "database has accounts, so records are kept under the "
                                      "signed-in person")
        repo.check_writable()
    finally:
        repo.close()


def record_headless_render(result: Counselling, pdf_bytes: bytes, options: Any, *,
                           now: datetime, db_path: DbTarget | None = None,
                           acknowledged: frozenset[str] | set[str] = frozenset(),
                           today: date | None = None, pharmacist: str | None = None,
                           store_full_names: bool = False,
                           outcomes: Mapping[str, str] | None = None,
                           actor: Account | None = None) -> int:
    """Record a leaflet rendered from the command line (`render ... --record`); returns the record id.

    options is the LeafletOptions used (paper, large_print, training). Training renders are refused.
    outcomes: warning code -> outcome id (release.ACK_OUTCOMES), kept with the same label the GUI
    keeps; a code acknowledged without one says it came from the command line.
    actor: the person signed in (`--user`): the record, its acknowledgements and its print are
    kept under them rather than the case's typed initials.
    """

    if getattr(options, "training", False):
        raise TrainingRefusedError("training leaflets are never stored in the counselling records")
    service = RecordsService.open(db_path, clock=lambda: now,
                                  settings=RecordSettings(store_full_names=store_full_names))
    try:
        if actor is not None:
            service.actor = actor
        who = actor.username if actor else (pharmacist or result.case.pharmacist)
        if not who.strip():
            raise RecordsError('pharmacist: missing — set "pharmacist" (initials) in the case to '
                               "record it")
        session_id = service.start_session(result.case, pharmacist=who)
        for code in sorted(acknowledged):
            outcome = (outcomes or {}).get(code, "")
            how = outcome_label(outcome) if outcome else "acknowledged on the command line"
            service.acknowledge(session_id, code, how=how)
        service.save_leaflet(session_id, leaflet_given(
            result, pdf_bytes, paper=getattr(options, "paper", "a4"),
            large_print=getattr(options, "large_print", None), rendered_on=today or now.date(),
            omit=frozenset(getattr(options, "omit", frozenset()))))
        record_id = service.finish_session(session_id)
        service.log_print(record_id, by=who, detail="leaflet rendered from the command line")
        return record_id
    finally:
        service.close()
