"""Loading the shipped content files into an immutable, cached catalog, with one-line errors."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from counsel import paths
from counsel.core.errors import ContentError
from counsel.core.medicines import MedicineIndex, MedicineList
from counsel.core.monograph import Monograph

M = TypeVar("M", bound=BaseModel)
# libyaml's safe loader is ~10x faster than the pure-Python one (content loads at every start);
# both are *safe* loaders: no Python objects are ever built from content.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _key_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc if p not in ("function-after", "function-before"))


def load_model(path: Path, model: type[M]) -> M:
    """Read a YAML file and validate it; any problem becomes one ContentError line."""
    shown = _display(path)
    try:
        raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except FileNotFoundError:
        raise ContentError(shown, "", "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ContentError(shown, "", f"not valid YAML{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(shown, "", f"cannot read ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise ContentError(shown, "", "the top level must be a mapping")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "missing (required)"
        key = _key_path(err["loc"])
        # Cross-reference errors name their own path inside the message ("points.3 (x): ...").
        if not key and ": " in msg:
            key, msg = msg.split(": ", 1)
        raise ContentError(shown, key, msg) from None


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
