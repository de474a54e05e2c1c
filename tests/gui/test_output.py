"""Step 4 output: the critical-point confirm, the no-printer path, lp printing (faked), print to file."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from counsel import paths
from counsel.gui import printing
from counsel.gui.main_window import MainWindow
from tests.gui.conftest import DialogLog, wait_for_preview

pytestmark = [pytest.mark.gui, pytest.mark.pdf]
EXAMPLE = paths.EXAMPLES_DIR / "opioid-and-sleeping-tablet.json"


@pytest.fixture
def opened(started: MainWindow, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    assert started.open_case_file(EXAMPLE)
    for code in started.checklist.ack_boxes:  # the print gate: every warning acknowledged
        started.checklist.acknowledge(code, "prescriber_aware")
    started.go_to(3)
    wait_for_preview(started, qtbot)
    return started


def test_critical_points_need_a_deliberate_confirm(opened: MainWindow, modal_log: DialogLog,
                                                   tmp_path: Path, qtbot) -> None:
    result = opened.model.result
    assert result is not None
    critical = [p.point.title for p in result.points if p.point.critical]
    assert critical
    modal_log.save_pdf_path = tmp_path / "x.pdf"
    modal_log.confirm_critical = False
    opened.leaflet.save_button.click()
    (name, args), = modal_log.calls
    assert name == "critical"
    assert args[1] == critical and args[2] == "Save"
    assert opened.current_step() == 1  # sent back to the checklist
    assert not (tmp_path / "x.pdf").exists()

    # Cover all but one critical point: only that one is listed; confirming goes on to save.
    first, *rest = [p for p in result.points if p.point.critical]
    for point in rest:
        opened.checklist.cards[point.id].set_status("discussed")
    opened.checklist.cards[first.id].set_status("not_discussed", "patient had to leave")
    modal_log.calls.clear()
    modal_log.confirm_critical = True
    with qtbot.waitSignal(opened.leaflet_actions.saved, timeout=30000):
        opened.leaflet_actions.save_pdf()
    assert modal_log.calls[0][1][1] == [first.point.title]
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")
    assert opened.model.session.mark_of(first.id).reason == "patient had to leave"


def cover_everything(win: MainWindow) -> None:
    for card in win.checklist.cards.values():
        card.set_status("discussed")


def test_no_printer_says_so_and_offers_save(opened: MainWindow, modal_log: DialogLog, monkeypatch,
                                            tmp_path: Path, qtbot) -> None:
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    opened.show_printers()
    assert "No printer is installed" in opened.leaflet.printer_label.text()
    cover_everything(opened)
    modal_log.save_instead = False
    opened.actions_by_name["print"].trigger()
    assert modal_log.names() == ["no_printer"]
    assert "No printer" in opened.statusBar().currentMessage()

    modal_log.calls.clear()
    modal_log.save_instead = True
    modal_log.save_pdf_path = tmp_path / "instead.pdf"
    with qtbot.waitSignal(opened.leaflet_actions.saved, timeout=30000):
        opened.actions_by_name["print"].trigger()
    assert modal_log.names() == ["no_printer", "save_pdf"]
    pages = PdfReader(tmp_path / "instead.pdf").pages
    text = "".join(p.extract_text() or "" for p in pages).replace("\xa0", " ")
    assert "Riverside Pharmacy: 020 7946 0123" in text


def fake_lp(tmp_path: Path) -> tuple[str, Path]:
    """An `lp` stand-in that records its arguments and copies the spooled file."""
    log = tmp_path / "lp-args.txt"
    script = tmp_path / "lp"
    script.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys\n"
        f"open({str(log)!r}, 'w').write('\\n'.join(sys.argv[1:]))\n"
        f"shutil.copy(sys.argv[-1], {str(tmp_path / 'spooled.pdf')!r})\n"
        "print('request id is FakeQueue-7 (1 file(s))')\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), log


def test_print_sends_the_pdf_with_lp(opened: MainWindow, modal_log: DialogLog, monkeypatch,
                                     tmp_path: Path, qtbot) -> None:
    lp, log = fake_lp(tmp_path)
    monkeypatch.setattr(printing, "available_printers", lambda: ["FakeQueue"])
    monkeypatch.setattr(printing, "default_printer", lambda: "FakeQueue")
    monkeypatch.setattr(printing, "lp_path", lambda: lp)
    cover_everything(opened)
    modal_log.print_ok = True
    with qtbot.waitSignal(opened.leaflet_actions.printed, timeout=30000) as blocker:
        opened.actions_by_name["print"].trigger()
    assert blocker.args == ["request id is FakeQueue-7 (1 file(s))"]
    args = log.read_text(encoding="utf-8").splitlines()
    # No patient data in the job title; the PDF's own paper size is asked for.
    assert args[:8] == ["-d", "FakeQueue", "-n", "1", "-t", "Counsel leaflet", "-o", "media=A4"]
    assert (tmp_path / "spooled.pdf").read_bytes() == opened.preview.pdf
    assert not Path(args[-1]).exists()  # the temporary copy is removed
    assert opened.step_states()[3] == "done"
    assert "FakeQueue" in opened.statusBar().currentMessage()


def test_print_failure_is_one_line(opened: MainWindow, modal_log: DialogLog, monkeypatch,
                                   tmp_path: Path, qtbot) -> None:
    script = tmp_path / "lp"
    script.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setattr(printing, "available_printers", lambda: ["Gone"])
    monkeypatch.setattr(printing, "lp_path", lambda: str(script))
    cover_everything(opened)
    modal_log.print_ok = True
    with qtbot.waitSignal(opened.leaflet_actions.failed, timeout=30000) as blocker:
        opened.actions_by_name["print"].trigger()
    assert blocker.args[0].endswith("lp: The printer or class does not exist.")
    assert opened.model.session.leaflet_output == ""


def test_print_cancelled_does_nothing(opened: MainWindow, modal_log: DialogLog, monkeypatch) -> None:
    monkeypatch.setattr(printing, "available_printers", lambda: ["FakeQueue"])
    monkeypatch.setattr(printing, "lp_path", lambda: pytest.fail("lp must not run"))
    cover_everything(opened)
    modal_log.print_ok = False
    opened.actions_by_name["print"].trigger()
    assert modal_log.names() == ["print"]
    assert opened.model.session.leaflet_output == ""


def test_qt_fallback_paints_every_page(opened: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "painted.pdf"))
    pages = printing.paint_pdf(opened.preview.pdf, printer, dpi=72)
    assert pages == opened.leaflet.document.pageCount() >= 2
    assert len(PdfReader(tmp_path / "painted.pdf").pages) == pages


def test_confirm_dialog_needs_the_tick_and_defaults_to_going_back(qtbot) -> None:
    from PySide6.QtCore import Qt

    from counsel.gui.dialogs import CriticalConfirmDialog

    dialog = CriticalConfirmDialog(["Never stop suddenly"], "Print")
    qtbot.addWidget(dialog)
    assert not dialog.go_on.isEnabled()
    assert not dialog.go_on.isDefault()
    dialog.confirm.setChecked(True)
    assert dialog.go_on.isEnabled()
    following = dialog.confirm.nextInFocusChain()
    while not following.focusPolicy() & Qt.FocusPolicy.TabFocus:
        following = following.nextInFocusChain()
    assert following is dialog.go_on  # tick, Tab, Enter
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.go_on.click()
