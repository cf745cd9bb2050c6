"""What lives as long as a build is kept away from the cycle collector.

Loading the kept entries or the record of the published files makes millions of objects; with the
collector on, it runs again and again over them for nothing while they are made, and every full
collection later in the build walks them again. `kept_for_the_build()` loads with the collector
off and freezes the result (pipeline.build unfreezes when the build is over). The same goes for
what each stage makes for the ones after it: the file names found, the linked entries, the keys and
the plan, the records of the written files, the exports' records. At 100,000 entries the
collector's full passes over them took about 6 s of a cold build on one core (checks across files
2.45 → 0.77 s, plan 4.47 → 2.32 s, exports 6.97 → 4.14 s: bench/RESULTS.md, session 6); at 10,000,
a tenth of a second.
Only what holds no reference cycles belongs here: frozen garbage waits for the end of the build.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def kept_for_the_build():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()       # never scanned again: it lives as long as the build
        if was:
            gc.enable()
