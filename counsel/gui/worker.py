"""Background jobs (catalog load, WeasyPrint warm-up, leaflet renders, printing) off the UI thread.

Jobs run on a private one-thread pool, so they run in order (warm-up before the first render). A job
only computes and returns plain data; its outcome reaches the UI thread through a signal on a carrier
QObject that lives in the UI thread, where the callbacks given to `submit` run. No job touches a widget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from counsel.core.errors import first_line

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[str], None]


class JobSignals(QObject):
    """Carrier for job outcomes: (job id, result) or (job id, one-line error)."""

    succeeded = Signal(int, object)
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], signals: JobSignals) -> None:
        super().__init__()
        self._job_id = job_id
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # a job can fail in many ways; the user gets one line
            # Log the type only: messages may quote patient data.
            log.warning("background job %d failed: %s", self._job_id, type(exc).__name__)
            self._signals.failed.emit(self._job_id, first_line(exc))
        else:
            self._signals.succeeded.emit(self._job_id, result)


class Worker(QObject):
    """Runs callables in order on one background thread; callbacks run on the UI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # keep the thread: WeasyPrint's caches stay warm
        self._signals = JobSignals(self)
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._callbacks: dict[int, tuple[OnDone | None, OnError | None]] = {}
        self._next_id = 0

    def submit(
        self, fn: Callable[[], Any], on_done: OnDone | None = None, on_error: OnError | None = None
    ) -> int:
        """Queue `fn`; `on_done(result)` or `on_error(message)` later runs on the UI thread."""
        self._next_id += 1
        self._callbacks[self._next_id] = (on_done, on_error)
        self._pool.start(_Job(self._next_id, fn, self._signals))
        return self._next_id

    def pending(self) -> int:
        """Jobs queued or running."""
        return len(self._callbacks)

    def wait(self, msecs: int = 30000) -> bool:
        """Drop queued jobs and wait for the running one (closing the window, tests)."""
        self._pool.clear()
        return bool(self._pool.waitForDone(msecs))

    def drain(self, msecs: int = 30000) -> bool:
        """Wait until every queued job has run (none dropped): saves before the app closes."""
        return bool(self._pool.waitForDone(msecs))

    def _on_succeeded(self, job_id: int, result: object) -> None:
        on_done, _ = self._callbacks.pop(job_id, (None, None))
        if on_done is not None:
            on_done(result)

    def _on_failed(self, job_id: int, message: str) -> None:
        _, on_error = self._callbacks.pop(job_id, (None, None))
        if on_error is not None:
            on_error(message)
