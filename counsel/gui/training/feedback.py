"""Self-rating first, then the score, the critical items missed and per-point feedback."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from counsel.gui.training.common import FAIL_STYLE, PASS_STYLE, named, topic_label, wrapped
from counsel.gui.training.station import time_text
from counsel.training.scenarios import Scenario
from counsel.training.scoring import EXAMINER_RATINGS, ItemFeedback, Result, action_title


class RatingPage(QWidget):
    """The trainee rates themself before seeing the score (MRCF-style self-assessment)."""

    submitted = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("How did you do?")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: 700;")
        self.explain = wrapped(
            "Before you see your score, rate yourself: what percentage of the important points do you "
            "think you covered? The feedback will show the gap between your rating and your score.")
        self.slider = named(QSlider(Qt.Orientation.Horizontal), "Self-rating slider")
        self.slider.setRange(0, 100)
        self.slider.setValue(50)
        self.spin = named(QSpinBox(), "Self-rating (percent)")
        self.spin.setRange(0, 100)
        self.spin.setSuffix(" %")
        self.spin.setValue(50)
        self.submit_button = named(QPushButton("Show my score"), "Show my score")
        self.submit_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addLayout(row)
        layout.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        self.slider.valueChanged.connect(self.spin.setValue)
        self.spin.valueChanged.connect(self.slider.setValue)
        self.submit_button.clicked.connect(self.submit)

    def set_rating(self, value: int) -> None:
        self.spin.setValue(value)

    def rating(self) -> int:
        return self.spin.value()

    def submit(self) -> None:
        self.submitted.emit(self.rating())


class FeedbackPage(QWidget):
    """The scored result, with what was missed and why it matters."""

    again = Signal()
    choose_another = Signal()
    leaflet_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station_label = named(wrapped(), "Station and what it was about")
        self.station_label.setStyleSheet("font-size: 12pt;")
        self.score_label = named(QLabel(), "Score")
        self.score_label.setStyleSheet("font-size: 26pt; font-weight: 700;")
        self.verdict = named(wrapped(), "Result")
        self.gap_label = named(wrapped(), "Self-rating gap")
        self.time_label = named(wrapped(), "Time used against the guide")
        self.examiner_label = named(wrapped(), "Examiner's rating and comment")
        self.saved_label = named(wrapped(), "Where the attempt was saved")
        self.saved_label.setStyleSheet("color: #555555;")
        self.details = named(QTextBrowser(), "Feedback on each point")
        self.details.setOpenExternalLinks(True)
        self.again_button = named(QPushButton("Try this station again"), "Try this station again")
        self.other_button = named(QPushButton("Choose another station"), "Choose another station")
        self.leaflet_button = named(QPushButton("Practice leaflet…"),
                                    "Save this patient's leaflet, watermarked TRAINING, not for patient use")
        head = QHBoxLayout()
        head.addWidget(self.score_label)
        head.addWidget(self.verdict, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.leaflet_button)
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.other_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.station_label)
        layout.addLayout(head)
        layout.addWidget(self.gap_label)
        layout.addWidget(self.time_label)
        layout.addWidget(self.examiner_label)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self.again_button.clicked.connect(self.again)
        self.other_button.clicked.connect(self.choose_another)
        self.leaflet_button.clicked.connect(self.leaflet_requested)

    def show_result(self, result: Result, scenario: Scenario, saved: str, *,
                    duration_s: int | None = None) -> None:
        spec = scenario.spec
        mode = " (exam mode)" if result.mode == "blind" else ""
        # The neutral title first, then what the station was teaching.
        self.station_label.setText(f"<b>{html.escape(spec.station_title)}</b>{mode} — this station was: "
                                   f"<b>{html.escape(spec.title)}</b>")
        self.score_label.setText(f"{result.score}%")
        verdict, passed = _verdict(result)
        self.verdict.setText(verdict)
        self.verdict.setStyleSheet(PASS_STYLE if passed else FAIL_STYLE)
        self.gap_label.setText(_gap_text(result))
        guide = spec.rubric.time_minutes
        self.time_label.setText("" if duration_s is None else _time_used(duration_s, guide))
        self.examiner_label.setText(_examiner_text(result))
        self.saved_label.setText(saved)
        self.details.setHtml(feedback_html(result))


def _verdict(result: Result) -> tuple[str, bool]:
    if result.passed:
        return f"Passed (pass mark {result.pass_mark}%)", True
    points = [i for i in result.items if i.kind == "point" and i.critical and not i.covered]
    reasons = []
    if points:
        reasons.append("critical item missed — " + ", ".join(html.escape(i.title) for i in points))
    if result.action.missing:
        reasons.append("required action not taken — " + html.escape(action_title(result.action.expected)))
    if reasons:
        return "Station failed: " + "; ".join(reasons), False
    return f"Not passed: below the pass mark of {result.pass_mark}%", False


def _time_used(seconds: int, guide_minutes: int) -> str:
    over = seconds - guide_minutes * 60
    note = f" — {over // 60}:{over % 60:02d} over" if over > 0 else " — within the guide"
    return time_text(seconds, guide_minutes) + note


def _examiner_text(result: Result) -> str:
    if result.examiner_rating is None and not result.examiner_comment:
        return "Examiner: not rated."
    rating = ("not rated" if result.examiner_rating is None
              else f"{result.examiner_rating} – {EXAMINER_RATINGS[result.examiner_rating]}")
    comment = (f" — \u201c{html.escape(result.examiner_comment)}\u201d"
               if result.examiner_comment else "")
    return f"Examiner's global rating: <b>{rating}</b>{comment}"


def _gap_text(result: Result) -> str:
    if result.gap is None:
        return ""
    if result.gap == 0:
        judgement = "spot on"
    elif result.gap > 0:
        judgement = f"you rated yourself {result.gap} points higher than your score"
    else:
        judgement = f"you rated yourself {-result.gap} points lower than your score"
    return f"Your self-rating: <b>{result.self_rating}%</b> — {judgement}."


def feedback_html(result: Result) -> str:
    """The action and any unsafe advice, then missed items (critical first), topics, and what was covered."""
    missed = sorted((i for i in result.items if not i.covered and i.kind != "referral"),
                    key=lambda i: (not i.critical, -i.weight))
    covered = [i for i in result.items if i.covered and i.kind != "referral"]
    parts = ["<style>td,th{padding:2px 8px;} .crit{color:#8a1c12;font-weight:700;}"
             " .miss{color:#8a1c12;} .ok{color:#1e5a1a;} .why{color:#333333;} .src{color:#555555;}</style>"]
    parts.append(_action_html(result))
    given = result.unsafe_given
    if given:
        parts.append(f"<h3 class='miss'>Unsafe advice for this patient ({len(given)})</h3>")
        for bad in given:
            parts.append(f"<p><b>{html.escape(bad.title)}</b> — <span class='miss'>\u2717 discussed, "
                         f"\u2212{bad.penalty} marks</span><br><span class='why'>Why it is wrong here: "
                         f"{html.escape(bad.reason)}</span></p>")
    parts.append(f"<h3>Missed ({len(missed)})</h3>")
    parts.extend(_item_html(i) for i in missed)
    if not missed:
        parts.append("<p class='ok'>Nothing missed.</p>")
    parts.append("<h3>By topic</h3><table><tr><th align='left'>Topic</th><th>Score</th></tr>")
    for topic, pct in result.topic_scores().items():
        parts.append(f"<tr><td>{html.escape(topic_label(topic))}</td><td align='right'>{pct}%</td></tr>")
    parts.append("</table>")
    parts.append(f"<h3>Covered ({len(covered)})</h3>")
    parts.extend(_item_html(i) for i in covered)
    return "".join(parts)


def _action_html(result: Result) -> str:
    action = result.action
    if action.ok:
        mark = "<span class='ok'>\u2713 right</span>"
    elif action.missing:
        mark = "<span class='crit'>\u2717 required action not taken: station failed</span>"
    else:
        mark = f"<span class='miss'>\u2717 not needed here, \u2212{action.weight} marks</span>"
    return (f"<h3>Action</h3><p>Expected: <b>{html.escape(action_title(action.expected))}</b> · "
            f"you chose: <b>{html.escape(action_title(action.given))}</b> — {mark}<br>"
            f"<span class='why'>Why: {html.escape(action.reason)}</span></p>")


def _item_html(item: ItemFeedback) -> str:
    mark = ("<span class='ok'>\u2713 covered</span>" if item.covered
            else "<span class='miss'>\u2717 missed</span>")
    crit = " <span class='crit'>[critical]</span>" if item.critical else ""
    kind = {"question": "Question", "referral": "Referral"}.get(item.kind, "Point")
    out = [f"<p><b>{html.escape(item.title)}</b>{crit} — {mark} · {kind}, weight {item.weight}<br>"]
    if item.kind == "question":
        said = html.escape(item.why)
        out.append(f"<span class='why'>The patient would have said: \u201c{said}\u201d</span>")
    else:
        out.append(f"<span class='why'>Why it matters: {html.escape(item.why)}</span>")
    if item.exclusion:
        out.append(f"<br><span class='src'>Critical on the counter checklist, but not here: "
                   f"{html.escape(item.exclusion)}</span>")
    if item.hint:
        out.append(f"<br><i>{html.escape(item.hint)}</i>")
    if item.sources:
        links = ", ".join(f"<a href='{html.escape(s.url, quote=True)}'>{html.escape(s.id)}</a>"
                          f" ({html.escape(s.title)})" for s in item.sources)
        out.append(f"<br><span class='src'>Sources: {links}</span>")
    out.append("</p>")
    return "".join(out)
