"""Issue 15's smaller records findings: database URLs, render --record order, accented names,
formula injection, full-disk / read-only advice, date extremes and the health check."""

from __future__ import annotations

import csv
import errno
import io
import json
import sqlite3
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from counsel import paths
from counsel.cli import run
from counsel.records.errors import DatabaseUnusableError, RecordsError
from counsel.records.models import RecordQuery
from counsel.records.privacy import name_parts, redact_text
from counsel.services.casework import counsel_file
from counsel.services.records import RecordSettings, RecordsService, records_health
from tests.conftest import TODAY, load_example
from tests.records.conftest import FakeClock, counsel_and_finish

# Port 1 on loopback: nothing listens there, so the server is refused at once.
URL = "postgresql://counsel:s3cret@127.0.0.1:1/counsel"


def _codes(case: Path) -> str:
    """Every warning of the case, acknowledged (the pharmacist has dealt with them)."""
    return ",".join(w.code for w in counsel_file(case, today=TODAY).warnings) or "NONE"


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# -- a database URL is not a file --------------------------------------------------------------

def test_an_unreachable_server_url_in_counsel_db_is_one_line(tmp_path, monkeypatch, capsys):
    """COUNSEL_DB=postgresql://… selects the server (issue 14); one that is down is one line."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COUNSEL_DB", URL)
    assert run(["records", "list"], today=TODAY) == 2
    err = _one_line(capsys.readouterr().err)
    assert "records server unreachable" in err and "127.0.0.1:1" in err
    assert "s3cret" not in err and "***" in err  # a URL can carry a password: never echoed
    assert run(["records", "list", "--db", "mysql://x@y/z"], today=TODAY) == 2
    assert "'mysql:' URLs are not supported" in _one_line(capsys.readouterr().err)
    monkeypatch.setenv("COUNSEL_TRAINING_DB", URL)
    assert run(["train", "progress"], today=TODAY) == 2
    err = _one_line(capsys.readouterr().err)
    assert "training server" in err and "s3cret" not in err
    assert list(tmp_path.iterdir()) == []  # no relative "postgresql:" file or folder was made
    with pytest.raises(RecordsError, match="records server unreachable"):
        RecordsService.open(clock=FakeClock())


def test_ordinary_paths_still_work(tmp_path, monkeypatch, capsys):
    """Absence: paths with colons elsewhere, relative paths and a plain path open normally."""
    monkeypatch.chdir(tmp_path)
    for value in ("records.sqlite3", str(tmp_path / "a:b.sqlite3"), "./c://d.sqlite3"[:13]):
        monkeypatch.setenv("COUNSEL_DB", value)
        assert run(["records", "list"], today=TODAY) == 0, capsys.readouterr().err
    assert (tmp_path / "records.sqlite3").exists() and (tmp_path / "a:b.sqlite3").exists()


# -- render --record checks it can record before writing the PDF --------------------------------

@pytest.mark.parametrize("problem", ["damaged", "url", "no-reference"])
def test_render_record_checks_the_database_before_writing_the_pdf(tmp_path, monkeypatch, capsys,
                                                                 problem):
    case = tmp_path / "case.json"
    data = load_example("older-adult-kidney.json")  # no dose calendar to confirm
    db = tmp_path / "records.sqlite3"
    if problem == "damaged":
        db.write_bytes(b"not a database " * 100)
    if problem == "url":
        monkeypatch.setenv("COUNSEL_DB", URL)
    args = [] if problem == "url" else ["--db", str(db)]
    if problem == "no-reference":
        data["patient"] = {k: v for k, v in data["patient"].items()
                           if k not in ("name", "reference")}
    case.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "leaflet.pdf"
    code = run(["render", str(case), "-o", str(out), "--record", "--acknowledge",
                _codes(case), *args], today=TODAY)
    err = _one_line(capsys.readouterr().err)
    assert code == 2, err
    assert not out.exists()  # nothing handed over that could not be recorded
    expected = {"damaged": "not a database", "url": "records server unreachable",
                "no-reference": "patient reference"}[problem]
    assert expected in err


# -- redaction catches accented and decomposed spellings ----------------------------------------

@pytest.mark.parametrize("typed", [
    "José Núñez rang", "JOSÉ NÚÑEZ rang", unicodedata.normalize("NFD", "José Núñez rang"),
    "jose nunez rang", "Ｊｏｓｅ Ｎｕｎｅｚ rang", "Mr. Nunez rang"])
def test_redaction_catches_accents_case_and_normal_forms(typed):
    parts = name_parts({"patient": {"name": unicodedata.normalize("NFC", "José Núñez")}})
    redacted = redact_text(typed, parts)
    assert "[name]" in redacted and redacted.endswith(" rang")
    folded = unicodedata.normalize("NFKD", redacted).casefold()
    assert "jos" not in folded and "nu" not in folded


def test_redaction_leaves_other_words_alone():
    parts = name_parts({"patient": {"name": "José Núñez"}})
    for text in ("Josefina came", "nunezco", "Joseph Nunezian", "the dose"):
        assert redact_text(text, parts) == text
    assert redact_text("Strauss said", name_parts({"patient": {"name": "Strauß"}})) == \
        "[name] said"


def test_decomposed_name_never_reaches_the_database(db_path, clock, renderer, kidney_case):
    kidney_case["patient"]["name"] = "Zoë Ångström"
    service = RecordsService.open(db_path, clock=clock, renderer=renderer)
    try:
        sid = service.start_session(kidney_case, pharmacist="SB")
        service.save_notes(sid, unicodedata.normalize("NFD", "zoë ÅNGSTRÖM asked about driving"))
        assert service.resume(sid).notes == "[name] asked about driving"  # the whole name
    finally:
        service.close()
    raw = db_path.read_bytes() + (Path(f"{db_path}-wal").read_bytes()
                                  if Path(f"{db_path}-wal").exists() else b"")
    for spelling in ("Zoë", "Ångström", "ngstr"):
        for form in ("NFC", "NFD"):
            assert unicodedata.normalize(form, spelling).encode() not in raw


# -- spreadsheet formula injection ------------------------------------------------------------

def test_training_csv_neutralises_formulas(tmp_path, capsys, monkeypatch):
    from datetime import UTC, datetime

    from counsel.services.training import TrainingService
    from counsel.training.scoring import full_marks

    service = TrainingService(db_path=tmp_path / "t.sqlite3")
    try:
        s = service.scenarios()[0]
        for name in ("=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+1", "-2+3", "Asha"):
            service.save(name, service.score(s.id, full_marks(s)),
                         finished_at=datetime(2026, 11, 23, tzinfo=UTC), duration_s=60)
        out = tmp_path / "signoff.csv"
        service.export_csv(out)
    finally:
        service.close()
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    trainees = [r[0] for r in rows[3:8]]
    assert sorted(trainees) == sorted(["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(A1)", "'+1",
                                       "'-2+3", "Asha"])
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "@", "\t", "\r") and not cell.startswith("-2")


def test_records_csv_neutralises_formulas(service, kidney_case):
    kidney_case["patient"]["reference"] = "+GW1948"
    _, rid = counsel_and_finish(service, kidney_case)
    service.correct(rid, by="SB", why="@note", changes={"notes": "-1+2"})
    rows = list(csv.DictReader(io.StringIO(service.export("csv", by="SB"))))
    assert {r["patient_ref"] for r in rows} == {"'+GW1948"}
    assert rows[1]["notes"] == "'-1+2" and rows[1]["correction_reason"] == "'@note"
    assert rows[0]["pharmacist"] == "SB"  # ordinary text is left alone


# -- full disk and read-only: advice, not "restore a backup" -----------------------------------

def test_a_full_disk_while_saving_says_free_space(db_path, service, kidney_case):
    del db_path  # SQLite's own page limit: this one runs on the SQLite engine only
    conn = service.repo._conn  # type: ignore[attr-defined]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL, for real

    def fill_up() -> None:
        for _ in range(500):
            service.start_session(kidney_case, pharmacist="SB")

    with pytest.raises(RecordsError) as err:
        fill_up()
    message = str(err.value)
    assert not isinstance(err.value, DatabaseUnusableError)  # the GUI keeps trying, not giving up
    assert "disk is full" in message and "free some space" in message
    assert "restore a backup" not in message and "\n" not in message


def test_a_read_only_database_says_so(db_path, service, kidney_case):
    counsel_and_finish(service, kidney_case)
    service.repo._conn.close()  # type: ignore[attr-defined]
    service.repo._conn = sqlite3.connect(  # type: ignore[attr-defined]
        f"file:{db_path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    assert len(service.find()) == 1  # reading still works
    with pytest.raises(RecordsError) as err:
        service.start_session(kidney_case, pharmacist="SB")
    message = str(err.value)
    assert "read-only" in message and "COUNSEL_DB" in message
    assert "restore a backup" not in message
    with pytest.raises(RecordsError, match="read-only"):
        service.repo.check_writable()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("code", "advice"), [(errno.ENOSPC, "the disk is full"),
                                              (errno.EROFS, "the drive is read-only"),
                                              (errno.EACCES, "permission denied")])
def test_export_write_failures_give_advice(service, db_path, tmp_path, capsys, monkeypatch,
                                           kidney_case, code, advice):
    counsel_and_finish(service, kidney_case)

    def fail(*args: object) -> None:
        raise OSError(code, "boom")

    monkeypatch.setattr("counsel.atomic_write.os.replace", fail)
    out = tmp_path / "export.json"
    assert run(["records", "export", "--format", "json", "-o", str(out), "--db", str(db_path)],
               today=TODAY) == 2
    assert advice in _one_line(capsys.readouterr().err)
    assert not out.exists() and not list(tmp_path.glob(".export*"))


@pytest.mark.pdf
@pytest.mark.parametrize(("code", "advice"), [(errno.ENOSPC, "the disk is full"),
                                              (errno.EROFS, "the drive is read-only")])
def test_render_write_failures_give_advice(tmp_path, capsys, monkeypatch, code, advice):
    def fail(*args: object) -> None:
        raise OSError(code, "boom")

    monkeypatch.setattr("counsel.atomic_write.os.replace", fail)
    case = paths.EXAMPLES_DIR / "older-adult-kidney.json"
    out = tmp_path / "leaflet.pdf"
    assert run(["render", str(case), "-o", str(out), "--acknowledge", _codes(case)],
               today=TODAY) == 2
    err = _one_line(capsys.readouterr().err)
    assert advice in err and "leaflet.pdf" in err
    assert list(tmp_path.iterdir()) == []


def test_training_full_disk_is_one_line(tmp_path):
    from datetime import UTC, datetime

    from counsel.services.training import TrainingService
    from counsel.training.scoring import full_marks
    from counsel.training.storage import TrainingStoreError

    service = TrainingService(db_path=tmp_path / "t.sqlite3")
    try:
        s = service.scenarios()[0]
        conn = service._db()
        conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")

        def fill_up() -> None:
            for i in range(50):
                service.save(str(i) * 3000, service.score(s.id, full_marks(s)),
                             finished_at=datetime(2026, 11, 23, tzinfo=UTC), duration_s=1)

        with pytest.raises(TrainingStoreError, match="disk is full"):
            fill_up()
    finally:
        service.close()


# -- date and number extremes -------------------------------------------------------------------

def test_date_and_id_extremes_are_one_line(service, db_path, kidney_case, capsys):
    counsel_and_finish(service, kidney_case)
    assert len(service.find(RecordQuery(date_to=date.max))) == 1  # no day after 9999-12-31
    assert service.find(RecordQuery(date_from=date.max)) == []
    assert len(service.find(RecordQuery(date_from=date.min, date_to=date.max))) == 1
    for argv in (["records", "list", "--to", "9999-12-31"],
                 ["records", "list", "--from", "0001-01-01", "--to", "9999-12-31"],
                 ["records", "export", "--format", "csv", "--to", "9999-12-31"],
                 ["records", "show", "99999999999999999999"]):
        try:
            code = run([*argv, "--db", str(db_path)], today=TODAY)
        except SystemExit as stop:  # argparse's own range check (one line too)
            code = int(stop.code or 0)
        captured = capsys.readouterr()
        if code != 0:
            assert code == 2
            _one_line(captured.err)


# -- the health check ---------------------------------------------------------------------------

def test_health_reports_an_unusable_database(tmp_path, clock, renderer, kidney_case, monkeypatch):
    missing = tmp_path / "new" / "records.sqlite3"
    health = records_health(missing)
    assert health.ok and "not created yet" in health.detail
    assert not missing.exists() and not missing.parent.exists()  # the check creates nothing
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database " * 100)
    health = records_health(damaged)
    assert not health.ok and "\n" not in health.problem and "not a database" in health.problem
    good = tmp_path / "good.sqlite3"
    service = RecordsService.open(good, clock=clock, renderer=renderer,
                                  settings=RecordSettings())
    try:
        counsel_and_finish(service, kidney_case)
    finally:
        service.close()
    health = records_health(good)
    assert health.ok and health.detail.startswith("OK: 1 record rows")
    conn = sqlite3.connect(good, isolation_level=None)
    conn.execute("DROP TRIGGER records_no_update")
    conn.execute("UPDATE records SET patient_ref = 'ZZ'")
    conn.close()
    health = records_health(good)
    assert not health.ok and "records id 1" in health.problem
    monkeypatch.setenv("COUNSEL_DB", URL)
    health = records_health()
    assert not health.ok and "records server unreachable" in health.problem
    assert "s3cret" not in health.problem and "s3cret" not in health.location


def test_render_record_absence_case_still_records(tmp_path):
    """Absence for the pre-check: a usable database lets render --record write and record."""
    db = tmp_path / "records.sqlite3"
    out = tmp_path / "leaflet.pdf"
    case = paths.EXAMPLES_DIR / "older-adult-kidney.json"
    code = run(["render", str(case), "-o", str(out), "--record", "--db", str(db),
                "--acknowledge", _codes(case)], today=TODAY)
    assert code == 0 and out.exists()
    service = RecordsService.open(db, clock=FakeClock())
    try:
        assert len(service.find()) == 1 and service.verify().ok
    finally:
        service.close()
