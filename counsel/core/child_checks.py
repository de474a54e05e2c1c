"""Children's checks: weight, mg/kg/day against the SmPC reference, age caps, weekly steps.

The reference numbers are the UK SmPC's (facts §3 and §11, UK-SmPC via rxreasoner): start about
0.3 mg/kg/day, usual maintenance 0.75-2 mg/kg/day, raised at about 1-week intervals, caps 40 mg/day
under 8 years and 60 mg/day from 8. In the UK they are warnings; US labels do not establish
use under 12, and US paediatric references use the same bands [L], so for US children they are
shown as information. Nothing here suggests a dose.
"""

from __future__ import annotations

from counsel.core.case import Case
from counsel.core.doses import mg
from counsel.core.findings import Severity, Warning
from counsel.core.monograph import Monograph
from counsel.core.schedule import Step

CHILD_AGE_BELOW = 18
START_MG_PER_KG_DAY = 0.3
# "About 0.3": we flag a start more than a quarter above it (measurable doses cannot hit 0.3
# exactly). A judgement call, documented in the README; the prescriber decides.
START_TOLERANCE = 1.25
MAINTENANCE_MG_PER_KG_DAY = (0.75, 2.0)
CHILD_STEP_DAYS = 7
REFERENCE = "UK SmPC"


def child_checks(case: Case, mono: Monograph, steps: list[Step]) -> list[Warning]:
    p, rx = case.patient, case.prescription
    if p.age >= CHILD_AGE_BELOW:
        return []
    child = mono.regions[case.region].child
    uk_child = mono.regions["uk"].child if "uk" in mono.regions else child
    # US: the same reference checks, as information; UK: warnings.
    level: Severity = "warning" if child.caps else "info"
    oral = rx.form != "intrathecal"
    out: list[Warning] = []
    if p.age < child.licensed_from_years:
        out.append(Warning(
            "CHILD_NOT_ESTABLISHED",
            child.not_established_text or f"Not licensed under {child.licensed_from_years} years.",
            "patient.age",
        ))
    highest = max((s.daily_total_mg for s in steps), default=0.0)
    for cap in (child.caps or uk_child.caps):
        if p.age < cap.under_years:
            if highest > cap.max_daily_mg:
                source = "" if child.caps else f" ({REFERENCE} reference; US labels set no cap)"
                out.append(Warning(
                    "CHILD_DOSE_CAP",
                    f"Daily total reaches {mg(highest)}; the children's maximum under "
                    f"{cap.under_years} years is {mg(cap.max_daily_mg)} a day{source}.",
                    "prescription.dose_mg", level,
                ))
            break
    if p.weight_kg is None:
        if oral:
            out.append(Warning(
                "CHILD_WEIGHT_MISSING",
                "Children's doses are worked out by weight: record the child's weight to check "
                "the dose per kg.",
                "patient.weight_kg", "critical",
            ))
    elif oral and steps:
        out += _per_kg(case, steps, p.weight_kg, level)
    limit = child.tablets_min_weight_kg
    if (limit is not None and p.weight_kg is not None and p.weight_kg < limit
            and rx.form == "tablet"):
        out.append(Warning(
            "CHILD_TABLETS_UNDER_WEIGHT",
            f"Tablets are not suitable for children under {limit:g} kg ({p.weight_kg:g} kg): "
            f"a liquid may be needed.",
            "prescription.form",
        ))
    if oral and rx.titration is not None and rx.titration.every_days < CHILD_STEP_DAYS:
        out.append(Warning(
            "CHILD_TITRATION_FASTER_THAN_WEEKLY",
            f"The dose rises every {rx.titration.every_days} day(s); for children the "
            f"{REFERENCE} raises it cautiously at about {CHILD_STEP_DAYS}-day intervals. Confirm "
            f"with the prescriber.",
            "prescription.titration.every_days", level,
        ))
    return out


def per_kg(daily_mg: float, weight_kg: float) -> float:
    return round(daily_mg / weight_kg, 2)


def _per_kg(case: Case, steps: list[Step], weight: float, level: Severity) -> list[Warning]:
    rx = case.prescription
    dosed = [s for s in steps if s.dose_mg > 0]
    if not dosed:
        return []
    first, highest = dosed[0].daily_total_mg, max(s.daily_total_mg for s in dosed)
    low, high = MAINTENANCE_MG_PER_KG_DAY
    plan = (f"{mg(first)} a day = {per_kg(first, weight):g} mg/kg/day" if first == highest else
            f"{mg(first)} a day rising to {mg(highest)} = {per_kg(first, weight):g} to "
            f"{per_kg(highest, weight):g} mg/kg/day")
    out = [Warning(
        "CHILD_MG_PER_KG",
        f"{plan} for {weight:g} kg. {REFERENCE} reference: start about {START_MG_PER_KG_DAY:g} "
        f"mg/kg/day; usual maintenance {low:g} to {high:g} mg/kg/day.",
        "patient.weight_kg", "info",
    )]
    if rx.plan == "start" and per_kg(first, weight) > START_MG_PER_KG_DAY * START_TOLERANCE:
        out.append(Warning(
            "CHILD_START_ABOVE_REFERENCE",
            f"The plan starts at {per_kg(first, weight):g} mg/kg/day ({mg(first)} a day for "
            f"{weight:g} kg); the {REFERENCE} starts at about {START_MG_PER_KG_DAY:g} mg/kg/day. "
            f"Confirm with the prescriber.",
            "prescription.dose_mg", level,
        ))
    if per_kg(highest, weight) > high:
        out.append(Warning(
            "CHILD_ABOVE_MAINTENANCE_BAND",
            f"The daily total reaches {per_kg(highest, weight):g} mg/kg/day ({mg(highest)} a day "
            f"for {weight:g} kg), above the {REFERENCE} usual maintenance of {low:g} to {high:g} "
            f"mg/kg/day. Confirm the dose and the weight with the prescriber.",
            "prescription.dose_mg", level,
        ))
    return out
