"""Keyboard: every action has a shortcut; accessible names everywhere; no clipping at 1280x800, 150 % font."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from counsel import paths
from counsel.gui.check import pump
from counsel.gui.main_window import MainWindow
from tests.conftest import TODAY
from tests.gui.conftest import SETTINGS

pytestmark = pytest.mark.gui

EXPECTED = {
    "new": "Ctrl+N", "open": "Ctrl+O", "save": "Ctrl+S", "print": "Ctrl+P", "quit": "Ctrl+Q",
    "next": "Ctrl+PgDown", "previous": "Ctrl+PgUp", "save_pdf": "Ctrl+E", "settings": "Ctrl+,",
}


def test_standard_shortcuts(window: MainWindow) -> None:
    for name, keys in EXPECTED.items():
        shortcuts = [k.toString() for k in window.actions_by_name[name].shortcuts()]
        assert keys in shortcuts, (name, shortcuts)
    assert "Alt+Right" in [k.toString() for k in window.actions_by_name["next"].shortcuts()]
    assert "Alt+Left" in [k.toString() for k in window.actions_by_name["previous"].shortcuts()]
    contexts = {a.shortcutContext() for a in window.actions_by_name.values()}
    assert contexts == {Qt.ShortcutContext.WindowShortcut}


def test_step_keys_move_between_pages(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    window.patient.name.setFocus()
    qtbot.keyClick(window.patient.name, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current_step() == 1
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current_step() == 2
    window.actions_by_name["previous"].trigger()
    window.actions_by_name["previous"].trigger()
    window.actions_by_name["previous"].trigger()  # stops at the first step
    assert window.current_step() == 0
    window.actions_by_name["step4"].trigger()
    assert window.current_step() == 3
    assert window.heading.text() == "Step 4 of 4: Leaflet"


def inside_compound(widget: QWidget) -> bool:
    """Parts of a combo box or spin box (its line edit, its popup list) are named by their owner."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True
        parent = parent.parentWidget()
    return False


def interactive(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QAbstractScrollArea)
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, kinds) and not inside_compound(w) and w.focusPolicy() != Qt.FocusPolicy.NoFocus
            and not w.inherits("QScrollBar")]


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    assert window.open_case_file(paths.EXAMPLES_DIR / "opioid-and-sleeping-tablet.json")
    missing = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}" for w in interactive(window)
               if not w.accessibleName()]
    assert missing == []
    assert len(window.checklist.cards) > 10


def test_tab_order_follows_the_form(window: MainWindow) -> None:
    page = window.patient
    chain: list[QWidget] = []
    widget = page.name
    while len(chain) < 8:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(window) \
                and not inside_compound(widget):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain[:6] == [page.name, page.reference, page.age, page.weight, page.sex, page.medicines.entry]


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_no_horizontal_clipping_at_1280x800(qtbot, scale: float) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    original = QApplication.font()
    scaled = QApplication.font()
    scaled.setPointSizeF(font.pointSizeF() * scale)
    QApplication.setFont(scaled)
    try:
        win = MainWindow(today=lambda: TODAY, settings=SETTINGS)
        qtbot.addWidget(win)
        win.resize(1280, 800)
        win.show()
        assert win.open_case_file(paths.EXAMPLES_DIR / "opioid-and-sleeping-tablet.json")
        for step in range(3):
            win.go_to(step)
            pump()
            area = win.stack.currentWidget()
            assert isinstance(area, QScrollArea)
            page = area.widget()
            assert page.minimumSizeHint().width() <= area.viewport().width() + 1, (step, scale)
        assert win.width() <= 1280 and win.height() <= 800
        win.go_to(3)
        pump()
        for button in (win.leaflet.print_button, win.leaflet.save_button):
            assert button.width() >= button.sizeHint().width()
        assert QKeySequence("Ctrl+P") in win.actions_by_name["print"].shortcuts()
    finally:
        QApplication.setFont(original)


def test_checklist_tab_order_follows_the_page(window: MainWindow) -> None:
    assert window.open_case_file(paths.EXAMPLES_DIR / "opioid-and-sleeping-tablet.json")
    window.go_to(1)
    page = window.checklist
    boxes = list(page.ack_boxes.values())
    cards = list(page.cards.values())

    def next_tab(widget: QWidget) -> QWidget:
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
        return widget

    outcomes = list(page.outcome_boxes.values())
    assert next_tab(outcomes[0]) is boxes[0]  # how it was dealt with, then the tick
    assert next_tab(boxes[0]) is outcomes[1]
    assert next_tab(boxes[-1]) is cards[0].buttons["pending"]
    assert next_tab(cards[0].reason) is cards[1].buttons["pending"]
    assert next_tab(cards[-1].reason) is page.notes


def test_changing_step_puts_the_keyboard_in_the_page(window: MainWindow, qtbot) -> None:
    assert window.open_case_file(paths.EXAMPLES_DIR / "opioid-and-sleeping-tablet.json")
    window.activateWindow()
    window.patient.name.setFocus()
    qtbot.waitUntil(window.patient.name.hasFocus)
    window.actions_by_name["step2"].trigger()
    first_warning = next(iter(window.checklist.outcome_boxes.values()))
    qtbot.waitUntil(first_warning.hasFocus)


def test_training_mode_opens_from_the_tools_menu(window: MainWindow, monkeypatch) -> None:
    import counsel.gui.training as training

    opened: list[object] = []
    monkeypatch.setattr(training, "open_training_window", lambda parent: opened.append(parent) or parent)
    window.actions_by_name["training"].trigger()
    assert opened == [window]
    assert "Ctrl+T" in [k.toString() for k in window.actions_by_name["training"].shortcuts()]
