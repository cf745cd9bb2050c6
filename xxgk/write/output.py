"""Publishing a build's outputs all at once: OutputWriter (the first of the two publish mechanisms).

Used by every build that renders through the pipeline's stages (pipeline._render_and_write: a
cold build, a build with changes, serve's rebuilds, a command-line build that could not be resumed),
so a failed or killed build leaves the old site. Changed files are written into a staging folder
beside the output folder; unchanged files are never rewritten, so their modification time stays and
mirrors that synchronise by size and time copy only what changed. See OutputWriter for the two ways
it publishes (exchanging the folders, or renames for a few files). The generator only ever replaces
a folder that carries its own marker.

Why two mechanisms: OutputWriter reads the record of every published file and writes it whole again,
which a command-line build resumed after a body edit (incremental/resume.py) need not pay for: that
build publishes with write/patch.OutputPatch, patching its few files in place and noting them in a
journal that OutputWriter reads back with the record. What both use: write/published.py. The record
of the published files (reading it, trusting a file as recorded, saving it): write/record.py.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from ..diagnostics import UsageError
from ..parallel import write_threads
from .record import KeptRecord, PublishedRecord
from .published import (MARKER, MARKER_TEXT, SUMS, DuplicateOutput, _sha256, _unlink_published,
                        _write_bytes, record_file, sums_text)


def check_output_dir(out: Path) -> None:
    """Refuse to replace a non-empty folder the generator did not make (exit status 2)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"输出位置 {out} 是一个文件，不是文件夹")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(f"输出文件夹 {out} 不是空的，也不是本工具生成的（没有 {MARKER} 标记）；"
                         "为防止误删，拒绝覆盖。请换一个 --output 文件夹，或先清空它")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2). False if unsupported."""
    import ctypes
    import ctypes.util
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    res = renameat2(AT_FDCWD, os.fsencode(str(a)), AT_FDCWD, os.fsencode(str(b)), RENAME_EXCHANGE)
    return res == 0


INPLACE_MAX = 64    # at most this many files changed or removed: replace them in place (see finish)


class OutputWriter(PublishedRecord):
    """Collects a build's outputs and publishes them in one step (`finish`), or not at all.

    For every output it records what it was made from (`key`: a digest of its entry, the entries
    it lists or links, its templates, the config, the generator; `deps`: their names, for people)
    beside the digest, size and mtime of the published file, in the site's .cache/. `fresh()`
    tells the renderer an output need not be rendered again: same key, published file untouched.

    Only changed files are written (into a staging folder beside the output). At `finish`:
    - few changed or removed files (≤ INPLACE_MAX): each is renamed over the published one, then
      SHA256SUMS. Every file is always whole; a kill in the middle of those renames (well under a
      second) leaves some files new and some old, which the next build completes.
    - otherwise (a first build, a template or config change): the staging folder is completed with
      hard links to the unchanged published files and exchanged with the output folder in one step,
      so a build killed at any moment leaves the previous site whole.
    Either way an unchanged file keeps its bytes and modification time (mirrors sync by them).
    """

    def __init__(self, out: Path, state_dir: Path | None = None, kept: "KeptRecord | None" = None, watch=None):
        self.out = out.resolve() if out.exists() else out.absolute()
        self._out = str(self.out)
        # what the published files were when we last wrote them: path → [sha256, size, mtime_ns, key, deps]
        self.state_file = record_file(state_dir, self.out) if state_dir else None
        self.watch = watch          # write/watch.OutputWatch (serve): which published files to look at again
        self.suspects: set[str] | None = None     # None: look at every published file (stat)
        if kept is not None and kept.current(self):
            self.previous: dict[str, list] = kept.state
            self.suspects = watch.begin() if watch is not None else None
        else:
            self.previous = self._load_state()
        self.record: KeptRecord | None = None      # after finish: the new record, for the next build of this process
        self.staging = self.out.with_name(f".{self.out.name}.building")
        self._staging = str(self.staging)
        self._dirs: set[str] = set()          # folders made in the staging folder
        self._cold = not self.out.exists()    # nothing published yet: nothing to compare with
        self.written: dict[str, str] = {}   # path → what wrote it
        self.digests: dict[str, str] = {}
        self.keys: dict[str, tuple] = {}    # path → (key, deps)
        self.changed: list[str] = []
        self.removed: list[str] = []        # after finish: published files this build no longer has
        self.kept: list[str] = []           # published files that stay as they are
        self.reused = 0
        self.mode = ""
        self._after: list = []
        self._as_recorded: set[str] = set()
        self._pool = None
        self._pending: list = []   # (path, its write on another thread)
        self._written_stat: dict[str, tuple[int, int]] = {}   # path → (size, mtime) of the file written

    def __enter__(self):
        self.out.parent.mkdir(parents=True, exist_ok=True)
        for stale in (self.staging, self.out.with_name(f".{self.out.name}.old")):
            if stale.exists():
                shutil.rmtree(stale)
        self.staging.mkdir()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.abort()
        return False

    def _claim(self, rel: str, source: str, key: str | None = None, deps=()) -> None:
        if rel in self.written:
            raise DuplicateOutput(f"两个来源要写同一个输出文件 {rel}：{self.written[rel]} 和 {source}")
        if not rel.isascii() or rel.startswith("/") or ".." in rel.split("/"):
            raise DuplicateOutput(f"输出路径 {rel!r} 不合规（必须是站内的 ASCII 相对路径）")
        self.written[rel] = source
        if key is not None:
            self.keys[rel] = (key, list(deps))

    def _write_file(self, rel: str, data: bytes) -> None:
        """Create the file in the staging folder on other threads, while this one goes on: creating
        files is mostly waiting for the file system. One thread per core beyond the first, at most
        four (XXGK_WRITE_THREADS): threads creating files in one folder queue on its lock, and on two
        cores four of them spent the render workers' CPU spinning there (10,000 entries, cold, 3 runs
        each: 4 threads 19.06 s, 10.8 s system time; 1 thread 18.13 s, 8.2 s)."""
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor
            self._pool = ThreadPoolExecutor(write_threads(), thread_name_prefix="xxgk-write")
        self._pending.append((rel, self._pool.submit(_write_bytes, self._dest(rel), data)))
        if len(self._pending) > 256:
            self._drain(128)

    def _drain(self, keep: int = 0) -> None:
        while len(self._pending) > keep:
            rel, done = self._pending.pop(0)
            self._written_stat[rel] = done.result()      # raises the first write error here

    def _dest(self, rel: str) -> str:
        """The path of `rel` in the staging folder, its folder made (once: strings, not pathlib, and
        one mkdir a folder rather than one a file — 13,000 files a cold build at 10,000 entries)."""
        dest = f"{self._staging}/{rel}"
        folder = dest.rpartition("/")[0]
        if folder not in self._dirs:
            os.makedirs(folder, exist_ok=True)
            self._dirs.add(folder)
        return dest

    def keep(self, rel: str, source: str = "", key: str | None = None, deps=()) -> None:
        """The published file stays (the caller checked `fresh`)."""
        self._claim(rel, source or rel, key, deps)
        self.digests[rel] = self.previous[rel][0]
        self.kept.append(rel)
        self._as_recorded.add(rel)

    def write(self, rel: str, data: bytes | str, source: str = "", key: str | None = None, deps=()) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._claim(rel, source or rel, key, deps)
        digest = self.digests[rel] = hashlib.sha256(data).hexdigest()
        if self._unchanged(rel, digest, len(data)):
            self.kept.append(rel)
            return
        self._write_file(rel, data)
        self.changed.append(rel)

    def copy(self, rel: str, src: Path, source: str = "", key: str | None = None) -> None:
        """Copy a file unchanged (attachments); kept when it is the same as before."""
        if key is not None and self.fresh(rel, key):
            return self.keep(rel, source or str(src), key)
        self._claim(rel, source or str(src), key)
        self.digests[rel] = _sha256(src)
        if self._unchanged(rel, self.digests[rel], src.stat().st_size):
            self.kept.append(rel)
            return
        dest = self._dest(rel)
        shutil.copyfile(src, dest)
        shutil.copystat(src, dest)
        self.changed.append(rel)

    def read_bytes(self, rel: str) -> bytes:
        """An output of this build, whether it was written now or kept as published."""
        self._drain()
        staged = self.staging / rel
        return staged.read_bytes() if rel in self.written and staged.is_file() else (self.out / rel).read_bytes()

    def after_publish(self, fn) -> None:
        """Run `fn` once the build is published (state that must only describe a published site)."""
        self._after.append(fn)

    def keep_tree(self, rel_dir: str, skip: set[str] = frozenset()) -> bool:
        """Reuse a whole folder of the published site unchanged (a search index part). False if absent.
        Sub-folders that are other parts (part-N) are not included."""
        old = self.out / rel_dir
        if not old.is_dir():
            return False
        # strings, not a Path per file: serve does this on every save, for 11,000 files at 10,000
        # entries (0.77 → 0.20 s, bench/RESULTS.md session 12); and in serve, while no event named a file
        # of the folder since this process listed it (write/watch.py), the names it listed then
        listed = self.watch.listed if self.watch is not None else {}
        names = listed.get(rel_dir) if self.untouched(rel_dir, lambda s: s in skip) else None
        if names is None:
            names, top, cut = [], os.fspath(old), len(self._out) + 1
            for dirpath, dirs, files in os.walk(top):
                if dirpath == top:
                    dirs[:] = [d for d in dirs if not d.startswith("part-")]
                prefix = dirpath[cut:] + "/"
                names += [prefix + name for name in sorted(files) if prefix + name not in skip]
            if self.watch is not None and self.watch.tree is not None:
                listed[rel_dir] = names
        for rel in names:
            self._claim(rel, f"{rel_dir}/（沿用）")
            if self._intact(rel):
                self.digests[rel] = self.previous[rel][0]
                self._as_recorded.add(rel)       # (its record stays: no stat again when saving it)
            else:
                self.digests[rel] = _sha256(self.out / rel)
            self.kept.append(rel)
        return True

    def untouched(self, rel_dir: str, ignore=lambda rel: False) -> bool:
        """serve: no event named a file in the folder `rel_dir` (but in other parts' part-N folders in it,
        and the files `ignore` says) since this process last built (write/watch.py)."""
        suspects = self.suspects
        if suspects is None:
            return False
        prefix = f"{rel_dir}/"
        return not any(s.startswith(prefix) and not s[len(prefix):].startswith("part-") and not ignore(s)
                       for s in suspects)

    def add_tree(self, rel_dir: str) -> None:
        """Register files some tool wrote into the staging folder (the search index)."""
        self._drain()
        base = self.staging / rel_dir
        for dirpath, _dirs, files in os.walk(base):
            for name in sorted(files):
                p = Path(dirpath) / name
                rel = p.relative_to(self.staging).as_posix()
                if rel in self.written:
                    raise DuplicateOutput(f"两个来源要写同一个输出文件 {rel}")
                self.written[rel] = rel_dir
                digest = self.digests[rel] = _sha256(p)
                try:  # the same bytes as published: keep the published file (and its mtime) instead
                    if self._unchanged(rel, digest, p.stat().st_size):
                        p.unlink()
                        self.kept.append(rel)
                        continue
                except OSError:
                    pass
                self.changed.append(rel)

    def finish(self, defer: bool = False) -> None:
        """Marker and SHA256SUMS, then publish (in place, or by swapping the folders), then the record
        of the published files — or, `defer`red (serve), once the caller calls `save_record` (after
        it has announced the new site; see pipeline.Deferred)."""
        self.write(MARKER, MARKER_TEXT)
        self.write(SUMS, sums_text(self.digests))
        self._close_pool()
        removed = self.removed = [rel for rel in self.previous if rel not in self.written]
        self.reused = len(self.kept)
        if self.previous and self.out.is_dir() and len(self.changed) + len(removed) <= INPLACE_MAX:
            self._replace_in_place(removed)
        else:
            for rel in self.kept:
                os.link(self.out / rel, self._dest(rel))
            self._swap()
        self._stat_others()
        if self.watch is not None:
            self.watch.published(swapped=self.mode == "swap")
        self.record = KeptRecord(None, None)
        if not defer:
            self.save_record()
        for fn in self._after:
            fn()

    def _replace_in_place(self, removed: list[str]) -> None:
        self.mode = "in-place"
        sums = SUMS in self.changed
        for rel in self.changed:
            if rel != SUMS:
                (self.out / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / rel, self.out / rel)
        for rel in removed:
            _unlink_published(self.out, rel)
        if sums:   # last: the list of the files is right once every file is
            os.replace(self.staging / SUMS, self.out / SUMS)
        shutil.rmtree(self.staging, ignore_errors=True)

    def _swap(self) -> None:
        self.mode = "swap"
        if self.out.exists():
            if not _exchange(self.staging, self.out):
                old = self.out.with_name(f".{self.out.name}.old")
                os.rename(self.out, old)
                os.rename(self.staging, self.out)
                shutil.rmtree(old, ignore_errors=True)
                return
            shutil.rmtree(self.staging, ignore_errors=True)  # now holds the previous site
        else:
            os.rename(self.staging, self.out)

    def before_fork(self) -> None:
        """Finish pending writes and stop the writing threads (a forked process must not inherit them)."""
        self._close_pool()

    def _close_pool(self) -> None:
        try:
            self._drain()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def abort(self) -> None:
        try:
            self._close_pool()
        except OSError:
            pass
        shutil.rmtree(self.staging, ignore_errors=True)
