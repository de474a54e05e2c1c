"""Turning a session (what was saved) plus its counselling (what applied) into a record body."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from counsel.core.rules import Counselling
from counsel.records.models import (
    Directions,
    PointRecord,
    RecordBody,
    SessionState,
    WarningRecord,
)


def directions_of(result: Counselling) -> Directions:
    rx = result.case.prescription
    if rx.dose_mg is None:
        text = "set by the pump clinic"
    else:
        text = f"{result.amount(rx.dose_mg).amount_text} ({rx.dose_mg:g} mg)"
    return Directions(dose_mg=rx.dose_mg, dose_text=text, times_per_day=rx.doses_per_day,
                      times=rx.times)


def build_record(state: SessionState, result: Counselling, *, stored_case: dict[str, Any],
                 finished_at: datetime, notes: str) -> RecordBody:
    """Every applicable point with its mark, every warning with its acknowledgement."""
    points = []
    for section in result.sections:
        for p in section.points:
            mark = state.marks.get(p.id)
            points.append(PointRecord(
                id=p.id, section=section.section.id, title=p.point.title, critical=p.point.critical,
                status=mark.status if mark else "not_marked",
                reason=mark.reason if mark else "", at=mark.at if mark else None,
            ))
    warnings = []
    for w in result.warnings:
        ack = state.acknowledgements.get(w.code)
        warnings.append(WarningRecord(code=w.code, message=w.message, acknowledged=ack is not None,
                                      how=ack.how if ack else "", at=ack.at if ack else None))
    case = result.case
    rx = case.prescription
    return RecordBody(
        session_id=state.id,
        pharmacist=state.pharmacist,
        started_at=state.started_at,
        finished_at=finished_at,
        patient_ref=state.patient_ref,
        region=case.region,
        drug=rx.drug,
        form=rx.form,
        strength=rx.strength,
        directions=directions_of(result),
        plan=rx.plan,
        content_version=result.monograph.content_version,
        warnings=tuple(warnings),
        points=tuple(points),
        leaflet=state.leaflet,
        follow_up_date=case.follow_up_date,
        notes=notes,
        case=stored_case,
        # Only a case with a calendar (step 3 shows the tick box) can have it checked.
        calendar_checked=state.schedule_checked if result.schedule else None,
    )
