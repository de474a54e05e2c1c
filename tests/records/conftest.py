"""Records fixtures: a real SQLite file per test, a controllable clock, a fake leaflet renderer."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from counsel.core.rules import Counselling
from counsel.services.records import RecordSettings, RecordsService
from tests.conftest import load_example

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class FakeClock:
    """Each call moves time on by `step` seconds, so every saved change has its own timestamp."""

    def __init__(self, start: datetime = START, step: float = 30) -> None:
        self.now = start
        self.step = timedelta(seconds=step)

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


class FakeRenderer:
    """Stands in for WeasyPrint: deterministic bytes from what would be printed."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, result: Counselling, *, paper: str, large_print: bool | None,
                 today: date) -> bytes:
        self.calls.append({"name": result.case.patient.name, "paper": paper,
                           "large_print": large_print, "today": today})
        text = f"{result.case.model_dump_json()}|{paper}|{large_print}|{today}"
        return b"%PDF-fake " + hashlib.sha256(text.encode()).hexdigest().encode()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "records.sqlite3"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def renderer() -> FakeRenderer:
    return FakeRenderer()


ENGINES = ["sqlite", "postgresql"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Issue 14: a test that only talks to the service (never to the SQLite file itself) runs
    on both engines, so the SQLite and PostgreSQL stores cannot drift apart."""
    own = set(inspect.signature(metafunc.function).parameters)
    if own & {"service", "named_service"} and "db_path" not in own:
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """'sqlite' unless the test was parametrised over both engines."""
    return str(getattr(request, "param", "sqlite"))


def _target(request: pytest.FixtureRequest, db_path: Path, engine: str) -> Any:
    if engine == "postgresql":
        return request.getfixturevalue("pg_server").new_database()
    return db_path


@pytest.fixture
def service(request: pytest.FixtureRequest, db_path: Path, engine: str, clock: FakeClock,
            renderer: FakeRenderer) -> Iterator[RecordsService]:
    svc = RecordsService.open(_target(request, db_path, engine), clock=clock, renderer=renderer)
    yield svc
    svc.close()


@pytest.fixture
def named_service(request: pytest.FixtureRequest, db_path: Path, engine: str, clock: FakeClock,
                  renderer: FakeRenderer) -> Iterator[RecordsService]:
    svc = RecordsService.open(_target(request, db_path, engine), clock=clock, renderer=renderer,
                              settings=RecordSettings(store_full_names=True))
    yield svc
    svc.close()


@pytest.fixture
def kidney_case() -> dict[str, Any]:
    """George Whitfield, 78, reference GW1948: two warnings to acknowledge."""
    return load_example("older-adult-kidney.json")


def counsel_and_finish(service: RecordsService, case: dict[str, Any], *,
                       pharmacist: str = "SB") -> tuple[str, int]:
    """A complete session: every point marked, every warning acknowledged, then finished."""
    sid = service.start_session(case, pharmacist=pharmacist)
    result = service.counselling_for(case, today=START.date())
    for i, point in enumerate(result.points):
        if i % 3 == 2:
            service.mark_point(sid, point.id, "not_discussed", "covered last month")
        else:
            service.mark_point(sid, point.id, "understood" if i % 3 else "discussed")
    for w in result.warnings:
        service.acknowledge(sid, w.code, "checked with prescriber")
    service.save_notes(sid, "Asked about the kidney blood test.")
    return sid, service.finish_session(sid)
