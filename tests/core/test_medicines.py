"""Other medicines: every ingredient of a combination counts, a partial name match is reported,
a gel is not a tablet, and a second baclofen product is a duplication (facts §11)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from counsel import paths
from counsel.core.content import load_catalog
from counsel.core.errors import ContentError
from counsel.core.medicines import MedicineIndex, MedicineList, medicine_findings
from tests.conftest import counsel_for, make_case


def codes(result):  # type: ignore[no-untyped-def]
    return [w.code for w in result.warnings]


def findings(catalog, medicines, **changes):  # type: ignore[no-untyped-def]
    """(code, message) pairs straight from counsel.core.medicines (no rules engine)."""
    case = make_case(patient={"other_medicines": medicines, **changes.pop("patient", {})},
                     **changes)
    index: MedicineIndex = catalog.medicines
    hits = [index.recognise(m) for m in medicines]
    recognised = [h for h in hits if h is not None]
    unrecognised = [m for m, h in zip(medicines, hits, strict=True) if h is None]
    return [(c, m) for c, m, _ in medicine_findings(case, recognised, unrecognised, index)]


# ---------------------------------------------------------------- new classes (facts §11)
@pytest.mark.parametrize(("name", "cls"), [
    ("gabapentin", "gabapentinoid"), ("Lyrica", "gabapentinoid"),
    ("Sativex", "cannabinoid"), ("nabilone", "cannabinoid"), ("dronabinol", "cannabinoid"),
    ("quetiapine", "antipsychotic"), ("levomepromazine", "antipsychotic"),
    ("prochlorperazine", "antipsychotic"), ("Xyrem", "sodium_oxybate"),
    ("suvorexant", "orexin_antagonist"), ("daridorexant", "orexin_antagonist"),
    ("primidone", "barbiturate"), ("butalbital", "barbiturate"),
    ("cinnarizine", "sedating_antiemetic"), ("meclizine", "sedating_antiemetic"),
    ("Dramamine", "sedating_antiemetic"), ("esketamine", "other_sedative"),
    ("clomethiazole", "other_sedative"), ("tamsulosin", "alpha_blocker"),
    ("alfuzosin", "alpha_blocker"), ("doxazosin", "alpha_blocker"),
    ("methyldopa", "antihypertensive"), ("hydralazine", "antihypertensive"),
    ("isosorbide mononitrate", "antihypertensive"), ("GTN patch", "antihypertensive"),
    ("diamorphine", "opioid"), ("oxymorphone", "opioid"), ("levorphanol", "opioid"),
    ("pentazocine", "opioid"), ("butorphanol", "opioid"), ("nalbuphine", "opioid"),
    ("meptazinol", "opioid"), ("linezolid", "maoi"), ("fentanyl patch", "opioid"),
])
def test_section_11_medicines_are_in_their_class(catalog, name, cls):
    hit = catalog.medicines.recognise(name)
    assert hit is not None and cls in hit.classes, (name, hit)


def test_gabapentinoids_are_their_own_class_not_antiepileptics(catalog):
    for name in ("gabapentin", "pregabalin"):
        hit = catalog.medicines.recognise(name)
        assert hit is not None and hit.classes == ("gabapentinoid",)
    assert catalog.medicines.recognise("levetiracetam").classes == ("antiepileptic",)


# ---------------------------------------------------------------- combinations
@pytest.mark.parametrize(("name", "generic", "classes"), [
    ("Advil PM", "ibuprofen + diphenhydramine", {"nsaid", "sedating_antihistamine"}),
    ("advil pm", "ibuprofen + diphenhydramine", {"nsaid", "sedating_antihistamine"}),
    ("Tylenol PM", "paracetamol + diphenhydramine", {"sedating_antihistamine"}),
    ("Aleve PM", "naproxen + diphenhydramine", {"nsaid", "sedating_antihistamine"}),
    ("Unisom", "doxylamine", {"sedating_antihistamine"}),
    ("Nurofen Plus", "ibuprofen + codeine", {"nsaid", "opioid"}),
    ("co-codamol 30/500", "codeine + paracetamol", {"opioid"}),
    ("Solpadeine Max", "codeine + paracetamol", {"opioid"}),
    ("Kapake 30/500", "codeine + paracetamol", {"opioid"}),
    ("Migraleve", "paracetamol + codeine + buclizine", {"opioid", "sedating_antiemetic"}),
    ("Fioricet with Codeine", "butalbital + paracetamol + caffeine + codeine",
     {"barbiturate", "opioid"}),
    ("Night Nurse", "paracetamol + promethazine + dextromethorphan", {"sedating_antihistamine"}),
])
def test_combination_products_carry_every_ingredient(catalog, name, generic, classes):
    hit = catalog.medicines.recognise(name)
    assert hit is not None
    assert hit.generic == generic
    assert set(hit.classes) == classes
    assert hit.unmatched == ""  # the whole name is known: nothing to check by hand


def test_advil_pm_is_never_just_ibuprofen():
    result = counsel_for(patient={"other_medicines": ["Advil PM"]})
    got = set(result.point_ids())
    assert {"interaction_nsaid", "interaction_sleep_medicine"} <= got
    sleep = next(p for p in result.points if p.id == "interaction_sleep_medicine")
    assert "You take Advil PM." in sleep.patient_text[0]
    # plain Advil is ibuprofen only: no sedating antihistamine
    assert "interaction_sleep_medicine" not in counsel_for(
        patient={"other_medicines": ["Advil"]}).point_ids()


def test_a_typed_combination_is_split_into_its_ingredients(catalog):
    hit = catalog.medicines.recognise("paracetamol and codeine")
    assert hit is not None and hit.generic == "paracetamol + codeine"
    assert hit.classes == ("opioid",) and hit.unmatched == ""
    partial = catalog.medicines.recognise("codeine + mystery herb")
    assert partial is not None and partial.classes == ("opioid",)
    assert partial.unmatched == "mystery herb"


# ---------------------------------------------------------------- partial names
@pytest.mark.parametrize(("name", "generic", "rest"), [
    ("Advil Dual Action", "ibuprofen", "dual action"),
    ("Nurofen Cold and Flu", "ibuprofen", "cold and flu"),
    ("Tylenol Cold", "paracetamol", "cold"),
])
def test_a_first_word_match_keeps_the_rest_of_the_name(catalog, name, generic, rest):
    hit = catalog.medicines.recognise(name)
    assert hit is not None and hit.generic == generic and hit.unmatched == rest


@pytest.mark.parametrize("name", ["OxyContin 10mg", "tramadol hydrochloride 50mg",
                                  "naproxen sodium 220 mg", "tamsulosin MR", "sodium valproate"])
def test_strengths_forms_and_salts_are_not_unmatched_words(catalog, name):
    hit = catalog.medicines.recognise(name)
    assert hit is not None and hit.unmatched == "", hit


def test_partial_match_asks_to_check_the_other_ingredients(catalog):
    found = findings(catalog, ["Advil Dual Action"])
    assert [c for c, _ in found] == ["INTERACTION_NSAID", "CHECK_OTHER_INGREDIENTS"]
    message = dict(found)["CHECK_OTHER_INGREDIENTS"]
    assert "Advil Dual Action" in message and "'dual action'" in message
    assert "check the other ingredients" in message.lower()
    assert "CHECK_OTHER_INGREDIENTS" not in dict(findings(catalog, ["Advil PM", "Advil"]))


# ---------------------------------------------------------------- topical NSAIDs
@pytest.mark.parametrize("name", ["ibuprofen gel", "Voltarol Emulgel", "Voltaren Gel",
                                  "diclofenac patch", "ketoprofen cream"])
def test_a_topical_nsaid_is_recognised_but_not_treated_like_a_tablet(catalog, name):
    hit = catalog.medicines.recognise(name)
    assert hit is not None and hit.topical
    assert "nsaid" not in hit.classes and "(on the skin)" in hit.generic
    result = counsel_for(patient={"other_medicines": [name]})
    assert "interaction_nsaid" not in result.point_ids()
    assert not {"INTERACTION_NSAID", "UNRECOGNISED_MEDICINE"} & set(codes(result))


def test_oral_nsaid_and_systemic_patches_keep_their_warning(catalog):
    assert catalog.medicines.recognise("Voltarol").classes == ("nsaid",)
    assert catalog.medicines.recognise("ibuprofen 400 mg tablets").classes == ("nsaid",)
    assert "interaction_nsaid" in counsel_for(patient={"other_medicines": ["ibuprofen"]}).point_ids()
    for patch in ("fentanyl patch", "Butrans patch", "GTN patch"):
        hit = catalog.medicines.recognise(patch)
        assert hit is not None and hit.classes and not hit.topical, patch


# ---------------------------------------------------------------- duplicate baclofen
@pytest.mark.parametrize("name", ["baclofen 10 mg", "Lioresal", "Lyflex", "Ozobax", "Fleqsuvy",
                                  "Lyvispah", "Gablofen"])
def test_second_baclofen_product_is_a_duplicate(catalog, name):
    found = dict(findings(catalog, [name]))
    assert "DUPLICATE_BACLOFEN" in found
    assert "UNRECOGNISED_MEDICINE" not in found


def test_oral_baclofen_with_a_pump_is_a_duplicate(catalog):
    pump = {"prescription": {"form": "intrathecal", "strength": "500 mcg/mL", "dose_mg": None,
                             "times_per_day": None}}
    found = dict(findings(catalog, ["baclofen 10 mg tablets"], **pump))
    assert "oral baclofen with an intrathecal pump" in found["DUPLICATE_BACLOFEN"]
    on_tablets = dict(findings(catalog, ["Gablofen"]))
    assert "oral baclofen with an intrathecal pump" in on_tablets["DUPLICATE_BACLOFEN"]
    # the patient's own pump listed beside a pump prescription is not a second product
    assert "DUPLICATE_BACLOFEN" not in dict(findings(catalog, ["baclofen pump"], **pump))
    assert "DUPLICATE_BACLOFEN" not in dict(findings(catalog, ["ibuprofen"]))


# ---------------------------------------------------------------- gabapentinoid breathing (FDA 2019)
@pytest.mark.parametrize(("medicines", "patient"), [
    (["pregabalin", "morphine"], {}),
    (["gabapentin"], {"age": 70}),
    (["gabapentin"], {"conditions": ["breathing_problems"]}),
])
def test_gabapentinoid_breathing_warning_is_critical_with_a_risk_factor(catalog, medicines, patient):
    found = dict(findings(catalog, medicines, patient=patient))
    assert found["GABAPENTINOID_BREATHING"].startswith("CRITICAL:")
    assert "FDA (Dec 2019)" in found["GABAPENTINOID_BREATHING"]
    result = counsel_for(patient={"other_medicines": medicines, **patient})
    assert "interaction_gabapentinoid_breathing" in result.point_ids()
    assert "interaction_gabapentinoid" not in result.point_ids()
    point = next(p for p in result.points if p.id == "interaction_gabapentinoid_breathing")
    assert point.point.critical and point.point.key_warning


def test_gabapentinoid_without_a_risk_factor_is_not_critical(catalog):
    found = dict(findings(catalog, ["gabapentin"]))
    assert "GABAPENTINOID_BREATHING" not in found and "INTERACTION_GABAPENTINOID" in found
    result = counsel_for(patient={"other_medicines": ["gabapentin"]})
    assert "interaction_gabapentinoid" in result.point_ids()
    assert "interaction_gabapentinoid_breathing" not in result.point_ids()
    assert "GABAPENTINOID_BREATHING" not in dict(findings(catalog, ["morphine"], patient={"age": 80}))


# ---------------------------------------------------------------- the list itself
def test_type_ahead_names_include_combinations_and_baclofen_brands(catalog):
    names = catalog.medicines.names()
    for name in ("Advil PM", "Tylenol PM", "Aleve PM", "Unisom", "co-codamol", "Sativex",
                 "Gablofen", "paracetamol"):
        assert name in names


def _medicine_list(edit) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(paths.MEDICINES_FILE.read_text(encoding="utf-8"))
    edit(data)
    return data


@pytest.mark.parametrize(("edit", "pattern"), [
    (lambda d: d["combinations"].append({"name": "Mystery PM", "ingredients": ["ibuprofen", "unobtainium"]}),
     r"unknown ingredient 'unobtainium'"),
    (lambda d: d["classes"][0]["medicines"][0]["brands"].append("Advil"),
     r"classes\.\d+\.medicines: 'Advil' is also listed for morphine"),
    (lambda d: d["combinations"].append({"name": "Advil", "ingredients": ["ibuprofen", "caffeine"]}),
     r"'Advil' is also listed for ibuprofen"),
])
def test_medicine_list_errors_are_one_line(tmp_path, edit, pattern):
    import re

    bad = tmp_path / "medicines.yaml"
    bad.write_text(yaml.safe_dump(_medicine_list(edit)), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_catalog(medicines_file=bad)
    assert "\n" not in str(info.value) and re.search(pattern, str(info.value)), str(info.value)


def test_shipped_list_validates_as_a_model():
    data = yaml.safe_load(paths.MEDICINES_FILE.read_text(encoding="utf-8"))
    parsed = MedicineList.model_validate(data)
    assert {c.id for c in parsed.classes} >= {
        "gabapentinoid", "cannabinoid", "antipsychotic", "sodium_oxybate", "orexin_antagonist",
        "barbiturate", "sedating_antiemetic", "alpha_blocker", "other_sedative"}


# ---------------------------------------------------------------- through the rules engine
@pytest.mark.parametrize(("changes", "code"), [
    ({"patient": {"other_medicines": ["Lioresal 10 mg"]}}, "DUPLICATE_BACLOFEN"),
    ({"patient": {"other_medicines": ["baclofen 10 mg tablets"]},
      "prescription": {"form": "intrathecal", "strength": "500 mcg/mL", "dose_mg": None,
                       "times_per_day": None}}, "DUPLICATE_BACLOFEN"),
    ({"patient": {"other_medicines": ["pregabalin", "oxycodone"]}}, "GABAPENTINOID_BREATHING"),
    ({"patient": {"age": 72, "other_medicines": ["gabapentin"]}}, "GABAPENTINOID_BREATHING"),
])
def test_critical_medicine_warnings_reach_the_pharmacist(changes, code):
    result = counsel_for(**changes)
    warning = next(w for w in result.warnings if w.code == code)
    # GABAPENTINOID_BREATHING is critical (FDA 2019); a duplicate must at least be acknowledged
    expected = {"critical"} if code == "GABAPENTINOID_BREATHING" else {"critical", "warning"}
    assert warning.severity in expected and warning.field == "patient.other_medicines"
    assert code in [w.code for w in result.unacknowledged(set())]


def test_check_other_ingredients_is_a_warning_to_acknowledge():
    result = counsel_for(patient={"other_medicines": ["Advil Dual Action"]})
    warning = next(w for w in result.warnings if w.code == "CHECK_OTHER_INGREDIENTS")
    assert warning.severity == "warning"
    assert "CHECK_OTHER_INGREDIENTS" not in codes(counsel_for(patient={"other_medicines": ["Advil PM"]}))
    assert not {"DUPLICATE_BACLOFEN", "GABAPENTINOID_BREATHING"} & set(codes(
        counsel_for(patient={"other_medicines": ["gabapentin", "Advil"]})))


def test_a_product_number_after_a_plain_painkiller_brand_is_not_hidden(catalog):
    # Tylenol No. 3 holds codeine: "Tylenol 3" must not pass as plain paracetamol
    hit = catalog.medicines.recognise("Tylenol 3")
    assert hit is not None and hit.unmatched == "3"
    assert catalog.medicines.recognise("Tylenol #3").classes == ("opioid",)
    for plain in ("paracetamol 500 mg", "paracetamol 500", "Panadol", "paracetamol 2 tablets"):
        hit = catalog.medicines.recognise(plain)
        assert hit is not None and hit.unmatched == "", plain


def test_each_match_describes_itself_for_the_pharmacist(catalog):
    labels = {c.id: c.label for c in catalog.medicines.classes.values()}
    describe = {n: catalog.medicines.recognise(n).describe(labels)
                for n in ("zopiclone", "Advil PM", "ibuprofen gel", "Advil Dual Action", "Ozobax")}
    assert describe["zopiclone"] == "✓ sleeping tablet (z-drug)"
    assert describe["Advil PM"].startswith("✓ ") and "sedating antihistamine" in describe["Advil PM"]
    assert describe["ibuprofen gel"] == "✓ ibuprofen (on the skin): no interaction listed"
    assert describe["Advil Dual Action"].startswith("⚠ matched ibuprofen")
    assert "check the other ingredients ('dual action')" in describe["Advil Dual Action"]
    assert describe["Ozobax"].startswith("⚠ this is baclofen too")
