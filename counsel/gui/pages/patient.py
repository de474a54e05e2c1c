"""Step 1, patient and prescription: the case fields as toggles and choices, with inline messages."""

from __future__ import annotations

import copy
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.core.errors import CaseError
from counsel.gui.pages import choices
from counsel.gui.pages.dose_amount import amount_text
from counsel.gui.pages.form_widgets import combo, date_box, dspin, parse_date, pydate, qdate, set_combo, spin
from counsel.gui.pages.kidney import show_kidney
from counsel.gui.pages.medicines import MedicinesEditor
from counsel.gui.widgets import error_label, error_style, hint_label, hint_style, named, tone

if TYPE_CHECKING:  # annotations only: the window paints before the core (pydantic) loads
    from counsel.core.content import Catalog
    from counsel.core.rules import Counselling

# The case's notes print on the leaflet ("Notes from your pharmacist"): the label says so.
PATIENT_MESSAGE_LABEL = "Message for the patient (printed on the leaflet)"
def banner_problem() -> str:
    return error_style() + f"padding: 6px; border: 1px solid {tone('error')};"


def banner_needed() -> str:
    return hint_style() + "padding: 6px; border: 1px solid palette(mid);"


def is_missing(error: CaseError) -> bool:
    """A required field not filled in yet (as opposed to a wrong value)."""
    return error.problem.startswith("missing")


class PatientPage(QWidget):
    """The case form. `data()` is the JSON-shaped case; `show_error()` puts a CaseError by its field."""

    edited = Signal()
    title = "Patient & prescription"

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._filling = False
        self._base: dict[str, Any] = {}
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._error_field = ""
        self._build_ui()
        self._connect_signals()

    # ----------------------------------------------------------------- layout
    def _row(
        self, form: QFormLayout, label: str, path: str, widget: QWidget, extra: QWidget | None = None
    ) -> None:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        if extra is None:
            box.addWidget(widget)
        else:
            line = QHBoxLayout()
            line.addWidget(widget)
            line.addWidget(extra, 1)
            box.addLayout(line)
        plain = label.removesuffix(" *")
        err = error_label(plain or widget.accessibleName())
        box.addWidget(err)
        text = QLabel(f"{plain}{'*' if plain != label else ''}:" if label else "")
        text.setBuddy(widget)
        form.addRow(text, holder)
        self._fields[path] = (widget, err)

    def _build_ui(self) -> None:
        self.banner = QLabel()
        self.banner.setStyleSheet(banner_problem())
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Problem with the case")
        self.banner_button = named(QPushButton("Show field"), "Show the field with the problem")
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.banner_button)
        self.banner.hide()
        self.banner_button.hide()

        self.groups = [self._patient_group(), self._screening_group(), self._prescription_group(),
                       self._case_group()]
        # Large fonts: a row whose label and field do not fit side by side puts its field under
        # the label, so a group is never wider than the page (no sideways scrolling at 200 %).
        for group in self.groups:
            for form in group.findChildren(QFormLayout):
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.left = QVBoxLayout()
        self.right = QVBoxLayout()
        self.columns_box = QHBoxLayout()
        self.columns_box.addLayout(self.left, 1)
        self.columns_box.addLayout(self.right, 1)
        self.columns = 0
        self._arrange(2)
        layout = QVBoxLayout(self)
        layout.addLayout(banner_row)
        layout.addWidget(hint_label("Fields marked * are needed for the checklist and the leaflet."))
        layout.addLayout(self.columns_box)
        layout.addStretch(1)

    def _arrange(self, columns: int) -> None:
        """Two columns when they fit, else one (large fonts): the page never scrolls sideways."""
        if columns == self.columns:
            return
        self.columns = columns
        for column in (self.left, self.right):
            while column.count():
                column.takeAt(0)
        first, second = (self.groups[:2], self.groups[2:]) if columns == 2 else (self.groups, [])
        for column, groups in ((self.left, first), (self.right, second)):
            for group in groups:
                column.addWidget(group)
            column.addStretch(1)
        self.columns_box.setStretch(1, 1 if columns == 2 else 0)

    def fit_width(self, width: int) -> None:
        left = max(g.minimumSizeHint().width() for g in self.groups[:2])
        right = max(g.minimumSizeHint().width() for g in self.groups[2:])
        outer = self.layout()
        margins = outer.contentsMargins().left() + outer.contentsMargins().right() if outer else 0
        self._arrange(2 if left + right + margins + 12 <= width else 1)

    def _patient_group(self) -> QGroupBox:
        group = QGroupBox("Patient")
        form = QFormLayout(group)
        self.name = named(QLineEdit(), "Patient name", "Printed on the leaflet")
        self.reference = named(QLineEdit(), "Patient reference", "e.g. initials and year of birth")
        self.age = spin("Age in years", -1, 120, "Not entered", " years")
        self.age.setValue(-1)
        self.weight = dspin("Weight", 0, 400, "Not recorded", " kg", 0.5)
        self.sex = combo("Sex", choices.SEX)
        self._row(form, "Name", "patient.name", self.name)
        self._row(form, "Reference", "patient.reference", self.reference)
        self._row(form, "Age *", "patient.age", self.age)
        self._row(form, "Weight", "patient.weight_kg", self.weight)
        self._row(form, "Sex", "patient.sex", self.sex)
        self.medicines = MedicinesEditor()
        self._row(form, "Other medicines", "patient.other_medicines", self.medicines)
        return group

    def _screening_group(self) -> QGroupBox:
        group = QGroupBox("Screening questions")
        form = QFormLayout(group)
        self.pregnant = named(QCheckBox("Pregnant"), "Pregnant")
        self.breastfeeding = named(QCheckBox("Breastfeeding"), "Breastfeeding")
        self._row(form, "", "patient.pregnant", self.pregnant)
        self._row(form, "", "patient.breastfeeding", self.breastfeeding)
        self.screening_hint = hint_label("Half-ticked: not asked yet (asked on the checklist).")
        form.addRow("", self.screening_hint)
        self.kidney = combo("Kidney function", choices.KIDNEY)
        self.crcl = dspin("Creatinine clearance", -1, 250, "Not recorded", " mL/min")
        self.crcl.setValue(-1)
        self.egfr = dspin("eGFR", -1, 250, "Not recorded", " mL/min/1.73 m²")
        self.egfr.setValue(-1)
        self.kidney_derived = named(QLabel(), "Kidney category from the measured value")
        self.kidney_derived.setWordWrap(True)
        self._row(form, "Kidney function", "patient.kidney_function", self.kidney)
        self._row(form, "CrCl", "patient.crcl_ml_min", self.crcl)
        self._row(form, "eGFR", "patient.egfr", self.egfr)
        form.addRow("", self.kidney_derived)
        self.liver = named(QCheckBox("Liver disease"), "Liver disease")
        self.seizures = named(QCheckBox("Epilepsy or seizures"), "Epilepsy or seizures")
        self.mental = named(
            QCheckBox("Mental health history (psychosis, depression, confusion)"), "Mental health history"
        )
        self.drives = named(QCheckBox("Drives or uses machines"), "Drives or uses machines")
        # Yes / no / not asked: a half-ticked box is a question not asked yet (never a silent no).
        self.tri_state = {"pregnant": self.pregnant, "breastfeeding": self.breastfeeding,
                          "drives": self.drives}
        for box in self.tri_state.values():
            box.setTristate(True)
            box.setToolTip("Ticked: yes. Empty: no. Half-ticked: not asked yet.")
        for path, box in (
            ("patient.liver_disease", self.liver),
            ("patient.seizure_history", self.seizures),
            ("patient.mental_health_history", self.mental),
            ("patient.drives", self.drives),
        ):
            self._row(form, "", path, box)
        self.alcohol = combo("Alcohol", choices.ALCOHOL)
        self._row(form, "Alcohol", "patient.alcohol", self.alcohol)
        conditions = QWidget()
        cgrid = QGridLayout(conditions)
        cgrid.setContentsMargins(0, 0, 0, 0)
        self.conditions: dict[str, QCheckBox] = {}
        for i, (value, label) in enumerate(choices.CONDITIONS):
            box = named(QCheckBox(label), f"Condition: {label}")
            self.conditions[value] = box
            cgrid.addWidget(box, i // 2, i % 2)
        self._row(form, "Other conditions", "patient.conditions", conditions)
        self.large_print = named(QCheckBox("Large print leaflet"), "Large print leaflet")
        self._row(form, "", "patient.large_print", self.large_print)
        return group

    def _prescription_group(self) -> QGroupBox:
        group = QGroupBox("Prescription")
        form = QFormLayout(group)
        self.drug = combo("Medicine", [("baclofen", "Baclofen")])
        self.indication = combo("Used for", choices.INDICATION)
        self.form_ = combo("Form", choices.FORM)
        self.strength = named(QComboBox(), "Strength", "e.g. 10 mg, or 5 mg/5 mL for a liquid")
        self.strength.setEditable(True)
        line = self.strength.lineEdit()
        if line is not None:
            line.setPlaceholderText("Choose or type, e.g. 10 mg")
        self.dose = dspin("Dose per time", 0, 200, "Not entered", " mg", 2.5)
        self.times = spin("Times a day", 0, 6, "Not stated", " a day")
        self.dose_times = named(QLineEdit(), "Dose times", "Comma-separated 24-hour times, e.g. 08:00, 20:00")
        self.dose_times.setPlaceholderText("Standard times")
        self.plan = combo("Plan", choices.PLAN)
        self.start = date_box("Start date", self._today)
        self.dose_amount = named(QLabel(), "Amount to measure for each dose")
        self.dose_amount.setWordWrap(True)
        for label, path, widget in (
            ("Medicine", "prescription.drug", self.drug),
            ("Used for", "prescription.indication", self.indication),
            ("Form", "prescription.form", self.form_),
            ("Strength *", "prescription.strength", self.strength),
            ("Dose each time *", "prescription.dose_mg", self.dose),
            ("Times a day", "prescription.times_per_day", self.times),
            ("Dose times", "prescription.dose_times", self.dose_times),
            ("Plan", "prescription.plan", self.plan),
            ("Start date", "prescription.start_date", self.start),
        ):
            self._row(form, label, path, widget, self.dose_amount if widget is self.dose else None)
        self.titration = named(QGroupBox("Titration: the dose goes up in steps"), "Titration")
        self.titration.setCheckable(True)
        self.titration.setChecked(False)
        tform = QFormLayout(self.titration)
        self.t_step = dspin("Titration step", 0, 100, "—", " mg", 2.5)
        self.t_every = spin("Titration every", 1, 60, "", " days")
        self.t_every.setValue(3)
        self.t_target = dspin("Titration target dose", 0, 200, "—", " mg", 2.5)
        self._row(tform, "Increase by", "prescription.titration.step_mg", self.t_step)
        self._row(tform, "Every", "prescription.titration.every_days", self.t_every)
        self._row(tform, "Up to", "prescription.titration.target_dose_mg", self.t_target)
        self._fields["prescription.titration"] = (
            self.titration,
            self._fields["prescription.titration.step_mg"][1],
        )
        self.taper = named(QGroupBox("Taper: the dose goes down in steps to stop"), "Taper")
        self.taper.setCheckable(True)
        self.taper.setChecked(False)
        pform = QFormLayout(self.taper)
        self.p_step = dspin("Taper step", 0, 100, "—", " mg", 2.5)
        self.p_every = spin("Taper every", 1, 60, "", " days")
        self.p_every.setValue(7)
        self._row(pform, "Reduce by", "prescription.taper.step_mg", self.p_step)
        self._row(pform, "Every", "prescription.taper.every_days", self.p_every)
        self._fields["prescription.taper"] = (self.taper, self._fields["prescription.taper.step_mg"][1])
        form.addRow(self.titration)
        form.addRow(self.taper)
        self.prescriber = named(QLineEdit(), "Prescriber")
        self._row(form, "Prescriber", "prescription.prescriber", self.prescriber)
        return group

    def _case_group(self) -> QGroupBox:
        group = QGroupBox("Counselling")
        form = QFormLayout(group)
        self.region = combo("Region", choices.REGION)
        self.pharmacist = named(QLineEdit(), "Pharmacist initials")
        self.pharmacist.setMaxLength(20)
        self.follow_up_on = named(QCheckBox("Booked"), "Follow-up booked")
        self.follow_up = date_box("Follow-up date", self._today)
        self.follow_up.setDate(qdate(self._today).addDays(28))
        self.follow_up.setEnabled(False)
        self.pharmacy_name = named(QLineEdit(), "Pharmacy name")
        self.pharmacy_phone = named(QLineEdit(), "Pharmacy phone")
        self.pharmacy_address = named(QLineEdit(), "Pharmacy address")
        self.notes = named(QPlainTextEdit(), PATIENT_MESSAGE_LABEL)
        self.notes.setPlaceholderText("e.g. Bring this leaflet to your next review.")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
        self._row(form, "Region", "region", self.region)
        self._row(form, "Pharmacist", "pharmacist", self.pharmacist)
        self._row(form, "Follow-up", "follow_up_date", self.follow_up_on, self.follow_up)
        self._row(form, "Pharmacy", "pharmacy.name", self.pharmacy_name)
        self._row(form, "Phone", "pharmacy.phone", self.pharmacy_phone)
        self._row(form, "Address", "pharmacy.address", self.pharmacy_address)
        self._row(form, PATIENT_MESSAGE_LABEL, "notes", self.notes)
        return group

    def _connect_signals(self) -> None:
        for edit in (self.name, self.reference, self.dose_times, self.prescriber, self.pharmacist,
                     self.pharmacy_name, self.pharmacy_phone, self.pharmacy_address):
            edit.textChanged.connect(self._on_edit)
        for choice in (self.sex, self.kidney, self.alcohol, self.drug, self.indication, self.form_,
                       self.plan, self.region):
            choice.currentIndexChanged.connect(self._on_edit)
        self.strength.currentTextChanged.connect(self._on_edit)
        for counter in (self.age, self.times, self.t_every, self.p_every):
            counter.valueChanged.connect(self._on_edit)
        for number in (self.weight, self.crcl, self.egfr, self.dose, self.t_step, self.t_target,
                       self.p_step):
            number.valueChanged.connect(self._on_edit)
        for kidney in (self.crcl, self.egfr):
            kidney.valueChanged.connect(self._show_kidney)
        self.kidney.currentIndexChanged.connect(self._show_kidney)
        # The amount beside the dose follows only what it depends on (not every keystroke).
        self.dose.valueChanged.connect(self._show_amount)
        self.strength.currentTextChanged.connect(self._show_amount)
        for choice in (self.form_, self.region, self.drug):
            choice.currentIndexChanged.connect(self._show_amount)
        for tri in self.tri_state.values():
            tri.checkStateChanged.connect(self._on_edit)
        for box in (
            self.liver,
            self.seizures,
            self.mental,
            self.large_print,
            self.follow_up_on,
            *self.conditions.values(),
        ):
            box.toggled.connect(self._on_edit)
        self.titration.toggled.connect(self._on_edit)
        self.taper.toggled.connect(self._on_edit)
        self.start.dateChanged.connect(self._on_edit)
        self.follow_up.dateChanged.connect(self._on_edit)
        self.follow_up_on.toggled.connect(self.follow_up.setEnabled)
        self.notes.textChanged.connect(self._on_edit)
        self.medicines.changed.connect(self._on_edit)
        self.form_.currentIndexChanged.connect(self._refresh_strengths)
        self.region.currentIndexChanged.connect(self._refresh_strengths)
        self.banner_button.clicked.connect(self.focus_error)

    def _show_kidney(self) -> None:
        show_kidney(self.kidney_derived, str(self.kidney.currentData()),
                    self.crcl.value() if self.crcl.value() >= 0 else None,
                    self.egfr.value() if self.egfr.value() >= 0 else None)

    def _on_edit(self) -> None:
        if not self._filling:
            self.edited.emit()

    def set_answer(self, field: str, value: object) -> None:
        """A screening answer given on the checklist (None or "not_asked": not asked)."""
        if field in self.tri_state:
            self.tri_state[field].setCheckState(
                Qt.CheckState.PartiallyChecked if value is None
                else Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            return  # the box's signal says the case changed
        if field == "alcohol":
            set_combo(self.alcohol, value)
            return
        # Asked only on the checklist (missed doses, withdrawal signs, misuse): kept in the case.
        patient = dict(self._base.get("patient") or {})
        patient[field] = value
        self._base["patient"] = patient
        self._on_edit()

    def _show_amount(self) -> None:
        text, measurable = amount_text(self.data(), self.catalog)
        self.dose_amount.setText(text)
        self.dose_amount.setStyleSheet("" if measurable else error_style())

    # ------------------------------------------------------------ data in/out
    @property
    def catalog(self) -> Catalog | None:
        return getattr(self, "_catalog", None)

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.medicines.set_catalog(catalog)
        self._filling = True
        current = self.drug.currentData()
        self.drug.clear()
        for drug_id, mono in sorted(catalog.monographs.items()):
            self.drug.addItem(mono.name, drug_id)
        set_combo(self.drug, current)
        self._filling = False
        self._refresh_strengths()
        self._show_amount()

    def _refresh_strengths(self) -> None:
        catalog = getattr(self, "_catalog", None)
        mono = catalog.monograph(str(self.drug.currentData())) if catalog else None
        info = mono.forms.get(self.form_.currentData()) if mono else None
        options = list(info.strengths.get(self.region.currentData(), [])) if info else []
        text = self.strength.currentText()
        was = self._filling
        self._filling = True
        self.strength.clear()
        self.strength.addItems(options)
        self.strength.setCurrentText(text)
        self._filling = was

    def data(self) -> dict[str, Any]:
        """The case as the core's JSON shape; fields the form does not show are kept from the file."""
        data = copy.deepcopy(self._base)
        patient: dict[str, Any] = dict(data.get("patient") or {})
        rx: dict[str, Any] = dict(data.get("prescription") or {})

        def put(target: dict[str, Any], key: str, value: Any) -> None:
            if value is None or value == "":
                target.pop(key, None)
            else:
                target[key] = value

        put(patient, "name", self.name.text().strip())
        put(patient, "reference", self.reference.text().strip())
        put(patient, "age", self.age.value() if self.age.value() >= 0 else None)
        put(patient, "weight_kg", self.weight.value() or None)
        patient["sex"] = self.sex.currentData()
        for key, box in (
            ("liver_disease", self.liver),
            ("seizure_history", self.seizures),
            ("mental_health_history", self.mental),
            ("large_print", self.large_print),
        ):
            patient[key] = box.isChecked()
        for key, tri in self.tri_state.items():
            state = tri.checkState()
            patient[key] = None if state == Qt.CheckState.PartiallyChecked else (
                state == Qt.CheckState.Checked)
        patient["kidney_function"] = self.kidney.currentData()
        put(patient, "crcl_ml_min", self.crcl.value() if self.crcl.value() >= 0 else None)
        put(patient, "egfr", self.egfr.value() if self.egfr.value() >= 0 else None)
        ticked = [v for v, box in self.conditions.items() if box.isChecked()]
        before = [c for c in patient.get("conditions") or [] if c in ticked]  # keep the file's order
        patient["conditions"] = before + [c for c in ticked if c not in before]
        patient["alcohol"] = self.alcohol.currentData()
        patient["other_medicines"] = self.medicines.medicines()

        rx["drug"] = self.drug.currentData()
        rx["indication"] = self.indication.currentData()
        rx["form"] = self.form_.currentData()
        put(rx, "strength", self.strength.currentText().strip())
        put(rx, "dose_mg", self.dose.value() or None)
        put(rx, "times_per_day", self.times.value() or None)
        times = [t.strip() for t in self.dose_times.text().replace(";", ",").split(",") if t.strip()]
        put(rx, "dose_times", times or None)
        rx["plan"] = self.plan.currentData()
        rx["start_date"] = pydate(self.start.date()).isoformat()
        if self.titration.isChecked():
            rx["titration"] = {
                "step_mg": self.t_step.value(),
                "every_days": self.t_every.value(),
                "target_dose_mg": self.t_target.value(),
            }
        else:
            rx.pop("titration", None)
        if self.taper.isChecked():
            rx["taper"] = {"step_mg": self.p_step.value(), "every_days": self.p_every.value()}
        else:
            rx.pop("taper", None)
        put(rx, "prescriber", self.prescriber.text().strip())

        data["region"] = self.region.currentData()
        data["patient"] = patient
        data["prescription"] = rx
        data["pharmacy"] = {
            "name": self.pharmacy_name.text().strip(),
            "phone": self.pharmacy_phone.text().strip(),
            "address": self.pharmacy_address.text().strip(),
        }
        data["pharmacist"] = self.pharmacist.text().strip()
        data["notes"] = self.notes.toPlainText()
        put(
            data,
            "follow_up_date",
            pydate(self.follow_up.date()).isoformat() if self.follow_up_on.isChecked() else None,
        )
        return data

    def set_data(self, data: dict[str, Any]) -> None:
        """Fill every widget from JSON-shaped case data (no `edited` signals while filling)."""
        self._filling = True
        try:
            self._fill(data)
        finally:
            self._filling = False
        self._refresh_strengths()
        self._show_kidney()
        self._show_amount()

    def _fill(self, data: dict[str, Any]) -> None:
        self._base = copy.deepcopy(data)
        p: dict[str, Any] = dict(data.get("patient") or {})
        rx: dict[str, Any] = dict(data.get("prescription") or {})
        self.name.setText(str(p.get("name") or ""))
        self.reference.setText(str(p.get("reference") or ""))
        self.age.setValue(int(p["age"]) if isinstance(p.get("age"), int | float) else -1)
        self.weight.setValue(float(p.get("weight_kg") or 0))
        set_combo(self.sex, p.get("sex", "unknown"))
        for key, box in (
            ("liver_disease", self.liver),
            ("seizure_history", self.seizures),
            ("mental_health_history", self.mental),
            ("large_print", self.large_print),
        ):
            box.setChecked(bool(p.get(key, False)))
        for key, tri in self.tri_state.items():
            value = p.get(key, False)  # a file that leaves it out means no
            tri.setCheckState(Qt.CheckState.PartiallyChecked if value is None
                              else Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
        set_combo(self.kidney, p.get("kidney_function", "unknown"))
        crcl = p.get("crcl_ml_min")
        self.crcl.setValue(float(crcl) if isinstance(crcl, int | float) else -1)
        egfr = p.get("egfr")
        self.egfr.setValue(float(egfr) if isinstance(egfr, int | float) else -1)
        wanted = set(p.get("conditions") or [])
        for value, box in self.conditions.items():
            box.setChecked(value in wanted)
        set_combo(self.alcohol, p.get("alcohol", "none"))
        self.medicines.set_medicines([str(m) for m in p.get("other_medicines") or []])

        set_combo(self.drug, str(rx.get("drug", "baclofen")).lower())
        set_combo(self.indication, rx.get("indication", "spasticity"))
        set_combo(self.form_, rx.get("form", "tablet"))
        self.strength.setCurrentText(str(rx.get("strength") or ""))
        self.dose.setValue(float(rx.get("dose_mg") or 0))
        self.times.setValue(int(rx.get("times_per_day") or 0))
        self.dose_times.setText(", ".join(str(t) for t in rx.get("dose_times") or []))
        set_combo(self.plan, rx.get("plan", "start"))
        self.start.setDate(qdate(parse_date(rx.get("start_date")) or self._today))
        titration = rx.get("titration") or None
        self.titration.setChecked(isinstance(titration, dict))
        if isinstance(titration, dict):
            self.t_step.setValue(float(titration.get("step_mg") or 0))
            self.t_every.setValue(int(titration.get("every_days") or 3))
            self.t_target.setValue(float(titration.get("target_dose_mg") or 0))
        taper = rx.get("taper") or None
        self.taper.setChecked(isinstance(taper, dict))
        if isinstance(taper, dict):
            self.p_step.setValue(float(taper.get("step_mg") or 0))
            self.p_every.setValue(int(taper.get("every_days") or 7))
        self.prescriber.setText(str(rx.get("prescriber") or ""))

        set_combo(self.region, data.get("region", "us"))
        pharmacy: dict[str, Any] = dict(data.get("pharmacy") or {})
        self.pharmacy_name.setText(str(pharmacy.get("name") or ""))
        self.pharmacy_phone.setText(str(pharmacy.get("phone") or ""))
        self.pharmacy_address.setText(str(pharmacy.get("address") or ""))
        self.pharmacist.setText(str(data.get("pharmacist") or ""))
        self.notes.setPlainText(str(data.get("notes") or ""))
        follow = parse_date(data.get("follow_up_date"))
        self.follow_up_on.setChecked(follow is not None)
        self.follow_up.setEnabled(follow is not None)
        if follow is not None:
            self.follow_up.setDate(qdate(follow))

    # ----------------------------------------------------------- validation
    def field_widget(self, path: str) -> QWidget | None:
        """The widget for a case field path such as 'patient.other_medicines.2' (closest match)."""
        parts = path.split(".")
        while parts:
            hit = self._fields.get(".".join(parts))
            if hit is not None:
                return hit[0]
            parts.pop()
        return None

    def show_error(self, error: CaseError | None) -> None:
        """Show one problem next to its field (and a banner at the top); None clears all messages."""
        for _widget, label in self._fields.values():
            label.hide()
        self._error_field = ""
        if error is None:
            self.banner.hide()
            self.banner_button.hide()
            return
        parts = error.field.split(".")
        while parts and ".".join(parts) not in self._fields:
            parts.pop()
        key = ".".join(parts)
        where = choices.field_label(error.field)
        incomplete = is_missing(error)  # still being filled in: calm, not red
        if key:
            label = self._fields[key][1]
            label.setText(error.problem)
            label.setStyleSheet(hint_style() if incomplete else error_style())
            label.show()
            self._error_field = key
        if incomplete:
            self.banner.setStyleSheet(banner_needed())
            self.banner.setText(f"Still needed: {where}." if where else error.problem)
        else:
            self.banner.setStyleSheet(banner_problem())
            self.banner.setText(f"Check {where}: {error.problem}" if where else error.problem)
        self.banner.show()
        self.banner_button.setVisible(bool(key))

    def error_text(self, path: str) -> str:
        """The inline message currently shown for a field ('' if none)."""
        hit = self._fields.get(path)
        return hit[1].text() if hit and hit[1].isVisibleTo(self) else ""

    def focus_error(self) -> None:
        widget = self.field_widget(self._error_field) if self._error_field else None
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensure_visible(widget)

    def ensure_visible(self, widget: QWidget) -> None:
        parent = self.parentWidget()
        while parent is not None and not hasattr(parent, "ensureWidgetVisible"):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(widget)

    def show_recognition(self, result: Counselling | None) -> None:
        self.medicines.show_recognition(result)
