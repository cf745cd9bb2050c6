"""A command-line build after only bodies were edited, resumed from a snapshot of the last build.

`serve` keeps its last build in memory (warm.py). A command-line build is a new process: to find
that one edited body changes one page it would check every file's record again, link the entries,
and key and plan every output (at 10,000 entries about 1.4 s of a 1.7 s build). So a full
command-line build also leaves a snapshot of what an entry's page is made from,
`.cache/resume-<output>.pickle`: the fingerprint, the digests keying the pages
(render.edits.BodyEdits.kept_parts), the published files' size, mtime and digest, and the
build's messages. Each file's check (warm.KeptCheck) and each linked entry, with the summary the exports
showed of it, is pickled on its own into `resume-<output>.blobs` beside it, and only the edited
entries, and those their pages name, are ever read back: loading the snapshot takes about 40 ms at
10,000 entries (22,000 published files with the search index).

The next build resumes from it when the last build recorded for the output folder is the one the
snapshot describes, only published entries' bodies changed since (warm.bodies_edited: front
matter, links, attachments, templates, config, generator, date and options all as before) and
every published file is as recorded. It renders just those entries' pages with the full build's
code and keys; when a summary the exports show changed with a body (one not written in the front
matter is taken from the body's first paragraphs), it also replaces that entry's line in
catalogue.json and catalogue.csv and makes the feeds showing it again
(render.edits.BodyEdits.resumed_exports). It replaces those files in place
(write.output.OutputPatch) and notes what it changed in `.cache/resume-<output>.delta.pickle`.
Anything else takes the full path. Either way the output is byte for byte the full build's, the
search index aside (tests/incremental/test_resume.py).

With the search index, the edited pages are indexed into the index's overlay bundle
(write/search.resumed_index), on Pagefind's service that the pipeline started with the build
(write/pagefind_service.py), while the build checks the published files and makes the exports; the
published SHA256SUMS is not read: the snapshot holds each published file's digest, and SHA256SUMS is
among the files checked to be as recorded.
"""
from __future__ import annotations

import copyreg
import dataclasses
import io
import os
import pickle
import sys
from collections.abc import Mapping
from pathlib import Path

from ..diagnostics import Diagnostics
from ..memory import kept_for_the_build
from ..timing import lap
from ..load.yamltext import LineMap
from ..model import Entry
from .entries import write_pickle
from .records import Fingerprint, blobs_file, delta_file, snapshot_file
from .warm import KeptCheck, bodies_edited

FORMAT = 2     # 2: each published file's digest in stats (a resumed build reads no SHA256SUMS)
_ERRORS = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError, KeyError,
           IndexError)


def _blobs_tmp(cache_dir: Path, output: Path) -> Path:
    return snapshot_file(cache_dir, output).with_suffix(".blobs.tmp")


def kept_files(cache_dir: Path, output: Path) -> list[Path]:
    """The snapshot's files for the output folder `output` (records.keep_records names them)."""
    return [snapshot_file(cache_dir, output), blobs_file(cache_dir, output), delta_file(cache_dir, output)]


# -- made by a full build ---------------------------------------------------------------------------

def _no_lines(_lines: LineMap):
    return LineMap, (None, 1)      # a page never asks an entry for the line of a field: not kept


_FIELDS = tuple(f.name for f in dataclasses.fields(Entry))


def _entry_values(e: Entry):
    """Its values, not its fields' names (half the size); the values straight from its __dict__ when
    that holds just its fields, in their order, as the dataclass's __init__ makes it (4 times quicker)."""
    d = e.__dict__
    return Entry, (tuple(d.values()) if tuple(d) == _FIELDS else tuple(getattr(e, name) for name in _FIELDS))


def _dumper():
    """pickle.dumps for the snapshot's entries: their values only, without their line maps (a few KB
    each)."""
    table = copyreg.dispatch_table.copy()
    table[LineMap] = _no_lines
    table[Entry] = _entry_values

    def dump(obj) -> bytes:
        buf = io.BytesIO()
        p = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        p.dispatch_table = table
        p.dump(obj)
        return buf.getvalue()
    return dump


def check_records(files: dict) -> dict[str, bytes]:
    """Each file's check as entries.EntryCache holds them (rel → (stat key, Checked, messages))."""
    return {rel: _check_blob(rel, checked, items) for rel, (_key, checked, items) in files.items()}


def _check_blob(rel: str, checked, items: list) -> bytes:
    return pickle.dumps(KeptCheck.of(rel, checked, items), protocol=pickle.HIGHEST_PROTOCOL)


def capture(renderer, checks: dict[str, bytes], cache_dir: Path, output: Path) -> dict | None:
    """What a resumed build needs of this build's renderer, once its pages and exports are rendered.
    The entries and checks go into the snapshot's blob file, written now (as a temporary file: `save`
    puts it in place); the rest is returned, with where each blob is. None when it cannot be written
    (a read-only or full disk): no snapshot, and the build goes on."""
    try:
        return _capture(renderer, checks, _blobs_tmp(cache_dir, output))
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        forget(cache_dir, output)
        return None


def _capture(renderer, checks: dict[str, bytes], path: Path) -> dict:
    dump, summaries = _dumper(), renderer.summaries()
    snap_id = os.urandom(8).hex()
    entries, kept = {}, {}
    with open(path, "wb") as f:
        f.write(snap_id.encode())
        at = len(snap_id)
        for eid, e in renderer.entries.items():
            blob = dump((e, summaries.get(eid)))
            entries[eid] = (at, len(blob))
            at += f.write(blob)
        for rel, blob in checks.items():
            kept[rel] = (at, len(blob))
            at += f.write(blob)
        ids = [e.id for e in renderer.listed]          # (for the exports, when a summary changes)
        blob = pickle.dumps((ids, [summaries.get(eid) for eid in ids]), protocol=pickle.HIGHEST_PROTOCOL)
        listed = (at, len(blob))
        f.write(blob)
    return {"id": snap_id, "entries": entries, "checks": kept, "listed": listed, "renderer": renderer.kept_parts()}


def save(cache_dir: Path, output: Path, fp: Fingerprint, parts: dict, record, diagnostics: list, entries: int,
         files: int) -> None:
    """After a full build is published: its snapshot (`parts` from `capture`; `record`: the published
    files' record)."""
    path = snapshot_file(cache_dir, output)
    try:
        delta_file(cache_dir, output).unlink(missing_ok=True)
        os.replace(_blobs_tmp(cache_dir, output), blobs_file(cache_dir, output))
        snap = {"format": FORMAT, "digest": fp.digest, "head": fp.head, "fp_files": fp.files,
                "diagnostics": list(diagnostics), "entries_count": entries, "files_count": files,
                "stats": {rel: (r[1], r[2], r[0]) for rel, r in record.state.items()}, **parts}
        write_pickle(path, snap)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        forget(cache_dir, output)


def forget(cache_dir: Path, output: Path) -> None:
    for p in (*kept_files(cache_dir, output), _blobs_tmp(cache_dir, output)):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


# -- read by the next build -------------------------------------------------------------------------

class _Blobs:
    """The snapshot's blob file, read where asked: a value is the blob itself (a resumed build's, kept
    in the delta) or where it is in the file (offset, length)."""

    def __init__(self, path: Path, snap_id: str):
        self.f = open(path, "rb")
        if self.f.read(len(snap_id)) != snap_id.encode():
            self.f.close()
            raise ValueError("the blob file is not the snapshot's")

    def get(self, where) -> bytes:
        if isinstance(where, bytes):
            return where
        self.f.seek(where[0])
        return self.f.read(where[1])


class LazyEntries(Mapping):
    """id → the linked entry, unpickled when first asked for (with the summary the exports showed)."""

    def __init__(self, where: dict, blobs: _Blobs):
        self._where, self._blobs, self._made = where, blobs, {}
        self.summaries = _Summaries(self)

    def _get(self, eid: str) -> tuple:
        got = self._made.get(eid)
        if got is None:
            got = self._made[eid] = pickle.loads(self._blobs.get(self._where[eid]))
        return got

    def __getitem__(self, eid: str):
        return self._get(eid)[0]

    def __contains__(self, eid) -> bool:
        return eid in self._where

    def __iter__(self):
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def keys(self):
        return self._where.keys()


class _Summaries:
    def __init__(self, entries: LazyEntries):
        self._entries = entries

    def get(self, eid: str, default=None):
        return self._entries._get(eid)[1] if eid in self._entries else default

    def __setitem__(self, eid: str, summary: str | None) -> None:
        self._entries._made[eid] = (self._entries[eid], summary)


class Snapshot:
    def __init__(self, data: dict, delta: dict | None, blobs: _Blobs):
        self.data, self.delta = data, delta or {"base": data["id"], "fp_files": {}, "entries": {}, "checks": {},
                                                "edig": {}, "stats": {}}
        d = self.delta
        files = data["fp_files"]
        for path, line in d["fp_files"].items():
            if line is None:
                files.pop(path, None)
            else:
                files[path] = line
        data["entries"].update(d["entries"])
        data["checks"].update(d["checks"])
        data["renderer"]["edig"].update(d["edig"])
        for rel, stat in d["stats"].items():
            if stat is None:
                data["stats"].pop(rel, None)     # (removed: a file of an earlier search index overlay)
            else:
                data["stats"][rel] = stat
        self.summaries_since = d.get("summaries", {})     # id → the summary the exports show now
        self.digest = d.get("digest", data["digest"])
        self.diagnostics = d.get("diagnostics", data["diagnostics"])
        self.fingerprint = Fingerprint(self.digest, data["head"], files)
        self.blobs = blobs
        self.entries = LazyEntries(data["entries"], blobs)

    @classmethod
    def load(cls, cache_dir: Path, output: Path) -> "Snapshot | None":
        try:
            with open(snapshot_file(cache_dir, output), "rb") as f, kept_for_the_build():
                data = pickle.load(f)        # (120,000 objects at 10,000 entries: not for the collector)
            if data.get("format") != FORMAT:
                return None
            try:
                with open(delta_file(cache_dir, output), "rb") as f:
                    delta = pickle.load(f)
                if delta.get("base") != data["id"]:
                    return None         # (a delta is never older than its snapshot: something went wrong)
            except FileNotFoundError:
                delta = None
            return cls(data, delta, _Blobs(blobs_file(cache_dir, output), data["id"]))
        except _ERRORS:
            return None

    def close(self) -> None:
        self.blobs.f.close()

    def listed(self) -> tuple[list, list]:
        """Every listed entry's id and the summary the exports show, in catalogue order."""
        ids, summaries = pickle.loads(self.blobs.get(self.data["listed"]))
        if self.summaries_since:
            at = {eid: i for i, eid in enumerate(ids)}
            for eid, summary in self.summaries_since.items():
                summaries[at[eid]] = summary
        return ids, summaries

    def kept(self, rel: str) -> KeptCheck | None:
        where = self.data["checks"].get(rel)
        return pickle.loads(self.blobs.get(where)) if where is not None else None

    def path_of(self, eid: str) -> str | None:
        return self.entries[eid].path if eid in self.entries else None

    def published_intact(self, output: Path) -> bool:
        """Is every published file still as the last build left it (size and mtime)? SHA256SUMS among
        them: then it lists the digests the snapshot holds (see `sums`)."""
        stat = os.stat
        try:
            folder = os.open(output, os.O_RDONLY | os.O_DIRECTORY)   # (paths from it: a fifth quicker)
        except OSError:
            return False
        try:
            for rel, (size, mtime, _digest) in self.data["stats"].items():
                st = stat(rel, dir_fd=folder, follow_symlinks=False)
                if st.st_size != size or st.st_mtime_ns != mtime:
                    return False
        except OSError:
            return False
        finally:
            os.close(folder)
        return True

    def sums(self) -> dict[str, str]:
        """Each published file's digest, as the published SHA256SUMS lists them (when it is intact)."""
        from ..write.published import SUMS
        return {rel: st[2] for rel, st in self.data["stats"].items() if rel != SUMS}

    def save_delta(self, cache_dir: Path, output: Path, fp: Fingerprint, edited: list, checks: dict, stats: dict,
                   diagnostics: list, summaries: dict) -> None:
        """After a resumed build: what it changed, on top of what earlier ones did since the snapshot."""
        d = self.delta
        old = self.fingerprint.files
        d["fp_files"].update({p: line for p, line in fp.files.items() if old.get(p) != line})
        d["fp_files"].update({p: None for p in old.keys() - fp.files.keys()})
        dump = _dumper()
        d["entries"].update({e.id: dump((e, self.entries.summaries.get(e.id))) for e in edited})
        d["checks"].update({rel: _check_blob(rel, checked, items) for rel, (checked, items) in checks.items()})
        d["edig"].update({e.id: self.data["renderer"]["edig"][e.id] for e in edited})
        d["stats"].update(stats)
        d.setdefault("summaries", {}).update(summaries)      # (the changed ones only: see listed)
        d["digest"], d["diagnostics"] = fp.digest, list(diagnostics)
        try:
            write_pickle(delta_file(cache_dir, output), d)
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            forget(cache_dir, output)


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
            made = renderer.resumed_exports(snap.listed(), read)
            if made is None:
                return _not_resumed("a published export does not hold an edited entry's line")
            pages += made
            lap("resume: exports")
        sums = snap.sums()
        if overlay is not None:
            overlay.finish()
            lap("resume: search index overlay")
        lap("resume: pages")
    except (TemplateProblem, search_index.SearchIndexError, *_ERRORS) as exc:
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
                    patch.stats(), edits.diagnostics, {eid: new for eid, (_old, new) in renderer.summary_changes.items()})
    count, files = snap.data["entries_count"], len(patch.sums) + 1      # (+ SHA256SUMS itself)
    records.save_last_build(cache_dir, output, fp.digest, edits.diagnostics, count, files)
    records.keep_records(cache_dir, patch.out, [delta_file(cache_dir, output), journal_file(patch.state_file)])
    return BuildResult(Diagnostics(list(edits.diagnostics)), output=output, written=files, changed=patch.changed,
                       entries=count, rendered=[j.path for j, _data in pages], quick=True, search=search,
                       removed=patch.removed)
