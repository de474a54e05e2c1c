"""`main.py train ...`: list, score (JSON shape, exit codes), progress with CSV."""

from __future__ import annotations

import json

from counsel.cli import run
from tests.conftest import TODAY

SCORE = ["train", "score"]


def _answers(tmp_path, data, name="answers.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_train_list_json(capsys):
    assert run(["train", "list", "--json"], today=TODAY) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 10
    assert {"id", "title", "difficulty", "topics", "time_minutes"} <= set(rows[0])


def test_train_list_text(capsys):
    assert run(["train", "list"], today=TODAY) == 0
    assert "stopped-abruptly" in capsys.readouterr().out


def test_train_score_json(tmp_path, capsys):
    discussed = ["driving_driver", "titration_plan", "alcohol", "your_doses", "never_stop_suddenly",
                 "withdrawal_signs", "side_effects_urgent", "missed_dose_us"]
    path = _answers(tmp_path, {"asked": ["alcohol"], "discussed": discussed, "self_rating": 80})
    assert run(["train", "score", "driver-who-drinks", path, "--json"], today=TODAY) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["passed"] is False
    assert out["critical_missed"] == ["alcohol_regular"]
    assert out["score"] >= 70  # failed on the critical point, whatever the score
    assert out["action"] == {"expected": "none", "given": "none", "ok": True, "required": False,
                             "weight": 2, "why": out["action"]["why"]}
    assert out["unsafe"] == []
    assert out["self_rating_gap"] == 80 - out["score"]
    point = next(p for p in out["points"] if p["id"] == "alcohol_regular")
    assert point["covered"] is False
    assert point["weight"] == 4
    assert "sedation" in point["why"]


def test_train_score_text_and_save(tmp_path, capsys):
    db = tmp_path / "t.sqlite3"
    path = _answers(tmp_path, {"discussed": ["pregnancy"]})
    code = run([*SCORE, "pregnancy", path, "--trainee", "Asha", "--db", str(db)], today=TODAY)
    assert code == 0
    out = capsys.readouterr().out
    assert "NOT PASSED" in out
    assert "Saved as training attempt 1 for Asha." in out
    assert run(["train", "progress", "--db", str(db), "--json"], today=TODAY) == 0
    prog = json.loads(capsys.readouterr().out)
    assert [a["scenario"] for a in prog["attempts"]] == ["pregnancy"]
    csv_out = tmp_path / "summary.csv"
    assert run(["train", "progress", "--db", str(db), "--csv", str(csv_out)], today=TODAY) == 0
    assert "pregnancy" in csv_out.read_text(encoding="utf-8")


def test_score_without_trainee_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNSEL_TRAINING_DB", str(tmp_path / "t.sqlite3"))
    path = _answers(tmp_path, {})
    assert run([*SCORE, "pregnancy", path], today=TODAY) == 0
    assert not (tmp_path / "t.sqlite3").exists()


def test_bad_input_is_one_line_exit_2(tmp_path, capsys):
    cases = [
        ([*SCORE, "nope", _answers(tmp_path, {})], "scenario: unknown id 'nope'"),
        ([*SCORE, "pregnancy", str(tmp_path / "missing.json")], "missing.json: file not found"),
        ([*SCORE, "pregnancy", _answers(tmp_path, "{", "broken.json")], "broken.json: not valid JSON"),
        ([*SCORE, "pregnancy", _answers(tmp_path, {"asked": ["x"]})], "asked: 'x' is not a question"),
    ]
    for argv, message in cases:
        assert run(argv, today=TODAY) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert message in err


def test_train_score_takes_the_referral_and_reports_the_action(tmp_path, capsys):
    full = {"asked": ["kidneys", "other_medicines", "falls"],
            "discussed": ["kidney", "kidney_toxicity_signs", "falls_high_risk", "older_adults",
                          "side_effects_urgent", "your_doses", "interaction_blood_pressure",
                          "side_effects_common", "never_stop_suddenly", "withdrawal_signs",
                          "missed_dose_uk", "alcohol", "mood_self_harm"]}
    handed_over = _answers(tmp_path, full, "a.json")
    assert run([*SCORE, "older-adult-kidney", handed_over, "--json"], today=TODAY) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["action"] | {"why": ""} == {"expected": "contact_prescriber", "given": "none", "ok": False,
                                           "required": True, "weight": 5, "why": ""}
    assert out["passed"] is False
    assert out["critical_missed"] == ["referral"]
    assert out["score"] >= out["pass_mark"]  # failed on the action, whatever the score
    assert run([*SCORE, "older-adult-kidney", handed_over, "--json", "--referral", "contact_prescriber"],
               today=TODAY) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["passed"], out["score"], out["action"]["ok"]) == (True, 100, True)
    in_file = _answers(tmp_path, {**full, "referral": "contact_prescriber"}, "b.json")
    assert run([*SCORE, "older-adult-kidney", in_file, "--json"], today=TODAY) == 0
    assert json.loads(capsys.readouterr().out)["passed"] is True
    assert run([*SCORE, "older-adult-kidney", in_file], today=TODAY) == 0
    text = capsys.readouterr().out
    assert "Action: expected 'Contact the prescriber (or pump clinic) today'" in text
    assert "PASSED" in text


def test_train_score_reports_unsafe_advice(tmp_path, capsys):
    path = _answers(tmp_path, {"discussed": ["withdrawal_signs", "missed_dose_uk"], "referred": True})
    assert run([*SCORE, "stopped-abruptly", path, "--json"], today=TODAY) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["action"]["given"] == "urgent"
    given = [u for u in out["unsafe"] if u["discussed"]]
    assert [u["id"] for u in given] == ["missed_dose_uk"]
    assert "two days into withdrawal" in given[0]["why"]
    assert run([*SCORE, "stopped-abruptly", path], today=TODAY) == 0
    assert "Unsafe advice given: Missed dose (UK rule) (missed_dose_uk, -4)" in capsys.readouterr().out


def test_a_bad_referral_is_one_line(tmp_path, capsys):
    path = _answers(tmp_path, {"referral": "later"})
    assert run([*SCORE, "pregnancy", path], today=TODAY) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "referral: must be one of none, contact_prescriber, urgent" in err
