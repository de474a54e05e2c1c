"""The desktop app's leaflet PDFs, laid out by a helper process on the machine's other core.

Why a process and not just the worker thread: CPython runs one thread's Python at a time (the
GIL). In one process the window, the core's import and WeasyPrint's import and warm-up (about a
second of Python in all) take turns on one core, however many the machine has, and a render
holds the UI thread up in slices while the pharmacist types. The helper is started before the
window is built and imports and warms WeasyPrint up on the second core meanwhile.

The split: the app works out the leaflet's HTML (view model, checks, Jinja2: a few ms, and every
LeafletError is raised there, as before); the helper only lays that HTML out as a PDF with the
project's own stylesheets (counsel.leaflet.pdf.html_to_pdf, the same call an in-process render
makes, so the bytes are the same). So the helper never loads the core or pydantic, and it gets
plain data, never a pickle. A render that crashes the engine takes the helper down, not the app.

Protocol, over the helper's stdin and stdout (private pipes): frames of a 4-byte big-endian
length and a body. The helper first sends one frame when it is ready (or why it cannot be).
Each request is JSON: {"html", "paper", "large_print", "training"}. Each reply starts with one
byte: b"P" and the PDF, or b"E" and the failure's one line.

`COUNSEL_RENDER_PROCESS=0` renders in the calling thread instead (as before this module).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

from counsel.core.errors import first_line

if TYPE_CHECKING:
    from counsel.core.rules import Counselling
    from counsel.leaflet.options import Paper
    from counsel.services.leaflet import LeafletOptions

log = logging.getLogger(__name__)

SERVE_FLAG = "--render-server"
ENV_SWITCH = "COUNSEL_RENDER_PROCESS"
READY_TIMEOUT_S = 120.0  # import + warm-up: about a second, far more on a loaded or slow disk
RENDER_TIMEOUT_S = 120.0  # a 50-page large-print leaflet takes a few seconds; a hang never ends
HELPER_NICENESS = 10  # lower CPU priority than the app (see serve)
_HEADER = struct.Struct(">I")
MAX_FRAME = 256 * 1024 * 1024


class RenderProcessError(Exception):
    """The helper could not make this leaflet (one line, no patient data)."""


def enabled() -> bool:
    """On unless COUNSEL_RENDER_PROCESS=0; POSIX only (the pipes are read with selectors, which
    take no pipes on Windows: there the worker thread renders, as before)."""
    return os.name == "posix" and os.environ.get(ENV_SWITCH, "1").strip() != "0"


def command() -> list[str]:
    """How to start the helper: this program again, with the server flag."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: the executable is the app
        return [sys.executable, SERVE_FLAG]
    return [sys.executable, "-m", "counsel", SERVE_FLAG]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        # The helper imports this very copy of counsel, wherever the app was started from.
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


# ------------------------------------------------------------------ framing (both ends)
def _write_frame(stream: IO[bytes], body: bytes) -> None:
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    """Read exactly `size` bytes from a pipe; EOFError if it closes, TimeoutError past the deadline."""
    chunks: list[bytes] = []
    remaining = size
    sel = selectors.DefaultSelector() if deadline is not None else None
    try:
        if sel is not None:
            sel.register(fd, selectors.EVENT_READ)
        while remaining:
            if sel is not None and deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    raise TimeoutError
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        if sel is not None:
            sel.close()
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float | None = None) -> bytes:
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    if size > MAX_FRAME:
        raise EOFError  # not a frame of ours: treat the pipe as broken
    return _read_exact(fd, size, deadline)


# ------------------------------------------------------------------ the helper process
def serve() -> NoReturn:
    """The helper's main loop: warm WeasyPrint up, say so, then lay out requests until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is for the app; EOF ends us
    # The window comes first: when both want a core (start-up, typing during a render), the app's
    # threads win. Measured over 2 x 12-16 interleaved --check runs: window shown 0.28-0.32 s
    # against 0.32-0.35 s un-niced, and the first preview no later (0.94-0.98 s against 1.00-1.03).
    with contextlib.suppress(OSError):
        os.nice(HELPER_NICENESS)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print() must never corrupt a frame: stdout now goes to stderr
    stdin = sys.stdin.buffer.fileno()
    from counsel.leaflet.pdf import html_to_pdf, warm_up

    try:
        warm_up()
    except Exception as exc:  # WeasyPrint or its libraries missing: the app shows this line
        _reply(out, b"E" + first_line(exc).encode("utf-8", "replace"))
        _finish(out, 1)
    if not _reply(out, b"P"):
        _finish(out)
    while True:
        try:
            request = _read_frame(stdin)
        except EOFError:
            break
        try:
            job = json.loads(request)
            reply = b"P" + html_to_pdf(str(job["html"]), paper=job["paper"],
                                       large_print=bool(job["large_print"]),
                                       training=bool(job["training"]))
        except Exception as exc:  # one line back to the app; the type only to the log
            log.warning("leaflet layout failed in the helper: %s", type(exc).__name__)
            reply = b"E" + first_line(exc).encode("utf-8", "replace")
        if not _reply(out, reply):
            break
    _finish(out)


def _reply(out: IO[bytes], body: bytes) -> bool:
    """Send a frame; False when the app has gone (closed the pipe), which ends the helper quietly."""
    try:
        _write_frame(out, body)
    except (BrokenPipeError, ValueError):
        return False
    return True


def _finish(out: IO[bytes], code: int = 0) -> NoReturn:
    """Leave at once: remove WeasyPrint's temporary font folder, skip the interpreter's teardown
    (and any flush into a pipe the app has already closed)."""
    from counsel.leaflet.pdf import release_fonts

    release_fonts()
    with contextlib.suppress(OSError):
        out.close()
    sys.stderr.flush()
    os._exit(code)


# ------------------------------------------------------------------ the app's side
class RenderProcess:
    """One helper process, used by any thread (one request at a time), restarted after a crash."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready = False
        self.engine_error = ""  # the helper's own one-line reason it cannot render

    def start(self) -> None:
        """Start the helper now (it warms up while the app builds its window); never blocks."""
        with self._lock:
            self._spawn()

    def _spawn(self) -> None:
        if self.engine_error or (self._proc is not None and self._proc.poll() is None):
            return  # running, or it has said why it cannot render: starting again would not help
        self._stop()  # one that died while idle: close its pipes and reap it first
        self._proc = subprocess.Popen(
            command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_child_env(),
            close_fds=True)

    def wait_ready(self, timeout_s: float = READY_TIMEOUT_S) -> None:
        """Block until the helper has warmed up; RenderProcessError with its reason if it cannot."""
        with self._lock:
            self._ensure_ready(timeout_s)

    def _ensure_ready(self, timeout_s: float) -> subprocess.Popen[bytes]:
        if self.engine_error:
            raise RenderProcessError(self.engine_error)
        self._spawn()
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        if not self._ready:
            try:
                hello = _read_frame(proc.stdout.fileno(), time.monotonic() + timeout_s)
            except (EOFError, TimeoutError) as exc:
                self._stop()
                reason = "did not start in time" if isinstance(exc, TimeoutError) else "stopped"
                raise RenderProcessError(f"the leaflet engine {reason}") from None
            if hello[:1] != b"P":
                self.engine_error = hello[1:].decode("utf-8", "replace") or "the leaflet engine failed"
                self._stop()
                raise RenderProcessError(self.engine_error)
            self._ready = True
        return proc

    def render_html(self, html: str, *, paper: Paper, large_print: bool, training: bool,
                    timeout_s: float = RENDER_TIMEOUT_S) -> bytes:
        """The PDF of this leaflet HTML, laid out by the helper. A crash or hang costs this
        request, not the app: the helper is stopped and the next request starts a fresh one."""
        payload = json.dumps({"html": html, "paper": paper, "large_print": large_print,
                              "training": training}).encode("utf-8")
        with self._lock:
            proc = self._ensure_ready(READY_TIMEOUT_S)
            assert proc.stdin is not None and proc.stdout is not None
            try:
                _write_frame(proc.stdin, payload)
                reply = _read_frame(proc.stdout.fileno(), time.monotonic() + timeout_s)
            except TimeoutError:
                self._stop()
                raise RenderProcessError(
                    f"the leaflet took over {timeout_s:g} s to make and was stopped; try again"
                ) from None
            except (EOFError, OSError):
                self._stop()
                raise RenderProcessError(
                    "the leaflet engine stopped while making this leaflet; try again") from None
        if reply[:1] == b"P":
            return reply[1:]
        raise RenderProcessError(reply[1:].decode("utf-8", "replace") or "the leaflet could not be made")

    def render(self, result: Counselling, options: LeafletOptions, *, today: date,
               timeout_s: float = RENDER_TIMEOUT_S) -> bytes:
        """The leaflet PDF: its HTML worked out here (LeafletError as in-process), laid out there."""
        from counsel.leaflet.render import leaflet_html

        view, html = leaflet_html(result, options, today=today)
        return self.render_html(html, paper=view.paper, large_print=view.large_print,
                                training=view.training, timeout_s=timeout_s)

    def _stop(self) -> None:
        proc, self._proc, self._ready = self._proc, None, False
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=2)  # EOF on stdin: it cleans up its font folder and leaves
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def close(self, wait_s: float = 5.0) -> None:
        """Stop the helper (the app is closing). A leaflet still being made gets `wait_s` to
        finish; after that the helper is killed, so a hung render never holds the app's exit up."""
        if self._lock.acquire(timeout=wait_s):
            try:
                self._stop()
            finally:
                self._lock.release()
            return
        proc = self._proc
        if proc is not None:
            proc.kill()  # the waiting request sees its pipe close: one line, then it lets go

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None


_SHARED: RenderProcess | None = None
_SHARED_LOCK = threading.Lock()


def shared() -> RenderProcess | None:
    """The app's one helper, started on the first call (None: switched off, or it cannot start)."""
    global _SHARED
    if not enabled():
        return None
    with _SHARED_LOCK:
        if _SHARED is None:
            helper = RenderProcess()
            try:
                helper.start()
            except OSError as exc:  # no fork/exec here (sandbox, limits): render in-process instead
                log.warning("leaflet helper process could not start: %s", type(exc).__name__)
                return None
            atexit.register(helper.close)
            _SHARED = helper
        return _SHARED


def render_leaflet_pdf(result: Counselling, options: LeafletOptions, *, today: date) -> bytes:
    """The leaflet PDF: from the helper process when there is one, else in this thread."""
    helper = shared()
    if helper is None:
        from counsel.services.leaflet import render_leaflet_pdf as in_process

        return in_process(result, options, today=today)
    return helper.render(result, options, today=today)


def warm_up() -> None:
    """Ready the first leaflet: this process's share (template, Babel data, font coverage) and
    then the helper's (or, without one, WeasyPrint too, in this thread)."""
    from counsel.services.leaflet import warm_up as in_process
    from counsel.services.leaflet import warm_up_html

    helper = shared()
    if helper is None:
        in_process()
        return
    warm_up_html()
    helper.wait_ready()


def write_leaflet(result: Counselling, options: LeafletOptions, out: Path, *, today: date) -> bytes:
    """services.leaflet.write_leaflet (the PDF only, atomic) with the layout made by the helper."""
    from counsel.leaflet.output import write_atomic
    from counsel.services.leaflet import check_output_paths

    check_output_paths(out)
    pdf = render_leaflet_pdf(result, options, today=today)
    write_atomic(out, pdf)
    return pdf


def records_renderer(result: Counselling, *, paper: Paper, large_print: bool | None, today: date,
                     omit: frozenset[str] = frozenset()) -> bytes:
    """A services.records renderer (reprints) that uses the helper, as the app's previews do."""
    from counsel.services.leaflet import LeafletOptions

    return render_leaflet_pdf(result, LeafletOptions(large_print=large_print, paper=paper, omit=omit),
                              today=today)
