"""Training storage: a real SQLite file of its own, migrations, progress and the sign-off CSV."""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC, datetime

import pytest

from counsel.services.training import DB_ENV, TrainingService, default_db_path
from counsel.training.scoring import Answers, full_marks
from counsel.training.storage import MIGRATIONS, TrainingStoreError, connect, write_atomic

WHEN = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
# Every critical point of driver-who-drinks except the regular-drinking one.
WEAK = {"driving_driver", "titration_plan", "alcohol", "your_doses", "never_stop_suddenly",
        "withdrawal_signs", "side_effects_urgent", "missed_dose_us"}


def test_new_database_is_migrated_with_wal_and_foreign_keys(tmp_path):
    conn = connect(tmp_path / "sub" / "t.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.close()
    # Re-opening an up-to-date file changes nothing.
    again = connect(tmp_path / "sub" / "t.sqlite3")
    assert again.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    again.close()


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "t.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    with pytest.raises(TrainingStoreError, match="newer Counsel"):
        connect(path)


def test_not_a_database_is_one_line(tmp_path):
    path = tmp_path / "t.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(TrainingStoreError, match="cannot open the training database"):
        connect(path)


def test_items_need_an_attempt(tmp_path):
    conn = connect(tmp_path / "t.sqlite3")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO attempt_items VALUES (42, 'point', 'x', 'x', 'dosing', 1, 0, 0)")


def test_attempts_progress_and_most_missed(service):
    s = service.scenario("driver-who-drinks")
    full = full_marks(s)
    service.save("Asha", service.score(s.id, full), finished_at=WHEN, duration_s=300)
    weak = Answers(frozenset(), frozenset(WEAK), self_rating=85)
    service.save("Asha", service.score(s.id, weak), finished_at=WHEN.replace(hour=10), duration_s=200)
    service.save("Ben", service.score("pregnancy", Answers(frozenset(), frozenset())),
                 finished_at=WHEN, duration_s=None)
    prog = service.progress("Asha")
    assert [a.score for a in prog.attempts] == [100, service.score(s.id, weak).score]
    assert prog.attempts[1].critical_missed == ("alcohol_regular",)
    assert prog.attempts[1].gap == 85 - prog.attempts[1].score
    assert prog.topics["driving"] == 100
    assert prog.topics["alcohol"] == (100 * 8) // 12  # alcohol 2+2 and regular drinking 4+0 of 12
    missed = {m.id: (m.missed, m.seen) for m in prog.most_missed}
    assert missed["alcohol_regular"] == (1, 2)
    assert "pregnancy" not in missed  # Ben's attempt is not Asha's
    everyone = service.progress()
    assert len(everyone.attempts) == 3
    assert everyone.most_missed[0].missed >= everyone.most_missed[-1].missed


def test_empty_trainee_name_is_refused(service):
    result = service.score("pregnancy", Answers(frozenset(), frozenset()))
    with pytest.raises(TrainingStoreError, match="trainee"):
        service.save("  ", result, finished_at=WHEN, duration_s=None)


def test_summary_csv_for_supervisor_sign_off(service, tmp_path):
    s = service.scenario("pregnancy")
    service.save("Asha", service.score(s.id, full_marks(s)), finished_at=WHEN, duration_s=400)
    out = tmp_path / "export" / "asha.csv"
    service.export_csv(out, "Asha")
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["Counsel training summary", "Asha"]
    header = rows[2]
    attempt = dict(zip(header, rows[3], strict=True))
    assert attempt["scenario_id"] == "pregnancy"
    assert attempt["score"] == "100"
    assert attempt["passed"] == "yes"
    assert ["Supervisor signature", ""] in rows
    assert not list(out.parent.glob(".*.tmp"))


def test_write_atomic_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    out = tmp_path / "x.csv"
    out.write_text("old", encoding="utf-8")

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("counsel.atomic_write.os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(out, "new")
    assert out.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [out]


def test_database_location_env_override(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "mine.sqlite3"))
    assert default_db_path() == tmp_path / "mine.sqlite3"
    monkeypatch.delenv(DB_ENV)
    assert default_db_path().name == "training.sqlite3"


def test_service_opens_the_database_only_when_needed(tmp_path, catalog):
    svc = TrainingService(db_path=tmp_path / "t.sqlite3", catalog=catalog)
    assert len(svc.scenarios()) >= 10
    assert not (tmp_path / "t.sqlite3").exists()
    svc.progress()
    assert (tmp_path / "t.sqlite3").exists()
    svc.close()


def test_exam_mode_action_unsafe_and_examiner_rating_are_stored(service, tmp_path):
    from dataclasses import replace

    s = service.scenario("stopped-abruptly")
    full = full_marks(s)
    answers = replace(full, discussed=full.discussed | {"missed_dose_uk"}, mode="blind",
                      examiner_rating=2, examiner_comment="Spotted withdrawal; gave missed-dose advice.")
    attempt = service.save("Asha", service.score(s.id, answers), finished_at=WHEN, duration_s=500)
    row = service.progress("Asha").attempts[0]
    assert row.id == attempt
    assert (row.mode, row.action_expected, row.action_given) == ("blind", "urgent", "urgent")
    assert row.unsafe_given == ("missed_dose_uk",)
    assert (row.duration_s, row.time_guide_s) == (500, 7 * 60)
    assert (row.examiner_rating, row.examiner_comment) == (2, "Spotted withdrawal; gave missed-dose advice.")
    text = (tmp_path / "s.csv")
    service.export_csv(text)
    rows = list(csv.reader(text.read_text(encoding="utf-8").splitlines()))
    header = rows[2]
    values = dict(zip(header, rows[3], strict=True))
    assert values["examiner_rating"] == "2"
    assert values["mode"] == "blind"
    assert values["unsafe_given"] == "missed_dose_uk"
    # An open, unrated attempt stores no rating (absence).
    service.save("Ben", service.score(s.id, full), finished_at=WHEN, duration_s=None)
    ben = service.progress("Ben").attempts[0]
    assert (ben.mode, ben.examiner_rating, ben.examiner_comment, ben.unsafe_given) == ("open", None, None, ())


def test_the_examiner_rating_is_checked_by_the_database(tmp_path):
    conn = connect(tmp_path / "t.sqlite3")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO attempts (trainee, scenario_id, scenario_title, content_version,"
                     " finished_at, score, pass_mark, passed, referred, examiner_rating)"
                     " VALUES ('a', 's', 't', '1', 'x', 50, 70, 0, 0, 9)")


def test_a_version_1_database_is_migrated_and_keeps_its_attempts(tmp_path):
    path = tmp_path / "t.sqlite3"
    raw = sqlite3.connect(path)
    raw.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    raw.execute("INSERT INTO attempts (trainee, scenario_id, scenario_title, content_version, finished_at,"
                " score, pass_mark, passed, referred) VALUES ('Old', 'pregnancy', 'P', '1.0.0',"
                " '2026-11-01T09:00:00+00:00', 80, 70, 1, 0)")
    raw.commit()
    raw.close()
    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("SELECT trainee, mode, examiner_rating FROM attempts").fetchall() == [
        ("Old", "open", None)]
    conn.close()
