"""Progress for long builds: one self-overwriting line on a terminal, nothing anywhere else.

    from xxgk import progress
    with progress.stage("渲染页面", total=len(pages)) as p:
        for page in pages:
            ...
            p.advance()

Nothing is printed during the first `DELAY` seconds of a build (timed from the start of
build(), which imports this module; a small site builds in less), nor when stderr is not a terminal (CI logs, pipes, tests), nor with XXGK_PROGRESS=0
(XXGK_PROGRESS=1 forces it on). Neither `rich` nor `tqdm` is a dependency of the generator, so
this is a tiny built-in line updater (`\\r` + erase-line), redrawn at most ten times a second.
"""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Iterator, TextIO

DELAY = 2.0        # seconds after the first stage began before anything is shown
REDRAW = 0.1       # seconds between redraws

# When this build began: the pipeline imports this module (through render/site.py) as build()
# starts, before loading; `serve` calls reset() before each rebuild.
_started: float = time.monotonic()


def enabled(stream: TextIO | None = None) -> bool:
    flag = os.environ.get("XXGK_PROGRESS", "")
    if flag in ("0", "no", "off"):
        return False
    if flag in ("1", "yes", "on"):
        return True
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Stage:
    def __init__(self, label: str, total: int | None, stream: TextIO, active: bool):
        self.label, self.total, self.stream, self.active = label, total, stream, active
        self.done = 0
        self._last_draw = 0.0
        self._drawn = False

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.active:
            return
        now = time.monotonic()
        if now - self._last_draw < REDRAW or now - _started < DELAY:
            return
        self._last_draw = now
        self._draw()

    def _draw(self) -> None:
        if self.total:
            pct = min(100, self.done * 100 // max(self.total, 1))
            text = f"{self.label}：{self.done}/{self.total}（{pct}%）"
        else:
            text = f"{self.label}：{self.done}"
        try:
            self.stream.write("\r\x1b[2K" + text)
            self.stream.flush()
            self._drawn = True
        except (OSError, ValueError):
            self.active = False

    def close(self) -> None:
        if self._drawn:
            try:
                self.stream.write("\r\x1b[2K")
                self.stream.flush()
            except (OSError, ValueError):
                pass


@contextmanager
def stage(label: str, total: int | None = None, stream: TextIO | None = None) -> Iterator[Stage]:
    """A named step of the build; call `.advance()` per item. Quiet unless slow and on a terminal."""
    stream = stream or sys.stderr
    s = Stage(label, total, stream, enabled(stream))
    try:
        yield s
    finally:
        s.close()


def reset() -> None:
    """Start timing afresh (each rebuild of `serve` is a new build)."""
    global _started
    _started = time.monotonic()
