"""Screening answers that may be "not asked".

A yes/no screening answer is True, False, or None: not asked. The alcohol answer has its own
"not_asked" value. Not asked is never read as an answer the patient gave: the facts treat it as no
(exactly what a blank answer meant before), anything allowed only on a clear "no" stays closed
(facts.task_timed_dose_allowed), and an information finding lists what is still to ask, because
the answers change the advice and the warnings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counsel.core.findings import Warning

if TYPE_CHECKING:
    from counsel.core.case import Case, Patient

NOT_ASKED = "not_asked"  # the alcohol answer's "not asked"

# Each question in plain words, in the order a pharmacist would ask them.
SCREENING_QUESTIONS: dict[str, str] = {
    "pregnant": "Pregnant, or could be?",
    "breastfeeding": "Breastfeeding?",
    "alcohol": "Drinks alcohol? How often?",
    "drives": "Drives or uses machines?",
    "missed_or_stopped_recently": "Missed doses, ran out or stopped baclofen in the last 48 hours?",
    "withdrawal_signs": "Signs of withdrawal now (hallucinations, confusion, fits, high "
                        "temperature, much worse stiffness or spasms, fast heartbeat)?",
    "misuse_history": "A history of misuse of, or dependence on, alcohol or drugs?",
}


def not_asked(patient: Patient) -> list[str]:
    """The screening questions still to ask (field names, in SCREENING_QUESTIONS order)."""
    out: list[str] = []
    for name in SCREENING_QUESTIONS:
        if name in ("pregnant", "breastfeeding") and (patient.sex == "male" or patient.age < 9):
            continue  # never asked of a man or a young child (the case refuses a yes there)
        value = getattr(patient, name)
        if value is None or value == NOT_ASKED:
            out.append(name)
    return out


def screening_checks(case: Case) -> list[Warning]:
    """One information finding naming the screening questions not asked yet (never blocks)."""
    missing = not_asked(case.patient)
    if not missing:
        return []
    asked = "; ".join(SCREENING_QUESTIONS[name] for name in missing)
    return [Warning(
        "SCREENING_NOT_ASKED",
        f"Not asked yet: {asked} The answers change the advice and the warnings: ask before the "
        "leaflet is handed over (they are treated as no until then).",
        "patient",
        "info",
    )]
