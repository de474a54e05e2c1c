"""Exports round-trip (JSON) and parse (CSV); the records CLI lists, shows and exports atomically."""

from __future__ import annotations

import csv
import io
import json

import pytest

from counsel.cli import run
from counsel.records.exporting import CSV_COLUMNS, from_json, to_csv
from counsel.records.models import Record, RecordQuery
from tests.conftest import TODAY, load_example
from tests.records.conftest import counsel_and_finish


@pytest.fixture
def filled(service, kidney_case):  # type: ignore[no-untyped-def]
    """Three records (one corrected) on two days, by two pharmacists."""
    _, first = counsel_and_finish(service, kidney_case)
    service.correct(first, by="JK", why="typo in notes", changes={"notes": "=HYPERLINK(\"x\")"})
    service.clock.now = service.clock.now.replace(day=24)  # type: ignore[attr-defined]
    counsel_and_finish(service, load_example("driver-who-drinks.json") | {"patient": {
        **load_example("driver-who-drinks.json")["patient"], "reference": "DB1992"}},
        pharmacist="JK")
    counsel_and_finish(service, kidney_case, pharmacist="JK")
    return service


def test_json_export_reads_back_equal(filled):
    text = filled.export("json", by="SB")
    back = from_json(text)
    assert back == filled.repo.records(RecordQuery(include_superseded=True))
    assert len(back) == 4 and [r.version for r in back].count(2) == 1
    assert all(isinstance(r, Record) for r in back)
    assert [a.action for a in filled.audit()][-1] == "exported"


def test_csv_export_parses(filled):
    rows = list(csv.DictReader(io.StringIO(filled.export("csv", by="SB"))))
    assert len(rows) == 4
    assert list(rows[0]) == CSV_COLUMNS
    corrected = next(r for r in rows if r["version"] == "2")
    assert corrected["corrected_by"] == "JK" and corrected["supersedes"] == rows[0]["record_id"]
    assert corrected["notes"].startswith("'=")  # spreadsheet formulas are neutralised
    assert "KIDNEY_SEVERE: checked with prescriber" in rows[0]["warnings"]
    assert rows[0]["understood"] and rows[0]["not_discussed"].count("(covered last month)") >= 1


def test_export_by_date_range(filled):
    day1 = RecordQuery(date_from=TODAY, date_to=TODAY)
    assert len(from_json(filled.export("json", by="SB", query=day1))) == 2  # original + correction
    day2 = RecordQuery(date_from=TODAY.replace(day=24))
    assert {r.patient_ref for r in from_json(filled.export("json", by="SB", query=day2))} == \
        {"DB1992", "GW1948"}
    assert to_csv([]).strip() == ",".join(CSV_COLUMNS)


def test_history_search(filled):
    assert {s.patient_ref for s in filled.find(RecordQuery(patient_ref="db19"))} == {"DB1992"}
    assert len(filled.find(RecordQuery(pharmacist="jk"))) == 2  # who counselled, not who corrected
    assert len(filled.find(RecordQuery(drug="baclo"))) == 3
    assert len(filled.find(RecordQuery(drug="baclo", include_superseded=True))) == 4
    assert filled.find(RecordQuery(date_to=TODAY.replace(day=22))) == []


def test_cli_list_show_and_export(filled, db_path, tmp_path, capsys, monkeypatch):
    db = ["--db", str(db_path)]
    assert run(["records", "list", "--json", *db], today=TODAY) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 3 and {r["patient_ref"] for r in listed} == {"GW1948", "DB1992"}
    record_id = next(r["id"] for r in listed if r["version"] == 2)
    assert run(["records", "show", str(record_id), *db], today=TODAY) == 0
    shown = capsys.readouterr().out
    assert "version 2" in shown and "corrected by JK" in shown and "Audit:" in shown
    assert run(["records", "show", str(record_id), "--json", *db], today=TODAY) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["record"]["id"] == record_id and len(data["versions"]) == 2
    # Export to a file (atomic) and to stdout; COUNSEL_DB works instead of --db.
    out = tmp_path / "out" / "export.json"
    out.parent.mkdir()
    assert run(["records", "export", "--format", "json", "-o", str(out), *db], today=TODAY) == 0
    assert len(from_json(out.read_text(encoding="utf-8"))) == 4
    assert [p.name for p in out.parent.iterdir()] == ["export.json"]  # no temporary left behind
    monkeypatch.setenv("COUNSEL_DB", str(db_path))
    capsys.readouterr()
    assert run(["records", "export", "--format", "csv", "--from", "2026-11-24"], today=TODAY) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 2


def test_cli_errors_are_one_line(tmp_path, db_path, capsys, service):
    assert run(["records", "show", "999", "--db", str(db_path)], today=TODAY) == 2
    assert capsys.readouterr().err.strip() == "error: record 999: not found"
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 50)
    assert run(["records", "list", "--db", str(bad)], today=TODAY) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "file is not a database" in err
    assert bad.read_bytes() == b"not a database" * 50
    assert run(["records", "export", "--format", "json", "--from", "2026-12-01", "--to",
                "2026-11-01", "--db", str(db_path)], today=TODAY) == 2
    with pytest.raises(SystemExit):
        run(["records", "list", "--from", "yesterday", "--db", str(db_path)], today=TODAY)
    missing_dir = tmp_path / "nope" / "x.json"
    assert run(["records", "export", "--format", "json", "-o", str(missing_dir), "--db",
                str(db_path)], today=TODAY) == 2
    assert "cannot write" in capsys.readouterr().err


def test_cli_lists_unfinished_sessions(service, db_path, kidney_case, capsys):
    sid = service.start_session(kidney_case, pharmacist="SB")
    assert run(["records", "sessions", "--json", "--db", str(db_path)], today=TODAY) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["id"] == sid and row["patient_ref"] == "GW1948"


def test_render_record_stores_a_finished_record(tmp_path):
    """`render --record` writes the PDF and stores a finished record whose hash matches it."""
    import hashlib
    import json as _json
    import subprocess
    import sys as _sys

    from counsel import paths as _paths

    db = tmp_path / "records.sqlite3"
    out = tmp_path / "leaflet.pdf"
    main = str(_paths.PROJECT_ROOT / "main.py")
    case = str(_paths.EXAMPLES_DIR / "standard-adult-start.json")
    proc = subprocess.run([_sys.executable, main, "render", case, "-o", str(out), "--record",
                           "--calendar-checked", "--db", str(db)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "recorded as record" in proc.stdout
    listed = subprocess.run([_sys.executable, main, "records", "list", "--json", "--db", str(db)],
                            capture_output=True, text=True, timeout=60, check=False)
    rows = _json.loads(listed.stdout)
    assert len(rows) == 1
    shown = subprocess.run([_sys.executable, main, "records", "show", str(rows[0]["id"]), "--json",
                            "--db", str(db)], capture_output=True, text=True, timeout=60, check=False)
    assert hashlib.sha256(out.read_bytes()).hexdigest() in shown.stdout
    assert "Maria Lopez" not in shown.stdout

    refused = subprocess.run([_sys.executable, main, "render", case, "-o", str(tmp_path / "t.pdf"),
                              "--record", "--training", "--db", str(db)],
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: --record: training leaflets are never stored")
    assert not (tmp_path / "t.pdf").exists()
