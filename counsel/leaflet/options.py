"""Options for one leaflet render (re-exported by counsel.services.leaflet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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
