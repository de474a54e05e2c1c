"""The validated-content cache: the same catalog as validating the files, found only while nothing
it depends on has changed, and never a reason to fail."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from counsel import paths
from counsel.core import content
from counsel.core.content import load_catalog
from counsel.core.rules import checklist_json, schedule_json
from counsel.services import content_cache
from counsel.services.casework import counsel_file
from tests.conftest import TODAY


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNSEL_CACHE_DIR", str(tmp_path))
    content_cache.cached_catalog.cache_clear()
    yield tmp_path / "content"
    content_cache.cached_catalog.cache_clear()


def _loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts validations of the content files (the cache's misses)."""
    calls: list[int] = []
    real = content.load_catalog

    def counting(*args: object) -> content.Catalog:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(content, "load_catalog", counting)
    content.default_catalog.cache_clear()
    return calls


def test_a_cached_catalog_gives_the_same_counselling_without_validating_again(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _loads(monkeypatch)
    first = content_cache.cached_catalog()
    assert calls == [1] and len(list(cache.glob("catalog-*.pickle"))) == 1
    content_cache.cached_catalog.cache_clear()
    content.default_catalog.cache_clear()
    second = content_cache.cached_catalog()  # a new process would do exactly this
    assert calls == [1]  # from the cache: the files were not validated again
    assert second is not first
    fresh = load_catalog()
    for example in sorted(paths.EXAMPLES_DIR.glob("*.json")):
        a = counsel_file(example, today=TODAY, catalog=second)
        b = counsel_file(example, today=TODAY, catalog=fresh)
        assert json.dumps(checklist_json(a)) == json.dumps(checklist_json(b)), example.name
        assert json.dumps(schedule_json(a), default=str) == json.dumps(schedule_json(b), default=str)
    assert second.monographs == fresh.monographs


def test_changing_a_content_file_changes_the_key(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "medicines.yaml"
    shutil.copy(paths.MEDICINES_FILE, copy)
    monkeypatch.setattr(content_cache, "content_files", lambda: [copy])
    before = content_cache.fingerprint()
    assert content_cache.fingerprint() == before
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert content_cache.fingerprint() != before


def test_a_damaged_cache_file_is_validated_again_and_replaced(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content_cache.cached_catalog()
    (stored,) = cache.glob("catalog-*.pickle")
    stored.write_bytes(stored.read_bytes()[:100])
    content_cache.cached_catalog.cache_clear()
    calls = _loads(monkeypatch)
    assert content_cache.cached_catalog().monographs
    assert calls == [1]
    assert len(stored.read_bytes()) > 1000


def test_no_cache_folder_means_validating_every_time(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("COUNSEL_CACHE_DIR", str(blocker))  # no folder can be made under a file
    content_cache.cached_catalog.cache_clear()
    calls = _loads(monkeypatch)
    try:
        assert content_cache.cached_catalog().monographs
    finally:
        content_cache.cached_catalog.cache_clear()
    assert calls == [1]
    monkeypatch.setenv("COUNSEL_CACHE_DIR", "0")
    assert content_cache.cache_dir("content") is None
