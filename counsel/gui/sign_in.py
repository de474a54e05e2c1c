"""Who is at the counter: sign in, switch user, and lock after idle (issue 14).

A small module with one hook: `attach(window, records)` after the records service opens. With no
accounts in the database it does nothing (a single PC works as before). With accounts it hides
the window's contents and asks for a user name and PIN; the signed-in person becomes the records
service's actor. "Switch user" and "Lock" sit in the status bar; after the idle time
(COUNSEL_LOCK_MINUTES, default 5) the counter locks itself, so a patient at the counter never
sees the last patient's details.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.core.errors import CounselError
from counsel.records.accounts import Account
from counsel.services.accounts import AccountsService
from counsel.services.records import RecordsService

log = logging.getLogger(__name__)

LOCK_ENV = "COUNSEL_LOCK_MINUTES"
DEFAULT_LOCK_MINUTES = 5.0
LOCK_KEYS = "Ctrl+Shift+L"
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel}


def lock_minutes(env: dict[str, str] | None = None) -> float:
    """The idle time before the counter locks; a bad or missing value gives the default."""
    raw = (os.environ if env is None else env).get(LOCK_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_LOCK_MINUTES
    except ValueError:
        return DEFAULT_LOCK_MINUTES
    return value if 0.1 <= value <= 240 else DEFAULT_LOCK_MINUTES


def qt_sleeper(dialog: SignInDialog) -> Callable[[float], None]:
    """The slow-down wait, with the window still painting (never a frozen screen)."""
    def wait(seconds: float) -> None:
        dialog.message.setText(f"Too many wrong tries: wait {seconds:.0f} s.")
        dialog.sign_in_button.setEnabled(False)
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        dialog.sign_in_button.setEnabled(True)
    return wait


class SignInDialog(QDialog):
    """User name and PIN/password. A wrong try keeps it open with one line saying so."""

    signed_in = Signal(object)  # Account

    def __init__(self, accounts: AccountsService, parent: QWidget | None = None, *,
                 prompt: str = "Sign in to record counselling.", user: str = "") -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.account: Account | None = None
        self.setWindowTitle("Sign in")
        self.setModal(True)
        self.setMinimumWidth(340)
        self.user = QLineEdit(user)
        self.user.setAccessibleName("User name")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("PIN or password")
        self.message = QLabel("")
        self.message.setAccessibleName("Sign-in message")
        self.message.setWordWrap(True)
        self.sign_in_button = QPushButton("&Sign in")
        self.sign_in_button.setDefault(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        form = QFormLayout()
        form.addRow("&User name", self.user)
        form.addRow("&PIN or password", self.secret)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.sign_in_button.clicked.connect(self.try_sign_in)
        (self.secret if user else self.user).setFocus()

    def try_sign_in(self) -> None:
        try:
            account = self.accounts.sign_in(self.user.text(), self.secret.text())
        except CounselError as exc:
            text = str(exc).removeprefix("sign-in: ")
            self.message.setText(f"{text[:1].upper()}{text[1:]}.")
            self.secret.clear()
            self.secret.setFocus()
            return
        finally:
            self.secret.clear()  # the secret never stays in a widget
        self.account = account
        self.signed_in.emit(account)
        self.accept()

    def reject(self) -> None:
        """Esc does not close a locked counter: only a sign-in does."""
        self.message.setText("Sign in to go on.")


class CounterGuard(QObject):
    """Keeps a signed-in person at the counter: start, switch user, lock after idle."""

    changed = Signal(object)  # Account | None

    def __init__(self, window: QMainWindow, records: RecordsService, accounts: AccountsService,
                 *, idle_ms: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.records = records
        self.accounts = accounts
        self.account: Account | None = None
        self.dialog: SignInDialog | None = None
        self.label = QLabel("Signed out")
        self.label.setAccessibleName("Signed-in person")
        self.switch_button = QPushButton("Switch &user")
        self.lock_button = QPushButton("&Lock")
        for widget in (self.label, self.switch_button, self.lock_button):
            window.statusBar().addPermanentWidget(widget)
        self.switch_button.clicked.connect(self.switch_user)
        self.lock_button.clicked.connect(lambda: self.lock("locked"))
        self.lock_shortcut = QShortcut(QKeySequence(LOCK_KEYS), window)
        self.lock_shortcut.activated.connect(lambda: self.lock("locked"))
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_ms if idle_ms is not None
                              else int(lock_minutes() * 60_000))
        self.idle.timeout.connect(lambda: self.lock("locked"))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def locked(self) -> bool:
        return self.account is None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self.account is not None and event.type() in _ACTIVITY:
            self.idle.start()  # any key or mouse use at the counter restarts the idle time
        return False

    def _set(self, account: Account | None) -> None:
        self.account = account
        self.records.actor = account
        central = self.window.centralWidget()
        if central is not None:
            # Locked: the last patient's details are not left on screen.
            central.setVisible(account is not None)
        if account is None:
            # Other windows (counselling history, training) close too: the next person opens
            # what they need, and sees only their own scope.
            for other in QApplication.topLevelWidgets():
                if other is not self.window and other.isWindow() and other.isVisible() \
                        and not isinstance(other, SignInDialog):
                    other.hide()
        self.label.setText("Signed out" if account is None else
                           f"Signed in: {account.name} ({account.role})")
        self.switch_button.setEnabled(account is not None)
        self.lock_button.setEnabled(account is not None)
        if account is None:
            self.idle.stop()
        else:
            self.idle.start()
        self.changed.emit(account)

    def lock(self, event: str = "locked", *, prompt: str = "") -> None:
        """End the current person's turn (logged) and ask for a sign-in."""
        previous = self.account
        if previous is not None:
            self.accounts.sign_out(previous, event=event)
        self._set(None)
        text = prompt or {"locked": "The counter was locked. Sign in to go on.",
                          "switched": "Switch user: the next person signs in."}.get(event, "")
        self.ask(text or "Sign in to record counselling.",
                 user=previous.username if previous is not None and event == "locked" else "")

    def switch_user(self) -> None:
        self.lock("switched")

    def ask(self, prompt: str, *, user: str = "") -> SignInDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = SignInDialog(self.accounts, self.window, prompt=prompt, user=user)
        self.accounts.sleeper = qt_sleeper(dialog)
        dialog.signed_in.connect(self._set)
        self.dialog = dialog
        dialog.open()  # window-modal, not a nested event loop
        return dialog


def attach(window: QMainWindow, records: RecordsService, *,
           accounts: AccountsService | None = None, idle_ms: int | None = None,
           counter: str = "") -> CounterGuard | None:
    """The one hook: call after the records service opens. None when no accounts exist."""
    try:
        if not records.repo.accounts():
            return None
    except CounselError as exc:
        log.warning("accounts could not be read: %s", type(exc).__name__)
        return None
    from datetime import UTC, datetime

    service = accounts or AccountsService(records.repo, clock=lambda: datetime.now(UTC),
                                          counter=counter or os.uname().nodename)
    guard = CounterGuard(window, records, service, idle_ms=idle_ms)
    guard.lock("start", prompt="Sign in to record counselling.")
    return guard


__all__ = ["CounterGuard", "SignInDialog", "attach", "lock_minutes"]
