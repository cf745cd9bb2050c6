"""What was read from each attachment, kept in the site's `.cache/attachments.sqlite`.

- `files`: path below content/ → its stat (size, mtime, inode) and sha256: an unchanged file is not
  even hashed again.
- `found`: sha256 → what reading found (the report: format, problems, personal-data hits, all
  masked) and the text the search index gets, with the version of the readers that made it; a
  file is read once per content, whatever its name, and again only when the readers change.

A missing, locked or broken cache is simply empty; `check` opens it read-only.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from functools import lru_cache
from pathlib import Path

FILE = "attachments.sqlite"


@lru_cache(maxsize=1)
def version() -> str:
    """The readers' version: their code, the privacy scan's and the libraries'."""
    from importlib.metadata import PackageNotFoundError, version as installed
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for lib in ("pypdf", "python-docx", "openpyxl"):
        try:
            h.update(f"{lib}={installed(lib)}\n".encode())
        except PackageNotFoundError:
            pass
    for p in sorted(here.glob("*.py")) + [here.parent / "validate" / "privacy.py"]:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


class Store:
    def __init__(self, cache_dir: Path | None, write: bool = True):
        self.db = None
        self.write = write
        if cache_dir is None:
            return
        path = Path(cache_dir) / FILE
        try:
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path, timeout=30)
                self.db.execute("PRAGMA synchronous = OFF")
                self.db.execute("CREATE TABLE IF NOT EXISTS files (rel TEXT PRIMARY KEY, stat TEXT NOT NULL, "
                                "digest TEXT NOT NULL)")
                self.db.execute("CREATE TABLE IF NOT EXISTS found (digest TEXT PRIMARY KEY, version TEXT NOT NULL, "
                                "report TEXT NOT NULL, text TEXT NOT NULL)")
            elif path.is_file():
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        except (OSError, sqlite3.Error):
            self.db = None

    def stats(self) -> dict[str, tuple[str, str]]:
        try:
            return {rel: (stat, digest) for rel, stat, digest in self.db.execute("SELECT rel, stat, digest FROM files")} \
                if self.db else {}
        except sqlite3.Error:
            return {}

    def reports(self, digests: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        if self.db is None:
            return out
        v = version()
        try:
            for i in range(0, len(digests), 500):
                chunk = digests[i:i + 500]
                q = f"SELECT digest, version, report FROM found WHERE digest IN ({','.join('?' * len(chunk))})"
                for digest, ver, report in self.db.execute(q, chunk):
                    if ver == v:
                        out[digest] = json.loads(report)
        except (sqlite3.Error, ValueError):
            return {}
        return out

    def text_of(self, rel: str) -> str | None:
        """The text kept for the file at `rel` as last read (for the search index)."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT found.text FROM files JOIN found ON files.digest = found.digest "
                                  "WHERE files.rel = ?", (rel,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def put(self, stats: list[tuple[str, str, str]], found: list[tuple[str, dict, str]]) -> None:
        if self.db is None or not self.write or not (stats or found):
            return
        v = version()
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", stats)
                self.db.executemany("INSERT OR REPLACE INTO found VALUES (?, ?, ?, ?)",
                                    ((d, v, json.dumps(r, ensure_ascii=False), t) for d, r, t in found))
        except sqlite3.Error:
            pass

    def keep_only(self, rels: set[str]) -> None:
        """Forget files that are gone and what was found in contents no file has any more."""
        if self.db is None or not self.write:
            return
        try:
            with self.db:
                have = [r for (r,) in self.db.execute("SELECT rel FROM files")]
                gone = [(r,) for r in have if r not in rels]
                if gone:
                    self.db.executemany("DELETE FROM files WHERE rel = ?", gone)
                self.db.execute("DELETE FROM found WHERE digest NOT IN (SELECT digest FROM files)")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
