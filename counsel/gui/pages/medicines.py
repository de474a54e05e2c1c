"""The "other medicines" editor: type-ahead from the medicine list, unknown names accepted and flagged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.widgets import hint_label, named, tone

if TYPE_CHECKING:  # annotations only: the window paints before the core (pydantic) loads
    from counsel.core.content import Catalog
    from counsel.core.rules import Counselling


class MedicinesEditor(QWidget):
    """A list of other medicines the patient takes; emits `changed` when the list changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = QStringListModel(self)
        self._class_labels: dict[str, str] = {}
        self._build_ui()

    def _build_ui(self) -> None:
        self.entry = named(
            QLineEdit(),
            "Add another medicine",
            "Type a name; suggestions come from the medicine list. Press Enter to add.",
        )
        self.entry.setPlaceholderText("Type a medicine name, then Enter")
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.entry.setCompleter(completer)
        self.completer = completer
        self.add_button = named(QPushButton("Add"), "Add medicine")
        self.list = named(
            QListWidget(), "Other medicines taken", "Select an entry and press Delete to remove it"
        )
        self.list.setMaximumHeight(100)
        self.remove_button = named(QPushButton("Remove selected"), "Remove selected medicine")
        self.hint = hint_label("No other medicines entered.")

        top = QHBoxLayout()
        top.addWidget(self.entry, 1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.entry.returnPressed.connect(self._on_return)
        # WORKAROUND: Return on a suggestion reaches returnPressed before the line edit shows the
        # suggestion, so the typed fragment ("zopic") would be added; take the chosen name instead.
        completer.activated.connect(self._on_suggestion)  # the str overload (the default)
        self.add_button.clicked.connect(self.add_from_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        self._refresh_hint()

    def set_catalog(self, catalog: Catalog) -> None:
        self._names.setStringList(catalog.medicines.names())
        self._class_labels = {cid: c.label for cid, c in catalog.medicines.classes.items()}
        self._catalog = catalog
        self.show_recognition(None)

    def _on_return(self) -> None:
        popup = self.completer.popup()
        if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
            return  # a suggestion is highlighted: _on_suggestion adds it
        self.add_from_entry()

    def _on_suggestion(self, name: str) -> None:
        # After the line edit's own handler has put the suggestion in (it runs after this one).
        QTimer.singleShot(0, lambda: self.add(name))

    def completion_names(self) -> list[str]:
        return self._names.stringList()

    def medicines(self) -> list[str]:
        return [str(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())]

    def set_medicines(self, names: list[str]) -> None:
        self.list.clear()
        for name in names:
            self._append(name)
        self._refresh_hint()

    def add_from_entry(self) -> None:
        name = " ".join(self.entry.text().split())
        if not name:
            return
        if name.lower() not in (m.lower() for m in self.medicines()):
            self._append(name)
            self._refresh_hint()
            self.changed.emit()
        self.entry.clear()

    def add(self, name: str) -> None:
        """Add one medicine as if typed (tests, scripted demos)."""
        self.entry.setText(name)
        self.add_from_entry()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self.list.takeItem(row)
        self._refresh_hint()
        self.changed.emit()

    def show_recognition(self, result: Counselling | None) -> None:
        """Mark each entry recognised (with its class) or not recognised (check interactions by hand)."""
        if result is not None:
            known = {r.given.lower(): r for r in result.recognised}
            unknown = {u.lower() for u in result.unrecognised}
        else:  # the case is not complete yet: still tell the pharmacist as they type
            known, unknown = {}, set()
            catalog: Catalog | None = getattr(self, "_catalog", None)
            for name in self.medicines() if catalog is not None else []:
                hit = catalog.medicines.recognise(name) if catalog is not None else None
                if hit is None:
                    unknown.add(name.strip().lower())
                else:
                    known[hit.given.lower()] = hit
        for i in range(self.list.count()):
            item = self.list.item(i)
            name = str(item.data(Qt.ItemDataRole.UserRole))
            hit = known.get(name.strip().lower())
            if hit is not None:
                # combinations, gels, partial names and baclofen itself say what they are
                item.setText(f"{name}   {hit.describe(self._class_labels)}")
                flagged = bool(hit.unmatched or hit.same_drug)
                item.setForeground(QBrush(QColor(tone("flag"))) if flagged else QBrush())
            elif name.strip().lower() in unknown:
                item.setText(f"{name}   ⚠ not recognised: check interactions by hand")
                item.setForeground(QBrush(QColor(tone("flag"))))
            else:
                item.setText(name)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text())

    def _append(self, name: str) -> None:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, name)
        self.list.addItem(item)

    def _refresh_hint(self) -> None:
        empty = self.list.count() == 0
        self.hint.setVisible(empty)
        self.list.setVisible(not empty)
        self.remove_button.setVisible(not empty)
