"""What lives as long as a build is kept away from the cycle collector.

Loading the kept entries or the record of the published files makes millions of objects; with the
collector on, it runs again and again over them for nothing while they are made, and every full
collection later in the build walks them again. `kept_for_the_build()` loads with the collector
off and freezes the result (pipeline.build unfreezes when the build is over).
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
