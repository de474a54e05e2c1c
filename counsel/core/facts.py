"""Facts about a case that checklist conditions can test, each with a plain label for reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from counsel.core.case import LIQUID_FORMS, Case

KIDNEY_IMPAIRED: frozenset[str] = frozenset({"mild", "moderate", "severe", "dialysis"})
KIDNEY_SEVERE: frozenset[str] = frozenset({"severe", "dialysis"})
# Ordered from best to worst; a typed category and a measured value are compared on this scale.
KIDNEY_ORDER: tuple[str, ...] = ("normal", "mild", "moderate", "severe", "dialysis")

# Bands (mL/min) from the fact sheet's renal section (Vlavonou 2014, Cockcroft-Gault CrCl). The
# same bands are used for eGFR (mL/min/1.73 m²): the boundary that changes the warning, < 30
# (severe), is the same on both scales, and mild/moderate get the same caution either way.
CRCL_BANDS: tuple[tuple[float, str], ...] = ((30.0, "severe"), (50.0, "moderate"), (80.0, "mild"))
BEERS_BELOW = 60.0  # AGS Beers 2023: avoid baclofen in older adults with eGFR < 60 mL/min
OLDER_ADULT_AGE = 65

CONDITION_LABELS: dict[str, str] = {
    "peptic_ulcer": "stomach ulcer",
    "diabetes": "diabetes",
    "stroke": "past stroke",
    "breathing_problems": "breathing problems",
    "bladder_problems": "bladder problems",
    "autonomic_dysreflexia": "autonomic dysreflexia",
    "parkinsons": "Parkinson's disease",
    "porphyria": "porphyria",
    "high_blood_pressure": "high blood pressure",
    "posture_relies_on_stiffness": "relies on stiffness to stand or move",
}

FACT_LABELS: dict[str, str] = {
    "region": "region",
    "age": "age",
    "child": "a child (under 18)",
    "weight_kg": "weight (kg)",
    "sex": "sex",
    "pregnant": "pregnant",
    "breastfeeding": "breastfeeding",
    "kidney": "kidney function",
    "egfr": "eGFR (mL/min/1.73 m²)",
    "crcl": "CrCl (mL/min)",
    "kidney_impaired": "kidney function is reduced",
    "kidney_mild_or_moderate": "kidney function is mildly or moderately reduced",
    "kidney_severe": "kidney function is severely reduced or on dialysis",
    "kidney_below_60": "eGFR or CrCl below 60",
    "kidney_unknown": "kidney function not known",
    "age_65_plus_kidney_below_60": "aged 65 or over with eGFR or CrCl below 60 (Beers 2023)",
    "age_65_plus_kidney_unknown": "aged 65 or over and kidney function not known",
    "liver_disease": "liver disease",
    "seizure_history": "history of seizures or epilepsy",
    "mental_health_history": "mental health history",
    "misuse_history": "history of misuse of or dependence on alcohol or drugs",
    "missed_or_stopped_recently": "missed doses or ran out in the last 48 hours",
    "withdrawal_signs": "signs of withdrawal now",
    "alcohol": "alcohol",
    "drives": "drives or uses machines",
    "form": "form",
    "plan": "plan",
    "indication": "used for",
    "off_label": "an off-label use",
    "has_titration": "dose goes up over the coming days",
    "has_taper": "dose comes down over the coming days",
    "stable_plan": "the same dose every day (no build-up, taper or stop)",
    "task_timed_dose_allowed": "an adult with spasticity on a stable plan, with no kidney "
                               "problems or misuse history",
    "liquid": "takes a liquid",
    "oral": "takes baclofen by mouth",
}


def measured_category(value: float) -> str:
    """The kidney category of a measured eGFR or CrCl (mL/min)."""
    for below, category in CRCL_BANDS:
        if value < below:
            return category
    return "normal"


@dataclass(frozen=True)
class KidneyStatus:
    """What the case says about the kidneys, and which value decided it.

    Rules (documented in the README): dialysis, when typed, stays dialysis. Otherwise a measured
    value decides; when both eGFR and CrCl are given the LOWER one decides (the safer choice).
    A typed category that disagrees with the measured value is reported (`conflict`), never
    silently overwritten in the pharmacist's view.
    """

    category: str  # normal|mild|moderate|severe|dialysis|unknown
    typed: str
    measured: float | None  # the deciding value, mL/min (or mL/min/1.73 m² for eGFR)
    measured_name: str  # "eGFR" | "CrCl" | ""
    measured_category: str | None

    @property
    def conflict(self) -> bool:
        if self.measured_category is None or self.typed in ("unknown", self.measured_category):
            return False
        # Dialysis with a measured "severe" value agrees; any other difference is a conflict.
        return not (self.typed == "dialysis" and self.measured_category == "severe")

    @property
    def impaired(self) -> bool:
        return self.category in KIDNEY_IMPAIRED

    @property
    def severe(self) -> bool:
        return self.category in KIDNEY_SEVERE

    @property
    def below_60(self) -> bool:
        """eGFR/CrCl under 60: measured, or implied by a moderate/severe/dialysis category."""
        if self.measured is not None and self.measured < BEERS_BELOW:
            return True
        return self.category in ("moderate", "severe", "dialysis")

    @property
    def known(self) -> bool:
        return self.category != "unknown"

    @property
    def value_text(self) -> str:
        if self.measured is None:
            return ""
        unit = "mL/min/1.73 m²" if self.measured_name == "eGFR" else "mL/min"
        return f"{self.measured_name} {self.measured:g} {unit}"


def kidney_status(kidney_function: str, crcl_ml_min: float | None,
                  egfr: float | None = None) -> KidneyStatus:
    """The kidney status from the typed category and any measured eGFR / CrCl."""
    candidates = [(v, n) for v, n in ((egfr, "eGFR"), (crcl_ml_min, "CrCl")) if v is not None]
    if not candidates:
        return KidneyStatus(kidney_function, kidney_function, None, "", None)
    value, name = min(candidates, key=lambda c: c[0])
    measured = measured_category(value)
    category = "dialysis" if kidney_function == "dialysis" else measured
    return KidneyStatus(category, kidney_function, value, name, measured)


def kidney_category(kidney_function: str, crcl_ml_min: float | None,
                    egfr: float | None = None) -> str:
    """The kidney category: a measured value decides (the lower of eGFR and CrCl when both are
    given), except that dialysis stays dialysis."""
    return kidney_status(kidney_function, crcl_ml_min, egfr).category


def patient_kidney(case: Case) -> KidneyStatus:
    p = case.patient
    return kidney_status(p.kidney_function, p.crcl_ml_min, p.egfr)


def task_timed_dose_allowed(case: Case) -> bool:
    """UK SmPC task-timed / night dose: only for an adult with spasticity on a stable plan; never
    in a taper, a build-up, kidney impairment, off-label use or with a misuse history (§11)."""
    p, rx = case.patient, case.prescription
    kidney = patient_kidney(case).category
    # Unknown kidneys pass only under 65: from 65 the kidney function must be found out first.
    kidneys_ok = kidney == "normal" or (kidney == "unknown" and p.age < OLDER_ADULT_AGE)
    return (p.age >= 18 and rx.indication == "spasticity" and is_stable_plan(case)
            and kidneys_ok and p.misuse_history is False  # not asked: not allowed
            and rx.form != "intrathecal")


def is_stable_plan(case: Case) -> bool:
    rx = case.prescription
    return rx.plan == "continue" and rx.titration is None and rx.taper is None


@dataclass(frozen=True)
class Facts:
    """Plain values derived from a case; conditions read only these."""

    values: dict[str, str | float | bool | None]
    conditions: frozenset[str]
    # medicine class id -> names of the patient's medicines in that class, as the patient gave them
    medicine_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    medicine_class_labels: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | float | bool | None:
        return self.values[name]


def facts_for(
    case: Case,
    medicine_classes: dict[str, tuple[str, ...]],
    class_labels: dict[str, str],
) -> Facts:
    """Derive the condition facts of a case (medicine matching is done by the caller)."""
    p, rx = case.patient, case.prescription
    kidney = patient_kidney(case)
    older = p.age >= OLDER_ADULT_AGE
    values: dict[str, str | float | bool | None] = {
        "region": case.region,
        "age": float(p.age),
        "child": p.age < 18,
        "weight_kg": p.weight_kg,
        "sex": p.sex,
        "pregnant": p.pregnant is True,
        "breastfeeding": p.breastfeeding is True,
        "kidney": kidney.category,
        "egfr": p.egfr,
        "crcl": p.crcl_ml_min,
        "kidney_impaired": kidney.impaired,
        "kidney_mild_or_moderate": kidney.category in ("mild", "moderate"),
        "kidney_severe": kidney.severe,
        "kidney_below_60": kidney.below_60,
        "kidney_unknown": not kidney.known,
        "age_65_plus_kidney_below_60": older and kidney.below_60,
        "age_65_plus_kidney_unknown": older and not kidney.known,
        "liver_disease": p.liver_disease,
        "seizure_history": p.seizure_history,
        "mental_health_history": p.mental_health_history,
        "misuse_history": p.misuse_history is True,  # not asked (None): as no
        "missed_or_stopped_recently": p.missed_or_stopped_recently is True,  # not asked (None): as no
        "withdrawal_signs": p.withdrawal_signs is True,  # not asked (None): as no
        "alcohol": p.alcohol,
        "drives": p.drives is True,  # not asked (None): as no
        "form": rx.form,
        "plan": rx.plan,
        "indication": rx.indication,
        "off_label": rx.indication != "spasticity",
        "has_titration": rx.titration is not None,
        "has_taper": rx.taper is not None,
        "stable_plan": is_stable_plan(case),
        "task_timed_dose_allowed": task_timed_dose_allowed(case),
        "liquid": rx.form in LIQUID_FORMS,
        "oral": rx.form != "intrathecal",
    }
    return Facts(
        values=values,
        conditions=frozenset(p.conditions),
        medicine_classes=medicine_classes,
        medicine_class_labels=class_labels,
    )
