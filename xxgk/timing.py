"""XXGK_TIMING=1: how long each stage took, on stderr (for bench/ and profiling)."""
from __future__ import annotations

import os
import sys
import time

_last = [0.0]


def lap(what: str) -> None:
    if os.environ.get("XXGK_TIMING"):
        now = time.monotonic()
        if _last[0]:
            print(f"[timing] {what}: {now - _last[0]:.3f} s{_memory()}", file=sys.stderr)
        _last[0] = now


def _memory() -> str:
    """This process's memory now and at most so far (Linux)."""
    try:
        with open("/proc/self/status") as f:
            got = dict(line.split(":", 1) for line in f if line.startswith(("VmRSS", "VmHWM")))
        return f"  (RSS {int(got['VmRSS'].split()[0]) // 1024} MB, peak {int(got['VmHWM'].split()[0]) // 1024} MB)"
    except (OSError, KeyError, ValueError):
        return ""
