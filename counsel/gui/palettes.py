"""Reference palettes for checking the app as users see it (screenshots and the contrast test).

The app itself never sets a palette: Qt follows the system's light or dark setting. This is the
dark palette Windows 11 hands Qt, so tests and screenshots can show what those users see.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

_WINDOWS_11_DARK: tuple[tuple[QPalette.ColorRole, str], ...] = (
    (QPalette.ColorRole.Window, "#202020"), (QPalette.ColorRole.WindowText, "#ffffff"),
    (QPalette.ColorRole.Base, "#2b2b2b"), (QPalette.ColorRole.AlternateBase, "#323232"),
    (QPalette.ColorRole.Text, "#ffffff"), (QPalette.ColorRole.Button, "#3a3a3a"),
    (QPalette.ColorRole.ButtonText, "#ffffff"), (QPalette.ColorRole.Mid, "#5a5a5a"),
    (QPalette.ColorRole.Highlight, "#3d7bd9"), (QPalette.ColorRole.HighlightedText, "#ffffff"),
    (QPalette.ColorRole.PlaceholderText, "#b0b0b0"),
)


def dark_palette() -> QPalette:
    """Roughly the Windows 11 dark palette Qt picks up from the system setting."""
    palette = QPalette()
    for role, colour in _WINDOWS_11_DARK:
        palette.setColor(role, QColor(colour))
    return palette
