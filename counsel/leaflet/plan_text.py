"""Who the leaflet speaks to, and the plan's own words (start, continue, change, stop).

- Carer voice: with a `patient.carer`, or a patient under CARER_AGE, the leaflet speaks to the
  person who gives the medicine: "Your child's doses", "How much to give", "Give 2.5 mL".
- Plan words: a taper says "You are stopping baclofen slowly. Follow the calendar." and never
  start or dose-rise wording; the wallet card states the plan, never a dose that will soon be
  wrong. The day in force is chosen from `today` (passed in, never read here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from counsel.core.case import Case
from counsel.core.schedule import Step

CARER_AGE = 16  # under this age the leaflet is written for the parent or carer
STOPPING_LEAD = "You are stopping baclofen slowly. Follow the calendar."


@dataclass(frozen=True)
class Voice:
    """How the leaflet names the patient and the act of taking a dose."""

    carer: bool  # speaking to a parent or carer, not the patient
    child: bool  # the patient is under CARER_AGE
    name: str  # the patient's full name ("" if not given)
    first_name: str
    verb: str  # "take" | "give"

    @property
    def Verb(self) -> str:  # noqa: N802 - reads naturally in templates and f-strings
        return self.verb.capitalize()

    @property
    def person(self) -> str:
        """Who takes the medicine, as the reader would say it."""
        if not self.carer:
            return "you"
        if self.child:
            return "your child"
        return self.first_name or "the person you care for"

    @property
    def possessive(self) -> str:
        """'Your', "Your child's", "Amira's"."""
        if not self.carer:
            return "Your"
        if self.child:
            return "Your child's"
        return f"{self.first_name}'s" if self.first_name else "Their"


def voice_for(case: Case) -> Voice:
    p = case.patient
    name = (p.name or "").strip()
    carer = p.carer is not None or p.age < CARER_AGE
    return Voice(carer=carer, child=p.age < CARER_AGE, name=name,
                 first_name=name.split()[0] if name else "",
                 verb="give" if carer else "take")


def audience_line(case: Case, voice: Voice) -> str:
    """The carer's opening line: who the leaflet is for and who "you" means in the points."""
    if not voice.carer:
        return ""
    who = voice.first_name or ("your child" if voice.child else "the person you care for")
    carer = case.patient.carer
    reader = "the parent or carer" if carer is None or not carer.name else carer.name
    return (f"This leaflet is for {reader}, who gives baclofen to {who}. "
            f"Where it talks about taking baclofen, “you” means {who}.")


def carer_line(case: Case) -> str:
    carer = case.patient.carer
    if carer is None or not (carer.name or carer.relationship):
        return ""
    rel = f" ({carer.relationship})" if carer.relationship and carer.name else carer.relationship
    return f"Carer: {carer.name}{rel}" if carer.name else f"Carer: {rel}"


def is_taper(steps: tuple[Step, ...]) -> bool:
    return len(steps) > 1 and steps[-1].dose_mg < steps[0].dose_mg


def is_build_up(steps: tuple[Step, ...]) -> bool:
    return len(steps) > 1 and steps[-1].dose_mg > steps[0].dose_mg


def step_in_force(steps: tuple[Step, ...], today: date) -> Step | None:
    """The step that applies on `today`: the first one before the plan starts, the last after."""
    if not steps:
        return None
    for step in steps:
        if step.start <= today and (step.end is None or today <= step.end):
            return step
    return steps[0] if today < steps[0].start else steps[-1]


def wallet_unwell_line(voice: Voice, pump: bool) -> str:
    """The card's line for whoever finds the patient unwell."""
    who = "I have" if not voice.carer else f"{voice.first_name or 'This person'} has"
    if pump:
        return (f"If found unwell: risk of baclofen withdrawal. {who} a baclofen pump. "
                "Tell the ambulance crew.")
    takes = "I take" if not voice.carer else f"{voice.first_name or 'This person'} takes"
    return (f"If found unwell: risk of baclofen withdrawal. {takes} baclofen. "
            "Tell the ambulance crew.")
