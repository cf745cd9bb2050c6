"""One build at a time per output folder.

Two builds writing one output folder at once (two CI jobs, `serve` and a `build`) would interleave
their staging folders, swaps and records: a site that fails `verify`, or one whose SHA256SUMS is
missing. A build takes an exclusive `fcntl` lock on `.cache/lock-<tag of the output folder>` for
as long as it runs. A second build of the same output folder waits for it, saying once who holds
it (process id, since when); after WAIT_SECONDS (XXGK_LOCK_WAIT) it stops with exit status 2.

The kernel drops the lock when its process ends, however it ends, so a build killed with
`kill -9` leaves no stale lock: the file stays, with the dead build's pid, and the next build
takes the lock at once and says that the last build did not finish.
"""
from __future__ import annotations

import fcntl
import functools
import os
import sys
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ..diagnostics import UsageError
from .published import output_tag

WAIT_SECONDS = 600.0
POLL = 0.1


def lock_file(site_dir: Path, output: Path) -> Path:
    return Path(site_dir) / ".cache" / f"lock-{output_tag(Path(output).resolve())}"


def _holder(path: Path) -> tuple[int | None, str]:
    """(pid, since) written by the build that holds (or held) the lock."""
    try:
        pid, _, since = path.read_text(encoding="utf-8").partition(" ")
        return int(pid), since.strip()
    except (OSError, ValueError):
        return None, ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


@contextmanager
def build_lock(site_dir: Path, output: Path, wait: float | None = None):
    """Hold the output folder's build lock for the `with` block (see the module's text)."""
    wait = float(os.environ.get("XXGK_LOCK_WAIT", WAIT_SECONDS)) if wait is None else wait
    path, fd = lock_file(site_dir, output), None
    for candidate in (path, Path(output).resolve().parent / f".{Path(output).resolve().name}.xxgk-lock"):
        try:                        # (a read-only site folder: beside the output folder instead)
            candidate.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(candidate, os.O_RDWR | os.O_CREAT, 0o644)
            path = candidate
            break
        except OSError:
            continue
    if fd is None:                  # nowhere to write: the build itself will say why (write/disk.py)
        yield None
        return
    try:
        deadline, told = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pid, since = _holder(path)
                who = f"进程 {pid}，自 {since} 起" if pid else "另一个进程"
                if time.monotonic() >= deadline:
                    raise UsageError(f"另一个构建（{who}）正在写入输出文件夹 {output}，等待 {wait:.0f} 秒后仍未结束；"
                                     f"请等它完成后再构建（同一个输出文件夹一次只能有一个构建）") from None
                if not told:
                    print(f"另一个构建（{who}）正在写入 {output}，等待它完成……", file=sys.stderr, flush=True)
                    told = True
                time.sleep(POLL)
        pid, since = _holder(path)
        if pid and pid != os.getpid() and not _alive(pid) and os.path.getsize(path):
            print(f"提示：上次构建（进程 {pid}，自 {since} 起）没有正常结束（可能被中止）；已发布的网站未受影响，"
                  "本次构建照常进行", file=sys.stderr, flush=True)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {datetime.now().astimezone().isoformat(timespec='seconds')}\n".encode(), 0)
        try:
            yield path
        finally:
            try:
                os.ftruncate(fd, 0)        # finished normally: nothing stale to report next time
            except OSError:
                pass
    finally:
        os.close(fd)                       # (releases the lock)


def one_build_at_a_time(build):
    """Decorator for pipeline.build(site_dir, output=None, …): the whole build under build_lock."""
    @functools.wraps(build)
    def locked(site_dir, output=None, *args, **kwargs):
        with build_lock(Path(site_dir), Path(output) if output else Path(site_dir) / "output"):
            return build(site_dir, output, *args, **kwargs)
    return locked
