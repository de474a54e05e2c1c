"""Accounts fixtures: the same tests on an SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from counsel.services.accounts import AccountsService
from counsel.services.records import RecordsService
from tests.records.conftest import FakeClock, FakeRenderer

# Cheap argon2 settings so the tests do not spend seconds hashing (production uses the defaults).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class FakeSleeper:
    """Records each requested wait instead of sleeping (and moves the fake clock on by it)."""

    def __init__(self, clock: FakeClock) -> None:
        self.waits: list[float] = []
        self.clock = clock

    def __call__(self, seconds: float) -> None:
        from datetime import timedelta

        self.waits.append(seconds)
        self.clock.now += timedelta(seconds=seconds)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """An SQLite file, or a fresh database on the throwaway PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "records.sqlite3"
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture
def records(db_target: Any) -> Iterator[RecordsService]:
    svc = RecordsService.open(db_target, clock=FakeClock(), renderer=FakeRenderer())
    yield svc
    svc.close()


@pytest.fixture
def sleeper(records: RecordsService) -> FakeSleeper:
    return FakeSleeper(records.clock)  # type: ignore[arg-type]


@pytest.fixture
def accounts(records: RecordsService, sleeper: FakeSleeper) -> AccountsService:
    return AccountsService(records.repo, clock=records.clock, sleeper=sleeper,
                           hasher=FAST_HASHER, counter="counter 1")
