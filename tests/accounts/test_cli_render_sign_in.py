"""`render --record` once the database has accounts: --user signs in (PIN from stdin or a prompt,
never an argument) before any PDF is written, and the record is kept under that person.

Real CLI entry, real leaflet PDF, on an SQLite file and on the throwaway PostgreSQL server."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from counsel import paths
from counsel.cli import run
from counsel.services.accounts import AccountsService
from counsel.services.records import RecordsService
from tests.accounts.conftest import FAST_HASHER
from tests.conftest import TODAY
from tests.records.conftest import FakeClock

DRIVER = str(paths.EXAMPLES_DIR / "driver-who-drinks.json")  # one warning; "pharmacist": "JK"
PIN = "482916"


def _render(monkeypatch: pytest.MonkeyPatch, db: Any, out: Path, *extra: str,
            stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return run(["render", DRIVER, "-o", str(out), "--record", "--calendar-checked",
                "--acknowledge", "INTERACTION_NSAID=contacted", "--db", str(db), *extra],
               today=TODAY)


def _with_accounts(db: Any) -> None:
    service = RecordsService.open(db, clock=FakeClock())
    try:
        accounts = AccountsService(service.repo, clock=service.clock, hasher=FAST_HASHER)
        accounts.add_user("admin", name="Ada Admin", role="admin", secret="correct horse",
                          by="first-run")
        accounts.add_user("pnorth", name="Priya North", role="pharmacist", secret=PIN,
                          registration="2034567", branch="north", by="admin")
        accounts.add_user("trainee", name="Tom Trainee", role="trainee", secret="905512",
                          branch="north", by="admin")
    finally:
        service.close()


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "wrote" not in captured.out
    return lines[0]


def _admin(db: Any) -> RecordsService:
    service = RecordsService.open(db, clock=FakeClock())
    service.actor = AccountsService(service.repo, clock=service.clock,
                                    hasher=FAST_HASHER).sign_in("admin", "correct horse")
    return service


def test_render_record_without_accounts_needs_no_user(tmp_path: Path, monkeypatch, capsys):
    """Absence: a single PC without accounts records under the case's initials, as before."""
    db, out = tmp_path / "records.sqlite3", tmp_path / "leaflet.pdf"
    assert _render(monkeypatch, db, out) == 0, capsys.readouterr().err
    service = RecordsService.open(db, clock=FakeClock())
    try:
        [row] = service.find()
        assert row.pharmacist == "JK"
    finally:
        service.close()


@pytest.mark.pdf
def test_render_record_signs_in_before_the_pdf(db_target: Any, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _with_accounts(db_target)
    out = tmp_path / "leaflet.pdf"
    # No one signed in: one line, exit 2, no PDF, no record.
    assert _render(monkeypatch, db_target, out) == 2
    assert "sign in first (--user NAME)" in _one_error(capsys)
    assert not out.exists()
    # A wrong PIN: one line, no PDF, and the failure is in the access log.
    assert _render(monkeypatch, db_target, out, "--user", "pnorth", "--secret-stdin",
                   stdin="000000\n") == 2
    assert "not recognised" in _one_error(capsys)
    assert not out.exists()
    # A trainee makes no real records: refused before the PDF too.
    assert _render(monkeypatch, db_target, out, "--user", "trainee", "--secret-stdin",
                   stdin="905512\n") == 2
    assert "trainee" in _one_error(capsys)
    assert not out.exists()
    # --user means nothing without --record: said, not ignored.
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert run(["render", DRIVER, "-o", str(out), "--calendar-checked", "--acknowledge",
                "INTERACTION_NSAID", "--user", "pnorth", "--secret-stdin"], today=TODAY) == 2
    assert "--user: only used with --record" in _one_error(capsys)
    assert not out.exists()
    service = _admin(db_target)
    try:
        assert service.find() == []
        log = [(e.event, e.counter) for e in AccountsService(
            service.repo, clock=service.clock).access_log("pnorth")]
        assert ("sign_in_failed", "command line") in log
        assert ("signed_in", "command line") not in log
    finally:
        service.close()

    # The right PIN: the leaflet, and a record kept under pnorth (not the case's "JK").
    assert _render(monkeypatch, db_target, out, "--user", "pnorth", "--secret-stdin",
                   stdin=PIN + "\n") == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"%PDF")
    assert "recorded as record" in capsys.readouterr().out
    service = _admin(db_target)
    try:
        [row] = service.find()
        record = service.get(row.id)
        assert record.pharmacist == "pnorth"
        assert {w.code: w.how for w in record.warnings if w.acknowledged} == {
            "INTERACTION_NSAID": "Prescriber contacted"}
        actors = {(a.action, a.actor) for a in service.repo.audit() if a.record_id == row.id}
        assert ("printed", "pnorth") in actors
        assert not any(actor == "JK" for _, actor in actors)
        events = [e.event for e in AccountsService(service.repo, clock=service.clock)
                  .access_log("pnorth")]
        assert events[-1] == "signed_in"
    finally:
        service.close()
