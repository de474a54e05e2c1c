"""Privacy by default: a pseudonymous patient reference, and no full name unless a setting allows it."""

from __future__ import annotations

import copy
import re
import unicodedata
from datetime import date
from typing import Any

from counsel.records.errors import RecordsError

REDACTED = "[name]"
_REF_MAX = 40


def _clean(text: object) -> str:
    return " ".join(str(text).split()) if isinstance(text, str) else ""


def initials(name: str) -> str:
    """First letter of each part of a name, upper-cased ('George Whitfield' -> 'GW')."""
    return "".join(part[0] for part in name.split() if part).upper()


def patient_reference(case: dict[str, Any], *, today: date, local_id: str | None = None) -> str:
    """The pseudonymous reference a record is filed under.

    In order: a local ID the pharmacist typed; the case's patient.reference; initials plus the year
    of birth worked out from the age (the case holds an age, not a birth date, so it may be a year
    off). Empty when none of these is possible yet (the form is still being filled in).
    """
    if local_id and _clean(local_id):
        return _clean(local_id)[:_REF_MAX]
    patient = case.get("patient")
    if not isinstance(patient, dict):
        return ""
    ref = _clean(patient.get("reference"))
    if ref:
        return ref[:_REF_MAX]
    name = _clean(patient.get("name"))
    age = patient.get("age")
    if name and isinstance(age, int) and not isinstance(age, bool) and 0 <= age <= 120:
        return f"{initials(name)}{today.year - age}"
    return ""


def require_reference(ref: str) -> str:
    if not ref:
        raise RecordsError("patient reference: missing — give the patient a reference "
                           "(e.g. initials + year of birth) or type a local ID")
    return ref


def name_parts(case: dict[str, Any]) -> list[str]:
    """The words of the patient's name, longest first (what redaction looks for)."""
    patient = case.get("patient")
    name = _clean(patient.get("name")) if isinstance(patient, dict) else ""
    parts = {p for p in re.split(r"[\s,.'’-]+", name) if len(p) >= 2}
    if name:
        parts.add(name)
    return sorted(parts, key=len, reverse=True)


def _fold(char: str) -> str:
    """A character's comparison key: case-folded, compatibility-decomposed, accents dropped.

    So "José", "JOSÉ", "Jose" + combining acute (decomposed), "jose" and fullwidth "Ｊｏｓｅ" all
    compare equal; "Strauß" equals "STRAUSS".
    """
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of the source character."""
    out: list[str] = []
    source: list[int] = []
    for i, char in enumerate(text):
        key = _fold(char)
        out.append(key)
        source.extend([i] * len(key))
    return "".join(out), source


def redact_text(text: str, parts: list[str]) -> str:
    """Replace the patient's name (whole or any part) in free text with '[name]'.

    Matching ignores case, accents and Unicode normalisation (NFC/NFD/NFKD spellings), so a
    name typed with or without its accents, or pasted in decomposed form, is still caught.
    """
    keys = sorted({k for k in ("".join(_fold(c) for c in p) for p in parts) if len(k) >= 2},
                  key=len, reverse=True)
    if not keys or not text:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")
    folded, source = _folded(text)
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(folded):
        start, end = source[match.start()], source[match.end() - 1] + 1
        # Combining marks after the last letter belong to it (they fold to nothing).
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        spans.append((start, end))
    for start, end in reversed(spans):
        text = text[:start] + REDACTED + text[end:]
    return text


def strip_name(case: dict[str, Any], parts: list[str] | None = None) -> dict[str, Any]:
    """A copy of raw case data with patient.name removed and the name blanked out of the notes."""
    parts = name_parts(case) if parts is None else parts
    out = copy.deepcopy(case)
    patient = out.get("patient")
    if isinstance(patient, dict):
        patient.pop("name", None)
    if isinstance(out.get("notes"), str):
        out["notes"] = redact_text(out["notes"], parts)
    return out
