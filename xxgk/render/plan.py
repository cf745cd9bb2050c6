"""Planning the outputs: each one a Job with the key of everything it is made from (records.py keeps
the keys; an output whose key did not change is not made again)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Callable
from ..link.catalogue import View
from ..model import Entry
from . import exports
from ..incremental.code import code_digest
from ..incremental.templates import TemplateDigests
from .pages import site_root_path


@dataclass
class Job:
    """One output: its path, what it is made from (names and their digest), and how to make it."""
    path: str
    deps: list[str]
    key: str
    make: Callable[[], str | bytes]
    source: str = ""
    entry: Entry | None = None      # an entry page: needs the entry's body
    parallel: bool = False          # may be rendered in a worker process (needs nothing made in the build)


def digest(*parts) -> str:
    """A digest of values whose repr is stable (str, int, date, None, and lists and tuples of them)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def summaries_key(summaries: list) -> str:
    """What the outputs showing every listed entry's summary are made from: the summaries, in catalogue order."""
    return digest(*summaries)


class KnownDigests:
    """The template digests a full build computed (incremental.templates.TemplateDigests.known), for a
    resumed build: its templates are unchanged, or it would not be resumed."""

    def __init__(self, known: dict[str, str]):
        self._known = known

    def digest(self, *names: str) -> str:
        return self._known["\0".join(names)]


REPORT_TABLES = "components/annual_report_tables.html"


TABLE2_NOTE = "components/table2_note.html"


KEPT_PIECES: dict = {}       # see SiteRenderer.memo



class Planning:
    """(a part of render.site.SiteRenderer)"""

    def prepare_keys(self) -> None:
        """Digests of everything outputs are made from: entries (as linked, with their computed
        validity), templates, the config and the generator, and the page chrome (navigation, assets)."""
        self.templates = TemplateDigests(self.env, self.cache_dir)
        self.published = {f"{e.type}/{e.id}" for e in self.entries.values()}
        # what other outputs show of an entry (its page's own key adds the body): a body edit
        # renders its page again, not every listing and export that names the entry
        self.mdig = {eid: self.meta_digest(e) for eid, e in self.entries.items()}
        self.edig = {eid: self.entry_digest(e) for eid, e in self.entries.items()}
        self.base = digest(code_digest(), self.config.raw_hash)
        ctx = self.base_context("")
        self.chrome = digest(self.base, ctx["main_nav"], ctx["footer_links"], ctx["guide_url"], sorted(self.assets.items()))
        self.all_listed = digest(*(f"{e.id}={self.mdig[e.id]}" for e in self.listed),
                                 *(f"{e.id}={self.mdig[e.id]}" for e in self.pages))

    def entry_digest(self, e: Entry) -> str:
        """What an entry's own page shows of it: what others show, and its body."""
        return digest(self.mdig[e.id], e.body_digest, [(t, t in self.published) for t in e.links])

    def meta_digest(self, e: Entry) -> str:
        # the id and type too: a renamed or moved file keeps its front matter, not its page's address
        return digest(e.id, e.type, e.digest, e.status, e.status_since, e.status_cause, e.repeals, e.repealed_by,
                      e.amends, e.amended_by, e.interprets, e.interpreted_by,
                      [(a.file, a.size, a.digest) for a in e.attachments],
                      # an interpretation shows the state of the policies it interprets (link/validity.py)
                      [(p, self.entries[p].status, self.entries[p].status_since) for p in e.interprets
                       if p in self.entries],
                      # a report's table 二 counted from other entries (audit/table2.py); a policy's default valid_until
                      e.table2.key() if e.table2 is not None else None, e.valid_until)

    @property
    def summary_key(self) -> str:
        """A digest of every listed entry's summary (derived ones come from the rendered bodies, so
        this is asked only after the pages are rendered)."""
        if not hasattr(self, "_summary_key"):
            s = self.summaries()
            self._summary_key = summaries_key([s.get(e.id) for e in self.listed])
        return self._summary_key

    def page_job(self, path: str, template: str, deps: list[str], parts: list, make, source: str = "",
                 entry: Entry | None = None) -> Job:
        return Job(path, ["config", f"templates:{template}"] + deps,
                   digest(self.chrome, path, self.templates.digest(template), *parts), make, source or path, entry,
                   parallel=True)

    def global_job(self, path: str, template: str | None, make, extra: tuple = (), summaries: bool = False) -> Job:
        """An output made from every listed entry (home, catalogue index, exports …); with
        summaries=True it shows their summaries too (only after rendering: see summary_key)."""
        tdig = self.templates.digest(template) if template else ""
        return Job(path, ["config"] + ([f"templates:{template}"] if template else []) + ["entries:*"],
                   digest(self.chrome, path, tdig, self.all_listed, self.summary_key if summaries else "", *extra),
                   make, path)

    def plan(self) -> list[Job]:
        jobs = [self.entry_job(e) for e in self.listed] + [self.entry_job(e) for e in self.pages]
        jobs += self.catalogue_jobs()
        jobs += self.home_and_misc_jobs()
        jobs += self.report_jobs()
        return jobs

    def entry_job(self, e: Entry) -> Job:
        """An entry's own page (a listed entry's, or a page's)."""
        if e.type == "pages":
            crumbs = [{"title": "首页", "url": "index.html"}, {"title": e.title, "url": None}]
            return self.page_job(e.url, "page.html", [f"entry:{e.id}"], [self.edig[e.id]],
                                 lambda: self.render("page.html", e.url, entry=e, body_html=self.bodies.html([e.id])[e.id],
                                                     crumbs=crumbs, page_lang=e.lang), e.path, e)
        related = sorted({*e.interpreted_by, *e.interprets, *e.repeals, *e.repealed_by, *e.amends, *e.amended_by,
                          *([e.status_cause] if e.status_cause else [])} & self.entries.keys())
        return self.page_job(e.url, "entry.html", [f"entry:{e.id}"] + [f"entry:{r}" for r in related],
                             [self.edig[e.id]] + [self.mdig[r] for r in related]
                             + ([self.templates.digest(REPORT_TABLES), self.templates.digest(TABLE2_NOTE)]
                                if e.type == "reports" else []),
                             lambda: self.render_entry(e, self.bodies.html([e.id])[e.id]), e.path, e)

    def catalogue_jobs(self) -> list[Job]:
        size = self.config.page_size
        jobs = []
        tdig = self.templates.digest("listing.html")
        for axis, views in self.views.items():
            by_slug = {v.slug: v for v in views}
            children_of: dict[str, list[View]] = {}
            for c in views:
                if c.parent:
                    children_of.setdefault(c.parent, []).append(c)
            for v in views:
                pages = v.page_paths(size)
                children = children_of.get(v.slug, [])
                parent = by_slug[v.parent] if v.parent else None
                head = [axis, v.slug, v.label, len(v.entries), len(pages), parent.label if parent else "",
                        [(c.slug, c.label, len(c.entries)) for c in children]]
                for n, path in enumerate(pages, 1):
                    page_entries = v.entries[(n - 1) * size:n * size]
                    jobs.append(Job(
                        path, ["config", "templates:listing.html"] + [f"entry:{e.id}" for e in page_entries],
                        digest(self.chrome, path, tdig, n, head, [self.mdig[e.id] for e in page_entries]),
                        lambda axis=axis, v=v, n=n, path=path, pages=pages, children=children, parent=parent,
                        page_entries=page_entries: self.render_listing(axis, v, n, path, pages, children, parent,
                                                                       page_entries),
                        f"catalogue {axis}/{v.slug}", parallel=True))
        crumbs = [{"title": "首页", "url": "index.html"}, {"title": "主动公开目录", "url": None}]
        jobs.append(self.global_job("catalogue/index.html", "catalogue_index.html", lambda: self.render(
            "catalogue_index.html", "catalogue/index.html", axes=self.axes(), crumbs=crumbs)))
        return jobs

    def home_and_misc_jobs(self) -> list[Job]:
        latest = lambda: [{"type": v.slug, "label": v.label, "url": v.url, "entries": v.entries[:5]}  # noqa: E731
                          for v in self.views["type"]]
        crumbs = [{"title": "首页", "url": "index.html"}, {"title": "站点地图", "url": None}]
        from ..write.search_bundles import INDEX_BUNDLE as first     # (search.js starts loading it at once)
        return [
            self.global_job("index.html", "home.html", lambda: self.render("home.html", "index.html", latest=latest(),
                                                                           axes=self.axes())),
            self.global_job("search.html", "search.html", lambda: self.render("search.html", "search.html",
                                                                              axes=self.axes(), first_bundle=first),
                            extra=(first,)),
            self.global_job("sitemap.html", "sitemap.html", lambda: self.render(
                "sitemap.html", "sitemap.html", axes=self.axes(), crumbs=crumbs, pages_list=self.pages,
                feeds=self.feeds())),
            self.page_job("404.html", "404.html", [], [], lambda: self.render(
                "404.html", "404.html", site_root=site_root_path(self.config.base_url))),
        ]

    def report_jobs(self) -> list[Job]:
        """年度报告: an index of every year of every agency, year-over-year charts, the numbers as data."""
        from .. import annual2021
        reports = [e for e in self.listed if e.type == "reports"]
        if not reports:
            return []
        jobs, series, figures = [], [], []
        for e in sorted(reports, key=lambda e: (e.year or 0, e.id)):
            if e.format == "2021" and e.stats:
                names = [self.config.agencies[a].name for a in e.agencies]
                meta = {"id": e.id, "title": e.title, "url": e.url, "agency": names, "year": e.year,
                        "published": e.published.isoformat(), "index_no": e.index_no}
                for ext, fn in (("json", annual2021.export_json), ("csv", annual2021.export_csv)):
                    path = f"reports/{e.id}.{ext}"
                    jobs.append(Job(path, ["config", f"entry:{e.id}"], digest(self.base, path, self.mdig[e.id]),
                                    lambda fn=fn, meta=meta, e=e: fn(meta, e.stats), e.path))
                series.append({"agency": "、".join(names), "year": e.year, "report_id": e.id, "stats": e.stats})
                figures.append({"report_id": e.id, "agency": names, "year": e.year, "stats": e.stats})
        jobs.append(self.global_job("reports/figures.csv", None, lambda: annual2021.figures_csv(figures)))

        def index_page() -> str:
            agencies = [a for a in self.config.agency_list if any(a.key in e.agencies for e in reports)]
            years = sorted({e.year for e in reports if e.year}, reverse=True)
            grid = [{"agency": a, "cells": [[e for e in reports if e.year == y and a.key in e.agencies] for y in years]}
                    for a in agencies]
            crumbs = [{"title": "首页", "url": "index.html"}, {"title": "年度报告", "url": None}]
            return self.render("reports_index.html", "reports/index.html", crumbs=crumbs, years=years, grid=grid,
                               trend_html=annual2021.trend_charts_svg(series) if len(series) > 1 else "",
                               data_reports=[{"id": s["report_id"], "title": self.entries[s["report_id"]].title}
                                             for s in series])
        jobs.append(self.global_job("reports/index.html", "reports_index.html", index_page))
        return jobs

    def export_jobs(self) -> list[Job]:
        jobs = self.catalogue_export_jobs()
        summaries = self.summaries()
        for f in self.feeds():     # a feed shows its latest FEED_ENTRIES entries, summaries included
            jobs.append(self.feed_job(f["url"], f["title"], f["shown"], summaries))
        if self.config.base_url:
            size = self.config.page_size
            count = 4 + any(e.type == "reports" for e in self.listed) + len(self.listed) + len(self.pages) + sum(
                max(1, -(-len(v.entries) // size)) for vs in self.views.values() for v in vs)
            made: dict = {}

            def sitemap(path: str) -> str:     # every file made at once, the first time one is asked for
                if not made:
                    made.update(exports.sitemap_files(self.sitemap_urls(), self.config.base_url))
                return made[path]
            for path in exports.sitemap_paths(count):
                jobs.append(self.global_job(path, None, lambda path=path: sitemap(path)))
            jobs.append(self.global_job("robots.txt", None, lambda: exports.robots_txt(self.config.base_url)))
        return jobs

    def catalogue_export_jobs(self) -> list[Job]:
        """catalogue.json and catalogue.csv, made from each listed entry's pieces (export_pieces; a
        resumed build's are the snapshot's with the edited entries' made again: edits.resumed_exports)."""
        return [self.global_job("catalogue.json", None, lambda: exports.catalogue_json(
                    self.export_pieces()[0], self.config, self.as_of), extra=(self.as_of,), summaries=True),
                self.global_job("catalogue.csv", None, lambda: exports.catalogue_csv(self.export_pieces()[1]),
                                summaries=True)]

    def export_pieces(self, make: bool = True) -> tuple[list[bytes], list[bytes]] | None:
        """Every listed entry's line of catalogue.json and row of catalogue.csv, in catalogue order
        (exports.entry_pieces; only after rendering: the summaries). The resume snapshot keeps them.
        make=False: None unless they were made already."""
        if not hasattr(self, "_pieces"):
            if not make:
                return None
            s = self.summaries()
            made = [self.memo("pieces", e, lambda e=e: exports.entry_pieces(e, self.config, s.get(e.id)))
                    for e in self.listed]
            self._pieces = [m[0] for m in made], [m[1] for m in made]
        return self._pieces

    def feed_job(self, url: str, title: str, shown: list[str], summaries) -> Job:
        """A feed of these entries (ids: feeds()'s "shown"), their summaries (`summaries.get`) included."""
        s = {eid: summaries.get(eid) for eid in shown}
        make = lambda: exports.atom_feed(url, title, [self.entries[eid] for eid in shown], self.config, s)  # noqa: E731
        return Job(url, ["config"] + [f"entry:{eid}" for eid in shown],
                   digest(self.base, url, title, [(self.mdig[eid], s[eid]) for eid in shown]), make, url)

    def feeds(self) -> list[dict]:
        feeds = [{"url": "feed.xml", "title": f"{self.config.title}：最新信息", "entries": self.listed}]
        for v in self.views["type"]:
            feeds.append({"url": f"feeds/{v.slug}.xml", "title": f"{self.config.title}：{v.label}", "entries": v.entries})
        for v in self.views["agency"]:
            feeds.append({"url": f"feeds/agency-{v.slug}.xml", "title": f"{self.config.title}：{v.label}",
                          "entries": v.entries})
        for f in feeds:            # what a feed shows: its latest FEED_ENTRIES entries (ids)
            f["shown"] = [e.id for e in f["entries"][:exports.FEED_ENTRIES]]
        return feeds

    def summaries(self) -> dict[str, str | None]:
        """Each entry's summary: as written, else derived from its body."""
        if not hasattr(self, "_summaries"):
            derived = self.bodies.summaries([e.id for e in self.entries.values() if not e.summary and e.is_public_body])
            self._summaries = {e.id: e.summary or derived.get(e.id) or None for e in self.entries.values()}
        return self._summaries

    def memo(self, kind: str, e: Entry, make):
        """A per-entry piece of the catalogue exports, kept in this process while the entry, the
        config and the generator are unchanged (so serve's rebuilds redo only the edited entries)."""
        if not self.remember:
            return make()
        key = (kind, self.base, self.mdig[e.id], self.summaries().get(e.id))
        got = KEPT_PIECES.get(key)
        if got is None:
            if len(KEPT_PIECES) > 8 * (len(self.listed) + 1000):
                KEPT_PIECES.clear()
            got = KEPT_PIECES[key] = make()
        return got

    def sitemap_urls(self) -> list[tuple[str, date | None]]:
        """Every address of sitemap.xml with its lastmod: an entry's page changes when it is published
        and when its validity changes; a listing page with the entries it shows; the overviews with all."""
        size = self.config.page_size
        changed = {e.id: exports.changed(e) for e in self.listed}
        last = max(changed.values(), default=None)
        urls = [(u, last) for u in ("index.html", "catalogue/index.html", "search.html", "sitemap.html")]
        reports = [changed[e.id] for e in self.listed if e.type == "reports"]
        if reports:
            urls.append(("reports/index.html", max(reports)))
        urls += [(e.url, changed[e.id]) for e in self.listed] + [(e.url, e.published) for e in self.pages]
        for vs in self.views.values():
            for v in vs:
                for n, path in enumerate(v.page_paths(size)):
                    urls.append((path, max((changed[e.id] for e in v.entries[n * size:(n + 1) * size]), default=None)))
        return urls
