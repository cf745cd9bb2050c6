"""A command-line build after only bodies were edited, resumed from a snapshot of the last build.

`serve` keeps its last build in memory (warm.py). A command-line build is a new process: to find
that one edited body changes one page it would check every file's record again, link the entries,
and key and plan every output (at 10,000 entries about 1.4 s of a 1.7 s build). So a full
command-line build also leaves a snapshot of what each output is made from (snapshot.py).

The next build resumes from it when the last build recorded for the output folder is the one the
snapshot describes, only published entries' bodies changed since (warm.bodies_edited: front
matter, links, attachments, templates, config, generator, date and options all as before) and
every published file is as recorded. It renders just those entries' pages with the full build's
code and keys; when a summary the exports show changed with a body (one not written in the front
matter is taken from the body's first paragraphs), it also makes catalogue.json and catalogue.csv
again from the pieces the snapshot keeps, that entry's made anew, and the feeds showing it, with the
full build's functions and keys (render.edits.BodyEdits.resumed_exports). It replaces those files in place
(write.patch.OutputPatch) and notes what it changed in `.cache/resume-<output>.delta.pickle`.
Anything else takes the full path. Either way the output is byte for byte the full build's, the
search index aside (tests/incremental/test_resume.py).

With the search index, the edited pages are indexed into the index's overlay bundle
(write/search_overlay.resumed_index), on Pagefind's service that the pipeline started with the build
(write/pagefind_service.py), while the build checks the published files and makes the exports; the
published SHA256SUMS is not read: the snapshot holds each published file's digest, and SHA256SUMS is
among the files checked to be as recorded.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..diagnostics import Diagnostics
from ..timing import lap
from .records import Fingerprint, delta_file
from .snapshot import ERRORS, Snapshot
from .warm import bodies_edited


def quick_build(site_dir: Path, output: Path, cache_dir: Path, config, as_of, fp: Fingerprint, strict: bool,
                last_digest: str | None, search: bool = False, service=None):
    """The build resumed from the snapshot (see the module's docstring), or why not (a str): then the
    build takes the full path.
    `last_digest`: the fingerprint of the last build recorded for `output`; `service`: Pagefind's, when
    the pipeline started it ahead (write/pagefind_service.py)."""
    snap = Snapshot.load(cache_dir, output)
    if snap is None:
        return _not_resumed("no snapshot of the last build")
    job = _Resumed()
    try:
        return _resume(snap, site_dir, output, cache_dir, config, as_of, fp, strict, last_digest, search, service, job)
    finally:
        if job.overlay is not None:
            job.overlay.close()
        snap.close()


class _Resumed:
    overlay = None       # the search index's overlay, once started (closed whatever happens)


def _not_resumed(why: str) -> str:
    """Why a build was not resumed (BuildResult.full_because); XXGK_TIMING=1 also prints it."""
    if os.environ.get("XXGK_TIMING"):
        print(f"[timing] not resumed: {why}", file=sys.stderr)
    return why


def _resume(snap: Snapshot, site_dir, output, cache_dir, config, as_of, fp, strict, last_digest, search, service,
            job: _Resumed):
    from ..result import BuildResult
    from ..link.catalogue import SEARCHED_TYPES
    from ..render.environment import TemplateProblem, make_output
    from ..render.site import SiteRenderer
    from ..write.patch import OutputPatch, journal_file
    from ..write import search_overlay as search_index
    from . import records

    if snap.digest != last_digest or snap.data["head"] != fp.head:
        return _not_resumed("the snapshot is not of the last build, or the date, options or generator changed")
    lap("resume: snapshot")
    try:
        edits = bodies_edited(site_dir, snap.fingerprint, fp, config, strict, snap.kept, snap.path_of,
                              snap.data["renderer"]["files"], snap.diagnostics)
        if edits is None or Diagnostics(list(edits.diagnostics)).failed(strict):
            return _not_resumed("not only published entries' bodies changed" if edits is None else "errors")
        lap("resume: the edited files checked")
        renderer = SiteRenderer.resumed(site_dir, config, as_of, snap.data["renderer"], snap.entries,
                                        snap.entries.summaries)
        jobs = renderer.edited_pages([new.entry for _rel, _key, new, _items in edits.files])
        pages = [(j, make_output(j, site_dir)) for j in jobs]
        lap("resume: bodies")
        read = lambda rel: (output / rel).read_bytes()      # noqa: E731 (a published file)
        overlay = None
        if search:        # the edited entries' pages indexed again, as the search index's overlay
            edited = {j.path: (data.encode() if isinstance(data, str) else data, j.entry.lang)
                      for j, data in pages if j.entry is not None and j.entry.type in SEARCHED_TYPES}
            if edited:    # (Pagefind indexes them on another core while this goes on)
                overlay = search_index.resumed_index(site_dir, output, edited, read, service)
                if isinstance(overlay, str):
                    return _not_resumed(overlay)
                job.overlay = overlay
                lap("resume: search index overlay started")
        if not snap.published_intact(output):     # (while Pagefind indexes the overlay)
            return _not_resumed("a published file is not as the last build left it")
        lap("resume: published files as recorded")
        if renderer.summary_changes:                 # the exports that show them
            if search and overlay is None:           # (a changed summary comes with a changed, indexed page)
                return _not_resumed("a summary changed but no indexed page did")
            pages += renderer.resumed_exports(snap.listed())
            lap("resume: exports")
        sums = snap.sums()
        if overlay is not None:
            overlay.finish()
            lap("resume: search index overlay")
        lap("resume: pages")
    except (TemplateProblem, search_index.SearchIndexError, *ERRORS) as exc:
        return _not_resumed(f"{type(exc).__name__}: {exc}")
    records.forget_last_build(cache_dir, output)
    with OutputPatch(output, cache_dir, sums) as patch:
        for j, data in pages:
            patch.write(j.path, data, j.source, j.key, j.deps)
        if overlay is not None:
            for rel, data in overlay.files.items():
                patch.write(rel, data, "search index", added=True)
            for rel in overlay.gone(sums):
                patch.remove(rel)
        patch.finish()
    if overlay is not None:
        overlay.save_state()
    renderer.bodies.finish()
    lap("resume: published")
    edited = [renderer.entries[new.id] for _rel, _key, new, _items in edits.files]
    snap.save_delta(cache_dir, output, fp, edited, {rel: (new, items) for rel, _key, new, items in edits.files},
                    patch.stats(), edits.diagnostics, renderer.listed_changes)
    count, files = snap.data["entries_count"], len(patch.sums) + 1      # (+ SHA256SUMS itself)
    records.save_last_build(cache_dir, output, fp.digest, edits.diagnostics, count, files)
    records.keep_records(cache_dir, patch.out, [delta_file(cache_dir, output), journal_file(patch.state_file)])
    return BuildResult(Diagnostics(list(edits.diagnostics)), output=output, written=files, changed=patch.changed,
                       entries=count, rendered=[j.path for j, _data in pages], quick=True, search=search,
                       removed=patch.removed)
