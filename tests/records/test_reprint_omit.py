"""A reprint leaves out the same points as the first print (marked "not relevant"), so it is the
same leaflet: the omit set is kept in the record's leaflet entry, which the hash chain covers."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from counsel.records.models import LeafletGiven
from counsel.services.leaflet import LeafletOptions, render_leaflet_pdf
from counsel.services.records import RecordSettings, RecordsService, leaflet_given
from counsel.services.session import CounsellingSession, leaflet_omit
from tests.records.conftest import START, FakeClock

pytestmark = pytest.mark.pdf

STORAGE = "Keep your tablets at room temperature"  # storage_tablet: not critical


def _text(pdf: bytes) -> str:
    return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def _print_and_finish(service: RecordsService, case: dict[str, Any],
                      marks: dict[str, tuple[str, str]]) -> tuple[int, bytes]:
    """As the GUI does: marks in the session, the omit set from them, render, record, finish."""
    sid = service.start_session(case, pharmacist="SB")
    session = CounsellingSession(case_data=case)
    for point_id, (status, reason) in marks.items():
        service.mark_point(sid, point_id, status, reason)  # type: ignore[arg-type]
        session.mark(point_id, status, reason)  # type: ignore[arg-type]
    result = service.counselling_for(case, today=START.date())
    omit = leaflet_omit(session.marks, result)
    pdf = render_leaflet_pdf(result, LeafletOptions(omit=omit), today=START.date())
    service.save_leaflet(sid, leaflet_given(result, pdf, paper="a4", large_print=None,
                                            rendered_on=START.date(), omit=omit))
    return service.finish_session(sid), pdf


def test_reprint_leaves_out_the_same_points_and_is_identical(
        db_path: Path, kidney_case: dict[str, Any]) -> None:
    # The real leaflet renderer; names kept, so the reprint can be byte-identical.
    service = RecordsService.open(db_path, clock=FakeClock(),
                                  settings=RecordSettings(store_full_names=True))
    try:
        marks = {"storage_tablet": ("not_discussed", "Not relevant"),
                 "kidney": ("not_discussed", "not relevant"),  # critical: stays on
                 "onset": ("not_discussed", "no time")}  # another reason: stays on
        record_id, first = _print_and_finish(service, kidney_case, marks)
        record = service.get(record_id)
        assert record.leaflet is not None and record.leaflet.omit == ("storage_tablet",)
        assert STORAGE not in _text(first)

        reprint = service.reprint(record_id, by="JK")
        assert reprint.identical is True and reprint.pdf == first
        assert STORAGE not in _text(reprint.pdf)
        assert "Each dose starts to work" in _text(reprint.pdf)
        assert service.verify().ok

        # Absence: a record printed with nothing left out reprints everything, identically.
        plain_id, plain = _print_and_finish(service, kidney_case, {})
        plain_record = service.get(plain_id)
        assert plain_record.leaflet is not None and plain_record.leaflet.omit == ()
        again = service.reprint(plain_id, by="JK")
        assert again.identical is True and again.pdf == plain and STORAGE in _text(again.pdf)
    finally:
        service.close()

    # Stored inside the record's body JSON (the hash chain covers it); only when non-empty.
    with sqlite3.connect(db_path) as raw:
        bodies = [json.loads(b) for (b,) in raw.execute("SELECT body_json FROM records ORDER BY id")]
    raw.close()
    assert bodies[0]["leaflet"]["omit"] == ["storage_tablet"]
    assert "omit" not in bodies[1]["leaflet"]


def test_leaflet_entry_round_trips_the_omit_set() -> None:
    entry = LeafletGiven(content_version="1", language="en", paper="a4", large_print=False,
                         sha256="0" * 64, rendered_on=START.date(), omit=("b", "a"))
    assert entry.to_dict()["omit"] == ["a", "b"]
    assert LeafletGiven.from_dict(entry.to_dict()).omit == ("a", "b")
    old = {k: v for k, v in entry.to_dict().items() if k != "omit"}  # a record from before
    assert LeafletGiven.from_dict(old).omit == ()
