"""Issue 10, read back from real PDFs: the leaflet speaks to the person who reads it.

Ranking of the key warnings, plan wording (and its absence), today's step, carer voice, mL first,
pump contacts, dropped points, page counts, the wallet card's size from the PDF boxes,
pictograms with alt text and table header scope in the tagged PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from counsel.leaflet.errors import LeafletError
from counsel.leaflet.render import leaflet_pdf
from counsel.leaflet.syringe import syringe_drawing
from counsel.leaflet.viewmodel import LeafletView
from counsel.services.leaflet import LeafletOptions
from tests.conftest import TODAY, counsel_for
from tests.leaflet.conftest import STANDARD, PdfText, Rendered, flat

pytestmark = pytest.mark.pdf

MM = 72 / 25.4
PUMP = {"clinic_name": "Spinal Clinic", "clinic_phone": "(555) 010-4400",
        "out_of_hours_phone": "(555) 010-4499", "next_refill_date": "2027-01-12"}
CHILD_LIQUID = {"region": "uk", "patient": {"name": "Amira Haddad", "age": 6, "weight_kg": 20,
                                            "sex": "female"},
                "prescription": {"form": "oral_solution", "strength": "5 mg/5 mL",
                                 "dose_mg": 2.5, "times_per_day": 4, "plan": "start",
                                 "titration": {"step_mg": 2.5, "every_days": 7,
                                               "target_dose_mg": 5}}}
CASES: dict[str, dict[str, Any]] = {
    "opioid_non_drinker": {"patient": {"alcohol": "none",
                                       "other_medicines": ["OxyContin 10mg"]}},
    "drinker": {"patient": {"alcohol": "occasional"}},
    "dialysis": {"region": "uk", "patient": {"name": "Edith Moss", "age": 81,
                                             "kidney_function": "dialysis"},
                 "prescription": {"dose_mg": 5}},
    "driver": {"patient": {"drives": True}},
    "taper": {"region": "uk", "patient": {"drives": True, "age": 70},
              "prescription": {"dose_mg": 20, "plan": "stop",
                               "taper": {"step_mg": 5, "every_days": 3}}},
    "start": {"prescription": {"plan": "start", "dose_mg": 5,
                               "titration": {"step_mg": 5, "every_days": 3,
                                             "target_dose_mg": 15}}},
    "child": CHILD_LIQUID,
    "carer_adult": {"patient": {"name": "Tom Alvarez", "age": 41, "sex": "male",
                                "carer": {"name": "Ana Alvarez", "relationship": "wife"}}},
    "girl_11": {"region": "uk", "patient": {"age": 11, "weight_kg": 35, "sex": "female"}},
    "girl_13": {"region": "uk", "patient": {"age": 13, "weight_kg": 45, "sex": "female"}},
    "pump": {"patient": {"name": "Tom Alvarez", "sex": "male"},
             "prescription": {"form": "intrathecal", "strength": "500 mcg/mL", "dose_mg": None,
                              "times_per_day": None, "pump": PUMP}},
    "unmeasurable_liquid": {"prescription": {"form": "oral_suspension", "strength": "25 mg/5 mL",
                                             "dose_mg": 1.15}},
}
# Given on 27 Nov: the titration began on 23 Nov, so today's step is the second (10 mg, 26-28 Nov).
LATE = date(2026, 11, 27)


@dataclass
class Leaf(PdfText):
    view: LeafletView
    html: str
    pdf: bytes

    def key_box(self) -> str:
        page1 = self.pages[0] + " " + (self.pages[1] if len(self.pages) > 1 else "")
        start = page1.index("Important: read this first")
        return page1[start:]


def _render(changes: dict[str, Any], options: LeafletOptions | None = None,
            today: date = TODAY) -> Leaf:
    view, html, pdf = leaflet_pdf(counsel_for(**changes), options or LeafletOptions(), today=today)
    return Leaf(view, html, pdf)


@pytest.fixture(scope="module")
def leaves() -> dict[str, Leaf]:
    out = {name: _render(changes) for name, changes in CASES.items()}
    out["start_late"] = _render(CASES["start"], today=LATE)
    return out


# ---------------------------------------------------------------- ranking
def test_non_drinker_on_an_opioid_does_not_open_with_alcohol(leaves: dict[str, Leaf]) -> None:
    lf = leaves["opioid_non_drinker"]
    titles = [i.title for i in lf.view.key_warnings]
    assert titles[0] == "Opioid painkiller"
    assert titles.index("Alcohol adds to drowsiness") > titles.index("Never stop suddenly")
    box = lf.key_box()
    assert box.index("You take OxyContin 10mg") < box.index("Alcohol makes the sleepiness")
    # A drinker's box does open with alcohol.
    assert leaves["drinker"].view.key_warnings[0].title == "Alcohol adds to drowsiness"


def test_dialysis_patient_box_leads_with_kidney_toxicity_signs(leaves: dict[str, Leaf]) -> None:
    lf = leaves["dialysis"]
    assert lf.view.key_warnings[0].title == "Kidneys: signs baclofen is building up"
    box = lf.key_box()
    assert box.index("Kidneys: signs baclofen is building up") < box.index("Never stop suddenly")
    assert "Kidneys: signs" not in leaves["drinker"].text


def test_drivers_box_includes_driving(leaves: dict[str, Leaf]) -> None:
    assert "The patient drives" in [i.title for i in leaves["driver"].view.key_warnings]
    assert "You told us you drive." in leaves["driver"].key_box()
    assert "You told us you drive." not in leaves["drinker"].text
    assert "The patient drives" not in [i.title for i in leaves["drinker"].view.key_warnings]


# ---------------------------------------------------------------- plan wording
START_ONLY = ("If you need to stop", "after your dose goes up", "when you start baclofen",
              "in your first days on baclofen", "1 hour before a task", "goes up step by step",
              "Start on ")


def test_stop_leaflet_says_so_and_never_uses_start_or_rise_wording(
        leaves: dict[str, Leaf]) -> None:
    lf = leaves["taper"]
    assert "You are stopping baclofen slowly. Follow the calendar." in lf.pages[0]
    assert lf.text.count("You are stopping baclofen slowly. Follow the calendar.") == 2  # + box
    for phrase in START_ONLY:
        assert phrase not in lf.text, phrase
    assert "While your dose comes down, do not drive" in lf.text  # the driver's stopping text


def test_start_leaflet_never_says_stopping(leaves: dict[str, Leaf]) -> None:
    lf = leaves["start"]
    assert "You are stopping" not in lf.text
    assert "After that, the dose goes up step by step." in lf.pages[0]
    assert "If you need to stop, your doctor will lower the dose slowly" in lf.text


def test_wallet_card_states_the_plan_never_a_dose_that_will_change(
        leaves: dict[str, Leaf]) -> None:
    last = leaves["taper"].pages[-1]
    assert "Dose: Coming down step by step; check the calendar in the leaflet." in last
    assert not re.search(r"Dose: \d+ mg", last)
    assert "Dose: Going up step by step; check the calendar" in leaves["start"].pages[-1]
    steady = leaves["drinker"].pages[-1]  # the same dose every day: the dose and amount print
    assert "Dose: 10 mg (1 tablet of 10 mg) at 8:00 AM, 2:00 PM and 8:00 PM." in steady


# ---------------------------------------------------------------- today's step
def test_page_one_shows_the_step_in_force_today(leaves: dict[str, Leaf]) -> None:
    late, early = leaves["start_late"], leaves["start"]
    assert "These are your doses today and until Saturday, November 28, 2026." in late.pages[0]
    assert "Morning 8:00 AM 10 mg 1 tablet of 10 mg" in late.pages[0]
    assert "Start on" not in late.text and "from Monday, November 23, 2026" not in late.pages[0]
    assert ("These are your doses from Monday, November 23, 2026 to Wednesday, November 25, "
            "2026.") in early.pages[0]
    assert "Morning 8:00 AM 5 mg ½ tablet of 10 mg" in early.pages[0]


# ---------------------------------------------------------------- carer voice
def test_child_leaflet_speaks_to_the_carer(leaves: dict[str, Leaf]) -> None:
    lf = leaves["child"]
    page1 = lf.pages[0]
    assert "Your child's doses" in page1 and "These are your child's doses from" in page1
    assert "This leaflet is for the parent or carer, who gives baclofen to Amira." in page1
    assert "How to give baclofen" in lf.text and "Things to know about your child" in lf.text
    assert "Tick a box each time you give a dose." in lf.text
    assert "These are your doses" not in lf.text and "Things to know about you " not in lf.text
    last = lf.pages[-1]
    assert "Amira Haddad takes baclofen — do not stop it suddenly" in last
    assert "I take baclofen" not in lf.text
    assert "Amira takes baclofen. Tell the ambulance crew." in last


def test_adult_with_a_carer_gets_the_carer_voice_and_card(leaves: dict[str, Leaf]) -> None:
    lf = leaves["carer_adult"]
    assert "Carer: Ana Alvarez (wife)" in lf.pages[0]
    assert "Tom's doses" in lf.pages[0] and "Give these doses every day." in lf.pages[0]
    assert "Tom Alvarez takes baclofen — do not stop it suddenly" in lf.pages[-1]
    # No carer, an adult: the patient's own voice.
    own = leaves["drinker"]
    assert "Your doses" in own.pages[0] and "Take these doses every day." in own.pages[0]
    assert "I take baclofen — do not stop it suddenly" in own.pages[-1]
    assert "Carer:" not in own.text


def test_no_pregnancy_wording_for_children_under_the_content_age(
        leaves: dict[str, Leaf]) -> None:
    for name in ("girl_11", "child"):
        text = leaves[name].text.lower()
        assert "pregnan" not in text and "have a baby" not in text, name
    assert "If you plan to have a baby" in leaves["girl_13"].text


# ---------------------------------------------------------------- liquids lead with mL
def test_liquid_doses_lead_with_ml_then_mg_and_concentration(leaves: dict[str, Leaf]) -> None:
    lf = leaves["child"]
    assert "Morning 08:00 Give 2.5 mL 2.5 mg of 5 mg/5 mL liquid" in lf.pages[0]
    assert "Mon 23 Nov Give 2.5 mL (2.5 mg)" in lf.text  # the calendar
    assert "Mon 30 Nov" not in lf.text
    assert "From Monday, 30 November 2026: give 5 mL (5 mg) each time, 4 times a day." in lf.text
    assert "Fill a 5 mL oral syringe up to the 2.5 mL line." in lf.pages[0]
    assert "<title>An oral syringe of 5 mL filled to the 2.5 mL line</title>" in lf.html
    assert "Give 2.5 mL" not in leaves["drinker"].text  # tablets: mg first, no syringe
    assert "oral syringe of" not in leaves["drinker"].html


def test_an_unmeasurable_liquid_dose_prints_mg_and_no_syringe(leaves: dict[str, Leaf]) -> None:
    lf = leaves["unmeasurable_liquid"]
    assert "Morning 8:00 AM 1.15 mg ask your pharmacist how to measure this dose" in lf.pages[0]
    assert "Take 0.23 mL" not in lf.text and "Fill a" not in lf.text
    assert "oral syringe of" not in lf.html


def test_syringe_drawing_is_scaled_from_the_volume_and_the_core_syringes() -> None:
    half = syringe_drawing(2.5)
    assert half is not None and half.capacity_ml == 5
    assert half.fill_x == pytest.approx(half.x0 + (half.x1 - half.x0) / 2)
    small = syringe_drawing(0.25)
    assert small is not None and small.capacity_ml == 1
    assert small.fill_x == pytest.approx(small.x0 + (small.x1 - small.x0) / 4)
    assert [t.label for t in small.ticks if t.label] == ["0", "0.5", "1"]
    ten = syringe_drawing(10)
    assert ten is not None and ten.capacity_ml == 10 and ten.fill_x == pytest.approx(ten.x1)
    assert syringe_drawing(0.23) is None  # not measurable (core rule): no picture either
    assert syringe_drawing(12.5) is None  # filled more than once: no single picture


# ---------------------------------------------------------------- pump patients
def test_pump_contacts_on_page_one_in_the_box_and_on_the_card(leaves: dict[str, Leaf]) -> None:
    lf = leaves["pump"]
    page1 = lf.pages[0]
    header = page1[:page1.index("Your doses")]
    for text in ("Pump clinic: Spinal Clinic, (555) 010-4400.", "Out of hours: (555) 010-4499.",
                 "Next pump refill: Tuesday, January 12, 2027."):
        assert text in header, text
        assert text in lf.key_box(), text
        assert text in lf.pages[-1], text  # the card
    assert "Keep your oral baclofen at hand if the clinic gave you some." in page1
    assert "Before any MRI scan or operation" in lf.text
    assert "Carry your pump card with you at all times." in lf.text
    assert "I have a baclofen pump. Tell the ambulance crew." in lf.pages[-1]
    assert "Pump clinic:" not in leaves["drinker"].text


# ---------------------------------------------------------------- the pharmacist's marks
def test_point_marked_not_relevant_is_left_out() -> None:
    kept = _render(CASES["drinker"])
    dropped = _render(CASES["drinker"], LeafletOptions(omit=frozenset({"storage_tablet",
                                                                        "onset"})))
    for text in ("Keep your tablets at room temperature", "Each dose starts to work"):
        assert text in kept.text
        assert text not in dropped.text


def test_critical_point_cannot_be_left_out() -> None:
    with pytest.raises(LeafletError, match=r"omit: 'Alcohol adds to drowsiness' \(alcohol\) is a "
                                           r"critical point"):
        _render(CASES["drinker"], LeafletOptions(omit=frozenset({"alcohol"})))


# ---------------------------------------------------------------- layout
def test_page_counts_of_the_standard_adult_case(leaflets: dict[str, Rendered],
                                                 variants: dict[str, Rendered]) -> None:
    assert len(leaflets[STANDARD].reader.pages) <= 3
    assert len(variants["large"].reader.pages) <= 4


def test_large_print_key_box_is_whole(variants: dict[str, Rendered]) -> None:
    lf = variants["large"]
    assert not lf.view.key_box_splits
    page = next(p for p in lf.pages if "Important: read this first" in p)
    for item in lf.view.key_warnings:
        assert flat(item.title) in page
        assert flat(item.lines[-1]) in page


def _panel_boxes(reader: PdfReader) -> list[tuple[float, float, float, float]]:
    """The wallet card panels' background rectangles (x0, y0, x1, y1 in pt) on the last page:
    the card's fill colour #fffef6 is used nowhere else."""
    page = reader.pages[-1]
    colour: list[tuple[float, ...]] = [()]
    boxes: set[tuple[float, float, float, float]] = set()

    def before(op: bytes, args: list[Any], cm: list[float], tm: list[float]) -> None:
        if op == b"rg":
            colour[0] = tuple(round(float(a), 3) for a in args)
        elif op == b"re" and colour[0] == (1.0, 0.996, 0.965):
            x, y, w, h = (float(a) for a in args)
            xs = sorted((x * cm[0] + cm[4], (x + w) * cm[0] + cm[4]))
            ys = sorted((y * cm[3] + cm[5], (y + h) * cm[3] + cm[5]))
            boxes.add((round(xs[0], 2), round(ys[0], 2), round(xs[1], 2), round(ys[1], 2)))

    page.extract_text(visitor_operand_before=before)
    return sorted(boxes)


@pytest.mark.parametrize("which", ["standard", "large"])
def test_wallet_card_is_credit_card_size_and_its_text_fits(
        which: str, leaflets: dict[str, Rendered], variants: dict[str, Rendered]) -> None:
    lf = leaflets[STANDARD] if which == "standard" else variants["large"]
    boxes = _panel_boxes(lf.reader)
    assert len(boxes) == 2  # front and back, folded along the line between them
    for x0, y0, x1, y1 in boxes:
        assert (x1 - x0) / MM == pytest.approx(85.6, abs=0.1)
        assert (y1 - y0) / MM == pytest.approx(54.0, abs=0.1)
    assert boxes[0][2] == pytest.approx(boxes[1][0], abs=0.5)  # side by side
    # The card's lines lie inside the card (nothing spills past the cut line).
    left, bottom = boxes[0][0], min(b[1] for b in boxes)
    right, top = boxes[1][2], max(b[3] for b in boxes)
    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((text, tm[4] * cm[0] + tm[5] * cm[2] + cm[4],
                         tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    lf.reader.pages[-1].extract_text(visitor_text=visit)
    card = [r for r in runs if any(w in r[0] for w in (
        "do not stop it", "Name:", "Medicine:", "If found unwell", "ambulance", "Dose:",
        "Pharmacy:", "(555) 010-2030"))]
    assert len(card) >= 7, card
    for text, x, y in card:
        assert left <= x <= right and bottom <= y <= top, text
    assert "Cut out this card along the dashed line" in lf.pages[-1]


# ---------------------------------------------------------------- pictograms and tagging
def _struct(reader: PdfReader) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            out.append(node)
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object()
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


def test_pictograms_beside_the_text_with_alt_text_in_the_tagged_pdf(
        leaves: dict[str, Leaf]) -> None:
    wanted = {
        "drinker": ["No alcohol", "Do not stop suddenly: come down step by step"],
        "start": ["Half a tablet: break it along the score line"],
        "driver": ["No driving"],
        "child": ["Measure with the oral syringe"],
    }
    for name, alts in wanted.items():
        found = {str(n["/Alt"]) for n in _struct(leaves[name].reader) if "/Alt" in n}
        for alt in alts:
            assert alt in found, (name, alt)
    # Beside, never instead of, the text.
    assert "Do not drink alcohol until you know how baclofen affects you." in \
        leaves["drinker"].text
    found = {str(n["/Alt"]) for n in _struct(leaves["drinker"].reader) if "/Alt" in n}
    assert "Half a tablet: break it along the score line" not in found  # 1 whole tablet
    assert "No driving" not in {str(n["/Alt"]) for n in _struct(leaves["child"].reader)
                                if "/Alt" in n}


def test_table_headers_carry_scope_and_cells_name_their_headers(
        leaflets: dict[str, Rendered]) -> None:
    lf = leaflets[STANDARD]
    ths = re.findall(r"<th\b[^>]*>", lf.html)
    assert ths and all(re.search(r'scope="(col|row)"', th) for th in ths)
    nodes = _struct(lf.reader)
    tds = [n for n in nodes if n.get("/S") == "/TD"]
    assert tds
    for td in tds:  # each data cell is paired with its row and column headers
        headers = td["/A"].get_object().get("/Headers")
        assert headers is not None and len(headers) >= 2
    root = lf.reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert lf.reader.metadata is not None and lf.reader.metadata.title == \
        "Baclofen leaflet for Maria Lopez"


# ---------------------------------------------------------------- the new case fields
def test_pump_contacts_only_for_a_pump_and_carer_fields_are_bounded() -> None:
    from counsel.core.case import parse_case
    from counsel.core.errors import CaseError
    from tests.conftest import make_data

    with pytest.raises(CaseError, match=r"prescription\.pump: only for the intrathecal form"):
        parse_case(make_data(prescription={"pump": PUMP}), today=TODAY)
    with pytest.raises(CaseError, match=r"patient\.carer\.relationship"):
        parse_case(make_data(patient={"carer": {"name": "Jo", "relationship": "x" * 41}}),
                   today=TODAY)
    with pytest.raises(CaseError, match=r"patient\.carer\.phone: unknown field"):
        parse_case(make_data(patient={"carer": {"name": "Jo", "phone": "1"}}), today=TODAY)
    case = parse_case(make_data(patient={"carer": {"name": " Jo Lee ", "relationship": "son"}}),
                      today=TODAY)
    assert case.patient.carer is not None and case.patient.carer.name == "Jo Lee"
