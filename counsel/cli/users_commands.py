"""Users commands: add the first admin (and later accounts), list accounts, show the access log."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, date, datetime
from typing import Any

from counsel.cli.common import EXIT_OK
from counsel.records.accounts import Account
from counsel.records.errors import RecordsError
from counsel.records.store import DbTarget
from counsel.services.accounts import ROLES, AccountsService
from counsel.services.records import RecordsService


def register(sub: Any) -> dict[str, Any]:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL",
                        help="records database: SQLite path or postgresql:// URL "
                             "(default: $COUNSEL_DB or the user data folder)")
    p = sub.add_parser("users", help="accounts: add, list, access log",
                       description="People who sign in at the counter. The first account must "
                                   "be an admin; after that an admin adds the others (--as).")
    usub = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    q = usub.add_parser("add", parents=[common], help="add an account (asks for the PIN/password)")
    q.add_argument("username", help="sign-in name, e.g. jsmith")
    q.add_argument("--name", required=True, help="full name")
    q.add_argument("--role", required=True, choices=ROLES)
    q.add_argument("--registration", default="", help="professional registration number")
    q.add_argument("--branch", default="", help="branch (pharmacy) the person works in")
    q.add_argument("--as", dest="admin", metavar="ADMIN",
                   help="the admin adding it (not needed for the very first account)")
    q.add_argument("--secret-stdin", action="store_true",
                   help="read the new PIN/password (then the admin's, with --as) from stdin "
                        "lines instead of asking")
    for name, text in (("deactivate", "stop an account signing in (it is kept: records name it)"),
                       ("reset", "give an account a new PIN/password (asks for it)")):
        q = usub.add_parser(name, parents=[common], help=text)
        q.add_argument("username")
        q.add_argument("--as", dest="admin", metavar="ADMIN", required=True,
                       help="the admin doing it (asked for their PIN/password)")
        q.add_argument("--secret-stdin", action="store_true",
                       help="read the secrets from stdin lines (the new one first, for reset)")
    q = usub.add_parser("list", parents=[common], help="accounts")
    q = usub.add_parser("log", parents=[common], help="sign-ins, failures, locks (access log)")
    q.add_argument("username", nargs="?", help="one account only")
    return {"users": _users}


def _now() -> datetime:
    return datetime.now(UTC)


def _secret(prompt: str, args: argparse.Namespace, *, confirm: bool) -> str:
    if args.secret_stdin:
        line = sys.stdin.readline()
        if not line:
            raise RecordsError("--secret-stdin: no line left on standard input")
        return line.rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise RecordsError("PIN/password: the two entries differ; nothing was changed")
    return first


def sign_in(service: RecordsService, args: argparse.Namespace) -> None:
    """Sign the --user in for this one command (the PIN is asked for, never an argument)."""
    if not getattr(args, "user", None):
        return
    accounts = AccountsService(service.repo, clock=_now, counter="command line")
    service.actor = accounts.sign_in(args.user, _secret(f"{args.user}'s PIN or password: ", args,
                                                        confirm=False))


def signed_in(db: DbTarget | None, args: argparse.Namespace) -> Account | None:
    """The --user's account, signed in (and logged) exactly as sign_in does; None without --user.

    For `render --record`, which opens the database only to record: the sign-in happens before
    the PDF is written, so a wrong PIN writes nothing."""
    if not getattr(args, "user", None):
        return None
    service = RecordsService.open(db, clock=_now)
    try:
        sign_in(service, args)
        return service.actor
    finally:
        service.close()


def _users(args: argparse.Namespace, today: date) -> int:
    del today
    records = RecordsService.open(args.db, clock=_now)
    try:
        accounts = AccountsService(records.repo, clock=_now, counter="command line")
        return {"add": _add, "list": _list, "log": _log, "deactivate": _deactivate,
                "reset": _reset}[args.users_command](accounts, args)
    finally:
        records.close()


def _add(accounts: AccountsService, args: argparse.Namespace) -> int:
    first = not accounts.users()
    if first and args.role != "admin":
        raise RecordsError("--role: the first account must be an admin (it adds the others)")
    new_secret = _secret(f"PIN or password for {args.username}: ", args, confirm=True)
    by = "first-run"
    if not first:
        if not args.admin:
            raise RecordsError("--as: accounts exist already; an admin adds new ones "
                               "(--as ADMIN, then the admin's PIN/password)")
        admin = accounts.sign_in(args.admin, _secret(f"{args.admin}'s PIN or password: ", args,
                                                     confirm=False))
        if admin.role != "admin":
            raise RecordsError(f"--as: {admin.username} is not an admin")
        by = admin.username
    account = accounts.add_user(args.username, name=args.name, role=args.role,
                                secret=new_secret, registration=args.registration,
                                branch=args.branch, by=by)
    print(f"added {account.describe()}")
    return EXIT_OK


def _as_admin(accounts: AccountsService, args: argparse.Namespace) -> str:
    admin = accounts.sign_in(args.admin, _secret(f"{args.admin}'s PIN or password: ", args,
                                                 confirm=False))
    if admin.role != "admin":
        raise RecordsError(f"--as: {admin.username} is not an admin")
    return admin.username


def _deactivate(accounts: AccountsService, args: argparse.Namespace) -> int:
    by = _as_admin(accounts, args)
    accounts.deactivate(args.username, by=by)
    print(f"{args.username}: deactivated (kept, with everything it recorded)")
    return EXIT_OK


def _reset(accounts: AccountsService, args: argparse.Namespace) -> int:
    new_secret = _secret(f"New PIN or password for {args.username}: ", args, confirm=True)
    by = _as_admin(accounts, args)
    accounts.set_secret(args.username, new_secret, by=by)
    print(f"{args.username}: new PIN/password set")
    return EXIT_OK


def _list(accounts: AccountsService, args: argparse.Namespace) -> int:
    del args
    users = accounts.users()
    if not users:
        print("No accounts yet: add the first admin with `users add NAME --role admin ...`.")
    for a in users:
        state = "" if a.active else "  (deactivated)"
        print(f"{a.username:<16} {a.role:<10} {a.registration:<12} {a.branch:<16} {a.name}{state}")
    return EXIT_OK


def _log(accounts: AccountsService, args: argparse.Namespace) -> int:
    for e in accounts.access_log(args.username):
        where = f" at {e.counter}" if e.counter else ""
        print(f"{e.at:%Y-%m-%d %H:%M:%S} UTC  {e.username:<16} {e.event}{where}  {e.detail}")
    return EXIT_OK
