"""The history window (offscreen): find a record by reference, open it read-only, reprint its leaflet."""

from __future__ import annotations

import importlib.util

import pytest

from counsel.gui.records import (
    ConfirmCurrentContent,
    HistoryWindow,
    ResumeDialog,
    SavePdf,
    ask_resume,
    open_history_window,
)
from counsel.services.records import RecordsService, leaflet_given
from tests.conftest import load_example
from tests.records.conftest import START, FakeClock, FakeRenderer, counsel_and_finish

pytestmark = pytest.mark.gui

HAVE_LEAFLET = importlib.util.find_spec("counsel.services.leaflet") is not None


def _record_with_leaflet(service: RecordsService, case: dict, pdf_for) -> int:  # type: ignore[type-arg,no-untyped-def]
    sid = service.start_session(case, pharmacist="SB")
    result = service.counselling_for(case, today=START.date())
    for w in result.warnings:
        service.acknowledge(sid, w.code, "checked with prescriber")
    service.mark_point(sid, result.points[0].id, "understood")
    pdf = pdf_for(result)
    service.save_leaflet(sid, leaflet_given(result, pdf, paper="a4", large_print=None,
                                            rendered_on=START.date()))
    return service.finish_session(sid)


@pytest.fixture
def real_service(db_path):  # type: ignore[no-untyped-def]
    """The real leaflet renderer when the leaflet service is there; a fake one otherwise."""
    svc = RecordsService.open(db_path, clock=FakeClock(),
                              renderer=None if HAVE_LEAFLET else FakeRenderer())
    yield svc
    svc.close()


def _pdf_for(service: RecordsService):  # type: ignore[no-untyped-def]
    def make(result):  # type: ignore[no-untyped-def]
        return service._render(result, paper="a4", large_print=None, today=START.date())
    return make


def test_find_by_reference_open_read_only_and_reprint(qtbot, real_service, kidney_case, tmp_path,
                                                      monkeypatch):
    service = real_service
    counsel_and_finish(service, load_example("driver-who-drinks.json") | {"patient": {
        **load_example("driver-who-drinks.json")["patient"], "reference": "DB1992"}})
    record_id = _record_with_leaflet(service, kidney_case, _pdf_for(service))
    window = HistoryWindow(service, user="JK")
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 2

    window.patient_edit.setText("gw19")
    with qtbot.waitSignal(window.searched) as found:
        window.search_button.click()
    assert found.args == [1]
    assert window.model.summary(0).patient_ref == "GW1948"

    with qtbot.waitSignal(window.record_opened) as opened:
        window.table.selectRow(0)
    assert opened.args == [record_id]
    text = window.detail.toPlainText()
    for expected in ("GW1948", "KIDNEY_SEVERE", "checked with prescriber", "Audit trail",
                     "understood", "not marked", "Leaflet SHA-256", "viewed"):
        assert expected in text
    assert window.detail.isReadOnly()

    # Names are not stored, so the pharmacist types it at the counter to print it again.
    window.name_edit.setText("George Whitfield")
    with qtbot.waitSignal(window.reprinted, timeout=60000) as done:
        window.reprint_button.click()
    reprint = done.args[0]
    assert reprint.record_id == record_id and reprint.pdf.startswith(b"%PDF")
    assert reprint.identical is True  # same case, name, content version and date
    assert "identical" in window.status.text()
    assert [a.action for a in service.audit(record_id)][-2:] == ["reprinted", "viewed"]
    assert "reprinted" in window.detail.toPlainText()

    target = tmp_path / "reprint.pdf"
    monkeypatch.setattr(SavePdf, "ask", classmethod(lambda cls, parent, suggested: target))
    window.save_button.click()
    assert target.read_bytes() == reprint.pdf


def test_reprint_asks_before_using_changed_content(qtbot, service, kidney_case, renderer,
                                                   monkeypatch):
    import dataclasses

    record_id = _record_with_leaflet(service, kidney_case, lambda r: b"%PDF-old")
    catalog = service.catalog
    mono = catalog.monographs["baclofen"]
    service._catalog = dataclasses.replace(catalog, monographs={
        **catalog.monographs, "baclofen": mono.model_copy(update={"content_version": "9.9.9"})})
    window = HistoryWindow(service, user="SB")
    qtbot.addWidget(window)
    window.open_record(record_id)
    asked: list[str] = []
    monkeypatch.setattr(ConfirmCurrentContent, "ask",
                        classmethod(lambda cls, parent, message: asked.append(message) or False))
    window.reprint_button.click()
    assert "9.9.9" in asked[0] and window.status.text() == "Reprint cancelled."
    assert renderer.calls == []
    monkeypatch.setattr(ConfirmCurrentContent, "ask", classmethod(lambda cls, parent, message: True))
    with qtbot.waitSignal(window.reprinted, timeout=30000) as done:
        window.reprint_button.click()
    assert done.args[0].content_changed and "current content (9.9.9)" in window.status.text()


def test_search_by_drug_pharmacist_and_dates(qtbot, service, kidney_case):
    counsel_and_finish(service, kidney_case, pharmacist="AB")
    counsel_and_finish(service, kidney_case, pharmacist="CD")
    window = open_history_window(None, service, user="SB")
    qtbot.addWidget(window)
    assert isinstance(window, HistoryWindow) and window.isVisible()
    window.pharmacist_edit.setText("cd")
    window.search()
    assert [window.model.summary(i).pharmacist for i in range(window.model.rowCount())] == ["CD"]
    window.pharmacist_edit.clear()
    window.drug_edit.setText("baclofen")
    window.use_dates.setChecked(True)
    from PySide6.QtCore import QDate

    window.from_edit.setDate(QDate(2026, 11, 24))
    window.to_edit.setDate(QDate(2026, 11, 30))
    window.search()
    assert window.model.rowCount() == 0
    window.from_edit.setDate(QDate(2026, 11, 23))
    window.search()
    assert window.model.rowCount() == 2


def test_table_model(qtmodeltester, service, kidney_case):
    counsel_and_finish(service, kidney_case)
    window = HistoryWindow(service)
    qtmodeltester.check(window.model)
    window.close()


def test_resume_prompt(qtbot, service, kidney_case, monkeypatch):
    assert ask_resume(None, service) is None  # nothing to resume: no dialog
    sid = service.start_session(kidney_case, pharmacist="SB")
    service.mark_point(sid, "your_doses", "understood")
    dialog = ResumeDialog(service.unfinished_sessions())
    qtbot.addWidget(dialog)
    assert "GW1948" in dialog.list.item(0).text() and "Whitfield" not in dialog.list.item(0).text()
    dialog.resume_button.click()
    assert dialog.choice == ("resume", sid)
    monkeypatch.setattr(ResumeDialog, "ask", classmethod(lambda cls, parent, s: ("resume", s[0].id)))
    state = ask_resume(None, service, user="SB")
    assert state is not None and state.marks["your_doses"].status == "understood"
    monkeypatch.setattr(ResumeDialog, "ask", classmethod(lambda cls, parent, s: ("discard", s[0].id)))
    assert ask_resume(None, service, user="SB") is None
    assert service.unfinished_sessions() == []
