"""A drawing of the oral syringe filled to the dose line, scaled from the real volume.

The syringe size and its reading step come from counsel.core.doses (SYRINGES, syringe_for,
volume_measurable): the drawing is only made for a volume the core calls measurable, so the
picture never shows an amount the leaflet's text does not. Volumes above 10 mL (the syringe is
filled more than once) get no drawing: one picture of a full syringe would mislead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from counsel.core.doses import SYRINGES, ml_text, syringe_for, volume_measurable

# Drawing units (the template scales the SVG to a fixed printed width).
WIDTH = 320.0
BARREL_X0 = 30.0  # the 0 mL line
BARREL_X1 = 250.0  # the full-capacity line
BARREL_Y = 30.0
BARREL_H = 34.0
LABEL_SIZE = 17.0  # about 14 pt at the printed width (large print minimum)


@dataclass(frozen=True)
class Tick:
    x: float
    major: bool
    label: str  # "" for an unlabelled tick


@dataclass(frozen=True)
class SyringeDrawing:
    """Everything the template needs to draw the syringe (numbers only, no patient text)."""

    capacity_ml: float
    volume_ml: float
    fill_x: float  # where the liquid (and the plunger) ends
    ticks: tuple[Tick, ...]
    title: str  # the SVG <title>: alt text in the tagged PDF
    caption: str  # printed beside the drawing
    width: float = WIDTH
    x0: float = BARREL_X0
    x1: float = BARREL_X1
    y: float = BARREL_Y
    h: float = BARREL_H
    label_size: float = LABEL_SIZE


def _capacity(volume: float) -> float | None:
    """The syringe size that measures this volume (1, 5 or 10 mL); None above 10 mL."""
    for largest, _step, _text in SYRINGES:
        if volume <= largest + 1e-9:
            return largest if math.isfinite(largest) else (10.0 if volume <= 10 + 1e-9 else None)
    return None  # pragma: no cover - the last syringe has no upper limit


def _label_every(capacity: float) -> float:
    return {1.0: 0.5, 5.0: 1.0}.get(capacity, 5.0)


def _major_every(capacity: float) -> float:
    return {1.0: 0.1, 5.0: 0.5}.get(capacity, 1.0)


def syringe_drawing(volume: float) -> SyringeDrawing | None:
    """The drawing for one dose volume in mL, or None when no honest picture can be drawn."""
    if volume <= 0 or not volume_measurable(volume):
        return None
    capacity = _capacity(volume)
    if capacity is None:
        return None
    step, _ = syringe_for(volume)
    span = BARREL_X1 - BARREL_X0
    n = round(capacity / step)
    label_every, major_every = _label_every(capacity), _major_every(capacity)
    ticks: list[Tick] = []
    for i in range(n + 1):
        value = i * step
        x = BARREL_X0 + span * value / capacity
        labelled = _multiple(value, label_every)
        ticks.append(Tick(round(x, 2), labelled or _multiple(value, major_every),
                          f"{value:g}" if labelled else ""))
    size = f"{capacity:g} mL"
    dose = ml_text(volume)
    return SyringeDrawing(
        capacity_ml=capacity,
        volume_ml=volume,
        fill_x=round(BARREL_X0 + span * volume / capacity, 2),
        ticks=tuple(ticks),
        title=f"An oral syringe of {size} filled to the {dose} line",
        caption=f"Fill a {size} oral syringe up to the {dose} line.",
    )


def _multiple(value: float, every: float) -> bool:
    ratio = value / every
    return abs(ratio - round(ratio)) < 1e-6
