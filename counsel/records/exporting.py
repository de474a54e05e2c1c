"""Exports: JSON (round-trips to equal records) and CSV (one row per record), written atomically."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from counsel.atomic_write import write_atomic as shared_write_atomic
from counsel.atomic_write import write_error_advice
from counsel.records.errors import RecordsError
from counsel.records.models import Record, utc_text

EXPORT_FORMAT = "counsel-records"
EXPORT_VERSION = 1
CSV_COLUMNS = [
    "record_id", "version", "supersedes", "corrected_by", "correction_reason", "session_id",
    "pharmacist", "started_at", "finished_at", "duration_seconds", "patient_ref", "region", "drug",
    "form", "strength", "dose", "times", "plan", "content_version", "warnings", "discussed",
    "understood", "not_discussed", "not_marked", "leaflet_version", "leaflet_language",
    "leaflet_format", "leaflet_sha256", "follow_up_date", "notes", "calendar_checked",
]


def to_json(records: Iterable[Record], *, exported_at: datetime) -> str:
    data = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": utc_text(exported_at),
            "records": [r.to_dict() for r in records]}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def from_json(text: str) -> list[Record]:
    """Read a JSON export back (e.g. to restore or to check it)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordsError(f"export: not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise RecordsError("export: not a Counsel records export")
    if data.get("version") != EXPORT_VERSION:
        raise RecordsError(f"export: version {data.get('version')} is not supported")
    try:
        return [Record.from_dict(r) for r in data["records"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordsError(f"export: a record is incomplete ({exc.__class__.__name__})") from None


def _safe_cell(value: object) -> object:
    # A spreadsheet would run text starting with = + - @ as a formula (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _row(r: Record) -> dict[str, Any]:
    by_status: dict[str, list[str]] = {"discussed": [], "understood": [], "not_discussed": [],
                                       "not_marked": []}
    for p in r.points:
        by_status[p.status].append(f"{p.id} ({p.reason})" if p.reason else p.id)
    leaflet = r.leaflet
    row = {
        "record_id": r.id, "version": r.version, "supersedes": r.supersedes or "",
        "corrected_by": r.correction.by if r.correction else "",
        "correction_reason": r.correction.why if r.correction else "",
        "session_id": r.session_id, "pharmacist": r.pharmacist,
        "started_at": utc_text(r.started_at), "finished_at": utc_text(r.finished_at),
        "duration_seconds": r.duration_seconds, "patient_ref": r.patient_ref, "region": r.region,
        "drug": r.drug, "form": r.form, "strength": r.strength, "dose": r.directions.dose_text,
        "times": " ".join(r.directions.times), "plan": r.plan, "content_version": r.content_version,
        "warnings": "; ".join(f"{w.code}: {w.how if w.acknowledged else 'NOT acknowledged'}"
                              for w in r.warnings),
        **{k: "; ".join(v) for k, v in by_status.items()},
        "leaflet_version": leaflet.content_version if leaflet else "",
        "leaflet_language": leaflet.language if leaflet else "",
        "leaflet_format": (f"{leaflet.format} {leaflet.paper}"
                           f"{' large print' if leaflet.large_print else ''}") if leaflet else "",
        "leaflet_sha256": leaflet.sha256 if leaflet else "",
        "follow_up_date": r.follow_up_date.isoformat() if r.follow_up_date else "",
        "notes": r.notes,
        # yes / no; empty when the case has no calendar (or the record predates the check).
        "calendar_checked": "" if r.calendar_checked is None else
        ("yes" if r.calendar_checked else "no"),
    }
    return {k: _safe_cell(v) for k, v in row.items()}


def to_csv(records: Iterable[Record]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for r in records:
        writer.writerow(_row(r))
    return buf.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write atomically (see counsel.atomic_write); a failure is one RecordsError line."""
    try:
        shared_write_atomic(path, data)
    except OSError as exc:
        raise RecordsError(f"{path}: cannot write ({write_error_advice(exc)})") from None
