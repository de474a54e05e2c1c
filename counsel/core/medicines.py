"""Recognising the patient's other medicines and mapping them to classes that matter for the drug."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

_STRENGTH_WORDS = re.compile(
    r"\b\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?\s*(?:mg|mcg|g|ml|micrograms?|%)?\b|\b(?:tablets?|caps(?:ules)?|"
    r"liquid|oral|solution|patch(?:es)?|cream|sr|xl|mr|er|cr|la)\b",
    re.IGNORECASE,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MedicineEntry(_Strict):
    name: str = Field(min_length=2)
    brands: list[str] = Field(default_factory=list)


class MedicineClass(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    warning: str = Field(min_length=20)
    sources: list[str] = Field(min_length=1)
    medicines: list[MedicineEntry] = Field(min_length=1)


class MedicineList(_Strict):
    schema_version: int = Field(ge=1, le=1)
    classes: list[MedicineClass] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_classes(self) -> MedicineList:
        ids = [c.id for c in self.classes]
        if len(set(ids)) != len(ids):
            raise ValueError("classes: two classes share an id")
        return self


@dataclass(frozen=True)
class Recognised:
    """A medicine as the patient gave it, the generic it was matched to, and its classes."""

    given: str
    generic: str
    classes: tuple[str, ...]


def normalise(name: str) -> str:
    """Lower-case, drop strengths and form words, collapse spaces: 'OxyContin 10 mg' -> 'oxycontin'."""
    cleaned = _STRENGTH_WORDS.sub(" ", name.lower())
    return " ".join(cleaned.replace("-", " ").split())


class MedicineIndex:
    """Case-insensitive lookup of generic and brand names to their classes."""

    def __init__(self, medicine_list: MedicineList) -> None:
        self.classes = {c.id: c for c in medicine_list.classes}
        self._lookup: dict[str, tuple[str, list[str]]] = {}
        for cls in medicine_list.classes:
            for entry in cls.medicines:
                for alias in (entry.name, *entry.brands):
                    key = normalise(alias)
                    _generic, class_ids = self._lookup.setdefault(key, (entry.name, []))
                    if cls.id not in class_ids:
                        class_ids.append(cls.id)

    def names(self) -> list[str]:
        """Every recognised generic and brand name, for type-ahead."""
        seen: dict[str, None] = {}
        for cls in self.classes.values():
            for entry in cls.medicines:
                seen.setdefault(entry.name, None)
                for brand in entry.brands:
                    seen.setdefault(brand, None)
        return sorted(seen, key=str.lower)

    def recognise(self, given: str) -> Recognised | None:
        key = normalise(given)
        hit = self._lookup.get(key)
        if hit is None and " " in key:
            hit = self._lookup.get(key.split(" ")[0])
        if hit is None:
            return None
        return Recognised(given=given.strip(), generic=hit[0], classes=tuple(hit[1]))
