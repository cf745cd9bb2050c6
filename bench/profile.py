#!/usr/bin/env python3
"""Profile one cold build of the benchmark corpus and print the top of the profile.

    python bench/profile.py --entries 10000 [--search] [--top 25]

Writes the benchmark corpus (bench/corpus.py) into bench/work/profile-n<N>/ if missing, deletes its
output/ and .cache/, runs `build.py build --site … --as-of 2026-01-01 --no-search` under cProfile in a fresh child
(written to profile-<N>.out beside the corpus folder), then prints the top functions by cumulative
and by own time (pstats).
"""
from __future__ import annotations

import argparse
import io
import pstats
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import run  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=10000)
    ap.add_argument("--search", action="store_true", help="profile the build with the search index")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--work", type=Path, default=None,
                    help="corpus folder (default bench/work/profile-n<N>, apart from run.py's, so both can run)")
    args = ap.parse_args()
    work = args.work or BENCH / "work" / f"profile-n{args.entries}"
    site = run.prepare(args.entries, work, ["xxgk"])["xxgk"]
    run.rm(site / "output", site / ".cache", site / ".output.building", site / ".output.old", site / "templates")
    prof = work.parent / f"profile-{args.entries}{'-search' if args.search else ''}.out"
    prof.unlink(missing_ok=True)
    argv = ["build", "--site", str(site), "--as-of", run.AS_OF] + ([] if args.search else ["--no-search"])
    # xxgk.cli.main under the profiler, not build.py: build.py ends with os._exit, before cProfile
    # would write its file
    code = ("import cProfile, sys\nfrom xxgk.cli import main\n"
            "p = cProfile.Profile()\nc = p.runcall(main, sys.argv[2:])\np.dump_stats(sys.argv[1])\nsys.exit(c)")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(prof), *argv], cwd=REPO, check=True)
    print(f"profiled build: {time.perf_counter() - t:.1f} s wall (with the profiler's overhead) → {prof}")
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        st = pstats.Stats(str(prof), stream=buf)
        st.strip_dirs().sort_stats(key).print_stats(args.top)
        print(f"\n=== top {args.top} by {key} ===")
        print("\n".join(l for l in buf.getvalue().splitlines() if l.strip() and not l.startswith("   Random")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
