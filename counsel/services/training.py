"""Training use cases: scenarios, scoring, and the separate training database (never the records one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from counsel import databases, paths
from counsel.core.content import Catalog, default_catalog
from counsel.core.errors import CounselError
from counsel.training.reference import ReferenceEntry, reference_entries
from counsel.training.scenarios import Scenario, load_scenarios
from counsel.training.scoring import Answers, Result, parse_answers, score_attempt
from counsel.training.storage import (
    Progress,
    connect,
    progress,
    save_attempt,
    summary_csv,
    trainees,
    write_atomic,
)

if TYPE_CHECKING:  # only for the connection's type: SQLite itself stays in counsel.training
    import sqlite3

DB_ENV = databases.TRAINING_ENV
DB_NAME = databases.TRAINING_FILENAME


def default_db_path() -> Path:
    """$COUNSEL_TRAINING_DB, else training.sqlite3 in the user data folder."""
    return databases.training_db_path()  # defined there, so the output guard needs no storage code


class UnknownScenarioError(CounselError):
    pass


@dataclass
class TrainingService:
    """Scenarios are loaded once; the database is opened lazily on first write or read."""

    db_path: Path = field(default_factory=default_db_path)
    catalog: Catalog = field(default_factory=default_catalog)
    scenarios_dir: Path = paths.SCENARIOS_DIR
    _scenarios: list[Scenario] | None = field(default=None, init=False, repr=False)
    _conn: sqlite3.Connection | None = field(default=None, init=False, repr=False)

    def scenarios(self) -> list[Scenario]:
        if self._scenarios is None:
            self._scenarios = load_scenarios(self.catalog, self.scenarios_dir)
        return self._scenarios

    def scenario(self, scenario_id: str) -> Scenario:
        for s in self.scenarios():
            if s.id == scenario_id:
                return s
        known = ", ".join(s.id for s in self.scenarios())
        raise UnknownScenarioError(f"scenario: unknown id '{scenario_id}' (known: {known})")

    def filter(self, *, difficulty: int | None = None, topic: str | None = None) -> list[Scenario]:
        return [s for s in self.scenarios()
                if (difficulty is None or s.spec.difficulty == difficulty)
                and (topic is None or topic in s.spec.topics)]

    def topics(self) -> list[str]:
        return sorted({t for s in self.scenarios() for t in s.spec.topics})

    def parse_answers(self, scenario_id: str, data: object, *, source: str = "answers") -> Answers:
        return parse_answers(data, self.scenario(scenario_id), source=source)

    def score(self, scenario_id: str, answers: Answers) -> Result:
        return score_attempt(self.scenario(scenario_id), answers)

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect(self.db_path)
        return self._conn

    def save(self, trainee: str, result: Result, *, finished_at: datetime,
             duration_s: int | None) -> int:
        scenario = self.scenario(result.scenario_id)
        return save_attempt(
            self._db(), trainee=trainee, result=result, scenario_title=scenario.spec.title,
            content_version=scenario.counselling.monograph.content_version,
            finished_at=finished_at, duration_s=duration_s,
            time_guide_s=scenario.spec.rubric.time_minutes * 60,
        )

    def trainees(self) -> list[str]:
        return trainees(self._db())

    def progress(self, trainee: str | None = None) -> Progress:
        return progress(self._db(), trainee)

    def export_csv(self, out: Path, trainee: str | None = None) -> Progress:
        prog = self.progress(trainee)
        write_atomic(out, summary_csv(prog))
        return prog

    def reference(self, drug: str = "baclofen") -> list[ReferenceEntry]:
        mono = self.catalog.monograph(drug)
        if mono is None:
            raise UnknownScenarioError(f"drug: unknown '{drug}'")
        return reference_entries(mono)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
