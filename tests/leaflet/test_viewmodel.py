"""The view model (no PDF): wording, dates, amounts, calendars and section choice per case."""

from __future__ import annotations

from datetime import date

from counsel.core.content import default_catalog
from counsel.core.rules import counsel_case
from counsel.leaflet.formatting import clock_time, leaflet_locale, long_date, short_date
from counsel.leaflet.options import LeafletOptions
from counsel.leaflet.viewmodel import MAX_DAILY_ROWS, LeafletView, build_view, short_amount
from tests.conftest import TODAY, counsel_for, make_case


def view_for(options: LeafletOptions | None = None, **changes: object) -> LeafletView:
    return build_view(counsel_for(**changes), options or LeafletOptions(), today=TODAY)


def test_dates_follow_the_region() -> None:
    us, uk = leaflet_locale("en", "us"), leaflet_locale("en", "uk")
    assert long_date(date(2026, 11, 23), us) == "Monday, November 23, 2026"
    assert long_date(date(2026, 11, 23), uk) == "Monday, 23 November 2026"
    assert short_date(date(2026, 11, 23), us) == "Mon, Nov 23"
    assert short_date(date(2026, 11, 23), uk) == "Mon 23 Nov"
    assert clock_time("14:00", us) == "2:00\u00a0PM"
    assert clock_time("14:00", uk) == "14:00"


def test_language_picks_the_tag_and_falls_back_to_english_content() -> None:
    assert leaflet_locale("en", "uk").tag == "en-GB"
    assert leaflet_locale("en-US", "uk").tag == "en-US"
    assert leaflet_locale("zh", "uk").tag == "en-GB"  # no Chinese content: the text is English
    assert view_for(region="uk").lang == "en-GB"


def test_timetable_rows_for_each_dose_time() -> None:
    view = view_for(prescription={"dose_mg": 15, "dose_times": ["07:00", "13:00", "22:00"]})
    rows = view.doses.rows
    assert [(r.part, r.time, r.mg, r.amount) for r in rows] == [
        ("Morning", "7:00\u00a0AM", "15 mg", "1½ tablets of 10 mg"),
        ("Afternoon", "1:00\u00a0PM", "15 mg", "1½ tablets of 10 mg"),
        ("Night", "10:00\u00a0PM", "15 mg", "1½ tablets of 10 mg"),
    ]
    assert [r.icon for r in rows] == ["sun", "sun", "moon"]
    assert view.doses.total == "That is 45 mg a day in total."
    assert view.doses.intro == ("Take these doses every day.",)


def test_liquid_amounts_in_ml_with_concentration() -> None:
    view = view_for(prescription={"form": "oral_solution", "strength": "10 mg/5 mL", "dose_mg": 5})
    # Liquids lead with the volume to measure; the mg and the concentration follow.
    assert view.doses.rows[0].mg == "Take 2.5 mL"
    assert view.doses.rows[0].amount == "5 mg of 10 mg/5 mL liquid"
    assert view.header.medicine == "Baclofen oral solution (liquid), 10\u00a0mg in 5\u00a0mL"


def test_titration_shows_first_step_and_a_daily_calendar() -> None:
    view = view_for(prescription={"dose_mg": 5, "plan": "start",
                                  "titration": {"step_mg": 5, "every_days": 3,
                                                "target_dose_mg": 15}})
    assert view.doses.rows[0].mg == "5 mg"
    assert "Monday, November 23, 2026 to Wednesday, November 25, 2026" in view.doses.intro[0]
    assert "goes up step by step" in view.doses.after[0]
    cal = view.calendar
    assert cal is not None
    assert [r.date for r in cal.rows] == ["Mon, Nov 23", "Tue, Nov 24", "Wed, Nov 25",
                                          "Thu, Nov 26", "Fri, Nov 27", "Sat, Nov 28"]
    assert [r.new_step for r in cal.rows] == [True, False, False, True, False, False]
    assert cal.final.startswith("From Sunday, November 29, 2026: 15\u00a0mg (1½ tablets of 10\u00a0mg)")
    assert cal.product == "10 mg tablets"
    assert cal.note.startswith("Amounts are for your 10 mg tablets.")
    assert cal.intro and "step by step" in cal.intro[0].lines[0]
    assert all("calendar" not in " ".join(i.lines) for s in view.sections for i in s.items
               if s.id == "titration")


def test_long_plans_switch_to_period_rows() -> None:
    view = view_for(prescription={"dose_mg": 5, "plan": "start",
                                  "titration": {"step_mg": 5, "every_days": 30,
                                                "target_dose_mg": 20}})
    cal = view.calendar
    assert cal is not None
    daily = [r for r in cal.rows if r.boxes]
    periods = [r for r in cal.rows if not r.boxes]
    assert len(daily) <= MAX_DAILY_ROWS + 30
    assert periods and " to " in periods[0].date
    assert "periods" in cal.note


def test_stop_without_taper_keeps_the_current_dose_until_a_plan() -> None:
    view = view_for(prescription={"plan": "stop"})
    assert view.doses.rows[0].mg == "10 mg"
    assert "until the doctor gives you a plan" in view.doses.intro[0]
    assert view.calendar is None


def test_pump_has_no_timetable_and_a_pump_wallet_card() -> None:
    view = view_for(prescription={"form": "intrathecal", "strength": "500 mcg/mL",
                                  "dose_mg": None, "times_per_day": None})
    assert view.doses.pump and not view.doses.rows
    assert view.calendar is None
    assert "pump clinic sets" in view.wallet.dose
    # Ranked for this patient: the pump refill leads; alcohol (a non-drinker) does not.
    assert [i.title for i in view.key_warnings][:1] == ["Keep every refill appointment"]
    assert "Alcohol adds to drowsiness" in [i.title for i in view.key_warnings][1:]


def test_key_warnings_print_once() -> None:
    view = view_for()
    key_lines = {line for i in view.key_warnings for line in i.lines}
    assert key_lines
    for section in view.sections:
        for item in section.items:
            assert not key_lines & set(item.lines)


def test_large_print_option_overrides_the_case() -> None:
    assert view_for(patient={"large_print": True}).large_print
    assert not view_for(LeafletOptions(large_print=False), patient={"large_print": True}).large_print
    assert view_for(LeafletOptions(large_print=True)).large_print


def test_no_name_no_for_line_and_a_plain_title() -> None:
    view = view_for()
    assert view.header.name == ""
    assert view.title == "Baclofen leaflet"
    assert view.wallet.name == ""


def test_short_amount() -> None:
    assert short_amount("½ tablet of 10 mg") == "½ tablet"
    assert short_amount("2.5 mL of 5 mg/5 mL liquid") == "2.5 mL"


def test_view_is_pure_given_the_date() -> None:
    result = counsel_case(make_case(), default_catalog())
    a = build_view(result, LeafletOptions(), today=TODAY)
    b = build_view(result, LeafletOptions(), today=TODAY)
    assert a == b
    assert build_view(result, LeafletOptions(), today=date(2027, 1, 1)).header.date \
        == "Friday, January 1, 2027"


def test_service_html_is_escaped_and_links_its_stylesheets() -> None:
    from counsel.services.leaflet import render_leaflet_html

    html = render_leaflet_html(counsel_for(patient={"name": "<b>Bo</b>"}), LeafletOptions(large_print=True),
                               today=TODAY)
    assert "For <strong><bdi>&lt;b&gt;Bo&lt;/b&gt;</bdi></strong>" in html
    assert html.count('<link rel="stylesheet"') == 3  # fonts, leaflet, large print
    assert "<title>Baclofen leaflet for &lt;b&gt;Bo&lt;/b&gt;</title>" in html
