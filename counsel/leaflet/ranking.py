"""The key warnings box, ordered by this patient's risks.

The order is data: each monograph point has a `priority` (0-100) and `priority_if` rules that
raise it when the patient's facts match (a dialysis patient's kidney signs, a drinker's alcohol
line). Higher first; ties keep the monograph's order, so the box is stable between renders.
"""

from __future__ import annotations

from collections.abc import Sequence

from counsel.core.facts import Facts, facts_for
from counsel.core.monograph import Point
from counsel.core.rules import Counselling, SelectedPoint


def case_facts(result: Counselling) -> Facts:
    """The condition facts of the case (as the rules engine saw them)."""
    by_class: dict[str, list[str]] = {}
    for med in result.recognised:
        for cls in med.classes:
            by_class.setdefault(cls, []).append(med.given)
    return facts_for(result.case, {k: tuple(v) for k, v in by_class.items()}, {})


def point_priority(point: Point, facts: Facts) -> int:
    """The point's priority for this patient: its base, or the highest matching rule's."""
    best = point.priority
    for rule in point.priority_if:
        if rule.priority > best and rule.when.evaluate(facts)[0]:
            best = rule.priority
    return best


def rank_key_points(points: Sequence[SelectedPoint], facts: Facts) -> list[SelectedPoint]:
    """Most important for this patient first; a stable sort keeps the monograph order on ties."""
    return sorted(points, key=lambda p: -point_priority(p.point, facts))
