"""Every modal question the app asks, each behind an `ask()` classmethod that tests monkeypatch."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.pages import choices
from counsel.gui.pages.form_widgets import guard_wheel
from counsel.gui.settings import AppSettings
from counsel.gui.widgets import named


def _back_to(parent: QWidget | None) -> None:
    """Give the keyboard back to the main window after a modal closes.

    Without a window manager (kiosk set-ups, Xvfb) nobody re-activates the parent, and keys typed
    next would go nowhere.
    """
    if parent is not None:
        parent.window().activateWindow()  # Qt then restores the focus the window had before


class CriticalConfirmDialog(QDialog):
    """Lists critical points not yet discussed; going on needs a deliberate tick and click."""

    def __init__(self, titles: list[str], action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{action}: critical points not yet discussed")
        intro = QLabel(f"These critical points are not marked as discussed. {action} anyway?")
        intro.setWordWrap(True)
        listing = named(QListWidget(), "Critical points not yet discussed")
        listing.addItems(titles)
        self.confirm = named(
            QCheckBox("I have &covered these another way, or will follow them up"),
            "Confirm critical points are covered another way",
        )
        buttons = QDialogButtonBox()
        back = named(
            buttons.addButton("&Go back to the checklist", QDialogButtonBox.ButtonRole.RejectRole),
            "Go back to the checklist",
        )
        self.go_on = named(
            buttons.addButton(f"&{action} anyway", QDialogButtonBox.ButtonRole.AcceptRole), f"{action} anyway"
        )
        assert isinstance(back, QPushButton) and isinstance(self.go_on, QPushButton)
        back.setDefault(True)
        self.go_on.setAutoDefault(True)  # Enter prints only once the button itself has focus
        self.go_on.setEnabled(False)
        self.confirm.toggled.connect(self.go_on.setEnabled)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(listing)
        layout.addWidget(self.confirm)
        layout.addWidget(buttons)
        # Keyboard: tick (Alt+C), then the deliberate action is the next Tab stop (or Alt+P/Alt+S);
        # Enter alone still means "go back".
        QWidget.setTabOrder(listing, self.confirm)
        QWidget.setTabOrder(self.confirm, self.go_on)
        QWidget.setTabOrder(self.go_on, back)
        self.confirm.setFocus()  # Space ticks it, Tab reaches the action; Enter alone goes back

    @classmethod
    def ask(cls, parent: QWidget | None, titles: list[str], action: str) -> bool:
        """True only if the pharmacist ticks the confirmation and chooses to go on."""
        accepted = cls(titles, action, parent).exec() == QDialog.DialogCode.Accepted
        _back_to(parent)
        return accepted


class NoPrinterDialog:
    """Says plainly that no printer is installed and offers to save the PDF instead."""

    @classmethod
    def ask(cls, parent: QWidget | None) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "No printer installed",
            "No printer is installed on this computer, so the leaflet cannot be printed "
            "from here.\n\nSave it as a PDF instead? You can print the file from another "
            "computer or email it.",
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        save = box.addButton("Save PDF…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        _back_to(parent)
        return box.clickedButton() is save


class PrintDialog:
    """The system print dialog (printer, copies); the app then spools the PDF itself."""

    @classmethod
    def ask(cls, parent: QWidget | None, printer: QPrinter) -> bool:
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print leaflet")
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        _back_to(parent)
        return accepted


class FileDialogs:
    @classmethod
    def open_case(cls, parent: QWidget | None, folder: Path) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, "Open case", str(folder), "Case files (*.json)")
        _back_to(parent)
        return Path(name) if name else None

    @classmethod
    def save_case(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "Save case", str(suggested), "Case files (*.json)")
        _back_to(parent)
        return Path(name) if name else None

    @classmethod
    def save_pdf(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "Save leaflet", str(suggested), "PDF files (*.pdf)")
        _back_to(parent)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


class Messages:
    """One-line messages (never a traceback)."""

    @classmethod
    def warn(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)
        _back_to(parent)

    @classmethod
    def info(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)
        _back_to(parent)

    @classmethod
    def discard_changes(cls, parent: QWidget | None) -> bool:
        answer = QMessageBox.question(
            parent,
            "Unsaved changes",
            "The current case has changes that are not saved. Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        _back_to(parent)
        return answer == QMessageBox.StandardButton.Discard


class SettingsDialog(QDialog):
    """Pharmacy details and leaflet defaults."""

    def __init__(self, settings: AppSettings, printers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(480)
        self.pharmacy_name = named(QLineEdit(settings.pharmacy_name), "Pharmacy name")
        self.pharmacy_address = named(QLineEdit(settings.pharmacy_address), "Pharmacy address")
        self.pharmacy_phone = named(QLineEdit(settings.pharmacy_phone), "Pharmacy phone")
        self.pharmacist = named(QLineEdit(settings.pharmacist), "Pharmacist initials")
        self.pharmacist.setMaxLength(20)
        self.region = named(QComboBox(), "Default region")
        for value, label in choices.REGION:
            self.region.addItem(label, value)
        self.region.setCurrentIndex(max(self.region.findData(settings.region), 0))
        self.paper = named(QComboBox(), "Paper size")
        for value, label in (("a4", "A4"), ("letter", "US Letter")):
            self.paper.addItem(label, value)
        self.paper.setCurrentIndex(max(self.paper.findData(settings.paper), 0))
        self.large_print = named(QCheckBox("Large print by default"), "Large print by default")
        self.large_print.setChecked(settings.large_print)
        self.printer = named(QComboBox(), "Printer")
        self.printer.addItem("System default", "")
        for name in printers:
            self.printer.addItem(name, name)
        if settings.printer and self.printer.findData(settings.printer) < 0:
            self.printer.addItem(f"{settings.printer} (not installed)", settings.printer)
        self.printer.setCurrentIndex(max(self.printer.findData(settings.printer), 0))
        form = QFormLayout()
        form.addRow("Pharmacy name:", self.pharmacy_name)
        form.addRow("Address:", self.pharmacy_address)
        form.addRow("Phone:", self.pharmacy_phone)
        form.addRow("Pharmacist initials:", self.pharmacist)
        form.addRow("Default region:", self.region)
        form.addRow("Paper size:", self.paper)
        form.addRow("", self.large_print)
        form.addRow("Printer:", self.printer)
        self.store_full_names = named(QCheckBox("Store full patient names in records"),
                                      "Store full patient names in records")
        self.store_full_names.setToolTip("Off: counselling records keep only the patient reference.")
        self.store_full_names.setChecked(settings.store_full_names)
        form.addRow("", self.store_full_names)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("These details fill every new case and the leaflet footer."))
        layout.addLayout(form)
        layout.addWidget(buttons)
        guard_wheel(self)

    def values(self) -> AppSettings:
        return AppSettings(
            pharmacy_name=self.pharmacy_name.text().strip(),
            pharmacy_address=self.pharmacy_address.text().strip(),
            pharmacy_phone=self.pharmacy_phone.text().strip(),
            pharmacist=self.pharmacist.text().strip(),
            region="uk" if self.region.currentData() == "uk" else "us",
            paper="letter" if self.paper.currentData() == "letter" else "a4",
            large_print=self.large_print.isChecked(),
            printer=str(self.printer.currentData() or ""),
            store_full_names=self.store_full_names.isChecked(),
        )

    @classmethod
    def ask(cls, parent: QWidget | None, settings: AppSettings, printers: list[str]) -> AppSettings | None:
        dialog = cls(settings, printers, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        _back_to(parent)
        return dialog.values() if accepted else None
