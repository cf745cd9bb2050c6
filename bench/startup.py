#!/usr/bin/env python3
"""How quickly the command starts: `--version`, `--help` and `check` on the sample site, as
`python build.py` and as the installed `xxgk` (given its path), each the median of N runs.

    python bench/startup.py [--runs 10] [--xxgk /path/to/venv/bin/xxgk]

Goal (issue 21): `xxgk --version` and `xxgk check` start as fast as `python build.py` does;
`--version` and `--help` import neither Jinja, Markdown nor Pagefind (tests/cli/test_cli.py checks).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def median_seconds(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, cwd=REPO, capture_output=True)        # warm-up (file cache)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--xxgk", help="an installed xxgk command to time too")
    args = ap.parse_args()
    entries = {"python build.py": [sys.executable, str(REPO / "build.py")]}
    if args.xxgk:
        entries["xxgk"] = [args.xxgk]
    for name, base in entries.items():
        for what in (["--version"], ["--help"], ["check"]):
            s = median_seconds(base + what, args.runs)
            print(f"{name} {' '.join(what):10} {s * 1000:7.0f} ms (median of {args.runs})")


if __name__ == "__main__":
    main()
