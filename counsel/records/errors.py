"""Errors from the records store: each is one line a pharmacist can act on (never patient data)."""

from __future__ import annotations

from counsel.core.errors import CounselError


class RecordsError(CounselError):
    """Base class: a records operation could not be done, for a reason the user can act on."""


class DatabaseUnusableError(RecordsError):
    """The database file is damaged, unreadable, not ours, or newer than this app (left untouched)."""


class NotFoundError(RecordsError):
    """No session or record with that id."""


class SessionClosedError(RecordsError):
    """The session is already finished or discarded, so it cannot change any more."""


class RecordQueued(RecordsError):  # noqa: N818 - a state the counter shows, not a failure
    """The records server is away: the record is safe in this counter's outbox, to be sent."""


class SignInRequiredError(RecordsError):
    """Accounts are in use in this database, and nobody is signed in."""


class TrainingRefusedError(RecordsError):
    """Training sessions never go into the real counselling records."""
