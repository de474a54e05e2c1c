"""Save PDF and Save case never write over a database (or its -wal/-shm) or the open case file,
and a failed write says what to do (counsel/gui/files.py, services.outputs.check_output_path)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from counsel import paths
from counsel.gui.main_window import MainWindow
from tests.gui.conftest import DialogLog, wait_for_preview

pytestmark = pytest.mark.gui
EXAMPLE = paths.EXAMPLES_DIR / "standard-adult-start.json"


def sqlite_file(path: Path) -> bytes:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kept (x)")
    db.close()
    return path.read_bytes()


def warnings(log: DialogLog) -> list[str]:
    return [args[2] for name, args in log.calls if name == "warn"]


@pytest.fixture
def ready(started: MainWindow, qtbot, tmp_path: Path, modal_log: DialogLog) -> MainWindow:  # type: ignore[no-untyped-def]
    """The example, opened from a copy in tmp_path, released for output, its preview shown."""
    case = tmp_path / "case.json"
    shutil.copy(EXAMPLE, case)
    assert started.open_case_file(case), modal_log.calls
    for code in started.checklist.ack_boxes:  # the print gate: every warning acknowledged
        started.checklist.acknowledge(code, "prescriber_aware")
    for card in started.checklist.cards.values():  # no critical-point confirm in the way
        card.set_status("discussed")
    started.model.set_schedule_checked(True)
    started.go_to(3)
    wait_for_preview(started, qtbot)
    return started


@pytest.mark.pdf
def test_save_pdf_refuses_a_database_its_side_files_and_the_open_case(
        ready: MainWindow, modal_log: DialogLog, tmp_path: Path, monkeypatch, qtbot) -> None:
    db = tmp_path / "records.sqlite3"
    monkeypatch.setenv("COUNSEL_DB", str(db))
    db_bytes = sqlite_file(db)
    wal = tmp_path / "records.sqlite3-wal"
    wal.write_bytes(b"journal pages")
    case_bytes = (tmp_path / "case.json").read_bytes()
    for target, says in ((db, "is the Counsel database records.sqlite3"),
                         (wal, "is the wal file of the Counsel database"),
                         (tmp_path / "case.json", "is the file being read")):
        modal_log.calls.clear()
        modal_log.save_pdf_path = target
        ready.leaflet_actions.save_pdf()
        (message,) = warnings(modal_log)
        assert message.startswith(f"Save PDF: '{target.name}' {says}"), message
        assert "\n" not in message
        assert ready.model.session.leaflet_output == ""  # nothing was handed over
    assert db.read_bytes() == db_bytes and wal.read_bytes() == b"journal pages"
    assert (tmp_path / "case.json").read_bytes() == case_bytes

    # Presence: an ordinary file beside them is written, and the leaflet counts as given.
    modal_log.calls.clear()
    modal_log.save_pdf_path = tmp_path / "leaflet.pdf"
    with qtbot.waitSignal(ready.leaflet_actions.saved, timeout=30000):
        ready.leaflet_actions.save_pdf()
    assert warnings(modal_log) == []
    assert (tmp_path / "leaflet.pdf").read_bytes().startswith(b"%PDF")
    assert ready.model.session.leaflet_output == "saved"


@pytest.mark.pdf
def test_save_pdf_refuses_the_records_database_the_window_has_open(
        ready: MainWindow, modal_log: DialogLog, tmp_path: Path, qtbot) -> None:
    # Not an SQLite header and not the default location: only "this window has it open" refuses it.
    other = tmp_path / "elsewhere.db"
    other.write_bytes(b"kept")
    modal_log.save_pdf_path = other
    ready.records.service = SimpleNamespace(location=str(other), close=lambda: None)  # type: ignore[assignment]
    try:
        ready.leaflet_actions.save_pdf()
    finally:
        ready.records.service = None
    (message,) = warnings(modal_log)
    assert message.startswith("Save PDF: 'elsewhere.db' is the Counsel database elsewhere.db")
    assert other.read_bytes() == b"kept"
    # Absence: with no database open there, the same file may be replaced.
    modal_log.calls.clear()
    with qtbot.waitSignal(ready.leaflet_actions.saved, timeout=30000):
        ready.leaflet_actions.save_pdf()
    assert other.read_bytes().startswith(b"%PDF")


@pytest.mark.pdf
def test_save_pdf_write_error_says_what_to_do(ready: MainWindow, modal_log: DialogLog,
                                              tmp_path: Path) -> None:
    modal_log.save_pdf_path = tmp_path / "no such folder" / "leaflet.pdf"
    ready.leaflet_actions.save_pdf()
    assert warnings(modal_log) == ["Cannot save leaflet.pdf: the folder does not exist"]
    assert ready.model.session.leaflet_output == ""


def test_save_case_refuses_a_database_and_says_what_to_do_on_a_write_error(
        window: MainWindow, modal_log: DialogLog, tmp_path: Path, monkeypatch) -> None:
    assert window.open_case_file(EXAMPLE)
    window.patient.medicines.add("sertraline")
    db = tmp_path / "training.sqlite3"
    monkeypatch.setenv("COUNSEL_TRAINING_DB", str(db))
    db_bytes = sqlite_file(db)
    shm = tmp_path / "training.sqlite3-shm"
    shm.write_bytes(b"shared memory")
    for target, says in ((db, "is the Counsel database training.sqlite3"),
                         (shm, "is the shm file of the Counsel database")):
        modal_log.calls.clear()
        modal_log.save_case_path = target
        assert not window.save_case(choose=True)
        (message,) = warnings(modal_log)
        assert message.startswith(f"Save case: '{target.name}' {says}"), message
        assert window.is_dirty()  # still unsaved: nothing was written
    assert db.read_bytes() == db_bytes and shm.read_bytes() == b"shared memory"

    modal_log.calls.clear()
    modal_log.save_case_path = tmp_path / "missing" / "case.json"
    assert not window.save_case(choose=True)
    assert warnings(modal_log) == ["Cannot save case.json: the folder does not exist"]

    # Presence: an ordinary path saves, and Save again writes over that (now open) case file.
    modal_log.calls.clear()
    modal_log.save_case_path = tmp_path / "case.json"
    assert window.save_case(choose=True)
    assert window.case_path == tmp_path / "case.json"
    window.patient.medicines.add("tramadol")
    assert window.save_case()
    assert warnings(modal_log) == []
    assert "tramadol" in (tmp_path / "case.json").read_text(encoding="utf-8")
