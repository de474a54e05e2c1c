"""Limits on raw case input: file size, nesting, dates, text, and short quoting in error lines.

A case file comes from a pharmacist's folder, another tool or a damaged disk. Everything here
turns hostile or broken input into one short line instead of a traceback, a hang or a 5 MB echo.
"""

from __future__ import annotations

import errno
import json
import re
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 1_000_000  # a real case file is a few kB; the largest legal one is ~20 kB
MAX_DEPTH = 8  # the case format nests 3 levels (case > prescription > titration > value)
MAX_QUOTE = 30  # characters of a bad value quoted back in an error line
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)  # + the longest calendar (400 steps x 60 days) stays in range

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Control characters (C0, DEL, C1) and lone surrogates: they cannot be printed or encoded.
_BAD_LINE_CHARS_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_TEXT_CHARS_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def quote(value: Any, limit: int = MAX_QUOTE) -> str:
    """A bad value as a short JSON-like token: long strings and huge numbers are cut, never echoed."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        if value.bit_length() > 64:
            digits = int(value.bit_length() * 0.30103) + 1
            return f"a number with about {digits} digits"
        return str(value)
    if isinstance(value, str):
        if len(value) > limit:
            return f"{json.dumps(value[:limit], ensure_ascii=True)[:-1]}…\" ({len(value)} characters)"
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    text = json.dumps(value, default=str, ensure_ascii=True)
    return text if len(text) <= limit else f"{text[:limit]}…"


def key(part: Any, limit: int = 40) -> str:
    """A field name or file name as printed: readable names as they are (any script, spaces), and
    anything long, blank or holding a line break or control character quoted and cut."""
    text = str(part)
    plain = 0 < len(text) <= limit and text.strip() == text and not _BAD_LINE_CHARS_RE.search(text)
    return text if plain else quote(text)


def read_json(path: Path, what: str = "a case file") -> Any:
    """The JSON in a file; every failure is a ValueError with a short plain reason.

    Checked before opening: a folder, a FIFO (would block) or a device (/dev/zero never ends)
    is refused, and at most MAX_FILE_BYTES are read.
    """
    try:
        text = _read_text(path, what)
    except OSError as exc:
        raise ValueError(read_problem(exc)) from None
    except UnicodeDecodeError:
        raise ValueError(f"not UTF-8 text (is it {what}?)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") \
            from None
    except RecursionError:
        raise ValueError(f"not {what}: nested more than {MAX_DEPTH} levels deep") from None
    except ValueError:
        # Python refuses integers of more than 4,300 digits (a denial-of-service guard).
        raise ValueError(f"not {what}: holds a number with thousands of digits") from None


def _read_text(path: Path, what: str) -> str:
    st = path.stat()  # follows links: a link loop fails here with ELOOP
    if stat.S_ISDIR(st.st_mode):
        raise ValueError(f"is a folder, not {what}")
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("is not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise ValueError(_too_large(st.st_size, what))
    with path.open("rb") as fh:
        raw = fh.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(_too_large(len(raw), what))
    return raw.decode("utf-8")


def _too_large(size: int, what: str) -> str:
    return (f"the file is too large ({size / 1_000_000:.1f} MB; "
            f"{what} is at most {MAX_FILE_BYTES // 1_000_000} MB)")


def read_problem(exc: OSError) -> str:
    """A plain reason for an OSError while reading, without the (possibly long) file name."""
    reasons = {
        errno.ENOENT: "file not found",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "too many levels of symbolic links (a link loop?)",
        errno.ENAMETOOLONG: "the file name is too long",
        errno.ENOTDIR: "a folder in the path is a file",
        errno.EISDIR: "is a folder, not a file",
    }
    return reasons.get(exc.errno or 0) or f"cannot read the file ({exc.strerror or type(exc).__name__})"


def first_bad_node(data: Any, max_depth: int = MAX_DEPTH) -> tuple[str, str] | None:
    """(field path, problem) for the first part nested too deeply or holding an unprintable string.

    Iterative, so hostile nesting cannot exhaust the Python stack.
    """
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        node, where = stack.pop()
        if len(where) > max_depth:
            return ".".join(where[:max_depth]), f"nested too deeply (more than {max_depth} levels)"
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and _has_surrogate(k):
                    return ".".join(where), "a field name holds an invalid character"
                stack.append((v, (*where, key(k))))
        elif isinstance(node, list):
            stack.extend((v, (*where, str(i))) for i, v in enumerate(node))
        elif isinstance(node, str) and _has_surrogate(node):
            return ".".join(where), "holds an invalid character (a lone surrogate)"
    return None


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def parse_date(value: Any) -> date:
    """A calendar date from a case: 'YYYY-MM-DD' or a date, within EARLIEST_DATE..LATEST_DATE."""
    if isinstance(value, datetime) or not isinstance(value, date | str):
        raise ValueError(f"must be a date like 2026-11-23 (got {quote(value)})")
    day: date
    if isinstance(value, str):
        if not _DATE_RE.match(value.strip()):
            raise ValueError(f"must be a date like 2026-11-23 (got {quote(value)})")
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{quote(value)} is not a real date") from None
    else:
        day = value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"must be between {EARLIEST_DATE.isoformat()} and "
                         f"{LATEST_DATE.isoformat()} (got {day.isoformat()})")
    return day


def single_line(value: str) -> str:
    """A one-line text field (name, medicine, phone): no control characters or line breaks."""
    if _BAD_LINE_CHARS_RE.search(value):
        raise ValueError("must be one line of printable text (no control characters or line breaks)")
    return value


def plain_text(value: str) -> str:
    """A free-text field (notes): line breaks and tabs are fine, other control characters are not."""
    if _BAD_TEXT_CHARS_RE.search(value):
        raise ValueError("holds a control character that cannot be printed")
    return value
