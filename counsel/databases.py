"""Where this user's databases live: the one definition, light enough for any start-up path.

The records layer and the training service open these files; the output guard
(services/outputs.py) only needs their names, so it asks here instead of importing the storage
code (sqlite3, migrations, scoring): that kept ~0.1 s off every `main.py render`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

RECORDS_ENV = "COUNSEL_DB"
RECORDS_FILENAME = "counsel-records.sqlite3"
TRAINING_ENV = "COUNSEL_TRAINING_DB"
TRAINING_FILENAME = "training.sqlite3"


def _data_dir() -> Path:
    return Path(platformdirs.user_data_dir("Counsel", appauthor=False))


def records_db_path(env: Mapping[str, str] | None = None) -> Path:
    """$COUNSEL_DB if set, else the per-user data folder (e.g. ~/.local/share/Counsel/)."""
    override = (os.environ if env is None else env).get(RECORDS_ENV, "").strip()
    return Path(override).expanduser() if override else _data_dir() / RECORDS_FILENAME


def training_db_path(env: Mapping[str, str] | None = None) -> Path:
    """$COUNSEL_TRAINING_DB if set, else training.sqlite3 in the user data folder."""
    override = (os.environ if env is None else env).get(TRAINING_ENV, "").strip()
    return Path(override).expanduser() if override else _data_dir() / TRAINING_FILENAME
