"""The editor's loop as `serve` runs it: one process builds, then rebuilds after each edit.

    python bench/warm_edit.py SITE [--edits 5] [--search]

Builds SITE once (its own .cache/ and output/), then appends a line to one policy and rebuilds,
several times, in the same process with what the last build left (incremental/warm.py, as
`python build.py serve` does). Prints each rebuild's wall time and what it rendered and changed.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from xxgk.incremental.warm import Warm  # noqa: E402
from xxgk.pipeline import build, settle_memory  # noqa: E402

AS_OF = date(2026, 11, 23)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--search", action="store_true")
    ap.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    a = ap.parse_args(argv)
    warm = Warm(a.site / ".cache")
    t = time.monotonic()
    r = build(a.site, as_of=a.as_of, search=a.search, warm=warm)
    print(f"first build: {time.monotonic() - t:.2f} s, {r.entries} entries, {len(r.changed)} files changed")
    settle_memory(warm)
    if a.search:
        warm.pagefind()          # as serve does after its first build (commands/serve.py)
    target = sorted((a.site / "content" / "policies").glob("*.md"))[len(list((a.site / "content" / "policies").glob("*.md"))) // 2]
    original = target.read_text(encoding="utf-8")
    times = []
    try:
        for i in range(1, a.edits + 1):
            target.write_text(original + f"\n编辑器第{i}次修改。\n", encoding="utf-8")
            t = time.monotonic()
            r = build(a.site, as_of=a.as_of, search=a.search, warm=warm)
            times.append(time.monotonic() - t)
            settle_memory(warm)      # as serve does once the new page is out (not part of the rebuild's time)
            page = (a.site / "output" / "policies" / f"{target.stem}.html").read_text(encoding="utf-8")
            assert f"编辑器第{i}次修改" in page, "the edited page was not rewritten"
            print(f"edit {i}: {times[-1]:.3f} s{' (bodies only)' if r.quick else ''}, rendered {len(r.rendered)}, "
                  f"changed {len(r.changed)}: "
                  f"{', '.join(sorted(r.changed)[:6])}")
    finally:
        target.write_text(original, encoding="utf-8")
    print(f"median rebuild after one edit (warm process, as serve): {statistics.median(times):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
