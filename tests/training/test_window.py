"""The training window, driven like a trainee would: ask, tick, finish, rate, read the feedback."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime

import pytest

from counsel.gui.training import open_training_window
from counsel.gui.training.window import TrainingWindow
from counsel.services.training import TrainingService

pytestmark = pytest.mark.gui
WHEN = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def records_db(tmp_path, monkeypatch):
    """Point the counselling records database at tmp_path, to prove training never touches it."""
    path = tmp_path / "records" / "counsel-records.sqlite3"
    monkeypatch.setenv("COUNSEL_DB", str(path))
    return path


@pytest.fixture
def window(qtbot, tmp_path, catalog, records_db):
    service = TrainingService(db_path=tmp_path / "training" / "training.sqlite3", catalog=catalog)
    win = TrainingWindow(service, clock=lambda: WHEN)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    service.close()


def test_a_full_attempt_reveals_facts_scores_and_saves_to_training_only(qtbot, window, tmp_path,
                                                                       records_db):
    window.chooser.trainee.setText("Sam Trainee")
    window.chooser.select("driver-who-drinks")
    assert "Marcus Reid" in window.chooser.preview.text()
    assert window.chooser.start_button.isEnabled()
    window.chooser.start_button.click()
    assert window.stack.currentWidget() is window.station
    station = window.station
    assert "Door sign" in station.door_sign.text()

    # Hidden facts: not on the checklist until the matching question is asked.
    assert "alcohol_regular" not in station.visible_point_ids()
    with qtbot.waitSignal(station.question_asked) as asked:
        station.questions.setCurrentRow(0)
        station.ask_button.click()
    assert asked.args == ["alcohol"]
    assert "A few beers most evenings" in station.transcript.toPlainText()
    assert "alcohol_regular" in station.visible_point_ids()
    answer = station.ask("drives")
    assert "delivery van" in answer
    assert "driving_driver" in station.visible_point_ids()

    weak = {"driving_driver", "titration_plan", "your_doses", "alcohol", "never_stop_suddenly",
            "withdrawal_signs", "side_effects_urgent", "missed_dose_us"}
    for pid in weak:
        station.set_discussed(pid)
    assert station.discussed() == weak
    station.finish_button.click()
    assert window.stack.currentWidget() is window.rating
    window.rating.set_rating(90)
    window.rating.submit_button.click()
    assert window.stack.currentWidget() is window.station
    assert station.phase == "marking"
    assert station.examiner_box.isVisibleTo(station)
    with qtbot.waitSignal(window.attempt_finished) as done:
        station.score_button.click()
    result = done.args[0]

    assert window.stack.currentWidget() is window.feedback
    assert not result.passed
    assert result.critical_missed == ["alcohol_regular"]
    assert window.feedback.score_label.text() == f"{result.score}%"
    assert "critical item missed" in window.feedback.verdict.text()
    assert "was: <b>A delivery driver who drinks" in window.feedback.station_label.text()
    assert "Regular drinking" in window.feedback.verdict.text()
    assert f"{90 - result.score} points higher" in window.feedback.gap_label.text()
    text = window.feedback.details.toPlainText()
    assert "Regular drinking" in text
    assert "Why it matters: Regular drinking adds to sedation" in text
    assert "US-TAB" in text

    # Stored in the training database only.
    db = tmp_path / "training" / "training.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT trainee, scenario_id, score, passed, self_rating"
                            " FROM attempts").fetchall()
        items = dict(conn.execute("SELECT item_id, covered FROM attempt_items WHERE kind = 'point'"))
    assert rows == [("Sam Trainee", "driver-who-drinks", result.score, 0, 90)]
    assert items["alcohol_regular"] == 0
    assert items["driving_driver"] == 1
    assert not records_db.exists()
    assert not records_db.parent.exists()


def test_a_full_marks_attempt_passes(qtbot, window):
    window.chooser.trainee.setText("Asha")
    window.start("stopped-abruptly")
    station = window.station
    scenario = station.scenario
    for q in scenario.spec.questions:
        station.ask(q.id)
    for item in scenario.rubric_items():
        station.set_discussed(item.point)
    station.set_referred(True)
    station.finish()
    window.rating.submit()
    with qtbot.waitSignal(window.attempt_finished) as done:
        station.score_button.click()
    assert done.args[0].score == 100
    assert done.args[0].passed
    assert "Passed" in window.feedback.verdict.text()
    assert window.saved_attempt_id == 1


def test_no_name_no_start(window):
    window.chooser.trainee.setText("")
    assert not window.chooser.start_button.isEnabled()
    assert "Enter your name" in window.chooser.hint.text()


def test_filters_by_difficulty_and_topic(window):
    chooser = window.chooser
    chooser.difficulty.setCurrentIndex(chooser.difficulty.findData(3))
    assert set(chooser.listed_ids()) == {"alcohol-dependence", "opioid-and-sleeping-tablet",
                                         "stopped-abruptly"}
    chooser.topic.setCurrentIndex(chooser.topic.findData("withdrawal"))
    assert chooser.listed_ids() == ["stopped-abruptly"]
    chooser.difficulty.setCurrentIndex(0)
    chooser.topic.setCurrentIndex(chooser.topic.findData("intrathecal"))
    assert chooser.listed_ids() == ["intrathecal-pump"]


def test_the_chooser_and_station_show_neutral_titles(window):
    chooser = window.chooser
    texts = [chooser.list.item(r).text() for r in range(chooser.list.count())]
    assert any("Repeat collection, 52, MS" in t for t in texts)
    assert not any("stopped suddenly" in t for t in texts)
    chooser.select("stopped-abruptly")
    assert "Topics:" in chooser.meta.text()
    chooser.blind.setChecked(True)
    assert "Topics:" not in chooser.meta.text()  # exam mode: no topic hints either
    chooser.trainee.setText("Asha")
    window.start("stopped-abruptly")
    assert window.station.title.text().startswith("Repeat collection, 52, MS")
    assert "stopped" not in window.station.title.text()


def test_a_blind_station_through_the_counter_cards_stores_the_examiner_rating(qtbot, window, tmp_path):
    from counsel.gui.pages.checklist import PointCard

    window.chooser.trainee.setText("Sam Trainee")
    window.chooser.select("stopped-abruptly")
    window.chooser.blind.setChecked(True)
    window.chooser.start_button.click()
    station = window.station
    assert station.blind
    # The checklist is hidden while the station runs; the action choice is not.
    assert not station.checklist_visible()
    assert station.blind_notice.isVisibleTo(station)
    assert not station.cards_scroll.isVisibleTo(station)
    assert station.action_buttons["urgent"].isVisibleTo(station)
    for q in ("last_dose", "how_feeling", "seeing_things", "drives"):
        station.ask(q)
    station.action_buttons["urgent"].click()
    station.finish_button.click()
    assert window.stack.currentWidget() is window.rating
    assert not station.checklist_visible()  # still hidden while the trainee rates themself
    window.rating.set_rating(75)
    window.rating.submit_button.click()

    # Marking: the counter's own cards, with the three marks.
    assert window.stack.currentWidget() is station
    assert station.checklist_visible()
    cards = station.cards
    assert all(isinstance(c, PointCard) for c in cards.values())
    assert "driving_driver" in cards  # unlocked by asking whether she drove
    assert set(cards["withdrawal_signs"].buttons) == {"pending", "discussed", "understood", "not_discussed"}
    for pid in ("withdrawal_signs", "never_stop_suddenly", "side_effects_urgent", "dont_run_out"):
        cards[pid].buttons["discussed"].click()
    cards["driving_driver"].buttons["understood"].click()
    cards["missed_dose_uk"].buttons["discussed"].click()  # unsafe for her
    cards["tell_hospital"].set_status("not_discussed", "ran out of time")
    station.examiner_rating.setCurrentIndex(station.examiner_rating.findData(3))
    station.examiner_comment.setText("Spotted withdrawal fast; wrong missed-dose advice.")
    with qtbot.waitSignal(window.attempt_finished) as done:
        station.score_button.click()
    result = done.args[0]
    assert result.mode == "blind"
    assert result.action.ok
    assert result.critical_missed == []
    assert [u.id for u in result.unsafe_given] == ["missed_dose_uk"]
    assert result.penalty == 4
    assert not next(i for i in result.points if i.id == "tell_hospital").covered
    assert next(i for i in result.points if i.id == "driving_driver").covered  # understood counts
    feedback = window.feedback
    assert "Unsafe advice for this patient" in feedback.details.toPlainText()
    assert "two days into withdrawal" in feedback.details.toPlainText()
    assert "3 – Clear pass" in feedback.examiner_label.text()
    assert "Time used" in feedback.time_label.text()
    assert "Ran out two days ago" in feedback.station_label.text()

    db = tmp_path / "training" / "training.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute("SELECT mode, examiner_rating, examiner_comment, action_given, self_rating,"
                           " unsafe_penalty FROM attempts").fetchone()
    assert row == ("blind", 3, "Spotted withdrawal fast; wrong missed-dose advice.", "urgent", 75, 4)
    window.tabs.setCurrentWidget(window.progress)
    table = window.progress.table
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[-2:] == ["exam", "3 (clear pass): Spotted withdrawal fast; wrong missed-dose advice."]


def test_an_open_station_shows_the_cards_and_no_examiner_until_finish(window):
    window.chooser.trainee.setText("Asha")
    window.start("older-adult-kidney", blind=False)
    station = window.station
    assert station.checklist_visible()
    assert not station.examiner_box.isVisibleTo(station)
    assert "kidney" not in station.cards  # hidden until she is asked about her kidneys
    station.ask("kidneys")
    assert "kidney" in station.cards
    station.set_mark("kidney", "understood")
    assert station.discussed() == {"kidney"}
    assert station.answers().understood == frozenset({"kidney"})
    assert station.answers().referral == "none"
    station.set_action("contact_prescriber")
    assert station.answers().referral == "contact_prescriber"


def test_reference_browser_searches_every_point(window, catalog):
    ref = window.reference
    assert len(ref.visible_ids()) == len(catalog.monograph("baclofen").points)
    ref.filter.setText("syringe")
    assert ref.visible_ids() == ["liquid_measuring"]
    assert "kitchen spoon" in ref.detail.toPlainText()
    assert "SUSP" in ref.detail.toPlainText()
    ref.filter.setText("no such words here")
    assert ref.visible_ids() == []


def test_progress_tab_lists_attempts_and_exports(qtbot, window, tmp_path):
    window.chooser.trainee.setText("Asha")
    window.start("pregnancy")
    window.station.finish()
    window.rating.submit()
    with qtbot.waitSignal(window.attempt_finished):
        window.station.score_button.click()
    window.tabs.setCurrentWidget(window.progress)
    assert window.progress.table.rowCount() == 1
    assert window.progress.table.item(0, 1).text() == "Asha"
    out = tmp_path / "summary.csv"
    window.progress.export_to(out)
    assert "pregnancy" in out.read_text(encoding="utf-8")


def test_open_training_window_uses_the_env_database(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("COUNSEL_TRAINING_DB", str(tmp_path / "t.sqlite3"))
    win = open_training_window(None)
    qtbot.addWidget(win)
    assert isinstance(win, TrainingWindow)
    assert win.isVisible()
    assert win._service.db_path == tmp_path / "t.sqlite3"
    win.close()


@pytest.mark.pdf
def test_practice_leaflet_is_watermarked(qtbot, window, tmp_path):
    from pypdf import PdfReader

    window.chooser.trainee.setText("Asha")
    window.start("child-oral-liquid")
    window.station.finish()
    with qtbot.waitSignal(window.attempt_finished):
        window.submit_rating(60)
    out = tmp_path / "practice.pdf"
    with qtbot.waitSignal(window.leaflet_saved, timeout=60000) as saved:
        window.save_practice_leaflet(out)
    assert saved.args == [out]
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "TRAINING" in text
    assert "watermarked TRAINING" in window.feedback.saved_label.text()


def test_timer_runs_and_turns_red_over_the_time_guide(qtbot, window, monkeypatch):
    window.chooser.trainee.setText("Asha")
    window.start("driver-who-drinks")
    label = window.station.timer_label
    assert label.text() == "Time used 00:00 of the 6:00 guide"
    assert "#a40000" not in label.styleSheet()
    monkeypatch.setattr(window.station, "elapsed_seconds", lambda: 6 * 60 + 5)
    qtbot.waitUntil(lambda: label.text() == "Time used 06:05 of the 6:00 guide", timeout=3000)
    assert "#a40000" in label.styleSheet()


def test_asking_twice_records_the_question_once(window):
    window.chooser.trainee.setText("Asha")
    window.start("epilepsy")
    window.station.ask("seizures")
    window.station.ask("seizures")
    assert window.station.asked() == ["seizures"]
    assert window.station.transcript.toPlainText().count("Have you ever had fits") == 2
    with pytest.raises(KeyError):
        window.station.set_discussed("interaction_antiepileptic")  # not found yet: not asked


def test_the_station_cards_flag_critical_exactly_as_the_rubric_does(window):
    from counsel.training.scenarios import case_critical

    window.chooser.trainee.setText("Asha")
    window.start("opioid-and-sleeping-tablet", blind=False)
    station = window.station
    for q in station.scenario.spec.questions:
        station.ask(q.id)
    items = {i.point: i for i in station.scenario.rubric_items()}
    cards = station.cards
    assert set(cards) == set(station.scenario.counselling.point_ids())
    for pid, card in cards.items():
        badge = card.objectName() == "critical"
        assert badge == case_critical(station.scenario.point(pid)), pid
        if pid in items and items[pid].exclusion is None:
            assert items[pid].critical == badge, pid  # the counter's CRITICAL is the station's
    assert cards["driving_driver"].objectName() == "critical"
    assert items["driving_driver"].critical
