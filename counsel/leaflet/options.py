"""Options for one leaflet render (re-exported by counsel.services.leaflet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # annotations only: the GUI's window paints before the core (pydantic) loads
    from counsel.core.rules import SelectedPoint

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")


@dataclass(frozen=True)
class LeafletOptions:
    """How to print: large print (None = the case's patient.large_print), paper and training mark.

    `omit`: ids of points the pharmacist marked "not discussed: not relevant"; they are left out
    of the leaflet. A critical point is never left out: the render refuses (LeafletError).
    """

    large_print: bool | None = None
    paper: Paper = "a4"
    training: bool = False  # "TRAINING — not for patient use" on every page
    omit: frozenset[str] = field(default_factory=frozenset)


def omit_refusal(point: SelectedPoint) -> str:
    """Why this point cannot be left off the leaflet, as a predicate for its title ('' = it may
    be): critical points always print. The one rule behind the render's refusal, the services'
    omit set and the GUI's note."""
    if point.point.critical:
        return "is a critical point: it is always printed on the leaflet"
    return ""
