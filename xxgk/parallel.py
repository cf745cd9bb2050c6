"""How big builds use every core: how many worker processes (and file-writing threads), and work
split into chunks for them.

Workers are forked from the building process (they share its entries, bodies and compiled
templates), so this is used only where `fork` exists. XXGK_WORKERS=1 keeps everything in one process.
"""
from __future__ import annotations

import multiprocessing as mp
import os


def worker_count() -> int:
    return int(os.environ.get("XXGK_WORKERS", 0)) or (os.cpu_count() or 1)


def write_threads() -> int:
    """Threads that create output files: one per core beyond the first, at most four (see
    write.output.OutputWriter._write_file); XXGK_WRITE_THREADS overrides."""
    try:
        return max(1, int(os.environ["XXGK_WRITE_THREADS"]))
    except (KeyError, ValueError):
        return max(1, min(4, (os.cpu_count() or 1) - 1))


def fork_workers(items: int, minimum: int) -> int:
    """How many processes to fork for `items` pieces of work; 0 means do it in this process (fewer
    than `minimum` pieces, where starting workers costs more than it saves; one core; no fork)."""
    workers = worker_count()
    if items < minimum or workers < 2 or "fork" not in mp.get_all_start_methods():
        return 0
    return workers


def chunks(items: int, workers: int, most: int) -> list[range]:
    """Index ranges of about six chunks a worker (at most `most` items each), so the work balances."""
    size = max(1, min(most, items // (workers * 6)))
    return [range(i, min(i + size, items)) for i in range(0, items, size)]
