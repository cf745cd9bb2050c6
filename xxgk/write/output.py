"""Write a whole site aside and swap it into place, so a failed or killed build leaves the old one.

The new site is written into a staging folder beside the output folder. A file whose bytes are
the same as the published one is hard-linked from it, so its modification time stays and
mirrors that synchronise by size and time copy only what changed. Then the two folders are
exchanged in one step (renameat2 RENAME_EXCHANGE on Linux; two renames elsewhere) and the old
one is removed. The generator only ever replaces a folder that carries its own marker.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
from pathlib import Path

from ..diagnostics import UsageError

MARKER = ".xxgk-output"
MARKER_TEXT = b"This folder is written by the xxgk generator; every build replaces it whole.\n"
SUMS = "SHA256SUMS"


class DuplicateOutput(Exception):
    pass


def check_output_dir(out: Path) -> None:
    """Refuse to replace a non-empty folder the generator did not make (exit status 2)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"输出位置 {out} 是一个文件，不是文件夹")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(f"输出文件夹 {out} 不是空的，也不是本工具生成的（没有 {MARKER} 标记）；"
                         "为防止误删，拒绝覆盖。请换一个 --output 文件夹，或先清空它")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2). False if unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    res = renameat2(AT_FDCWD, os.fsencode(str(a)), AT_FDCWD, os.fsencode(str(b)), RENAME_EXCHANGE)
    return res == 0


class OutputWriter:
    """Collects outputs into a staging folder; `commit()` swaps it in, `abort()` throws it away."""

    def __init__(self, out: Path, state_dir: Path | None = None):
        self.out = out.resolve() if out.exists() else out.absolute()
        # what the published files were when we last wrote them: path → (sha256, size, mtime_ns)
        self.state_file = (state_dir / f"output-{hashlib.sha256(str(self.out).encode()).hexdigest()[:12]}.json"
                           if state_dir else None)
        self.previous: dict[str, list] = self._load_state()
        self.staging = self.out.with_name(f".{self.out.name}.building")
        self.written: dict[str, str] = {}   # path → what wrote it
        self.digests: dict[str, str] = {}
        self.changed: list[str] = []
        self.reused = 0

    def _load_state(self) -> dict[str, list]:
        import json
        try:
            return json.loads(self.state_file.read_text()) if self.state_file else {}
        except (OSError, ValueError):
            return {}

    def _unchanged(self, rel: str, digest: str, size: int) -> bool:
        """Is the published file `rel` already these bytes? Trust the recorded digest while the file's
        size and mtime are as recorded; otherwise compare its bytes."""
        old = self.out / rel
        try:
            st = old.stat()
        except OSError:
            return False
        if not old.is_file() or old.is_symlink() or st.st_size != size:
            return False
        rec = self.previous.get(rel)
        if rec and rec[1] == st.st_size and rec[2] == st.st_mtime_ns:
            return rec[0] == digest
        return _sha256(old) == digest

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

    def _claim(self, rel: str, source: str) -> Path:
        if rel in self.written:
            raise DuplicateOutput(f"两个来源要写同一个输出文件 {rel}：{self.written[rel]} 和 {source}")
        if not rel.isascii() or rel.startswith("/") or ".." in rel.split("/"):
            raise DuplicateOutput(f"输出路径 {rel!r} 不合规（必须是站内的 ASCII 相对路径）")
        self.written[rel] = source
        dest = self.staging / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest

    def write(self, rel: str, data: bytes | str, source: str = "") -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        dest = self._claim(rel, source or rel)
        digest = self.digests[rel] = hashlib.sha256(data).hexdigest()
        try:
            if self._unchanged(rel, digest, len(data)):
                os.link(self.out / rel, dest)
                self.reused += 1
                return
        except OSError:
            pass
        dest.write_bytes(data)
        self.changed.append(rel)

    def copy(self, rel: str, src: Path, source: str = "") -> None:
        """Copy a file unchanged (attachments), hard-linking when it is the same as before."""
        dest = self._claim(rel, source or str(src))
        old = self.out / rel
        self.digests[rel] = _sha256(src)
        try:
            if self._unchanged(rel, self.digests[rel], src.stat().st_size):
                os.link(old, dest)
                self.reused += 1
                return
        except OSError:
            pass
        shutil.copyfile(src, dest)
        shutil.copystat(src, dest)
        self.changed.append(rel)

    def keep_tree(self, rel_dir: str) -> bool:
        """Reuse a whole folder of the published site unchanged (the search index). False if absent."""
        old = self.out / rel_dir
        if not old.is_dir():
            return False
        for dirpath, _dirs, files in os.walk(old):
            for name in sorted(files):
                p = Path(dirpath) / name
                rel = p.relative_to(self.out).as_posix()
                dest = self._claim(rel, f"{rel_dir}/（沿用）")
                os.link(p, dest)
                self.digests[rel] = _sha256(p)
                self.reused += 1
        return True

    def add_tree(self, rel_dir: str) -> None:
        """Register files some tool wrote into the staging folder (the search index)."""
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
                        os.link(self.out / rel, p)
                        self.reused += 1
                        continue
                except OSError:
                    pass
                self.changed.append(rel)

    def finish(self) -> None:
        """Marker and SHA256SUMS, then swap the staging folder into place."""
        self.write(MARKER, MARKER_TEXT)
        lines = "".join(f"{self.digests[p]}  {p}\n" for p in sorted(self.digests))
        self.write(SUMS, lines)
        self._swap()
        self._save_state()

    def _save_state(self) -> None:
        import json
        if not self.state_file:
            return
        state = {}
        for rel, digest in self.digests.items():
            try:
                st = (self.out / rel).stat()
            except OSError:
                continue
            state[rel] = [digest, st.st_size, st.st_mtime_ns]
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.state_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(state, sort_keys=True))
            os.replace(tmp, self.state_file)
        except OSError:
            pass

    def _swap(self) -> None:
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

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
