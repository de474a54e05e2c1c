"""No CLI output path may overwrite a database, its -wal/-shm, or the case file being read."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from counsel import paths
from counsel.cli import run
from counsel.services.outputs import OutputPathError, check_output_path
from tests.conftest import TODAY
from tests.records.conftest import counsel_and_finish


@pytest.fixture
def live(service, kidney_case, db_path):  # type: ignore[no-untyped-def]
    """A records database with one record, held open (so its -wal and -shm exist)."""
    counsel_and_finish(service, kidney_case)
    assert Path(f"{db_path}-wal").exists() and Path(f"{db_path}-shm").exists()
    return service


def _snapshot(db_path: Path) -> dict[str, bytes]:
    # The -shm is shared memory that every reader touches; its existence is what matters.
    return {p.name: b"" if p.name.endswith("-shm") else p.read_bytes()
            for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)}


def _one_line_error(capsys: pytest.CaptureFixture[str], option: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"error: {option}: "), err
    return err


@pytest.mark.parametrize("target", ["db", "wal", "shm", "symlink", "hardlink", "relative"])
def test_records_export_refuses_the_live_database(live, db_path, tmp_path, capsys, monkeypatch,
                                                  target):
    out = {"db": db_path, "wal": Path(f"{db_path}-wal"), "shm": Path(f"{db_path}-shm"),
           "symlink": tmp_path / "export.json", "hardlink": tmp_path / "hard.json",
           "relative": Path(db_path.name)}[target]
    if target == "symlink":
        out.symlink_to(db_path)
    if target == "hardlink":
        os.link(db_path, out)
    monkeypatch.chdir(tmp_path)
    before = _snapshot(db_path)
    audit_before = len(live.audit())
    code = run(["records", "export", "--format", "json", "-o", str(out), "--db", str(db_path)],
               today=TODAY)
    assert code == 2
    assert "destroy it" in _one_line_error(capsys, "-o/--output")
    assert _snapshot(db_path) == before
    assert len(live.audit()) == audit_before  # nothing exported, so nothing logged
    assert len(live.find()) == 1


def test_records_export_still_writes_an_ordinary_file(live, db_path, tmp_path, capsys):
    out = tmp_path / "export.csv"
    out.write_text("old export\n", encoding="utf-8")  # replacing an old export is fine
    assert run(["records", "export", "--format", "csv", "-o", str(out), "--db", str(db_path)],
               today=TODAY) == 0
    assert out.read_text(encoding="utf-8").startswith("record_id,")


def test_records_export_refuses_the_training_database_and_any_sqlite_file(
        live, db_path, tmp_path, capsys, monkeypatch):
    training = tmp_path / "training.sqlite3"
    monkeypatch.setenv("COUNSEL_TRAINING_DB", str(training))
    assert run(["train", "progress"], today=TODAY) == 0  # creates the training database
    capsys.readouterr()
    for out in (training, tmp_path / "backup.sqlite3"):
        if out.name == "backup.sqlite3":
            shutil.copy(db_path, out)  # any other SQLite file (e.g. a backup) is kept too
        before = out.read_bytes()
        assert run(["records", "export", "--format", "json", "-o", str(out), "--db",
                    str(db_path)], today=TODAY) == 2
        _one_line_error(capsys, "-o/--output")
        assert out.read_bytes() == before


def test_train_progress_csv_refuses_both_databases(db_path, live, tmp_path, capsys, monkeypatch):
    training = tmp_path / "training.sqlite3"
    monkeypatch.setenv("COUNSEL_DB", str(db_path))
    assert run(["train", "progress", "--db", str(training)], today=TODAY) == 0
    capsys.readouterr()
    link = tmp_path / "signoff.csv"
    link.symlink_to(training)
    for out in (training, link, db_path, Path(f"{db_path}-wal")):
        before = out.read_bytes()
        assert run(["train", "progress", "--db", str(training), "--csv", str(out)],
                   today=TODAY) == 2
        _one_line_error(capsys, "--csv")
        assert out.read_bytes() == before
    # Absence: an ordinary CSV is written.
    ok = tmp_path / "signoff-ok.csv"
    assert run(["train", "progress", "--db", str(training), "--csv", str(ok)], today=TODAY) == 0
    assert ok.read_text(encoding="utf-8").startswith("Counsel training summary")


def test_render_refuses_the_case_file_and_the_database(live, db_path, tmp_path, capsys):
    case = tmp_path / "case.json"
    shutil.copy(paths.EXAMPLES_DIR / "standard-adult-start.json", case)
    before = case.read_bytes()
    link = tmp_path / "leaflet.pdf"
    link.symlink_to(case)
    cases = [(["-o", str(link)], "-o/--output"),
             (["-o", str(tmp_path / "ok.pdf"), "--html", str(case)], "--html"),
             (["-o", str(db_path), "--record", "--db", str(db_path)], "-o/--output"),
             (["-o", str(tmp_path / "ok.pdf"), "--html", f"{db_path}-shm", "--db", str(db_path)],
              "--html")]
    db_before = _snapshot(db_path)
    for extra, option in cases:
        assert run(["render", str(case), *extra], today=TODAY) == 2
        _one_line_error(capsys, option)
    assert case.read_bytes() == before
    assert _snapshot(db_path) == db_before
    assert not (tmp_path / "ok.pdf").exists()


def test_guard_helper_presence_and_absence(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNSEL_DB", str(tmp_path / "r.sqlite3"))
    monkeypatch.setenv("COUNSEL_TRAINING_DB", str(tmp_path / "t.sqlite3"))
    # The default databases are protected even when they do not exist yet.
    for name in ("r.sqlite3", "r.sqlite3-wal", "t.sqlite3-shm"):
        with pytest.raises(OutputPathError, match=r"^--x: .*Counsel database"):
            check_output_path(tmp_path / name, "--x")
    source = tmp_path / "in.json"
    source.write_text(json.dumps({}), encoding="utf-8")
    with pytest.raises(OutputPathError, match="being read"):
        check_output_path(tmp_path / "sub" / ".." / "in.json", "-o", inputs=[source])
    loop = tmp_path / "loop.pdf"
    loop.symlink_to(loop)  # a link loop is not a database: refused later by the writer, not here
    check_output_path(loop, "-o", inputs=[source])
    check_output_path(tmp_path / "fine.pdf", "-o", inputs=[source])
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    check_output_path(fifo, "--csv")  # returns at once: a FIFO is never opened to look inside
    check_output_path(tmp_path / "r.sqlite3.csv", "-o")
