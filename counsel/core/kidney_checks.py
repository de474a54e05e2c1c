"""Kidney warnings in proportion to risk (facts §3 and §11; Beers 2023).

mild / moderate -> a caution; severe (< 30) or dialysis -> a separate critical warning whose action
is "contact the prescriber before supply", plus a flag when the daily total is above the labelled
"about 5 mg a day". Age 65+ with eGFR/CrCl < 60 -> the Beers flag; age 65+ with kidney function
unknown -> a prompt to find it out. No dose is ever suggested.
"""

from __future__ import annotations

from counsel.core.case import Case
from counsel.core.doses import mg
from counsel.core.facts import (
    BEERS_BELOW,
    OLDER_ADULT_AGE,
    KidneyStatus,
    measured_category,
    patient_kidney,
)
from counsel.core.findings import Warning
from counsel.core.schedule import Step

# "Approximately 5 mg daily" on dialysis (CA-PM); "5 mg a day" in renal impairment and on
# haemodialysis (Novartis-core SmPCs, verify on eMC). Compared with, never suggested.
LABELLED_RENAL_DAILY_MG = 5.0


def kidney_checks(case: Case, steps: list[Step]) -> list[Warning]:
    p = case.patient
    kidney = patient_kidney(case)
    oral = case.prescription.form != "intrathecal"
    field = _field(case, kidney)
    out: list[Warning] = []
    out += _disagreements(case, kidney)
    described = _describe(kidney)
    if kidney.impaired and not (kidney.severe and oral):
        extra = ""
        if p.age >= OLDER_ADULT_AGE and kidney.measured is None and not kidney.below_60:
            extra = (" Record the eGFR or CrCl: Beers 2023 advises avoiding baclofen in older "
                     "adults below 60.")
        out.append(Warning(
            "KIDNEY_IMPAIRMENT",
            f"Kidney function: {described}. Baclofen is cleared by the kidneys; the label asks "
            f"for caution and a lower dose may be needed. Confirm the prescriber knows; watch for "
            f"new sleepiness or confusion.{extra}",
            field,
        ))
    elif kidney.severe:  # oral baclofen (pump doses are a fraction and set by the clinic)
        out.append(Warning(
            "KIDNEY_SEVERE",
            f"Kidney function: {described}. Baclofen builds up when the kidneys fail: confusion, "
            f"deep sleepiness and jerks (encephalopathy) have followed ordinary doses, and "
            f"studies advise avoiding it in older adults on dialysis. Contact the prescriber "
            f"before supply.",
            field, "critical",
        ))
        highest = max((s.daily_total_mg for s in steps), default=0.0)
        if oral and highest > LABELLED_RENAL_DAILY_MG:
            out.append(Warning(
                "KIDNEY_DAILY_TOTAL_ABOVE_STATEMENT",
                f"The plan's daily total reaches {mg(highest)}. Product information states about "
                f"{mg(LABELLED_RENAL_DAILY_MG)} a day on dialysis and, in some SmPCs, in kidney "
                f"impairment. This is a flag for the prescriber, not a suggested dose.",
                "prescription.dose_mg",
            ))
    if p.age >= OLDER_ADULT_AGE and kidney.below_60 and oral:
        out.append(Warning(
            "OLDER_ADULT_KIDNEY_BEERS",
            f"Age {p.age} with {_below_60_reason(kidney)}. The AGS Beers Criteria (2023) say to "
            f"avoid baclofen in older adults with eGFR below 60; when it cannot be avoided, use "
            f"the lowest effective dose. Confirm the prescriber has considered this.",
            field,
        ))
    if p.age >= OLDER_ADULT_AGE and not kidney.known and oral:
        out.append(Warning(
            "OLDER_ADULT_KIDNEY_UNKNOWN",
            f"Age {p.age} and kidney function not recorded. Baclofen is cleared by the kidneys "
            f"and builds up when they fail. Find out the latest eGFR or CrCl (ask the surgery or "
            f"the prescriber) and record it.",
            "patient.egfr",
        ))
    return out


def _field(case: Case, kidney: KidneyStatus) -> str:
    if kidney.typed == "dialysis" or kidney.measured is None:
        return "patient.kidney_function"
    return "patient.egfr" if kidney.measured_name == "eGFR" else "patient.crcl_ml_min"


def _describe(kidney: KidneyStatus) -> str:
    name = "on dialysis" if kidney.category == "dialysis" else kidney.category
    return f"{name} ({kidney.value_text})" if kidney.value_text else name


def _below_60_reason(kidney: KidneyStatus) -> str:
    if kidney.measured is not None and kidney.measured < BEERS_BELOW:
        return kidney.value_text
    return f"kidney function {_describe(kidney)} (below 60)"


def _disagreements(case: Case, kidney: KidneyStatus) -> list[Warning]:
    """A typed category that disagrees with the measured value, or eGFR and CrCl that disagree."""
    p = case.patient
    parts: list[str] = []
    if kidney.conflict:
        parts.append(f"kidney function is given as {kidney.typed} but {kidney.value_text} is "
                     f"{kidney.measured_category}")
    if p.egfr is not None and p.crcl_ml_min is not None:
        e, c = measured_category(p.egfr), measured_category(p.crcl_ml_min)
        if e != c:
            parts.append(f"eGFR {p.egfr:g} ({e}) and CrCl {p.crcl_ml_min:g} ({c}) disagree")
    if not parts:
        return []
    used = kidney.category if kidney.typed != "dialysis" else "dialysis"
    return [Warning(
        "KIDNEY_VALUES_DISAGREE",
        f"Kidney values disagree: {'; '.join(parts)}. The checks use {used} "
        f"(a measured value decides; the lower value when both are given). Check which is "
        f"current.",
        "patient.kidney_function",
    )]
