"""Desktop app entry point (placeholder until the desktop assistant lands)."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    del argv
    print("Counsel: the desktop app is not built yet. Try: python main.py --help")  # noqa: T201
    return 0
