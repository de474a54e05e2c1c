"""Study between sessions: every checklist point of the drug with its rationale and sources, searchable."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.training.common import named, tree_children
from counsel.training.reference import ReferenceEntry, search

ID_ROLE = Qt.ItemDataRole.UserRole


class ReferenceBrowser(QWidget):
    def __init__(self, entries: list[ReferenceEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries = entries
        self._by_id = {e.id: e for e in entries}
        self.filter = named(QLineEdit(), "Search the checklist points",
                            "Words to find in a point's title, advice, rationale or sources")
        self.filter.setPlaceholderText("Search, e.g. withdrawal, kidney, syringe, NHS")
        self.filter.setClearButtonEnabled(True)
        self.tree = named(QTreeWidget(), "Checklist points by section")
        self.tree.setHeaderHidden(True)
        self.detail = named(QTextBrowser(), "The selected point")
        self.detail.setOpenExternalLinks(True)
        self.count = QLabel()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.setSizes([380, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.count)
        layout.addWidget(splitter, 1)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.set_filter("")

    def set_filter(self, text: str) -> None:
        if self.filter.text() != text:
            self.filter.setText(text)  # textChanged re-enters with the same text
            return
        shown = search(self._entries, text)
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        heads: dict[str, QTreeWidgetItem] = {}
        for e in shown:
            head = heads.get(e.section_id)
            if head is None:
                head = QTreeWidgetItem([e.section_title])
                head.setFont(0, bold)
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                heads[e.section_id] = head
                self.tree.addTopLevelItem(head)
            child = QTreeWidgetItem([f"{e.title}  [critical]" if e.critical else e.title])
            child.setData(0, ID_ROLE, e.id)
            head.addChild(child)
        self.tree.expandAll()
        self.count.setText(f"{len(shown)} of {len(self._entries)} points")
        first = self._first_point()
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            self.detail.setHtml("<p>No point matches. Try fewer words.</p>")

    def visible_ids(self) -> list[str]:
        return [str(c.data(0, ID_ROLE)) for c in tree_children(self.tree)]

    def show_point(self, point_id: str) -> None:
        e = self._by_id[point_id]
        crit = " <span style='color:#8a1c12'>[critical]</span>" if e.critical else ""
        lines = "".join(f"<li>{html.escape(t)}</li>" for t in e.patient_text)
        sources = "".join(
            f"<li><a href='{html.escape(s.url, quote=True)}'>{html.escape(s.id)}</a> — "
            f"{html.escape(s.title)}</li>" for s in e.sources)
        self.detail.setHtml(
            f"<h3>{html.escape(e.title)}{crit}</h3>"
            f"<p><i>{html.escape(e.section_title)}</i> · applies to: {html.escape(e.applies)}</p>"
            f"<p><b>Say:</b> {html.escape(e.prompt)}</p>"
            f"<p><b>Why it matters:</b> {html.escape(e.why)}</p>"
            f"<p><b>Leaflet wording:</b></p><ul>{lines}</ul>"
            f"<p><b>Sources:</b></p><ul>{sources}</ul>")

    def _first_point(self) -> QTreeWidgetItem | None:
        children = tree_children(self.tree)
        return children[0] if children else None

    def _on_filter_text_changed(self, text: str) -> None:
        self.set_filter(text)

    def _on_tree_current_changed(self, current: QTreeWidgetItem | None,
                                 previous: QTreeWidgetItem | None) -> None:
        point_id = current.data(0, ID_ROLE) if current is not None else None
        if point_id:
            self.show_point(str(point_id))
