"""Step 1 says what the core will use: the kidney category from the measured value (with a flagged
conflict), and the measurable amount beside "Dose each time", live."""

from __future__ import annotations

import pytest

from counsel.core.facts import kidney_status
from counsel.gui.main_window import MainWindow
from counsel.gui.session_model import shared_catalog

pytestmark = pytest.mark.gui


def fill(window: MainWindow, *, form: str = "tablet", strength: str = "10 mg", dose: float = 5) -> None:
    page = window.patient
    page.set_catalog(shared_catalog())
    page.age.setValue(50)
    page.form_.setCurrentIndex(page.form_.findData(form))
    page.strength.setCurrentText(strength)
    page.dose.setValue(dose)
    page.times.setValue(3)


def test_the_measured_value_shows_its_category_and_a_conflict_is_flagged(window: MainWindow) -> None:
    page = window.patient
    fill(window)
    assert not page.kidney_derived.isVisibleTo(page)  # nothing measured: nothing to show
    page.kidney.setCurrentIndex(page.kidney.findData("moderate"))
    page.crcl.setValue(40)
    text = page.kidney_derived.text()
    assert page.kidney_derived.isVisibleTo(page)
    assert "CrCl 40 mL/min" in text and "<b>moderate</b>" in text
    assert "disagrees" not in text

    page.crcl.setValue(20)  # typed "moderate", measured severe: flagged, not settled quietly
    text = page.kidney_derived.text()
    assert kidney_status("moderate", 20, None).category in text
    assert "disagrees" in text and "(moderate)" in text and "the checks use severe" in text
    result = window.model.result
    assert result is not None
    assert "KIDNEY_VALUES_DISAGREE" in {w.code for w in result.warnings}  # screen and warning agree

    page.egfr.setValue(15)  # the lower measured value decides, as in the core
    assert "eGFR 15" in page.kidney_derived.text()
    assert window.model.session.case_data["patient"]["egfr"] == 15


def test_the_amount_beside_the_dose_is_live(window: MainWindow) -> None:
    page = window.patient
    fill(window)
    assert page.dose_amount.text() == "= ½ tablet of 10 mg"
    page.dose.setValue(20)
    assert page.dose_amount.text() == "= 2 tablets of 10 mg"
    page.strength.setCurrentText("20 mg")
    assert page.dose_amount.text() == "= 1 tablet of 20 mg"

    page.form_.setCurrentIndex(page.form_.findData("oral_solution"))
    page.strength.setCurrentText("5 mg/5 mL")
    page.dose.setValue(2.5)
    assert page.dose_amount.text().startswith("= 2.5 mL of 5 mg/5 mL")

    page.dose.setValue(0)  # no dose: nothing claimed
    assert page.dose_amount.text() == ""
