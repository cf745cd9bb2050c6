"""Render every page and export of the site into an OutputWriter: SiteRenderer, made of its seams

    environment.py  the Jinja environment; template errors as messages
    plan.py         every output a Job with the key of what it is made from
    pages.py        what each page shows (the templates' contexts)
    run.py          rendering what is stale, on every core, keeping the rest
    edits.py        builds after only bodies were edited (serve, a resumed command line)
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from ..config.site import SiteConfig
from ..link.catalogue import LISTED_TYPES, build_views, sort_key
from ..model import Entry

from .edits import BodyEdits
from .environment import make_env
from .pages import PageContexts
from .plan import Planning
from .run import Running


class SiteRenderer(Planning, PageContexts, Running, BodyEdits):
    def __init__(self, site_dir: Path, config: SiteConfig, entries: dict[str, Entry], as_of: date,
                 files: dict | None = None, caches: bool = True):
        """`caches=False`: write nothing in the site's .cache/ (check renders in memory: render/in_memory.py)."""
        self.site_dir, self.config, self.as_of = site_dir, config, as_of
        self.files = files or {}   # content/files attachments: rel → load.site.Attachment
        self.entries = entries
        self.env = make_env(site_dir, caches)
        self.listed = sorted((e for e in entries.values() if e.type in LISTED_TYPES), key=sort_key)
        self.pages = sorted((e for e in entries.values() if e.type == "pages"),
                            key=lambda e: (e.nav_order if e.nav_order is not None else 10**6, e.id))
        self.views = build_views(self.listed, config)
        self.assets: dict[str, str] = {}
        self.cache_dir: Path | None = site_dir / ".cache" if caches else None
        self.remember = False    # keep per-entry pieces of the exports in this process (serve's rebuilds)

