"""Every shipped scenario validates and cross-checks; bad files fail with one line naming the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from counsel import paths
from counsel.core.errors import ContentError
from counsel.training.scenarios import load_scenario, scenario_files, validate_scenarios

FILES = scenario_files()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_scenario_validates(path, catalog):
    scenario = load_scenario(path, catalog)
    point_ids = set(scenario.counselling.point_ids())
    rubric = {rp.point for rp in scenario.spec.rubric.points}
    assert rubric <= point_ids
    assert scenario.id == path.stem
    assert any(rp.critical for rp in scenario.spec.rubric.points) or scenario.spec.rubric.must_refer
    for q in scenario.spec.questions:
        assert set(q.unlocks) <= point_ids


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
    assert station.spec.rubric.must_refer is not None
    crit = {rp.point for rp in station.spec.rubric.points if rp.critical}
    assert {"withdrawal_signs", "never_stop_suddenly"} <= crit


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
    ("duplicate question", lambda d: d["questions"].append(dict(d["questions"][0])),
     "questions.4.id", "duplicate question id 'alcohol'"),
    ("rubric point not selected", lambda d: d["rubric"]["points"].append({"point": "pregnancy", "weight": 2}),
     "rubric.points.8.point", "'pregnancy' is not a point the checklist selects"),
    ("unknown point", lambda d: d["rubric"]["points"].append({"point": "no_such_point", "weight": 2}),
     "rubric.points.8.point", "not a point the checklist selects"),
    ("critical without justification",
     lambda d: d["rubric"]["points"].append({"point": "tell_hospital", "weight": 1, "critical": True}),
     "rubric.points.8.justification", "not critical in the monograph"),
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
    ("no critical", lambda d: [rp.pop("critical", None) for rp in d["rubric"]["points"]],
     "rubric.points", "at least one critical item"),
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


def test_a_critical_non_critical_point_is_allowed_with_a_justification(tmp_path, catalog):
    data = _base()
    data["rubric"]["points"].append({"point": "tell_hospital", "weight": 1, "critical": True,
                                     "justification": "He has an operation booked next week."})
    scenario = load_scenario(_write(tmp_path, data), catalog)
    assert scenario.spec.rubric.points[-1].critical


def test_hidden_points_appear_only_after_the_question(scenarios):
    s = next(s for s in scenarios if s.id == "driver-who-drinks")
    before = {p.id for p in s.visible_points(frozenset())}
    after = {p.id for p in s.visible_points(frozenset({"alcohol", "drives"}))}
    assert "alcohol_regular" not in before
    assert "driving_driver" not in before
    assert {"alcohol_regular", "driving_driver"} <= after
    assert after == set(s.counselling.point_ids())
