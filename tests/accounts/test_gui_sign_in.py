"""Issue 14 at the counter (pytest-qt): sign in, wrong PIN, switch user, lock after idle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow

from counsel.gui.sign_in import CounterGuard, attach, lock_minutes
from counsel.services.accounts import AccountsService
from counsel.services.records import RecordsService
from tests.accounts.conftest import FAST_HASHER
from tests.records.conftest import FakeClock, FakeRenderer

pytestmark = pytest.mark.gui
PIN = "482916"


@pytest.fixture
def records(tmp_path: Path) -> Iterator[RecordsService]:
    svc = RecordsService.open(tmp_path / "records.sqlite3", clock=FakeClock(),
                              renderer=FakeRenderer())
    yield svc
    svc.close()


@pytest.fixture
def window(qtbot) -> QMainWindow:  # type: ignore[no-untyped-def]
    win = QMainWindow()
    win.setCentralWidget(QLabel("GW1948 — baclofen 10 mg"))  # stands in for a patient's details
    qtbot.addWidget(win)
    win.show()
    return win


def _accounts(records: RecordsService) -> AccountsService:
    accounts = AccountsService(records.repo, clock=records.clock, hasher=FAST_HASHER,
                               counter="counter 1")
    accounts.add_user("pnorth", name="Priya North", role="pharmacist", secret=PIN,
                      registration="2034567", branch="north", by="first-run")
    accounts.add_user("psouth", name="Sam South", role="pharmacist", secret="730215",
                      registration="2045678", branch="south", by="first-run")
    return accounts


def _sign_in(qtbot, guard: CounterGuard, user: str, secret: str) -> None:  # type: ignore[no-untyped-def]
    dialog = guard.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.user.setText(user)
    dialog.secret.setText(secret)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_no_accounts_no_sign_in(window, records):
    """Absence: a single PC without accounts works exactly as before."""
    assert attach(window, records) is None
    assert window.centralWidget().isVisible() and records.actor is None


def test_sign_in_hides_the_patient_until_the_right_pin(qtbot, window, records):
    accounts = _accounts(records)
    guard = attach(window, records, accounts=accounts, idle_ms=60_000)
    assert guard is not None and guard.locked
    assert not window.centralWidget().isVisible()
    _sign_in(qtbot, guard, "pnorth", "000000")
    assert guard.locked and "not recognised" in guard.dialog.message.text()
    assert guard.dialog.secret.text() == ""  # the wrong PIN is not left in the field
    _sign_in(qtbot, guard, "pnorth", PIN)
    assert not guard.locked and records.actor is not None and records.actor.username == "pnorth"
    assert window.centralWidget().isVisible()
    assert guard.label.text() == "Signed in: Priya North (pharmacist)"
    events = [e.event for e in accounts.access_log("pnorth")]
    assert events[-2:] == ["sign_in_failed", "signed_in"]


def test_switch_user_changes_who_is_recorded(qtbot, window, records):
    accounts = _accounts(records)
    guard = attach(window, records, accounts=accounts, idle_ms=60_000)
    assert guard is not None
    _sign_in(qtbot, guard, "pnorth", PIN)
    history = QMainWindow()  # stands in for the counselling history window
    qtbot.addWidget(history)
    history.show()
    qtbot.mouseClick(guard.switch_button, Qt.MouseButton.LeftButton)
    assert guard.locked and records.actor is None and not window.centralWidget().isVisible()
    assert not history.isVisible()  # no other window is left open on the last person's records
    _sign_in(qtbot, guard, "psouth", "730215")
    assert records.actor is not None and records.actor.username == "psouth"
    assert [e.event for e in accounts.access_log("pnorth")][-1] == "switched"


def test_the_counter_locks_after_idle_and_activity_keeps_it_open(qtbot, window, records):
    accounts = _accounts(records)
    guard = attach(window, records, accounts=accounts, idle_ms=600)
    assert guard is not None
    _sign_in(qtbot, guard, "pnorth", PIN)
    # Absence: someone typing at the counter is never locked out.
    for _ in range(6):
        qtbot.wait(200)
        qtbot.keyClick(window, Qt.Key.Key_Shift)
    assert not guard.locked
    qtbot.waitUntil(lambda: guard.locked, timeout=3000)
    assert records.actor is None and not window.centralWidget().isVisible()
    assert [e.event for e in accounts.access_log("pnorth")][-1] == "locked"
    assert guard.dialog is not None and guard.dialog.user.text() == "pnorth"  # back in with the PIN
    _sign_in(qtbot, guard, "pnorth", PIN)
    assert not guard.locked


def test_esc_does_not_unlock(qtbot, window, records):
    guard = attach(window, records, accounts=_accounts(records), idle_ms=60_000)
    assert guard is not None and guard.dialog is not None
    qtbot.keyClick(guard.dialog, Qt.Key.Key_Escape)
    assert guard.dialog.isVisible() and guard.locked
    assert not window.centralWidget().isVisible()


def test_repeated_wrong_pins_slow_the_dialog_down(qtbot, window, records):
    guard = attach(window, records, accounts=_accounts(records), idle_ms=60_000)
    assert guard is not None
    for _ in range(5):
        _sign_in(qtbot, guard, "pnorth", "111111")
    seen: list[bool] = []
    # During the wait the button is off and the dialog says why (the window still paints).
    QTimer.singleShot(300, lambda: seen.append(guard.dialog.sign_in_button.isEnabled()))
    QTimer.singleShot(300, lambda: seen.append("wait 1 s" in guard.dialog.message.text()))
    _sign_in(qtbot, guard, "pnorth", PIN)
    assert seen == [False, True]
    assert not guard.locked


def test_lock_minutes_setting():
    assert lock_minutes({}) == 5
    assert lock_minutes({"COUNSEL_LOCK_MINUTES": "2"}) == 2
    assert lock_minutes({"COUNSEL_LOCK_MINUTES": "soon"}) == 5  # a bad value: the safe default
    assert lock_minutes({"COUNSEL_LOCK_MINUTES": "0"}) == 5


def test_the_main_window_asks_for_sign_in_before_offering_resume(qtbot, tmp_path, monkeypatch):
    """The hook in the real window: contents hidden, then only the person's own sessions offered."""
    from counsel.gui.main_window import MainWindow
    from counsel.gui.records import ResumeDialog
    from tests.conftest import TODAY, load_example
    from tests.gui.conftest import SETTINGS

    db = tmp_path / "records.sqlite3"
    monkeypatch.setenv("COUNSEL_DB", str(db))
    seed = RecordsService.open(db, clock=FakeClock(), renderer=FakeRenderer())
    try:
        accounts = _accounts(seed)
        seed.actor = accounts.sign_in("pnorth", PIN)
        mine = seed.start_session(load_example("older-adult-kidney.json"), pharmacist="")
        seed.actor = accounts.sign_in("psouth", "730215")
        seed.start_session(load_example("older-adult-kidney.json"), pharmacist="")
    finally:
        seed.close()
    offered: list[list[str]] = []

    def ask(cls: type, parent: object, sessions: list) -> None:  # type: ignore[type-arg]
        offered.append([s.id for s in sessions])

    monkeypatch.setattr(ResumeDialog, "ask", classmethod(ask))
    win = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    qtbot.addWidget(win)
    win.show()
    win.records.clock = FakeClock()
    win.start_records()
    guard = win.records.guard
    assert guard is not None and guard.locked and not win.centralWidget().isVisible()
    assert offered == []  # nothing about any patient before someone signs in
    _sign_in(qtbot, guard, "pnorth", PIN)
    assert win.centralWidget().isVisible() and offered == [[mine]]
    assert win.records.pharmacist() == "pnorth"  # not the initials in Settings ("TP")
    qtbot.mouseClick(guard.switch_button, Qt.MouseButton.LeftButton)
    _sign_in(qtbot, guard, "psouth", "730215")
    assert len(offered) == 1  # the resume offer is made once, at the start
