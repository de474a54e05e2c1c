"""Plain-language labels for the case file's fixed choices (values are the core's JSON names)."""

from __future__ import annotations

SEX = [("unknown", "Not recorded"), ("female", "Female"), ("male", "Male"), ("other", "Other")]
KIDNEY = [
    ("unknown", "Not known"),
    ("normal", "Normal"),
    ("mild", "Mildly reduced"),
    ("moderate", "Moderately reduced"),
    ("severe", "Severely reduced"),
    ("dialysis", "On dialysis"),
]
ALCOHOL = [("none", "None"), ("occasional", "Occasionally"), ("regular", "Regularly"),
           ("not_asked", "Not asked")]
CONDITIONS = [
    ("peptic_ulcer", "Stomach ulcer"),
    ("diabetes", "Diabetes"),
    ("stroke", "Stroke"),
    ("breathing_problems", "Breathing problems"),
    ("bladder_problems", "Bladder problems"),
    ("autonomic_dysreflexia", "Autonomic dysreflexia"),
    ("parkinsons", "Parkinson's"),
    ("porphyria", "Porphyria"),
    ("high_blood_pressure", "High blood pressure"),
    ("posture_relies_on_stiffness", "Relies on stiffness to stand or walk"),
]
INDICATION = [
    ("spasticity", "Muscle spasticity"),
    ("alcohol_use_disorder", "Alcohol use disorder"),
    ("hiccups", "Hiccups"),
    ("other", "Other"),
]
FORM = [
    ("tablet", "Tablets"),
    ("oral_solution", "Oral solution (liquid)"),
    ("oral_suspension", "Oral suspension (liquid)"),
    ("granules", "Granules"),
    ("intrathecal", "Intrathecal pump"),
]
PLAN = [
    ("start", "Starting"),
    ("continue", "Continuing"),
    ("change", "Changing the dose"),
    ("stop", "Stopping"),
]
REGION = [("us", "United States (FDA label)"), ("uk", "United Kingdom (SmPC)")]

_FIELD_LABELS = {
    "patient.name": "the patient's name",
    "patient.reference": "the reference",
    "patient.age": "Age",
    "patient.weight_kg": "Weight",
    "patient.sex": "Sex",
    "patient.pregnant": "Pregnant",
    "patient.breastfeeding": "Breastfeeding",
    "patient.kidney_function": "Kidney function",
    "patient.crcl_ml_min": "CrCl",
    "patient.egfr": "eGFR",
    "patient.other_medicines": "Other medicines",
    "prescription.drug": "Medicine",
    "prescription.strength": "Strength",
    "prescription.dose_mg": "Dose each time",
    "prescription.times_per_day": "Times a day",
    "prescription.dose_times": "Dose times",
    "prescription.plan": "Plan",
    "prescription.start_date": "Start date",
    "prescription.titration": "Titration",
    "prescription.titration.step_mg": "Titration step",
    "prescription.titration.target_dose_mg": "Titration target",
    "prescription.taper": "Taper",
    "prescription.taper.step_mg": "Taper step",
    "prescription.prescriber": "Prescriber",
    "pharmacist": "Pharmacist",
    "notes": "Notes",
    "pharmacy.name": "Pharmacy",
    "pharmacy.phone": "Phone",
    "pharmacy.address": "Address",
    "follow_up_date": "Follow-up",
}


def field_label(path: str) -> str:
    """'patient.other_medicines.2' -> 'Other medicines' (closest known field; '' if none)."""
    parts = path.split(".")
    while parts:
        label = _FIELD_LABELS.get(".".join(parts))
        if label:
            return label
        parts.pop()
    return path
