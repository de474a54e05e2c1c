"""Mutated copies of the shipped content: every mistake that could switch a safety check off, crash
a case or hang the app is one clear line from `validate-content --resources COPY` and exit 2."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from counsel import cli, paths
from counsel.core.content import load_catalog
from counsel.core.content_yaml import load_yaml
from counsel.core.errors import ContentError

MONOGRAPH = "monographs/baclofen.yaml"
MEDICINES = "medicines.yaml"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped content (monographs, medicine list, scenarios) to break."""
    root = tmp_path / "resources"
    shutil.copytree(paths.MONOGRAPHS_DIR, root / "monographs")
    shutil.copytree(paths.SCENARIOS_DIR, root / "scenarios")
    shutil.copy(paths.MEDICINES_FILE, root / MEDICINES)
    return root


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["validate-content", "--resources", str(root)])
    out, err = capsys.readouterr()
    return code, out, err


def _sub(root: Path, rel: str, pattern: str, repl: str | Callable[[re.Match[str]], str]) -> None:
    """Edit the text of one content file; the pattern must match (else the test is stale)."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, repl, text, count=1, flags=re.MULTILINE)
    assert n == 1, f"{pattern!r} not found in {rel}: update the mutation"
    path.write_text(new, encoding="utf-8")


def _edit_data(root: Path, rel: str, change: Callable[[Any], None]) -> None:
    """Load, change and re-write one content file as data (for type and template mistakes)."""
    path = root / rel
    data = load_yaml(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _first_point(root: Path) -> tuple[int, str]:
    data = load_yaml((root / MONOGRAPH).read_text(encoding="utf-8"))
    return 0, data["points"][0]["id"]


def test_the_unchanged_copy_validates(content, capsys):
    code, out, err = _validate(content, capsys)
    assert code == 0, err
    assert "ok: baclofen" in out and err == ""


def _bad_template(data: Any) -> None:
    data["points"][0]["patient_text"].append("Take it with { food.")


def _bad_template_in_why(data: Any) -> None:
    data["points"][0]["why"] += " A stray } brace."


def _attribute_placeholder(data: Any) -> None:
    data["points"][0]["prompt"] += " {drug.__class__}"


def _wrong_type_number(data: Any) -> None:
    data["regions"]["us"]["max_daily_mg"] = "80"


def _wrong_type_bool(data: Any) -> None:
    data["points"][0]["critical"] = "yes"


def _title_placeholder(data: Any) -> None:
    data["points"][0]["title"] = "About {drug}"


def _missing_key(data: Any) -> None:
    del data["regions"]["uk"]["max_daily_mg"]


def _missing_point_text(data: Any) -> None:
    del data["points"][0]["patient_text"]


# "Billion laughs": ten lines that expand to 9**9 (~387 million) strings if aliases are followed.
ALIAS_BOMB = "\nlol0: &l0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10))

MUTATIONS: list[tuple[str, Callable[[Path], None], str]] = [
    ("duplicate max_daily_mg",
     lambda r: _sub(r, MONOGRAPH, r"^(\s+)max_daily_mg: (\d+)$", r"\g<0>\n\g<1>max_daily_mg: 800"),
     "baclofen.yaml: not valid YAML (line"),
    ("duplicate point key",
     lambda r: _sub(r, MONOGRAPH, r"^(\s+)critical: true$", r"\g<0>\n\g<1>critical: false"),
     "duplicate key 'critical'"),
    ("duplicate medicine class key",
     lambda r: _sub(r, MEDICINES, r"^(\s+)warning: (.*)$", r"\g<0>\n\g<1>warning: none"),
     "medicines.yaml: not valid YAML (line"),
    ("duplicate key in a scenario",
     lambda r: _sub(r, "scenarios/pregnancy.yaml", r"^(title: .*)$", r"\g<0>\n\g<1>"),
     "duplicate key 'title'"),
    ("missing key", lambda r: _edit_data(r, MONOGRAPH, _missing_key),
     "baclofen.yaml: regions.uk.max_daily_mg: missing (required)"),
    ("missing patient text", lambda r: _edit_data(r, MONOGRAPH, _missing_point_text),
     ".patient_text: missing (required)"),
    ("wrong type: number as text", lambda r: _edit_data(r, MONOGRAPH, _wrong_type_number),
     'baclofen.yaml: regions.us.max_daily_mg: Input should be a valid number (got "80")'),
    ("wrong type: boolean as text", lambda r: _edit_data(r, MONOGRAPH, _wrong_type_bool),
     '.critical: Input should be a valid boolean (got "yes")'),
    ("lone { in patient text", lambda r: _edit_data(r, MONOGRAPH, _bad_template),
     ".patient_text: sentence "),
    ("lone } in why", lambda r: _edit_data(r, MONOGRAPH, _bad_template_in_why),
     ".why: not a valid text template (Single '}' encountered in format string)"),
    ("attribute access in a placeholder", lambda r: _edit_data(r, MONOGRAPH, _attribute_placeholder),
     "{drug.__class__} is not a plain {name} placeholder"),
    ("alias bomb", lambda r: _sub(r, MEDICINES, r"\Z", ALIAS_BOMB),
     "aliases are not allowed in content files"),
    ("merge key",
     lambda r: _sub(r, MONOGRAPH, r"^regions:\n  us:$",
                    "regions:\n  base: &b {label: x}\n  xx:\n    <<: *b\n  us:"),
     "merge keys (<<) are not allowed in content files"),
    ("YAML syntax", lambda r: _sub(r, MONOGRAPH, r"^drug: baclofen$", "drug: [baclofen"),
     "baclofen.yaml: not valid YAML (line"),
    ("missing file", lambda r: (r / MEDICINES).unlink(), "medicines.yaml: file not found"),
    ("impossible date", lambda r: _sub(r, MONOGRAPH, r"^reviewed: .*$", "reviewed: 2026-02-30"),
     "cannot read this value: day is out of range for month"),
    ("number with thousands of digits",
     lambda r: _sub(r, MONOGRAPH, r"^(\s+)max_daily_mg: (\d+)$", r"\g<1>max_daily_mg: " + "9" * 5000),
     "cannot read this value: a number with thousands of digits"),
    ("placeholder where nothing is filled", lambda r: _edit_data(r, MONOGRAPH, _title_placeholder),
     ".title: '{drug}' would print as written: placeholders are filled only in patient_text, "
     "prompt, stopping_text, why"),
]


@pytest.mark.parametrize(("mutate", "fragment"), [m[1:] for m in MUTATIONS],
                         ids=[m[0] for m in MUTATIONS])
def test_each_mutation_is_one_clear_line(mutate, fragment, content, capsys):
    mutate(content)
    start = time.perf_counter()
    code, out, err = _validate(content, capsys)
    assert time.perf_counter() - start < 10  # an alias bomb fails at once, it does not expand
    assert code == 2, (out, err)
    assert "Traceback" not in err
    assert err.count("\n") == 1 and len(err) < 400, err
    assert err.startswith("error: "), err
    assert fragment in err, err


def test_duplicate_key_names_both_lines(content):
    _sub(content, MONOGRAPH, r"^(\s+)max_daily_mg: (\d+)$", r"\g<0>\n\g<1>max_daily_mg: 800")
    with pytest.raises(ContentError) as info:
        load_catalog(content / "monographs", content / MEDICINES)
    first = next(i for i, line in enumerate((paths.MONOGRAPHS_DIR / "baclofen.yaml").read_text(
        encoding="utf-8").splitlines(), start=1) if line.strip().startswith("max_daily_mg:"))
    assert (f"(line {first + 1}, column 5): duplicate key 'max_daily_mg' (first at line {first}); "
            "the second would silently replace the first") in str(info.value)


def test_bad_template_names_the_point_by_id(content):
    index, point_id = _first_point(content)
    _edit_data(content, MONOGRAPH, _bad_template)
    with pytest.raises(ContentError) as info:
        load_catalog(content / "monographs", content / MEDICINES)
    n = len(load_yaml((content / MONOGRAPH).read_text(encoding="utf-8"))["points"][0]["patient_text"])
    assert str(info.value).endswith(
        f"baclofen.yaml: points.{index} ({point_id}).patient_text: sentence {n}: not a valid text "
        "template (expected '}' before end of string); write {{ or }} for a literal brace")


def test_literal_braces_and_real_placeholders_still_validate(content):
    def change(data: Any) -> None:
        data["points"][0]["patient_text"].append("Braces {{like this}} print as they are: {drug}.")

    _edit_data(content, MONOGRAPH, change)
    catalog = load_catalog(content / "monographs", content / MEDICINES)
    assert catalog.monograph("baclofen") is not None


def test_an_unused_anchor_is_harmless_but_any_alias_is_refused():
    assert load_yaml("a: &x 1\nb: 2\n") == {"a": 1, "b": 2}
    with pytest.raises(yaml.YAMLError, match="aliases are not allowed"):
        load_yaml("a: &x 1\nb: *x\n")
    # Same name at different levels is not a duplicate.
    assert load_yaml("a: {b: 1}\nb: {b: 2}\n") == {"a": {"b": 1}, "b": {"b": 2}}


def test_an_odd_id_in_a_key_path_is_quoted_on_one_line(content):
    def change(data: Any) -> None:
        data["classes"][0]["id"] = "a\nb"

    _edit_data(content, MEDICINES, change)
    with pytest.raises(ContentError) as info:
        load_catalog(content / "monographs", content / MEDICINES)
    assert "\n" not in str(info.value)
    assert 'medicines.yaml: classes.0 ("a\\nb").id: String should match pattern' in str(info.value)
