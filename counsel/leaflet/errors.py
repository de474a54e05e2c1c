"""Leaflet errors a user can act on (one line each; the CLI exits 2)."""

from __future__ import annotations

from counsel.core.errors import CounselError


class LeafletError(CounselError):
    """The leaflet cannot be made or written (bad option, unprintable text, unwritable file)."""
