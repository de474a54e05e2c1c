"""The leaflet PDF itself: sections per case, timetable and calendar dates, page counts, tagging,
embedded fonts, footer and watermark on every page, print sizes (read back from the PDF)."""

from __future__ import annotations

import re

import pytest

from counsel.core.content import default_catalog
from tests.leaflet.conftest import STANDARD, Rendered, flat, needs_poppler

pytestmark = pytest.mark.pdf

TYPICAL_MAX_PAGES = 4  # content 1.1.0 (issue 9) adds safety points: 3 pages + the calendar / card


def test_every_example_renders_within_page_limits(leaflets: dict[str, Rendered]) -> None:
    for name, lf in leaflets.items():
        n = len(lf.reader.pages)
        limit = 6 if lf.view.large_print else TYPICAL_MAX_PAGES
        assert 1 <= n <= limit, f"{name}: {n} pages"


def test_order_of_contents_most_important_first(leaflets: dict[str, Rendered]) -> None:
    text = leaflets[STANDARD].text
    order = ["Baclofen 10 mg tablets", "For Maria Lopez", "Your doses", "Important: read this first",
             "Your dose calendar", "If you forget a dose", "Side effects",
             "Driving and using machines", "Storing your medicine", "Check-ups",
             "I take baclofen — do not stop it suddenly"]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)


def test_header_names_patient_date_and_pharmacy(leaflets: dict[str, Rendered]) -> None:
    page1 = leaflets[STANDARD].pages[0]
    assert "For Maria Lopez" in page1
    assert "Given on Monday, November 23, 2026" in page1
    assert "Riverside Pharmacy: (555) 010-2030" in page1
    assert "Prescribed by Dr A. Patel" in page1


def test_timetable_has_clock_times_mg_and_tablets(leaflets: dict[str, Rendered]) -> None:
    page1 = leaflets[STANDARD].pages[0]
    for when in ("Morning 8:00 AM", "Afternoon 2:00 PM", "Evening 8:00 PM"):
        assert f"{when} 5 mg ½ tablet of 10 mg" in page1
    assert "That is 15 mg a day in total." in page1
    assert "These are your doses from Monday, November 23, 2026 to Wednesday, November 25, 2026." \
        in page1
    assert "three times daily" not in leaflets[STANDARD].text.lower()


def test_uk_timetable_uses_24_hour_clock_and_uk_dates(leaflets: dict[str, Rendered]) -> None:
    text = leaflets["taper-no-benefit"].text
    assert "Morning 08:00 20 mg 2 tablets of 10 mg" in text
    assert "Monday, 23 November 2026" in text


def test_liquid_timetable_gives_ml_and_concentration(leaflets: dict[str, Rendered]) -> None:
    text = leaflets["child-oral-liquid"].text
    assert "Morning 07:00 Give 2.5 mL 2.5 mg of 5 mg/5 mL liquid" in text  # mL first (issue 10)
    assert "Night 21:00 Give 2.5 mL" in text
    assert "oral syringe" in text


def test_titration_calendar_has_a_row_per_day_and_the_final_dose(
        leaflets: dict[str, Rendered]) -> None:
    text = leaflets[STANDARD].text
    for day in ("Mon, Nov 23", "Wed, Nov 25", "Thu, Nov 26", "Sun, Nov 29", "Tue, Dec 1"):
        assert day in text
    assert "Thu, Nov 26 10 mg: 1 tablet" in text
    assert "Sun, Nov 29 15 mg: 1½ tablets" in text
    assert "Wed, Dec 2" not in text  # the target dose is a sentence, not a tick row
    assert ("From Wednesday, December 2, 2026: 20 mg (2 tablets of 10 mg) each time, 3 times a "
            "day. Keep taking this dose.") in text
    view = leaflets[STANDARD].view
    assert view.calendar is not None
    assert len(view.calendar.rows) == 9
    assert all(r.boxes == 3 for r in view.calendar.rows)


def test_taper_calendar_ends_with_stopping(leaflets: dict[str, Rendered]) -> None:
    text = leaflets["taper-no-benefit"].text
    assert "Mon 23 Nov 20 mg: 2 tablets" in text
    assert "Fri 4 Dec 5 mg: ½ tablet" in text
    assert "From Saturday, 5 December 2026: stop. Take no more baclofen." in text
    assert "Your dose comes down slowly" in text


def test_no_calendar_without_a_titration_or_taper(leaflets: dict[str, Rendered]) -> None:
    for name in ("pregnancy", "older-adult-kidney", "epilepsy-breastfeeding", "intrathecal-pump"):
        assert "Your dose calendar" not in leaflets[name].text, name


def test_pump_patient_gets_no_oral_timetable(leaflets: dict[str, Rendered]) -> None:
    lf = leaflets["intrathecal-pump"]
    assert "The pump clinic sets the dose." in lf.text
    assert "How much to take" not in lf.text
    assert "Never miss a pump refill appointment" in lf.text
    assert "Next pump refill: 12 January 2027 at the Spinal Clinic." in lf.text
    assert "Your next check-up is on Tuesday, January 12, 2027." in lf.text


def test_key_warnings_box_names_the_patients_interacting_medicines(
        leaflets: dict[str, Rendered]) -> None:
    page1 = leaflets["opioid-and-sleeping-tablet"].pages[0]
    box = page1[page1.index("Important: read this first"):]
    assert "You take OxyContin 10mg." in box
    assert "You take zopiclone." in box
    assert "Do not stop taking baclofen suddenly" in box
    assert "fast heartbeat" in box  # the withdrawal signs


def test_special_population_sections_only_where_they_apply(leaflets: dict[str, Rendered]) -> None:
    older = leaflets["older-adult-kidney"].text
    assert "Your kidneys clear baclofen" in older
    assert "You take amlodipine 5 mg and Ramipril." in older
    assert "pregnan" not in older.lower()  # a 78-year-old man
    assert "breast" not in older.lower()
    pregnant = leaflets["pregnancy"].text
    assert "Tell your doctor and the doctor who cares for your pregnancy" in pregnant  # US words
    assert "kidneys clear" not in pregnant
    assert "Small amounts of baclofen pass into breast milk" in leaflets["epilepsy-breastfeeding"].text
    assert "A child's dose is worked out from their weight or age" in leaflets["child-oral-liquid"].text
    assert "Driving" not in leaflets["child-oral-liquid"].text  # a 6-year-old


def test_side_effects_are_split_common_and_urgent(leaflets: dict[str, Rendered]) -> None:
    text = leaflets[STANDARD].text
    common = text.index("Common side effects: tell us if they bother you")
    urgent = text.index("Get help now")
    assert common < text.index("Feeling sleepy.") < urgent < text.index("Your breathing is slow")
    assert "If any of these happen, call 911 or go to the ER." in text
    assert "Poison Help at 1-800-222-1222" in text
    assert "call 999 or go to A&E" in leaflets["taper-no-benefit"].text


def test_pharmacist_only_text_never_prints(leaflets: dict[str, Rendered]) -> None:
    for name, lf in leaflets.items():
        for point in lf.result.points:
            assert flat(point.prompt) not in lf.text, f"{name}: prompt of {point.id}"
            assert flat(point.why) not in lf.text, f"{name}: why of {point.id}"


def test_notes_follow_up_and_wallet_card(leaflets: dict[str, Rendered]) -> None:
    child = leaflets["child-oral-liquid"].text
    assert "Notes from your pharmacist" in child
    assert "Give the medicine to Amira, not her brother." in child
    assert "Notes from your pharmacist" not in leaflets[STANDARD].text
    last = leaflets[STANDARD].pages[-1]
    assert "Your next check-up is on Monday, December 21, 2026." in leaflets[STANDARD].text
    assert "I take baclofen — do not stop it suddenly" in last
    assert "Name: Maria Lopez" in last
    # The card states the plan, never a dose that will be wrong at the next step.
    assert "Dose: Going up step by step; check the calendar in the leaflet." in last
    assert "Dose: 5 mg" not in last
    assert "If found unwell: risk of baclofen withdrawal. I take baclofen. Tell the ambulance " \
        "crew." in last
    assert "Pharmacy: Riverside Pharmacy, (555) 010-2030" in last


def test_page_numbers_on_every_page_and_provenance_once_at_the_end(
        leaflets: dict[str, Rendered]) -> None:
    mono = default_catalog().monograph("baclofen")
    assert mono is not None
    for name, lf in leaflets.items():
        pages = lf.pages
        for i, page in enumerate(pages, 1):
            assert f"Page {i} of {len(pages)}" in page, name
        # Content version, review dates and sources in words: once, on the last page only.
        assert lf.text.count(f"content version {mono.content_version}") == 1, name
        assert f"content version {mono.content_version}" in pages[-1], name
        assert lf.text.count("Based on:") == 1 and "Based on:" in pages[-1], name
        assert "Sources:" not in lf.text and "US-TAB" not in lf.text, name  # no codes


def test_source_list_in_words_matches_the_region(leaflets: dict[str, Rendered]) -> None:
    mono = default_catalog().monograph("baclofen")
    assert mono is not None
    titles = {s.id: s.title for s in mono.sources}
    uk, us = leaflets["taper-no-benefit"], leaflets[STANDARD]
    assert titles["NHS"] in uk.text and titles["US-TAB"] not in uk.text  # no US labels in the UK
    assert titles["US-TAB"] in us.text and titles["NHS"] not in us.text
    assert titles["OZB"] not in uk.text


def test_footer_sources_are_those_of_the_printed_points(leaflets: dict[str, Rendered]) -> None:
    for name, lf in leaflets.items():
        # pharmacist-only points (usual dose range, ovarian cysts) never print, nor their sources
        used = {s for p in lf.result.points if not p.point.pharmacist_only for s in p.point.sources}
        assert set(lf.view.sources) <= used, name
        assert set(lf.view.sources) == used, name  # every selected point prints somewhere
    assert "IT" in leaflets["intrathecal-pump"].view.sources
    assert "UKTIS" in leaflets["pregnancy"].view.sources
    assert "UKTIS" not in leaflets[STANDARD].view.sources


MM = 72 / 25.4


def _text_sizes(lf: Rendered, *, body_only: bool = False) -> dict[str, float]:
    """Smallest printed size (pt) of each text run; body_only skips the page margins
    (running header, footer, page numbers: margin boxes 12 mm at the top, 20 mm at the foot)."""
    sizes: dict[str, float] = {}

    for page in lf.reader.pages:
        height = float(page.mediabox.height)

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  height: float = height) -> None:
            if not text.strip():
                return
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if body_only and not (20 * MM <= y <= height - 12 * MM):
                return
            eff = abs(size * (tm[3] or 1) * (cm[3] or 1))
            sizes[text.strip()] = min(round(eff, 1), sizes.get(text.strip(), 99.0))

        page.extract_text(visitor_text=visit)
    return sizes


def _body_sizes(lf: Rendered) -> list[float]:
    return list(_text_sizes(lf, body_only=True).values())


def test_body_text_is_at_least_12_pt(leaflets: dict[str, Rendered]) -> None:
    for name, lf in leaflets.items():
        assert min(_body_sizes(lf)) >= 12.0, name


def test_large_print_is_at_least_16_pt_with_bigger_headings(variants: dict[str, Rendered],
                                                            leaflets: dict[str, Rendered]) -> None:
    for lf in (variants["large"], leaflets["older-adult-kidney"]):  # option, and patient.large_print
        assert lf.view.large_print
        sizes = _text_sizes(lf)
        # Every line (running header, page numbers, table headings, card, end matter) >= 14 pt;
        # the leaflet's text itself stays at 16 pt.
        assert min(sizes.values()) >= 14.0, min(sizes.items(), key=lambda kv: kv[1])
        for text in ("When", "Dose", "How much to take", "Page 1 of"):
            assert min(v for k, v in sizes.items() if k.startswith(text)) >= 14.0, text
        body = [v for k, v in sizes.items() if k.startswith(("Take each dose", "If you forget"))]
        assert body and min(body) >= 16.0
        assert sizes["Your doses"] >= 18.0
        assert 'class="large-print' in lf.html
    assert "font-style: italic" not in (variants["large"].html)


def test_training_watermark_on_every_page(variants: dict[str, Rendered],
                                          leaflets: dict[str, Rendered]) -> None:
    pages = variants["training"].pages
    assert len(pages) >= 2
    for page in pages:
        assert "TRAINING — not for patient use" in page
    assert "TRAINING" not in leaflets[STANDARD].text


@needs_poppler
def test_paper_sizes(variants: dict[str, Rendered], leaflets: dict[str, Rendered]) -> None:
    assert "(A4)" in leaflets[STANDARD].tool("pdfinfo")
    assert "(letter)" in variants["letter"].tool("pdfinfo")


@needs_poppler
def test_tagged_pdf_with_title_and_language(leaflets: dict[str, Rendered]) -> None:
    for name, lf in leaflets.items():
        info = lf.tool("pdfinfo")
        assert re.search(r"^Tagged:\s+yes$", info, re.M), name
        assert "Title:           Baclofen leaflet" in info, name
    lf = leaflets[STANDARD]
    assert '<html lang="en-US"' in lf.html
    assert '<html lang="en-GB"' in leaflets["taper-no-benefit"].html
    root = lf.reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert "/StructTreeRoot" in root


@needs_poppler
def test_fonts_are_embedded(leaflets: dict[str, Rendered]) -> None:
    for name, lf in leaflets.items():
        rows = lf.tool("pdffonts").splitlines()[2:]
        assert rows, name
        assert any("Leaflet-Sans" in r for r in rows), name
        for row in rows:
            assert row.split()[-5] == "yes", f"{name}: not embedded: {row}"


@needs_poppler
def test_non_latin_names_use_real_fonts(leaflets: dict[str, Rendered]) -> None:
    chinese = leaflets["alcohol-dependence"]
    assert "For 王小明" in chinese.pages[0]
    assert "CJK" in chinese.tool("pdffonts")
    hindi = leaflets["opioid-and-sleeping-tablet"]
    assert "Devanagari" in hindi.tool("pdffonts")


def test_weasyprint_reports_no_problems(leaflets: dict[str, Rendered],
                                        variants: dict[str, Rendered]) -> None:
    # Includes ".notdef glyph rendered" (tofu), failed resources and layout warnings.
    for name, lf in {**leaflets, **variants}.items():
        assert lf.logs == [], f"{name}: {lf.logs}"


def test_every_icon_has_alt_text(leaflets: dict[str, Rendered]) -> None:
    html = leaflets[STANDARD].html
    imgs = re.findall(r"<img\b[^>]*>", html)
    assert len(imgs) >= 5
    for img in imgs:  # icons are project SVG files, with their <title> as the alt text
        assert re.search(r'src="icons/[a-z0-9-]+\.svg"', img) and re.search(r'alt="[^"]+"', img)
    for svg in re.findall(r"<svg.*?</svg>", leaflets["child-oral-liquid"].html, re.S):
        assert re.search(r"<title>[^<]+</title>", svg)  # the syringe drawing
