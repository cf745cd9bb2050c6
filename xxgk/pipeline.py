"""The pipeline in one function: load → validate → link → render → write.

Everything is read and validated before anything is written; a build that stops on content
errors leaves the published folder exactly as it was.
"""
from __future__ import annotations

import gc
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import load_config
from .timing import lap as _lap
from .diagnostics import ContentError, Diagnostics
from .link import relations, validity
from .link.catalogue import SEARCHED_TYPES
from .incremental import records, resume, snapshot
from .incremental.entries import EntryCache, header_for
from .incremental.warm import Warm
from .write.lock import one_build_at_a_time
from .write.output import OutputWriter, check_output_dir
from .write.patch import journal_file
from .load.site import discover
from .memory import kept_for_the_build
from .validate.site import check_site
from .result import BuildResult
from .attachments import prepare as prepare_attachments


def today_in(tz: str) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def load_and_check(site_dir: Path, as_of: date | None, diags: Diagnostics, cache: EntryCache | None = None,
                   config=None, read_only: bool = False):
    """Stages 1–3: every validation of a build. Raises UsageError for config problems.

    The per-file part (read, parse, check fields, personal data …) comes from `cache` for files
    that did not change since it was made; the checks across files always run."""
    config = config or load_config(site_dir)                       # config (exit 2 on problems)
    as_of = as_of or today_in(config.timezone)
    with kept_for_the_build():
        sources, attachments = discover(site_dir, diags)           # load: names, attachments
    _lap("load: discover")
    # --- attachments (SPEC 11, xxgk/attachments/): each file's text read once per content, scanned
    prepare_attachments(site_dir, attachments, write=not read_only)
    _lap("load: attachments")
    cache = cache or EntryCache(None)
    cache.load(header_for(config))
    _lap("load: the checks kept")
    checked = cache.check_all(sources, config, attachments, diags)   # load + per-file checks
    cache.forget_except({s.rel for s in sources})
    _lap("load: per-file checks")
    with kept_for_the_build():     # the linked entries live as long as the build
        entries, all_ids = check_site(checked, as_of, diags)        # validate across files
        _lap("load: checks across files")
        relations.complete(entries, all_ids, diags)                # link: relations both ways
        if not diags.failed():
            validity.compute_all(entries, as_of)                   # link: validity as of the date
            from .audit import table2
            table2.fill(entries, diags)                            # link: 2021 reports' table 二 from the catalogue
    return config, entries, as_of, attachments


def check(site_dir: Path, as_of: date | None = None, strict: bool = False) -> BuildResult:
    diags = Diagnostics()
    cache = EntryCache(site_dir / ".cache")          # read, never written: check writes nothing
    config, entries, as_of, files = load_and_check(site_dir, as_of, diags, cache, read_only=True)
    count = len(entries)
    if not diags.failed(strict):                     # every page, in memory: a template error fails here too
        from .render.in_memory import render_in_memory
        render_in_memory(site_dir, config, entries, as_of, files, diags)
    return BuildResult(diags, entries=count)


@one_build_at_a_time          # (write/lock.py: two builds of one output folder never interleave)
def build(site_dir: Path, output: Path | None = None, as_of: date | None = None, strict: bool = False,
          search: bool = True, warm: Warm | None = None, pagefind=None) -> BuildResult:
    """Build the site into `output`. `warm`: what this process kept from its last build (serve);
    `pagefind`: Pagefind's service, started ahead by the command line (write/pagefind_service.start_ahead)."""
    diags = Diagnostics()
    _lap("start")
    if warm is not None:
        warm.settle()               # (what the last build left to do after it was served: its records)
    cache_dir = site_dir / ".cache"
    output = output or site_dir / "output"
    service = pagefind
    if service is None and warm is None and search:     # it may resume: Pagefind warms up on the other core meanwhile
        from .write.pagefind_service import start_ahead
        service = start_ahead(site_dir, output)
    try:
        config = load_config(site_dir)
        as_of = as_of or today_in(config.timezone)
        fp = records.fingerprint(site_dir, config, as_of, {"search": search}, output,
                                 inputs=warm.inputs if warm is not None else None)
        last = records.last_build(cache_dir, output)
        unchanged = _nothing_changed(cache_dir, output, fp.digest, last)   # nothing read has changed: stop here
        if warm is not None and warm.last is None:
            unchanged = None      # serve's first build goes on (writing nothing): later ones start from its renderer
        if unchanged is not None:
            records.keep_records(cache_dir, output.resolve(), [])    # (another folder's may be gone)
            diags.extend(records.replay(unchanged))
            if diags.failed(strict):
                raise ContentError(diags)
            return BuildResult(diags, output=output, written=unchanged.get("files", 0),
                               entries=unchanged.get("entries", 0), skipped=True)
        _lap("fingerprint")
        full_because = None
        if warm is None:                              # a command-line build: only bodies edited since the last?
            quick = resume.quick_build(site_dir, output, cache_dir, config, as_of, fp, strict, last.get("fingerprint"),
                                       search, service)
            if not isinstance(quick, str):
                _lap("resumed")
                return quick
            full_because = quick
        if service is not None:
            service.close()
            service = None
        records.forget_last_build(cache_dir, output)
        edits = warm.body_edits(site_dir, fp, config, strict) if warm is not None else None
        if edits is not None:                                      # serve: only bodies were edited
            return _rebuild_bodies(site_dir, output, cache_dir, fp, diags, search, warm, edits)
        result = _build(site_dir, output, cache_dir, config, as_of, fp, diags, strict, search, warm)
        result.full_because = full_because
        return result
    finally:
        if service is not None:
            service.close()
        gc.unfreeze()                 # (serve: what this build froze can be collected once it is gone)


def settle_memory(warm: Warm | None = None) -> None:
    """Between two builds of one process (serve): what the last build left to do once its site is served
    (`warm.settle`: its records), then collect what it left, once, and freeze what is left (the kept
    entries), so the next build's collector looks only at what it makes."""
    if warm is not None:
        warm.settle()
    gc.collect()
    gc.freeze()


def _build(site_dir, output, cache_dir, config, as_of, fp, diags, strict, search, warm) -> BuildResult:
    from .render.site import SiteRenderer
    in_memory = warm is not None      # serve keeps its caches (and the exports' pieces) between builds
    if warm is not None:
        warm.last = None
    cache = warm.entries if warm is not None else EntryCache(cache_dir)
    config, entries, as_of, files = load_and_check(site_dir, as_of, diags, cache, config)
    gc.freeze()     # what is loaded lives as long as the build: the cycle collector need not scan it again
    _lap("load and check")
    cache.save()                      # per-file results are kept even when the site has errors
    _lap("save entries cache")
    # a command-line build leaves a snapshot the next one may resume from
    # (in a list the callee empties: the checks' 100,000 blobs at 100,000 entries go once in the snapshot)
    checks = [snapshot.check_records(cache.files)] if warm is None and not diags.failed(strict) else None
    if not in_memory:
        cache = None                  # (the entries are copies: the kept originals can go)
    if diags.failed(strict):
        raise ContentError(diags)
    check_output_dir(output)                                       # exit 2: not our folder
    renderer = SiteRenderer(site_dir, config, entries, as_of, files)   # render
    renderer.remember = in_memory
    count, entries = len(entries), None                            # the renderer holds them, and lets go
    return _render_and_write(renderer, output, cache_dir, site_dir, fp, diags, search, count, warm, checks=checks)


def _rebuild_bodies(site_dir, output, cache_dir, fp, diags, search, warm, edits) -> BuildResult:
    """Only bodies were edited since this process's last build: its renderer, with their new digests,
    renders what their keys say (see incremental/warm.py)."""
    last = warm.take(edits)
    warm.entries.save()
    diags.extend(edits.diagnostics)
    last.renderer.bodies_edited([new.entry for _rel, _key, new, _items in edits.files])
    _lap("load and check: the edited files")
    edited = [new.entry.url for _rel, _key, new, _items in edits.files if new.entry.type in SEARCHED_TYPES]
    result = _render_and_write(last.renderer, output, cache_dir, site_dir, fp, diags, search, last.entries, warm,
                               record=last.record, edited=edited)
    result.quick = True
    return result


def _render_and_write(renderer, output, cache_dir, site_dir, fp, diags, search, count, warm,
                      record=None, checks=None, edited=None) -> BuildResult:
    """Render (everything planned, or — given the last build's record — the kept plan), index, publish;
    given the files' `checks` ([the checks], emptied here), leave the snapshot a later build may resume
    from (incremental/snapshot.py, resume.py)."""
    from .render.environment import TemplateProblem
    from .write import search as search_index
    try:
        with OutputWriter(output, cache_dir, kept=record,               # only changed files; published at once
                          watch=warm.watch_for(output) if warm is not None else None) as writer:
            if record is None:
                rendered = renderer.write_all(writer)
            else:
                renderer.write_assets(writer)
                rendered = renderer.write_planned(writer)
            _lap("render")
            snap = snapshot.capture(renderer, checks.pop(), cache_dir, output, writer.digests) if checks else None
            _lap("snapshot: entries")
            search_index.index(writer, rendered.search_pages, site_dir, diags, renderer=renderer, rendered=rendered,
                               full_text=search, edited=edited,    # Pagefind unless --no-search
                               service=warm.pagefind() if warm is not None and search and edited else None)
            _lap("search")
            writer.finish(defer=warm is not None)
            _lap("publish")
    except TemplateProblem as p:                                   # nothing published; name the template
        path, line, message = p.args
        diags.error(path, line, "-", message, code="template")
        raise ContentError(diags) from None
    if warm is not None:        # serve: the records once the site is served (Warm.settle; measured in write/output.save_record)
        snapshot.forget(cache_dir, output)
        items = list(diags.items)
        warm.later(lambda: _record_build(writer, cache_dir, output, site_dir, fp, items, count))
    else:
        _record_build(writer, cache_dir, output, site_dir, fp, diags.items, count, snap)
    if warm is not None:
        warm.keep(fp, renderer, writer.record, diags.items, count)
    return BuildResult(diags, output=output, written=len(writer.written), changed=writer.changed,
                       entries=count, rendered=rendered.rendered, removed=writer.removed, search=search)


def _record_build(writer, cache_dir, output, site_dir, fp, items, count, snap=None) -> None:
    """What a published build leaves in .cache/: the published files' record, the last build's (its
    fingerprint and messages), the snapshot a command-line build may resume from, their index."""
    from .write import search as search_index
    writer.save_record()
    records.save_last_build(cache_dir, output, fp.digest, items, count, len(writer.written))
    if snap is not None and writer.record is not None:
        snapshot.save(cache_dir, output, fp, snap, writer.record, items, count, len(writer.written))
        _lap("snapshot")
    else:
        snapshot.forget(cache_dir, output)
    records.keep_records(cache_dir, writer.out, [writer.state_file, records.last_build_file(cache_dir, output),
                                                 search_index.state_path(site_dir, writer.out),
                                                 *snapshot.kept_files(cache_dir, output),
                                                 journal_file(writer.state_file) if writer.state_file else None])


def _nothing_changed(cache_dir: Path, output: Path, fp: str, last: dict) -> dict | None:
    """The last build's record, if it was made from exactly these inputs and its output is untouched."""
    if last.get("fingerprint") != fp:
        return None
    writer = OutputWriter(output, cache_dir)
    if not writer.previous or not all(writer._intact(rel) for rel in writer.previous):
        return None
    return last
