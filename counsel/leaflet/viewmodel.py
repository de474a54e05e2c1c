"""Counselling result -> the leaflet's view model: plain dataclasses of ready-to-print strings.

All wording choices, date and dose formatting and the section order live here; the templates
only lay these out. Point text (patient_text) prints as written in the monograph; the prompt and
`why` (pharmacist-only) are never copied into the view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from counsel.core.case import Prescription
from counsel.core.doses import DoseAmount, mg, ml_text
from counsel.core.monograph import Monograph
from counsel.core.rules import Counselling, SectionResult, SelectedPoint
from counsel.leaflet.errors import LeafletError
from counsel.leaflet.formatting import (
    LeafletLocale,
    clock_time,
    leaflet_locale,
    long_date,
    part_of_day,
    short_date,
)
from counsel.leaflet.options import LeafletOptions, Paper, omit_refusal
from counsel.leaflet.plan_text import (
    STOPPING_LEAD,
    Voice,
    audience_line,
    carer_line,
    is_build_up,
    is_taper,
    step_in_force,
    voice_for,
    wallet_unwell_line,
)
from counsel.leaflet.ranking import case_facts, rank_key_points
from counsel.leaflet.syringe import SyringeDrawing, syringe_drawing

TRAINING_TEXT = "TRAINING — not for patient use"
MAX_DAILY_ROWS = 42  # longer plans list the later steps as periods (a tick-box page per month is too much)
# Where each section topic goes after the doses, key warnings and calendar: most important first.
TOPIC_ORDER: tuple[str, ...] = (
    "intrathecal", "missed_doses", "side_effects", "driving", "alcohol", "withdrawal", "about",
    "special_populations", "storage", "follow_up",
)
_COUNT_WORDS = {1: "once a day", 2: "twice a day", 3: "3 times a day", 4: "4 times a day",
                5: "5 times a day", 6: "6 times a day"}

# The key warnings box prints whole (never split across pages) up to this much text; a longer
# box (a dialysis patient on several sedatives) would push everything after the timetable to
# page 2 and leave page 1 half blank, so it may continue between two of its warnings instead.
KEY_BOX_WHOLE_CHARS = 2000
KEY_BOX_WHOLE_CHARS_LARGE = 1000

CALENDAR_FACTS = frozenset({"has_titration", "has_taper"})
# Pictograms printed beside (never instead of) a point's text: resources/icons/<name>.svg.
PICTOGRAMS: dict[str, str] = {
    "alcohol": "no-alcohol",
    "alcohol_regular": "no-alcohol",
    "driving": "no-driving",
    "driving_driver": "no-driving",
    "never_stop_suddenly": "do-not-stop",
    "liquid_measuring": "syringe",
}

ItemKind = Literal["p", "list", "urgent", "key"]


@dataclass(frozen=True)
class Item:
    """A block of text: paragraphs ("p"), a bullet list ("list"/"urgent") or a key warning."""

    kind: ItemKind
    title: str
    lines: tuple[str, ...]
    after: str = ""  # a closing sentence printed after a list
    icon: str = ""  # a pictogram printed beside the text


@dataclass(frozen=True)
class LeafletSection:
    id: str
    title: str
    items: tuple[Item, ...]
    pair: tuple[Item, ...] = ()  # printed side by side before `items` (side-effect lists)


@dataclass(frozen=True)
class DoseRow:
    part: str  # "Morning"
    time: str  # "8:00 AM" / "08:00"
    icon: str  # "sun" | "moon"
    mg: str  # the bold first column: "5 mg", or "Give 2.5 mL" for a liquid
    amount: str  # "½ tablet of 10 mg", or "2.5 mg of 5 mg/5 mL liquid" for a liquid
    amount_icon: str = ""  # "half-tablet" beside a half tablet


@dataclass(frozen=True)
class Doses:
    """The "Your doses" block: a timetable with clock times, or the pump note."""

    pump: bool
    intro: tuple[str, ...]
    rows: tuple[DoseRow, ...]
    total: str
    after: tuple[str, ...]
    how_to: LeafletSection | None  # the monograph's first dosing section ("How to take ...")
    liquid: bool = False
    syringe: SyringeDrawing | None = None


@dataclass(frozen=True)
class CalendarRow:
    date: str
    dose: str  # bold: "10 mg", or "Give 2.5 mL"
    amount: str  # after the bold part: "1 tablet", or "2.5 mg"
    boxes: int  # one tick box per dose time; 0 for a period row
    new_step: bool
    liquid: bool = False  # printed "Give 2.5 mL (2.5 mg)" rather than "10 mg: 1 tablet"


@dataclass(frozen=True)
class Calendar:
    title: str
    intro: tuple[Item, ...]
    dose_heading: str
    product: str  # "10 mg tablets": rows then say just "½ tablet"
    times: tuple[str, ...]
    rows: tuple[CalendarRow, ...]
    final: str
    note: str


@dataclass(frozen=True)
class Header:
    medicine: str
    name: str
    date: str
    prescriber: str
    given: str  # "Given on Monday, November 23, 2026. Prescribed by Dr A. Patel."
    pharmacy_name: str
    pharmacy_phone: str
    pharmacy_address: str
    carer: str = ""  # "Carer: Jo Haddad (mother)"
    audience: str = ""  # the carer's opening line
    pump: tuple[str, ...] = ()  # pump clinic, out of hours, next refill


@dataclass(frozen=True)
class WalletCard:
    heading: str
    name: str
    medicine: str
    dose: str
    pharmacy_name: str
    pharmacy_phone: str
    unwell: str = ""  # "If found unwell: risk of baclofen withdrawal ... ambulance crew."
    contacts: tuple[str, ...] = ()  # pump clinic lines, carer


@dataclass(frozen=True)
class Labels:
    """The leaflet's fixed headings and labels (one place for wording and, later, translation)."""

    for_patient: str = "For"
    your_doses: str = "Your doses"
    when: str = "When"
    dose: str = "Dose"
    how_much: str = "How much to take"
    key_warnings: str = "Important: read this first"
    day: str = "Day"
    every_day: str = "every day"
    cut_out: str = "Cut out this card along the dashed line, fold it in half and keep it with you."
    name: str = "Name:"
    medicine: str = "Medicine:"
    wallet_dose: str = "Dose:"
    pharmacy: str = "Pharmacy:"
    about: str = "About this leaflet"


LABELS = Labels()


def labels_for(voice: Voice, liquid: bool) -> Labels:
    """The fixed labels in the reader's voice ("Your child's doses", "How much to give")."""
    labels = LABELS
    if voice.carer:
        labels = replace(labels, your_doses=f"{voice.possessive} doses",
                         how_much="How much to give")
    if liquid:
        labels = replace(labels, dose="How much", how_much="Dose in mg")
    return labels


@dataclass(frozen=True)
class LeafletView:
    """Everything the template prints, as strings (already formatted for the locale)."""

    lang: str
    title: str
    labels: Labels
    large_print: bool
    paper: Paper
    training: bool
    training_text: str
    header: Header
    doses: Doses
    key_warnings: tuple[Item, ...]
    key_box_splits: bool  # too long to fit under the timetable: may continue between its items
    calendar: Calendar | None
    sections: tuple[LeafletSection, ...]
    closing: LeafletSection | None  # the check-ups section, printed beside the wallet card
    wallet: WalletCard
    disclaimer: str
    provenance: str  # content version and review dates: printed once, at the end
    source_titles: tuple[str, ...]  # the sources in words, for this region
    running: str
    sources: tuple[str, ...]


def build_view(result: Counselling, options: LeafletOptions, *, today: date) -> LeafletView:
    """The whole leaflet for one counselling result (pure: `today` is passed in)."""
    case, mono = result.case, result.monograph
    rx = case.prescription
    loc = leaflet_locale(case.patient.language, case.region)
    large = case.patient.large_print if options.large_print is None else options.large_print
    medicine = keep_units(medicine_text(mono, rx))
    name = (case.patient.name or "").strip()
    voice = voice_for(case)
    pump_lines = _pump_lines(result, loc)
    omit = _checked_omit(result, options.omit)

    dosing = [s for s in result.sections if s.section.topic == "dosing"]
    printable = [p for p in result.points if not p.point.pharmacist_only and p.id not in omit]
    key_points = rank_key_points([p for p in printable if p.point.key_warning], case_facts(result))
    calendar_points = [p for p in printable
                       if _is_calendar_point(p) and not p.point.key_warning]
    calendar = _calendar(result, loc, calendar_points, voice)
    used: list[SelectedPoint] = [*key_points, *(calendar_points if calendar else [])]
    shown_elsewhere = {p.id for p in used}

    how_to_section = None
    sections: list[LeafletSection] = []
    for sr in sorted(result.sections, key=_topic_rank):
        if sr.section.topic == "follow_up" and case.notes.strip():
            sections.append(_notes_section(case.notes, case.pharmacist))
        # Pharmacist-only points (usual dose ranges, ovarian cysts) are never printed; points
        # the pharmacist marked "not discussed: not relevant" are left out (never critical ones).
        shown = [p for p in sr.points if p.id not in shown_elsewhere
                 and not p.point.pharmacist_only and p.id not in omit]
        if not shown and not (sr.section.topic == "follow_up" and case.follow_up_date):
            continue
        used += shown
        items = [_item(p, sr, pump_lines, loc) for p in shown]
        if sr.section.topic == "follow_up" and case.follow_up_date:
            items.insert(0, Item("p", "", (
                f"Your next check-up is on {long_date(case.follow_up_date, loc)}.",)))
        pair = tuple(i for i in items if i.kind in ("list", "urgent"))
        if len(pair) == 2:
            items = [i for i in items if i not in pair]
        else:
            pair = ()
        title = _carer_title(sr.section.leaflet_title, voice)
        section = LeafletSection(sr.section.id, title, tuple(items), pair)
        if dosing and sr is dosing[0]:
            how_to_section = section  # printed inside "Your doses", under the timetable
        else:
            sections.append(section)
    if case.notes.strip() and not any(s.id == "notes" for s in sections):
        sections.append(_notes_section(case.notes, case.pharmacist))

    closing = sections.pop() if sections and sections[-1].id == _follow_up_id(result) else None
    sources = _sources(used)
    provenance = (f"{mono.name} leaflet, content version {mono.content_version}. Reviewed on "
                  f"{long_date(mono.reviewed, loc)}. Next review by "
                  f"{long_date(mono.review_due, loc)}.")
    title = f"{mono.name} leaflet" + (f" for {name}" if name else "")
    doses = _doses(result, loc, how_to_section, voice, today)
    key_items = tuple(_key_item(p, pump_lines) for p in key_points)
    return LeafletView(
        lang=loc.tag,
        title=title,
        labels=labels_for(voice, doses.liquid),
        large_print=large,
        paper=options.paper,
        training=options.training,
        training_text=TRAINING_TEXT,
        header=Header(
            medicine=medicine,
            name=name,
            date=long_date(today, loc),
            prescriber=(rx.prescriber or "").strip(),
            given=_given(long_date(today, loc), (rx.prescriber or "").strip()),
            pharmacy_name=case.pharmacy.name.strip(),
            pharmacy_phone=case.pharmacy.phone.strip(),
            pharmacy_address=case.pharmacy.address.strip(),
            carer=carer_line(case),
            audience=audience_line(case, voice),
            pump=pump_lines,
        ),
        doses=doses,
        key_warnings=key_items,
        key_box_splits=sum(len(" ".join(i.lines)) for i in key_items) > (
            KEY_BOX_WHOLE_CHARS_LARGE if large else KEY_BOX_WHOLE_CHARS),
        calendar=calendar,
        sections=tuple(sections),
        closing=closing,
        wallet=_wallet(result, loc, medicine, voice, pump_lines),
        disclaimer=mono.disclaimer.strip(),
        provenance=provenance,
        source_titles=_source_titles(result, sources),
        running=f"{medicine}" + (f" — {name}" if name else ""),
        sources=tuple(sources),
    )


def _checked_omit(result: Counselling, omit: frozenset[str]) -> frozenset[str]:
    """The points to leave out; a critical point is never dropped this way (one-line refusal)."""
    by_id = {p.id: p for p in result.points}
    for pid in sorted(omit):
        point = by_id.get(pid)
        if point is not None and (refusal := omit_refusal(point)):
            raise LeafletError(f"omit: '{point.point.title}' ({pid}) {refusal}")
    return omit


def _given(when: str, prescriber: str) -> str:
    return f"Given on {when}." + (f" Prescribed by {prescriber}." if prescriber else "")


def _carer_title(title: str, voice: Voice) -> str:
    """'Things to know about you' -> 'Things to know about your child' in the carer's leaflet."""
    if not voice.carer:
        return title
    title = title.replace("How to take", "How to give")
    title = re.sub(r"\babout you$", f"about {voice.person}", title)
    title = re.sub(r"^Your baclofen pump$", f"{voice.possessive} baclofen pump", title)
    return re.sub(r"\byour dose\b", f"{voice.possessive.lower()} dose", title)


def _topic_rank(sr: SectionResult) -> int:
    topic = sr.section.topic
    if topic == "dosing":
        return -1  # the first dosing section goes with the timetable; any others follow it
    return TOPIC_ORDER.index(topic) if topic in TOPIC_ORDER else len(TOPIC_ORDER)


def _is_calendar_point(p: SelectedPoint) -> bool:
    """A point that explains the titration or taper calendar: printed above the calendar."""
    when = p.point.applies
    return when is not None and when.fact in CALENDAR_FACTS and when.equals in (None, True)


def _follow_up_id(result: Counselling) -> str:
    return next((s.id for s in result.monograph.sections if s.topic == "follow_up"), "")


def medicine_text(mono: Monograph, rx: Prescription) -> str:
    """'Baclofen 10 mg tablets', 'Baclofen oral solution (liquid), 5 mg in 5 mL'."""
    form = mono.forms.get(rx.form)
    label = form.label if form else rx.form.replace("_", " ")
    strength = rx.parsed_strength
    if strength.per_ml is None:
        return f"{mono.name} {rx.strength.strip()} {label}"
    return f"{mono.name} {label}, {_strength_words(rx)}"


def _strength_words(rx: Prescription) -> str:
    s = rx.parsed_strength
    if s.per_ml is None:
        return mg(s.amount_mg)
    if rx.form == "intrathecal":
        return rx.strength.strip()
    return f"{s.amount_mg:g} mg in {s.per_ml:g} mL"


def times_text(times: list[str]) -> str:
    """['8:00 AM', '2:00 PM', '8:00 PM'] -> '8:00 AM, 2:00 PM and 8:00 PM'."""
    if len(times) <= 1:
        return "".join(times)
    return ", ".join(times[:-1]) + " and " + times[-1]


_UNIT_RE = re.compile(r"(\d) (mg|mL|mcg|°C|hours?|days?|weeks?)\b")


def keep_units(text: str) -> str:
    """'60 mg' never breaks across lines: a no-break space between a number and its unit."""
    return _UNIT_RE.sub("\\1\u00a0\\2", text)


def _lines(p: SelectedPoint) -> tuple[str, ...]:
    return tuple(keep_units(line) for line in p.patient_text)


def _pump_lines(result: Counselling, loc: LeafletLocale) -> tuple[str, ...]:
    """The pump clinic's contacts and the next refill, as given in prescription.pump."""
    pump = result.case.prescription.pump
    if pump is None:
        return ()
    lines: list[str] = []
    clinic = ", ".join(x for x in (pump.clinic_name, pump.clinic_phone) if x)
    if clinic:
        lines.append(f"Pump clinic: {clinic}.")
    if pump.out_of_hours_phone:
        lines.append(f"Out of hours: {pump.out_of_hours_phone}.")
    if pump.next_refill_date is not None:
        lines.append(f"Next pump refill: {long_date(pump.next_refill_date, loc)}.")
    return tuple(lines)


def _key_item(p: SelectedPoint, pump_lines: tuple[str, ...]) -> Item:
    lines = _lines(p)
    if p.id == "pump_refills":
        lines += pump_lines  # the refill point names the clinic, its numbers and the date
    return Item("key", p.point.title, lines, icon=PICTOGRAMS.get(p.id, ""))


def _item(p: SelectedPoint, sr: SectionResult, pump_lines: tuple[str, ...],
          loc: LeafletLocale) -> Item:
    lines = _lines(p)
    icon = PICTOGRAMS.get(p.id, "")
    if p.id == "pump_refills":
        lines += pump_lines
    if p.id == "pump_card_procedures":
        lines += tuple(line for line in pump_lines if line.startswith("Out of hours"))
    if sr.section.topic == "side_effects":
        if len(lines) >= 3:
            kind: ItemKind = "urgent" if p.point.critical else "list"
            return Item(kind, p.point.title, lines[:-1], lines[-1], icon=icon)
        return Item("p", p.point.title, lines, icon=icon)
    return Item("p", "", lines, icon=icon)


def _notes_section(notes: str, pharmacist: str) -> LeafletSection:
    lines = tuple(line.strip() for line in notes.strip().splitlines() if line.strip())
    by = f"From your pharmacist{' (' + pharmacist.strip() + ')' if pharmacist.strip() else ''}."
    return LeafletSection("notes", "Notes from your pharmacist", (Item("p", "", (*lines, by)),))


def _sources(points: list[SelectedPoint]) -> list[str]:
    seen: list[str] = []
    for p in points:
        for sid in p.point.sources:
            if sid not in seen:
                seen.append(sid)
    return seen


def _source_titles(result: Counselling, used: list[str]) -> tuple[str, ...]:
    """The printed points' sources in words; another region's product labels are left out."""
    by_id = {s.id: s for s in result.monograph.sources}
    return tuple(by_id[sid].title for sid in used
                 if sid in by_id and by_id[sid].region in (None, result.case.region))


def _liquid_volume(result: Counselling, dose_mg: float) -> float | None:
    """The exact volume of one dose of a liquid (None for other forms)."""
    per_ml = result.case.prescription.parsed_strength.mg_per_ml
    if not result.case.prescription.is_liquid or per_ml is None:
        return None
    return dose_mg / per_ml


def _liquid_lead(result: Counselling, amount: DoseAmount, voice: Voice) -> str:
    """'Give 2.5 mL' for a measurable liquid dose; the mg when it cannot be measured."""
    volume = _liquid_volume(result, amount.mg)
    if volume is None or not amount.measurable:
        return amount.mg_text
    return f"{voice.Verb} {ml_text(volume)}"


def _liquid_detail(result: Counselling, amount: DoseAmount) -> str:
    """'2.5 mg of 5 mg/5 mL liquid' (or the 'ask your pharmacist' line)."""
    if not amount.measurable:
        return amount.amount_text
    s = result.case.prescription.parsed_strength
    return f"{amount.mg_text} of {s.amount_mg:g} mg/{s.per_ml:g} mL liquid"


def _doses(result: Counselling, loc: LeafletLocale, how_to: LeafletSection | None,
           voice: Voice, today: date) -> Doses:
    rx = result.case.prescription
    if rx.form == "intrathecal" or rx.dose_mg is None:
        return Doses(
            pump=True,
            intro=(f"{voice.possessive} baclofen comes from the pump. The pump clinic sets the "
                   "dose.",
                   f"Keep {voice.possessive.lower()} oral baclofen at hand if the clinic gave "
                   "you some."),
            rows=(), total="", after=(), how_to=how_to,
        )
    steps = result.schedule
    step = step_in_force(steps, today)
    dose = rx.dose_mg
    intro: list[str] = []
    after: list[str] = []
    verb = voice.verb
    if step is not None and step.dose_mg == 0 and len(steps) == 1:
        # Plan "stop" without a taper: the core flags it; the patient keeps the current dose.
        intro.append(f"Keep {verb[:-1]}ing these doses until the doctor gives you a plan to "
                     "lower the dose slowly.")
    elif step is not None and len(steps) > 1:
        if is_taper(steps):
            intro.append(STOPPING_LEAD)
        if step.dose_mg == 0:
            intro.append(f"The last step ended on {long_date(step.start - timedelta(days=1), loc)}. "
                         "Take no more baclofen.")
        elif step.end is None:
            # The build-up has already reached its target (the open last step): these doses go
            # on, and nothing comes "after". Found by the fuzz test: this used to be an assert,
            # so 3 of the 10 examples could not be printed once their titration had ended.
            dose = step.dose_mg
            intro.append(f"{voice.Verb} these doses every day.")
        else:
            dose = step.dose_mg
            if step.start < today == step.end:
                intro.append(f"These are {voice.possessive.lower()} doses for today.")
            elif step.start < today:  # given after this step began: today's step comes first
                intro.append(f"These are {voice.possessive.lower()} doses today and until "
                             f"{long_date(step.end, loc)}.")
            else:
                intro.append(f"These are {voice.possessive.lower()} doses from "
                             f"{long_date(step.start, loc)} to {long_date(step.end, loc)}.")
            after.append(("After that, the dose goes up step by step." if is_build_up(steps) else
                          "After that, the dose goes down step by step until it stops.")
                         + " The calendar in this leaflet shows each step.")
    elif rx.plan == "start" and rx.start_date is not None and rx.start_date >= today:
        intro.append(f"Start on {long_date(rx.start_date, loc)}. {voice.Verb} these doses every "
                     "day.")
    else:
        intro.append(f"{voice.Verb} these doses every day.")
    amount = result.amount(dose)
    liquid = rx.is_liquid
    rows = tuple(_dose_row(t, amount, loc, result, voice) for t in rx.times)
    total = f"That is {mg(round(dose * rx.doses_per_day, 3))} a day in total."
    volume = _liquid_volume(result, dose) if amount.measurable and dose > 0 else None
    drawing = syringe_drawing(volume) if volume is not None else None
    return Doses(False, tuple(intro), rows, total if dose > 0 else "", tuple(after), how_to,
                 liquid=liquid, syringe=drawing)


def _dose_row(hhmm: str, amount: DoseAmount, loc: LeafletLocale, result: Counselling,
              voice: Voice) -> DoseRow:
    part = part_of_day(hhmm)
    if result.case.prescription.is_liquid:
        lead, detail = _liquid_lead(result, amount, voice), _liquid_detail(result, amount)
    else:
        lead, detail = amount.mg_text, amount.amount_text
    return DoseRow(part=part, time=clock_time(hhmm, loc),
                   icon="sun" if part in ("Morning", "Afternoon") else "moon",
                   mg=lead, amount=detail,
                   amount_icon="half-tablet" if "½" in amount.amount_text else "")


def short_amount(amount_text: str) -> str:
    """'½ tablet of 10 mg' -> '½ tablet'; '2.5 mL of 5 mg/5 mL liquid' -> '2.5 mL'."""
    return amount_text.split(" of ", 1)[0]


def _calendar(result: Counselling, loc: LeafletLocale,
              points: list[SelectedPoint], voice: Voice) -> Calendar | None:
    steps = result.schedule
    if len(steps) < 2:
        return None
    rx = result.case.prescription
    n = rx.doses_per_day
    liquid = rx.is_liquid
    rows: list[CalendarRow] = []
    note = ""
    first = steps[0].start

    def cells(dose_mg: float) -> tuple[str, str]:
        amount = result.amount(dose_mg)
        if liquid:
            lead = _liquid_lead(result, amount, voice)
            return lead, (amount.mg_text if lead != amount.mg_text else amount.amount_text)
        return amount.mg_text, short_amount(amount.amount_text)

    for step in steps[:-1]:
        assert step.end is not None  # every step but the last has an end date
        lead, rest = cells(step.dose_mg)
        day = step.start
        if (day - first).days >= MAX_DAILY_ROWS:
            rows.append(CalendarRow(f"{short_date(step.start, loc)} to {short_date(step.end, loc)}",
                                    lead, rest, 0, True, liquid))
            note = "Later steps are shown as periods: the same dose each day of the period."
            continue
        while day <= step.end:
            rows.append(CalendarRow(short_date(day, loc), lead, rest, n, day == step.start, liquid))
            day += timedelta(days=1)
    last = steps[-1]
    count = _COUNT_WORDS.get(n, f"{n} times a day")
    if last.dose_mg == 0:
        final = f"From {long_date(last.start, loc)}: stop. Take no more baclofen."
    else:
        amount = result.amount(last.dose_mg)
        if liquid and amount.measurable:
            lead = _liquid_lead(result, amount, voice)
            final = (f"From {long_date(last.start, loc)}: {lead[0].lower() + lead[1:]} "
                     f"({amount.mg_text}) each time, {count}. Keep {voice.verb[:-1]}ing this dose.")
        else:
            final = (f"From {long_date(last.start, loc)}: {amount.mg_text} ({amount.amount_text}) "
                     f"each time, {count}. Keep {voice.verb[:-1]}ing this dose.")
    # Column headings may wrap ("8:00 | AM") in narrow large-print columns.
    times = tuple(clock_time(t, loc).replace("\u00a0", " ") for t in rx.times)
    form = result.monograph.forms.get(rx.form)
    product = f"{_strength_words(rx)} {form.label}" if form and rx.parsed_strength.per_ml is None \
        else f"{_strength_words(rx)} liquid"
    owner = "your" if not voice.carer else voice.possessive.lower()
    return Calendar(
        title=f"{voice.possessive} dose calendar",
        dose_heading="Each dose",
        product=product,
        intro=tuple(Item("p", "", _lines(p)) for p in points),
        times=times,
        rows=tuple(rows),
        final=keep_units(final),
        note=(f"Amounts are for {owner} {product}. " + note + (" " if note else "")
              + f"Tick a box each time you {voice.verb} a dose."),
    )


def _wallet(result: Counselling, loc: LeafletLocale, medicine: str, voice: Voice,
            pump_lines: tuple[str, ...]) -> WalletCard:
    """The cut-out card: the plan, never a dose that will soon be wrong."""
    rx = result.case.prescription
    pharmacy = result.case.pharmacy
    pump = rx.form == "intrathecal" or rx.dose_mg is None
    steps = result.schedule
    if pump or rx.dose_mg is None:
        dose = "Baclofen pump. The pump clinic sets the dose."
    elif is_taper(steps):
        dose = "Coming down step by step; check the calendar in the leaflet. Never stop suddenly."
    elif is_build_up(steps):
        dose = "Going up step by step; check the calendar in the leaflet."
    else:
        amount = result.amount(rx.dose_mg)
        times = times_text([clock_time(t, loc) for t in rx.times])
        if not amount.measurable:
            dose = f"{amount.mg_text} at {times}. {amount.amount_text.capitalize()}."
        elif rx.is_liquid:
            volume = _liquid_volume(result, amount.mg)
            assert volume is not None
            dose = f"{ml_text(volume)} ({_liquid_detail(result, amount)}) at {times}."
        else:
            dose = f"{amount.mg_text} ({amount.amount_text}) at {times}."
    if voice.carer:
        heading = f"{voice.name or 'This person'} takes baclofen — do not stop it suddenly"
    else:
        heading = f"I take {result.monograph.name.lower()} — do not stop it suddenly"
    contacts = list(pump_lines)
    carer = carer_line(result.case)
    if carer:
        contacts.append(carer + ".")
    return WalletCard(
        heading=heading,
        name=voice.name,
        medicine=medicine,
        dose=keep_units(dose),
        pharmacy_name=pharmacy.name.strip(),
        pharmacy_phone=pharmacy.phone.strip(),
        unwell=wallet_unwell_line(voice, pump),
        contacts=tuple(contacts),
    )
