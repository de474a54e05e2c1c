"""The WeasyPrint URL fetcher reads only files inside resources/ (and data: URLs)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counsel import paths
from counsel.leaflet.fetcher import BlockedResourceError, ResourceFetcher


@pytest.fixture
def root(tmp_path: Path) -> Path:
    res = tmp_path / "resources"
    (res / "css").mkdir(parents=True)
    (res / "css" / "a.css").write_text("p { color: red }", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", res / "link.txt")
    os.symlink(tmp_path, res / "up")
    return res


def test_a_file_inside_resources_is_fetched(root: Path) -> None:
    fetcher = ResourceFetcher(root)
    response = fetcher.fetch((root / "css" / "a.css").as_uri())
    assert response.read() == b"p { color: red }"


def test_the_real_resources_folder_serves_fonts_and_css() -> None:
    fetcher = ResourceFetcher(paths.RESOURCES_DIR)
    assert fetcher.allows((paths.RESOURCES_DIR / "css" / "leaflet.css").as_uri())
    assert fetcher.allows((paths.RESOURCES_DIR / "css" / "../fonts/OFL.txt").as_uri())


def test_data_urls_are_allowed(root: Path) -> None:
    response = ResourceFetcher(root).fetch("data:text/plain;base64,aGk=")
    assert response.read() == b"hi"


@pytest.mark.parametrize("url", [
    "http://example.com/x.css",
    "https://example.com/font.woff2",
    "ftp://example.com/x",
    "file:///etc/passwd",
    "file://otherhost/etc/passwd",
    "javascript:alert(1)",
])
def test_other_urls_are_blocked(root: Path, url: str) -> None:
    fetcher = ResourceFetcher(root)
    assert not fetcher.allows(url)
    with pytest.raises(BlockedResourceError):
        fetcher.fetch(url)


def test_symlink_escape_is_blocked(root: Path) -> None:
    fetcher = ResourceFetcher(root)
    with pytest.raises(BlockedResourceError):
        fetcher.fetch((root / "link.txt").as_uri())
    with pytest.raises(BlockedResourceError):
        fetcher.fetch((root / "up" / "secret.txt").as_uri())


def test_dot_dot_traversal_is_blocked(root: Path) -> None:
    fetcher = ResourceFetcher(root)
    for url in (f"{root.as_uri()}/../secret.txt", f"{root.as_uri()}/css/../../secret.txt",
                f"{root.as_uri()}/%2e%2e/secret.txt"):
        with pytest.raises(BlockedResourceError):
            fetcher.fetch(url)


def test_a_folder_or_missing_file_is_blocked(root: Path) -> None:
    fetcher = ResourceFetcher(root)
    assert not fetcher.allows(root.as_uri())
    assert not fetcher.allows((root / "css" / "missing.css").as_uri())
