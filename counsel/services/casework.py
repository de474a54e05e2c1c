"""Use cases over the core: load a case file and work out its counselling, with one error type."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from counsel.core.case import Case, Region, load_case, parse_case
from counsel.core.content import Catalog
from counsel.core.date_checks import start_date_warning
from counsel.core.rules import Counselling, counsel_case
from counsel.services.content_cache import cached_catalog


def counsel_file(
    path: Path, *, today: date, region: Region | None = None, catalog: Catalog | None = None
) -> Counselling:
    """Read a case file and work out its checklist, calendar and warnings."""
    case = load_case(path, today=today)
    return with_date_checks(counsel_case(case, catalog or cached_catalog(), region=region), today)


def counsel_data(
    data: object, *, today: date, region: Region | None = None, catalog: Catalog | None = None
) -> Counselling:
    """The same from already-parsed JSON data (the GUI's form)."""
    case = parse_case(data, today=today)
    return with_date_checks(counsel_case(case, catalog or cached_catalog(), region=region), today)


def counsel(case: Case, *, region: Region | None = None,
            catalog: Catalog | None = None, today: date | None = None) -> Counselling:
    """Counsel a parsed case; with `today`, also the date checks (START_DATE_PAST)."""
    result = counsel_case(case, catalog or cached_catalog(), region=region)
    return result if today is None else with_date_checks(result, today)


def with_date_checks(result: Counselling, today: date) -> Counselling:
    """The result plus the findings that need today's date (information: never blocks)."""
    found = start_date_warning(result.case, today)
    if found is None:
        return result
    return dataclasses.replace(result, warnings=(*result.warnings, found))


def parse_codes(text: str | None) -> set[str]:
    """'A, b ,C' -> {'A','B','C'} (acknowledgement codes are case-insensitive)."""
    # 'CODE=outcome' names how the warning was dealt with (counsel.services.release).
    if not text:
        return set()
    return {c.partition("=")[0].strip().upper() for c in text.split(",")
            if c.partition("=")[0].strip()}
