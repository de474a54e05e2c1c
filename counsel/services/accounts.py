"""People at the counter: adding accounts, signing in (argon2), and slowing down repeated failures.

The policy lives here, once, for the GUI and the CLI alike; storage is the records repository
(SQLite or PostgreSQL), so accounts, sign-ins and failures are kept beside the records they
attribute. Clock and sleeper are injected: tests measure the slow-down without waiting for it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from counsel.records.accounts import ROLES, AccessEvent, Account
from counsel.records.errors import RecordsError
from counsel.records.repository import RecordsRepository

__all__ = ["ROLES", "Account", "AccountsService", "SignInError", "delay_after", "may_see_progress",
           "validate_secret"]

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Sleeper = Callable[[float], None]

# Five wrong tries in a row are free (typos happen); from then on each try waits longer.
FREE_FAILURES = 5
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 30.0
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
_NOT_RECOGNISED = "sign-in: user name or PIN/password not recognised"


class SignInError(RecordsError):
    """A failed sign-in. The message never says whether the name or the secret was wrong."""


def delay_after(failures: int) -> float:
    """Seconds to wait before checking the next try, after `failures` wrong ones in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return float(min(FIRST_DELAY_S * 2 ** (failures - FREE_FAILURES), MAX_DELAY_S))


def validate_secret(secret: str) -> None:
    """A PIN is 6–12 digits; anything else is a password of at least 8 characters."""
    if secret.isdigit():
        if not 6 <= len(secret) <= 12:
            raise RecordsError("PIN: use 6 to 12 digits (a 4-digit PIN is guessed too easily)")
    elif len(secret) < 8:
        raise RecordsError("password: use at least 8 characters (or a PIN of 6 to 12 digits)")


def may_see_progress(viewer: Account, trainee: Account) -> bool:
    """Training progress: supervisors and admins see every trainee, across branches; a pharmacist
    sees the trainees of their own branch; a trainee sees only their own."""
    if viewer.role in ("supervisor", "admin"):
        return True
    if viewer.role == "pharmacist":
        return trainee.branch == viewer.branch
    return viewer.username == trainee.username


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: 64 MiB, t=3)."""
    return PasswordHasher()


@dataclass
class AccountsService:
    repo: RecordsRepository
    clock: Clock
    sleeper: Sleeper = time.sleep
    hasher: PasswordHasher = field(default_factory=default_hasher)
    counter: str = ""  # which PC/counter: kept in the access log
    # A fixed hash to check unknown names against, so they take as long as known ones.
    _dummy: str = ""

    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the accounts clock must give timezone-aware datetimes")
        return now

    # -- administration ------------------------------------------------------------------------

    def add_user(self, username: str, *, name: str, role: str, secret: str,
                 registration: str = "", branch: str = "", by: str) -> Account:
        """Create an account (the first admin comes from `counsel users add`)."""
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise RecordsError("user name: 2–32 lower-case letters, digits, '.', '_' or '-', "
                               "starting with a letter or digit")
        if role not in ROLES:
            raise RecordsError(f"role: '{role}' is not one of {', '.join(ROLES)}")
        name = " ".join(name.split())[:80]
        if not name:
            raise RecordsError("name: the person's name is needed")
        registration = registration.strip()[:40]
        if role in ("pharmacist", "supervisor") and not registration:
            raise RecordsError(f"registration: a {role} needs a professional registration number")
        validate_secret(secret)
        account = Account(username=username, name=name, registration=registration,
                          role=role,
                          branch=branch.strip()[:60], active=True, created_at=self._now())
        self.repo.add_account(account, self.hasher.hash(secret), by=by, at=account.created_at)
        log.info("account %s added (%s)", username, role)
        return account

    def set_secret(self, username: str, secret: str, *, by: str) -> None:
        validate_secret(secret)
        self.repo.update_account(username.strip().lower(), by=by, at=self._now(),
                                 secret_hash=self.hasher.hash(secret))

    def deactivate(self, username: str, *, by: str) -> None:
        self.repo.update_account(username.strip().lower(), by=by, at=self._now(), active=False)

    def users(self) -> list[Account]:
        return self.repo.accounts()

    def has_admin(self) -> bool:
        return any(a.role == "admin" and a.active for a in self.repo.accounts())

    def access_log(self, username: str | None = None) -> list[AccessEvent]:
        return self.repo.access_log(username)

    # -- at the counter ------------------------------------------------------------------------

    def sign_in(self, username: str, secret: str) -> Account:
        """The account, or SignInError; every success and failure is logged.

        After FREE_FAILURES wrong tries in a row for a name (on any counter), each further try
        first waits delay_after(failures), so guessing a PIN takes hours, not seconds.
        """
        username = username.strip().lower()[:32]
        failures = self.repo.failed_sign_ins(username) if username else 0
        wait = delay_after(failures)
        if wait:
            log.info("sign-in for %s slowed by %.0f s after %d failures", username, wait, failures)
            self.sleeper(wait)
        found = self.repo.account(username) if username else None
        ok = False
        if found is None:
            self._burn(secret)
        else:
            account, stored = found
            ok = self._check(stored, secret) and account.active
        at = self._now()
        if found is None or not ok:
            why = ("unknown user name" if found is None else
                   "account deactivated" if not found[0].active else "wrong PIN or password")
            self.repo.log_access(username or "?", "sign_in_failed", at=at, counter=self.counter,
                                 detail=f"{why}; {failures + 1} in a row")
            raise SignInError(_NOT_RECOGNISED)
        account, stored = found
        if self.hasher.check_needs_rehash(stored):
            try:  # stronger settings since the hash was made: upgrade it (best effort)
                self.repo.update_account(username, by=username, at=at,
                                         secret_hash=self.hasher.hash(secret))
            except RecordsError:
                log.info("account %s: hash upgrade deferred", username)
        self.repo.log_access(username, "signed_in", at=at, counter=self.counter)
        return account

    def sign_out(self, account: Account, *, event: str = "signed_out") -> None:
        """Sign out, lock (idle) or switch user: all end the person's turn at the counter."""
        kind = {"signed_out": "signed_out", "locked": "locked", "switched": "switched"}.get(event)
        if kind is None:
            raise ValueError(f"unknown sign-out event {event!r}")
        self.repo.log_access(account.username, kind,  # type: ignore[arg-type]
                             at=self._now(), counter=self.counter)

    def _check(self, stored: str, secret: str) -> bool:
        try:
            return bool(self.hasher.verify(stored, secret))
        except (VerificationError, InvalidHashError):
            return False

    def _burn(self, secret: str) -> None:
        # Same work as a real check, so the time taken does not tell which names exist.
        if not self._dummy:
            self._dummy = self.hasher.hash("counsel-no-such-user")
        self._check(self._dummy, secret)
