"""Which published files something other than this process's builds may have touched (serve).

Every build checks that each published file is still as recorded (its size and modification time,
write/output.OutputWriter._intact) before trusting the record: 24,500 stat calls at 10,000 entries
with the search index, about a third of a second of each save in `serve`. A long-lived process can
instead watch the output folder with inotify (Linux): a file no event has named since it was last
checked is still as recorded, so only the files events name are looked at again.

How the trust is kept (OutputWatch), for one output folder:
- the watch starts after a build has published (a new folder after a swap needs new watches);
  until every recorded file has been checked once after that (`verify`, in serve's idle time
  after the page is out, or the next build's own stat checks), nothing is trusted;
- at a build's start `begin` reads the events since the last build published: those files are
  checked by stat as before; at publish `published` reads the events of the build (its own
  writes, and anything else that touched the folder meanwhile): those are checked next time;
- anything the watch cannot describe file by file — a folder created, removed or moved, the
  output folder itself moved, the event queue overflowing, inotify missing (not Linux) — drops
  the trust: the next build checks every file, as a build without a watch does.
What it cannot see: a file changed through a hard link from outside the folder, or through a
shared memory mapping; those are repaired by the next build of another process (or a full build).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
from pathlib import Path

IN_MODIFY, IN_ATTRIB, IN_MOVED_FROM, IN_MOVED_TO = 0x2, 0x4, 0x40, 0x80
IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MOVE_SELF = 0x100, 0x200, 0x400, 0x800
IN_UNMOUNT, IN_Q_OVERFLOW, IN_IGNORED, IN_ONLYDIR, IN_DONT_FOLLOW, IN_ISDIR = (
    0x2000, 0x4000, 0x8000, 0x1000000, 0x2000000, 0x40000000)
MASK = (IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF
        | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)
LOST = IN_ISDIR | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED
_EVENT = struct.Struct("iIII")
_libc = None


def _inotify():
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            _libc.inotify_init1, _libc.inotify_add_watch       # (not on every system)
        except (OSError, AttributeError):
            _libc = False
    return _libc or None


class TreeWatch:
    """inotify watches on folders and every folder below them, read without blocking."""

    def __init__(self):
        self.fd = -1
        self.dirs: dict[int, str] = {}        # watch descriptor → the prefix of the names events give there
        self.paths: dict[int, str] = {}       # watch descriptor → the folder

    @classmethod
    def start(cls, root: Path, prefix: str = "") -> "TreeWatch | None":
        """Watch `root`; events name files as `prefix` + their path below it."""
        return cls.start_all([(root, prefix)])

    @classmethod
    def start_all(cls, roots: list[tuple[Path, str]]) -> "TreeWatch | None":
        libc = _inotify()
        if libc is None:
            return None
        w = cls()
        w.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if w.fd < 0:
            return None
        for root, prefix in roots:
            if not w._add(os.fspath(root), prefix, set()):
                w.close()
                return None
        return w

    def _add(self, top: str, prefix: str, files: set[str]) -> bool:
        """Watch `top` and every folder below it; add the names of the files found there to `files`."""
        cut = len(top) + 1
        try:
            for dirpath, _dirs, names in os.walk(top):
                wd = _libc.inotify_add_watch(self.fd, os.fsencode(dirpath), MASK)
                if wd < 0:                   # (e.g. the user's limit on watches)
                    return False
                self.dirs[wd] = here = prefix + (dirpath[cut:] + "/" if dirpath != top else "")
                self.paths[wd] = dirpath
                files.update(here + n for n in names)
        except OSError:
            return False
        return True

    def drain(self) -> set[str] | None:
        """The files (relative paths) events named since the last drain; None: the watch can no longer
        tell (see LOST) and was closed."""
        touched: set[str] = set()
        while True:
            try:
                buf = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return touched
            except OSError:
                self.close()
                return None
            i = 0
            while i < len(buf):
                wd, mask, _cookie, size = _EVENT.unpack_from(buf, i)
                name = buf[i + _EVENT.size:i + _EVENT.size + size].rstrip(b"\0")
                i += _EVENT.size + size
                folder = self.dirs.get(wd)
                if folder is not None and name and mask & (LOST | IN_CREATE) == IN_CREATE | IN_ISDIR:
                    # a folder made (a build publishing in place into a new folder): watched from now
                    # on, with every file in it named (made before its watch, or after: named twice)
                    name = os.fsdecode(name)
                    touched.add(folder + name)
                    if self._add(f"{self.paths[wd]}/{name}", f"{folder}{name}/", touched):
                        continue
                    folder = None
                if mask & LOST or folder is None or not name:
                    self.close()
                    return None
                touched.add(folder + os.fsdecode(name))

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class OutputWatch:
    """The trust a long-lived process keeps in its record of one output folder (see the module)."""

    def __init__(self, out: Path):
        self.out = out
        self.tree: TreeWatch | None = None
        self.verified = False                # every recorded file checked since the watch started
        self.suspects: set[str] = set()      # files to check (stat) at the next build
        self.memo: dict[str, str] = {}       # folder → its fingerprint, checked while watched (search parts)
        self.listed: dict[str, list[str]] = {}   # folder → its files, listed while watched (keep_tree)

    def begin(self) -> set[str] | None:
        """At a build's start, its record being this process's last: the files not to trust without
        looking (None: look at every one; this build's checks then verify the watch)."""
        touched = self.tree.drain() if self.tree is not None else None
        if touched is None:
            self._drop()
            return None
        self.suspects |= touched
        return set(self.suspects) if self.verified else None

    def published(self, swapped: bool) -> None:
        """After a build published, having checked every recorded file (by stat, or trusted as begin said):
        its events are checked next time. After a swap the folders are new: watch them anew."""
        touched = self.tree.drain() if self.tree is not None and not swapped else None
        if touched is None:
            self._drop()
            self.tree = TreeWatch.start(self.out)
            return
        self.suspects, self.verified = touched, True

    def verify(self, state: dict) -> None:
        """(idle time) Check every file of the record `state` once, so the next build trusts the watch."""
        if self.tree is None or self.verified:
            return
        touched = self.tree.drain()
        if touched is None:
            return self._drop()
        out = os.fspath(self.out)
        for rel, rec in state.items():
            try:
                st = os.stat(f"{out}/{rel}", follow_symlinks=False)
                if st.st_size == rec[1] and st.st_mtime_ns == rec[2]:
                    continue
            except OSError:
                pass
            touched.add(rel)
        self.suspects, self.verified = touched, True

    def _drop(self) -> None:
        if self.tree is not None:
            self.tree.close()
        self.tree, self.verified = None, False
        self.suspects, self.memo, self.listed = set(), {}, {}

    def close(self) -> None:
        self._drop()
