"""All benchmarks (not tests): the leaflet figures, then the desktop start-up and preview figures.

Run: .venv/bin/python scripts/bench.py   (takes about two minutes on 2 cores; run on a quiet machine)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("bench_leaflet.py", "bench_gui.py"):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=True)
