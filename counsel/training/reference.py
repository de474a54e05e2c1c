"""The study reference: every checklist point of a drug with its rationale and sources, searchable."""

from __future__ import annotations

import re
from dataclasses import dataclass

from counsel.core.conditions import When
from counsel.core.facts import CONDITION_LABELS, FACT_LABELS
from counsel.core.monograph import Monograph
from counsel.training.scoring import SourceRef

# Placeholders are filled from a real case at the counter; here they read as plain words.
_GENERIC: dict[str, str] = {
    "medicines": "[the other medicine]",
    "max_daily_mg": "[the maximum daily dose]",
    "usual_maintenance": "[the usual maintenance dose]",
    "strength": "[the strength on the label]",
    "emergency": "[call the emergency number]",
}
_PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class ReferenceEntry:
    id: str
    section_id: str
    section_title: str
    topic: str
    title: str
    critical: bool
    prompt: str
    patient_text: tuple[str, ...]
    why: str
    applies: str
    sources: tuple[SourceRef, ...]

    def matches(self, query: str) -> bool:
        """Case-insensitive match of every word of `query` anywhere in the entry."""
        hay = " ".join((self.id, self.title, self.section_title, self.topic, self.prompt, self.why,
                        self.applies, *self.patient_text, *(s.id for s in self.sources))).lower()
        return all(word in hay for word in query.lower().split())


def _generic(text: str, mono: Monograph) -> str:
    return _PLACEHOLDER_RE.sub(lambda m: mono.name if m[1] == "drug" else _GENERIC.get(m[1], m[0]), text)


def describe_when(when: When | None) -> str:
    """A plain description of when a point applies."""
    if when is None:
        return "everyone"
    if when.all_of is not None:
        return " and ".join(describe_when(w) for w in when.all_of)
    if when.any_of is not None:
        return "(" + " or ".join(describe_when(w) for w in when.any_of) + ")"
    if when.not_ is not None:
        return f"not {describe_when(when.not_)}"
    if when.condition is not None:
        return f"has {CONDITION_LABELS.get(when.condition, when.condition)}"
    if when.medicine_class is not None:
        return f"takes a {when.medicine_class.replace('_', ' ')}"
    label = FACT_LABELS.get(when.fact or "", when.fact or "")
    if when.equals is not None:
        return label if when.equals is True else f"{label} is {str(when.equals).replace('_', ' ')}"
    if when.in_ is not None:
        return f"{label} is {' or '.join(v.replace('_', ' ') for v in when.in_)}"
    parts = []
    if when.gte is not None:
        parts.append(f"{label} {when.gte:g} or more")
    if when.lt is not None:
        parts.append(f"{label} under {when.lt:g}")
    return " and ".join(parts) or label


def reference_entries(mono: Monograph) -> list[ReferenceEntry]:
    """Every point of the monograph, in checklist order."""
    out = []
    for p in mono.points:
        section = mono.section(p.section)
        out.append(ReferenceEntry(
            id=p.id, section_id=section.id, section_title=section.title, topic=section.topic,
            title=p.title, critical=p.critical, prompt=_generic(p.prompt, mono),
            patient_text=tuple(_generic(t, mono) for t in p.patient_text), why=_generic(p.why, mono),
            applies=describe_when(p.applies),
            sources=tuple(SourceRef(s, mono.source(s).title, mono.source(s).url) for s in p.sources),
        ))
    return out


def search(entries: list[ReferenceEntry], query: str) -> list[ReferenceEntry]:
    return [e for e in entries if e.matches(query)] if query.strip() else list(entries)
