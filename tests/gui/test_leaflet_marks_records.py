"""A leaflet given from the GUI with a point marked "not relevant": the record keeps the omit set,
and a reprint from the records is the same leaflet (the point still left out)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from counsel.gui.main_window import MainWindow
from counsel.services.records import RecordsService
from tests.gui.conftest import DialogLog, wait_for_preview
from tests.gui.test_records_wiring import KIDNEY, db, reader, resume_answers, with_records

pytestmark = [pytest.mark.gui, pytest.mark.pdf]
__all__ = ["db", "reader", "resume_answers"]  # the records fixtures, used here too

STORAGE = "Keep your tablets at room temperature"


def _text(pdf: bytes) -> str:
    return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_record_keeps_the_omit_set_and_the_reprint_matches(
        started: MainWindow, qtbot, reader: RecordsService, modal_log: DialogLog,
        tmp_path: Path) -> None:
    window = with_records(started)
    assert window.open_case_file(KIDNEY)
    window.go_to(1)
    for card in window.checklist.cards.values():
        card.set_status("discussed")
    window.checklist.cards["storage_tablet"].set_status("not_discussed", "not relevant")
    window.checklist.cards["onset"].set_status("not_discussed", "ran out of time")
    for code in window.checklist.ack_boxes:
        window.checklist.acknowledge(code, "not_needed")
    window.go_to(3)
    wait_for_preview(window, qtbot)
    target = tmp_path / "leaflet.pdf"
    modal_log.save_pdf_path = target
    with qtbot.waitSignal(window.records.finished, timeout=30000) as finished:
        window.leaflet.save_button.click()
    record_id = finished.args[0]
    given = target.read_bytes()
    assert STORAGE not in _text(given) and "Each dose starts to work" in _text(given)

    record = reader.get(record_id)
    assert record.leaflet is not None
    assert record.leaflet.omit == ("storage_tablet",)
    assert record.leaflet.sha256 == hashlib.sha256(given).hexdigest()
    reprint = reader.reprint(record_id, by="JK", patient_name="George Whitfield")
    assert reprint.identical is True and reprint.pdf == given
    assert STORAGE not in _text(reprint.pdf)
