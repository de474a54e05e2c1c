"""Small shared bits for the training windows: accessible names and a framed text box."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QWidget

W = TypeVar("W", bound=QWidget)

DOOR_SIGN_STYLE = (
    "QLabel { background: #fff8dc; border: 2px solid #c9a227; border-radius: 6px; padding: 10px;"
    " font-size: 11pt; color: #222222; }"
)
_BANNER = "border-radius: 6px; padding: 8px; font-weight: 700;"
PASS_STYLE = f"QLabel {{ background: #e3f4e1; color: #1e5a1a; {_BANNER} }}"
FAIL_STYLE = f"QLabel {{ background: #fbe3e1; color: #8a1c12; {_BANNER} }}"
DIFFICULTY = {1: "1 – foundation", 2: "2 – intermediate", 3: "3 – advanced"}
TOPIC_LABELS = {
    "about": "What it is for", "dosing": "Dosing", "missed_doses": "Missed doses",
    "alcohol": "Alcohol and sedating medicines", "driving": "Driving", "withdrawal": "Withdrawal",
    "side_effects": "Side effects", "special_populations": "Special populations",
    "storage": "Storage", "follow_up": "Follow-up", "intrathecal": "Intrathecal pump",
    "screening": "Screening questions", "referral": "Referral",
}


def named(widget: W, name: str, tip: str = "") -> W:
    """Give a control the name screen readers announce (and an optional tooltip)."""
    widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


def wrapped(text: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


def topic_label(topic: str) -> str:
    return TOPIC_LABELS.get(topic, topic.replace("_", " ").capitalize())


def tree_children(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The second-level items (points under their section headings), in order."""
    out: list[QTreeWidgetItem] = []
    for i in range(tree.topLevelItemCount()):
        head = tree.topLevelItem(i)
        if head is None:
            continue
        out.extend(c for j in range(head.childCount()) if (c := head.child(j)) is not None)
    return out
