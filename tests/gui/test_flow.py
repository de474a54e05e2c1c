"""The whole walkthrough, from an empty window to a saved PDF whose text matches the case."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from counsel.gui.main_window import MainWindow
from tests.gui.conftest import DialogLog, wait_for_preview

pytestmark = [pytest.mark.gui, pytest.mark.pdf]


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return text.replace("\xa0", " ")  # the leaflet keeps "10 mg" together with a no-break space


def fill_case(win: MainWindow) -> None:
    page = win.patient
    page.name.setText("Maria Lopez")
    page.age.setValue(45)
    page.sex.setCurrentIndex(page.sex.findData("female"))
    page.kidney.setCurrentIndex(page.kidney.findData("normal"))
    page.drives.setChecked(True)
    page.medicines.add("zopiclone")
    page.medicines.add("Ginkgo leaf tea")
    page.strength.setCurrentText("10 mg")
    page.dose.setValue(5)
    page.times.setValue(3)
    page.titration.setChecked(True)
    page.t_step.setValue(5)
    page.t_every.setValue(3)
    page.t_target.setValue(15)
    page.prescriber.setText("Dr A. Patel")


def test_empty_window_to_saved_pdf(started: MainWindow, qtbot, modal_log: DialogLog, tmp_path: Path) -> None:
    win = started
    assert win.step_states() == ["not started"] * 4
    assert win.patient.banner.isHidden()  # a blank new case is not an error storm

    fill_case(win)
    assert win.model.error is None, win.model.error
    assert win.step_states()[0] == "done"
    # Unrecognised medicine accepted and flagged; the recognised one shows its class.
    texts = [win.patient.medicines.list.item(i).text() for i in range(win.patient.medicines.list.count())]
    assert any("Ginkgo" in t and "not recognised" in t for t in texts)
    assert any(t.startswith("zopiclone") and "✓" in t for t in texts)

    win.next_step()
    assert win.current_step() == 1
    result = win.model.result
    assert result is not None
    assert set(win.checklist.cards) == {p.id for p in result.points}
    codes = {w.code for w in result.warnings if w.severity != "info"}  # information: no controls
    assert "UNRECOGNISED_MEDICINE" in codes
    assert set(win.checklist.ack_boxes) == codes
    assert win.step_states()[1] == "needs attention"
    for code in codes:
        win.checklist.acknowledge(code, "prescriber_aware")
    for card in win.checklist.cards.values():
        card.set_status("understood" if card.point.point.critical else "discussed")
    assert win.model.session.acknowledged == codes
    assert win.step_states()[1] == "done"

    win.next_step()
    table = win.schedule.table
    assert table.rowCount() == len(result.schedule) == 3
    assert table.item(0, 4).text() == "½ tablet of 10 mg"
    assert table.item(2, 7).text() == "45 mg"
    win.schedule.checked.setChecked(True)
    assert win.step_states()[2] == "done"

    win.next_step()
    wait_for_preview(win, qtbot)
    assert "Maria Lopez" in win.leaflet.page_text(0)
    target = tmp_path / "leaflet.pdf"
    modal_log.save_pdf_path = target
    with qtbot.waitSignal(win.leaflet_actions.saved, timeout=60000):
        win.actions_by_name["save_pdf"].trigger()
    assert "critical" not in modal_log.names()  # every critical point was covered
    text = pdf_text(target)
    assert "Maria Lopez" in text
    assert "Test Pharmacy" in text
    assert "Baclofen 10 mg tablets" in text
    assert "½ tablet" in text
    assert win.step_states() == ["done"] * 4
    assert win.model.session.leaflet_output == "saved"


def test_edits_refresh_the_preview(started: MainWindow, qtbot) -> None:
    from counsel import paths

    win = started
    assert win.open_case_file(paths.EXAMPLES_DIR / "standard-adult-start.json")
    wait_for_preview(win, qtbot)
    assert "Maria Lopez" in win.leaflet.page_text(0)
    win.patient.name.setText("Mary Lopez")
    wait_for_preview(win, qtbot)
    assert "Mary Lopez" in win.leaflet.page_text(0)


def test_failed_render_keeps_last_good_preview(started: MainWindow, qtbot, monkeypatch) -> None:
    from counsel import paths
    from counsel.gui import preview

    win = started
    assert win.open_case_file(paths.EXAMPLES_DIR / "standard-adult-start.json")
    wait_for_preview(win, qtbot)
    pages = win.leaflet.document.pageCount()

    def broken(*_args: object) -> bytes:
        raise RuntimeError("font cache is damaged")

    monkeypatch.setattr(preview, "render_pdf", broken)
    with qtbot.waitSignal(win.preview.failed, timeout=30000):
        win.patient.name.setText("Someone Else")
    assert "font cache is damaged" in win.leaflet.error.text()
    assert win.leaflet.document.pageCount() == pages
    assert "Maria Lopez" in win.leaflet.page_text(0)
    assert win.step_states()[3] == "needs attention"


def test_leaflet_options_reach_the_pdf(started: MainWindow, qtbot) -> None:
    from counsel import paths

    win = started
    assert win.open_case_file(paths.EXAMPLES_DIR / "standard-adult-start.json")
    win.go_to(3)
    wait_for_preview(win, qtbot)
    normal_pages = win.leaflet.document.pageCount()

    win.leaflet.paper.setCurrentIndex(win.leaflet.paper.findData("letter"))
    wait_for_preview(win, qtbot)
    size = win.leaflet.document.pagePointSize(0)
    assert (round(size.width()), round(size.height())) == (612, 792)

    win.leaflet.large_print.setChecked(True)  # the case's own large-print answer changes too
    assert win.patient.large_print.isChecked()
    assert win.model.session.case_data["patient"]["large_print"] is True
    wait_for_preview(win, qtbot)
    assert win.leaflet.document.pageCount() > normal_pages

    win.leaflet.region.setCurrentIndex(win.leaflet.region.findData("uk"))
    assert win.patient.region.currentData() == "uk"
    result = win.model.result
    assert result is not None and result.region.label == "UK SmPC"
    wait_for_preview(win, qtbot)


def test_asking_again_for_the_same_leaflet_during_its_render_makes_no_second_render(
        started: MainWindow, qtbot, monkeypatch) -> None:
    # Opening a case asks for a preview, and showing the leaflet step asks again for the very
    # same case and options while the first render is still running: one render answers both.
    # A real change made meanwhile still gets its own render.
    from counsel import paths
    from counsel.gui import preview

    made: list[str] = []
    real = preview.render_pdf

    def counting(result, options, today):  # type: ignore[no-untyped-def]
        made.append(result.case.patient.name)
        return real(result, options, today)

    monkeypatch.setattr(preview, "render_pdf", counting)
    win = started
    assert win.open_case_file(paths.EXAMPLES_DIR / "standard-adult-start.json")
    assert win.preview.busy()
    win.go_to(3)
    win.refresh_preview(now=True)
    win.refresh_preview(now=True)
    wait_for_preview(win, qtbot)
    qtbot.waitUntil(lambda: not win.preview.busy(), timeout=30000)
    assert made == ["Maria Lopez"]

    win.patient.name.setText("Mary Lopez")
    win.refresh_preview(now=True)
    wait_for_preview(win, qtbot)
    qtbot.waitUntil(lambda: not win.preview.busy(), timeout=30000)
    assert made[-1] == "Mary Lopez" and "Mary Lopez" in win.leaflet.page_text(0)
