"""`counsel users …` and signing in on the records commands (SQLite file; real CLI entry)."""

from __future__ import annotations

import io
import sqlite3

import pytest

from counsel.cli import run
from tests.conftest import TODAY, load_example
from tests.records.conftest import FakeClock, FakeRenderer, counsel_and_finish


def _run(monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return run(args, today=TODAY)


def test_first_admin_from_the_cli_then_only_an_admin_adds_people(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "records.sqlite3")
    base = ["users", "add", "--db", db, "--secret-stdin"]
    # The first account must be an admin.
    assert _run(monkeypatch, [*base, "pnorth", "--name", "P North", "--role", "pharmacist",
                              "--registration", "2034567"], "482916\n") == 2
    assert "first account must be an admin" in capsys.readouterr().err
    assert _run(monkeypatch, [*base, "admin", "--name", "Ada Admin", "--role", "admin"],
                "correct horse\n") == 0
    assert "added Ada Admin (admin, admin)" in capsys.readouterr().out
    # Later accounts need the admin (signed in with their password).
    assert _run(monkeypatch, [*base, "pnorth", "--name", "P North", "--role", "pharmacist",
                              "--registration", "2034567"], "482916\n") == 2
    assert "--as" in capsys.readouterr().err
    assert _run(monkeypatch, [*base, "pnorth", "--name", "P North", "--role", "pharmacist",
                              "--registration", "2034567", "--branch", "north", "--as", "admin"],
                "482916\nwrong password\n") == 2
    assert "not recognised" in capsys.readouterr().err
    assert _run(monkeypatch, [*base, "pnorth", "--name", "P North", "--role", "pharmacist",
                              "--registration", "2034567", "--branch", "north", "--as", "admin"],
                "482916\ncorrect horse\n") == 0
    assert _run(monkeypatch, ["users", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "pnorth" in out and "2034567" in out and "north" in out
    with sqlite3.connect(db) as conn:
        hashes = [r[0] for r in conn.execute("SELECT secret_hash FROM accounts")]
        assert all(h.startswith("$argon2id$") for h in hashes)
        assert not any("482916" in h or "correct horse" in h for h in hashes)
        # The access log is append-only in the file itself.
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM access_log")
        with pytest.raises(sqlite3.IntegrityError, match="deactivate"):
            conn.execute("DELETE FROM accounts")
    assert _run(monkeypatch, ["users", "log", "--db", db, "admin"]) == 0
    assert "sign_in_failed" in capsys.readouterr().out


def test_records_commands_need_a_signed_in_person_once_accounts_exist(tmp_path, monkeypatch,
                                                                      capsys):
    from counsel.services.records import RecordsService

    db = tmp_path / "records.sqlite3"
    service = RecordsService.open(db, clock=FakeClock(), renderer=FakeRenderer())
    counsel_and_finish(service, load_example("older-adult-kidney.json"))  # before accounts
    service.close()
    # Absence: without accounts the commands work as before.
    assert _run(monkeypatch, ["records", "list", "--db", str(db)]) == 0
    assert "GW1948" in capsys.readouterr().out
    assert _run(monkeypatch, ["users", "add", "--db", str(db), "--secret-stdin", "admin",
                              "--name", "Ada Admin", "--role", "admin"], "correct horse\n") == 0
    capsys.readouterr()
    assert _run(monkeypatch, ["records", "list", "--db", str(db)]) == 2
    assert "sign in first" in capsys.readouterr().err
    assert _run(monkeypatch, ["records", "list", "--db", str(db), "--user", "admin",
                              "--secret-stdin"], "correct horse\n") == 0
    assert "GW1948" in capsys.readouterr().out
    # verify needs no sign-in: it shows no patient data.
    assert _run(monkeypatch, ["records", "verify", "--db", str(db)]) == 0
    assert _run(monkeypatch, ["records", "export", "--format", "csv", "--db", str(db), "--user",
                              "admin", "--secret-stdin", "--by", "XX"], "correct horse\n") == 0
    service = RecordsService.open(db, clock=FakeClock())
    try:
        assert service.repo.audit()[-1].actor == "admin"  # not the typed --by
    finally:
        service.close()


def test_an_admin_resets_a_pin_and_deactivates_an_account(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "records.sqlite3")
    add = ["users", "add", "--db", db, "--secret-stdin"]
    assert _run(monkeypatch, [*add, "admin", "--name", "Ada Admin", "--role", "admin"],
                "correct horse\n") == 0
    assert _run(monkeypatch, [*add, "pnorth", "--name", "P North", "--role", "pharmacist",
                              "--registration", "2034567", "--as", "admin"],
                "482916\ncorrect horse\n") == 0
    reset = ["users", "reset", "pnorth", "--db", db, "--as", "admin", "--secret-stdin"]
    assert _run(monkeypatch, reset, "123\ncorrect horse\n") == 2  # too short: nothing changes
    assert "PIN" in capsys.readouterr().err
    assert _run(monkeypatch, reset, "665544\ncorrect horse\n") == 0
    sign_in = ["records", "list", "--db", db, "--user", "pnorth", "--secret-stdin"]
    assert _run(monkeypatch, sign_in, "482916\n") == 2  # the old PIN no longer works
    assert _run(monkeypatch, sign_in, "665544\n") == 0
    # Only an admin may deactivate; then the account cannot sign in, but is kept.
    assert _run(monkeypatch, ["users", "deactivate", "admin", "--db", db, "--as", "pnorth",
                              "--secret-stdin"], "665544\n") == 2
    assert "not an admin" in capsys.readouterr().err
    assert _run(monkeypatch, ["users", "deactivate", "pnorth", "--db", db, "--as", "admin",
                              "--secret-stdin"], "correct horse\n") == 0
    assert _run(monkeypatch, sign_in, "665544\n") == 2
    capsys.readouterr()
    assert _run(monkeypatch, ["users", "list", "--db", db]) == 0
    assert "(deactivated)" in capsys.readouterr().out
