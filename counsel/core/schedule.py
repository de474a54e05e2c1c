"""Dated dose calendars: titration up to a target and tapers down to zero (dates passed in)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from counsel.core.case import Prescription

MAX_STEPS = 400  # a calendar longer than this is not a plan a patient can follow


@dataclass(frozen=True)
class Step:
    """One period of the calendar: the same per-dose amount from `start` to `end` (inclusive)."""

    start: date
    end: date | None  # None: continues until the prescriber changes it
    dose_mg: float
    times_per_day: int

    @property
    def daily_total_mg(self) -> float:
        return round(self.dose_mg * self.times_per_day, 3)

    @property
    def days(self) -> int | None:
        return None if self.end is None else (self.end - self.start).days + 1


def build_schedule(rx: Prescription) -> list[Step]:
    """The prescriber's plan as dated steps; empty for pump (intrathecal) patients."""
    if rx.form == "intrathecal" or rx.dose_mg is None or rx.start_date is None:
        return []
    n = rx.doses_per_day
    start = rx.start_date
    if rx.titration is not None:
        return _titration(start, rx.dose_mg, rx.titration.step_mg, rx.titration.every_days,
                          rx.titration.target_dose_mg, n)
    if rx.taper is not None:
        return _taper(start, rx.dose_mg, rx.taper.step_mg, rx.taper.every_days, n)
    if rx.plan == "stop":
        return [Step(start, None, 0.0, n)]
    return [Step(start, None, rx.dose_mg, n)]


def _titration(start: date, dose: float, step: float, every: int, target: float,
               n: int) -> list[Step]:
    steps: list[Step] = []
    day = start
    while dose < target and len(steps) < MAX_STEPS:
        end = day + timedelta(days=every - 1)
        steps.append(Step(day, end, dose, n))
        day = end + timedelta(days=1)
        dose = min(round(dose + step, 3), target)
    steps.append(Step(day, None, target, n))
    return steps


def _taper(start: date, dose: float, step: float, every: int, n: int) -> list[Step]:
    steps: list[Step] = []
    day = start
    while dose > 0 and len(steps) < MAX_STEPS:
        end = day + timedelta(days=every - 1)
        steps.append(Step(day, end, dose, n))
        day = end + timedelta(days=1)
        dose = max(round(dose - step, 3), 0.0)
    steps.append(Step(day, None, 0.0, n))
    return steps


def taper_days(steps: list[Step]) -> int:
    """Days from the first step to the day the medicine stops (0 if it never stops)."""
    if not steps or steps[-1].dose_mg != 0:
        return 0
    return (steps[-1].start - steps[0].start).days


@dataclass(frozen=True)
class TaperShape:
    """The reduction phase of a plan that stops: what the taper checks judge (not total days)."""

    start_daily_mg: float  # the daily total just before the first cut
    cuts: int  # how many times the daily total goes down
    largest_cut_share: float  # the largest single cut, as a share of start_daily_mg (0 to 1)
    days_first_cut_to_zero: int  # from the first reduced day to the first day with none


def taper_shape(steps: list[Step]) -> TaperShape | None:
    """The shape of the reduction phase, or None when the plan never reaches zero."""
    if not steps or steps[-1].dose_mg != 0:
        return None
    cuts = [(a, b) for a, b in itertools.pairwise(steps)
            if b.daily_total_mg < a.daily_total_mg]
    if not cuts:
        return None  # a stop today: there is no reduction phase to judge
    before = cuts[0][0].daily_total_mg
    largest = max(a.daily_total_mg - b.daily_total_mg for a, b in cuts)
    return TaperShape(
        start_daily_mg=before,
        cuts=len(cuts),
        largest_cut_share=round(largest / before, 3) if before else 1.0,
        days_first_cut_to_zero=(steps[-1].start - cuts[0][1].start).days,
    )
