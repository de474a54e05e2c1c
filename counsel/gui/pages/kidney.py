"""The kidney line on step 1: the category the checks will use, from the core's own rule, shown
beside the measured values; a typed category that disagrees is flagged, never settled quietly."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from counsel.gui.widgets import error_style


def show_kidney(label: QLabel, typed: str, crcl: float | None, egfr: float | None) -> None:
    """Fill `label` (hidden when nothing is measured)."""
    from counsel.core.facts import kidney_status  # the core loads after the window paints

    status = kidney_status(typed, crcl, egfr)
    if status.measured is None:
        label.hide()
        return
    text = f"Kidney category from {status.value_text}: <b>{status.category}</b>"
    if status.conflict:
        text = (f"⚠ {text}. This disagrees with the kidney function chosen above "
                f"({status.typed}): the checks use {status.category}. Check which is current.")
        label.setStyleSheet(error_style())
    else:
        label.setStyleSheet("")
    label.setText(text)
    label.show()
