"""Recognising the patient's other medicines and mapping them to classes that matter for the drug.

Matching is on the whole name first. A name matched only on its first word(s) ("Advil Dual
Action") keeps the classes of what matched but is reported, so the rest of the name (a second
ingredient) is never hidden. Combination products list every ingredient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from counsel.core.case import Case

_STRENGTH_WORDS = re.compile(
    r"\b\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?\s*(?:mg|mcg|g|ml|micrograms?|%)?\b|\b(?:tablets?|"
    r"caps(?:ules)?|liquid|oral|solution|suspension|syrup|patch(?:es)?|cream|gel|emulgel|"
    r"ointment|foam|lotion|plasters?|topical|sachets?|granules|dispersible|soluble|chewable|"
    r"orodispersible|injection|nasal|spray|drops|modified|prolonged|extended|slow|release|"
    r"effervescent|caplets?|tabs|liqui|gels|softgels|liquigels|"
    r"sr|xl|mr|er|cr|la)\b",
    re.IGNORECASE,
)
# Salt names: "naproxen sodium" is naproxen. Only tried when the whole name is not listed, so
# "sodium valproate" and "lithium citrate" still match their own entries.
_SALT_WORDS = re.compile(
    r"\b(?:hydrochloride|hcl|hydrobromide|phosphate|sulfate|sulphate|tartrate|bitartrate|"
    r"maleate|succinate|fumarate|besilate|besylate|mesylate|mesilate|acetate|bromide|sodium|"
    r"potassium|citrate|carbonate|calcium)\b"
)
# On the skin, an NSAID acts locally; "spray" and "patch" are not here on their own because a
# nasal spray or a fentanyl or GTN patch acts on the whole body.
_TOPICAL_WORDS = re.compile(
    r"\b(?:gel|emulgel|cream|ointment|foam|lotion|topical|plasters?|rub|patch(?:es)?)\b",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:\+|&|,|\band\b|\bwith\b|\bplus\b)\s*")
# A lone single digit after a brand ("Tylenol 3") is a product number, not a strength: for a
# medicine with no interaction it may hide a second ingredient (Tylenol No. 3 holds codeine).
_PRODUCT_NUMBER = re.compile(
    r"(?<![\d.#/])\b([1-9])\b(?!\s*(?:[.,/]\d|mg|mcg|g\b|ml|%|tab|cap|x\b|times|a day|daily))", re.I)

GABAPENTINOID = "gabapentinoid"
OPIOID = "opioid"
BREATHING_CONDITION = "breathing_problems"
OLDER_ADULT_AGE = 65


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class MedicineEntry(_Strict):
    name: str = Field(min_length=2)
    brands: list[str] = Field(default_factory=list)


class MedicineClass(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    warning: str = Field(min_length=20)
    sources: list[str] = Field(min_length=1)
    medicines: list[MedicineEntry] = Field(min_length=1)
    local_when_topical: bool = Field(
        default=False,
        description="A gel or cream of this class acts on the skin only: no class warning",
    )


class Combination(_Strict):
    """A product with several ingredients ("Advil PM" = ibuprofen + diphenhydramine)."""

    name: str = Field(min_length=2)
    brands: list[str] = Field(default_factory=list)
    ingredients: list[str] = Field(min_length=2)


class SameDrug(_Strict):
    """Another product of the counselled drug itself: taking both is a duplication."""

    name: str = Field(min_length=2)
    route: Literal["oral", "intrathecal"]
    brands: list[str] = Field(default_factory=list)


class MedicineList(_Strict):
    schema_version: int = Field(ge=1, le=1)
    classes: list[MedicineClass] = Field(min_length=1)
    # Recognised, with no interaction that matters for the drug (paracetamol in a combination).
    no_interaction: list[MedicineEntry] = Field(default_factory=list)
    combinations: list[Combination] = Field(default_factory=list)
    same_drug: list[SameDrug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> MedicineList:
        ids = [c.id for c in self.classes]
        if len(set(ids)) != len(ids):
            raise ValueError("classes: two classes share an id")
        generics: dict[str, str] = {}

        def claim(alias: str, generic: str, where: str) -> None:
            key = normalise(alias)
            if not key:
                raise ValueError(f"{where}: '{alias}' is only strength or form words")
            if generics.setdefault(key, generic) != generic:
                raise ValueError(f"{where}: '{alias}' is also listed for {generics[key]}")

        known: set[str] = set()
        for i, cls in enumerate(self.classes):
            for entry in cls.medicines:
                known.add(normalise(entry.name))
                for alias in (entry.name, *entry.brands):
                    claim(alias, entry.name, f"classes.{i}.medicines")
        for i, entry in enumerate(self.no_interaction):
            known.add(normalise(entry.name))
            for alias in (entry.name, *entry.brands):
                claim(alias, entry.name, f"no_interaction.{i}")
        for i, combo in enumerate(self.combinations):
            for ingredient in combo.ingredients:
                if normalise(ingredient) not in known:
                    raise ValueError(f"combinations.{i}.ingredients: unknown ingredient "
                                     f"'{ingredient}' (list it in a class or no_interaction)")
            for alias in (combo.name, *combo.brands):
                claim(alias, " + ".join(combo.ingredients), f"combinations.{i}")
        for i, same in enumerate(self.same_drug):
            for alias in (same.name, *same.brands):
                claim(alias, same.name, f"same_drug.{i}")
        return self


@dataclass(frozen=True)
class Recognised:
    """A medicine as the patient gave it, the generic it was matched to, and its classes.

    `unmatched` holds the words of the name that matched nothing ("dual action"): the product
    may contain more than the generic shown. `topical` marks a gel or cream whose class acts
    locally (its class is dropped). `same_drug` is the route of another product of the drug.
    """

    given: str
    generic: str
    classes: tuple[str, ...]
    unmatched: str = ""
    topical: bool = False
    same_drug: str = ""


    def describe(self, labels: dict[str, str]) -> str:
        """What the match means, for the pharmacist: "✓ opioid painkiller",
        "✓ ibuprofen (on the skin): no interaction listed", "⚠ matched ibuprofen only: ..."."""
        classes = ", ".join(labels.get(c, c) for c in self.classes)
        if self.same_drug:
            return f"⚠ this is baclofen too ({self.generic}): a duplicate"
        if self.unmatched:
            return (f"⚠ matched {self.generic}{' (' + classes + ')' if classes else ''} only: "
                    f"check the other ingredients ('{self.unmatched}')")
        return f"✓ {classes}" if classes else f"✓ {self.generic}: no interaction listed"


@dataclass(frozen=True)
class _Hit:
    generic: str
    classes: tuple[str, ...]
    same_drug: str = ""


def normalise(name: str) -> str:
    """Lower-case, drop strengths and form words, collapse spaces: 'OxyContin 10 mg' -> 'oxycontin'."""
    cleaned = _STRENGTH_WORDS.sub(" ", name.lower())
    return " ".join(cleaned.replace("-", " ").split())


def _without_salts(key: str) -> str:
    return " ".join(_SALT_WORDS.sub(" ", key).split())


class MedicineIndex:
    """Case-insensitive lookup of generic and brand names to their classes."""

    def __init__(self, medicine_list: MedicineList) -> None:
        self.classes = {c.id: c for c in medicine_list.classes}
        self._list = medicine_list
        self._lookup: dict[str, _Hit] = {}
        by_generic: dict[str, list[str]] = {}
        for cls in medicine_list.classes:
            for entry in cls.medicines:
                by_generic.setdefault(normalise(entry.name), [])
                if cls.id not in by_generic[normalise(entry.name)]:
                    by_generic[normalise(entry.name)].append(cls.id)
        for entry in medicine_list.no_interaction:
            by_generic.setdefault(normalise(entry.name), [])
        for cls in medicine_list.classes:
            for entry in cls.medicines:
                hit = _Hit(entry.name, tuple(by_generic[normalise(entry.name)]))
                for alias in (entry.name, *entry.brands):
                    self._lookup[normalise(alias)] = hit
        for entry in medicine_list.no_interaction:
            for alias in (entry.name, *entry.brands):
                self._lookup[normalise(alias)] = _Hit(entry.name, ())
        for combo in medicine_list.combinations:
            hit = self._combine([self._lookup[normalise(i)] for i in combo.ingredients])
            for alias in (combo.name, *combo.brands):
                self._lookup[normalise(alias)] = hit
        for same in medicine_list.same_drug:
            for alias in (same.name, *same.brands):
                self._lookup[normalise(alias)] = _Hit(same.name, (), same.route)

    @staticmethod
    def _combine(hits: list[_Hit]) -> _Hit:
        classes: list[str] = []
        for hit in hits:
            classes += [c for c in hit.classes if c not in classes]
        same = next((h.same_drug for h in hits if h.same_drug), "")
        return _Hit(" + ".join(h.generic for h in hits), tuple(classes), same)

    def names(self) -> list[str]:
        """Every recognised generic and brand name, for type-ahead."""
        seen: dict[str, None] = {}
        entries: list[MedicineEntry | Combination | SameDrug] = [
            *(e for c in self.classes.values() for e in c.medicines),
            *self._list.no_interaction, *self._list.combinations, *self._list.same_drug]
        for entry in entries:
            seen.setdefault(entry.name, None)
            for brand in entry.brands:
                seen.setdefault(brand, None)
        return sorted(seen, key=str.lower)

    def _exact(self, key: str) -> _Hit | None:
        return self._lookup.get(key) or self._lookup.get(_without_salts(key))

    def recognise(self, given: str) -> Recognised | None:
        """Match a name; None when nothing in it is recognised (check it by hand)."""
        key = normalise(given)
        if not key:
            return None
        hit = self._exact(key)
        unmatched = ""
        if hit is None:
            hit, unmatched = self._parts(key)
        if hit is None:
            return None
        if not unmatched and not hit.classes and not hit.same_drug:
            number = _PRODUCT_NUMBER.search(given)
            unmatched = number.group(1) if number else ""
        classes = hit.classes
        topical = bool(_TOPICAL_WORDS.search(given)) and any(
            self.classes[c].local_when_topical for c in classes)
        if topical:
            classes = tuple(c for c in classes if not self.classes[c].local_when_topical)
        generic = f"{hit.generic} (on the skin)" if topical else hit.generic
        return Recognised(given=given.strip(), generic=generic, classes=classes,
                          unmatched=unmatched, topical=topical, same_drug=hit.same_drug)

    def _parts(self, key: str) -> tuple[_Hit | None, str]:
        """A typed combination ("paracetamol and codeine"), or the longest leading words."""
        parts = [p for p in _SEPARATORS.split(key) if p]
        if len(parts) > 1:
            hits = [self._exact(p) for p in parts]
            found = [h for h in hits if h is not None]
            missing = [p for p, h in zip(parts, hits, strict=True) if h is None]
            if found:
                return self._combine(found), " ".join(missing)
        words = key.split(" ")
        for n in range(len(words) - 1, 0, -1):
            hit = self._exact(" ".join(words[:n]))
            if hit is not None:
                return hit, " ".join(words[n:])
        return None, ""


def medicine_findings(
    case: Case,
    recognised: list[Recognised],
    unrecognised: list[str],
    medicines: MedicineIndex,
) -> list[tuple[str, str, str]]:
    """Every medicine warning for the case as (code, message, field), in a stable order."""
    field = "patient.other_medicines"
    out: list[tuple[str, str, str]] = []
    pump = case.prescription.form == "intrathecal"
    for med in recognised:
        if not med.same_drug or (pump and med.same_drug == "intrathecal"):
            continue  # a pump listed beside a pump prescription is the same pump
        if pump or med.same_drug == "intrathecal":
            what = "oral baclofen with an intrathecal pump"
        else:
            what = "a second baclofen product"
        out.append(("DUPLICATE_BACLOFEN",
                    f"{med.given} is also baclofen: {what}. The doses add up (overdose and "
                    f"sedation risk). Confirm with the prescriber which baclofen the patient "
                    f"should take.", field))
    by_class: dict[str, list[str]] = {}
    for med in recognised:
        for class_id in med.classes:
            by_class.setdefault(class_id, []).append(med.given)
    out += _breathing_findings(case, by_class)
    for cls_id, med_class in medicines.classes.items():
        names = by_class.get(cls_id)
        if names:
            out.append((f"INTERACTION_{cls_id.upper()}",
                        f"{', '.join(names)} ({med_class.label}): {med_class.warning}", field))
    for med in recognised:
        if med.unmatched:
            out.append(("CHECK_OTHER_INGREDIENTS",
                        f"'{med.given}' was matched to {med.generic} by part of its name only; "
                        f"'{med.unmatched}' was not recognised. Check the other ingredients "
                        f"(a sedative or painkiller may be hidden in the name).", field))
    if unrecognised:
        out.append(("UNRECOGNISED_MEDICINE",
                    f"Not recognised — check manually for interactions: {', '.join(unrecognised)}.",
                    field))
    return out


def _breathing_findings(case: Case, by_class: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """FDA (Dec 2019): gabapentinoids with respiratory risk factors can cause serious breathing
    difficulty; baclofen is itself a CNS depressant, so these are critical."""
    names = by_class.get(GABAPENTINOID)
    if not names:
        return []
    risks: list[str] = []
    if by_class.get(OPIOID):
        risks.append(f"an opioid ({', '.join(by_class[OPIOID])})")
    if case.patient.age >= OLDER_ADULT_AGE:
        risks.append(f"age {case.patient.age}")
    if BREATHING_CONDITION in case.patient.conditions:
        risks.append("lung or breathing problems")
    if not risks:
        return []
    return [("GABAPENTINOID_BREATHING",
             f"CRITICAL: {', '.join(names)} with {' and '.join(risks)}. FDA (Dec 2019): serious "
             f"breathing difficulty with gabapentin or pregabalin in patients with respiratory "
             f"risk factors (opioids and other CNS depressants such as baclofen, lung disease, "
             f"older age). Confirm the prescriber knows; teach the signs of slow or shallow "
             f"breathing.", "patient.other_medicines")]
