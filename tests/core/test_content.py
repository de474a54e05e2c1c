"""Shipped content validates; a broken content file gives one line naming file, key path and problem."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from counsel import paths
from counsel.core.content import load_catalog
from counsel.core.errors import ContentError

REQUIRED_SECTIONS = {"about", "taking", "titration", "missed_doses", "alcohol_sedatives", "driving",
                     "stopping", "side_effects", "special_populations", "storage", "intrathecal",
                     "follow_up"}


def test_shipped_content_loads(catalog):
    mono = catalog.monograph("baclofen")
    assert mono is not None
    assert {s.id for s in mono.sections} >= REQUIRED_SECTIONS
    assert set(mono.regions) == {"us", "uk"}


def test_every_section_has_points_and_every_point_cites_known_sources(catalog):
    mono = catalog.monograph("baclofen")
    source_ids = {s.id for s in mono.sources}
    for section in mono.sections:
        assert any(p.section == section.id for p in mono.points), section.id
    for point in mono.points:
        assert point.sources and set(point.sources) <= source_ids


def test_safety_critical_points_are_marked_critical(catalog):
    mono = catalog.monograph("baclofen")
    for pid in ("never_stop_suddenly", "withdrawal_signs", "alcohol", "side_effects_urgent",
                "kidney", "pregnancy", "pump_refills", "interaction_opioid", "liquid_measuring"):
        assert mono.point(pid).critical, pid


def test_region_differences_are_data(catalog):
    mono = catalog.monograph("baclofen")
    us, uk = mono.regions["us"], mono.regions["uk"]
    assert us.max_daily_mg == 80 and uk.max_daily_mg == 100
    assert us.child.licensed_from_years == 12 and uk.child.licensed_from_years == 0
    assert [(c.under_years, c.max_daily_mg) for c in uk.child.caps] == [(8, 40), (18, 60)]


def test_label_wins_over_web_myths(catalog):
    text = yaml.safe_dump(catalog.monograph("baclofen").model_dump(mode="json"), allow_unicode=True).lower()
    assert "category c" not in text
    assert "15–25%" not in text  # seed drowsiness figure; the label says 10–63%
    assert "10–63%" in text


def _broken_copy(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "monographs"
    folder.mkdir()
    data = yaml.safe_load((paths.MONOGRAPHS_DIR / "baclofen.yaml").read_text(encoding="utf-8"))
    edit(data)
    target = folder / "baclofen.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


BROKEN = [
    ("unknown key", lambda d: d["points"][0].update(colour="red"), r"points\.0 \(\w+\)\.colour: unknown key"),
    ("missing prompt", lambda d: d["points"][2].pop("prompt"), r"points\.2 \(\w+\)\.prompt: missing"),
    ("bad source", lambda d: d["points"][1].update(sources=["NOPE"]),
     r"points\.1 \(purpose_off_label\)\.sources: unknown source id 'NOPE'"),
    ("bad section", lambda d: d["points"][3].update(section="nowhere"),
     r"points\.3 \(with_food\)\.section: unknown section 'nowhere'"),
    ("bad fact", lambda d: d["points"][0].update(applies={"fact": "shoe_size"}),
     r"points\.0 \(\w+\)\.applies: .*unknown fact 'shoe_size'"),
    ("bad placeholder", lambda d: d["points"][0]["patient_text"].append("Hi {name}"),
     r"points\.0\.patient_text: .*unknown placeholder \{name\}"),
    ("duplicate id", lambda d: d["points"][1].update(id=d["points"][0]["id"]), r"duplicate point id"),
    ("bad critical type", lambda d: d["points"][0].update(critical="maybe"),
     r"points\.0 \(\w+\)\.critical: .*boolean \(got \"maybe\"\)"),
    ("unknown medicine class", lambda d: d["points"][0].update(applies={"medicine_class": "x"}),
     r"points\.0\.applies: unknown medicine class 'x'"),
]


@pytest.mark.parametrize(("name", "edit", "pattern"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_monograph_gives_one_line_with_key_path(tmp_path, name, edit, pattern):
    folder = _broken_copy(tmp_path, edit)
    with pytest.raises(ContentError) as info:
        load_catalog(monographs_dir=folder)
    message = str(info.value)
    assert "\n" not in message
    assert "baclofen.yaml: " in message
    assert re.search(pattern, message), message


def test_yaml_syntax_error_names_the_line(tmp_path):
    folder = tmp_path / "monographs"
    folder.mkdir()
    (folder / "baclofen.yaml").write_text("drug: baclofen\npoints: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"baclofen\.yaml: not valid YAML \(line \d+"):
        load_catalog(monographs_dir=folder)


def test_file_name_must_match_drug(tmp_path):
    folder = tmp_path / "monographs"
    folder.mkdir()
    shutil.copy(paths.MONOGRAPHS_DIR / "baclofen.yaml", folder / "other.yaml")
    with pytest.raises(ContentError, match=r"other\.yaml: drug: 'baclofen' must match the file name"):
        load_catalog(monographs_dir=folder)


def test_broken_medicine_list(tmp_path):
    bad = tmp_path / "medicines.yaml"
    data = yaml.safe_load(paths.MEDICINES_FILE.read_text(encoding="utf-8"))
    data["classes"][0]["sources"] = ["NOT-A-SOURCE"]
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=r"medicines\.yaml: classes\.opioid\.sources: source id"):
        load_catalog(medicines_file=bad)
