"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, loopback only.

Real server, no mocks (issue 14). PostgreSQL refuses to run as root, so as root the server runs
as the `postgres` system user (Debian's package creates it) or a `counsel-test` user made here.
Without the binaries: CI fails (the test command installs them); a developer's run skips with
the apt line to install.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

OWNER = "counsel_owner"
PREFIX = "counsel-pg-"
OWNER_FILE = "owner.pid"  # the test process that started the server
APT_HINT = "apt-get install --no-install-recommends postgresql (scripts/bootstrap does it as root)"


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(versions[0]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    user = "postgres"
    try:
        import pwd

        pwd.getpwnam(user)
    except KeyError:
        user = "counsel-test"
        subprocess.run(["useradd", "--system", "--no-create-home", user], check=False,
                       capture_output=True)
    return ["runuser", "-u", user, "--"]


class PgServer:
    """One server for the whole test session; each test gets its own database."""

    def __init__(self, bins: Path) -> None:
        self.bins = bins
        self.prefix = _run_as()
        self.dir = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.dir / OWNER_FILE).write_text(str(os.getpid()))
        self.data = self.dir / "data"
        self.port = _free_port()
        if self.prefix:
            shutil.chown(self.dir, user=self.prefix[2])
        self._run("initdb", "-D", str(self.data), "-U", OWNER, "--auth=trust", "-E", "UTF8",
                  "--no-instructions")
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.prefix, str(self.bins / tool), *args], capture_output=True,
                              text=True, cwd=self.dir, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stderr.strip()[-500:]}")

    def start(self) -> None:
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
                " -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-o", opts,
                  "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, db: str = "postgres", user: str = OWNER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}"

    def sql(self, statement: str, db: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(db), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        self.sql(f"CREATE DATABASE {name}")
        return self.url(name)

    def close(self) -> None:
        if not self.dir.exists():
            return  # closed already
        with contextlib.suppress(RuntimeError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_orphans(bins: Path) -> None:
    """Servers left by a test run that was killed (its owner process is gone): stop them."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not one of ours, or still being set up
        if _alive(owner):
            continue
        subprocess.run([*_run_as(), str(bins / "pg_ctl"), "-D", str(folder / "data"), "-m",
                        "immediate", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _interrupt_on_sigterm() -> None:
    """A run stopped by `timeout` (SIGTERM) still tears its fixtures down, server included."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        test_process = os.getpid()

        def interrupt(signum: int, frame: object) -> None:
            if os.getpid() != test_process:
                # A forked child (e.g. a pool worker) inherited this: die as it would have.
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGTERM)
                return
            raise KeyboardInterrupt(f"signal {signum}")
        signal.signal(signal.SIGTERM, interrupt)


def start_server() -> PgServer:
    """The server, or fail (CI) / skip (a developer without the binaries) with the apt line."""
    bins = _bin_dir()
    if bins is None:
        message = f"PostgreSQL binaries (initdb, pg_ctl) not found: {APT_HINT}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    stop_orphans(bins)
    _interrupt_on_sigterm()
    server = PgServer(bins)
    atexit.register(server.close)  # even if the session is interrupted, no server is left running
    return server
