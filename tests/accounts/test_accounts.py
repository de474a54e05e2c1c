"""Issue 14 people: accounts, argon2 sign-in, audit of sign-ins, slow-down, actor and scopes.

Every test runs on SQLite and on a real PostgreSQL server (db_target is parametrised).
"""

from __future__ import annotations

from typing import Any

import pytest

from counsel.records.errors import NotFoundError, RecordsError, TrainingRefusedError
from counsel.services.accounts import AccountsService, SignInError, delay_after
from counsel.services.records import RecordQuery, RecordsService
from tests.accounts.conftest import FakeSleeper
from tests.conftest import load_example
from tests.records.conftest import counsel_and_finish

PIN = "482916"


def _people(accounts: AccountsService) -> None:
    accounts.add_user("admin", name="Ada Admin", role="admin", secret="correct horse", by="first-run")
    accounts.add_user("pnorth", name="Priya North", role="pharmacist", secret=PIN,
                      registration="2034567", branch="north", by="admin")
    accounts.add_user("psouth", name="Sam South", role="pharmacist", secret="730215",
                      registration="2045678", branch="south", by="admin")
    accounts.add_user("trainee", name="Tom Trainee", role="trainee", secret="905512",
                      branch="north", by="admin")


def test_sign_in_checks_the_argon2_hash_and_logs_success_and_failure(accounts: AccountsService):
    _people(accounts)
    stored = accounts.repo.account("pnorth")
    assert stored is not None and stored[1].startswith("$argon2id$") and PIN not in stored[1]
    assert accounts.sign_in("PNorth ", PIN).username == "pnorth"  # name is case-insensitive
    with pytest.raises(SignInError) as wrong:
        accounts.sign_in("pnorth", "000000")
    with pytest.raises(SignInError) as unknown:
        accounts.sign_in("nobody", PIN)
    # The message never says which half was wrong.
    assert str(wrong.value) == str(unknown.value)
    events = [(e.username, e.event, e.counter) for e in accounts.access_log()]
    assert ("pnorth", "signed_in", "counter 1") in events
    assert ("pnorth", "sign_in_failed", "counter 1") in events
    assert ("nobody", "sign_in_failed", "counter 1") in events
    # Absence: the secret itself is never in the log.
    assert all(PIN not in e.detail and "000000" not in e.detail for e in accounts.access_log())


def test_five_wrong_pins_slow_the_next_try(accounts: AccountsService, sleeper: FakeSleeper):
    _people(accounts)
    for _ in range(5):
        with pytest.raises(SignInError):
            accounts.sign_in("pnorth", "111111")
    assert sleeper.waits == []  # five typos cost nothing
    with pytest.raises(SignInError):
        accounts.sign_in("pnorth", "111111")  # the sixth try waits first
    assert sleeper.waits == [1.0]
    accounts.sign_in("pnorth", PIN)  # even the right PIN waits: it is the 7th try in a row
    assert sleeper.waits == [1.0, 2.0]
    # A success resets the count; another user was never slowed.
    accounts.sign_in("pnorth", PIN)
    accounts.sign_in("psouth", "730215")
    assert sleeper.waits == [1.0, 2.0]


def test_the_delay_grows_and_is_capped() -> None:
    assert [delay_after(n) for n in (0, 4, 5, 6, 7, 20)] == [0, 0, 1, 2, 4, 30]


def test_the_slow_down_is_shared_by_every_counter(records: RecordsService, sleeper: FakeSleeper,
                                                  accounts: AccountsService):
    """Failures are counted in the database, so moving to another counter does not reset them."""
    from tests.accounts.conftest import FAST_HASHER

    _people(accounts)
    other = AccountsService(records.repo, clock=records.clock, sleeper=sleeper,
                            hasher=FAST_HASHER, counter="counter 2")
    for service in (accounts, other) * 3:
        with pytest.raises(SignInError):
            service.sign_in("pnorth", "222222")
    assert sleeper.waits == [1.0]


@pytest.mark.parametrize(("field", "kwargs"), [
    ("PIN", {"secret": "1234"}),
    ("password", {"secret": "short"}),
    ("registration", {"registration": ""}),
    ("role", {"role": "boss"}),
    ("user name", {"username": "A B"}),
])
def test_bad_account_details_are_refused_naming_the_field(accounts: AccountsService, field: str,
                                                          kwargs: dict[str, Any]):
    args: dict[str, Any] = {"username": "pnew", "name": "P New", "role": "pharmacist",
                            "secret": "564738", "registration": "2099999", "by": "admin"}
    args.update(kwargs)
    with pytest.raises(RecordsError, match=field):
        accounts.add_user(args.pop("username"), **args)
    assert accounts.users() == []


def test_a_user_name_is_taken_once_and_a_deactivated_account_cannot_sign_in(
        accounts: AccountsService):
    _people(accounts)
    with pytest.raises(RecordsError, match="already taken"):
        accounts.add_user("pnorth", name="Other", role="admin", secret="12345678", by="admin")
    accounts.deactivate("pnorth", by="admin")
    with pytest.raises(SignInError):
        accounts.sign_in("pnorth", PIN)
    assert accounts.access_log("pnorth")[-1].detail.startswith("account deactivated")


def test_records_prints_and_exports_carry_the_signed_in_person(records: RecordsService,
                                                               accounts: AccountsService):
    _people(accounts)
    records.actor = accounts.sign_in("pnorth", PIN)
    _, record_id = counsel_and_finish(records, load_example("older-adult-kidney.json"),
                                      pharmacist="XX")  # typed initials do not count
    records.log_print(record_id, by="XX")
    records.export("json", by="XX")
    record = records.get(record_id)
    assert record.pharmacist == "pnorth"
    actors = {(a.action, a.actor) for a in records.audit(record_id)}
    assert {("finished", "pnorth"), ("printed", "pnorth"), ("viewed", "pnorth")} <= actors
    assert all(a.actor != "XX" for a in records.repo.audit())
    assert records.repo.record_branch(record_id) == "north"
    assert records.verify().ok


def test_scopes_trainee_sees_nothing_pharmacist_own_branch_admin_all(records: RecordsService,
                                                                     accounts: AccountsService):
    _people(accounts)
    case = load_example("older-adult-kidney.json")
    records.actor = accounts.sign_in("pnorth", PIN)
    _, north = counsel_and_finish(records, case)
    records.actor = accounts.sign_in("psouth", "730215")
    _, south = counsel_and_finish(records, case)
    assert [r.id for r in records.find()] == [south]
    with pytest.raises(NotFoundError):
        records.get(north)
    records.actor = accounts.sign_in("trainee", "905512")
    assert records.find() == [] and records.find(RecordQuery(include_superseded=True)) == []
    with pytest.raises(NotFoundError):
        records.get(south)
    with pytest.raises(RecordsError, match="trainee"):
        records.export("csv", by="trainee")
    with pytest.raises(TrainingRefusedError):
        records.start_session(case, pharmacist="TT")
    records.actor = accounts.sign_in("admin", "correct horse")
    assert sorted(r.id for r in records.find()) == sorted([north, south])


def test_switch_user_and_lock_are_logged(records: RecordsService, accounts: AccountsService):
    _people(accounts)
    first = accounts.sign_in("pnorth", PIN)
    accounts.sign_out(first, event="switched")
    second = accounts.sign_in("psouth", "730215")
    accounts.sign_out(second, event="locked")
    events = [(e.username, e.event) for e in accounts.access_log()][-4:]
    assert events == [("pnorth", "signed_in"), ("pnorth", "switched"), ("psouth", "signed_in"),
                      ("psouth", "locked")]


def test_who_may_see_a_trainees_progress(accounts: AccountsService):
    from counsel.services.accounts import may_see_progress

    _people(accounts)
    accounts.add_user("super", name="Sue Pervisor", role="supervisor", secret="664422",
                      registration="2011111", branch="head office", by="admin")
    accounts.add_user("trainee2", name="Tia South", role="trainee", secret="119933",
                      branch="south", by="admin")
    people = {a.username: a for a in accounts.users()}
    north, south = people["trainee"], people["trainee2"]
    assert may_see_progress(people["super"], north) and may_see_progress(people["super"], south)
    assert may_see_progress(people["pnorth"], north)
    assert not may_see_progress(people["pnorth"], south)  # another branch's trainee
    assert may_see_progress(north, north) and not may_see_progress(north, south)


def test_unfinished_sessions_are_the_signed_in_persons_own(records: RecordsService,
                                                          accounts: AccountsService):
    _people(accounts)
    case = load_example("older-adult-kidney.json")
    records.actor = accounts.sign_in("pnorth", PIN)
    mine = records.start_session(case, pharmacist="")
    records.actor = accounts.sign_in("psouth", "730215")
    theirs = records.start_session(case, pharmacist="")
    assert [s.id for s in records.unfinished_sessions()] == [theirs]
    records.actor = accounts.sign_in("pnorth", PIN)
    assert [s.id for s in records.unfinished_sessions()] == [mine]
    records.actor = accounts.sign_in("trainee", "905512")
    assert records.unfinished_sessions() == []
    records.actor = None
    with pytest.raises(RecordsError, match="sign in first"):
        records.unfinished_sessions()


def test_an_acknowledgement_after_switch_user_names_who_gave_it(records: RecordsService,
                                                                accounts: AccountsService):
    _people(accounts)
    case = load_example("older-adult-kidney.json")
    records.actor = accounts.sign_in("pnorth", PIN)
    sid = records.start_session(case, pharmacist="")
    result = records.counselling_for(case, today=records.clock().date())
    first, second = (w.code for w in result.warnings[:2])
    records.acknowledge(sid, first, "checked with prescriber")
    records.actor = accounts.sign_in("psouth", "730215")  # switch user mid-session
    records.acknowledge(sid, second, "checked with prescriber")
    acks = {c: a.how for c, a in records.resume(sid).acknowledgements.items()}
    assert acks[first] == "checked with prescriber"  # absence: the session's own pharmacist
    assert acks[second] == "checked with prescriber (by psouth)"
