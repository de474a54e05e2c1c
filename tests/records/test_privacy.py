"""Privacy by default: a pseudonymous reference; no name in the database, logs or exports unless enabled."""

from __future__ import annotations

import logging

import pytest

from counsel.cli import run
from counsel.records.privacy import patient_reference, redact_text, strip_name
from counsel.services.records import RecordSettings, RecordsService, leaflet_given
from tests.conftest import TODAY, load_example
from tests.records.conftest import START, FakeClock

NAME_PARTS = ("Amira", "Haddad")


@pytest.mark.parametrize(("case", "local_id", "expected"), [
    ({"patient": {"reference": "GW1948", "name": "George Whitfield", "age": 78}}, None, "GW1948"),
    ({"patient": {"name": "George Whitfield", "age": 78}}, None, "GW1948"),
    ({"patient": {"name": "george  van whitfield", "age": 78}}, None, "GVW1948"),
    ({"patient": {"name": "王小明", "age": 47}}, None, "王1979"),
    ({"patient": {"name": "George Whitfield"}}, None, ""),
    ({"patient": {"age": 78}}, None, ""),
    ({"patient": {"reference": "GW1948"}}, "  RX-0042 ", "RX-0042"),
    ({}, None, ""),
])
def test_patient_reference(case, local_id, expected):
    assert patient_reference(case, today=TODAY, local_id=local_id) == expected


def test_strip_name_removes_the_name_and_blanks_it_in_notes():
    case = load_example("child-oral-liquid.json")
    stripped = strip_name(case)
    assert "name" not in stripped["patient"] and case["patient"]["name"] == "Amira Haddad"
    assert stripped["notes"].startswith("Give the medicine to [name], not her brother.")
    assert redact_text("AMIRA's dose; haddad-family", ["Amira", "Haddad"]) == \
        "[name]'s dose; [name]-family"
    assert redact_text("Amiran", ["Amira"]) == "Amiran"  # whole words only


def _full_flow(service: RecordsService, db_path, capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    case = load_example("child-oral-liquid.json")
    sid = service.start_session(case, pharmacist="SB")
    result = service.counselling_for(case, today=START.date())
    service.mark_point(sid, result.points[0].id, "understood")
    service.mark_point(sid, result.points[1].id, "not_discussed", "Amira's mum already knows")
    for w in result.warnings:
        service.acknowledge(sid, w.code, "told Mrs Haddad")
    service.save_notes(sid, "Amira Haddad came with her mother.")
    service.save_case(sid, {**case, "follow_up_date": "2026-12-01"})
    service.save_leaflet(sid, leaflet_given(result, b"%PDF", paper="a4", large_print=None,
                                            rendered_on=START.date()))
    record_id = service.finish_session(sid)
    service.reprint(record_id, by="SB", patient_name="Amira Haddad")
    out = service.export("json", by="SB") + service.export("csv", by="SB")
    for argv in (["records", "list", "--db", str(db_path)],
                 ["records", "list", "--json", "--db", str(db_path)],
                 ["records", "show", str(record_id), "--db", str(db_path)],
                 ["records", "show", str(record_id), "--json", "--db", str(db_path)],
                 ["records", "export", "--format", "csv", "--db", str(db_path)],
                 ["records", "sessions", "--db", str(db_path)]):
        assert run(argv, today=TODAY) == 0
    out += capsys.readouterr().out
    return record_id, out


def test_no_patient_name_in_logs_exports_or_the_database_file(db_path, renderer, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    service = RecordsService.open(db_path, clock=FakeClock(), renderer=renderer)
    try:
        record_id, out = _full_flow(service, db_path, capsys)
        record = service.get(record_id)
    finally:
        service.close()
    assert record.patient_ref == "AH2020"
    assert record.notes == "[name] came with her mother."
    assert any(p.reason == "[name]'s mum already knows" for p in record.points)
    assert all(w.how == "told Mrs [name]" for w in record.warnings)
    assert renderer.calls[-1]["name"] == "Amira Haddad"  # printed at the counter, never stored
    assert caplog.records, "the records layer should log its actions (without patient data)"
    stored = b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.is_file())
    for part in NAME_PARTS:
        assert part not in caplog.text
        assert part.lower() not in out.lower()
        assert part.encode() not in stored


def test_full_names_are_kept_only_when_the_setting_allows(db_path, renderer, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    service = RecordsService.open(db_path, clock=FakeClock(), renderer=renderer,
                                  settings=RecordSettings(store_full_names=True))
    try:
        record_id, out = _full_flow(service, db_path, capsys)
        record = service.get(record_id)
    finally:
        service.close()
    assert record.case["patient"]["name"] == "Amira Haddad"
    assert record.notes == "Amira Haddad came with her mother."
    assert "Amira Haddad" in out  # the JSON export carries what was stored
    for part in NAME_PARTS:
        assert part not in caplog.text  # ...but logs never do
