"""Debounced leaflet renders: the latest case and options are rendered off the UI thread.

An edit after a quiet spell renders at once; further edits restart a short timer, and when it fires
one render job starts. Edits during a render mark the preview dirty and one more render follows.
Each PDF carries the revision it was made from and the fingerprint of the case it shows, so Save
and Print can tell whether the preview still matches the case on screen. `forget()` (a new case is
opened) drops renders still in flight: they are never shown or saved under the next patient.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QTimer, Signal

from counsel.gui.worker import Worker

if TYPE_CHECKING:  # annotations only: the window paints before the core (pydantic) loads
    from counsel.core.rules import Counselling

DEBOUNCE_MS = 300


@dataclass(frozen=True)
class PreviewOptions:
    """The leaflet options the GUI offers (turned into services.leaflet.LeafletOptions in the worker)."""

    large_print: bool | None = None
    paper: Literal["a4", "letter"] = "a4"
    omit: frozenset[str] = frozenset()  # points marked not relevant (services.session.leaflet_omit)


def fingerprint(result: Counselling | None) -> str:
    """Identity of the case a leaflet is made from: equal fingerprints, same leaflet content."""
    if result is None:
        return ""
    data = {"case": result.case.model_dump(mode="json"), "region": result.region.label,
            "content": result.monograph.content_version}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def render_pdf(result: Counselling, options: PreviewOptions, today: date) -> bytes:
    """Runs in the worker: the leaflet helper process makes the PDF (services/render_process.py);
    this thread only waits for it, so the window stays responsive."""
    from counsel.services.leaflet import LeafletOptions
    from counsel.services.render_process import render_leaflet_pdf

    return render_leaflet_pdf(
        result, LeafletOptions(large_print=options.large_print, paper=options.paper,
                               omit=options.omit), today=today
    )


def warm_up() -> None:
    """Runs in the worker right after start-up: waits until the leaflet helper is warm."""
    from counsel.services.render_process import warm_up as helper_warm_up

    helper_warm_up()


class PreviewController(QObject):
    """Turns a stream of edits into as few renders as possible, newest wins."""

    started = Signal()
    rendered = Signal(bytes, int)  # pdf, revision
    failed = Signal(str)
    idle = Signal()

    def __init__(
        self,
        worker: Worker,
        today: Callable[[], date],
        parent: QObject | None = None,
        delay_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._today = today
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        self._wanted: tuple[Counselling, PreviewOptions] | None = None
        self.revision = 0  # bumps on every request
        self._running: int | None = None  # revision being rendered
        self.pdf_revision = -1  # revision of the last good PDF
        self.pdf: bytes = b""
        self.pdf_fingerprint = ""  # the case the last good PDF was made from
        self.pdf_options: PreviewOptions | None = None
        self.generation = 0  # bumped by forget(): older renders are dropped when they finish
        self.last_request_at = 0.0
        self.last_error = ""
        self._last_start_at = 0.0

    def request(self, result: Counselling | None, options: PreviewOptions, *, now: bool = False) -> None:
        """Ask for a preview of `result`; renders after the debounce delay (or at once with now=True)."""
        self.revision += 1
        self.last_request_at = time.perf_counter()
        self._wanted = None if result is None else (result, options)
        if result is None:
            self._timer.stop()
            return
        idle = self._running is None and not self._timer.isActive()
        if now or (idle and self.last_request_at - self._last_start_at >= self._timer.interval() / 1000):
            # Leading edge: a single edit (a toggle, a choice) renders at once; a burst of typing
            # then waits for the timer, so at most one render runs and one more follows.
            self._timer.stop()
            self._start()
        else:
            self._timer.start()

    def forget(self) -> None:
        """A different case is on screen: drop the last PDF and any render still running."""
        self.generation += 1
        self.revision += 1
        self._wanted = None
        self._timer.stop()
        self.pdf_revision, self.pdf, self.pdf_fingerprint, self.last_error = -1, b"", "", ""
        self.pdf_options = None

    def has_request(self) -> bool:
        """A case has been handed over for rendering (so a render is queued, running or done)."""
        return self._wanted is not None

    def wanted_options(self) -> PreviewOptions | None:
        """The options of the newest request (None: nothing to render)."""
        return self._wanted[1] if self._wanted is not None else None

    def busy(self) -> bool:
        return self._running is not None or self._timer.isActive()

    def is_current(self) -> bool:
        return self.pdf_revision == self.revision and bool(self.pdf)

    def matches(self, result: Counselling | None, options: PreviewOptions) -> bool:
        """The shown PDF is of exactly this case with these options (safe to save or print)."""
        return (result is not None and bool(self.pdf) and self.pdf_options == options
                and self.pdf_fingerprint == fingerprint(result))

    def _start(self) -> None:
        if self._running is not None or self._wanted is None:
            return  # the running job's completion starts the next one
        result, options = self._wanted
        revision, generation = self.revision, self.generation
        today = self._today()
        self._running = revision
        self._last_start_at = time.perf_counter()
        self.started.emit()
        self._worker.submit(
            lambda: (render_pdf(result, options, today), fingerprint(result)),
            lambda made: self._on_done(revision, generation, options, made),
            lambda message: self._on_error(revision, generation, message),
        )

    def _on_done(self, revision: int, generation: int, options: PreviewOptions, made: object) -> None:
        self._running = None
        assert isinstance(made, tuple)
        pdf, made_from = made
        assert isinstance(pdf, bytes) and isinstance(made_from, str)
        if generation != self.generation:  # made for the previous case: never show it
            self._next()
            return
        self.pdf, self.pdf_revision, self.last_error = pdf, revision, ""
        self.pdf_fingerprint, self.pdf_options = made_from, options
        if self._asks_for_the_same(made_from, options):
            # Asked again meanwhile for the very same case and options (opening a case, then
            # showing the leaflet step): this PDF answers that request too; no second render.
            self.pdf_revision = revision = self.revision
        self.rendered.emit(pdf, revision)
        self._next()

    def _asks_for_the_same(self, made_from: str, options: PreviewOptions) -> bool:
        return (self._wanted is not None and self._wanted[1] == options
                and fingerprint(self._wanted[0]) == made_from)

    def _on_error(self, revision: int, generation: int, message: str) -> None:
        self._running = None
        if revision == self.revision and generation == self.generation:
            self.last_error = message
            self.failed.emit(message)
        self._next()

    def _next(self) -> None:
        if (
            self.revision != self.pdf_revision
            and self._wanted is not None
            and not self._timer.isActive()
            and self.last_error == ""
        ):
            self._start()
        elif not self.busy():
            self.idle.emit()
