"""At 200 % fonts step 1 and the schedule table reflow to the window: nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from counsel import paths
from counsel.gui.main_window import MainWindow
from tests.conftest import TODAY
from tests.gui.conftest import SETTINGS

pytestmark = pytest.mark.gui
STANDARD = paths.EXAMPLES_DIR / "standard-adult-start.json"  # a titration: four calendar rows


@pytest.fixture(params=[1.0, 2.0], ids=["100%", "200%"])
def scaled(request, qtbot) -> Iterator[tuple[MainWindow, float]]:  # type: ignore[no-untyped-def]
    original = QApplication.font()
    big = QApplication.font()
    big.setPointSizeF(original.pointSizeF() * request.param)
    QApplication.setFont(big)
    win = MainWindow(today=lambda: TODAY, settings=SETTINGS)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    try:
        assert win.open_case_file(STANDARD)
        QApplication.processEvents()
        yield win, request.param
    finally:
        win.worker.wait(30000)
        QApplication.setFont(original)


def _settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(50)
    QApplication.processEvents()


def test_step_1_never_scrolls_sideways(scaled: tuple[MainWindow, float], qtbot) -> None:  # type: ignore[no-untyped-def]
    win, _ = scaled
    win.go_to(0)
    _settle(qtbot)
    area = win.stack.currentWidget()
    assert isinstance(area, QScrollArea)
    assert area.horizontalScrollBar().maximum() == 0
    assert win.patient.minimumSizeHint().width() <= area.viewport().width()


def test_the_schedule_table_reflows_instead_of_scrolling(scaled: tuple[MainWindow, float], qtbot) -> None:  # type: ignore[no-untyped-def]
    win, scale = scaled
    win.go_to(2)
    _settle(qtbot)
    page, table = win.schedule, win.schedule.table
    assert table.rowCount() == 4
    area = win.stack.currentWidget()
    assert isinstance(area, QScrollArea) and area.horizontalScrollBar().maximum() == 0
    assert table.horizontalScrollBar().maximum() == 0
    width = sum(table.columnWidth(c) for c in range(table.columnCount()))
    assert width <= table.viewport().width()
    # Every row shows whole (no scrolling inside the table for four steps).
    assert table.verticalScrollBar().maximum() == 0
    if scale == 2.0:
        assert page.reflowed and table.wordWrap()
        assert "\n" in table.horizontalHeaderItem(4).text()  # "Amount\nto take"
    else:
        assert not page.reflowed and not table.wordWrap()  # columns sized to their contents
        assert table.horizontalHeaderItem(4).text() == "Amount to take"
