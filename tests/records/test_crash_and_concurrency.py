"""Crash safety and sharing: SIGKILL mid-session loses nothing saved; two processes write at once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from counsel import paths
from counsel.services.records import RecordsService
from tests.records.conftest import FakeClock

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

ROOT = paths.PROJECT_ROOT

AUTOSAVE_CHILD = textwrap.dedent("""
    import itertools, json, sys
    from datetime import UTC, datetime
    from pathlib import Path
    from counsel.services.records import RecordsService

    service = RecordsService.open(Path(sys.argv[1]), clock=lambda: datetime.now(UTC))
    case = json.loads(Path(sys.argv[2]).read_text())
    points = sys.argv[3].split(",")
    sid = service.start_session(case, pharmacist="SB")
    print("session", sid, flush=True)
    for i in itertools.count():
        service.save_notes(sid, f"note {i}")
        service.mark_point(sid, points[i % len(points)], "not_discussed", f"reason {i}")
        print("saved", i, flush=True)  # only after both transactions committed
""")

WRITER_CHILD = textwrap.dedent("""
    import json, sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from counsel.services.records import RecordsService

    db, case_file, ready, go, who = sys.argv[1:6]
    case = json.loads(Path(case_file).read_text())
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.005)
    # Both processes open (and so migrate) the brand-new file at the same moment.
    service = RecordsService.open(Path(db), clock=lambda: datetime.now(UTC))
    for n in range(15):
        sid = service.start_session(case, pharmacist=who)
        service.mark_point(sid, "your_doses", "understood")
        service.acknowledge(sid, "KIDNEY_SEVERE", "checked")
        service.save_notes(sid, f"{who} {n}")
        service.finish_session(sid)
    service.close()
    print("done", who, flush=True)
""")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_sigkill_mid_session_loses_no_saved_change(tmp_path, kidney_case):
    db = tmp_path / "records.sqlite3"
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(kidney_case))
    points = ["your_doses", "driving", "alcohol", "never_stop_suddenly", "withdrawal_signs"]
    script = tmp_path / "child.py"
    script.write_text(AUTOSAVE_CHILD)
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(case_file), ",".join(points)],
                            stdout=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
    assert proc.stdout is not None
    session_line = proc.stdout.readline().split()
    assert session_line[0] == "session", session_line
    sid = session_line[1]
    last = -1
    deadline = time.monotonic() + 60
    while last < 60 and time.monotonic() < deadline:
        words = proc.stdout.readline().split()
        assert words and words[0] == "saved"
        last = int(words[1])
    # Killed while it keeps writing: the next save may be half-way through its transaction.
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert last >= 60

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    service = RecordsService.open(db, clock=FakeClock())
    try:
        assert [s.id for s in service.unfinished_sessions()] == [sid]  # offered for resume
        state = service.resume(sid)
        saved_upto = int(state.notes.split()[1])
        assert saved_upto >= last  # every change the child reported as saved is there
        for i in range(max(0, last - len(points) + 1), last + 1):
            mark = state.marks[points[i % len(points)]]
            # The reported save, or a later one to the same point that also committed.
            assert int(mark.reason.split()[1]) >= i
        assert set(state.marks) == set(points)
        # And the resumed session finishes normally.
        record = service.get(service.finish_session(sid))
        assert record.notes == state.notes
    finally:
        service.close()


def test_two_processes_writing_at_once_both_succeed(tmp_path, kidney_case):
    db = tmp_path / "shared.sqlite3"
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(kidney_case))
    script = tmp_path / "writer.py"
    script.write_text(WRITER_CHILD)
    go = tmp_path / "go"
    procs = []
    for who in ("AA", "BB"):
        ready = tmp_path / f"ready-{who}"
        procs.append((ready, subprocess.Popen(
            [sys.executable, str(script), str(db), str(case_file), str(ready), str(go), who],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)))
    deadline = time.monotonic() + 60
    while not all(r.exists() for r, _ in procs) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    for _, proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert out.startswith("done")

    service = RecordsService.open(db, clock=FakeClock())
    try:
        summaries = service.find()
        assert len(summaries) == 30
        assert {s.pharmacist for s in summaries} == {"AA", "BB"}
        notes = {service.get(s.id).notes for s in summaries}
        assert notes == {f"{who} {n}" for who in ("AA", "BB") for n in range(15)}
        assert [a.action for a in service.audit()].count("finished") == 30
        # Interleaved writers still leave one unbroken hash chain per table.
        report = service.verify()
        assert report.ok and report.counts["records"] == 30, report.message
    finally:
        service.close()
