"""Loading the shipped content files into an immutable, cached catalog, with one-line errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from counsel import paths
from counsel.core.case_input import key as plain_key
from counsel.core.case_input import quote
from counsel.core.content_yaml import load_yaml
from counsel.core.errors import ContentError
from counsel.core.medicines import MedicineIndex, MedicineList
from counsel.core.monograph import Monograph

M = TypeVar("M", bound=BaseModel)
MAX_CONTENT_BYTES = 5_000_000  # the monograph is ~60 kB; anything this big is not content
# The texts the rules engine fills with str.format_map (counsel.core.rules); their template
# syntax is checked by the Point model. Everywhere else a {name} would print as written.
TEMPLATED_FIELDS = frozenset({"prompt", "patient_text", "stopping_text", "why"})
_PLACEHOLDER_LIKE_RE = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_.]*\}(?!\})")


def _key_path(loc: tuple[int | str, ...], raw: Any) -> str:
    """'points.3 (task_timed_dose).patient_text': list items are named by their id when they have one."""
    parts: list[str] = []
    node = raw
    for p in loc:
        if p in ("function-after", "function-before"):
            continue
        node = node.get(p) if isinstance(node, dict) else (
            node[p] if isinstance(node, list) and isinstance(p, int) and p < len(node) else None)
        ident = node.get("id") if isinstance(node, dict) and isinstance(p, int) else None
        parts.append(f"{p} ({plain_key(ident)})" if isinstance(ident, str) else str(p))
    return ".".join(parts)


def load_model(path: Path, model: type[M]) -> M:
    """Read a YAML file and validate it; any problem becomes one ContentError line."""
    shown = _display(path)
    try:
        if path.stat().st_size > MAX_CONTENT_BYTES:
            raise ContentError(shown, "", f"too large (more than {MAX_CONTENT_BYTES // 1_000_000} MB)")
        raw: Any = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(shown, "", "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = " ".join(str(getattr(exc, "problem", None) or "not valid YAML").split())
        raise ContentError(shown, "", f"not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise ContentError(shown, "", "not valid content: nested too deeply") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(shown, "", f"cannot read ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise ContentError(shown, "", "the top level must be a mapping")
    try:
        # strict: `max_daily_mg: "80"` or `critical: yes-please` is a mistake, not a value to coerce
        # (ints are still accepted where a decimal is expected).
        validated = model.model_validate(raw, strict=True)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = " ".join(str(err["msg"]).removeprefix("Value error, ").split())
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "missing (required)"
        elif "input" in err and isinstance(err["input"], str | int | float | bool):
            msg = f"{msg} (got {quote(err['input'])})"
        key = _key_path(err["loc"], raw)
        # Cross-reference errors name their own path inside the message ("points.3 (x): ...").
        if not key and ": " in msg:
            key, msg = msg.split(": ", 1)
        raise ContentError(shown, key, msg) from None
    _check_untemplated(raw, shown)
    return validated


def _check_untemplated(raw: Any, shown: str) -> None:
    """A {name} outside the filled fields would reach a patient or pharmacist as written."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(raw, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, (*where, str(k))) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*where, str(i))) for i, v in enumerate(node))
        elif isinstance(node, str) and not TEMPLATED_FIELDS.intersection(where):
            found = _PLACEHOLDER_LIKE_RE.search(node)
            if found:
                raise ContentError(
                    shown, _key_path(tuple(int(p) if p.isdigit() else p for p in where), raw),
                    f"'{found[0][:40]}' would print as written: placeholders are filled only in "
                    f"{', '.join(sorted(TEMPLATED_FIELDS))}")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.DATA_ROOT))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Catalog:
    """All drug content: monographs by drug id, and the medicine index for interactions."""

    monographs: dict[str, Monograph]
    medicines: MedicineIndex

    def monograph(self, drug: str) -> Monograph | None:
        return self.monographs.get(drug)


def load_catalog(
    monographs_dir: Path = paths.MONOGRAPHS_DIR, medicines_file: Path = paths.MEDICINES_FILE
) -> Catalog:
    """Load and validate every monograph and the medicine list (uncached)."""
    monographs: dict[str, Monograph] = {}
    files = sorted(monographs_dir.glob("*.yaml"))
    if not files:
        raise ContentError(_display(monographs_dir), "", "no monograph files found")
    for path in files:
        mono = load_model(path, Monograph)
        if mono.drug != path.stem:
            raise ContentError(_display(path), "drug", f"'{mono.drug}' must match the file name")
        monographs[mono.drug] = mono
    medicines = MedicineIndex(load_model(medicines_file, MedicineList))
    _check_medicine_references(monographs, medicines, medicines_file)
    return Catalog(monographs=monographs, medicines=medicines)


def _check_medicine_references(
    monographs: dict[str, Monograph], medicines: MedicineIndex, medicines_file: Path
) -> None:
    for mono in monographs.values():
        source_ids = {s.id for s in mono.sources}
        for cls in medicines.classes.values():
            for sid in cls.sources:
                if sid not in source_ids:
                    raise ContentError(
                        _display(medicines_file), f"classes.{cls.id}.sources",
                        f"source id '{sid}' is not in the {mono.drug} monograph",
                    )
        for i, point in enumerate(mono.points):
            if point.applies is None:
                continue
            for cls_id in _medicine_classes_in(point.applies.model_dump(by_alias=True)):
                if cls_id not in medicines.classes:
                    raise ContentError(
                        f"resources/monographs/{mono.drug}.yaml", f"points.{i}.applies",
                        f"unknown medicine class '{cls_id}'",
                    )


def _medicine_classes_in(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("medicine_class"):
            found.append(node["medicine_class"])
        for value in node.values():
            found.extend(_medicine_classes_in(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_medicine_classes_in(item))
    return found


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The shipped catalog, loaded once per process."""
    return load_catalog()
