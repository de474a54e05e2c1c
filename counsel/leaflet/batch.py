"""A process pool for rendering many leaflets, shut down cleanly.

`multiprocessing.Pool` used as a context manager *terminates* its workers on exit (SIGTERM):
WeasyPrint's FontConfiguration never gets to delete its temporary font folder (~260 KB per
worker per batch left in /tmp). Here the pool is closed and joined, so each worker finishes and
exits normally, and each worker also removes its font folder itself as it exits (a multiprocessing
finaliser, which runs for fork and spawn workers alike). Only an error terminates the pool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing import util
from multiprocessing.context import BaseContext
from multiprocessing.pool import Pool
from typing import Any


def _init_worker(initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
    from counsel.leaflet.pdf import release_fonts

    util.Finalize(None, release_fonts, exitpriority=10)
    if initializer is not None:
        initializer(*initargs)


@contextmanager
def render_pool(ctx: BaseContext, workers: int, initializer: Callable[..., object] | None = None,
                initargs: tuple[Any, ...] = ()) -> Iterator[Pool]:
    """A pool whose workers exit normally (close + join) and leave no temporary font folders."""
    pool = ctx.Pool(workers, initializer=_init_worker, initargs=(initializer, initargs))
    try:
        yield pool
    except BaseException:
        pool.terminate()  # an error or Ctrl+C: stop now (the finalisers may not run)
        pool.join()
        raise
    pool.close()
    pool.join()
