"""The main window's link to the counselling records: autosave, resume, finish on hand-over, history.

The records service is opened after the window is on screen (start()); until then, and for good if
the database cannot be used, the app works without records and says so in one status-bar line.
Saves run in order on one records thread of their own: each is a short SQLite transaction, but with
synchronous=FULL a commit waits for the disk (median ~2 ms, yet 17 ms at p95 and over 100 ms at worst
when measured on this machine), which would make typing stutter on the UI thread. Typing is
debounced; clicks are queued at once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from counsel.core.errors import CounselError
from counsel.gui.worker import Worker
from counsel.services.session import CounsellingSession

if TYPE_CHECKING:
    from counsel.gui.main_window import MainWindow
    from counsel.gui.sign_in import CounterGuard
    from counsel.records.models import LeafletGiven
    from counsel.services.records import RecordsService

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250
MAX_WAIT_MS = 3000  # continuous typing is still saved at least this often (a crash loses at most 3 s)
CLOSE_WAIT_MS = 10000
RETRY_MS = 30000
Clock = Callable[[], datetime]
Handover = Literal["saved", "printed"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _without_output(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot minus how the leaflet left the counter (printing again is not an edit)."""
    return {k: v for k, v in snapshot.items() if k != "leaflet_output"}


class _Session:
    """One counselling session. `begun`: the UI has queued its first save; `id`: set by the records
    thread once that save has created it (jobs run in order, so later saves find it)."""

    def __init__(self, session_id: str | None = None) -> None:
        self.id = session_id
        self.begun = session_id is not None
        self.outcomes: dict[str, str] = {}  # warning code -> outcome label written (records thread)


@dataclass(frozen=True)
class _Failed:
    """A records job's CounselError, carried back to the UI thread as data."""

    message: str
    unusable: bool


@dataclass(frozen=True)
class _Queued:
    """The server was away: the record waits in this counter's outbox (issue 14)."""

    message: str
    waiting: int


def _failure(exc: CounselError) -> _Failed:
    from counsel.records.errors import DatabaseUnusableError

    return _Failed(str(exc), isinstance(exc, DatabaseUnusableError))


class RecordsLink(QObject):
    """Keeps the one open counselling session in step with the records database.

    A session starts when the case is first edited (or a case file is opened) and ends when its
    leaflet is printed or saved: it becomes a finished, append-only record, and the next edit
    starts a new session.
    """

    saved = Signal()            # a snapshot reached the database (tests wait for this)
    finished = Signal(int)      # record id
    unavailable = Signal(str)   # one-line reason: the app goes on without records

    def __init__(self, window: MainWindow, clock: Clock = _utc_now) -> None:
        super().__init__(window)
        self.w = window
        self.clock = clock
        self.service: RecordsService | None = None
        self.problem = ""
        self.last_record: int | None = None
        self.history_window: QWidget | None = None
        self.guard: CounterGuard | None = None  # sign-in at the counter, when accounts exist
        self.writer = Worker(self)  # its own thread: saves never wait behind a leaflet render
        self._session = _Session()
        self._saved: dict[str, Any] | None = None  # last snapshot queued (or finished)
        self._warned_initials = False
        self.label = QLabel("Records: starting…")
        self.label.setAccessibleName("Counselling records status")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        # The debounce restarts on every key, so a pharmacist who never pauses would never be
        # saved: this second timer starts with the first unsaved change and is not restarted.
        self._max_wait = QTimer(self)
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(MAX_WAIT_MS)
        self._max_wait.timeout.connect(self.flush)
        # Records waiting in a counter's outbox are retried every RETRY_MS while any wait.
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.send_waiting)

    @property
    def session_id(self) -> str | None:
        """The open session's id (None before its first save has been written)."""
        return self._session.id

    # ------------------------------------------------------------ start-up
    def start(self) -> None:
        """Open the database (after the window shows), then offer any unfinished session to resume."""
        if self.service is not None or self.problem:
            return
        # Imported here, not at module import: keeps them off the window-shown path.
        from counsel.services.records import RecordSettings, RecordsService
        from counsel.services.render_process import records_renderer

        try:
            self.service = RecordsService.open(
                clock=self.clock,
                settings=RecordSettings(store_full_names=self.w.settings.store_full_names),
                renderer=records_renderer)  # reprints too are laid out by the leaflet helper
        except CounselError as exc:
            self._give_up(str(exc))
            return
        self.label.setText("Records: on")
        self.label.setToolTip(self.service.location)
        # Issue 14: with accounts in the database someone signs in first (counsel/gui/sign_in.py),
        # and the resume offer waits for them: it lists only their own unfinished sessions.
        from counsel.gui.sign_in import attach

        self.guard = attach(self.w, self.service)
        if self.guard is not None:
            self.guard.changed.connect(self._offer_resume_once)
            return
        self._offer_resume()

    def _offer_resume_once(self, account: object) -> None:
        if account is not None and self.guard is not None:
            self.guard.changed.disconnect(self._offer_resume_once)
            self._offer_resume()

    def _offer_resume(self) -> None:
        from counsel.gui.records import ask_resume
        from counsel.services.records import snapshot_of
        from counsel.services.release import outcome_label, outcome_of

        if self.service is None:
            return
        try:
            state = ask_resume(self.w, self.service, user=self.w.settings.pharmacist)
        except CounselError as exc:
            self._say(f"Unfinished sessions could not be read: {exc}")
            return
        if state is None:
            return
        self.flush()  # anything typed while the prompt was coming up stays in its own session
        snapshot = snapshot_of(state)
        # How each warning was dealt with comes back too (the record keeps its label, with
        # " (by NAME)" after a switch of user): read back by the services' one parser.
        outcomes = {code: outcome_of(ack.how) for code, ack in state.acknowledgements.items()}
        snapshot["ack_outcomes"] = {code: o for code, o in outcomes.items() if o}
        # What is kept already, so carrying on does not write (and re-attribute) it again.
        kept = {code: outcome_label(o) for code, o in outcomes.items() if o}
        self.w.restore_session(CounsellingSession.from_json(snapshot))
        self._session = _Session(state.id)
        self._session.outcomes = kept
        self._saved = None
        self.flush()  # the form may tidy the case up: store what is on screen (only what differs)
        self._say(f"Resumed the counselling for {state.patient_ref or 'a patient without a reference'}.")

    def _give_up(self, reason: str) -> None:
        # The reason names the file and the problem; it never holds patient data.
        self.problem = reason
        if self.service is not None:
            self.writer.drain(CLOSE_WAIT_MS)
            self.service.close()
        self.service = None
        self.label.setText("Records: not available")
        self.label.setToolTip(reason)
        self._say(f"Counselling records are off: {reason}")
        self.unavailable.emit(reason)

    def _say(self, text: str) -> None:
        self.w.statusBar().showMessage(text, 15000)

    def apply_settings(self) -> None:
        if self.service is not None:
            from counsel.services.records import RecordSettings

            self.service.settings = RecordSettings(store_full_names=self.w.settings.store_full_names)

    # ------------------------------------------------------------ autosave
    def on_changed(self) -> None:
        """Typing: wait until it pauses."""
        if self.service is not None:
            self._timer.start()
            if not self._max_wait.isActive():
                self._max_wait.start()

    def on_marked(self) -> None:
        """A click (mark, acknowledgement, schedule check): save now."""
        if self.service is not None:
            self.flush()

    def pharmacist(self) -> str:
        if self.service is not None and self.service.actor is not None:
            return self.service.actor.username  # signed in: typed initials do not count
        data = self.w.model.session.case_data
        return (self.w.settings.pharmacist or str(data.get("pharmacist") or "")).strip()

    def flush(self) -> None:
        """Queue a save of what changed (starting a session on the first real edit)."""
        self._timer.stop()
        self._max_wait.stop()
        service, model, session = self.service, self.w.model, self._session
        if service is None:
            return
        snapshot = model.session.to_json()
        if snapshot == self._saved:
            return
        who = self.pharmacist()
        if not session.begun:
            if model.pristine or (self._saved is not None
                                  and _without_output(snapshot) == _without_output(self._saved)):
                return  # nothing typed yet, or only a finished record's leaflet handed over again
            if not who:
                if not self._warned_initials:
                    self._warned_initials = True
                    self._say("Counselling records need your initials: add them in File › Settings "
                              "(Ctrl+,).")
                return
            session.begun = True
        self._saved = snapshot
        self.writer.submit(lambda: _write(service, session, snapshot, who), self._on_written,
                           self._on_crashed)

    def _on_written(self, outcome: object) -> None:
        if isinstance(outcome, _Failed):
            self._saved = None  # the next change writes everything that differs again
            self._on_failed(outcome)
            return
        self.saved.emit()

    def _on_logged(self, outcome: object) -> None:
        if isinstance(outcome, _Failed):
            self._on_failed(outcome, "The print was not noted on the record")

    def _on_failed(self, failed: _Failed, prefix: str = "Counselling record not saved") -> None:
        if failed.unusable:
            self._give_up(failed.message)
            return
        # Busy or refused: the next change tries again.
        self._say(f"{prefix}: {failed.message}")

    def _on_crashed(self, message: str) -> None:
        self._saved = None
        self._say(f"Counselling record not saved: {message}")

    def replace_case(self) -> None:
        """New case or opened file: the current session stays unfinished (resumable) and is let go."""
        self.flush()
        self._session = _Session()
        self._saved = None

    # ------------------------------------------------------------ hand-over
    def handed_over(self, pdf: bytes, how: Handover) -> None:
        """The leaflet was printed or saved: record it and finish the session as a record."""
        service, result = self.service, self.w.model.result
        if service is None or result is None:
            return
        from counsel.services.records import leaflet_given

        who = self.pharmacist()
        snapshot = self.w.model.session.to_json()
        if (not self._session.begun and self.last_record is not None and self._saved is not None
                and _without_output(snapshot) == _without_output(self._saved)):
            if how == "printed":  # the same leaflet again (another copy): noted on the same record
                record_id = self.last_record
                self.writer.submit(lambda: _log_print(service, record_id, who, "printed again"),
                                   self._on_logged, self._on_crashed)
            return
        self.flush()
        session = self._session
        if not session.begun:
            self._say("Leaflet not recorded: counselling records need your initials in File › Settings.")
            return
        paper: Literal["a4", "letter"] = "letter" if self.w.leaflet.paper_value() == "letter" else "a4"
        given = leaflet_given(result, pdf, paper=paper, large_print=None, rendered_on=self.w.today(),
                              omit=self.w.preview_options().omit)  # as printed: a reprint matches
        self._session = _Session()  # the record is append-only: the next edit starts a new session
        self.writer.submit(lambda: _finish(service, session, given, who, how),
                           lambda outcome: self._on_finished(session, outcome), self._on_crashed)

    def _on_finished(self, session: _Session, outcome: object) -> None:
        if isinstance(outcome, _Queued):
            # Not a failure: the session is closed and its record is safe on this counter.
            self._show_waiting(outcome.waiting)
            self._say(outcome.message)
            return
        if isinstance(outcome, _Failed):
            if not self._session.begun:
                self._session = session  # still open: carry on with it (and finish it next time)
                self._saved = None
            shown = self.w.statusBar().currentMessage()
            self._on_failed(outcome, f"{shown} Not recorded yet".strip())
            return
        assert isinstance(outcome, int)
        self.last_record = outcome
        shown = self.w.statusBar().currentMessage()
        self.w.statusBar().showMessage(f"{shown}  Record {outcome} saved.".strip(), 15000)
        self.finished.emit(outcome)

    def _show_waiting(self, waiting: int) -> None:
        self.label.setText(f"Records: waiting to send ({waiting})" if waiting else "Records: on")
        if waiting:
            self._retry.start()
        else:
            self._retry.stop()

    def send_waiting(self) -> None:
        """Try the outbox again (on the records thread); the label follows what is left."""
        service = self.service
        if service is None:
            return
        self.writer.submit(lambda: _send_waiting(service),
                           lambda left: self._show_waiting(int(left or 0)), self._on_crashed)

    # ------------------------------------------------------------- history
    def open_history(self) -> None:
        """Counselling history (opens the database first if start-up has not done it yet)."""
        if self.service is None and not self.problem:
            self.start()
        if self.service is None:
            self._say(f"Counselling history is not available: {self.problem}")
            return
        from counsel.gui.records import open_history_window

        self.flush()
        self.history_window = open_history_window(self.w, self.service, user=self.w.settings.pharmacist)

    def close(self) -> None:
        """Save the last keystrokes, wait for every queued save, and let the database go."""
        self.flush()
        if self.service is not None:
            if not self.writer.drain(CLOSE_WAIT_MS):
                log.warning("records: saves still running after %d ms at close", CLOSE_WAIT_MS)
            try:
                self.service.close()
            except CounselError as exc:
                log.warning("records database did not close cleanly: %s", type(exc).__name__)
            self.service = None


# Records-thread jobs: they touch no widget, only the service, and report a CounselError as data.

def _write(service: RecordsService, session: _Session, snapshot: dict[str, Any], who: str) -> object:
    try:
        if session.id is None:
            session.id = service.start_session(snapshot["case"], pharmacist=who)
        service.apply_snapshot(session.id, snapshot)
        _write_outcomes(service, session, snapshot)
    except CounselError as exc:
        return _failure(exc)
    return None


def _write_outcomes(service: RecordsService, session: _Session, snapshot: dict[str, Any]) -> None:
    """Each acknowledgement keeps how the warning was dealt with (the record's "how")."""
    from counsel.services.release import outcome_label

    assert session.id is not None
    outcomes = dict(snapshot.get("ack_outcomes") or {})
    acknowledged = set(snapshot.get("acknowledged") or [])
    for code in sorted(acknowledged):
        label = outcome_label(str(outcomes[code])) if outcomes.get(code) else ""
        if label and session.outcomes.get(code) != label:
            service.acknowledge(session.id, code, how=label)
            session.outcomes[code] = label
    for code in set(session.outcomes) - acknowledged:
        del session.outcomes[code]


def _send_waiting(service: RecordsService) -> int:
    with contextlib.suppress(CounselError):  # still away: the next try is in RETRY_MS
        service.send_waiting()
    return service.waiting_to_send() or 0


def _finish(service: RecordsService, session: _Session, given: LeafletGiven, who: str,
            how: Handover) -> object:
    from counsel.records.errors import RecordQueued

    if session.id is None:
        return _Failed("the counselling session could not be started", False)
    try:
        service.save_leaflet(session.id, given)
        try:
            record_id = service.finish_session(session.id)
        except RecordQueued as queued:
            return _Queued(str(queued), service.waiting_to_send() or 1)
        if how == "printed":
            service.log_print(record_id, by=who)
    except CounselError as exc:
        return _failure(exc)
    return record_id


def _log_print(service: RecordsService, record_id: int, who: str, detail: str) -> object:
    try:
        service.log_print(record_id, by=who, detail=detail)
    except CounselError as exc:
        return _failure(exc)
    return None
