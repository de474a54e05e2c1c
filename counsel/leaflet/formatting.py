"""Locale-aware dates and times for the leaflet (babel), in the leaflet's language and region."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time

# The printed content exists in English only, so the leaflet's language is English; the
# patient's language still picks the regional variant (en-GB / en-US) when it names one.
CONTENT_LANGUAGE = "en"
_TERRITORY = {"us": "US", "uk": "GB"}


@dataclass(frozen=True)
class LeafletLocale:
    """The language tag for <html lang> and the babel locale that formats dates and times."""

    tag: str  # BCP 47, e.g. "en-GB"
    babel: Locale


@lru_cache(maxsize=32)
def leaflet_locale(language: str, region: str) -> LeafletLocale:
    """'en' + uk -> en-GB. A patient language we have no content for falls back to English."""
    parts = language.replace("_", "-").split("-")
    primary = parts[0].lower()
    territory = _TERRITORY.get(region, "US")
    if primary == CONTENT_LANGUAGE and len(parts) > 1 and len(parts[1]) == 2 and parts[1].isalpha():
        territory = parts[1].upper()
    try:
        loc = Locale(CONTENT_LANGUAGE, territory)
    except (ValueError, LookupError):
        territory = _TERRITORY.get(region, "US")
        loc = Locale(CONTENT_LANGUAGE, territory)
    return LeafletLocale(f"{CONTENT_LANGUAGE}-{territory}", loc)


def _tidy(text: str) -> str:
    # CLDR puts a narrow no-break space before AM/PM; the leaflet font lacks U+202F, and a
    # plain no-break space keeps "8:00 AM" together just as well.
    return text.replace("\u202f", "\u00a0")


def long_date(d: date, loc: LeafletLocale) -> str:
    """'Monday, November 23, 2026' (en-US) / 'Monday, 23 November 2026' (en-GB)."""
    return _tidy(format_date(d, "full", locale=loc.babel))


def short_date(d: date, loc: LeafletLocale) -> str:
    """'Mon, Nov 23' (en-US) / 'Mon 23 Nov' (en-GB): calendar rows."""
    return _tidy(format_skeleton("MMMEd", d, locale=loc.babel))


def clock_time(hhmm: str, loc: LeafletLocale) -> str:
    """'14:00' -> '2:00 PM' (en-US) / '14:00' (en-GB)."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    return _tidy(format_time(time(hour, minute), "short", locale=loc.babel))


def part_of_day(hhmm: str) -> str:
    """A plain word for the time of day, printed next to the clock time."""
    hour = int(hhmm.split(":")[0])
    if 5 <= hour < 12:
        return "Morning"
    if 12 <= hour < 17:
        return "Afternoon"
    if 17 <= hour < 21:
        return "Evening"
    return "Night"
