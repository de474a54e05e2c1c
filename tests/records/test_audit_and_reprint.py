"""Append-only records: corrections keep the original; prints, reprints and exports are audited."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from counsel.core.content import default_catalog
from counsel.records.errors import RecordsError, TrainingRefusedError
from counsel.records.models import RecordQuery
from counsel.services.records import RecordsService, leaflet_given, record_headless_render
from tests.records.conftest import START, FakeClock, counsel_and_finish

ALL = RecordQuery(include_superseded=True)


@pytest.mark.parametrize("sql", [
    "UPDATE records SET patient_ref = 'XX'",
    "UPDATE records SET body_json = '{}'",
    "DELETE FROM records",
    "UPDATE audit SET actor = 'XX'",
    "DELETE FROM audit",
])
def test_records_and_audit_are_append_only_in_the_database(db_path, service, kidney_case, sql):
    counsel_and_finish(service, kidney_case)
    before = [r.to_dict() for r in service.repo.records(ALL)]
    with sqlite3.connect(db_path) as raw, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(sql)
    raw.close()
    assert [r.to_dict() for r in service.repo.records(ALL)] == before
    assert len(service.audit()) == 1


def test_a_correction_is_a_new_version_that_keeps_the_original(service, kidney_case):
    _, original_id = counsel_and_finish(service, kidney_case)
    original = service.get(original_id)
    new_id = service.correct(original_id, by="JK", why="wrong follow-up date entered",
                             changes={"follow_up_date": "2026-12-07", "notes": "Phone on Monday.",
                                      "points": {"driving": {"status": "understood"}}})
    corrected = service.get(new_id)
    assert service.get(original_id) == original  # untouched
    assert (corrected.version, corrected.supersedes) == (2, original_id)
    assert corrected.correction is not None
    assert (corrected.correction.by, corrected.correction.why) == ("JK", "wrong follow-up date entered")
    assert str(corrected.follow_up_date) == "2026-12-07" and corrected.notes == "Phone on Monday."
    assert next(p for p in corrected.points if p.id == "driving").status == "understood"
    # Everything not corrected is carried over unchanged.
    same = dataclasses.replace(corrected, id=original.id, version=1, supersedes=None, correction=None,
                               follow_up_date=original.follow_up_date, notes=original.notes,
                               points=original.points)
    assert same == original
    # History shows the latest version; the versions and audit show both.
    assert [s.id for s in service.find()] == [new_id]
    assert [v.id for v in service.versions(original_id)] == [original_id, new_id]
    assert [(a.action, a.actor) for a in service.audit(original_id)] == \
        [("finished", "SB"), ("corrected", "JK")]
    with pytest.raises(RecordsError, match="already corrected"):
        service.correct(original_id, by="JK", why="again", changes={"notes": "x"})
    third = service.correct(new_id, by="SB", why="second fix", changes={"notes": "Phone Tuesday."})
    assert service.get(third).version == 3


@pytest.mark.parametrize(("changes", "message"), [
    ({"drug": "other"}, "drug: cannot be corrected"),
    ({"points": {"nope": {"status": "discussed"}}}, "points.nope: not a point"),
    ({"points": {"driving": {"status": "not_discussed"}}}, "points.driving.reason: required"),
    ({"follow_up_date": "next week"}, "follow_up_date: 'next week' is not a date"),
    ({"warnings": {"NOPE": "x"}}, "warnings.NOPE: not a warning"),
])
def test_bad_corrections_are_one_line_errors(service, kidney_case, changes, message):
    _, record_id = counsel_and_finish(service, kidney_case)
    with pytest.raises(RecordsError, match=message):
        service.correct(record_id, by="JK", why="test", changes=changes)
    with pytest.raises(RecordsError, match="why are both required"):
        service.correct(record_id, by="JK", why=" ", changes={"notes": "x"})
    assert len(service.versions(record_id)) == 1


def _with_leaflet(service, case, renderer):
    sid = service.start_session(case, pharmacist="SB")
    result = service.counselling_for(case, today=START.date())
    pdf = renderer(result, paper="a4", large_print=True, today=START.date())
    service.save_leaflet(sid, leaflet_given(result, pdf, paper="a4", large_print=True,
                                            rendered_on=START.date()))
    record_id = service.finish_session(sid)
    service.log_print(record_id, by="SB", detail="printed at the counter")
    return record_id


def test_reprint_regenerates_the_same_leaflet_and_is_audited(named_service, kidney_case, renderer):
    record_id = _with_leaflet(named_service, kidney_case, renderer)
    record = named_service.get(record_id)
    assert record.leaflet is not None and record.leaflet.large_print and record.leaflet.paper == "a4"
    check = named_service.check_reprint(record_id)
    assert not check.content_changed
    reprint = named_service.reprint(record_id, by="JK")
    assert reprint.identical is True and reprint.sha256 == record.leaflet.sha256
    assert renderer.calls[-1]["today"] == START.date()
    assert [a.action for a in named_service.audit(record_id)] == ["finished", "printed", "reprinted"]
    assert "identical" in named_service.audit(record_id)[-1].detail


def test_reprint_says_when_the_content_has_changed(db_path, kidney_case, renderer):
    catalog = default_catalog()
    service = RecordsService.open(db_path, clock=FakeClock(), renderer=renderer, catalog=catalog)
    try:
        record_id = _with_leaflet(service, kidney_case, renderer)
        mono = catalog.monographs["baclofen"]
        newer = dataclasses.replace(catalog, monographs={
            **catalog.monographs, "baclofen": mono.model_copy(update={"content_version": "9.9.9"})})
        service._catalog = newer  # the app was updated with new content since the record
        check = service.check_reprint(record_id)
        assert check.content_changed and "9.9.9" in check.message
        with pytest.raises(RecordsError, match="Reprint with the current version"):
            service.reprint(record_id, by="SB")
        reprint = service.reprint(record_id, by="SB", accept_current=True)
        assert reprint.content_changed and reprint.content_version == "9.9.9"
        assert reprint.identical is False and "current content" in reprint.message
    finally:
        service.close()


def test_reprint_without_stored_names_can_take_the_name_at_the_counter(service, kidney_case, renderer):
    record_id = _with_leaflet(service, kidney_case, renderer)
    assert "name" not in service.get(record_id).case["patient"]
    anonymous = service.reprint(record_id, by="SB")
    assert anonymous.identical is False and renderer.calls[-1]["name"] is None
    named = service.reprint(record_id, by="SB", patient_name="George Whitfield")
    assert named.identical is True
    assert "George" not in " ".join(a.detail for a in service.audit())


def test_headless_render_is_recorded(db_path, kidney_case, renderer):
    from counsel.core.case import parse_case
    from counsel.core.rules import counsel_case

    result = counsel_case(parse_case(kidney_case, today=START.date()), default_catalog())
    options = type("Options", (), {"paper": "letter", "large_print": None, "training": False})()
    record_id = record_headless_render(result, b"%PDF-1.7 test", options, now=START,
                                      db_path=db_path, acknowledged={"KIDNEY_SEVERE"})
    service = RecordsService.open(db_path, clock=FakeClock())
    try:
        record = service.get(record_id)
        assert record.leaflet is not None and record.leaflet.paper == "letter"
        assert record.leaflet.large_print is True  # from the case's patient.large_print
        # Only the acknowledged code is marked so; every other warning is kept as not acknowledged.
        assert {w.code: w.acknowledged for w in record.warnings} == \
            {w.code: w.code == "KIDNEY_SEVERE" for w in result.warnings}
        assert {"KIDNEY_SEVERE", "KIDNEY_DAILY_TOTAL_ABOVE_STATEMENT", "OLDER_ADULT_KIDNEY_BEERS",
                "INTERACTION_ANTIHYPERTENSIVE"} <= {w.code for w in record.warnings}
        assert [a.action for a in service.audit(record_id)] == ["finished", "printed"]
    finally:
        service.close()
    training = type("Options", (), {"paper": "a4", "large_print": None, "training": True})()
    with pytest.raises(TrainingRefusedError):
        record_headless_render(result, b"%PDF", training, now=START, db_path=db_path)


@pytest.mark.pdf
def test_reprint_with_the_real_leaflet_is_byte_identical(named_service, kidney_case):
    leaflet = pytest.importorskip("counsel.services.leaflet",
                                  reason="the leaflet service has not landed yet")
    service = RecordsService(named_service.repo, clock=named_service.clock,
                             settings=named_service.settings)  # the real renderer
    result = service.counselling_for(kidney_case, today=START.date())
    pdf = leaflet.render_leaflet_pdf(result, leaflet.LeafletOptions(paper="a4"), today=START.date())
    assert pdf.startswith(b"%PDF")
    sid = service.start_session(kidney_case, pharmacist="SB")
    service.save_leaflet(sid, leaflet_given(result, pdf, paper="a4", large_print=None,
                                            rendered_on=START.date()))
    record_id = service.finish_session(sid)
    reprint = service.reprint(record_id, by="SB")
    assert reprint.identical is True and reprint.pdf == pdf
