"""Render every Markdown body once: a content-hash cache in the site's .cache/, both cores for the rest.

A body's HTML depends only on its text, its path (relative links) and which entries its .md links
point at are published; the cache key is a hash of exactly those, so a template or config change
never re-runs Markdown, and an edit re-runs it only for the edited entry. Bodies are fetched only
for the pages that are rendered again; the catalogue exports need only the summaries.
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import markdown as _markdown_pkg

from ..parallel import forked, worker_count
from ..load.source import body_of
from .markdown import BodyRenderer, derive_summary

CACHE_VERSION = f"4:{_markdown_pkg.__version__}"
PARALLEL_MIN = 200   # below this, starting workers costs more than it saves

_worker: BodyRenderer | None = None     # a worker's own renderer (building one costs far more than a reset)


def _render_chunk(published: set[str], items: list[tuple[str, str]]) -> list[str]:
    global _worker
    if _worker is None:
        _worker = BodyRenderer(published)
    return [_worker.render(path, body)[0] for path, body in items]


_KEEP: list = []   # a forked worker keeps its parent's cache object (and connection) untouched


def body_key(e, published: set[str]) -> str:
    """What an entry's body HTML is made from: its text, its path (relative links) and whether the
    entries it links to are published."""
    h = hashlib.sha256(f"{CACHE_VERSION}\0{e.path}\0{e.body_digest}\0".encode())
    for target in e.links:
        h.update(f"{target}={target in published}\0".encode())
    return h.hexdigest()


class BodyCache:
    """Rendered bodies (and the summary derived from each) by key, in .cache/markdown.sqlite; a broken
    or missing cache is just empty."""

    def __init__(self, cache_dir: Path | None, create: bool = True):
        self.db = None
        if cache_dir is None:
            return
        try:
            if create:
                cache_dir.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(cache_dir / "markdown.sqlite")
                self.db.execute("PRAGMA synchronous = OFF")   # a cache: a torn write only costs a re-render
                self.db.execute("CREATE TABLE IF NOT EXISTS body2 (key TEXT PRIMARY KEY, html TEXT NOT NULL, "
                                "summary TEXT NOT NULL)")
                self.db.execute("CREATE TABLE IF NOT EXISTS summary (key TEXT PRIMARY KEY, summary TEXT NOT NULL)")
                self.db.execute("DROP TABLE IF EXISTS body")     # the first cache format
            else:   # a reader (a worker process)
                self.db = sqlite3.connect(f"file:{cache_dir / 'markdown.sqlite'}?mode=ro", uri=True)
        except (OSError, sqlite3.Error):
            self.db = None

    def get_many(self, keys: list[str], column: str = "html") -> dict[str, str]:
        if self.db is None or not keys:
            return {}
        out: dict[str, str] = {}
        try:
            if column == "summary" and len(keys) > 1000:    # every summary: one scan of their small table
                want = set(keys)
                return {k: v for k, v in self.db.execute("SELECT key, summary FROM summary") if k in want}
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                q = f"SELECT key, {column} FROM body2 WHERE key IN ({','.join('?' * len(chunk))})"
                out.update(self.db.execute(q, chunk).fetchall())
        except sqlite3.Error:
            return {}
        return out

    def put_many(self, items: list[tuple[str, str, str]]) -> None:
        if self.db is None or not items:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO body2 VALUES (?, ?, ?)", items)
                self.db.executemany("INSERT OR REPLACE INTO summary VALUES (?, ?)", ((k, sm) for k, _h, sm in items))
        except sqlite3.Error:
            pass

    def keep_only(self, keep: set[str]) -> None:
        """Forget bodies no entry has any more, so the cache does not grow without end."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                self.db.execute("DELETE FROM keep")
                self.db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in keep))
                self.db.execute("DELETE FROM body2 WHERE key NOT IN (SELECT key FROM keep)")
                self.db.execute("DELETE FROM summary WHERE key NOT IN (SELECT key FROM keep)")
        except sqlite3.Error:
            pass

    def forget(self, keys: list[str]) -> None:
        if self.db is None or not keys:
            return
        try:
            with self.db:
                self.db.executemany("DELETE FROM body2 WHERE key = ?", ((k,) for k in keys))
                self.db.executemany("DELETE FROM summary WHERE key = ?", ((k,) for k in keys))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


class Bodies:
    """The body HTML and derived summary of entries, rendered only when not in the cache; Markdown
    runs on both cores when many bodies are missing."""

    def __init__(self, entries: dict, published: set[str], cache_dir: Path | None, workers: int | None = None,
                 site_dir: Path | None = None):
        self.entries, self.published = entries, published
        self.site_dir = site_dir if site_dir is not None else (cache_dir.parent if cache_dir else Path("."))
        self.cache = BodyCache(cache_dir)
        self.keys = {eid: body_key(e, published) for eid, e in entries.items() if e.is_public_body}
        self.workers = workers if workers is not None else worker_count()
        self._html: dict[str, str] = {}
        self._summary: dict[str, str] = {}
        self.rendered = 0
        self.cache_dir = cache_dir
        self._worker = False
        self._new_rows: list[tuple[str, str, str]] = []
        self._stored = False
        self._summary_by_key: dict[str, str] = {}
        self._renderer: BodyRenderer | None = None
        self._replaced: list[str] | None = None   # after a first finish(): the keys edited() replaced

    def html(self, ids) -> dict[str, str]:
        """{id: body html} for these entries ("" for entries without a public body)."""
        want = [i for i in ids if i in self.keys and i not in self._html]
        if want:
            if self.cache.db is None and not self._worker:
                self.cache = BodyCache(self.cache_dir)
            hit = self.cache.get_many(sorted({self.keys[i] for i in want}))
            for i in want:
                if self.keys[i] in hit:
                    self._html[i] = hit[self.keys[i]]
            self._render([i for i in want if i not in self._html])
        return {i: self._html.get(i, "") for i in ids}

    def summaries(self, ids) -> dict[str, str]:
        """{id: summary derived from the body} (the first paragraphs as plain text)."""
        for i in ids:
            if i in self.keys and i not in self._summary and self.keys[i] in self._summary_by_key:
                self._summary[i] = self._summary_by_key[self.keys[i]]
        want = [i for i in ids if i in self.keys and i not in self._summary]
        if want:
            if self.cache.db is None:
                self.cache = BodyCache(self.cache_dir)
            hit = self.cache.get_many(sorted({self.keys[i] for i in want}), "summary")
            for i in want:
                if self.keys[i] in hit:
                    self._summary[i] = hit[self.keys[i]]
            missing = [i for i in want if i not in self._summary]
            if missing:
                self.html(missing)
                for i in missing:
                    self._summary[i] = derive_summary(self._html[i])
        return {i: self._summary.get(i, "") for i in ids}

    def edited(self, e) -> None:
        """This entry's body changed (a later build in the same process: see render.edits.BodyEdits.bodies_edited)."""
        if e.is_public_body:
            if e.id in self.keys and self._replaced is not None:
                self._replaced.append(self.keys[e.id])
            self.keys[e.id] = body_key(e, self.published)
        self._html.pop(e.id, None)
        self._summary.pop(e.id, None)

    def replacing(self, keys: list[str]) -> None:
        """These bodies (their keys) are replaced by the entries this object renders, which are only
        some of the site's: `finish` forgets just them, not every body it was not given."""
        self._replaced = list(keys)

    # -- in a page-rendering worker process (forked) ---------------------------------------------
    def before_fork(self) -> None:
        """No open transaction may cross a fork; the workers open their own connection."""
        self.cache.close()

    def in_worker(self) -> None:
        if not self._worker:
            _KEEP.append(self.cache)          # the parent's connection: never closed in a child
            self.cache = BodyCache(self.cache_dir, create=False)
            self._worker = True

    def forget(self, eid: str) -> None:
        """A page is written: its body need not stay in memory."""
        self._html.pop(eid, None)

    def take_new_rows(self) -> list[tuple[str, str, str]]:
        rows, self._new_rows = self._new_rows, []
        return rows

    # -- back in the parent ------------------------------------------------------------------------
    def store(self, rows: list[tuple[str, str, str]]) -> None:
        if rows:
            if self.cache.db is None:
                self.cache = BodyCache(self.cache_dir)
            self.cache.put_many(rows)
            for key, _html, summary in rows:
                self._summary_by_key[key] = summary
            self._stored = True

    def finish(self) -> None:
        if self._stored:
            live = set(self.keys.values())
            if self._replaced is not None:      # only some bodies edited since all were kept: forget theirs
                self.cache.forget([k for k in self._replaced if k not in live])
            else:
                self.cache.keep_only(live)
            self._stored = False
        self._replaced = []
        self.cache.close()

    def _render(self, ids: list[str]) -> None:
        if not ids:
            return
        items = [(i, self.entries[i].path, self._body(self.entries[i])) for i in sorted(ids)]
        out: dict[str, str] = {}
        if len(items) >= PARALLEL_MIN and self.workers > 1 and not self._worker:
            size = max(1, len(items) // (self.workers * 8))
            chunks = [items[i:i + size] for i in range(0, len(items), size)]
            with forked(_render_chunk, self.published, self.workers) as run:
                for chunk, htmls in zip(chunks, run([[(p, b) for _e, p, b in c] for c in chunks])):
                    for (eid, _p, _b), html in zip(chunk, htmls):
                        out[eid] = html
        else:
            if self._renderer is None:       # building one costs far more than a reset
                self._renderer = BodyRenderer(self.published)
            renderer = self._renderer
            for eid, path, body in items:
                out[eid] = renderer.render(path, body)[0]
        self.rendered += len(out)
        rows = []
        for eid, html in out.items():
            self._html[eid] = html
            self._summary[eid] = derive_summary(html)
            rows.append((self.keys[eid], html, self._summary[eid]))
        if self._worker:
            self._new_rows.extend(rows)       # the parent stores them
            return
        self.cache.put_many(rows)
        self._stored = True

    def _body(self, e) -> str:
        return e.body if e.body is not None else body_of(self.site_dir, e.path, e.body_digest)

    def close(self) -> None:
        self.cache.close()
