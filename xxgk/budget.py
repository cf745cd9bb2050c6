"""A CPU-time budget for the work done on one body (issue 27): no body under the size limit may
keep a build busy for minutes, whatever shape the next Markdown or HTML quirk takes.

load/body_limits.py refuses the shapes known to be slow before anything runs; this is the net
under it. `within(seconds)` arms the process's profiling timer (ITIMER_PROF, SIGPROF: CPU time,
so a busy machine does not count against a body) and raises TooSlow when the work inside takes
longer. Only the main thread can take signals (serve rebuilds on its main thread too); on
another thread it does nothing.
The budget is BASE_SECONDS plus SECONDS_PER_MB for each megabyte of the body; the environment
variable XXGK_BODY_SECONDS replaces BASE_SECONDS (tests use it to stay quick).
"""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager

BASE_SECONDS = 10.0
SECONDS_PER_MB = 10.0


class TooSlow(Exception):
    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


def for_body(text: str) -> float:
    base = float(os.environ.get("XXGK_BODY_SECONDS", BASE_SECONDS))
    return base + SECONDS_PER_MB * len(text.encode("utf-8", "surrogatepass")) / 1048576


def message(seconds: float) -> str:
    return (f"正文过于复杂：处理超过 {seconds:.0f} 秒仍未完成（上限：{os.environ.get('XXGK_BODY_SECONDS', f'{BASE_SECONDS:.0f}')} 秒，"
            f"每 MB 正文另加 {SECONDS_PER_MB:.0f} 秒），已停止；常见原因是成千上万个未配对的括号、HTML 标签或代码标记。"
            "请简化正文，或把原文作为附件（PDF）发布")


@contextmanager
def within(seconds: float):
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise TooSlow(seconds)

    old_handler = signal.signal(signal.SIGPROF, expired)
    old_timer = signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, *old_timer)
        signal.signal(signal.SIGPROF, old_handler)
