"""Turning a dose in mg into what the patient measures: tablets, packets or millilitres.

Only measurable amounts are ever printed (issue 9):
- tablets: whole tablets, or a half where the product may be halved (a property of the product
  and strength, from the monograph's `scored` / `unscored` lists, never of the form);
- granule packets: whole packets only;
- liquids: the exact volume, never rounded to a different amount, and only where a standard
  oral syringe can measure it (see SYRINGES).
Anything else prints the mg with "ask your pharmacist how to measure this dose", and the checks
give the pharmacist a DOSE_NOT_MEASURABLE warning. Nothing here suggests a different dose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from counsel.core.case import LIQUID_FORMS, Prescription, Region, Strength

if TYPE_CHECKING:
    from counsel.core.case import Case
    from counsel.core.monograph import Monograph

ASK_TO_MEASURE = "ask your pharmacist how to measure this dose"

# The oral syringes we assume, smallest first: (largest volume, reading step, description).
# Conservative choices from common practice: 1 mL oral syringes are usually marked every
# 0.01 mL, but those marks are hard to read at home, so we count only 0.05 mL steps; 5 mL
# syringes are marked every 0.1 mL (some every 0.2 mL: the pharmacist checks the one supplied);
# 10 mL syringes every 0.5 mL, filled more than once above 10 mL. A volume that is not a whole
# number of steps for the syringe its size needs is "not measurable".
SYRINGES: tuple[tuple[float, float, str], ...] = (
    (1.0, 0.05, "a 1 mL oral syringe read to 0.05 mL"),
    (5.0, 0.1, "a 5 mL oral syringe read to 0.1 mL"),
    (math.inf, 0.5, "a 10 mL oral syringe read to 0.5 mL"),
)
SYRINGE_NOTE = ("1 mL syringe in 0.05 mL steps up to 1 mL, 5 mL syringe in 0.1 mL steps up to "
                "5 mL, 10 mL syringe in 0.5 mL steps above that")

Halving = Literal["scored", "unscored", "unknown", "never"]
_HALVES = {0: "", 1: "½"}
_EPS = 1e-6


@dataclass(frozen=True)
class DoseAmount:
    """A dose in mg and what to measure ("½ tablet of 10 mg", "0.25 mL of 25 mg/5 mL liquid").

    `amount_text` is what the patient sees: when the dose is not measurable it is ASK_TO_MEASURE,
    never a rounded or fractional amount. `detail` is the pharmacist-facing reason.
    """

    mg: float
    mg_text: str
    amount_text: str
    measurable: bool
    detail: str = ""
    score_unconfirmed: bool = False  # a half tablet of a product not listed as scored or unscored


def mg(value: float) -> str:
    return f"{value:g} mg"


def ml_text(volume: float) -> str:
    """An exact volume: 0.25 -> '0.25 mL' (never rounded to a different amount)."""
    text = f"{volume:.3f}".rstrip("0").rstrip(".")
    if abs(float(text) - volume) > _EPS:
        return f"about {text} mL"  # only in pharmacist-facing detail for unmeasurable volumes
    return f"{text} mL"


def units_text(count: float, singular: str, plural: str) -> str:
    """1 -> '1 tablet', 0.5 -> '½ tablet', 1.5 -> '1½ tablets' (whole or half counts only)."""
    halves = round(count * 2)
    whole, half = divmod(halves, 2)
    number = (str(whole) if whole else "") + _HALVES[half]
    return f"{number} {singular if count <= 1 else plural}"


def concentration_text(strength: Strength) -> str:
    assert strength.per_ml is not None
    return f"{strength.amount_mg:g} mg in {strength.per_ml:g} mL"


def syringe_for(volume: float) -> tuple[float, str]:
    """The reading step and description of the syringe a volume needs."""
    for largest, step, text in SYRINGES:
        if volume <= largest + _EPS:
            return step, text
    raise AssertionError("the last syringe has no upper limit")  # pragma: no cover


def volume_measurable(volume: float) -> bool:
    step, _ = syringe_for(volume)
    units = volume / step
    return volume > 0 and abs(units - round(units)) < _EPS


def _norm(strength: str) -> str:
    return strength.replace(" ", "").lower()


def halving(mono: Monograph, region: Region, rx: Prescription) -> Halving:
    """May this product be halved? From the monograph's per-strength score-line lists."""
    form = mono.forms.get(rx.form)
    if form is None or not form.splittable:
        return "never"
    key = _norm(rx.strength)
    if key in {_norm(s) for s in form.scored.get(region, [])}:
        return "scored"
    if key in {_norm(s) for s in form.unscored.get(region, [])}:
        return "unscored"
    return "unknown"


def dose_amount(dose_mg: float, rx: Prescription, *, halves: Halving) -> DoseAmount:
    """What to measure for one dose of `dose_mg` of this prescription's product.

    `halves` comes from `halving()` (or `Counselling.amount`, which passes it for you).
    """
    strength = rx.parsed_strength
    if dose_mg == 0:
        return DoseAmount(0.0, "0 mg", "none (stopped)", True)
    if rx.form in LIQUID_FORMS:
        return _liquid(dose_mg, strength)
    count = dose_mg / strength.amount_mg
    whole = count >= 1 - _EPS and abs(count - round(count)) < _EPS
    if rx.form == "granules":
        if whole:
            return DoseAmount(dose_mg, mg(dose_mg),
                              f"{units_text(count, 'packet', 'packets')} of {mg(strength.amount_mg)}",
                              True)
        return DoseAmount(dose_mg, mg(dose_mg), ASK_TO_MEASURE, False,
                          f"not a whole number of {mg(strength.amount_mg)} packets (packets are "
                          f"not split)")
    half = count >= 0.5 - _EPS and abs(count * 2 - round(count * 2)) < _EPS
    if whole or (half and halves in ("scored", "unknown")):
        return DoseAmount(dose_mg, mg(dose_mg),
                          f"{units_text(count, 'tablet', 'tablets')} of {mg(strength.amount_mg)}",
                          True, score_unconfirmed=not whole and halves == "unknown")
    if half and halves == "unscored":
        why = (f"a half of a {mg(strength.amount_mg)} tablet, and this product has no score line "
               f"(it should not be halved)")
    else:
        why = f"not a whole or half {mg(strength.amount_mg)} tablet"
    return DoseAmount(dose_mg, mg(dose_mg), ASK_TO_MEASURE, False, why)


def _liquid(dose_mg: float, strength: Strength) -> DoseAmount:
    per_ml = strength.mg_per_ml
    assert per_ml is not None
    volume = dose_mg / per_ml
    conc = f"{strength.amount_mg:g} mg/{strength.per_ml:g} mL"
    if volume_measurable(volume):
        return DoseAmount(dose_mg, mg(dose_mg), f"{ml_text(volume)} of {conc} liquid", True)
    _, syringe = syringe_for(volume)
    return DoseAmount(dose_mg, mg(dose_mg), ASK_TO_MEASURE, False,
                      f"{ml_text(volume)} of {conc}, which cannot be measured with {syringe}")


def measurable_amount(case: Case, dose_mg: float, mono: Monograph) -> str | None:
    """The amount to show next to a dose ("½ tablet of 10 mg", "0.25 mL of 25 mg/5 mL liquid"),
    or None when it cannot be measured. For live labels in the GUI; never suggests a dose."""
    rx = case.prescription
    if rx.form == "intrathecal" or dose_mg <= 0:
        return None
    amount = dose_amount(dose_mg, rx, halves=halving(mono, case.region, rx))
    return amount.amount_text if amount.measurable else None
