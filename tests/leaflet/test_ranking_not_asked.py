"""Issue 10: the alcohol line ranks high for a drinker AND for a patient who was not asked,
never for a clear non-drinker (facts §11: alcohol adds to the sedation)."""

from __future__ import annotations

import pytest

from counsel.leaflet.ranking import case_facts, point_priority
from tests.conftest import counsel_for


def _alcohol_priority(answer: str) -> int:
    result = counsel_for(patient={"alcohol": answer})
    alcohol = next(sp for sp in result.points if sp.point.id == "alcohol")
    return point_priority(alcohol.point, case_facts(result))


@pytest.mark.parametrize("answer", ["occasional", "regular", "not_asked"])
def test_alcohol_ranks_high_when_they_drink_or_were_not_asked(answer: str) -> None:
    assert _alcohol_priority(answer) == 80


def test_alcohol_stays_low_for_a_clear_non_drinker() -> None:
    assert _alcohol_priority("none") == 40
