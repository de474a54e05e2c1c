"""The GUI's handle on the one counselling session: validates the form, works out the counselling,
and announces every change (`changed`) so autosave and records can hook in later."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from counsel.core.errors import CaseError
from counsel.services.session import CounsellingSession

if TYPE_CHECKING:  # the core (pydantic) is imported on first use, after the window has painted
    from counsel.core.case import Case
    from counsel.core.content import Catalog
    from counsel.core.rules import Counselling
    from counsel.services.session import LeafletOutput, MarkStatus

_CATALOG_LOCK = threading.Lock()


def counsel(case: Case, **kwargs: Any) -> Counselling:
    """services.casework.counsel, imported on first use: the core loads after the first paint."""
    from counsel.services.casework import counsel as work_out

    return work_out(case, **kwargs)


def shared_catalog() -> Catalog:
    """The shipped content, loaded once: a second caller waits instead of loading it again.

    The worker loads it at start-up; if the user opens a case first, the UI thread loads it and the
    worker then finds it cached. It comes from the content cache (services.content_cache: the
    validated catalog kept between runs, keyed by the content files' hashes), as for the CLI.
    """
    from counsel.services.content_cache import cached_catalog

    with _CATALOG_LOCK:
        return cached_catalog()


def one_line_error(exc: BaseException, source: str = "") -> str:
    """A short, single-line reason for any failure (never a traceback, never a 5 MB value)."""
    if isinstance(exc, CaseError):
        text = str(exc)
    elif isinstance(exc, OverflowError):
        text = "the dates run past what a calendar can show (check the start date)"
    elif isinstance(exc, RecursionError):
        text = "nested too deeply to read"
    elif isinstance(exc, OSError):
        text = exc.strerror or type(exc).__name__
    else:
        text = f"could not be worked out ({type(exc).__name__})"
    if source and not text.startswith(source):
        text = f"{source}: {text}"
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:199] + "…"


def _field_of(exc: BaseException) -> str:
    return "prescription.start_date" if isinstance(exc, OverflowError) else ""


class SessionModel(QObject):
    """Owns a CounsellingSession plus the derived Counselling (None while the case is invalid)."""

    changed = Signal()  # anything in the session changed (autosave hook)
    result_changed = Signal()  # the case or its counselling changed (pages refresh)
    marks_changed = Signal()  # point marks or acknowledgements changed

    def __init__(self, today: Callable[[], date], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.session = CounsellingSession()
        self.result: Counselling | None = None
        self.error: CaseError | None = None
        self.pristine = True

    def reset(self, case_data: dict[str, Any], *, pristine: bool = True) -> None:
        """Start a new session (new case or opened file): marks and acknowledgements are cleared."""
        self.session = CounsellingSession(case_data=case_data)
        self.pristine = pristine
        self._recompute()

    def restore(self, session: CounsellingSession) -> None:
        """A resumed session (from the records): keep its marks, acknowledgements and notes."""
        self.session = session
        self.pristine = False
        # The calendar is re-worked from the restored case, but it is the calendar that was
        # checked: restoring is not a change, so the session's own tick stands.
        self._recompute(keep_schedule_check=True)

    def set_case_data(self, data: dict[str, Any]) -> None:
        """The form changed: re-validate and re-work the counselling."""
        if data == self.session.case_data:
            return
        self.session.case_data = data
        self.session.leaflet_output = ""  # a leaflet printed earlier no longer matches the case
        self.pristine = False
        self._recompute()

    def _recompute(self, *, keep_schedule_check: bool = False) -> None:
        from counsel.core.case import parse_case

        before = self.result.schedule if self.result else None
        try:
            case = parse_case(self.session.case_data, today=self._today())
            # With today: the date checks too (START_DATE_PAST, information only).
            self.result = counsel(case, catalog=shared_catalog(), today=self._today())
            self.error = None
        except CaseError as exc:
            self.result = None
            self.error = CaseError("", exc.field, exc.problem)  # the form is the source, not a file
        except Exception as exc:  # one error path: the case is shown as not usable
            # Anything else the rules trip over (e.g. a date overflow) must not leave the previous
            # result standing beside a changed form: no result, and one line saying why.
            self.result = None
            self.error = CaseError("", _field_of(exc), one_line_error(exc))
        changed = (self.result.schedule if self.result else None) != before
        if changed and not keep_schedule_check:
            self.session.schedule_checked = False  # a changed calendar must be checked again
        self.result_changed.emit()
        self.changed.emit()

    def mark(self, point_id: str, status: MarkStatus, reason: str = "") -> None:
        before = self.session.mark_of(point_id)
        self.session.mark(point_id, status, reason)
        if self.session.mark_of(point_id) != before:
            self.marks_changed.emit()
            self.changed.emit()

    def acknowledge(self, code: str, done: bool, outcome: str = "") -> None:
        self.session.acknowledge(code, done, outcome)
        self.marks_changed.emit()
        self.changed.emit()

    def set_notes(self, notes: str) -> None:
        if notes != self.session.notes:
            self.session.notes = notes
            self.changed.emit()

    def set_schedule_checked(self, checked: bool) -> None:
        self.session.schedule_checked = checked
        self.marks_changed.emit()
        self.changed.emit()

    def set_leaflet_output(self, output: LeafletOutput) -> None:
        self.session.leaflet_output = output
        self.marks_changed.emit()
        self.changed.emit()
