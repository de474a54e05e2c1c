"""A safety finding (warning) with a stable code, a plain title and a severity.

Severity puts the warnings in proportion to the risk:
- "critical": act before supply (e.g. severe kidney impairment, withdrawal now);
- "warning": the pharmacist acknowledges it (checked with the prescriber, or noted);
- "info": shown to the pharmacist for reference; it never blocks printing (no acknowledgement).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["critical", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"critical": 0, "warning": 1, "info": 2}

# A plain title for every code (shown as the warning's heading at the counter and in records).
WARNING_TITLES: dict[str, str] = {
    "MAX_DAILY_DOSE": "Daily total above the label maximum",
    "SCREENING_NOT_ASKED": "Screening questions not asked yet",
    "DOSE_NOT_MEASURABLE": "Dose cannot be measured with this product",
    "HALF_TABLET_SCORE_UNCONFIRMED": "Half tablet: check the tablet has a score line",
    "LIQUID_CONCENTRATION": "Liquid: check the strength and the mL",
    "PRODUCT_NOT_LISTED": "Product not on our list for this region",
    "CHILD_NOT_ESTABLISHED": "Child: not established at this age (US label)",
    "CHILD_DOSE_CAP": "Child: daily total above the age limit",
    "CHILD_WEIGHT_MISSING": "Child: weight not recorded",
    "CHILD_TABLETS_UNDER_WEIGHT": "Child: tablets not suitable at this weight",
    "CHILD_MG_PER_KG": "Child: dose per kg of body weight",
    "CHILD_START_ABOVE_REFERENCE": "Child: starting dose above the SmPC start",
    "CHILD_ABOVE_MAINTENANCE_BAND": "Child: dose above the usual maintenance band",
    "CHILD_TITRATION_FASTER_THAN_WEEKLY": "Child: dose rises faster than about weekly",
    "KIDNEY_IMPAIRMENT": "Kidney function reduced: caution",
    "KIDNEY_SEVERE": "Severe kidney impairment or dialysis: contact the prescriber before supply",
    "KIDNEY_DAILY_TOTAL_ABOVE_STATEMENT": "Kidneys: daily total above the labelled 'about 5 mg "
                                          "a day'",
    "KIDNEY_VALUES_DISAGREE": "Kidney category and measured value disagree",
    "OLDER_ADULT_KIDNEY_BEERS": "Age 65 or over with eGFR or CrCl below 60 (Beers 2023)",
    "OLDER_ADULT_KIDNEY_UNKNOWN": "Age 65 or over: find out the kidney function",
    "PREGNANCY": "Pregnant",
    "BREASTFEEDING": "Breastfeeding",
    "OFF_LABEL_USE": "Off-label use",
    "MISUSE_HISTORY": "History of misuse or dependence",
    "PEPTIC_ULCER_UK": "Stomach ulcer: a contraindication for some UK products",
    "STOP_WITHOUT_TAPER": "Stopping without a taper",
    "TAPER_TOO_FAST": "Taper faster than the usual advice",
    "START_ABOVE_LABEL": "Starting dose above the label start",
    "TITRATION_STEP_ABOVE_LABEL": "Dose steps larger than the label's 5 mg",
    "TITRATION_FASTER_THAN_LABEL": "Dose rises faster than the label's 3 days",
    "WITHDRAWAL_RISK_NOW": "Missed doses or ran out recently: withdrawal risk",
    "WITHDRAWAL_SIGNS_URGENT": "Signs of withdrawal now: urgent referral",
    "DUPLICATE_BACLOFEN": "Two baclofen products",
    "GABAPENTINOID_BREATHING": "Gabapentin or pregabalin: breathing risk",
    "CHECK_OTHER_INGREDIENTS": "Check the other ingredients of a medicine",
    "UNRECOGNISED_MEDICINE": "Medicine not recognised: check it yourself",
}


@dataclass(frozen=True)
class Warning:
    """A safety finding: stable code, one-line message, the case field it concerns, how serious
    it is, and a plain title (from WARNING_TITLES unless given)."""

    code: str
    message: str
    field: str = ""
    severity: Severity = "warning"
    title: str = ""

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", title_for(self.code))

    @property
    def needs_acknowledgement(self) -> bool:
        """Information is for reference only; every other finding is acknowledged before print."""
        return self.severity != "info"


def title_for(code: str) -> str:
    """The plain title of a code; interactions are titled by their class code."""
    if code in WARNING_TITLES:
        return WARNING_TITLES[code]
    if code.startswith("INTERACTION_"):
        return "Interaction: " + code.removeprefix("INTERACTION_").replace("_", " ").lower()
    return code.replace("_", " ").capitalize()
