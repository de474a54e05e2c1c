"""Safety checks on a case: each finding is a warning with a stable code the pharmacist acknowledges.

The checks flag risks in the prescriber's plan, in proportion to the risk (see findings.Severity);
they never suggest a different dose. Kidney, children's and plan checks live in their own modules.
"""

from __future__ import annotations

from counsel.core.case import Case
from counsel.core.child_checks import child_checks
from counsel.core.doses import concentration_text, dose_amount, halving, mg, ml_text
from counsel.core.findings import SEVERITY_ORDER, WARNING_TITLES, Severity, Warning, title_for
from counsel.core.kidney_checks import kidney_checks
from counsel.core.medicines import MedicineIndex, Recognised, medicine_findings
from counsel.core.monograph import Monograph
from counsel.core.plan_checks import plan_checks
from counsel.core.schedule import Step
from counsel.core.screening import screening_checks

__all__ = ["SEVERITY_ORDER", "WARNING_TITLES", "Severity", "Warning", "run_checks", "title_for"]

# Medicine findings that are critical (the rest are warnings).
_CRITICAL_MEDICINE_CODES = frozenset({"GABAPENTINOID_BREATHING"})


def run_checks(
    case: Case,
    mono: Monograph,
    steps: list[Step],
    recognised: list[Recognised],
    unrecognised: list[str],
    medicines: MedicineIndex,
) -> list[Warning]:
    """Every safety warning for the case: critical first, then warnings, then information
    (a stable order within each)."""
    out: list[Warning] = []
    out += plan_checks(case, mono, steps)
    out += _dose_checks(case, mono, steps)
    out += child_checks(case, mono, steps)
    out += _product_checks(case, mono)
    out += kidney_checks(case, steps)
    out += _population_checks(case)
    out += _medicine_checks(case, recognised, unrecognised, medicines)
    out += screening_checks(case)
    return sorted(out, key=lambda w: SEVERITY_ORDER[w.severity])


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
    halves = halving(mono, case.region, rx)
    amounts = {s.dose_mg: dose_amount(s.dose_mg, rx, halves=halves)
               for s in steps if s.dose_mg > 0}
    unmeasurable = [a for _, a in sorted(amounts.items()) if not a.measurable]
    if unmeasurable:
        details = "; ".join(f"{a.mg_text} is {a.detail}" for a in unmeasurable)
        out.append(Warning(
            "DOSE_NOT_MEASURABLE",
            f"{details}. The leaflet prints the mg with 'ask your pharmacist how to measure this "
            f"dose'. Confirm the dose or product with the prescriber.",
            "prescription.dose_mg",
        ))
    unconfirmed = [a for _, a in sorted(amounts.items()) if a.score_unconfirmed]
    if unconfirmed:
        out.append(Warning(
            "HALF_TABLET_SCORE_UNCONFIRMED",
            f"{', '.join(a.amount_text for a in unconfirmed)}: our product list does not say "
            f"whether this product has a score line. Check the tablets supplied can be halved.",
            "prescription.strength", "info",
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
        strength = rx.parsed_strength
        per_ml = strength.mg_per_ml or 1.0
        dose_mg = rx.dose_mg or 0.0
        dose = dose_amount(dose_mg, rx, halves="never")
        volume = ml_text(dose_mg / per_ml)  # exact: 1.25 mg of 25 mg/5 mL is 0.25 mL
        how = "" if dose.measurable else " (not measurable with a standard oral syringe)"
        out.append(Warning(
            "LIQUID_CONCENTRATION",
            f"This liquid is {concentration_text(strength)}; one dose of {dose.mg_text} is "
            f"{volume}{how}. Other strengths exist ({', '.join(others) or 'none listed'}): check "
            f"the bottle and the mL on the label.",
            "prescription.strength",
        ))
    return out


def _population_checks(case: Case) -> list[Warning]:
    p = case.patient
    out: list[Warning] = []
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
    if p.misuse_history:
        out.append(Warning(
            "MISUSE_HISTORY",
            "History of misuse of or dependence on alcohol or drugs: misuse, abuse and "
            "dependence on baclofen have been reported and the UK SmPC asks for caution. Confirm "
            "the prescriber knows.",
            "patient.misuse_history",
        ))
    if case.region == "uk" and "peptic_ulcer" in p.conditions:
        out.append(Warning(
            "PEPTIC_ULCER_UK",
            "Stomach (peptic) ulcer: some UK baclofen products list this as a contraindication "
            "(e.g. Mylan SmPC 4.3). Check the SmPC of the product supplied and confirm with the "
            "prescriber before supply.",
            "patient.conditions",
        ))
    if case.prescription.indication != "spasticity":
        out.append(Warning(
            "OFF_LABEL_USE",
            f"Used for {case.prescription.indication.replace('_', ' ')}: an off-label use. "
            f"Confirm the prescriber's intent; watch mood and self-harm risk.",
            "prescription.indication",
        ))
    return out


def _medicine_checks(
    case: Case, recognised: list[Recognised], unrecognised: list[str], medicines: MedicineIndex
) -> list[Warning]:
    return [Warning(code, message, field,
                    "critical" if code in _CRITICAL_MEDICINE_CODES else "warning")
            for code, message, field in medicine_findings(case, recognised, unrecognised,
                                                          medicines)]
