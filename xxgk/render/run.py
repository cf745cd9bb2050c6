"""Running the plan: render the stale outputs (on every core for many pages), keep the rest as
published, then the exports, the assets and the attachments."""
from __future__ import annotations

import gc
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
import jinja2
from .. import progress
from ..memory import kept_for_the_build
from ..parallel import chunks, fork_workers, forked
from .bodies import Bodies
from ..timing import lap
from .environment import _template_problem, asset_source, make_output
from .plan import Job, KEPT_PIECES, digest


@dataclass
class RenderResult:
    summaries: dict[str, str] = field(default_factory=dict)
    search_pages: list[str] = field(default_factory=list)   # the pages to index: entries and plain pages
    keys: dict[str, str] = field(default_factory=dict)      # output path → what it was made from
    rendered: list[str] = field(default_factory=list)         # outputs rendered again (the rest were kept)


PARALLEL_PAGES = 300   # fewer pages to render: one process is quicker than starting workers


KEEP_FOR_SERVE = 20000  # serve keeps a site of up to this many entries whole while Pagefind runs (release)


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



class Running:
    """(a part of render.site.SiteRenderer)"""

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
        with kept_for_the_build():    # (their pieces, a line and a row an entry, last until release)
            for j in self.export_jobs():
                result.keys[j.path] = j.key
                if make_or_keep(writer, j, self.site_dir):
                    stale.append(j)
        result.rendered = [j.path for j in stale]
        lap("render: exports")
        result.search_pages = [e.url for e in self.listed] + [e.url for e in self.pages]
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

    def release(self) -> None:
        """Drop the entries and everything made from them, and give the memory back to the system:
        the search stage needs none of it, and Pagefind runs next (at 100,000 entries this is the
        difference between the build fitting in 4 GB or not). Not in serve on a site of up to
        KEEP_FOR_SERVE entries: it keeps them for its next rebuild (incremental/warm.py)."""
        if self.remember and len(self.__dict__.get("entries", ())) <= KEEP_FOR_SERVE:
            return
        for name in ("entries", "listed", "pages", "views", "bodies", "_summaries", "_pieces", "mdig", "edig",
                     "published", "jobs"):     # (the planned jobs' closures hold the entries too)
            self.__dict__.pop(name, None)
        if not self.remember:
            KEPT_PIECES.clear()
        gc.collect()
        trim_memory()

    def write_assets(self, writer) -> None:
        for key, name in (("css", "style.css"), ("js", "site.js"), ("search_js", "search.js"),
                          ("police_icon", "police.png")):
            data = asset_source(self.site_dir, name).read_bytes()
            stem, ext = name.rsplit(".", 1)
            rel = f"assets/{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"
            self.assets[key] = rel
            writer.write(rel, data, f"templates/assets/{name}")
        # the search page's traditional → simplified table, made from OpenCC's (not a file of templates/),
        # in parts: assets/fold.<hash>.<n>.js (search_data.fold_parts)
        from ..write.search_data import fold_parts
        parts = [p.encode("utf-8") for p in fold_parts()]
        self.assets["fold"] = base = f"assets/fold.{hashlib.sha256(b''.join(parts)).hexdigest()[:10]}."
        self.assets["fold_parts"] = str(len(parts))
        for n, data in enumerate(parts):
            writer.write(f"{base}{n}.js", data, "search index")
        # the favicon where browsers and website checks look for it (a site's own in templates/assets)
        data = asset_source(self.site_dir, "favicon.ico").read_bytes()
        self.assets["favicon"] = "favicon.ico:" + hashlib.sha256(data).hexdigest()[:10]
        writer.write("favicon.ico", data, "templates/assets/favicon.ico")
