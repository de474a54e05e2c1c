"""User settings (QSettings "Counsel"/"Counsel"): the pharmacy's details and leaflet defaults."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from PySide6.QtCore import QSettings

ORGANISATION = "Counsel"
APPLICATION = "Counsel"

Paper = Literal["a4", "letter"]


@dataclass(frozen=True)
class AppSettings:
    """Everything the settings dialog edits; pharmacy fields fill each new case."""

    pharmacy_name: str = ""
    pharmacy_address: str = ""
    pharmacy_phone: str = ""
    pharmacist: str = ""
    region: Literal["us", "uk"] = "us"
    paper: Paper = "letter"
    large_print: bool = False
    printer: str = ""
    store_full_names: bool = False  # counselling records keep a reference, not the name, unless on

    def pharmacy(self) -> dict[str, str]:
        """The case file's `pharmacy` object."""
        return {"name": self.pharmacy_name, "phone": self.pharmacy_phone, "address": self.pharmacy_address}


def _store() -> QSettings:
    # Tests point QSettings at a temporary folder with QSettings.setPath(); the names never change.
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def _coerce(name: str, raw: Any, default: Any) -> Any:
    if isinstance(default, bool):
        return raw in (True, "true", "1", 1)
    value = str(raw)
    if name == "region" and value not in ("us", "uk"):
        return default
    if name == "paper" and value not in ("a4", "letter"):
        return default
    return value[:200]


def load_settings() -> AppSettings:
    store = _store()
    values: dict[str, Any] = {}
    for f in fields(AppSettings):
        default = getattr(AppSettings, f.name)
        raw = store.value(f.name, default)
        values[f.name] = _coerce(f.name, raw, default)
    return AppSettings(**values)


def save_settings(settings: AppSettings) -> None:
    store = _store()
    for key, value in asdict(settings).items():
        store.setValue(key, value)
    store.sync()
