"""Issue 14: training attempts on the PostgreSQL server give exactly the progress SQLite gives,
so a supervisor can follow trainees across branches from one place."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from counsel.core.content import Catalog
from counsel.core.errors import CounselError
from counsel.services.training import TrainingService
from counsel.training.scoring import Answers, full_marks

WHEN = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
WEAK = {"driving_driver", "titration_plan", "alcohol", "your_doses", "never_stop_suddenly",
        "withdrawal_signs", "side_effects_urgent", "missed_dose_us"}


def _fill(service: TrainingService) -> list[int]:
    s = service.scenario("driver-who-drinks")
    ids = [service.save("asha", service.score(s.id, full_marks(s)), finished_at=WHEN,
                        duration_s=300)]
    weak = Answers(frozenset(), frozenset(WEAK), self_rating=85)
    ids.append(service.save("asha", service.score(s.id, weak), finished_at=WHEN.replace(hour=10),
                            duration_s=200))
    ids.append(service.save("ben", service.score("pregnancy", Answers(frozenset(), frozenset())),
                            finished_at=WHEN, duration_s=None))
    return ids


def test_the_server_gives_the_same_progress_as_sqlite(pg_server, tmp_path: Path,
                                                      catalog: Catalog):
    url = pg_server.new_database()
    # Path() folds the URL's "//" (as --db and COUNSEL_TRAINING_DB do): still the server.
    server = TrainingService(db_path=Path(url), catalog=catalog)
    local = TrainingService(db_path=tmp_path / "training.sqlite3", catalog=catalog)
    try:
        assert _fill(server) == _fill(local) == [1, 2, 3]
        for who in ("asha", "ben", None):
            assert server.progress(who) == local.progress(who)
        assert server.trainees() == ["asha", "ben"]
        prog = server.progress("asha")
        assert prog.attempts[1].critical_missed == ("alcohol_regular",)
        assert {m.id: (m.missed, m.seen) for m in prog.most_missed}["alcohol_regular"] == (1, 2)
    finally:
        server.close()
        local.close()
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT max(version) FROM training_schema").fetchone() == (1,)


def test_an_unreachable_training_server_is_one_line(tmp_path, catalog):
    service = TrainingService(db_path=Path("postgresql://t:s3cret@127.0.0.1:1/x"), catalog=catalog)
    with pytest.raises(CounselError) as err:
        service.trainees()
    message = str(err.value)
    assert "training server" in message and "s3cret" not in message and "\n" not in message
    assert not list(tmp_path.iterdir())  # no "postgresql:" file or folder was made
