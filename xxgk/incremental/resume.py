"""A command-line build after only bodies were edited, resumed from a snapshot of the last build.

`serve` keeps its last build in memory (warm.py). A command-line build is a new process: to find
that one edited body changes one page it would check every file's record again, link the entries,
and key and plan every output (at 10,000 entries about 1.4 s of a 1.7 s build). So a full build
without the search index also leaves a snapshot of what an entry's page is made from,
`.cache/resume-<output>.pickle`: the fingerprint, the digests keying the pages
(render.site.SiteRenderer.kept_parts), the published files' size and mtime, and the build's
messages. Each file's check (warm.KeptCheck) and each linked entry, with the summary the exports
showed of it, is pickled on its own into `resume-<output>.blobs` beside it, and only the edited
entries, and those their pages name, are ever read back: loading the snapshot takes about 10 ms at
10,000 entries.

The next build resumes from it when the last build recorded for the output folder is the one the
snapshot describes, only published entries' bodies changed since (warm.bodies_edited: front
matter, links, attachments, templates, config, generator, date and options all as before) and
every published file is as recorded. It renders just those entries' pages with the full build's
code and keys; when a summary the exports show changed with a body (one not written in the front
matter is taken from the body's first paragraphs), it also replaces that entry's line in
catalogue.json, catalogue.csv and search-data.js and makes the feeds showing it again
(render.site.SiteRenderer.resumed_exports). It replaces those files in place
(write.output.OutputPatch) and notes what it changed in `.cache/resume-<output>.delta.pickle`.
Anything else takes the full path. Either way the output is byte for byte the full build's
(tests/editor/test_editor_resume.py).

The search index is not resumed: a build with it takes the full path (its cost is Pagefind's).
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
from ..timing import lap
from ..load.yamltext import LineMap
from ..model import Entry
from ..write.output import output_tag
from .entries import write_pickle
from .records import Fingerprint
from .warm import KeptCheck, bodies_edited

FORMAT = 1
_ERRORS = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError, KeyError,
           IndexError)


def snapshot_file(cache_dir: Path, output: Path) -> Path:
    return cache_dir / f"resume-{output_tag(output.absolute())}.pickle"


def delta_file(cache_dir: Path, output: Path) -> Path:
    return snapshot_file(cache_dir, output).with_suffix(".delta.pickle")


def blobs_file(cache_dir: Path, output: Path) -> Path:
    return snapshot_file(cache_dir, output).with_suffix(".blobs")


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
                "stats": {rel: (r[1], r[2]) for rel, r in record.state.items()}, **parts}
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
        data["stats"].update(d["stats"])
        data["listed"] = d.get("listed", data["listed"])
        self.digest = d.get("digest", data["digest"])
        self.diagnostics = d.get("diagnostics", data["diagnostics"])
        self.fingerprint = Fingerprint(self.digest, data["head"], files)
        self.blobs = blobs
        self.entries = LazyEntries(data["entries"], blobs)

    @classmethod
    def load(cls, cache_dir: Path, output: Path) -> "Snapshot | None":
        try:
            with open(snapshot_file(cache_dir, output), "rb") as f:
                data = pickle.load(f)
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
        return pickle.loads(self.blobs.get(self.data["listed"]))

    def kept(self, rel: str) -> KeptCheck | None:
        where = self.data["checks"].get(rel)
        return pickle.loads(self.blobs.get(where)) if where is not None else None

    def path_of(self, eid: str) -> str | None:
        return self.entries[eid].path if eid in self.entries else None

    def published_intact(self, output: Path) -> bool:
        """Is every published file still as the last build left it (size and mtime)?"""
        out = str(output.resolve())
        stat = os.stat
        try:
            for rel, (size, mtime) in self.data["stats"].items():
                st = stat(f"{out}/{rel}", follow_symlinks=False)
                if st.st_size != size or st.st_mtime_ns != mtime:
                    return False
        except OSError:
            return False
        return True

    def save_delta(self, cache_dir: Path, output: Path, fp: Fingerprint, edited: list, checks: dict, stats: dict,
                   diagnostics: list, listed: tuple | None) -> None:
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
        if listed is not None:
            d["listed"] = pickle.dumps(listed, protocol=pickle.HIGHEST_PROTOCOL)
        d["digest"], d["diagnostics"] = fp.digest, list(diagnostics)
        try:
            write_pickle(delta_file(cache_dir, output), d)
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            forget(cache_dir, output)


def quick_build(site_dir: Path, output: Path, cache_dir: Path, config, as_of, fp: Fingerprint, strict: bool,
                last_digest: str | None):
    """The build resumed from the snapshot (see the module's docstring), or None: take the full path.
    `last_digest`: the fingerprint of the last build recorded for `output`."""
    snap = Snapshot.load(cache_dir, output)
    if snap is None:
        return None
    try:
        return _resume(snap, site_dir, output, cache_dir, config, as_of, fp, strict, last_digest)
    finally:
        snap.close()


def _not_resumed(why: str) -> None:
    """XXGK_TIMING=1 also says why a build was not resumed."""
    if os.environ.get("XXGK_TIMING"):
        print(f"[timing] not resumed: {why}", file=sys.stderr)


def _resume(snap: Snapshot, site_dir, output, cache_dir, config, as_of, fp, strict, last_digest):
    from ..pipeline import BuildResult
    from ..render.site import SiteRenderer, TemplateProblem, make_output
    from ..commands.verify import read_sums
    from ..write.output import SUMS, OutputPatch, journal_file
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
        lap("resume: bodies")
        if not snap.published_intact(output):
            return _not_resumed("a published file is not as the last build left it")
        lap("resume: published files as recorded")
        pages = [(j, make_output(j, site_dir)) for j in jobs]
        if renderer.summary_changes:                 # the exports that show them
            made = renderer.resumed_exports(snap.listed(), lambda rel: (output / rel).read_bytes())
            if made is None:
                return _not_resumed("a published export does not hold an edited entry's line")
            pages += made
            lap("resume: exports")
        sums, problems = read_sums(output / SUMS)
        if problems:
            return _not_resumed(f"{SUMS}: {problems[0]}")
        lap("resume: pages")
    except (TemplateProblem, *_ERRORS) as exc:
        return _not_resumed(f"{type(exc).__name__}: {exc}")
    records.forget_last_build(cache_dir, output)
    with OutputPatch(output, cache_dir, sums) as patch:
        for j, data in pages:
            patch.write(j.path, data, j.source, j.key, j.deps)
        patch.finish()
    renderer.bodies.finish()
    lap("resume: published")
    edited = [renderer.entries[new.id] for _rel, _key, new, _items in edits.files]
    snap.save_delta(cache_dir, output, fp, edited, {rel: (new, items) for rel, _key, new, items in edits.files},
                    patch.stats(), edits.diagnostics, getattr(renderer, "listed_summaries", None))
    count, files = snap.data["entries_count"], snap.data["files_count"]
    records.save_last_build(cache_dir, output, fp.digest, edits.diagnostics, count, files)
    records.keep_records(cache_dir, patch.out, [delta_file(cache_dir, output), journal_file(patch.state_file)])
    return BuildResult(Diagnostics(list(edits.diagnostics)), output=output, written=files, changed=patch.changed,
                       entries=count, rendered=[j.path for j, _data in pages], quick=True, search=False)
