"""Checks on the prescriber's plan: start, titration, taper, stopping, and withdrawal now.

Each flags the plan against the label and never suggests an alternative dose or schedule.
"""

from __future__ import annotations

from counsel.core.case import Case
from counsel.core.doses import mg
from counsel.core.findings import Warning
from counsel.core.monograph import Monograph
from counsel.core.schedule import Step, taper_shape

LABEL_TITRATION_DAYS = 3  # label: hold each step for 3 days (US-TAB, UK-SmPC)
LABEL_START_DOSE_MG = 5.0  # label start: 5 mg three times a day (US-TAB, OZB, UK-SmPC)
LABEL_START_DAILY_MG = 15.0
LABEL_STEP_MG = 5.0  # label steps: 5 mg per dose (10, then 15, then 20 mg three times a day)
SHORTEST_TAPER_DAYS = 7  # NHS / UK SmPC: reduce over about 1 to 2 weeks
# A single cut that removes more than half of the daily dose is flagged (a judgement the label
# does not settle: the French SmPC uses 10-15 mg steps; the prescriber decides).
LARGEST_CUT_SHARE = 0.5


def plan_checks(case: Case, mono: Monograph, steps: list[Step]) -> list[Warning]:
    out: list[Warning] = []
    out += _withdrawal_now(case, mono)
    if case.prescription.form == "intrathecal":
        return out
    out += _stopping(case, steps)
    out += _start_and_titration(case)
    return out


def _adult_dosing(case: Case) -> bool:
    """Adult label dosing applies: adults, and US patients from 12 (the US label's age)."""
    age = case.patient.age
    return age >= 18 or (case.region == "us" and age >= 12)


def _withdrawal_now(case: Case, mono: Monograph) -> list[Warning]:
    p = case.patient
    emergency = mono.regions[case.region].emergency
    out: list[Warning] = []
    if p.missed_or_stopped_recently:
        out.append(Warning(
            "WITHDRAWAL_RISK_NOW",
            "Missed doses or ran out in the last 48 hours. Stopping suddenly can cause withdrawal: "
            "hallucinations, confusion, seizures, high fever, much worse stiffness. Ask about "
            "these signs now and contact the prescriber today about restarting.",
            "patient.missed_or_stopped_recently", "critical",
        ))
    if p.withdrawal_signs:
        pump = " and the pump clinic" if case.prescription.form == "intrathecal" else ""
        out.append(Warning(
            "WITHDRAWAL_SIGNS_URGENT",
            f"Signs of withdrawal now. This can become life-threatening within hours: refer "
            f"urgently now ({emergency}){pump}, and tell them the patient takes baclofen and "
            f"when the last dose was.",
            "patient.withdrawal_signs", "critical",
        ))
    return out


def _stopping(case: Case, steps: list[Step]) -> list[Warning]:
    rx = case.prescription
    if rx.plan == "stop" and rx.taper is None:
        return [Warning(
            "STOP_WITHOUT_TAPER",
            "The plan is to stop, but there is no taper: stopping suddenly risks withdrawal "
            "(hallucinations, seizures, high fever). Contact the prescriber.",
            "prescription.taper", "critical",
        )]
    shape = taper_shape(steps) if rx.taper is not None else None
    if shape is None:
        return []
    reasons: list[str] = []
    if shape.days_first_cut_to_zero < SHORTEST_TAPER_DAYS:
        reasons.append(f"it goes from the first cut to none in {shape.days_first_cut_to_zero} "
                       f"day(s)")
    if shape.largest_cut_share > LARGEST_CUT_SHARE:
        reasons.append(f"one cut removes {round(shape.largest_cut_share * 100):g}% of the daily "
                       f"dose")
    if not reasons:
        return []
    return [Warning(
        "TAPER_TOO_FAST",
        f"The taper from {mg(shape.start_daily_mg)} a day has {shape.cuts} reduction step(s); "
        f"{' and '.join(reasons)}. The usual advice is to reduce slowly over about 1 to 2 weeks "
        f"unless there is a serious side effect. Confirm with the prescriber.",
        "prescription.taper",
    )]


def _start_and_titration(case: Case) -> list[Warning]:
    rx = case.prescription
    out: list[Warning] = []
    if rx.dose_mg is None or not _adult_dosing(case):
        # Children are checked per kg (child_checks); the adult label numbers do not apply.
        return out
    daily = rx.dose_mg * rx.doses_per_day
    if rx.plan == "start" and (rx.dose_mg > LABEL_START_DOSE_MG or daily > LABEL_START_DAILY_MG):
        out.append(Warning(
            "START_ABOVE_LABEL",
            f"The plan starts at {mg(rx.dose_mg)} {_times(rx.doses_per_day)} "
            f"({mg(round(daily, 3))} a day); the label start is {mg(LABEL_START_DOSE_MG)} three "
            f"times a day. Confirm with the prescriber.",
            "prescription.dose_mg",
        ))
    if rx.titration is not None and rx.titration.step_mg > LABEL_STEP_MG:
        out.append(Warning(
            "TITRATION_STEP_ABOVE_LABEL",
            f"Each rise is {mg(rx.titration.step_mg)} per dose; the label rises by "
            f"{mg(LABEL_STEP_MG)} per dose. Confirm with the prescriber.",
            "prescription.titration.step_mg",
        ))
    if rx.titration is not None and rx.titration.every_days < LABEL_TITRATION_DAYS:
        out.append(Warning(
            "TITRATION_FASTER_THAN_LABEL",
            f"Dose rises every {rx.titration.every_days} day(s); the label holds each step for "
            f"{LABEL_TITRATION_DAYS} days. Confirm with the prescriber.",
            "prescription.titration.every_days",
        ))
    return out


def _times(n: int) -> str:
    return {1: "once a day", 2: "twice a day"}.get(n, f"{n} times a day")
