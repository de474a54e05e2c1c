"""Case files are written atomically (see counsel.atomic_write): a crash never leaves half a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from counsel.atomic_write import write_atomic


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    write_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
