"""Strict case input: types are what they say, every list and number is bounded, and hostile files
(huge, deep, looping, not files at all) give one short line naming the field, never a traceback."""

from __future__ import annotations

import json
import os
from datetime import date
from typing import Any

import pytest

from counsel.core import case_input
from counsel.core.case import MAX_DOSES_PER_DAY, load_case, parse_case
from counsel.core.errors import CaseError
from tests.conftest import TODAY, make_data

MAX_LINE = 200  # an error line fits a terminal line or two, whatever the input


def _error(data: Any) -> str:
    with pytest.raises(CaseError) as info:
        parse_case(data, today=TODAY)
    message = str(info.value)
    assert "\n" not in message and len(message) <= MAX_LINE, message
    return message


STRICT_TYPES: list[tuple[dict[str, Any], str, str]] = [
    # `true` was taken as 1: age 1 (a child's checks) or a 1 mg dose.
    (make_data(patient={"age": True}), "patient.age", "valid integer (got true)"),
    (make_data(prescription={"dose_mg": True}), "prescription.dose_mg", "valid number (got true)"),
    (make_data(prescription={"times_per_day": True}), "prescription.times_per_day", "integer"),
    (make_data(prescription={"times_per_day": 2.0}), "prescription.times_per_day", "integer"),
    (make_data(patient={"age": "45"}), "patient.age", "valid integer"),
    (make_data(patient={"age": 45.0}), "patient.age", "valid integer"),
    (make_data(patient={"weight_kg": "70"}), "patient.weight_kg", "valid number"),
    (make_data(patient={"pregnant": 1}), "patient.pregnant", "valid boolean (got 1)"),
    (make_data(patient={"drives": "yes"}), "patient.drives", "valid boolean"),
    (make_data(patient={"name": 42}), "patient.name", "valid string (got 42)"),
    (make_data(prescription={"strength": 10}), "prescription.strength", "valid string"),
    (make_data(prescription={"titration": {"step_mg": 5, "every_days": True,
                                           "target_dose_mg": 30}}),
     "prescription.titration.every_days", "integer"),
    (make_data(patient={"weight_kg": float("nan")}), "patient.weight_kg", "finite number"),
    (make_data(prescription={"dose_mg": float("inf")}), "prescription.dose_mg", "finite number"),
    (make_data(prescription={"start_date": 20261123}), "prescription.start_date", "date like"),
    (make_data(prescription={"start_date": "20261123"}), "prescription.start_date", "date like"),
    (make_data(prescription={"start_date": "2026-W48-1"}), "prescription.start_date", "date like"),
    (make_data(follow_up_date=True), "follow_up_date", "date like"),
]


@pytest.mark.parametrize(("data", "field", "fragment"), STRICT_TYPES,
                         ids=[f"{i}-{b[1]}" for i, b in enumerate(STRICT_TYPES)])
def test_types_are_strict(data, field, fragment):
    message = _error(data)
    assert message.startswith(f"case: {field}: "), message
    assert fragment in message, message


def test_ints_are_still_accepted_for_decimal_fields_and_dates_as_text():
    case = parse_case(make_data(patient={"weight_kg": 70, "crcl_ml_min": 50},
                                prescription={"dose_mg": 5, "start_date": "2026-11-23"}),
                      today=TODAY)
    assert case.patient.weight_kg == 70.0 and isinstance(case.patient.weight_kg, float)
    assert case.prescription.dose_mg == 5.0
    assert case.prescription.start_date == date(2026, 11, 23)
    # YAML scenarios give real date objects: still accepted.
    data = make_data(prescription={"start_date": date(2026, 11, 23)})
    assert parse_case(data, today=TODAY).prescription.start_date == date(2026, 11, 23)


BOUNDS: list[tuple[dict[str, Any], str, str]] = [
    (make_data(prescription={"times_per_day": None,
                             "dose_times": [f"{h:02d}:{m:02d}" for h in range(24)
                                            for m in range(60)]}),
     "prescription.dose_times", f"at most {MAX_DOSES_PER_DAY} items"),
    (make_data(prescription={"times_per_day": None,
                             "dose_times": [f"{h:02d}:00" for h in range(7)]}),
     "prescription.dose_times", "at most 6"),
    (make_data(prescription={"times_per_day": None, "dose_times": []}),
     "prescription.dose_times", "at least 1"),
    (make_data(prescription={"times_per_day": 7}), "prescription.times_per_day", "less than or equal to 6"),
    (make_data(prescription={"times_per_day": None, "dose_times": ["08:00" * 1000]}),
     "prescription.dose_times.0", "at most 5 characters"),
    (make_data(patient={"conditions": ["diabetes"] * 500}), "patient.conditions", "at most"),
    (make_data(patient={"other_medicines": ["ibuprofen"] * 51}), "patient.other_medicines", "at most 50"),
    (make_data(patient={"other_medicines": ["x" * 201]}), "patient.other_medicines.0", "at most 200"),
    (make_data(patient={"name": "x" * 5_000_000}), "patient.name", "at most 200 characters"),
    (make_data(notes="n" * 2001), "notes", "at most 2000"),
    (make_data(pharmacist="AB" * 11), "pharmacist", "at most 20"),
    (make_data(prescription={"start_date": "9999-12-31",
                             "titration": {"step_mg": 5, "every_days": 3, "target_dose_mg": 30}}),
     "prescription.start_date", "between 1900-01-01 and 2199-12-31"),
    (make_data(prescription={"start_date": "0001-01-01"}), "prescription.start_date", "between"),
    (make_data(follow_up_date="9999-12-31"), "follow_up_date", "between"),
    (make_data(patient={"name": "Ann\nSmith"}), "patient.name", "one line"),
    (make_data(patient={"other_medicines": ["ibuprofen\x00"]}), "patient.other_medicines.0", "one line"),
    (make_data(notes="bell\x07"), "notes", "control character"),
    (make_data(patient={"name": "Ann \ud800"}), "patient.name", "invalid character"),
    (make_data(patient={"age": 10**4000}), "patient.age", "about 4001 digits"),
    (make_data(prescription={"dose_mg": 10**400}), "prescription.dose_mg", "too large"),
]


@pytest.mark.parametrize(("data", "field", "fragment"), BOUNDS,
                         ids=[f"{i}-{b[1]}" for i, b in enumerate(BOUNDS)])
def test_every_list_number_and_text_is_bounded(data, field, fragment):
    message = _error(data)
    assert message.startswith(f"case: {field}: "), message
    assert fragment in message, message


def test_within_bounds_is_still_fine():
    case = parse_case(make_data(
        patient={"name": "Zoë O'Brien-Łukasz", "other_medicines": ["ibuprofen"] * 50,
                 "conditions": ["diabetes", "stroke"]},
        prescription={"times_per_day": None, "dose_times": [f"{h:02d}:00" for h in range(8, 20, 2)],
                      "start_date": "2199-12-31"},
        notes="Line one.\nLine two.\tTabbed.", follow_up_date="1900-01-01"), today=TODAY)
    assert len(case.prescription.times) == MAX_DOSES_PER_DAY
    assert case.notes.count("\n") == 1
    assert case.patient.name == "Zoë O'Brien-Łukasz"


def test_a_huge_bad_value_is_quoted_short():
    message = _error(make_data(patient={"language": "x" * 5_000_000}))
    assert message.startswith("case: patient.language: string should match pattern")
    assert '(got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" (5000000 characters))' in message
    message = _error(make_data(prescription={"dose_times": ["2" * 5, "08:00", "20:00"]}))
    assert '"22222" is not a time' in message


def test_a_huge_or_odd_unknown_field_name_is_quoted_short():
    message = _error(make_data(patient={"k" * 100_000: 1}))
    assert message.startswith('case: patient."kkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…" (100000 characters): '
                              "unknown field"), message
    message = _error(make_data(patient={"line\nbreak": 1}))
    assert 'patient."line\\nbreak": unknown field' in message


def test_nesting_is_bounded_without_recursion():
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]
    message = _error(make_data(patient={"other_medicines": deep}))
    assert message.startswith("case: patient.other_medicines.0.0.0.0.0.0: nested too deeply"), message
    # The real format nests 3 levels: the examples are nowhere near the limit.
    assert case_input.first_bad_node(make_data()) is None


@pytest.mark.parametrize(("text", "fragment"), [
    ("[" * 100_000 + "]" * 100_000, "nested more than 8 levels deep"),
    ('{"patient": {"age": ' + "9" * 5000 + "}}", "a number with thousands of digits"),
    (b"\xff\xfe{}".decode("latin-1"), "not UTF-8 text"),
    ("{}" + " " * case_input.MAX_FILE_BYTES, "too large (1.0 MB; a case file is at most 1 MB)"),
])
def test_hostile_json_is_one_line(text, fragment, tmp_path):
    path = tmp_path / "case.json"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(CaseError) as info:
        load_case(path, today=TODAY)
    assert str(info.value) == f"case.json: {fragment}" or fragment in str(info.value)
    assert "\n" not in str(info.value) and len(str(info.value)) <= MAX_LINE


def test_not_a_file_is_one_line(tmp_path):
    loop = tmp_path / "loop.json"
    os.symlink(loop, loop)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # opening it would block forever
    expected = {loop: "loop.json: too many levels of symbolic links (a link loop?)",
                folder: "folder.json: is a folder, not a case file",
                fifo: "fifo.json: is not a regular file",
                tmp_path / "missing.json": "missing.json: file not found"}
    for path, message in expected.items():
        with pytest.raises(CaseError) as info:
            load_case(path, today=TODAY)
        assert str(info.value) == message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_one_line(tmp_path):
    path = tmp_path / "locked.json"
    path.write_text(json.dumps(make_data()), encoding="utf-8")
    path.chmod(0)
    with pytest.raises(CaseError, match=r"^locked\.json: permission denied$"):
        load_case(path, today=TODAY)


def test_quote_cuts_long_values_and_describes_containers():
    assert case_input.quote("x" * 31) == '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" (31 characters)'
    assert case_input.quote("short") == '"short"'
    assert case_input.quote(True) == "true"
    assert case_input.quote(None) == "null"
    assert case_input.quote(12) == "12"
    assert case_input.quote([1, 2]) == "a list"
    assert case_input.quote({"a": 1}) == "an object"


def test_unreadable_file_is_one_line_even_as_root(tmp_path, monkeypatch):
    path = tmp_path / "locked.json"
    path.write_text(json.dumps(make_data()), encoding="utf-8")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(type(path), "open", refuse)
    with pytest.raises(CaseError) as info:
        load_case(path, today=TODAY)
    assert str(info.value) == "locked.json: permission denied"


def test_drug_name_is_one_line_too():
    # Found by the fuzz test: "a\nb" passed the case check and the rules' "unknown drug" line
    # then printed on two lines.
    message = _error(make_data(prescription={"drug": "a\nb"}))
    assert message.startswith("case: prescription.drug: must be one line"), message


def test_file_and_field_names_stay_readable_unless_they_could_break_the_line(tmp_path):
    readable = tmp_path / "Zoë case 1.json"
    readable.write_text(json.dumps(make_data(patient={"größe": 1})), encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(readable, today=TODAY)
    assert str(info.value) == "Zoë case 1.json: patient.größe: unknown field"
    odd = tmp_path / "two\nlines.json"
    odd.write_text("{", encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(odd, today=TODAY)
    assert str(info.value).startswith('"two\\nlines.json": not valid JSON')
