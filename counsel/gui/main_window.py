"""The main window: a sidebar of steps, one page per step, menus and shortcuts for every action."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counsel import paths
from counsel.gui import printing, steps
from counsel.gui.dialogs import FileDialogs, Messages, SettingsDialog
from counsel.gui.files import OutputPathError, save_case_file, write_failure
from counsel.gui.leaflet_actions import LeafletActions
from counsel.gui.pages.checklist import ChecklistPage
from counsel.gui.pages.form_widgets import guard_wheel
from counsel.gui.pages.leaflet import LeafletPage
from counsel.gui.pages.patient import PatientPage
from counsel.gui.pages.schedule import SchedulePage
from counsel.gui.pages.screening import NEW_PATIENT_UNASKED
from counsel.gui.preview import PreviewController, PreviewOptions, warm_up
from counsel.gui.records_link import RecordsLink
from counsel.gui.session_model import SessionModel, one_line_error, shared_catalog
from counsel.gui.settings import AppSettings, load_settings, save_settings
from counsel.gui.widgets import hint_style, named, scaled_font, scrolled, tone
from counsel.gui.worker import Worker
from counsel.services.session import CounsellingSession, leaflet_omit

STEP_HINTS = (
    "Enter the patient's answers and the prescription as written.",
    "Go through each point with the patient; mark what was discussed and acknowledge every warning.",
    "Check the dose calendar against the prescription.",
    "Check the leaflet, then print it or save it as a PDF.",
)


class MainWindow(QMainWindow):
    """Counsel's single window. Pages never talk to each other: everything goes through the model."""

    catalog_ready = Signal()
    engine_ready = Signal()

    def __init__(self, today: Callable[[], date] = date.today, settings: AppSettings | None = None,
                 *, skeleton: bool = False) -> None:
        """skeleton=True (the app's start-up): build the window only (sidebar, pages, menus) so it
        paints before the core and pydantic load; finish_start() then works out the first case."""
        super().__init__()
        self.today = today
        self.settings = settings if settings is not None else load_settings()
        self.model = SessionModel(today, self)
        self.worker = Worker(self)
        self.preview = PreviewController(self.worker, today, self)
        self.case_path: Path | None = None
        self._clean: dict[str, Any] = {}
        self.engine_error = ""
        self.timings: dict[str, float] = {}
        self.setWindowTitle("Counsel")
        self._build_ui()
        self.records = RecordsLink(self)
        self.statusBar().addPermanentWidget(self.records.label)
        self.leaflet_actions = LeafletActions(self)
        self._build_actions()
        self._connect_signals()
        self.case_loaded = False  # set by the first case put on screen (see finish_start)
        if skeleton:
            self._show_skeleton()
        else:
            self.new_case(ask=False)
        self.resize(1280, 800)

    def _show_skeleton(self) -> None:
        """Step 1 and every step 'not started', without touching the core (nothing is worked out yet)."""
        self.go_to(0)
        self.refresh_steps(["not started"] * len(self.pages))
        self._update_title()

    def finish_start(self) -> None:
        """After the first paint: import the core (pydantic) and put the new case on screen."""
        if not self.case_loaded:
            self.new_case(ask=False)

    # --------------------------------------------------------------- layout
    def _build_ui(self) -> None:
        self.patient = PatientPage(self.today())
        self.checklist = ChecklistPage()
        self.schedule = SchedulePage()
        self.leaflet = LeafletPage()
        self.pages: list[QWidget] = [self.patient, self.checklist, self.schedule, self.leaflet]
        for page in self.pages:
            guard_wheel(page)  # scrolling the page never changes a number, date or choice
        self.stack = QStackedWidget()
        self.stack.addWidget(scrolled(self.patient, "Patient and prescription page"))
        self.stack.addWidget(scrolled(self.checklist, "Checklist page"))
        self.stack.addWidget(scrolled(self.schedule, "Schedule page"))
        self.stack.addWidget(self.leaflet)

        self.sidebar = named(QListWidget(), "Steps", "Ctrl+1 to Ctrl+4 jump to a step")
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sidebar.setWordWrap(True)
        self.sidebar.setSpacing(4)
        self.sidebar.setStyleSheet("QListWidget::item { padding: 6px; }")
        self.sidebar.setFont(scaled_font(1.1))
        # Wide enough for the longest step name at any font size (150 % included).
        widest = max(self.sidebar.fontMetrics().horizontalAdvance(f"4. {getattr(p, 'title', '')}")
                     for p in self.pages)
        self.sidebar.setFixedWidth(max(220, widest + 48))
        for _ in self.pages:
            self.sidebar.addItem(QListWidgetItem())

        self.heading = QLabel()
        self.heading.setFont(scaled_font(1.45, bold=True))
        self.heading.setAccessibleName("Current step")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(hint_style())
        self.prev_button = named(QPushButton("◀ Previous"), "Previous step", "Ctrl+PgUp or Alt+Left")
        self.next_button = named(QPushButton("Next ▶"), "Next step", "Ctrl+PgDown or Alt+Right")
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.hint)
        right.addWidget(self.stack, 1)
        right.addLayout(nav)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.sidebar)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self.engine_label = QLabel("Leaflet engine: starting…")
        self.engine_label.setAccessibleName("Leaflet engine status")
        self.statusBar().addPermanentWidget(self.engine_label)

    def _action(
        self,
        menu_name: str,
        text: str,
        slot: Callable[[], object],
        keys: tuple[QKeySequence | str | QKeySequence.StandardKey, ...] = (),
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.menus[menu_name].addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        self.menus = {
            name: bar.addMenu(label)
            for name, label in (
                ("file", "&File"), ("go", "&Go"), ("leaflet", "&Leaflet"), ("tools", "&Tools"),
                ("help", "&Help"),
            )
        }
        std = QKeySequence.StandardKey
        self.actions_by_name: dict[str, QAction] = {
            "new": self._action("file", "&New case", lambda: self.new_case(), (std.New,)),
            "open": self._action("file", "&Open case…", self.open_case, (std.Open,)),
            "save": self._action("file", "&Save case", self.save_case, (std.Save,)),
            "save_as": self._action(
                "file", "Save case &as…", lambda: self.save_case(choose=True), ("Ctrl+Shift+S",)
            ),
            "settings": self._action("file", "Se&ttings…", self.edit_settings, ("Ctrl+,",)),
            "quit": self._action("file", "&Quit", self.close, ("Ctrl+Q",)),
            "next": self._action("go", "&Next step", self.next_step, ("Ctrl+PgDown", "Alt+Right")),
            "previous": self._action("go", "&Previous step", self.previous_step, ("Ctrl+PgUp", "Alt+Left")),
        }
        for i, page in enumerate(self.pages):
            self.actions_by_name[f"step{i + 1}"] = self._action(
                "go", f"{i + 1}. {getattr(page, 'title', '')}", self._go_to_step(i), (f"Ctrl+{i + 1}",)
            )
        self.actions_by_name["problem"] = self._action(
            "go", "Show the &problem field", self.show_problem, ("F8",)
        )
        self.actions_by_name["print"] = self._action(
            "leaflet", "&Print…", self.leaflet_actions.print_leaflet, (std.Print,)
        )
        self.actions_by_name["save_pdf"] = self._action(
            "leaflet", "Save &PDF…", self.leaflet_actions.save_pdf, ("Ctrl+E",)
        )
        self.actions_by_name["refresh"] = self._action(
            "leaflet", "&Refresh preview", self.refresh_preview, ("F5",)
        )
        self.actions_by_name["history"] = self._action(
            "tools", "Counselling &history…", self.records.open_history, ("Ctrl+H",)
        )
        self.actions_by_name["training"] = self._action("tools", "&Training mode…", self.open_training,
                                                        ("Ctrl+T",))
        self.actions_by_name["shortcuts"] = self._action(
            "help", "&Keyboard shortcuts", self.show_shortcuts, ("F1",)
        )

    def _go_to_step(self, index: int) -> Callable[[], None]:
        return lambda: self.go_to(index)

    def _connect_signals(self) -> None:
        self.sidebar.currentRowChanged.connect(self._on_step_changed)
        self.prev_button.clicked.connect(self.previous_step)
        self.next_button.clicked.connect(self.next_step)
        self.patient.edited.connect(self._on_form_edited)
        self.checklist.mark_changed.connect(lambda pid, status, reason: self.model.mark(pid, status, reason))
        self.checklist.acknowledged.connect(self.model.acknowledge)
        self.checklist.notes_changed.connect(self.model.set_notes)
        self.checklist.screening_answered.connect(self.patient.set_answer)
        self.checklist.go_to_patient.connect(lambda: self.go_to(0))
        self.schedule.checked_changed.connect(self.model.set_schedule_checked)
        self.leaflet.large_print_changed.connect(self.patient.large_print.setChecked)
        self.leaflet.region_changed.connect(self._on_leaflet_region)
        self.leaflet.options_changed.connect(self.refresh_preview)
        self.leaflet.print_requested.connect(self.leaflet_actions.print_leaflet)
        self.leaflet.save_requested.connect(self.leaflet_actions.save_pdf)
        self.leaflet.show_missing_button.clicked.connect(lambda: self.leaflet_actions.show_missing())
        self.leaflet.preview_shown.connect(self._on_preview_shown)
        self.model.result_changed.connect(self._on_result_changed)
        self.model.marks_changed.connect(self._on_marks_changed)
        # Autosave: clicks are saved at once, typing once it pauses (marks_changed comes first).
        self.model.marks_changed.connect(self.records.on_marked)
        self.model.changed.connect(self.records.on_changed)
        self.leaflet_actions.handed_over.connect(self.records.handed_over)
        self.leaflet_actions.handed_over.connect(lambda _pdf, how: self._finished(how))
        self.preview.started.connect(lambda: self.leaflet.show_rendering(True))
        self.preview.rendered.connect(lambda pdf, _rev: self.leaflet.show_pdf(pdf))
        self.preview.failed.connect(self._on_preview_failed)

    # ------------------------------------------------------------ start-up
    def start_background(self) -> None:
        """After the window shows: load the content and warm WeasyPrint up, both off the UI thread."""
        # WeasyPrint first: it is the slow part of the first preview. The content is small; if a case
        # is opened meanwhile, the UI thread loads it (once, see shared_catalog).
        self.worker.submit(self._warm_up, lambda _r: self._on_engine_ready(), self._on_engine_error)
        self.worker.submit(shared_catalog, self._on_catalog, self._on_engine_error)
        self.show_printers()
        if not self.settings.pharmacy_name:
            self.statusBar().showMessage(
                "First time here? Add your pharmacy's name and phone in File › Settings (Ctrl+,): "
                "they fill every new case and print on the leaflet.", 30000)

    def start_records(self) -> None:
        """After the window shows: open the counselling records and offer to resume a session."""
        self.records.start()

    def _warm_up(self) -> None:
        """Worker job: warm WeasyPrint up, unless a real render is already waiting (it warms up too)."""
        if not self.preview.has_request():  # a plain attribute read: safe from the worker thread
            warm_up()

    def show_printers(self) -> None:
        default = self.settings.printer or printing.default_printer()
        self.leaflet.set_printers(printing.available_printers(), default)

    def _on_catalog(self, catalog: object) -> None:
        from counsel.core.content import Catalog  # loaded by now: the worker has just used it

        assert isinstance(catalog, Catalog)
        self.patient.set_catalog(catalog)
        self.catalog_ready.emit()

    def _on_engine_ready(self) -> None:
        self.engine_label.setText("Leaflet engine: ready")
        self.engine_ready.emit()

    def _on_engine_error(self, message: str) -> None:
        self.engine_error = message
        self.engine_label.setText("Leaflet engine: not available")
        self.leaflet.show_failure(message)

    # --------------------------------------------------------------- steps
    def go_to(self, index: int) -> None:
        self.sidebar.setCurrentRow(max(0, min(index, len(self.pages) - 1)))

    def next_step(self) -> None:
        self.go_to(self.sidebar.currentRow() + 1)

    def previous_step(self) -> None:
        self.go_to(self.sidebar.currentRow() - 1)

    def current_step(self) -> int:
        return self.sidebar.currentRow()

    def _on_step_changed(self, index: int) -> None:
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        self.heading.setText(
            f"Step {index + 1} of {len(self.pages)}: {getattr(self.pages[index], 'title', '')}"
        )
        self.hint.setText(STEP_HINTS[index])
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.pages) - 1)
        if QApplication.focusWidget() is not self.sidebar:
            # Keyboard users land inside the new page. Deferred: cards a page has just built are
            # shown by a queued call, and only then can they take focus.
            page = self.pages[index]
            QTimer.singleShot(0, lambda: self._focus_first(page))

    @staticmethod
    def _focus_first(page: QWidget) -> None:
        widget = page.nextInFocusChain()
        while widget is not page and widget is not None:
            if page.isAncestorOf(widget) and widget.isVisibleTo(page) and widget.isEnabled() \
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()

    def step_states(self) -> list[steps.StepState]:
        result, session = self.model.result, self.model.session
        return [
            steps.patient_state(self.model.pristine, self.model.error),
            steps.checklist_state(result, session),
            steps.schedule_state(result, session),
            steps.leaflet_state(
                result,
                session,
                failed=bool(self.preview.last_error),
                has_preview=self.preview.pdf_revision >= 0,
            ),
        ]

    def refresh_steps(self, states: list[steps.StepState] | None = None) -> None:
        for i, state in enumerate(states if states is not None else self.step_states()):
            item = self.sidebar.item(i)
            title = getattr(self.pages[i], "title", "")
            item.setText(f"{i + 1}. {title}\n     {steps.SYMBOLS[state]} {state.capitalize()}")
            item.setForeground(QColor(tone(steps.TONES[state])))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Step {i + 1}, {title}: {state}")

    # --------------------------------------------------------- model sync
    def _on_form_edited(self) -> None:
        self.model.set_case_data(self.patient.data())

    def _on_leaflet_region(self, region: str) -> None:
        index = self.patient.region.findData(region)
        if index >= 0:
            self.patient.region.setCurrentIndex(index)

    def _on_result_changed(self) -> None:
        model = self.model
        if model.result is not None and self.patient.catalog is None:
            self.patient.set_catalog(shared_catalog())  # already loaded for this result
        self.refresh_preview(now=False)  # first, so the worker starts while the pages update
        self.patient.show_error(None if model.pristine else model.error)
        self.patient.show_recognition(model.result)
        self.checklist.show_result(model.result, model.session)
        self.schedule.show_result(model.result, model.session.schedule_checked)
        data = model.session.case_data
        self.leaflet.set_options(
            large_print=bool((data.get("patient") or {}).get("large_print")),
            region=str(data.get("region", "us")),
        )
        self.leaflet.set_available(model.result is not None)
        self._show_readiness()
        self.refresh_steps()
        self._update_title()

    def _on_marks_changed(self) -> None:
        self.checklist.update_summary(self.model.result, self.model.session)
        self._show_readiness()
        self.refresh_steps()
        if self.model.result is not None and self.preview.wanted_options() != self.preview_options():
            self.refresh_preview()  # a point marked (or no longer marked) not relevant

    def _show_readiness(self) -> None:
        result, session = self.model.result, self.model.session
        if result is None:
            self.leaflet.readiness.setText("")
            return
        check = self.leaflet_actions.release()
        self.leaflet.show_readiness(len(session.uncovered_critical(result)),
                                    check.summary(codes=False) if check is not None else "")

    def refresh_preview(self, now: bool = False) -> None:
        self.preview.request(self.model.result, self.preview_options(), now=now)

    def preview_options(self) -> PreviewOptions:
        result = self.model.result
        return PreviewOptions(
            large_print=None, paper="letter" if self.leaflet.paper_value() == "letter" else "a4",
            omit=leaflet_omit(self.model.session.marks, result) if result else frozenset(),
        )

    def _on_preview_shown(self, at: float) -> None:
        self.timings.setdefault("first_preview", at)
        self.timings["last_preview"] = at
        self.refresh_steps()

    def _on_preview_failed(self, message: str) -> None:
        self.leaflet.show_failure(message)
        self.refresh_steps()

    def show_problem(self) -> None:
        if self.model.error is not None:
            self.go_to(0)
            self.patient.show_error(self.model.error)
            self.patient.focus_error()

    # ------------------------------------------------------------- files
    def _new_case_data(self) -> dict[str, Any]:
        s = self.settings
        return {
            "region": s.region,
            # Every screening question starts not asked: never a silent "no".
            "patient": {"large_print": s.large_print, **NEW_PATIENT_UNASKED},
            "prescription": {
                "drug": "baclofen",
                "form": "tablet",
                "plan": "start",
                "start_date": self.today().isoformat(),
            },
            "pharmacy": s.pharmacy(),
            "pharmacist": s.pharmacist,
        }

    def is_dirty(self) -> bool:
        return not self.model.pristine and self.model.session.case_data != self._clean

    def new_case(self, *, ask: bool = True) -> bool:
        """Clear everything for the next patient (asks first if the case has unsaved changes)."""
        if ask and self.is_dirty() and not Messages.discard_changes(self):
            return False
        self._load_data(self._new_case_data(), None)
        self.leaflet.set_options(
            large_print=self.settings.large_print, region=self.settings.region, paper=self.settings.paper
        )
        return True

    def _load_data(self, data: dict[str, Any], path: Path | None) -> None:
        self.records.replace_case()  # the case on screen is saved (and stays resumable) first
        self.case_loaded = True
        self.case_path = path
        self.checklist.forget_answers()  # the last patient's answers given on step 2
        self._forget_preview()  # first: the new case's own render is requested by reset()
        self.patient.set_data(data)
        self.model.reset(self.patient.data(), pristine=path is None)
        self._clean = self.model.session.case_data
        self._fresh_start()
        self._update_title()
        if path is not None:
            self.records.flush()  # an opened case file starts a counselling session at once

    def _fresh_start(self) -> None:
        """The next patient starts at the top of every page, with the keyboard on step 1's first
        field (a page left scrolled down would open the next checklist past its warnings)."""
        for index in range(self.stack.count()):
            area = self.stack.widget(index)
            if isinstance(area, QScrollArea):
                area.verticalScrollBar().setValue(0)
                area.horizontalScrollBar().setValue(0)
        self.leaflet.go_to_top()
        self.go_to(0)
        QTimer.singleShot(0, lambda: self._focus_first(self.patient))

    def _finished(self, how: str) -> None:
        """The leaflet was handed over: this session is done, so nothing is 'unsaved' any more and
        the next Ctrl+N asks nothing (the record holds the session)."""
        self._clean = self.model.session.case_data
        self._update_title()
        shown = self.statusBar().currentMessage()
        self.statusBar().showMessage(f"{shown} Session finished: Ctrl+N for the next patient.".strip(),
                                     15000)

    def _forget_preview(self) -> None:
        """A different case: its predecessor's leaflet is neither shown nor saved, even if still rendering."""
        self.preview.forget()
        self.leaflet.document.close()

    def restore_session(self, session: CounsellingSession) -> None:
        """Put a resumed session back on screen: its case, marks, acknowledgements and notes."""
        self.case_path = None
        self._forget_preview()
        self.patient.set_data(session.case_data)
        session.case_data = self.patient.data()
        self.model.restore(session)
        self._clean = {}
        self.go_to(1 if self.model.result is not None else 0)
        self._update_title()

    def open_case(self) -> None:
        path = FileDialogs.open_case(self, self.case_path.parent if self.case_path else paths.EXAMPLES_DIR)
        if path is not None:
            self.open_case_file(path)

    def open_case_file(self, path: Path) -> bool:
        """Load a case file; a bad file shows its one-line error and leaves the current case untouched."""
        if self.is_dirty() and not Messages.discard_changes(self):
            return False
        try:
            # The whole case is worked out before anything on screen changes: a file that cannot
            # be counselled (e.g. a calendar running off the end of time) leaves the current case
            # whole, with a one-line reason.
            from counsel.core.case import load_case
            from counsel.services.casework import counsel

            case = load_case(path, today=self.today())
            counsel(case, catalog=shared_catalog())
        except Exception as exc:  # one error path: nothing escapes as a traceback
            message = one_line_error(exc, path.name)
            self.statusBar().showMessage(f"Not opened: {message}", 15000)
            Messages.warn(self, "Cannot open the case", message)  # the case on screen stays whole
            return False
        self._load_data(case.model_dump(mode="json", exclude_none=True), path)
        self.statusBar().showMessage(f"Opened {path.name}", 5000)
        return True

    def save_case(self, choose: bool = False) -> bool:
        """Write the valid case as the core's JSON file (atomically)."""
        if self.model.result is None:
            error = self.model.error
            Messages.warn(
                self,
                "Cannot save the case yet",
                f"Fix this first: {error}" if error else "The case is empty.",
            )
            self.show_problem()
            return False
        path = self.case_path
        if choose or path is None:
            path = FileDialogs.save_case(self, self._suggested_name(".json", Path.home()))
            if path is None:
                return False
        data = self.model.result.case.model_dump(mode="json", exclude_none=True)
        try:
            save_case_file(path, data, databases=self.databases_in_use())
        except OutputPathError as exc:  # e.g. the records database: refused before anything is written
            Messages.warn(self, "Cannot save the case", str(exc))
            return False
        except OSError as exc:
            Messages.warn(self, "Cannot save the case", write_failure(path, exc))
            return False
        self.case_path = path
        self._clean = self.model.session.case_data
        self.statusBar().showMessage(f"Saved {path.name}", 5000)
        self._update_title()
        return True

    def databases_in_use(self) -> list[Path]:
        """The records database this window has open (the output guard adds the default ones)."""
        service = self.records.service
        return [Path(service.location)] if service is not None else []

    def _suggested_name(self, suffix: str, folder: Path) -> Path:
        if self.case_path is not None:
            return (
                self.case_path.with_suffix(suffix)
                if suffix == ".json"
                else folder / f"{self.case_path.stem}-leaflet{suffix}"
            )
        reference = str((self.model.session.case_data.get("patient") or {}).get("reference") or "")
        stem = "".join(c for c in reference if c.isalnum() or c in "-_") or "case"
        return folder / f"{stem}-{self.today().isoformat()}{'-leaflet' if suffix == '.pdf' else ''}{suffix}"

    def _update_title(self) -> None:
        name = self.case_path.name if self.case_path else "New case"
        self.setWindowTitle(f"Counsel — {name}{' *' if self.is_dirty() else ''}")

    # ----------------------------------------------------------- settings
    def edit_settings(self) -> None:
        updated = SettingsDialog.ask(self, self.settings, printing.available_printers())
        if updated is None:
            return
        self.apply_settings(updated)

    def apply_settings(self, updated: AppSettings) -> None:
        """Store the settings; an untouched new case picks up the new pharmacy details at once."""
        save_settings(updated)
        self.settings = updated
        self.records.apply_settings()
        self.show_printers()
        if self.model.pristine and self.case_path is None:
            self.new_case(ask=False)

    def open_training(self) -> None:
        """Training stations in their own window (imported on first use: not on the start-up path)."""
        from counsel.gui.training import open_training_window

        self.training_window = open_training_window(self)

    def show_shortcuts(self) -> None:
        lines = [
            f"{a.text().replace('&', '')}: {', '.join(k.toString() for k in a.shortcuts())}"
            for a in self.actions_by_name.values()
            if a.shortcuts()
        ]
        Messages.info(self, "Keyboard shortcuts", "\n".join(lines))

    # --------------------------------------------------------------- close
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.is_dirty() and not Messages.discard_changes(self):
            event.ignore()
            return
        self.records.close()
        self.preview.request(None, self.preview_options())
        self.worker.wait(10000)
        event.accept()

    def mark_shown(self) -> None:
        self.timings.setdefault("window_shown", time.perf_counter())
