"""Counter speed: a "Must say" strip on step 2, D/U/N keys on the focused card with auto-advance,
and a scripted keyboard-only session that counts key presses and the words on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from counsel import paths
from counsel.gui.main_window import MainWindow
from counsel.gui.pages.checklist import MUST_SAY_MAX
from scripts.counter_session import Keys, counsel_by_keyboard
from tests.gui.conftest import DialogLog

pytestmark = pytest.mark.gui
KIDNEY = paths.EXAMPLES_DIR / "older-adult-kidney.json"  # a repeat ("continue") patient
STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"  # a new starter with a titration


def test_d_u_n_keys_mark_the_focused_card_and_move_on(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    assert window.open_case_file(KIDNEY)
    window.go_to(1)
    QApplication.processEvents()
    page = window.checklist
    cards = [c for c in page.cards.values() if c.isVisibleTo(page)]  # the repeat's short list
    cards[0].focus_mark()
    qtbot.waitUntil(lambda: cards[0].isAncestorOf(QApplication.focusWidget()))
    keys = Keys()
    assert cards[0].expanded() and not cards[1].expanded()  # details open where the keyboard is
    keys.press(Qt.Key.Key_D)
    assert cards[0].status() == "discussed"
    assert cards[1].expanded() and not cards[0].expanded()
    assert window.model.session.mark_of(cards[0].point.id).status == "discussed"
    assert cards[1].isAncestorOf(QApplication.focusWidget())  # moved on by itself
    keys.press(Qt.Key.Key_U)
    assert cards[1].status() == "understood"
    keys.press(Qt.Key.Key_N)  # not discussed: the reason is asked for, nothing moves on
    assert cards[2].status() == "not_discussed"
    assert QApplication.focusWidget() is cards[2].reason
    QTest.keyClicks(cards[2].reason, "dun")  # letters in the reason are letters, not marks
    keys.press(Qt.Key.Key_Return)
    assert cards[2].reason.text() == "dun"
    assert cards[3].status() == "pending"
    assert window.model.session.mark_of(cards[2].point.id).reason == "dun"


def test_the_must_say_strip_lists_the_few_things_and_ticks_them_off(window: MainWindow) -> None:
    assert window.open_case_file(KIDNEY)
    window.go_to(1)
    result = window.model.result
    assert result is not None
    strip = window.checklist.must_say
    assert strip.isVisibleTo(window.checklist)
    items = strip.text().count("<li>")
    assert 1 <= items <= MUST_SAY_MAX
    critical = [p for p in result.points if p.point.critical]
    first = critical[0]
    assert first.point.title in strip.text()
    assert f"✓ {first.point.title}" not in strip.text()
    window.checklist.cards[first.id].set_status("understood")
    assert f"✓ {first.point.title}" in strip.text()
    assert "D discussed" in strip.text()
    # A short opening and a closing teach-back frame the session.
    page = window.checklist
    assert page.opening.isVisibleTo(page) and "What has the doctor told you" in page.opening.text()
    assert page.closing.isVisibleTo(page) and "teach-back" in page.closing.text()


def test_no_opening_or_strip_without_a_valid_case(window: MainWindow) -> None:
    window.go_to(1)
    page = window.checklist
    assert not page.opening.isVisibleTo(page) and not page.closing.isVisibleTo(page)
    assert not page.must_say.isVisibleTo(page)


@pytest.mark.pdf
def test_a_repeat_patient_and_a_new_starter_by_keyboard(
        started: MainWindow, modal_log: DialogLog, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    figures = {}
    for name, case in (("repeat", KIDNEY), ("new starter", STANDARD)):
        modal_log.save_pdf_path = tmp_path / f"{name}.pdf"
        modal_log.open_path = case
        figures[name] = counsel_by_keyboard(
            started, case, lambda until, seconds: qtbot.waitUntil(until, timeout=int(seconds * 1000)))
        assert (tmp_path / f"{name}.pdf").exists()
        assert not started.is_dirty()  # done: the next patient starts clean
    import sys

    sys.stdout.write(f"\ncounter speed (key presses, words on step 2): {figures}\n")
    repeat_keys, repeat_words = figures["repeat"]
    new_keys, _ = figures["new starter"]
    assert new_keys <= 80
    assert repeat_keys <= 40  # the goals for a repeat patient
    assert repeat_words <= 400


def test_number_keys_choose_an_outcome_and_move_to_the_next_warning(window: MainWindow) -> None:
    window.activateWindow()
    assert window.open_case_file(KIDNEY)
    window.go_to(1)
    QApplication.processEvents()
    page = window.checklist
    codes = list(page.outcome_boxes)
    assert len(codes) >= 2
    first, second = page.outcome_boxes[codes[0]], page.outcome_boxes[codes[1]]
    first.setFocus()
    QApplication.processEvents()
    keys = Keys()
    keys.press(Qt.Key.Key_7)  # not an outcome: nothing chosen, the keyboard stays
    keys.press(Qt.Key.Key_0)
    assert codes[0] not in window.model.session.acknowledged
    assert QApplication.focusWidget() is first
    keys.press(Qt.Key.Key_2)  # "Prescriber contacted", acknowledged in one press
    assert window.model.session.acknowledged >= {codes[0]}
    assert window.model.session.ack_outcomes[codes[0]] == "contacted"
    assert page.ack_boxes[codes[0]].isChecked()
    assert QApplication.focusWidget() is second  # on to the next warning
    for _ in codes[1:]:
        keys.press(Qt.Key.Key_4)
    assert all(window.model.session.ack_outcomes[c] == "not_needed" for c in codes[1:])
    first_card = next(c for c in page.cards.values() if c.isVisibleTo(page))
    assert first_card.isAncestorOf(QApplication.focusWidget())  # then the first point to say


def test_a_repeat_patient_gets_the_short_list_first(window: MainWindow) -> None:
    window.activateWindow()
    assert window.open_case_file(KIDNEY)  # plan "continue"
    window.go_to(1)
    QApplication.processEvents()
    page = window.checklist
    result = window.model.result
    assert result is not None and result.case.prescription.plan == "continue"
    shown = [c for c in page.cards.values() if c.isVisibleTo(page)]
    assert shown and all(c.point.point.critical for c in shown)
    assert len(shown) == sum(1 for p in result.points if p.point.critical)
    assert page.show_all.isVisibleTo(page)
    folded = len(result.points) - len(shown)
    assert str(folded) in page.show_all.text()
    # Titles only, except where the keyboard is; the warning being acknowledged is shown in full.
    assert not shown[0].say.isVisibleTo(page)
    texts = [page._warning_texts[c][0].text() for c in page.outcome_boxes]
    first = result.warnings[0]
    assert first.message.split(".")[0] in texts[0]
    assert all(w.message.split(".")[0] not in t for w, t in zip(result.warnings[1:], texts[1:], strict=False))
    page.outcome_boxes[result.warnings[1].code].setFocus()
    QApplication.processEvents()
    texts = [page._warning_texts[c][0].text() for c in page.outcome_boxes]
    assert result.warnings[1].message.split(".")[0] in texts[1]
    assert first.message.split(".")[0] not in texts[0]
    shown[0].focus_mark()
    QApplication.processEvents()
    assert shown[0].say.isVisibleTo(page)
    # "+" opens the rest, section by section.
    Keys().press(Qt.Key.Key_Plus)
    assert all(c.isVisibleTo(page) for c in page.cards.values())
    assert not page.show_all.isVisibleTo(page)


def test_a_new_starter_sees_every_point(window: MainWindow) -> None:
    assert window.open_case_file(STANDARD)  # plan "start"
    window.go_to(1)
    QApplication.processEvents()
    page = window.checklist
    assert len(page.cards) > 10
    assert all(c.isVisibleTo(page) for c in page.cards.values())
    assert all(c.say.isVisibleTo(page) for c in page.cards.values())
    assert not page.show_all.isVisibleTo(page)
