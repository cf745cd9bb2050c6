"""Render every page and export of the site into an OutputWriter."""
from __future__ import annotations

import gc
import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import jinja2

from .. import progress
from ..config.site import SiteConfig
from ..link.catalogue import AXES, LISTED_TYPES, View, build_views, sort_key
from ..model import FORM_LABELS, TYPE_LABELS, Entry
from . import exports
from ..incremental.code import code_digest
from ..memory import kept_for_the_build
from ..parallel import chunks, fork_workers, forked
from ..incremental.templates import TemplateDigests
from .bodies import Bodies, body_key, derive_summary
from . import inspection
from ..timing import lap
from ..resources import BUILTIN_TEMPLATES

FOOTER_PAGES = (("about", "关于本站"), ("privacy", "隐私安全"), ("accessibility", "无障碍说明"))
GUIDE_PAGE = "guide"
APPLY_ANCHOR = "apply"    # the guide's section on 依申请公开 ({#apply} on its heading)
REPORT_TABLES = "components/annual_report_tables.html"
TABLE2_NOTE = "components/table2_note.html"


def filesize(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def make_env(site_dir: Path, caches: bool = True) -> jinja2.Environment:
    loaders = []
    if (site_dir / "templates").is_dir() and (site_dir / "templates").resolve() != BUILTIN_TEMPLATES:
        loaders.append(jinja2.FileSystemLoader(str(site_dir / "templates")))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    cache = None
    try:   # compiled templates are kept in the site's .cache/ (Jinja checks each against its source)
        if caches:
            (site_dir / ".cache" / "jinja").mkdir(parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(site_dir / ".cache" / "jinja"))
    except OSError:
        pass
    # auto_reload=False: one Environment serves one build (serve makes a new one for each rebuild), so
    # Jinja need not stat every template a page extends or includes each time it is used (about 12
    # stat calls a page: 1.2 s of CPU over 10,000 entries)
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True, bytecode_cache=cache,
                             auto_reload=False)
    env.filters["filesize"] = filesize
    env.filters["docno"] = inspection.docno
    return env


def asset_source(site_dir: Path, name: str) -> Path:
    own = site_dir / "templates" / "assets" / name
    return own if own.is_file() else BUILTIN_TEMPLATES / "assets" / name


@dataclass
class RenderResult:
    summaries: dict[str, str] = field(default_factory=dict)
    search_pages: list[str] = field(default_factory=list)   # entry pages to index
    keys: dict[str, str] = field(default_factory=dict)      # output path → what it was made from
    search_data: Callable[[list[str]], None] | None = None   # writes search-data.js naming the bundles
    rendered: list[str] = field(default_factory=list)         # outputs rendered again (the rest were kept)


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


PARALLEL_PAGES = 300   # fewer pages to render: one process is quicker than starting workers
KEEP_FOR_SERVE = 20000  # serve keeps a site of up to this many entries whole while Pagefind runs (release)
_MEMO: dict = {}       # see SiteRenderer.memo


class TemplateProblem(Exception):
    """A template could not be compiled or rendered: args = (path, line, message), picklable so a
    worker process can send it back."""


def _template_problem(exc: Exception, site_dir: Path) -> TemplateProblem:
    import traceback
    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not path or not line:     # a rendering error: the innermost template frame says where
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        if frames:
            path, line = frames[-1].filename, frames[-1].lineno
    where = Path(path or "templates")
    for base in (Path(site_dir).resolve(), BUILTIN_TEMPLATES.parent):
        try:
            where = Path(path).resolve().relative_to(base)
            break
        except (ValueError, OSError, TypeError):
            continue
    builtin = not str(where).startswith("templates") or Path(path or "").resolve().is_relative_to(BUILTIN_TEMPLATES)
    hint = ("这是内置模板，请报告给开发者" if builtin and not Path(site_dir, where).is_file()
            else "请改正它；删除站点 templates/ 中的这个文件即恢复使用内置模板")
    message = (getattr(exc, "message", None) or str(exc)).rstrip("。. ")
    return TemplateProblem(where.as_posix(), line or 1, f"模板出错（{type(exc).__name__}）：{message}。{hint}")


def make_output(job: "Job", site_dir: Path):
    """job.make(), with a template's error turned into a message naming the template and line."""
    try:
        return job.make()
    except jinja2.TemplateError as exc:
        raise _template_problem(exc, site_dir) from None


def make_or_keep(writer, job: "Job", site_dir: Path) -> bool:
    """Keep the published output when its key is unchanged, else make and write it (True)."""
    if writer.fresh(job.path, job.key):
        writer.keep(job.path, job.source, job.key, job.deps)
        return False
    writer.write(job.path, make_output(job, site_dir), job.source, job.key, job.deps)
    return True


def _render_chunk(shared: tuple, indexes: range) -> tuple[list[tuple[int, bytes]], list]:
    """In a worker: render these pages, their Markdown bodies included (the parent writes the pages
    — creating files is the slow part on many disks, and two processes creating files in one folder
    wait for each other — and keeps the new bodies in its cache)."""
    jobs, site_dir, bodies = shared
    # the inherited heap was frozen before the fork (gc.freeze), so the cycle collector only looks at
    # what this worker makes (Markdown leaves cycles behind: it must run)
    bodies.in_worker()
    out = []
    for i in indexes:
        data = make_output(jobs[i], site_dir)
        out.append((i, data.encode("utf-8") if isinstance(data, str) else data))
        if jobs[i].entry is not None:
            bodies.forget(jobs[i].entry.id)
    return out, bodies.take_new_rows()


def trim_memory() -> None:
    """Return freed heap pages to the system (glibc keeps them otherwise)."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def site_root_path(base_url: str | None) -> str | None:
    """The path the site is served under at its address: "/" for https://xxgk.example.gov.cn/,
    "/xxgk/" for https://example.gov.cn/xxgk; None without an address."""
    if not base_url:
        return None
    from urllib.parse import urlsplit
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def digest(*parts) -> str:
    """A digest of values whose repr is stable (str, int, date, None, and lists and tuples of them)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


class KnownDigests:
    """The template digests a full build computed (incremental.templates.TemplateDigests.known), for a
    resumed build: its templates are unchanged, or it would not be resumed."""

    def __init__(self, known: dict[str, str]):
        self._known = known

    def digest(self, *names: str) -> str:
        return self._known["\0".join(names)]


class SiteRenderer:
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

    # -- shared context -------------------------------------------------------------------------
    @property
    def nav(self) -> dict:
        """What every page shows of the whole site: its navigation and footer links (made once)."""
        if "_nav" not in self.__dict__:
            page_ids = {e.id for e in self.pages}
            footer_links = [{"title": t, "url": f"pages/{pid}.html"} for pid, t in FOOTER_PAGES if pid in page_ids]
            footer_links += [{"title": "站点地图", "url": "sitemap.html"}, {"title": "订阅", "url": "feed.xml"}]
            main_nav = [{"title": "首页", "url": "index.html"}, {"title": "主动公开目录", "url": "catalogue/index.html"}]
            main_nav += [{"title": TYPE_LABELS[t],
                          "url": "reports/index.html" if t == "reports" else f"catalogue/type/{t}.html"}
                         for t in LISTED_TYPES if any(v.slug == t for v in self.views["type"])]
            if GUIDE_PAGE in page_ids:
                main_nav.append({"title": "信息公开指南", "url": f"pages/{GUIDE_PAGE}.html"})
                # 依申请公开: how to apply, the section of the guide (its heading's anchor, see content/pages/guide.md)
                main_nav.append({"title": "依申请公开", "url": f"pages/{GUIDE_PAGE}.html#{APPLY_ANCHOR}"})
            main_nav.append({"title": "搜索", "url": "search.html"})
            self._nav = {"main_nav": main_nav, "footer_links": footer_links,
                         "guide_url": f"pages/{GUIDE_PAGE}.html" if GUIDE_PAGE in page_ids else None}
        return self._nav

    def base_context(self, page_path: str, page_lang: str | None = None) -> dict:
        return {
            "site": self.config, "root": "../" * page_path.count("/"), "page_path": page_path, "current": page_path,
            "assets": self.assets, "page_lang": page_lang or self.config.lang, "chrome_lang": self.config.lang,
            "main_lang": None, **self.nav,
            "description": None, "value": None, "crumbs": [], "children": [], "report_tables": None,
            "meta_tags": None, "footer_marks": inspection.footer_links(self.config.footer),
        }

    def render(self, template: str, page_path: str, **ctx) -> str:
        context = self.base_context(page_path, ctx.pop("page_lang", None))
        context.update(ctx)
        if context["meta_tags"] is None:
            column, kind = inspection.column_of(page_path, context.get("view"))
            context["meta_tags"] = inspection.page_meta(self.config, page_path, column, kind)
        return self.env.get_template(template).render(context)

    def axes(self) -> list[dict]:
        out = []
        for axis, label in AXES.items():
            views = self.views[axis]
            if views:
                out.append({"axis": axis, "label": label, "views": views,
                            "parent_labels": {v.slug: v.label for v in views if not v.parent}})
        return out

    # -- what each output is made from -----------------------------------------------------------
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
            self._summary_key = digest(*(s.get(e.id) for e in self.listed))
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

    # -- the whole site -------------------------------------------------------------------------
    def write_all(self, writer) -> RenderResult:
        """Plan every output with its key; render only those whose key changed or whose published
        file is not as recorded; keep the rest as they are."""
        self.write_assets(writer)
        with kept_for_the_build():        # the keys and the jobs live as long as the build
            self.prepare_keys()
            lap("render: keys")
            self.bodies = Bodies(self.entries, self.published, self.cache_dir, site_dir=self.site_dir)
            self.jobs = self.plan()
        self.templates.save()
        lap("render: plan")
        return self.write_planned(writer)

    def bodies_edited(self, edited: list[Entry]) -> None:
        """Only these entries' bodies changed since the last build made this renderer (serve keeps it;
        see incremental/warm.py): their new body digests go into the kept keys, plan and caches."""
        where = {j.path: i for i, j in enumerate(self.jobs)}
        for new in edited:
            e = self.entries[new.id]
            e.body_digest, e.links = new.body_digest, list(new.links)
            self.edig[e.id] = self.entry_digest(e)
            self.bodies.edited(e)
            self.jobs[where[e.url]] = self.entry_job(e)
        summaries = self.__dict__.get("_summaries")
        if summaries is None:
            return
        # the summaries shown by the exports: only a summary taken from an edited body can change
        if self.summaries_edited([self.entries[n.id] for n in edited], summaries):
            for name in ("_summary_key", "_records"):
                self.__dict__.pop(name, None)

    def summaries_edited(self, entries: list[Entry], summaries) -> dict[str, tuple]:
        """Put into `summaries` what summaries() gives for these entries after their bodies were edited;
        return those that changed: id → (old, new)."""
        derived = self.bodies.summaries([e.id for e in entries if not e.summary and e.is_public_body])
        changed = {}
        for e in entries:
            old, new = summaries.get(e.id), e.summary or derived.get(e.id) or None
            if new != old:
                changed[e.id] = (old, new)
                summaries[e.id] = new
        return changed

    # -- a build resumed from the last one's snapshot (incremental/resume.py) -----------------------
    def kept_parts(self) -> dict:
        """What an entry's page is made from besides the entries (after write_all): for `resumed`."""
        return {"files": self.files, "assets": self.assets, "nav": self.nav, "templates": self.templates.known(),
                "chrome": self.chrome, "base": self.base, "published": self.published, "mdig": self.mdig,
                "edig": self.edig, "all_listed": self.all_listed,
                "feeds": [(f["url"], f["title"], [e.id for e in f["entries"][:exports.FEED_ENTRIES]])
                          for f in self.feeds()]}

    @classmethod
    def resumed(cls, site_dir: Path, config: SiteConfig, as_of: date, kept: dict, entries, summaries):
        """A renderer of entry pages only, made from what a full build kept (`kept_parts`), the linked
        entries (a mapping that may load them as asked) and the summaries its exports showed."""
        self = cls.__new__(cls)
        self.site_dir, self.config, self.as_of, self.entries = site_dir, config, as_of, entries
        self.cache_dir, self.remember = site_dir / ".cache", False
        self.env = make_env(site_dir)
        self.files, self.assets, self._nav = kept["files"], kept["assets"], kept["nav"]
        self.templates = KnownDigests(kept["templates"])
        self.chrome, self.base, self.published = kept["chrome"], kept["base"], kept["published"]
        self.mdig, self.edig, self._summaries = kept["mdig"], kept["edig"], summaries
        self.all_listed, self._feeds = kept["all_listed"], kept["feeds"]
        self.summary_changes: dict[str, tuple] = {}     # see edited_pages
        return self

    def edited_pages(self, edited: list[Entry]) -> list[Job]:
        """(resumed) The pages of these entries, whose bodies alone were edited, with their new digests.
        The summaries the exports show that changed with them go into `summary_changes` (id → old, new)
        and the summaries (see resumed_exports)."""
        entries, replaced, made_from = [], [], {}
        for new in edited:
            e = self.entries[new.id]
            made_from[e.id] = self.entry_job(e).key                # the published page's key
            if e.is_public_body:
                replaced.append(body_key(e, self.published))     # the cache forgets the old body
            e.body_digest, e.links = new.body_digest, list(new.links)
            self.edig[e.id] = self.entry_digest(e)
            entries.append(e)
        self.bodies = Bodies({e.id: e for e in entries}, self.published, self.cache_dir, workers=1,
                             site_dir=self.site_dir)
        self.bodies.replacing(replaced)
        self.summary_changes = self.summaries_edited([e for e in entries if e.type in LISTED_TYPES],
                                                     self._summaries)     # (the exports show only theirs)
        jobs = [self.entry_job(e) for e in entries]
        return [j for j in jobs if j.key != made_from[j.entry.id]]     # (a file saved unchanged: nothing to do)

    def resumed_exports(self, listed: tuple[list, list], read, bundles: list[str]
                        ) -> list[tuple[Job, str | bytes]] | None:
        """(resumed) The exports showing the summaries in `summary_changes`, as a full build would make
        them: in catalogue.json, catalogue.csv and search-data.js (`read(path)`: the published bytes)
        those entries' lines replaced, each line being what the full build writes for an entry; the
        feeds showing them made again. `listed`: every listed entry's id and summary, in catalogue
        order, as the last build showed them; `bundles`: those search-data.js names (none without the
        search index). None when a published file lacks a line it should hold."""
        from ..write import search_data
        ids, summaries = listed
        at = {eid: i for i, eid in enumerate(ids)}
        summaries = list(summaries)
        for eid, (_old, new) in self.summary_changes.items():
            summaries[at[eid]] = new
        self._summary_key = digest(*summaries)
        out = []

        def replaced(path: str, line, extra: tuple) -> tuple[Job, bytes] | None:
            data = read(path)            # (bytes: decoding 10 MB of Chinese text costs more than the rest)
            for eid, (old, new) in self.summary_changes.items():
                was, now = line(self.entries[eid], old).encode(), line(self.entries[eid], new).encode()
                if data.count(was) != 1:
                    return None
                data = data.replace(was, now)
            job = self.global_job(path, None, None, extra=extra, summaries=True)
            job.source = "search index" if path == "search-data.js" else path
            return job, data

        for path, line, extra in (
                ("catalogue.json", lambda e, s: exports.json_line(exports.entry_record(e, self.config, s)), (self.as_of,)),
                ("catalogue.csv", lambda e, s: exports.csv_row(exports.entry_record(e, self.config, s)), ())):
            out.append(replaced(path, line, extra))
        for url, title, shown in self._feeds:
            if any(eid in self.summary_changes for eid in shown):
                s = {eid: self._summaries.get(eid) for eid in shown}
                out.append((Job(url, ["config"] + [f"entry:{eid}" for eid in shown],
                                digest(self.base, url, title, [(self.mdig[eid], s[eid]) for eid in shown]), None, url),
                            exports.atom_feed(url, title, [self.entries[eid] for eid in shown], self.config, s)))
        out.append(replaced("search-data.js", lambda e, s: search_data.record_js(
            search_data.entry_record(e, self.config, s)), (bundles,)))
        return None if None in out else out

    def write_planned(self, writer) -> RenderResult:
        """Render the planned outputs whose key changed or whose published file is not as recorded."""
        result = RenderResult()
        jobs = self.jobs
        stale = [j for j in jobs if not writer.fresh(j.path, j.key)]
        stale_paths = {j.path for j in stale}
        in_workers = [j for j in stale if j.parallel]
        workers = fork_workers(len(in_workers), PARALLEL_PAGES)
        if not workers:
            in_workers = []
        # Markdown, once, for the pages rendered here; workers render their own pages' bodies, so no
        # process ever holds every body at once
        worker_paths = {j.path for j in in_workers}
        self.bodies.html([j.entry.id for j in stale if j.entry is not None and j.path not in worker_paths])
        with progress.stage("渲染页面", total=len(stale)) as p:
            if in_workers:
                self._render_in_workers(in_workers, writer, workers, p)
            done = {j.path for j in in_workers}
            for j in jobs:
                result.keys[j.path] = j.key
                if j.path in done:
                    continue
                if j.path in stale_paths:
                    writer.write(j.path, make_output(j, self.site_dir), j.source, j.key, j.deps)
                    p.advance()
                else:
                    writer.keep(j.path, j.source, j.key, j.deps)
        lap("render: pages")
        # the exports show summaries, known for every entry only now that the pages are rendered
        with kept_for_the_build():    # (their records, a dict an entry, last until the search data is written)
            for j in self.export_jobs():
                result.keys[j.path] = j.key
                if make_or_keep(writer, j, self.site_dir):
                    stale.append(j)
        result.rendered = [j.path for j in stale]
        lap("render: exports")
        result.search_pages = [e.url for e in self.listed]
        result.search_data = lambda bundles: self.write_search_data(writer, bundles, result)
        for rel in sorted(self.files):   # every file of content/files, found and checked by the load stage
            a = self.files[rel]
            st = a.abs.stat()
            writer.copy(rel, a.abs, "content/" + rel, key=digest(st.st_size, st.st_mtime_ns, st.st_ino))
        self.bodies.finish()
        return result

    def _render_in_workers(self, jobs: list[Job], writer, workers: int, p) -> None:
        """Render pages on every core: worker processes forked from this one (so they share the
        entries, bodies and compiled templates) render; this process writes, in the pages' order."""
        self.bodies.before_fork()
        for name in sorted({"entry.html", "page.html", "listing.html", "404.html"}):
            try:
                self.env.get_template(name)      # compiled once, before the fork
            except jinja2.TemplateError as exc:
                raise _template_problem(exc, self.site_dir) from None
        writer.before_fork()
        # (kept_for_the_build after the fork: the workers run with the collector on, and only this
        # process's records of the written files are made with it off)
        with forked(_render_chunk, (jobs, self.site_dir, self.bodies), workers, freeze=True) as run, \
                kept_for_the_build():
            for results, rows in run(chunks(len(jobs), workers, 200)):
                self.bodies.store(rows)          # bodies the workers rendered, for the cache
                for i, data in results:
                    j = jobs[i]
                    writer.write(j.path, data, j.source, j.key, j.deps)
                p.advance(len(results))

    def memo(self, kind: str, e: Entry, make):
        """A per-entry piece of the catalogue exports, kept in this process while the entry, the
        config and the generator are unchanged (so serve's rebuilds redo only the edited entries)."""
        if not self.remember:
            return make()
        key = (kind, self.base, self.mdig[e.id], self.summaries().get(e.id))
        got = _MEMO.get(key)
        if got is None:
            if len(_MEMO) > 8 * (len(self.listed) + 1000):
                _MEMO.clear()
            got = _MEMO[key] = make()
        return got

    def release(self) -> None:
        """Drop the entries and everything made from them, and give the memory back to the system:
        the search stage needs none of it, and Pagefind runs next (at 100,000 entries this is the
        difference between the build fitting in 4 GB or not). Not in serve on a site of up to
        KEEP_FOR_SERVE entries: it keeps them for its next rebuild (incremental/warm.py)."""
        if self.remember and len(self.__dict__.get("entries", ())) <= KEEP_FOR_SERVE:
            return
        for name in ("entries", "listed", "pages", "views", "bodies", "_summaries", "_records", "mdig", "edig",
                     "published", "jobs"):     # (the planned jobs' closures hold the entries too)
            self.__dict__.pop(name, None)
        if not self.remember:
            _MEMO.clear()
        gc.collect()
        trim_memory()

    def summaries(self) -> dict[str, str | None]:
        """Each entry's summary: as written, else derived from its body."""
        if not hasattr(self, "_summaries"):
            derived = self.bodies.summaries([e.id for e in self.entries.values() if not e.summary and e.is_public_body])
            self._summaries = {e.id: e.summary or derived.get(e.id) or None for e in self.entries.values()}
        return self._summaries

    def write_search_data(self, writer, bundles: list[str], result: RenderResult | None = None) -> None:
        from ..write import search_data
        job = self.global_job("search-data.js", None, lambda: search_data.search_data_js(
            search_data.entry_records(self, self.summaries(), self.memo), bundles), extra=(bundles,), summaries=True)
        job.source = "search index"
        with kept_for_the_build():    # a record an entry (see write_planned's exports)
            made = make_or_keep(writer, job, self.site_dir)
        if made and result is not None:
            result.rendered.append(job.path)

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

    def write_assets(self, writer) -> None:
        for key, name in (("css", "style.css"), ("js", "site.js"), ("search_js", "search.js"),
                          ("police_icon", "police.png")):
            data = asset_source(self.site_dir, name).read_bytes()
            stem, ext = name.rsplit(".", 1)
            rel = f"assets/{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"
            self.assets[key] = rel
            writer.write(rel, data, f"templates/assets/{name}")
        # the favicon where browsers and website checks look for it (a site's own in templates/assets)
        data = asset_source(self.site_dir, "favicon.ico").read_bytes()
        self.assets["favicon"] = "favicon.ico:" + hashlib.sha256(data).hexdigest()[:10]
        writer.write("favicon.ico", data, "templates/assets/favicon.ico")

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
            report_tables = True
        meta = self.entry_meta(e)
        summary = e.summary or (derive_summary(body_html) if e.is_public_body else None)
        meta_tags = inspection.page_meta(self.config, e.url, e.type_label, e.type_label, e, meta["agency_names"],
                                         summary)
        if report_tables is not None:
            body_html = self.report_body_html(e, body_html, report_tables)
        return self.render("entry.html", e.url, entry=e, meta=meta, body_html=body_html,
                           cause=self.entries.get(e.status_cause) if e.status_cause else None,
                           relations=relations, relations_interprets=get(e.interprets), crumbs=crumbs,
                           page_lang=e.lang, report_tables=report_tables,
                           description=inspection.description(summary), meta_tags=meta_tags,
                           report_data=[f"reports/{e.id}.json", f"reports/{e.id}.csv"] if report_tables else None)

    def report_body_html(self, e: Entry, body_html: str, _tables) -> str:
        from .. import annual2021
        tables = annual2021.render_tables(self.env, e.stats)
        if e.table2 is not None and e.table2.filled:         # the page says which numbers the catalogue gave
            tables = {**tables, "二": tables["二"] + self.render("components/table2_note.html", e.url, entry=e,
                                                               table2=e.table2)}
        # the chart of how applications were handled follows the table it is drawn from
        with_chart = {**tables, "三": tables["三"] + annual2021.report_chart_svg(e.id, e.stats)}
        return annual2021.insert_tables(body_html, with_chart)

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

    def render_listing(self, axis, v, n, path, pages, children, parent, page_entries) -> str:
        crumbs = [{"title": "首页", "url": "index.html"},
                  {"title": "主动公开目录", "url": "catalogue/index.html"},
                  {"title": AXES[axis], "url": f"catalogue/index.html#axis-{axis}"}]
        if parent:
            crumbs.append({"title": parent.label, "url": parent.url})
        crumbs.append({"title": v.label + (f"（第{n}页）" if n > 1 else ""), "url": None})
        return self.render("listing.html", path, view=v, axis_label=AXES[axis], page_entries=page_entries,
                           pages=pages, number=n, crumbs=crumbs, children=children)

    def feeds(self) -> list[dict]:
        feeds = [{"url": "feed.xml", "title": f"{self.config.title}：最新信息", "entries": self.listed}]
        for v in self.views["type"]:
            feeds.append({"url": f"feeds/{v.slug}.xml", "title": f"{self.config.title}：{v.label}", "entries": v.entries})
        for v in self.views["agency"]:
            feeds.append({"url": f"feeds/agency-{v.slug}.xml", "title": f"{self.config.title}：{v.label}",
                          "entries": v.entries})
        return feeds

    def home_and_misc_jobs(self) -> list[Job]:
        latest = lambda: [{"type": v.slug, "label": v.label, "url": v.url, "entries": v.entries[:5]}  # noqa: E731
                          for v in self.views["type"]]
        crumbs = [{"title": "首页", "url": "index.html"}, {"title": "站点地图", "url": None}]
        return [
            self.global_job("index.html", "home.html", lambda: self.render("home.html", "index.html", latest=latest(),
                                                                           axes=self.axes())),
            self.global_job("search.html", "search.html", lambda: self.render("search.html", "search.html",
                                                                              axes=self.axes())),
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
        def records() -> list[dict]:
            if not hasattr(self, "_records"):
                self._records = [self.memo("record", e, lambda e=e: exports.entry_record(
                    e, self.config, self.summaries().get(e.id))) for e in self.listed]
            return self._records

        def lines(kind: str, fn) -> list[str]:
            return [self.memo(kind, e, lambda r=r: fn(r)) for e, r in zip(self.listed, records())]
        jobs = [self.global_job("catalogue.json", None, lambda: exports.catalogue_json(
                    records(), self.config, self.as_of, lines("json", exports.json_line)),
                                extra=(self.as_of,), summaries=True),
                self.global_job("catalogue.csv", None, lambda: exports.catalogue_csv(
                    records(), lines("csv", exports.csv_row)), summaries=True)]
        summaries = self.summaries()
        for f in self.feeds():     # a feed shows its latest FEED_ENTRIES entries, summaries included
            shown = f["entries"][:exports.FEED_ENTRIES]
            jobs.append(Job(f["url"], ["config"] + [f"entry:{e.id}" for e in shown],
                            digest(self.base, f["url"], f["title"], [(self.mdig[e.id], summaries.get(e.id)) for e in shown]),
                            lambda f=f: exports.atom_feed(f["url"], f["title"], f["entries"], self.config, summaries),
                            f["url"]))
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
