"""Use cases over the core: load a case file and work out its counselling, with one error type."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from counsel.core.case import Case, Region, load_case, parse_case
from counsel.core.content import Catalog
from counsel.core.rules import Counselling, counsel_case
from counsel.services.content_cache import cached_catalog


def counsel_file(
    path: Path, *, today: date, region: Region | None = None, catalog: Catalog | None = None
) -> Counselling:
    """Read a case file and work out its checklist, calendar and warnings."""
    case = load_case(path, today=today)
    return counsel_case(case, catalog or cached_catalog(), region=region)


def counsel_data(
    data: object, *, today: date, region: Region | None = None, catalog: Catalog | None = None
) -> Counselling:
    """The same from already-parsed JSON data (the GUI's form)."""
    case = parse_case(data, today=today)
    return counsel_case(case, catalog or cached_catalog(), region=region)


def counsel(case: Case, *, region: Region | None = None,
            catalog: Catalog | None = None) -> Counselling:
    return counsel_case(case, catalog or cached_catalog(), region=region)


def parse_codes(text: str | None) -> set[str]:
    """'A, b ,C' -> {'A','B','C'} (acknowledgement codes are case-insensitive)."""
    if not text:
        return set()
    return {c.strip().upper() for c in text.split(",") if c.strip()}
