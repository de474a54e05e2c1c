"""A record as read-only HTML: every field, point, acknowledgement, version and audit line (escaped)."""

from __future__ import annotations

from html import escape

from counsel.records.models import AuditEntry, Record, calendar_check_text


def _row(*cells: object, header: bool = False) -> str:
    tag = "th" if header else "td"
    return "<tr>" + "".join(f"<{tag}>{escape(str(c))}</{tag}>" for c in cells) + "</tr>"


def _when(moment: object) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else ""


def record_html(record: Record, versions: list[Record], audit: list[AuditEntry]) -> str:
    d = record.directions
    mins, secs = divmod(record.duration_seconds, 60)
    parts = [f"<h2>Record {record.id} — version {record.version}</h2>"]
    if record.correction:
        c = record.correction
        parts.append(f"<p><b>Correction</b> of record {record.supersedes} by {escape(c.by)} at "
                     f"{_when(c.at)}: {escape(c.why)}</p>")
    if versions and versions[-1].id != record.id:
        parts.append(f"<p><b>Superseded:</b> the latest version is record {versions[-1].id}.</p>")
    facts = [
        ("Pharmacist", record.pharmacist),
        ("Started", _when(record.started_at)),
        ("Finished", f"{_when(record.finished_at)} ({mins} min {secs} s)"),
        ("Patient reference", record.patient_ref),
        ("Medicine", f"{record.drug} {record.strength} {record.form.replace('_', ' ')}"),
        ("Directions", f"{d.dose_text}, {d.times_per_day} times a day at {', '.join(d.times)}"),
        ("Plan", record.plan),
        ("Calendar", calendar_check_text(record.calendar_checked, record.case)),
        ("Region / content", f"{record.region.upper()} / content version {record.content_version}"),
        ("Follow-up", record.follow_up_date.isoformat() if record.follow_up_date else "none"),
        ("Notes", record.notes or "none"),
    ]
    if record.leaflet:
        lf = record.leaflet
        facts.append(("Leaflet", f"content {lf.content_version}, language {lf.language}, "
                                 f"{lf.format.upper()} {lf.paper}"
                                 f"{', large print' if lf.large_print else ''}, made {lf.rendered_on}"))
        facts.append(("Leaflet SHA-256", lf.sha256))
    else:
        facts.append(("Leaflet", "none recorded"))
    parts.append("<table>" + "".join(_row(k, v) for k, v in facts) + "</table>")
    parts.append("<h3>Checks and warnings</h3>")
    if record.warnings:
        parts.append("<table>" + _row("Code", "Warning", "Acknowledged", "When", header=True)
                     + "".join(_row(w.code, w.message, w.how if w.acknowledged else "NOT acknowledged",
                                    _when(w.at)) for w in record.warnings) + "</table>")
    else:
        parts.append("<p>No warnings.</p>")
    parts.append("<h3>Checklist points</h3>")
    parts.append("<table>" + _row("Section", "Point", "Critical", "Status", "Reason", "When",
                                  header=True)
                 + "".join(_row(p.section, p.title, "yes" if p.critical else "",
                                p.status.replace("_", " "), p.reason, _when(p.at))
                           for p in record.points) + "</table>")
    parts.append("<h3>Versions</h3><ul>" + "".join(
        f"<li>record {v.id}, version {v.version}"
        + (f" — corrected by {escape(v.correction.by)}: {escape(v.correction.why)}" if v.correction
           else " — original") + "</li>" for v in versions) + "</ul>")
    parts.append("<h3>Audit trail</h3><table>" + _row("When", "Who", "What", "Record", "Detail",
                                                      header=True)
                 + "".join(_row(_when(a.at), a.actor, a.action, a.record_id or "", a.detail)
                           for a in audit) + "</table>")
    return "\n".join(parts)
