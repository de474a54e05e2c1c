"""Turning a dose in mg into what the patient measures: tablets, packets or millilitres."""

from __future__ import annotations

from dataclasses import dataclass

from counsel.core.case import Prescription, Strength

_HALVES = {0: "", 1: "½"}


@dataclass(frozen=True)
class DoseAmount:
    """A dose in mg, the measurable amount ("½ tablet of 10 mg", "5 mL"), and whether it is exact."""

    mg: float
    mg_text: str
    amount_text: str
    measurable: bool


def mg(value: float) -> str:
    return f"{value:g} mg"


def ml(value: float) -> str:
    return f"{round(value, 1):g} mL"


def units_text(count: float, singular: str, plural: str) -> str:
    """1 -> '1 tablet', 0.5 -> '½ tablet', 1.5 -> '1½ tablets'."""
    halves = round(count * 2)
    whole, half = divmod(halves, 2)
    number = (str(whole) if whole else "") + _HALVES[half]
    return f"{number} {singular if count <= 1 else plural}"


def concentration_text(strength: Strength) -> str:
    assert strength.per_ml is not None
    return f"{strength.amount_mg:g} mg in {strength.per_ml:g} mL"


def dose_amount(dose_mg: float, rx: Prescription) -> DoseAmount:
    """What to measure for one dose of `dose_mg` of this prescription's product."""
    strength = rx.parsed_strength
    if dose_mg == 0:
        return DoseAmount(0.0, "0 mg", "none (stopped)", True)
    if rx.form in ("oral_solution", "oral_suspension"):
        per_ml = strength.mg_per_ml
        assert per_ml is not None
        volume = dose_mg / per_ml
        measurable = abs(volume * 10 - round(volume * 10)) < 1e-6
        return DoseAmount(dose_mg, mg(dose_mg),
                          f"{ml(volume)} of {strength.amount_mg:g} mg/{strength.per_ml:g} mL liquid",
                          measurable)
    count = dose_mg / strength.amount_mg
    if rx.form == "granules":
        whole = abs(count - round(count)) < 1e-9
        text = units_text(count, "packet", "packets") if whole else f"{count:g} packets"
        return DoseAmount(dose_mg, mg(dose_mg), f"{text} of {mg(strength.amount_mg)}", whole)
    halves_exact = abs(count * 2 - round(count * 2)) < 1e-9 and count >= 0.5
    if halves_exact:
        text = units_text(count, "tablet", "tablets")
    else:
        text = f"{count:.2f} tablets (cannot be measured)"
    return DoseAmount(dose_mg, mg(dose_mg), f"{text} of {mg(strength.amount_mg)}", halves_exact)
