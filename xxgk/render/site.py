"""Render every page and export of the site into an OutputWriter."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from .. import progress
from ..config.site import SiteConfig
from ..link.catalogue import AXES, LISTED_TYPES, View, build_views, sort_key
from ..model import FORM_LABELS, TYPE_LABELS, Entry
from . import exports
from .bodies import render_bodies
from .markdown import derive_summary

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FOOTER_PAGES = (("about", "关于本站"), ("privacy", "隐私安全"), ("accessibility", "无障碍说明"))
GUIDE_PAGE = "guide"


def filesize(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def make_env(site_dir: Path) -> jinja2.Environment:
    loaders = []
    if (site_dir / "templates").is_dir() and (site_dir / "templates").resolve() != BUILTIN_TEMPLATES:
        loaders.append(jinja2.FileSystemLoader(str(site_dir / "templates")))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)
    env.filters["filesize"] = filesize
    return env


def asset_source(site_dir: Path, name: str) -> Path:
    own = site_dir / "templates" / "assets" / name
    return own if own.is_file() else BUILTIN_TEMPLATES / "assets" / name


@dataclass
class RenderResult:
    summaries: dict[str, str] = field(default_factory=dict)
    search_pages: list[str] = field(default_factory=list)   # entry pages to index


class SiteRenderer:
    def __init__(self, site_dir: Path, config: SiteConfig, entries: dict[str, Entry], as_of: date,
                 files: dict | None = None):
        self.site_dir, self.config, self.as_of = site_dir, config, as_of
        self.files = files or {}   # content/files attachments: rel → load.site.Attachment
        self.entries = entries
        self.env = make_env(site_dir)
        self.listed = sorted((e for e in entries.values() if e.type in LISTED_TYPES), key=sort_key)
        self.pages = sorted((e for e in entries.values() if e.type == "pages"),
                            key=lambda e: (e.nav_order if e.nav_order is not None else 10**6, e.id))
        self.views = build_views(self.listed, config)
        self.assets: dict[str, str] = {}
        self.cache_dir: Path | None = site_dir / ".cache"

    # -- shared context -------------------------------------------------------------------------
    def base_context(self, page_path: str, page_lang: str | None = None) -> dict:
        depth = page_path.count("/")
        lang = page_lang or self.config.lang
        page_ids = {e.id for e in self.pages}
        footer_links = [{"title": t, "url": f"pages/{pid}.html"} for pid, t in FOOTER_PAGES if pid in page_ids]
        footer_links += [{"title": "站点地图", "url": "sitemap.html"}, {"title": "订阅", "url": "feed.xml"}]
        main_nav = [{"title": "首页", "url": "index.html"}, {"title": "主动公开目录", "url": "catalogue/index.html"}]
        main_nav += [{"title": TYPE_LABELS[t], "url": "reports/index.html" if t == "reports" else f"catalogue/type/{t}.html"}
                     for t in LISTED_TYPES if any(v.slug == t for v in self.views["type"])]
        if GUIDE_PAGE in page_ids:
            main_nav.append({"title": "信息公开指南", "url": f"pages/{GUIDE_PAGE}.html"})
        main_nav.append({"title": "搜索", "url": "search.html"})
        return {
            "site": self.config, "root": "../" * depth, "page_path": page_path, "current": page_path,
            "assets": self.assets, "page_lang": lang, "chrome_lang": self.config.lang,
            "main_lang": None, "main_nav": main_nav, "footer_links": footer_links,
            "guide_url": f"pages/{GUIDE_PAGE}.html" if GUIDE_PAGE in page_ids else None,
            "description": None, "value": None, "crumbs": [], "children": [], "report_tables": None,
        }

    def render(self, template: str, page_path: str, **ctx) -> str:
        context = self.base_context(page_path, ctx.pop("page_lang", None))
        context.update(ctx)
        return self.env.get_template(template).render(context)

    def axes(self) -> list[dict]:
        out = []
        for axis, label in AXES.items():
            views = self.views[axis]
            if views:
                out.append({"axis": axis, "label": label, "views": views,
                            "parent_labels": {v.slug: v.label for v in views if not v.parent}})
        return out

    # -- the whole site -------------------------------------------------------------------------
    def write_all(self, writer) -> RenderResult:
        result = RenderResult()
        self.write_assets(writer)
        published = {f"{e.type}/{e.id}" for e in self.entries.values()}
        items = [(e.id, e.path, e.body) for e in sorted(self.entries.values(), key=lambda e: (e.type, e.id))
                 if e.is_public_body]
        bodies = render_bodies(items, published, self.cache_dir)
        for e in self.entries.values():
            bodies.setdefault(e.id, "")
            result.summaries[e.id] = e.summary or (derive_summary(bodies[e.id]) if e.is_public_body else None)
        with progress.stage("渲染页面", total=len(self.listed)) as p:
            for e in self.listed:
                writer.write(e.url, self.render_entry(e, bodies[e.id]), e.path)
                result.search_pages.append(e.url)
                p.advance()
        for e in self.pages:
            crumbs = [{"title": "首页", "url": "index.html"}, {"title": e.title, "url": None}]
            writer.write(e.url, self.render("page.html", e.url, entry=e, body_html=bodies[e.id], crumbs=crumbs,
                                            page_lang=e.lang), e.path)
        self.write_catalogue(writer)
        self.write_home_and_misc(writer)
        self.write_exports(writer, result.summaries)
        for rel in sorted(self.files):   # every file of content/files, found and checked by the load stage
            writer.copy(rel, self.files[rel].abs, "content/" + rel)
        return result

    def write_assets(self, writer) -> None:
        for key, name in (("css", "style.css"), ("js", "site.js"), ("search_js", "search.js")):
            data = asset_source(self.site_dir, name).read_bytes()
            stem, ext = name.rsplit(".", 1)
            rel = f"assets/{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"
            self.assets[key] = rel
            writer.write(rel, data, f"templates/assets/{name}")

    def entry_meta(self, e: Entry) -> dict:
        topic = self.config.topics.get(e.topic) if e.topic else None
        return {"agency_names": [self.config.agencies[a].name for a in e.agencies],
                "topic_label": topic.path.replace("/", " / ") if topic else None,
                "form_label": FORM_LABELS.get(e.form or "", "")}

    def render_entry(self, e: Entry, body_html: str) -> str:
        get = lambda ids: [self.entries[i] for i in ids if i in self.entries]  # noqa: E731
        relations = [
            {"label": "政策解读", "entries": get(e.interpreted_by)},
            {"label": "解读的政策", "entries": get(e.interprets)},
            {"label": "本文件废止了", "entries": get(e.repeals)},
            {"label": "本文件被以下文件废止", "entries": get(e.repealed_by)},
            {"label": "本文件修改了", "entries": get(e.amends)},
            {"label": "本文件被以下文件修改", "entries": get(e.amended_by)},
        ]
        type_view = f"catalogue/type/{e.type}.html"
        crumbs = [{"title": "首页", "url": "index.html"}, {"title": "主动公开目录", "url": "catalogue/index.html"},
                  {"title": e.type_label, "url": type_view}, {"title": e.title, "url": None}]
        report_tables = None
        if e.type == "reports" and e.format == "2021" and e.stats:
            body_html, report_tables = self.report_body(e, body_html)
        return self.render("entry.html", e.url, entry=e, meta=self.entry_meta(e), body_html=body_html,
                           cause=self.entries.get(e.status_cause) if e.status_cause else None,
                           relations=relations, relations_interprets=get(e.interprets), crumbs=crumbs,
                           page_lang=e.lang, report_tables=report_tables, description=None)

    def report_body(self, e: Entry, body_html: str):
        try:
            from . import annual2021
        except ImportError:  # pragma: no cover
            return body_html, None
        tables = annual2021.render_tables(self.env, e.stats)
        # the chart of how applications were handled follows the table it is drawn from
        with_chart = {**tables, "三": tables["三"] + annual2021.report_chart_svg(e.id, e.stats)}
        body_html = annual2021.insert_tables(body_html, with_chart)
        return body_html, tables

    def write_catalogue(self, writer) -> None:
        size = self.config.page_size
        for axis, views in self.views.items():
            for v in views:
                pages = v.page_paths(size)
                children = [c for c in views if c.parent == v.slug]
                for n, path in enumerate(pages, 1):
                    crumbs = [{"title": "首页", "url": "index.html"},
                              {"title": "主动公开目录", "url": "catalogue/index.html"},
                              {"title": AXES[axis], "url": f"catalogue/index.html#axis-{axis}"}]
                    if v.parent:
                        parent = next(p for p in views if p.slug == v.parent)
                        crumbs.append({"title": parent.label, "url": parent.url})
                    crumbs.append({"title": v.label + (f"（第{n}页）" if n > 1 else ""), "url": None})
                    html = self.render("listing.html", path, view=v, axis_label=AXES[axis],
                                       page_entries=v.entries[(n - 1) * size:n * size], pages=pages, number=n,
                                       crumbs=crumbs, children=children)
                    writer.write(path, html, f"catalogue {axis}/{v.slug}")
        crumbs = [{"title": "首页", "url": "index.html"}, {"title": "主动公开目录", "url": None}]
        writer.write("catalogue/index.html", self.render("catalogue_index.html", "catalogue/index.html",
                                                         axes=self.axes(), crumbs=crumbs))

    def feeds(self) -> list[dict]:
        feeds = [{"url": "feed.xml", "title": f"{self.config.title}：最新信息", "entries": self.listed}]
        for v in self.views["type"]:
            feeds.append({"url": f"feeds/{v.slug}.xml", "title": f"{self.config.title}：{v.label}", "entries": v.entries})
        for v in self.views["agency"]:
            feeds.append({"url": f"feeds/agency-{v.slug}.xml", "title": f"{self.config.title}：{v.label}",
                          "entries": v.entries})
        return feeds

    def write_home_and_misc(self, writer) -> None:
        latest = [{"type": v.slug, "label": v.label, "url": v.url, "entries": v.entries[:5]} for v in self.views["type"]]
        writer.write("index.html", self.render("home.html", "index.html", latest=latest, axes=self.axes()))
        writer.write("search.html", self.render("search.html", "search.html", axes=self.axes()))
        crumbs = [{"title": "首页", "url": "index.html"}, {"title": "站点地图", "url": None}]
        writer.write("sitemap.html", self.render("sitemap.html", "sitemap.html", axes=self.axes(), crumbs=crumbs,
                                                 pages_list=self.pages, feeds=self.feeds()))
        writer.write("404.html", self.render("404.html", "404.html"))

    def write_reports(self, writer) -> None:
        """年度报告: an index of every year of every agency, year-over-year charts, the numbers as data."""
        from . import annual2021
        reports = [e for e in self.listed if e.type == "reports"]
        if not reports:
            return
        series, figures = [], []
        for e in sorted(reports, key=lambda e: (e.year or 0, e.id)):
            if e.format == "2021" and e.stats:
                names = [self.config.agencies[a].name for a in e.agencies]
                meta = {"id": e.id, "title": e.title, "url": e.url, "agency": names, "year": e.year,
                        "published": e.published.isoformat(), "index_no": e.index_no}
                writer.write(f"reports/{e.id}.json", annual2021.export_json(meta, e.stats), e.path)
                writer.write(f"reports/{e.id}.csv", annual2021.export_csv(meta, e.stats), e.path)
                series.append({"agency": "、".join(names), "year": e.year, "report_id": e.id, "stats": e.stats})
                figures.append({"report_id": e.id, "agency": names, "year": e.year, "stats": e.stats})
        writer.write("reports/figures.csv", annual2021.figures_csv(figures))
        agencies = [a for a in self.config.agency_list if any(a.key in e.agencies for e in reports)]
        years = sorted({e.year for e in reports if e.year}, reverse=True)
        grid = [{"agency": a, "cells": [[e for e in reports if e.year == y and a.key in e.agencies] for y in years]}
                for a in agencies]
        crumbs = [{"title": "首页", "url": "index.html"}, {"title": "年度报告", "url": None}]
        writer.write("reports/index.html", self.render(
            "reports_index.html", "reports/index.html", crumbs=crumbs, years=years, grid=grid,
            trend_html=annual2021.trend_charts_svg(series) if len(series) > 1 else "",
            data_reports=[s["report_id"] for s in series]))

    def write_exports(self, writer, summaries: dict[str, str]) -> None:
        self.write_reports(writer)
        records = [exports.entry_record(e, self.config, summaries.get(e.id)) for e in self.listed]
        writer.write("catalogue.json", exports.catalogue_json(records, self.config, self.as_of))
        writer.write("catalogue.csv", exports.catalogue_csv(records))
        for f in self.feeds():
            writer.write(f["url"], exports.atom_feed(f["url"], f["title"], f["entries"], self.config, summaries))
        if self.config.base_url:
            urls = ["index.html", "catalogue/index.html", "search.html", "sitemap.html"]
            urls += [e.url for e in self.listed] + [e.url for e in self.pages]
            urls += [p for vs in self.views.values() for v in vs for p in v.page_paths(self.config.page_size)]
            writer.write("sitemap.xml", exports.sitemap_xml(urls, self.config.base_url))
            writer.write("robots.txt", exports.robots_txt(self.config.base_url))
