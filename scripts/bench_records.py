"""Records throughput (issue 14): recorded sessions per second on SQLite and on PostgreSQL with 1
and 4 writer processes, and the cost of the record write itself (finish_session).

A "recorded session" is the whole counter flow for one leaflet: start session, mark every point,
acknowledge every warning, save notes, record the leaflet, finish, log the print. With --render
each session also renders the real leaflet PDF (WeasyPrint, warmed up first): "recorded renders";
without it a fixed stand-in PDF is recorded, which isolates the database's share.
Rates count from when every writer is warmed up (process start and imports are not included).
PostgreSQL runs on a throwaway server (initdb in a temporary folder, loopback), as in the tests.

    .venv/bin/python scripts/bench_records.py [--per-writer 25] [--render]
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


def _writer(target: Any, writer: int, count: int,
            render: bool) -> tuple[list[float], int, float]:
    """Record `count` sessions; returns the finish_session (record write) times in seconds, how
    many sessions failed (e.g. SQLite's 5 s busy timeout) and the seconds the loop took."""
    clock = FakeClock(datetime(2026, 11, 23, 9, tzinfo=UTC) + timedelta(days=writer))
    service = RecordsService.open(target, clock=clock, renderer=_fake_pdf)
    case = load_example("older-adult-kidney.json")
    result = service.counselling_for(case, today=date(2026, 11, 23))
    make_pdf = _renderer(result) if render else (lambda: b"%PDF-bench")
    make_pdf()  # warm-up (WeasyPrint's first render is slow), outside the timing
    writes: list[float] = []
    errors = 0
    start = time.perf_counter()
    try:
        for _ in range(count):
            try:
                writes.append(_one(service, case, result, writer, make_pdf()))
            except RecordsError:
                errors += 1
    finally:
        service.close()
    return writes, errors, time.perf_counter() - start


def _renderer(result: Any) -> Any:
    from counsel.services.leaflet import LeafletOptions, render_leaflet_pdf

    return lambda: render_leaflet_pdf(result, LeafletOptions(), today=date(2026, 11, 23))


def _one(service: RecordsService, case: dict[str, Any], result: Any, writer: int,
         pdf: bytes) -> float:
    sid = service.start_session(case, pharmacist=f"W{writer}")
    for point in result.points:
        service.mark_point(sid, point.id, "discussed")
    for w in result.warnings:
        service.acknowledge(sid, w.code, "checked with prescriber")
    service.save_notes(sid, "bench")
    service.save_leaflet(sid, leaflet_given(result, pdf, paper="a4",
                                            large_print=None, rendered_on=date(2026, 11, 23)))
    t0 = time.perf_counter()
    record_id = service.finish_session(sid)
    took = time.perf_counter() - t0
    service.log_print(record_id, by=f"W{writer}")
    return took


def _run(target: Any, writers: int, per_writer: int,
         render: bool) -> tuple[float, list[float], int]:
    RecordsService.open(target, clock=FakeClock()).close()  # create/migrate outside the timing
    with multiprocessing.get_context("spawn").Pool(writers) as pool:
        results = pool.starmap(_writer, [(target, n, per_writer, render) for n in range(writers)])
    writes = [t for r, _, _ in results for t in r]
    elapsed = max(seconds for _, _, seconds in results)
    return len(writes) / elapsed, writes, sum(e for _, e, _ in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-writer", type=int, default=25)
    parser.add_argument("--render", action="store_true", help="render the real PDF each time")
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
                    rate, writes, errors = _run(target, writers, args.per_writer, args.render)
                    ms = sorted(w * 1000 for w in writes)
                    rows.append((engine, writers, rate, statistics.median(ms),
                                 ms[max(int(len(ms) * 0.95) - 1, 0)], errors))
    finally:
        server.close()
    what = "recorded renders/s" if args.render else "recorded sessions/s"
    print(f"| engine | writers | {what} | record write median | p95 | failed |")
    print("| --- | --- | --- | --- | --- | --- |")
    for engine, writers, rate, median, p95, errors in rows:
        print(f"| {engine} | {writers} | {rate:.1f} | {median:.1f} ms | {p95:.1f} ms | {errors} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
