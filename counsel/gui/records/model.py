"""The history list as a Qt table model over record summaries (latest versions)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from counsel.records.models import RecordSummary

Index = QModelIndex | QPersistentModelIndex
_HEADERS = ("Finished (UTC)", "Patient ref", "Medicine", "Pharmacist", "Version")


class RecordTableModel(QAbstractTableModel):
    """Read-only rows: one per record; the record id is in Qt.UserRole."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RecordSummary] = []

    def set_rows(self, rows: list[RecordSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self, row: int) -> RecordSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        return (
            f"{r.finished_at:%Y-%m-%d %H:%M}",
            r.patient_ref,
            f"{r.drug} {r.strength} {r.form.replace('_', ' ')}",
            r.pharmacist,
            str(r.version),
        )[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(_HEADERS)):
            return _HEADERS[section]
        return None
