"""Safety checks on a case: each finding is a warning with a stable code the pharmacist acknowledges.

The checks flag risks in the prescriber's plan; they never suggest a different dose.
"""

from __future__ import annotations

from dataclasses import dataclass

from counsel.core.case import Case
from counsel.core.doses import concentration_text, dose_amount, mg
from counsel.core.facts import KIDNEY_IMPAIRED, kidney_category
from counsel.core.medicines import MedicineIndex, Recognised
from counsel.core.monograph import Monograph
from counsel.core.schedule import Step, taper_days

LABEL_TITRATION_DAYS = 3  # label: hold each step for 3 days (US-TAB, UK-SmPC)
SHORTEST_TAPER_DAYS = 7  # NHS / UK SmPC: taper over about 1 to 2 weeks


@dataclass(frozen=True)
class Warning:
    """A safety finding: stable code, one-line message, and the case field it concerns."""

    code: str
    message: str
    field: str = ""


def run_checks(
    case: Case,
    mono: Monograph,
    steps: list[Step],
    recognised: list[Recognised],
    unrecognised: list[str],
    medicines: MedicineIndex,
) -> list[Warning]:
    """Every safety warning for the case, in a stable order."""
    out: list[Warning] = []
    out += _dose_checks(case, mono, steps)
    out += _child_checks(case, mono, steps)
    out += _product_checks(case, mono)
    out += _population_checks(case)
    out += _plan_checks(case, steps)
    out += _medicine_checks(recognised, unrecognised, medicines)
    return out


def _dose_checks(case: Case, mono: Monograph, steps: list[Step]) -> list[Warning]:
    out: list[Warning] = []
    rules = mono.regions[case.region]
    highest = max((s.daily_total_mg for s in steps), default=0.0)
    if highest > rules.max_daily_mg:
        out.append(Warning(
            "MAX_DAILY_DOSE",
            f"Daily total reaches {mg(highest)}, above the {rules.label} maximum of "
            f"{mg(rules.max_daily_mg)} ({rules.max_daily_note}). Confirm with the prescriber.",
            "prescription.dose_mg",
        ))
    rx = case.prescription
    unmeasurable = sorted({s.dose_mg for s in steps if s.dose_mg > 0
                           and not dose_amount(s.dose_mg, rx).measurable})
    if unmeasurable:
        doses = ", ".join(mg(d) for d in unmeasurable)
        what = {"tablet": "a whole or half tablet", "granules": "a whole packet"}.get(
            rx.form, "a volume that can be measured to 0.1 mL")
        out.append(Warning(
            "DOSE_NOT_MEASURABLE",
            f"{doses} is not {what} of {rx.strength}. Confirm the dose or product "
            f"with the prescriber.",
            "prescription.dose_mg",
        ))
    return out


def _child_checks(case: Case, mono: Monograph, steps: list[Step]) -> list[Warning]:
    child = mono.regions[case.region].child
    age = case.patient.age
    out: list[Warning] = []
    if age >= 18:
        return out
    if age < child.licensed_from_years:
        out.append(Warning(
            "CHILD_NOT_ESTABLISHED",
            child.not_established_text or f"Not licensed under {child.licensed_from_years} years.",
            "patient.age",
        ))
    highest = max((s.daily_total_mg for s in steps), default=0.0)
    for cap in child.caps:
        if age < cap.under_years:
            if highest > cap.max_daily_mg:
                out.append(Warning(
                    "CHILD_DOSE_CAP",
                    f"Daily total reaches {mg(highest)}; the children's maximum under "
                    f"{cap.under_years} years is {mg(cap.max_daily_mg)} a day.",
                    "prescription.dose_mg",
                ))
            break
    if child.caps and case.patient.weight_kg is None:
        out.append(Warning(
            "CHILD_WEIGHT_MISSING",
            "Children's doses are worked out by weight: record the child's weight to check it.",
            "patient.weight_kg",
        ))
    limit = child.tablets_min_weight_kg
    weight = case.patient.weight_kg
    if (limit is not None and weight is not None and weight < limit
            and case.prescription.form == "tablet"):
        out.append(Warning(
            "CHILD_TABLETS_UNDER_WEIGHT",
            f"Tablets are not suitable for children under {limit:g} kg ({weight:g} kg): "
            f"a liquid may be needed.",
            "prescription.form",
        ))
    return out


def _product_checks(case: Case, mono: Monograph) -> list[Warning]:
    rx = case.prescription
    out: list[Warning] = []
    form = mono.forms.get(rx.form)
    listed = form.strengths.get(case.region, []) if form else []
    normalised = {s.replace(" ", "").lower() for s in listed}
    if rx.strength.replace(" ", "").lower() not in normalised:
        known = ", ".join(listed) if listed else "none"
        out.append(Warning(
            "PRODUCT_NOT_LISTED",
            f"{rx.strength} {rx.form.replace('_', ' ')} is not a product we list for "
            f"{mono.regions[case.region].label} (listed: {known}). Check the product.",
            "prescription.strength",
        ))
    if rx.is_liquid:
        others = [c for c in mono.regions[case.region].liquid_concentrations
                  if c.replace(" ", "").lower() != rx.strength.replace(" ", "").lower()]
        dose = dose_amount(rx.dose_mg or 0, rx)
        out.append(Warning(
            "LIQUID_CONCENTRATION",
            f"This liquid is {concentration_text(rx.parsed_strength)}; one dose of "
            f"{dose.mg_text} is {dose.amount_text.split(' of ')[0]}. Other strengths exist "
            f"({', '.join(others) or 'none listed'}): check the bottle and the mL on the label.",
            "prescription.strength",
        ))
    return out


def _population_checks(case: Case) -> list[Warning]:
    p = case.patient
    out: list[Warning] = []
    kidney = kidney_category(p.kidney_function, p.crcl_ml_min, p.egfr)
    if kidney in KIDNEY_IMPAIRED:
        crcl = f", CrCl {p.crcl_ml_min:g} mL/min" if p.crcl_ml_min is not None else ""
        out.append(Warning(
            "KIDNEY_IMPAIRMENT",
            f"Kidney function: {kidney}{crcl}. Baclofen is cleared by the kidneys; the label asks "
            f"for caution and a lower dose may be needed. Confirm the prescriber knows.",
            "patient.kidney_function",
        ))
    if p.pregnant:
        out.append(Warning(
            "PREGNANCY",
            "Pregnant: limited human data; babies can have withdrawal after birth. Confirm the "
            "prescriber and maternity team know.",
            "patient.pregnant",
        ))
    if p.breastfeeding:
        out.append(Warning(
            "BREASTFEEDING",
            "Breastfeeding: present in milk at low levels; watch the baby for sleepiness; the "
            "infant can get withdrawal if baclofen or breastfeeding stops suddenly.",
            "patient.breastfeeding",
        ))
    if case.prescription.indication != "spasticity":
        out.append(Warning(
            "OFF_LABEL_USE",
            f"Used for {case.prescription.indication.replace('_', ' ')}: an off-label use. "
            f"Confirm the prescriber's intent; watch mood and self-harm risk.",
            "prescription.indication",
        ))
    return out


def _plan_checks(case: Case, steps: list[Step]) -> list[Warning]:
    rx = case.prescription
    out: list[Warning] = []
    if rx.plan == "stop" and rx.taper is None:
        out.append(Warning(
            "STOP_WITHOUT_TAPER",
            "The plan is to stop, but there is no taper: stopping suddenly risks withdrawal "
            "(hallucinations, seizures, high fever). Contact the prescriber.",
            "prescription.taper",
        ))
    if rx.titration is not None and rx.titration.every_days < LABEL_TITRATION_DAYS:
        out.append(Warning(
            "TITRATION_FASTER_THAN_LABEL",
            f"Dose rises every {rx.titration.every_days} day(s); the label holds each step for "
            f"{LABEL_TITRATION_DAYS} days. Confirm with the prescriber.",
            "prescription.titration.every_days",
        ))
    if rx.taper is not None:
        days = taper_days(steps)
        if days < SHORTEST_TAPER_DAYS:
            out.append(Warning(
                "TAPER_TOO_FAST",
                f"The taper stops baclofen after {days} day(s); the usual advice is to reduce "
                f"over 1 to 2 weeks. Confirm with the prescriber.",
                "prescription.taper",
            ))
    return out


def _medicine_checks(
    recognised: list[Recognised], unrecognised: list[str], medicines: MedicineIndex
) -> list[Warning]:
    out: list[Warning] = []
    by_class: dict[str, list[str]] = {}
    for med in recognised:
        for class_id in med.classes:
            by_class.setdefault(class_id, []).append(med.given)
    for cls_id, med_class in medicines.classes.items():
        names = by_class.get(cls_id)
        if names:
            out.append(Warning(
                f"INTERACTION_{cls_id.upper()}",
                f"{', '.join(names)} ({med_class.label}): {med_class.warning}",
                "patient.other_medicines",
            ))
    if unrecognised:
        out.append(Warning(
            "UNRECOGNISED_MEDICINE",
            f"Not recognised — check manually for interactions: {', '.join(unrecognised)}.",
            "patient.other_medicines",
        ))
    return out
