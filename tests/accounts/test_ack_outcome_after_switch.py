"""An acknowledgement given after switch user says " (by NAME)"; its outcome still comes back on
resume (one composer and one parser: counsel.services.release.acknowledgement_how / outcome_of).
The resume in the real window: tests/gui/test_resume_ack_after_switch.py."""

from __future__ import annotations

from counsel.services.accounts import AccountsService
from counsel.services.records import RecordsService
from counsel.services.release import ACK_OUTCOMES, acknowledgement_how, outcome_label, outcome_of
from tests.conftest import load_example

PIN = "482916"
SOUTH_PIN = "730215"


def test_outcome_of_reads_back_what_acknowledgement_how_composes() -> None:
    for key, label in ACK_OUTCOMES.items():
        assert outcome_of(acknowledgement_how(label)) == key
        assert outcome_of(acknowledgement_how(label, by="psouth")) == key
        assert outcome_of(acknowledgement_how(label, by="p.south-2")) == key
    assert acknowledgement_how("Prescriber contacted", by="psouth") == \
        "Prescriber contacted (by psouth)"
    assert acknowledgement_how("Prescriber contacted", by=None) == "Prescriber contacted"
    # Absence: words that are not an outcome give none, with or without a name.
    assert outcome_of("acknowledged on the command line") == ""
    assert outcome_of("checked with prescriber (by psouth)") == ""
    assert outcome_of("Prescriber contacted today") == ""
    assert outcome_of("Prescriber contacted (by") == ""
    # A long "how" still fits the record's 300 characters, name included.
    long = acknowledgement_how("x" * 400, by="psouth")
    assert len(long) == 300 and long.endswith(" (by psouth)")


def test_the_service_composes_with_the_shared_function(records: RecordsService,
                                                       accounts: AccountsService) -> None:
    accounts.add_user("pnorth", name="Priya North", role="pharmacist", secret=PIN,
                      registration="2034567", branch="north", by="first-run")
    accounts.add_user("psouth", name="Sam South", role="pharmacist", secret=SOUTH_PIN,
                      registration="2045678", branch="north", by="first-run")
    case = load_example("older-adult-kidney.json")
    records.actor = accounts.sign_in("pnorth", PIN)
    sid = records.start_session(case, pharmacist="")
    first, second = (w.code for w in records.counselling_for(
        case, today=records.clock().date()).warnings[:2])
    records.acknowledge(sid, first, outcome_label("contacted"))
    records.actor = accounts.sign_in("psouth", SOUTH_PIN)  # switch user mid-session
    records.acknowledge(sid, second, outcome_label("will_contact"))
    hows = {c: a.how for c, a in records.resume(sid).acknowledgements.items()}
    assert hows == {first: "Prescriber contacted",
                    second: "Will contact the prescriber (by psouth)"}
    assert {c: outcome_of(h) for c, h in hows.items()} == {first: "contacted",
                                                           second: "will_contact"}
