"""Render every Markdown body once: a content-hash cache in the site's .cache/, both cores for the rest.

A body's HTML depends only on its text, its path (relative links) and which entries its .md links
point at are published; the cache key is a hash of exactly those, so a template or config change
never re-runs Markdown, and an edit re-runs it only for the edited entry.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import markdown as _markdown_pkg

from ..validate.site import md_links, resolve_md_link
from .markdown import BodyRenderer

CACHE_VERSION = f"2:{_markdown_pkg.__version__}"
PARALLEL_MIN = 200   # below this, starting workers costs more than it saves

_worker: BodyRenderer | None = None


def _init_worker(published: set[str]) -> None:
    global _worker
    _worker = BodyRenderer(published)


def _render_chunk(items: list[tuple[str, str]]) -> list[str]:
    assert _worker is not None
    return [_worker.render(path, body)[0] for path, body in items]


def cache_key(path: str, body: str, published: set[str]) -> str:
    h = hashlib.sha256(f"{CACHE_VERSION}\0{path}\0".encode())
    h.update(body.encode("utf-8", "surrogatepass"))
    for _off, href in md_links(body):
        target = resolve_md_link(path, href.split("#")[0])
        h.update(f"\0{target}={target in published}".encode())
    return h.hexdigest()


class BodyCache:
    """Rendered bodies by key, in .cache/markdown.sqlite; a broken or missing cache is just empty."""

    def __init__(self, cache_dir: Path | None):
        self.db = None
        if cache_dir is None:
            return
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(cache_dir / "markdown.sqlite")
            self.db.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, html TEXT NOT NULL)")
        except (OSError, sqlite3.Error):
            self.db = None

    def get_many(self, keys: list[str]) -> dict[str, str]:
        if self.db is None or not keys:
            return {}
        out: dict[str, str] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                q = f"SELECT key, html FROM body WHERE key IN ({','.join('?' * len(chunk))})"
                out.update(self.db.execute(q, chunk).fetchall())
        except sqlite3.Error:
            return {}
        return out

    def put_many(self, items: dict[str, str], keep: set[str]) -> None:
        if self.db is None:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO body VALUES (?, ?)", items.items())
                # forget bodies no entry has any more, so the cache does not grow without end
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                self.db.execute("DELETE FROM keep")
                self.db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in keep))
                self.db.execute("DELETE FROM body WHERE key NOT IN (SELECT key FROM keep)")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def render_bodies(items: list[tuple[str, str, str]], published: set[str], cache_dir: Path | None,
                  workers: int | None = None) -> dict[str, str]:
    """items: (entry id, entry path, body) → {entry id: html}."""
    cache = BodyCache(cache_dir)
    keys = {eid: cache_key(path, body, published) for eid, path, body in items}
    hit = cache.get_many(sorted(set(keys.values())))
    out = {eid: hit[k] for eid, k in keys.items() if k in hit}
    todo = [(eid, path, body) for eid, path, body in items if eid not in out]
    workers = workers if workers is not None else int(os.environ.get("XXGK_WORKERS", 0)) or (os.cpu_count() or 1)
    if len(todo) >= PARALLEL_MIN and workers > 1:
        size = max(1, len(todo) // (workers * 8))
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(published,)) as pool:
            for chunk, htmls in zip(chunks, pool.map(_render_chunk, [[(p, b) for _e, p, b in c] for c in chunks])):
                for (eid, _p, _b), html in zip(chunk, htmls):
                    out[eid] = html
    else:
        renderer = BodyRenderer(published)
        for eid, path, body in todo:
            out[eid] = renderer.render(path, body)[0]
    cache.put_many({keys[eid]: out[eid] for eid, _p, _b in todo}, set(keys.values()))
    cache.close()
    return out
