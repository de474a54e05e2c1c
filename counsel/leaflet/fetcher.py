"""A WeasyPrint URL fetcher that reads only files inside resources/ (and data: URLs).

Patient data is escaped before it reaches WeasyPrint, but this is the second wall: even markup
that slipped through could not read /etc/passwd, fetch http:, or embed a file as an attachment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher


class BlockedResourceError(PermissionError):
    """A URL outside the allowed resources (WeasyPrint logs it and renders without it)."""


class ResourceFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Allow `file:` URLs that resolve (symlinks and ../ included) to a file inside `root`."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=2)
        self.root = Path(root).resolve()

    def allows(self, url: str) -> bool:
        """Whether `url` may be fetched (checked before any I/O happens)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return True
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(url2pathname(parts.path)).resolve()  # resolves symlinks, ../ and %2e%2e
        return path.is_relative_to(self.root) and path.is_file()

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not self.allows(url):
            raise BlockedResourceError(f"blocked resource: {url}")
        return super().fetch(url, headers)
