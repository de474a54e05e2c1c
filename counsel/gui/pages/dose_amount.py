"""The live "= ½ tablet of 10 mg" beside "Dose each time": the core's dose function, applied to the
prescription as typed so far (the rest of the case need not be complete yet)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the core (pydantic) loads after the window paints: see amount_text
    from counsel.core.case import Region
    from counsel.core.content import Catalog


def amount_text(data: dict[str, Any], catalog: Catalog | None) -> tuple[str, bool]:
    """('= ½ tablet of 10 mg', True), ('= ask your pharmacist…: why', False), or ('', True) when
    the prescription is not far enough along to say (no dose, no strength, no content yet)."""
    rx_data = dict(data.get("prescription") or {})
    if catalog is None or not rx_data.get("dose_mg") or not rx_data.get("strength"):
        return "", True
    # Here, not at module level: a catalog means the core is loaded already (no start-up cost).
    from pydantic import ValidationError

    from counsel.core.case import Prescription
    from counsel.core.doses import dose_amount, halving

    rx_data.pop("titration", None)  # the amount of this one dose: the plan's steps do not matter
    rx_data.pop("taper", None)
    rx_data.pop("dose_times", None)
    # How often does not change what one dose is; the prescription needs it to be valid, so a
    # missing answer (still being filled in) must not hide the amount.
    rx_data["times_per_day"] = rx_data.get("times_per_day") or 1
    try:
        rx = Prescription.model_validate(rx_data)
    except (ValidationError, ValueError):
        return "", True
    mono = catalog.monograph(rx.drug)
    if mono is None or rx.dose_mg is None or rx.form == "intrathecal":
        return "", True
    region: Region = "uk" if data.get("region") == "uk" else "us"
    try:
        amount = dose_amount(rx.dose_mg, rx, halves=halving(mono, region, rx))
    except (ValueError, ZeroDivisionError):
        return "", True
    if amount.measurable:
        return f"= {amount.amount_text}", True
    reason = f": {amount.detail}" if amount.detail else ""
    return f"= {amount.amount_text}{reason}", False
