"""Resume in the real window after switch user: an acknowledgement given by the second person
(its "how" ends in " (by NAME)") keeps its outcome on screen and in the model, and carrying on
does not write it again (it still names who gave it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from counsel.gui.main_window import MainWindow
from counsel.gui.records import ResumeDialog
from counsel.services.accounts import AccountsService
from counsel.services.records import RecordsService
from counsel.services.release import outcome_label
from tests.accounts.conftest import FAST_HASHER
from tests.conftest import TODAY, load_example
from tests.gui.conftest import SETTINGS
from tests.records.conftest import FakeClock, FakeRenderer

pytestmark = pytest.mark.gui
PIN = "482916"
SOUTH_PIN = "730215"


def test_a_resumed_session_keeps_the_outcome_given_after_switch_user(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "records.sqlite3"
    monkeypatch.setenv("COUNSEL_DB", str(db))
    seed = RecordsService.open(db, clock=FakeClock(), renderer=FakeRenderer())
    try:
        accounts = AccountsService(seed.repo, clock=seed.clock, hasher=FAST_HASHER,
                                   counter="counter 1")
        accounts.add_user("pnorth", name="Priya North", role="pharmacist", secret=PIN,
                          registration="2034567", branch="north", by="first-run")
        accounts.add_user("psouth", name="Sam South", role="pharmacist", secret=SOUTH_PIN,
                          registration="2045678", branch="north", by="first-run")
        case = load_example("older-adult-kidney.json")
        seed.actor = accounts.sign_in("pnorth", PIN)
        sid = seed.start_session(case, pharmacist="")
        first, second = (w.code for w in seed.counselling_for(case, today=TODAY).warnings[:2])
        seed.acknowledge(sid, first, outcome_label("contacted"))
        seed.actor = accounts.sign_in("psouth", SOUTH_PIN)  # switch user, then the window dies
        seed.acknowledge(sid, second, outcome_label("will_contact"))
        stored = {c: a.how for c, a in seed.resume(sid).acknowledgements.items()}
        assert stored[second] == "Will contact the prescriber (by psouth)"
    finally:
        seed.close()

    def ask(cls: type, parent: object, sessions: list) -> tuple[str, str]:  # type: ignore[type-arg]
        return ("resume", sessions[0].id)

    monkeypatch.setattr(ResumeDialog, "ask", classmethod(ask))
    win = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    qtbot.addWidget(win)
    win.show()
    win.records.clock = FakeClock()
    win.start_records()
    guard = win.records.guard
    assert guard is not None and guard.dialog is not None
    guard.dialog.user.setText("pnorth")  # the session's own pharmacist comes back to the counter
    guard.dialog.secret.setText(PIN)
    qtbot.mouseClick(guard.dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert win.records.session_id == sid
    session = win.model.session
    assert session.acknowledged == {first, second}
    # Both outcomes are restored: the one given after switch user too.
    assert session.ack_outcomes == {first: "contacted", second: "will_contact"}
    assert win.checklist.outcome_boxes[second].currentData() == "will_contact"
    # Carrying on writes nothing over it: psouth's acknowledgement still names psouth.
    win.records.flush()
    win.records.writer.drain(10_000)
    reader = RecordsService.open(db, clock=FakeClock())
    try:
        assert {c: a.how for c, a in reader.resume(sid).acknowledgements.items()} == stored
    finally:
        reader.close()
        win.records.close()
