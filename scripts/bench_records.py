"""Records throughput (issue 14): recorded sessions per second on SQLite and on PostgreSQL with 1
and 4 writer processes, and the cost of the record write itself (finish_session).

A "recorded render" here is the whole counter flow for one leaflet: start session, mark every
point, acknowledge every warning, save notes, record the leaflet, finish, log the print. The PDF
itself is not rendered (see scripts/bench_leaflet.py for that); a fixed fake PDF is recorded.
PostgreSQL runs on a throwaway server (initdb in a temporary folder, loopback), as in the tests.

    .venv/bin/python scripts/bench_records.py [--per-writer 25]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from counsel.records.errors import RecordsError
from counsel.services.records import RecordsService, leaflet_given
from tests.conftest import load_example
from tests.records.conftest import FakeClock


def _fake_pdf(*_: Any, **__: Any) -> bytes:
    return b"%PDF-bench"


def _writer(target: Any, writer: int, count: int) -> tuple[list[float], int]:
    """Record `count` sessions; returns the finish_session (record write) times in seconds and
    how many sessions failed (e.g. SQLite's 5 s busy timeout)."""
    clock = FakeClock(datetime(2026, 11, 23, 9, tzinfo=UTC) + timedelta(days=writer))
    service = RecordsService.open(target, clock=clock, renderer=_fake_pdf)
    case = load_example("older-adult-kidney.json")
    result = service.counselling_for(case, today=date(2026, 11, 23))
    writes: list[float] = []
    errors = 0
    try:
        for _ in range(count):
            try:
                writes.append(_one(service, case, result, writer))
            except RecordsError:
                errors += 1
    finally:
        service.close()
    return writes, errors


def _one(service: RecordsService, case: dict[str, Any], result: Any, writer: int) -> float:
    sid = service.start_session(case, pharmacist=f"W{writer}")
    for point in result.points:
        service.mark_point(sid, point.id, "discussed")
    for w in result.warnings:
        service.acknowledge(sid, w.code, "checked with prescriber")
    service.save_notes(sid, "bench")
    service.save_leaflet(sid, leaflet_given(result, b"%PDF-bench", paper="a4",
                                            large_print=None, rendered_on=date(2026, 11, 23)))
    t0 = time.perf_counter()
    record_id = service.finish_session(sid)
    took = time.perf_counter() - t0
    service.log_print(record_id, by=f"W{writer}")
    return took


def _run(target: Any, writers: int, per_writer: int) -> tuple[float, list[float], int]:
    RecordsService.open(target, clock=FakeClock()).close()  # create/migrate outside the timing
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(writers) as pool:
        results = pool.starmap(_writer, [(target, n, per_writer) for n in range(writers)])
    elapsed = time.perf_counter() - start
    writes = [t for r, _ in results for t in r]
    return len(writes) / elapsed, writes, sum(e for _, e in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-writer", type=int, default=25)
    args = parser.parse_args()
    from tests.records.pg_server import start_server

    server = start_server()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for engine in ("sqlite", "postgresql"):
                for writers in (1, 4):
                    target: Any = (Path(tmp) / f"bench-{writers}.sqlite3" if engine == "sqlite"
                                   else server.new_database())
                    rate, writes, errors = _run(target, writers, args.per_writer)
                    ms = sorted(w * 1000 for w in writes)
                    rows.append((engine, writers, rate, statistics.median(ms),
                                 ms[max(int(len(ms) * 0.95) - 1, 0)], errors))
    finally:
        server.close()
    print("| engine | writers | recorded sessions/s | record write median | p95 | failed |")
    print("| --- | --- | --- | --- | --- | --- |")
    for engine, writers, rate, median, p95, errors in rows:
        print(f"| {engine} | {writers} | {rate:.1f} | {median:.1f} ms | {p95:.1f} ms | {errors} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
