"""Training fixtures: scenarios loaded once, and a fresh training service on a tmp database."""

from __future__ import annotations

from pathlib import Path

import pytest

from counsel.core.content import Catalog
from counsel.services.training import TrainingService
from counsel.training.scenarios import Scenario, load_scenarios


@pytest.fixture(scope="session")
def scenarios(catalog: Catalog) -> list[Scenario]:
    return load_scenarios(catalog)


@pytest.fixture
def service(tmp_path: Path, catalog: Catalog):  # type: ignore[no-untyped-def]
    svc = TrainingService(db_path=tmp_path / "training.sqlite3", catalog=catalog)
    yield svc
    svc.close()
