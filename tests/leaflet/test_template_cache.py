"""The compiled-template cache: used when the template is unchanged, recompiled when it changes,
harmless when the folder cannot be written, and the HTML is the same either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from counsel.leaflet import environment as env_mod
from counsel.leaflet.environment import TemplateCache


def _env(templates: Path, cache: Path) -> Environment:
    return Environment(loader=FileSystemLoader(str(templates)), bytecode_cache=TemplateCache(str(cache)),
                       auto_reload=False)


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = Environment.compile

    def counting(self: Environment, source: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(str(args[0] if args else kwargs.get("name")))
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    return calls


def test_a_cached_template_is_not_recompiled_until_its_source_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates, cache = tmp_path / "t", tmp_path / "cache"
    templates.mkdir()
    cache.mkdir()
    (templates / "a.html.j2").write_text("Hello {{ name }}", encoding="utf-8")
    calls = _count_compiles(monkeypatch)
    assert _env(templates, cache).get_template("a.html.j2").render(name="x") == "Hello x"
    assert calls == ["a.html.j2"] and list(cache.iterdir())
    # A new process (a new environment) loads the bytecode: no compile.
    assert _env(templates, cache).get_template("a.html.j2").render(name="y") == "Hello y"
    assert calls == ["a.html.j2"]
    # The source changes: its checksum no longer matches, so it is compiled again.
    (templates / "a.html.j2").write_text("Bye {{ name }}", encoding="utf-8")
    assert _env(templates, cache).get_template("a.html.j2").render(name="z") == "Bye z"
    assert calls == ["a.html.j2", "a.html.j2"]


def test_a_damaged_cache_file_or_a_read_only_folder_only_means_compiling(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates, cache = tmp_path / "t", tmp_path / "cache"
    templates.mkdir()
    cache.mkdir()
    (templates / "a.html.j2").write_text("Hi {{ name }}", encoding="utf-8")
    _env(templates, cache).get_template("a.html.j2")
    for f in cache.iterdir():
        f.write_bytes(f.read_bytes()[:30])  # truncated mid-bytecode
    assert _env(templates, cache).get_template("a.html.j2").render(name="q") == "Hi q"
    monkeypatch.setattr("tempfile.NamedTemporaryFile", lambda *a, **k: (_ for _ in ()).throw(
        PermissionError(13, "read-only")))
    assert _env(templates, tmp_path / "gone").get_template("a.html.j2").render(name="r") == "Hi r"


def test_the_leaflet_environment_uses_the_cache_folder_and_can_be_switched_off(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNSEL_CACHE_DIR", str(tmp_path))
    cache = env_mod.template_cache()
    assert cache is not None and (tmp_path / "templates").is_dir()
    monkeypatch.setenv("COUNSEL_CACHE_DIR", "0")
    assert env_mod.template_cache() is None
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("COUNSEL_CACHE_DIR", str(blocker))  # cannot make a folder under a file
    assert env_mod.template_cache() is None


@pytest.mark.pdf
def test_leaflet_html_is_the_same_from_cached_bytecode(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel import paths
    from counsel.leaflet.render import leaflet_html
    from counsel.services.casework import counsel_file
    from counsel.services.leaflet import LeafletOptions
    from tests.conftest import TODAY

    result = counsel_file(paths.EXAMPLES_DIR / "standard-adult-start.json", today=TODAY)

    def html(cache_dir: str) -> str:
        monkeypatch.setenv("COUNSEL_CACHE_DIR", cache_dir)
        env_mod.environment.cache_clear()
        try:
            return leaflet_html(result, LeafletOptions(), today=TODAY)[1]
        finally:
            env_mod.environment.cache_clear()

    plain = html("0")
    first = html(str(tmp_path))  # compiles and stores
    assert list((tmp_path / "templates").iterdir())
    calls = _count_compiles(monkeypatch)
    cached = html(str(tmp_path))  # loads the bytecode
    assert calls == []
    assert plain == first == cached


@pytest.mark.pdf
def test_prime_leaves_nothing_to_compile_for_the_first_leaflet(monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel import paths
    from counsel.leaflet.render import leaflet_html
    from counsel.services.casework import counsel_file
    from counsel.services.leaflet import LeafletOptions
    from tests.conftest import TODAY

    result = counsel_file(paths.EXAMPLES_DIR / "standard-adult-start.json", today=TODAY)
    monkeypatch.setenv("COUNSEL_CACHE_DIR", "0")  # no cache: prime() itself must compile
    env_mod.environment.cache_clear()
    try:
        calls = _count_compiles(monkeypatch)
        env_mod.prime()
        assert calls  # it compiled the template and its includes
        compiled = len(calls)
        leaflet_html(result, LeafletOptions(), today=TODAY)
        assert len(calls) == compiled  # the first leaflet found everything ready
    finally:
        env_mod.environment.cache_clear()
