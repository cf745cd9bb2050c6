"""XXGK_TIMING=1: how long each stage took, on stderr (for bench/ and profiling)."""
from __future__ import annotations

import os
import sys
import time

_last = [0.0]
_cpu = [0.0, 0.0]


def lap(what: str) -> None:
    if os.environ.get("XXGK_TIMING"):
        now = time.monotonic()
        if _last[0]:
            print(f"[timing] {what}: {now - _last[0]:.3f} s{_cpu_since()}{_memory()}", file=sys.stderr)
        else:
            _cpu_since()
        _last[0] = now


def _cpu_since() -> str:
    """CPU time (user, system) of this process and its finished workers since the last lap."""
    import resource
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    user, system = own.ru_utime + kids.ru_utime, own.ru_stime + kids.ru_stime
    du, ds = user - _cpu[0], system - _cpu[1]
    _cpu[:] = [user, system]
    return f", cpu {du:.2f} u {ds:.2f} s"


def _memory() -> str:
    """This process's memory now and at most so far (Linux)."""
    try:
        with open("/proc/self/status") as f:
            got = dict(line.split(":", 1) for line in f if line.startswith(("VmRSS", "VmHWM")))
        return f"  (RSS {int(got['VmRSS'].split()[0]) // 1024} MB, peak {int(got['VmHWM'].split()[0]) // 1024} MB)"
    except (OSError, KeyError, ValueError):
        return ""
