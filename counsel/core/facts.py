"""Facts about a case that checklist conditions can test, each with a plain label for reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from counsel.core.case import LIQUID_FORMS, Case

KIDNEY_IMPAIRED: frozenset[str] = frozenset({"mild", "moderate", "severe", "dialysis"})

# CrCl bands (Cockcroft-Gault, mL/min) from the fact sheet's renal section (Vlavonou 2014).
CRCL_BANDS: tuple[tuple[float, str], ...] = ((30.0, "severe"), (50.0, "moderate"), (80.0, "mild"))

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
    "weight_kg": "weight (kg)",
    "sex": "sex",
    "pregnant": "pregnant",
    "breastfeeding": "breastfeeding",
    "kidney": "kidney function",
    "liver_disease": "liver disease",
    "seizure_history": "history of seizures or epilepsy",
    "mental_health_history": "mental health history",
    "alcohol": "alcohol",
    "drives": "drives or uses machines",
    "form": "form",
    "plan": "plan",
    "indication": "used for",
    "has_titration": "dose goes up over the coming days",
    "has_taper": "dose comes down over the coming days",
    "liquid": "takes a liquid",
    "oral": "takes baclofen by mouth",
}


def kidney_category(kidney_function: str, crcl_ml_min: float | None) -> str:
    """The kidney category: CrCl decides when given, except that dialysis stays dialysis."""
    if kidney_function == "dialysis" or crcl_ml_min is None:
        return kidney_function
    for below, category in CRCL_BANDS:
        if crcl_ml_min < below:
            return category
    return "normal"


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
    values: dict[str, str | float | bool | None] = {
        "region": case.region,
        "age": float(p.age),
        "weight_kg": p.weight_kg,
        "sex": p.sex,
        "pregnant": p.pregnant,
        "breastfeeding": p.breastfeeding,
        "kidney": kidney_category(p.kidney_function, p.crcl_ml_min),
        "liver_disease": p.liver_disease,
        "seizure_history": p.seizure_history,
        "mental_health_history": p.mental_health_history,
        "alcohol": p.alcohol,
        "drives": p.drives,
        "form": rx.form,
        "plan": rx.plan,
        "indication": rx.indication,
        "has_titration": rx.titration is not None,
        "has_taper": rx.taper is not None,
        "liquid": rx.form in LIQUID_FORMS,
        "oral": rx.form != "intrathecal",
    }
    return Facts(
        values=values,
        conditions=frozenset(p.conditions),
        medicine_classes=medicine_classes,
        medicine_class_labels=class_labels,
    )
