"""Every shipped scenario validates and cross-checks; bad files fail with one line naming the key."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from counsel import paths
from counsel.core.errors import ContentError
from counsel.training.scenarios import (
    DEFAULT_CRITICAL_WEIGHT,
    case_critical,
    load_scenario,
    scenario_files,
    validate_scenarios,
)

FILES = scenario_files()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_scenario_validates(path, catalog):
    scenario = load_scenario(path, catalog)
    point_ids = set(scenario.counselling.point_ids())
    rubric = {rp.point for rp in scenario.spec.rubric.points}
    assert rubric <= point_ids
    assert scenario.id == path.stem
    assert any(i.critical for i in scenario.rubric_items()) or scenario.spec.rubric.action.expected != "none"
    for q in scenario.spec.questions:
        assert set(q.unlocks) <= point_ids


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_critical_means_the_same_at_the_counter_and_in_the_station(path, catalog):
    """A rubric point is critical iff the monograph makes it critical for this case, unless the
    station gives a written exclusion; every critical point of the case is scored (or unsafe)."""
    scenario = load_scenario(path, catalog)
    items = {i.point: i for i in scenario.rubric_items()}
    unsafe = {u.point for u in scenario.spec.rubric.unsafe}
    for point in scenario.counselling.points:
        if point.id in unsafe:
            assert point.id not in items
            continue
        if case_critical(point):
            item = items[point.id]  # every critical point of the case is scored
            assert item.critical == (item.exclusion is None), point.id
        elif point.id in items:
            assert not items[point.id].critical, point.id
    for rp in scenario.spec.rubric.points:
        if rp.not_critical is not None:
            # An exclusion is only for a point the monograph makes critical here.
            assert case_critical(scenario.point(rp.point)), rp.point
    # Content that adds a critical point reaches the station: today every one is listed.
    assert [i.point for i in items.values() if not i.listed] == []


def test_an_unlisted_critical_point_is_scored_with_the_default_weight(tmp_path, catalog):
    data = _base()
    data["rubric"]["points"] = [rp for rp in data["rubric"]["points"] if rp["point"] != "withdrawal_signs"]
    scenario = load_scenario(_write(tmp_path, data), catalog)
    item = next(i for i in scenario.rubric_items() if i.point == "withdrawal_signs")
    assert (item.critical, item.listed, item.weight) == (True, False, DEFAULT_CRITICAL_WEIGHT)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_station_states_its_action_and_a_neutral_title(path, catalog):
    spec = load_scenario(path, catalog).spec
    assert spec.rubric.action.expected in ("none", "contact_prescriber", "urgent")
    assert spec.station_title != spec.title
    # The neutral title gives nothing away: none of the teaching title's telling words.
    for word in ("stopped", "kidney", "pregnan", "breastfeed", "epilep", "opioid", "alcohol", "drink",
                 "taper", "liquid", "refill"):
        assert word not in spec.station_title.lower(), word


def test_oral_stations_state_the_dose_frequency(scenarios):
    for s in scenarios:
        rx = s.spec.case["prescription"]
        if rx["form"] != "intrathecal":
            assert "times_per_day" in rx or "dose_times" in rx, s.id


def test_station_titles_are_unique(scenarios):
    titles = [s.spec.station_title for s in scenarios]
    assert len(set(titles)) == len(titles)


def test_the_review_against_facts_section_11(scenarios):
    by_id = {s.id: s for s in scenarios}
    assert by_id["older-adult-kidney"].spec.rubric.action.expected == "contact_prescriber"
    stopped = {i.point: i for i in by_id["stopped-abruptly"].rubric_items()}
    assert stopped["driving_driver"].critical
    assert "ambulance or a lift" in (stopped["driving_driver"].note or "")
    assert by_id["stopped-abruptly"].spec.rubric.action.expected == "urgent"
    opioid = {i.point: i for i in by_id["opioid-and-sleeping-tablet"].rubric_items()}
    assert opioid["driving_driver"].critical
    pump = by_id["intrathecal-pump"]
    assert pump.spec.rubric.action.expected == "contact_prescriber"
    assert "today" in pump.spec.rubric.action.reason
    assert "T6 or above" in (next(i for i in pump.rubric_items() if i.point == "pump_refills").note or "")


def test_at_least_ten_baclofen_scenarios(scenarios):
    assert len(scenarios) >= 10
    assert {s.case.prescription.drug for s in scenarios} == {"baclofen"}
    assert {1, 2, 3} <= {s.spec.difficulty for s in scenarios}


def test_scenarios_use_fictional_references_not_real_record_ids(scenarios):
    # Synthetic patients only: no names in the case file, a made-up reference instead.
    for s in scenarios:
        assert s.case.patient.name is None


def test_the_withdrawal_station_expects_an_urgent_referral(scenarios):
    station = next(s for s in scenarios if s.id == "stopped-abruptly")
    assert station.spec.rubric.action.expected == "urgent"
    crit = {i.point for i in station.rubric_items() if i.critical}
    assert {"withdrawal_signs", "never_stop_suddenly", "driving_driver", "side_effects_urgent"} <= crit


def test_validate_content_counts_the_scenarios(catalog):
    assert validate_scenarios(catalog) == len(FILES)


def test_validate_content_command_reports_scenarios():
    out = subprocess.run([sys.executable, "main.py", "validate-content"], cwd=paths.PROJECT_ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert f"ok: {len(FILES)} training scenarios" in out


def _base() -> dict[str, Any]:
    loaded = yaml.safe_load((paths.SCENARIOS_DIR / "driver-who-drinks.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _write(tmp_path: Path, data: dict[str, Any], name: str = "driver-who-drinks") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _mutate(change) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    data = _base()
    change(data)
    return data


BAD: list[tuple[str, Any, str, str]] = [
    ("unknown key", lambda d: d.update(colour="red"), "colour", "unknown key"),
    ("difficulty", lambda d: d.update(difficulty=4), "difficulty", "less than or equal to 3"),
    # A deep copy: a shallow one shares lists, which yaml.safe_dump writes as aliases (refused).
    ("duplicate question", lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])),
     "questions.4.id", "duplicate question id 'alcohol'"),
    ("rubric point not selected", lambda d: d["rubric"]["points"].append({"point": "pregnancy", "weight": 2}),
     "rubric.points.10.point", "'pregnancy' is not a point the checklist selects"),
    ("unknown point", lambda d: d["rubric"]["points"].append({"point": "no_such_point", "weight": 2}),
     "rubric.points.10.point", "not a point the checklist selects"),
    ("a local critical flag",
     lambda d: d["rubric"]["points"].append({"point": "tell_hospital", "weight": 1, "critical": True}),
     "rubric.points.10", "'critical' comes from the monograph"),
    ("an exclusion without a reason",
     lambda d: d["rubric"]["points"][0].update(not_critical=""), "rubric.points.0.not_critical",
     "at least 10 characters"),
    ("no action", lambda d: d["rubric"].pop("action"), "rubric.action", "missing"),
    ("unknown action", lambda d: d["rubric"]["action"].update(expected="phone_a_friend"),
     "rubric.action.expected", "Input should be"),
    ("action without a reason", lambda d: d["rubric"]["action"].pop("reason"), "rubric.action.reason",
     "missing"),
    ("unsafe without a reason", lambda d: d["rubric"].update(unsafe=[{"point": "tell_hospital"}]),
     "rubric.unsafe.0.reason", "missing"),
    ("unsafe and expected", lambda d: d["rubric"].update(
        unsafe=[{"point": "alcohol", "reason": "Contradicts itself on purpose."}]),
     "rubric.unsafe.0.point", "also an expected rubric point"),
    ("unsafe unknown", lambda d: d["rubric"].update(
        unsafe=[{"point": "no_such_point", "reason": "Not in the monograph at all."}]),
     "rubric.unsafe.0.point", "'no_such_point' is not a monograph point"),
    ("no neutral title", lambda d: d.pop("station_title"), "station_title", "missing"),
    ("rubric point twice", lambda d: d["rubric"]["points"].append(dict(d["rubric"]["points"][0])),
     "rubric.points", "listed twice"),
    ("bad case", lambda d: d["case"]["patient"].update(age=300), "case.patient.age", "120"),
    ("case unknown field", lambda d: d["case"]["patient"].update(hair="red"), "case.patient.hair",
     "unknown field"),
    ("no start date", lambda d: d["case"]["prescription"].pop("start_date"),
     "case.prescription.start_date", "missing"),
    ("unlock not selected", lambda d: d["questions"][0]["unlocks"].append("kidney"),
     "questions.0.unlocks.1", "'kidney' is not a point"),
    ("unlock twice", lambda d: d["questions"][1]["unlocks"].append("alcohol_regular"),
     "questions.1.unlocks.1", "already unlocked"),
    ("topic", lambda d: d["topics"].append("astrology"), "topics.3", "Input should be"),
]


@pytest.mark.parametrize(("label", "change", "key", "problem"), BAD, ids=[b[0] for b in BAD])
def test_bad_scenarios_fail_with_one_line(tmp_path, catalog, label, change, key, problem):
    path = _write(tmp_path, _mutate(change))
    with pytest.raises(ContentError) as info:
        load_scenario(path, catalog)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {key}: "), message
    assert problem in message


def test_an_unquoted_yaml_date_is_accepted(tmp_path, catalog):
    text = (paths.SCENARIOS_DIR / "pregnancy.yaml").read_text(encoding="utf-8")
    path = tmp_path / "pregnancy.yaml"
    path.write_text(text.replace('start_date: "2026-11-23"', "start_date: 2026-11-23"), encoding="utf-8")
    assert load_scenario(path, catalog).case.prescription.start_date.isoformat() == "2026-11-23"


def test_a_bad_start_date_names_the_key(tmp_path, catalog):
    data = _base()
    data["case"]["prescription"]["start_date"] = "23/11/2026"
    with pytest.raises(ContentError, match=r"case\.prescription\.start_date: "):
        load_scenario(_write(tmp_path, data), catalog)


def test_file_name_must_match_id(tmp_path, catalog):
    path = _write(tmp_path, _base(), name="something-else")
    with pytest.raises(ContentError, match=r"something-else\.yaml: id: 'driver-who-drinks' must match"):
        load_scenario(path, catalog)


def test_hidden_points_appear_only_after_the_question(scenarios):
    s = next(s for s in scenarios if s.id == "driver-who-drinks")
    before = {p.id for p in s.visible_points(frozenset())}
    after = {p.id for p in s.visible_points(frozenset({"alcohol", "drives"}))}
    assert "alcohol_regular" not in before
    assert "driving_driver" not in before
    assert {"alcohol_regular", "driving_driver"} <= after
    assert after == set(s.counselling.point_ids())


def test_an_unsafe_point_the_case_does_not_offer_stays_dormant(tmp_path, catalog):
    data = _base()
    data["rubric"]["unsafe"] = [{"point": "kidney", "reason": "Not on this checklist for him."}]
    scenario = load_scenario(_write(tmp_path, data), catalog)
    assert scenario.unsafe_points() == []
    assert [u.point for u in scenario.spec.rubric.unsafe] == ["kidney"]
