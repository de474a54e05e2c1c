"""Shared fixtures. Qt must never need a display in tests: default to the offscreen platform."""

from __future__ import annotations

import atexit
import copy
import json
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No test may ever read or write this user's real records, training, settings or caches (a test
# that did once left an unfinished session in ~/.local/share/Counsel, and every later GUI start
# stopped at the resume prompt). Point the per-user folders at a scratch folder for the whole run,
# before anything works out a path; subprocesses inherit it.
_SCRATCH_HOME = tempfile.mkdtemp(prefix="counsel-test-home-")
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                   ("XDG_STATE_HOME", "state")):
    os.environ[_var] = os.path.join(_SCRATCH_HOME, _sub)
for _var in ("COUNSEL_DB", "COUNSEL_TRAINING_DB"):
    os.environ.pop(_var, None)
atexit.register(shutil.rmtree, _SCRATCH_HOME, True)

from counsel import paths  # noqa: E402  (the scratch folders must be set first)
from counsel.core.case import Case, parse_case  # noqa: E402
from counsel.core.content import Catalog, default_catalog  # noqa: E402
from counsel.core.rules import Counselling, counsel_case  # noqa: E402

TODAY = date(2026, 11, 23)
EXAMPLES = sorted(paths.EXAMPLES_DIR.glob("*.json"))

BASE_CASE: dict[str, Any] = {
    "region": "us",
    "patient": {"age": 45, "sex": "female", "kidney_function": "normal"},
    "prescription": {"drug": "baclofen", "form": "tablet", "strength": "10 mg", "dose_mg": 10,
                     "times_per_day": 3, "plan": "continue", "start_date": "2026-11-23"},
}


def make_data(**changes: Any) -> dict[str, Any]:
    """BASE_CASE with nested changes: make_data(patient={"age": 80}, region="uk")."""
    data = copy.deepcopy(BASE_CASE)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    return data


def make_case(**changes: Any) -> Case:
    return parse_case(make_data(**changes), today=TODAY)


def counsel_for(**changes: Any) -> Counselling:
    return counsel_case(make_case(**changes), default_catalog())


def load_example(name: str) -> dict[str, Any]:
    return json.loads((paths.EXAMPLES_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def write_case(tmp_path: Path):  # type: ignore[no-untyped-def]
    def _write(data: Any, name: str = "case.json") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return _write


# -- a real PostgreSQL server for the records/accounts tests (issue 14) --------------------------

@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    """One throwaway server for the session (started on first use, stopped at the end)."""
    from tests.records.pg_server import start_server

    server = start_server()
    yield server
    server.close()
