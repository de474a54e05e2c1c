"""Options for one leaflet render (re-exported by counsel.services.leaflet)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")


@dataclass(frozen=True)
class LeafletOptions:
    """How to print: large print (None = the case's patient.large_print), paper and training mark."""

    large_print: bool | None = None
    paper: Paper = "a4"
    training: bool = False  # "TRAINING — not for patient use" on every page
