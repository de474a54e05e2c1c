"""Errors the core raises for bad input: each renders as one line naming the file and field."""

from __future__ import annotations


def first_line(exc: BaseException) -> str:
    """An exception's message cut to its first line (its type's name if it has none): what a
    background job shows the user instead of a traceback."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class CounselError(Exception):
    """Base class for errors a user can act on (shown as one line, never a traceback)."""


class CaseError(CounselError):
    """A case file is unreadable or invalid."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        self.source = source
        self.field = field
        self.problem = problem
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{field}: {problem}" if field else f"{where}{problem}")


class ContentError(CounselError):
    """A shipped content file (monograph, medicine list, scenario) is invalid."""

    def __init__(self, path: str, key_path: str, problem: str) -> None:
        self.path = path
        self.key_path = key_path
        self.problem = problem
        super().__init__(f"{path}: {key_path}: {problem}" if key_path else f"{path}: {problem}")
