"""`main.py --check` is not healthy while the records database is unusable."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from counsel import paths

pytestmark = [pytest.mark.gui, pytest.mark.pdf]


def _check(tmp_path, db):  # type: ignore[no-untyped-def]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "COUNSEL_DB": str(db),
           "COUNSEL_TRAINING_DB": str(tmp_path / "training.sqlite3")}
    return subprocess.run([sys.executable, "main.py", "--check"], capture_output=True, text=True,
                          timeout=180, cwd=paths.PROJECT_ROOT, env=env, check=False)


def test_check_fails_in_one_line_when_the_records_database_is_damaged(tmp_path):
    db = tmp_path / "records.sqlite3"
    db.write_bytes(b"not a database " * 100)
    done = _check(tmp_path, db)
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("counsel --check: records: ") and "not a database" in last
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["records"]["ok"] is False
    assert db.read_bytes() == b"not a database " * 100  # reported, never repaired


def test_check_reports_a_usable_records_database(tmp_path):
    done = _check(tmp_path, tmp_path / "records.sqlite3")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True and report["records"]["ok"] is True
    assert report["records"]["location"] == str(tmp_path / "records.sqlite3")
