"""Work on many notes or pages spread over the cores, where that pays.

:func:`fork_map` runs a function over many items in a pool of forked
processes, one per core this process may use.  The function is not sent to
the workers: they are forked from this process and find it where it was
left, so it may be a closure over a whole vault.  Only its results travel
back (pickled), in the order of the items.  A pool is used only from
``minimum`` items, only where ``fork`` exists, and only while no other
thread runs here (a fork copies the locks other threads hold); otherwise,
or when no process can be started, the caller does the work itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

_job: Callable | None = None  # the function the forked workers run


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def workers(count: int, minimum: int) -> int:
    """Processes worth starting for ``count`` items: one per core, at most
    one per ``minimum // 2`` items, and 1 (no pool) below ``minimum`` items
    or with another thread running."""
    if count < minimum or threading.active_count() > 1 or not hasattr(os, "fork"):
        return 1
    return max(1, min(cores(), count // max(1, minimum // 2)))


def fork_map(func: Callable, items: Sequence, minimum: int, chunk: int) -> Iterator | None:
    """``func(item)`` for every item, in order, computed by forked workers;
    None when no pool should or could be used (then the caller runs
    ``func`` itself).  Chunks of ``chunk`` items are the workers' tasks;
    every task is handed out before this returns, so every worker is forked
    before the caller starts any thread.  An exception in ``func`` is raised
    where the iterator reaches its item."""
    global _job
    count = workers(len(items), minimum)
    if count < 2:
        return None
    chunks = [items[start : start + chunk] for start in range(0, len(items), chunk)]
    _job = func
    try:
        pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))
        results = pool.map(_run, chunks)
    except (OSError, ValueError):
        return None
    finally:
        _job = None  # the workers have their own copy already
    return _results(pool, results)


def _results(pool: ProcessPoolExecutor, results) -> Iterator:
    try:
        for part in results:
            yield from part
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run(chunk: Sequence) -> list:
    return [_job(item) for item in chunk]
