"""One error path: a case that cannot be opened or worked out never leaves one patient's leaflet
under another patient's name. The form, the result, the preview and the title stay together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from counsel import paths
from counsel.gui import session_model
from counsel.gui.main_window import MainWindow
from tests.gui.conftest import DialogLog, wait_for_preview

pytestmark = [pytest.mark.gui, pytest.mark.pdf]

MARIA = paths.EXAMPLES_DIR / "standard-adult-start.json"  # Maria Lopez, with a titration
DANIEL = paths.EXAMPLES_DIR / "driver-who-drinks.json"  # Daniel Brooks


def pdf_text(data: bytes | Path) -> str:
    import io

    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    return "\n".join(p.extract_text() or "" for p in PdfReader(stream).pages).replace("\xa0", " ")


def _maria(**prescription: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MARIA.read_text(encoding="utf-8"))
    data["patient"]["name"] = "Otto Nobody"
    data["prescription"].update(prescription)
    return data


def malformed(folder: Path) -> dict[str, Path]:
    """One file per class of bad input File › Open may meet."""
    files: dict[str, Path] = {}

    def put(name: str, text: str) -> None:
        files[name] = folder / f"{name}.json"
        files[name].write_text(text, encoding="utf-8")

    put("calendar_overflow", json.dumps(_maria(start_date="9999-12-31")))
    put("invalid_json", '{"region": "us", "patient": {"name": "Otto Nobody"')
    wrong = _maria()
    wrong["patient"]["age"] = "forty"
    put("wrong_type", json.dumps(wrong))
    boolean = _maria()
    boolean["prescription"]["dose_mg"] = True
    put("boolean_as_number", json.dumps(boolean))
    put("deeply_nested", "[" * 5000 + "]" * 5000)
    put("huge_int", json.dumps(_maria()).replace('"dose_mg": 5', '"dose_mg": ' + "9" * 4300))
    put("not_an_object", "[1, 2, 3]")
    put("empty", "")
    files["binary"] = folder / "binary.json"
    files["binary"].write_bytes(b"\xff\xfe\x00garbage\x00")
    loop_a, loop_b = folder / "loop-a.json", folder / "loop-b.json"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    files["symlink_loop"] = loop_a
    files["missing"] = folder / "gone.json"
    files["directory"] = folder / "a-folder.json"
    files["directory"].mkdir()
    return files


def ready_to_release(win: MainWindow) -> None:
    """Everything the print gate asks for: warnings acknowledged, points covered, calendar checked."""
    result = win.model.result
    assert result is not None
    for warning in result.warnings:
        win.model.acknowledge(warning.code, True)
    for point in result.points:
        win.model.mark(point.id, "discussed")
    win.model.set_schedule_checked(True)


def assert_whole(win: MainWindow, path: Path, name: str) -> None:
    """Form, result, preview and title all belong to the case in `path`."""
    assert win.case_path == path
    assert win.windowTitle().startswith(f"Counsel — {path.name}")
    assert win.patient.name.text() == name
    result = win.model.result
    assert result is not None and result.case.patient.name == name
    assert win.preview.matches(result, win.preview_options())
    assert name in pdf_text(win.preview.pdf)


@pytest.fixture
def maria(started: MainWindow, qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    assert started.open_case_file(MARIA)
    started.go_to(3)
    wait_for_preview(started, qtbot)
    return started


def test_every_malformed_file_leaves_the_case_on_screen_whole(
        maria: MainWindow, modal_log: DialogLog, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    files = malformed(tmp_path)
    for kind, path in files.items():
        modal_log.calls.clear()
        assert maria.open_case_file(path) is False, kind
        (name, args), = modal_log.calls
        assert name == "warn", kind
        reason = args[2].splitlines()[0]
        assert path.name in reason and len(reason) < 240, (kind, reason)
        assert "Traceback" not in args[2]
        assert "Not opened" in maria.statusBar().currentMessage()
        assert_whole(maria, MARIA, "Maria Lopez")

    # Save PDF after all that: Maria's leaflet, under Maria's case.
    ready_to_release(maria)
    target = tmp_path / "out.pdf"
    modal_log.save_pdf_path = target
    with qtbot.waitSignal(maria.leaflet_actions.saved, timeout=60000):
        maria.leaflet_actions.save_pdf()
    text = pdf_text(target)
    assert "Maria Lopez" in text and "Otto Nobody" not in text


def test_a_case_the_rules_cannot_work_out_shows_no_leaflet_and_cannot_be_saved(
        maria: MainWindow, modal_log: DialogLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        qtbot) -> None:  # type: ignore[no-untyped-def]
    """Editing into a failure the core did not foresee (here: an overflow) is one handled error."""
    real = session_model.counsel

    def fragile(case, **kwargs):  # type: ignore[no-untyped-def]
        if case.patient.name == "Otto Nobody":
            raise OverflowError("date value out of range")
        return real(case, **kwargs)

    monkeypatch.setattr(session_model, "counsel", fragile)
    maria.go_to(0)
    maria.patient.name.setText("Otto Nobody")
    assert maria.model.result is None
    assert maria.model.error is not None and "calendar" in maria.model.error.problem
    assert not maria.patient.banner.isHidden()
    assert not maria.leaflet.save_button.isEnabled() and not maria.leaflet.print_button.isEnabled()
    target = tmp_path / "never.pdf"
    modal_log.save_pdf_path = target
    modal_log.calls.clear()
    maria.leaflet_actions.save_pdf()
    assert modal_log.names() == ["warn"]
    qtbot.wait(200)
    assert not target.exists()
    # The preview of the last good version is Maria's, and the form is still Maria's case.
    assert maria.case_path == MARIA
    # Back to a case the rules can work out: result and preview follow.
    maria.patient.name.setText("Maria Lopez")
    wait_for_preview(maria, qtbot)
    assert_whole(maria, MARIA, "Maria Lopez")


def test_a_render_in_flight_is_never_saved_or_shown_under_the_next_patient(
        started: MainWindow, modal_log: DialogLog, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    win = started
    assert win.open_case_file(MARIA)
    ready_to_release(win)
    shown: list[bytes] = []
    win.preview.rendered.connect(lambda pdf, _rev: shown.append(pdf))
    target = tmp_path / "maria.pdf"
    modal_log.save_pdf_path = target
    modal_log.confirm_critical = True
    win.leaflet_actions.save_pdf()  # no current preview yet: a render of Maria's leaflet starts
    assert win.open_case_file(DANIEL)  # ... and the next patient is opened before it finishes
    opened_at = len(shown)
    win.go_to(3)
    wait_for_preview(win, qtbot)
    qtbot.waitUntil(lambda: win.worker.pending() == 0, timeout=60000)
    qtbot.wait(300)
    assert not target.exists()  # Maria's leaflet was not written once Daniel was on screen
    assert any("case changed" in str(args) for name, args in modal_log.calls if name == "warn")
    for pdf in shown[opened_at:]:
        assert "Maria Lopez" not in pdf_text(pdf)
    assert_whole(win, DANIEL, "Daniel Brooks")


def test_a_print_finishing_after_the_next_patient_is_opened_is_not_recorded_under_them(
        maria: MainWindow, modal_log: DialogLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        qtbot) -> None:  # type: ignore[no-untyped-def]
    from counsel.gui import printing
    from tests.gui.test_output import fake_lp

    lp, lp_log = fake_lp(tmp_path)
    monkeypatch.setattr(printing, "available_printers", lambda: ["FakeQueue"])
    monkeypatch.setattr(printing, "default_printer", lambda: "FakeQueue")
    monkeypatch.setattr(printing, "lp_path", lambda: lp)
    ready_to_release(maria)
    modal_log.print_ok = True
    handed: list[str] = []
    maria.leaflet_actions.handed_over.connect(lambda _pdf, how: handed.append(how))
    maria.actions_by_name["print"].trigger()  # lp runs in the worker...
    assert maria.open_case_file(DANIEL)  # ... while the next patient is opened
    qtbot.waitUntil(lambda: any("changed meanwhile" in str(a) for n, a in modal_log.calls if n == "warn"),
                    timeout=30000)
    assert lp_log.exists() and (tmp_path / "spooled.pdf").exists()  # it did go to the printer
    assert handed == []  # but nothing was recorded as given, and not under Daniel
    assert maria.model.session.leaflet_output == ""
