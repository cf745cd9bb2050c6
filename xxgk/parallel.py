"""How big builds use every core: how many worker processes (and file-writing threads), and work
split into chunks for them.

Workers are forked from the building process (they share its entries, bodies and compiled
templates), so this is used only where `fork` exists. XXGK_WORKERS=1 keeps everything in one process.
`forked` is the one way the generator runs work in other processes.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

_WARNED: set[str] = set()


def env_count(name: str) -> int | None:
    """A positive whole number set in the environment variable `name`; None when unset. Anything
    else is ignored, with one line on stderr saying so (never a traceback)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
        if value >= 1:
            return value
    except ValueError:
        pass
    if name not in _WARNED:
        _WARNED.add(name)
        print(f"警告：环境变量 {name}={raw!r} 不是正整数，已忽略（用默认值）", file=sys.stderr)
    return None


def worker_count() -> int:
    return env_count("XXGK_WORKERS") or (os.cpu_count() or 1)


def write_threads() -> int:
    """Threads that create output files: one per core beyond the first, at most four (see
    write.output.OutputWriter._write_file); XXGK_WRITE_THREADS overrides."""
    return env_count("XXGK_WRITE_THREADS") or max(1, min(4, (os.cpu_count() or 1) - 1))


def fork_workers(items: int, minimum: int) -> int:
    """How many processes to fork for `items` pieces of work; 0 means do it in this process (fewer
    than `minimum` pieces, where starting workers costs more than it saves; one core; no fork)."""
    import multiprocessing as mp      # (here: a build that forks no worker need not import it)
    workers = worker_count()
    if items < minimum or workers < 2 or "fork" not in mp.get_all_start_methods():
        return 0
    return workers


def chunks(items: int, workers: int, most: int) -> list[range]:
    """Index ranges of about six chunks a worker (at most `most` items each), so the work balances."""
    size = max(1, min(most, items // (workers * 6)))
    return [range(i, min(i + size, items)) for i in range(0, items, size)]


_WORK: tuple | None = None     # (function, shared) while `forked` workers run: they inherit it


@contextmanager
def forked(fn: Callable[[Any, Any], Any], shared: Any, workers: int, freeze: bool = False):
    """Worker processes forked from this one, each running `fn(shared, task)`: yields
    `run(tasks, chunksize=1)`, an iterator of the results in the tasks' order. `shared` is not
    pickled: the workers inherit it as it is at the fork (copy-on-write); tasks and results travel
    pickled. `freeze=True`: what this process made so far is frozen before the fork, so the workers'
    cycle collector never touches (and so never copies) those pages of memory (render/site.py)."""
    global _WORK
    import gc
    import multiprocessing as mp
    if freeze:
        gc.freeze()
    _WORK = (fn, shared)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            def run(tasks: Iterable, chunksize: int = 1) -> Iterator:
                return pool.imap(_run, tasks, chunksize)
            yield run
    finally:
        _WORK = None


def _run(task):
    fn, shared = _WORK
    return fn(shared, task)
