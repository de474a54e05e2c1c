"""Dose calendars: dated titration and taper steps, and their invariants (property tests)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.core.schedule import build_schedule
from tests.conftest import counsel_for, make_case

D = date.fromisoformat


def test_label_titration_from_5_to_20_mg():
    case = make_case(prescription={"dose_mg": 5, "plan": "start", "titration": {
        "step_mg": 5, "every_days": 3, "target_dose_mg": 20}})
    steps = build_schedule(case.prescription)
    assert [(s.start, s.end, s.dose_mg, s.daily_total_mg) for s in steps] == [
        (D("2026-11-23"), D("2026-11-25"), 5, 15),
        (D("2026-11-26"), D("2026-11-28"), 10, 30),
        (D("2026-11-29"), D("2026-12-01"), 15, 45),
        (D("2026-12-02"), None, 20, 60),
    ]


def test_titration_clamps_the_last_step_to_the_target():
    case = make_case(prescription={"dose_mg": 5, "plan": "start", "titration": {
        "step_mg": 4, "every_days": 3, "target_dose_mg": 10}})
    assert [s.dose_mg for s in build_schedule(case.prescription)] == [5, 9, 10]


def test_taper_runs_to_zero_with_a_stop_date():
    case = make_case(prescription={"dose_mg": 20, "plan": "stop",
                                   "taper": {"step_mg": 5, "every_days": 3}})
    steps = build_schedule(case.prescription)
    assert [s.dose_mg for s in steps] == [20, 15, 10, 5, 0]
    assert steps[-1].start == D("2026-12-05") and steps[-1].end is None


def test_steady_dose_is_one_open_step():
    steps = build_schedule(make_case().prescription)
    assert len(steps) == 1 and steps[0].end is None and steps[0].daily_total_mg == 30


def test_stop_without_taper_is_a_stop_today():
    steps = build_schedule(make_case(prescription={"plan": "stop"}).prescription)
    assert [(s.start, s.dose_mg) for s in steps] == [(D("2026-11-23"), 0)]


def _contiguous(steps):
    for a, b in itertools.pairwise(steps):
        assert a.end is not None and b.start == a.end + timedelta(days=1)
        assert a.days is not None and a.days >= 1
    assert steps[-1].end is None


doses = st.sampled_from([2.5, 5, 7.5, 10, 15, 20, 25])
steps_mg = st.sampled_from([2.5, 5, 10])
days = st.integers(min_value=1, max_value=14)
times = st.integers(min_value=1, max_value=4)


@settings(max_examples=150, deadline=None)
@given(dose=doses, step=steps_mg, every=days, n=times)
def test_tapers_never_increase_and_dates_are_contiguous(dose, step, every, n):
    result = counsel_for(prescription={"dose_mg": dose, "plan": "stop", "times_per_day": n,
                                       "taper": {"step_mg": step, "every_days": every}})
    steps = list(result.schedule)
    assert all(b.dose_mg <= a.dose_mg for a, b in itertools.pairwise(steps))
    assert steps[-1].dose_mg == 0 and steps[0].dose_mg == dose
    _contiguous(steps)
    if (steps[-1].start - steps[0].start).days < 7:
        assert "TAPER_TOO_FAST" in [w.code for w in result.warnings]


@settings(max_examples=150, deadline=None)
@given(dose=doses, step=steps_mg, every=days, n=times, extra=st.sampled_from([2.5, 5, 10, 20, 30]),
       region=st.sampled_from(["us", "uk"]))
def test_titration_totals_never_pass_the_maximum_without_a_warning(dose, step, every, n, extra,
                                                                   region):
    target = dose + extra
    result = counsel_for(region=region, prescription={
        "dose_mg": dose, "plan": "start", "times_per_day": n,
        "titration": {"step_mg": step, "every_days": every, "target_dose_mg": target}})
    steps = list(result.schedule)
    assert all(b.dose_mg >= a.dose_mg for a, b in itertools.pairwise(steps))
    assert steps[-1].dose_mg == target and max(s.dose_mg for s in steps) == target
    _contiguous(steps)
    limit = result.region.max_daily_mg
    over = any(s.daily_total_mg > limit for s in steps)
    assert over == ("MAX_DAILY_DOSE" in [w.code for w in result.warnings])


# ---------------------------------------------------------------- the reduction phase (issue 9)
def test_taper_shape_measures_the_reduction_phase_not_the_calendar():
    from counsel.core.schedule import taper_shape

    steps = build_schedule(make_case(prescription={
        "dose_mg": 20, "times_per_day": 3, "plan": "stop",
        "taper": {"step_mg": 5, "every_days": 3}}).prescription)
    shape = taper_shape(steps)
    assert shape is not None
    assert shape.start_daily_mg == 60 and shape.cuts == 4
    assert shape.largest_cut_share == 0.25
    assert shape.days_first_cut_to_zero == 9  # first cut on day 4, none from day 13


def test_taper_shape_is_none_without_a_reduction():
    from counsel.core.schedule import taper_shape

    assert taper_shape(build_schedule(make_case().prescription)) is None  # never stops
    assert taper_shape(build_schedule(make_case(prescription={"plan": "stop"}).prescription)) \
        is None  # a stop today: STOP_WITHOUT_TAPER covers it


@settings(max_examples=150, deadline=None)
@given(dose=doses, step=steps_mg, every=days, n=times)
def test_taper_warning_follows_the_reduction_phase_exactly(dose, step, every, n):
    from counsel.core.schedule import taper_shape

    result = counsel_for(prescription={"dose_mg": dose, "plan": "stop", "times_per_day": n,
                                       "taper": {"step_mg": step, "every_days": every}})
    shape = taper_shape(list(result.schedule))
    assert shape is not None
    too_fast = shape.days_first_cut_to_zero < 7 or shape.largest_cut_share > 0.5
    assert too_fast == ("TAPER_TOO_FAST" in [w.code for w in result.warnings])
