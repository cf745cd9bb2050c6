#!/usr/bin/env python3
"""How a cold build's time grows from one corpus size to a larger one, measured in one sitting.

    python bench/growth.py                       # 10,000 → 100,000 entries, without the search index
    python bench/growth.py --search              # the same builds with the search index
    python bench/growth.py --small 200 --large 2000 --rounds 1     # a quick try

The issue's target is that the time grows at most 11-fold from 10,000 to 100,000 entries. Two
numbers taken an hour apart on a shared machine can differ by a quarter for the same build, so this
script measures both sizes in one run, each large build between two small ones:

    small, large, small, large, small        (--rounds 2)

and divides the median of the large builds by the median of the small ones. The corpora are
bench/run.py's (bench/corpus.py, written under bench/work/n<N>/ if missing) and so is the way a
build is measured (a fresh child under /usr/bin/time; output/ and .cache/ deleted first). Prints
each build as it ends and a table at the end; writes growth-<small>-<large>[-search].md in
bench/work/ (--work). Each build's log, with its stages' times (XXGK_TIMING=1), is kept in
growth-<small>-<large>/logs/.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import run  # noqa: E402

LIMIT = 11.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", type=int, default=10000)
    ap.add_argument("--large", type=int, default=100000)
    ap.add_argument("--rounds", type=int, default=2, help="large builds (each between two small ones)")
    ap.add_argument("--search", action="store_true", help="build the search index too")
    ap.add_argument("--pss", action="store_true",
                    help="memory as PSS (see run.py --pss; it slows the large builds: not for their times)")
    ap.add_argument("--work", type=Path, default=BENCH / "work", help="where the corpora go (default bench/work)")
    args = ap.parse_args(argv)
    if not 0 < args.small < args.large or args.rounds < 1:
        ap.error("need 0 < --small < --large and --rounds ≥ 1")
    if args.pss:
        run.TREE_FIELD = "Pss"
    os.environ["XXGK_TIMING"] = "1"      # each build's log names its stages' times (xxgk/timing.py)
    try:
        run.check_tools(["xxgk"])
        sites = {n: run.prepare(n, args.work / f"n{n}", ["xxgk"])["xxgk"] for n in (args.small, args.large)}
        here = args.work / f"growth-{args.small}-{args.large}"
        gen = run.snapshot_generator(here)
        logs = here / "logs"
        logs.mkdir(exist_ok=True)
        samples: dict[int, list[run.Sample]] = {args.small: [], args.large: []}
        order = [args.small] + [args.large, args.small] * args.rounds
        for i, n in enumerate(order, 1):
            site = sites[n]
            run.rm(site / "output", site / ".cache", site / ".output.building", site / ".output.old",
                   site / "templates")
            cmd = [sys.executable, str(gen / "build.py"), "build", "--site", str(site), "--as-of", run.AS_OF]
            if not args.search:
                cmd.append("--no-search")
            s, _ = run.measure(cmd, gen, f"cold-{'search' if args.search else 'nosearch'}-{n}-{i}", logs)
            samples[n].append(s)
            print(f"  {i}/{len(order)} {n:>7} entries {s.wall:8.2f} s wall {s.cpu:8.2f} s cpu {s.tree_mb:7.0f} MB",
                  flush=True)
    except run.BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    med = {n: (statistics.median(s.wall for s in v), statistics.median(s.cpu for s in v)) for n, v in samples.items()}
    growth, growth_cpu = med[args.large][0] / med[args.small][0], med[args.large][1] / med[args.small][1]
    m = run.machine({})
    what = "with the search index" if args.search else "without the search index"
    md = ["Machine: " + "; ".join(f"{k}: {v}" for k, v in m.items()), "",
          f"Cold builds {what}, in the order {', '.join(f'{n:,}' for n in order)}; medians.", "",
          "| entries | builds | median wall (s) | walls (s) | median CPU (s) | tree peak (MB) |",
          "|---:|---:|---:|---|---:|---:|"]
    for n, v in samples.items():
        md.append(f"| {n:,} | {len(v)} | {med[n][0]:.2f} | {', '.join(f'{s.wall:.2f}' for s in v)} "
                  f"| {med[n][1]:.2f} | {max(s.tree_mb for s in v):.0f} |")
    md += ["", f"Growth {args.small:,} → {args.large:,} entries: **{growth:.2f}×** in wall time "
           f"({'met' if growth <= LIMIT else 'NOT met'}, limit {LIMIT:g}×), {growth_cpu:.2f}× in CPU time."]
    out = args.work / f"growth-{args.small}-{args.large}{'-search' if args.search else ''}.md"
    out.write_text("\n".join(md) + "\n", encoding="utf-8")
    print()
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
