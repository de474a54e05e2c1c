"""Counselling result -> the leaflet's view model: plain dataclasses of ready-to-print strings.

All wording choices, date and dose formatting and the section order live here; the templates
only lay these out. Point text (patient_text) prints as written in the monograph; the prompt and
`why` (pharmacist-only) are never copied into the view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from counsel.core.case import Prescription
from counsel.core.doses import DoseAmount, mg
from counsel.core.monograph import Monograph
from counsel.core.rules import Counselling, SectionResult, SelectedPoint
from counsel.core.schedule import Step
from counsel.leaflet.formatting import (
    LeafletLocale,
    clock_time,
    leaflet_locale,
    long_date,
    part_of_day,
    short_date,
)
from counsel.leaflet.options import LeafletOptions, Paper

TRAINING_TEXT = "TRAINING — not for patient use"
MAX_DAILY_ROWS = 42  # longer plans list the later steps as periods (a tick-box page per month is too much)
# Where each section topic goes after the doses, key warnings and calendar: most important first.
TOPIC_ORDER: tuple[str, ...] = (
    "intrathecal", "missed_doses", "side_effects", "driving", "alcohol", "withdrawal", "about",
    "special_populations", "storage", "follow_up",
)
_COUNT_WORDS = {1: "once a day", 2: "twice a day", 3: "3 times a day", 4: "4 times a day",
                5: "5 times a day", 6: "6 times a day"}

CALENDAR_FACTS = frozenset({"has_titration", "has_taper"})

ItemKind = Literal["p", "list", "urgent", "key"]


@dataclass(frozen=True)
class Item:
    """A block of text: paragraphs ("p"), a bullet list ("list"/"urgent") or a key warning."""

    kind: ItemKind
    title: str
    lines: tuple[str, ...]
    after: str = ""  # a closing sentence printed after a list


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
    mg: str  # "5 mg"
    amount: str  # "½ tablet of 10 mg"


@dataclass(frozen=True)
class Doses:
    """The "Your doses" block: a timetable with clock times, or the pump note."""

    pump: bool
    intro: tuple[str, ...]
    rows: tuple[DoseRow, ...]
    total: str
    after: tuple[str, ...]
    how_to: LeafletSection | None  # the monograph's first dosing section ("How to take ...")


@dataclass(frozen=True)
class CalendarRow:
    date: str
    dose: str
    amount: str
    boxes: int  # one tick box per dose time; 0 for a period row
    new_step: bool


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


@dataclass(frozen=True)
class WalletCard:
    heading: str
    name: str
    medicine: str
    dose: str
    pharmacy_name: str
    pharmacy_phone: str


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
    cut_out: str = "Cut out this card and keep it with you."
    name: str = "Name:"
    medicine: str = "Medicine:"
    wallet_dose: str = "Dose:"
    pharmacy: str = "Pharmacy:"


LABELS = Labels()


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
    calendar: Calendar | None
    sections: tuple[LeafletSection, ...]
    closing: LeafletSection | None  # the check-ups section, printed beside the wallet card
    wallet: WalletCard
    disclaimer: str
    footer: str
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

    dosing = [s for s in result.sections if s.section.topic == "dosing"]
    printable = [p for p in result.points if not p.point.pharmacist_only]
    key_points = [p for p in printable if p.point.key_warning]
    calendar_points = [p for p in printable
                       if _is_calendar_point(p) and not p.point.key_warning]
    calendar = _calendar(result, loc, calendar_points)
    used: list[SelectedPoint] = [*key_points, *(calendar_points if calendar else [])]
    shown_elsewhere = {p.id for p in used}

    how_to_section = None
    sections: list[LeafletSection] = []
    for sr in sorted(result.sections, key=_topic_rank):
        if sr.section.topic == "follow_up" and case.notes.strip():
            sections.append(_notes_section(case.notes, case.pharmacist))
        # Pharmacist-only points (usual dose ranges, ovarian cysts) are never printed.
        shown = [p for p in sr.points
                 if p.id not in shown_elsewhere and not p.point.pharmacist_only]
        if not shown and not (sr.section.topic == "follow_up" and case.follow_up_date):
            continue
        used += shown
        items = [_item(p, sr) for p in shown]
        if sr.section.topic == "follow_up" and case.follow_up_date:
            items.insert(0, Item("p", "", (
                f"Your next check-up is on {long_date(case.follow_up_date, loc)}.",)))
        pair = tuple(i for i in items if i.kind in ("list", "urgent"))
        if len(pair) == 2:
            items = [i for i in items if i not in pair]
        else:
            pair = ()
        section = LeafletSection(sr.section.id, sr.section.leaflet_title, tuple(items), pair)
        if dosing and sr is dosing[0]:
            how_to_section = section  # printed inside "Your doses", under the timetable
        else:
            sections.append(section)
    if case.notes.strip() and not any(s.id == "notes" for s in sections):
        sections.append(_notes_section(case.notes, case.pharmacist))

    closing = sections.pop() if sections and sections[-1].id == _follow_up_id(result) else None
    sources = _sources(used)
    footer = (f"{mono.name} leaflet, content {mono.content_version}, reviewed "
              f"{long_date(mono.reviewed, loc)}, next review {long_date(mono.review_due, loc)}. "
              f"Sources: {', '.join(sources)}.")
    title = f"{mono.name} leaflet" + (f" for {name}" if name else "")
    return LeafletView(
        lang=loc.tag,
        title=title,
        labels=LABELS,
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
        ),
        doses=_doses(result, loc, how_to_section),
        key_warnings=tuple(Item("key", p.point.title, _lines(p)) for p in key_points),
        calendar=calendar,
        sections=tuple(sections),
        closing=closing,
        wallet=_wallet(result, loc, medicine, name, today),
        disclaimer=mono.disclaimer.strip(),
        footer=footer,
        running=f"{medicine}" + (f" — {name}" if name else ""),
        sources=tuple(sources),
    )


def _given(when: str, prescriber: str) -> str:
    return f"Given on {when}." + (f" Prescribed by {prescriber}." if prescriber else "")


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


def _item(p: SelectedPoint, sr: SectionResult) -> Item:
    lines = _lines(p)
    if sr.section.topic == "side_effects":
        if len(lines) >= 3:
            kind: ItemKind = "urgent" if p.point.critical else "list"
            return Item(kind, p.point.title, lines[:-1], lines[-1])
        return Item("p", p.point.title, lines)
    return Item("p", "", lines)


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


def _first_step(result: Counselling) -> Step | None:
    return result.schedule[0] if result.schedule else None


def _doses(result: Counselling, loc: LeafletLocale, how_to: LeafletSection | None) -> Doses:
    rx = result.case.prescription
    if rx.form == "intrathecal" or rx.dose_mg is None:
        return Doses(
            pump=True,
            intro=("Your baclofen comes from your pump. Your pump clinic sets your dose.",),
            rows=(), total="", after=(), how_to=how_to,
        )
    step = _first_step(result)
    dose = rx.dose_mg
    intro: list[str] = []
    after: list[str] = []
    steps = result.schedule
    if step is not None and step.dose_mg == 0:
        # Plan "stop" without a taper: the core flags it; the patient keeps the current dose.
        intro.append("Keep taking these doses until your prescriber gives you a plan to lower "
                     "the dose slowly.")
    elif step is not None and len(steps) > 1 and step.end is not None:
        dose = step.dose_mg
        intro.append(f"These are your doses from {long_date(step.start, loc)} to "
                     f"{long_date(step.end, loc)}.")
        going_up = steps[1].dose_mg > step.dose_mg
        after.append(("After that, your dose goes up step by step." if going_up else
                      "After that, your dose goes down step by step until you stop.")
                     + " The calendar in this leaflet shows each step.")
    elif rx.plan == "start" and rx.start_date is not None:
        intro.append(f"Start on {long_date(rx.start_date, loc)}. Take these doses every day.")
    else:
        intro.append("Take these doses every day.")
    amount = result.amount(dose)
    rows = tuple(_dose_row(t, amount, loc) for t in rx.times)
    total = f"That is {mg(round(dose * rx.doses_per_day, 3))} a day in total."
    return Doses(False, tuple(intro), rows, total, tuple(after), how_to)


def _dose_row(hhmm: str, amount: DoseAmount, loc: LeafletLocale) -> DoseRow:
    part = part_of_day(hhmm)
    return DoseRow(part=part, time=clock_time(hhmm, loc),
                   icon="sun" if part in ("Morning", "Afternoon") else "moon",
                   mg=amount.mg_text, amount=amount.amount_text)


def short_amount(amount_text: str) -> str:
    """'½ tablet of 10 mg' -> '½ tablet'; '2.5 mL of 5 mg/5 mL liquid' -> '2.5 mL'."""
    return amount_text.split(" of ", 1)[0]


def _calendar(result: Counselling, loc: LeafletLocale,
              points: list[SelectedPoint]) -> Calendar | None:
    steps = result.schedule
    if len(steps) < 2:
        return None
    rx = result.case.prescription
    n = rx.doses_per_day
    rows: list[CalendarRow] = []
    note = ""
    first = steps[0].start
    for step in steps[:-1]:
        assert step.end is not None  # every step but the last has an end date
        amount = result.amount(step.dose_mg)
        day = step.start
        if (day - first).days >= MAX_DAILY_ROWS:
            rows.append(CalendarRow(f"{short_date(step.start, loc)} to {short_date(step.end, loc)}",
                                    amount.mg_text, short_amount(amount.amount_text), 0, True))
            note = "Later steps are shown as periods: take the same dose each day of the period."
            continue
        while day <= step.end:
            rows.append(CalendarRow(short_date(day, loc), amount.mg_text,
                                    short_amount(amount.amount_text), n, day == step.start))
            day += timedelta(days=1)
    last = steps[-1]
    if last.dose_mg == 0:
        final = f"From {long_date(last.start, loc)}: stop. Take no more baclofen."
    else:
        amount = result.amount(last.dose_mg)
        final = (f"From {long_date(last.start, loc)}: {amount.mg_text} ({amount.amount_text}) "
                 f"each time, {_COUNT_WORDS.get(n, f'{n} times a day')}. Keep taking this dose.")
    # Column headings may wrap ("8:00 | AM") in narrow large-print columns.
    times = tuple(clock_time(t, loc).replace("\u00a0", " ") for t in rx.times)
    form = result.monograph.forms.get(rx.form)
    product = f"{_strength_words(rx)} {form.label}" if form and rx.parsed_strength.per_ml is None \
        else f"{_strength_words(rx)} liquid"
    return Calendar(
        title="Your dose calendar",
        dose_heading="Each dose",
        product=product,
        intro=tuple(Item("p", "", _lines(p)) for p in points),
        times=times,
        rows=tuple(rows),
        final=keep_units(final),
        note=(f"Amounts are for your {product}. " + note + (" " if note else "")
              + "Tick a box each time you take a dose."),
    )


def _wallet(result: Counselling, loc: LeafletLocale, medicine: str, name: str,
            today: date) -> WalletCard:
    mono, rx = result.monograph, result.case.prescription
    pharmacy = result.case.pharmacy
    drug = mono.name.lower()
    if rx.form == "intrathecal" or rx.dose_mg is None:
        dose = "Baclofen pump. My pump clinic sets the dose."
    else:
        step = _first_step(result)
        now = step.dose_mg if step is not None and step.dose_mg > 0 else rx.dose_mg
        times = times_text([clock_time(t, loc) for t in rx.times])
        dose = f"{mg(now)} at {times}"
        if step is not None and step.start > today:
            dose = f"From {short_date(step.start, loc)}: {dose}"
        steps = result.schedule
        if len(steps) > 1:
            target = steps[-1].dose_mg
            dose += (f", going up step by step to {mg(target)}." if target > now
                     else ", coming down step by step.")
        else:
            dose += "."
    return WalletCard(
        heading=f"I take {drug} — do not stop it suddenly",
        name=name,
        medicine=medicine,
        dose=keep_units(dose),
        pharmacy_name=pharmacy.name.strip(),
        pharmacy_phone=pharmacy.phone.strip(),
    )
