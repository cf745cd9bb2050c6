"""The resume snapshot: what a full command-line build leaves in `.cache/` for the next build to
resume from after only bodies were edited (resume.py), and what each resumed build changed since.

- `resume-<output>.pickle`: the fingerprint, the digests keying the pages
  (render.edits.BodyEdits.kept_parts), the published files' size, mtime and digest, the build's
  messages, and where each blob is in the blob file;
- `resume-<output>.blobs`: each file's check (warm.KeptCheck) and each linked entry, with the summary
  the exports showed of it, pickled on its own, so that only the edited entries, and those their
  pages name, are ever read back; and every listed entry's id, summary and pieces of the exports (its
  line of catalogue.json, its row of catalogue.csv), in catalogue order, read when a summary changed;
- `resume-<output>.delta.pickle`: what the resumed builds since changed of all that.

Loading the snapshot takes about 40 ms at 10,000 entries (22,000 published files with the search
index).
"""
from __future__ import annotations

import copyreg
import dataclasses
import io
import os
import pickle
from collections.abc import Mapping
from pathlib import Path

from ..atomic import pickle_whole
from ..memory import kept_for_the_build
from ..load.yamltext import LineMap
from ..model import Entry
from .records import Fingerprint, blobs_file, delta_file, snapshot_file
from .warm import KeptCheck

FORMAT = 3     # 2: each published file's digest in stats (a resumed build reads no SHA256SUMS); 3: the
               # listed entries' pieces of the exports
ERRORS = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError, KeyError,
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


def capture(renderer, checks: dict[str, bytes], cache_dir: Path, output: Path,
            published: dict[str, str]) -> dict | None:
    """What a resumed build needs of this build's renderer, once its pages and exports are rendered.
    The entries and checks go into the snapshot's blob file, written now (as a temporary file: `save`
    puts it in place); the rest is returned, with where each blob is. None when it cannot be written
    (a read-only or full disk): no snapshot, and the build goes on. `published`: each output's digest."""
    try:
        pieces = _export_pieces(renderer, cache_dir, output, published)
        return _capture(renderer, checks, pieces, _blobs_tmp(cache_dir, output))
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        forget(cache_dir, output)
        return None


EXPORTS = ("catalogue.json", "catalogue.csv")


def _export_pieces(renderer, cache_dir: Path, output: Path, published: dict[str, str]) -> tuple[list, list]:
    """Every listed entry's line of catalogue.json and row of catalogue.csv: as this build made them,
    or, when it kept both files as published, as the last snapshot holds them if they are those files'
    (at 10,000 entries: made again, they cost about 0.4 s; taken from the last snapshot, about 0.1 s)."""
    made = renderer.export_pieces(make=False)
    if made is None:
        last = Snapshot.load(cache_dir, output)
        if last is not None:
            try:
                if all(last.data["stats"].get(rel, (0, 0, None))[2] == published.get(rel) for rel in EXPORTS):
                    ids, _summaries, lines, rows = last.listed()
                    if ids == [e.id for e in renderer.listed]:
                        made = lines, rows
            except ERRORS:
                pass
            finally:
                last.close()
    return made if made is not None else renderer.export_pieces()


def _capture(renderer, checks: dict[str, bytes], pieces: tuple[list, list], path: Path) -> dict:
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
        # for the exports, when a summary changes: every listed entry's id, summary and pieces of
        # catalogue.json and catalogue.csv (render.exports.entry_pieces), made again only for the edited
        # entries (render.edits.BodyEdits.resumed_exports). At 10,000 entries (bench/corpus.py, quiet
        # machine) the pieces are 18.4 MB of this 22.2 MB blob (JSON lines 11.0 MB, CSV rows 7.3 MB: the
        # blob file 16.8 → 35.2 MB); reading and unpickling the blob takes 25-28 ms and joining the two
        # files 12-14 ms (reading the published files and replacing a line, as before, took 16-18 ms):
        # a resumed build whose summary changed, 0.84 → 0.90 s (median of 10, alternating; the exports
        # stage 0.10 → 0.14 s); one whose summary did not, 0.71 s either way.
        ids = [e.id for e in renderer.listed]
        blob = pickle.dumps((ids, [summaries.get(eid) for eid in ids], *pieces), protocol=pickle.HIGHEST_PROTOCOL)
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
        pickle_whole(path, snap)
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
        self.listed_since = d.get("listed", {})     # id → (summary, JSON line, CSV row) the exports show now
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
        except ERRORS:
            return None

    def close(self) -> None:
        self.blobs.f.close()
        self.entries.summaries = None     # (they refer to each other: let both go without the collector)

    def listed(self) -> tuple[list, list, list, list]:
        """Every listed entry's id, the summary the exports show, its line of catalogue.json and its row
        of catalogue.csv (render.exports.entry_pieces), in catalogue order, as the last build made them."""
        ids, summaries, lines, rows = pickle.loads(self.blobs.get(self.data["listed"]))
        if self.listed_since:
            at = {eid: i for i, eid in enumerate(ids)}
            for eid, (summary, line, row) in self.listed_since.items():
                i = at[eid]
                summaries[i], lines[i], rows[i] = summary, line, row
        return ids, summaries, lines, rows

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
                   diagnostics: list, listed: dict) -> None:
        """After a resumed build: what it changed, on top of what earlier ones did since the snapshot
        (`listed`: id → summary, JSON line, CSV row of the listed entries whose summary changed)."""
        d = self.delta
        old = self.fingerprint.files
        d["fp_files"].update({p: line for p, line in fp.files.items() if old.get(p) != line})
        d["fp_files"].update({p: None for p in old.keys() - fp.files.keys()})
        dump = _dumper()
        d["entries"].update({e.id: dump((e, self.entries.summaries.get(e.id))) for e in edited})
        d["checks"].update({rel: _check_blob(rel, checked, items) for rel, (checked, items) in checks.items()})
        d["edig"].update({e.id: self.data["renderer"]["edig"][e.id] for e in edited})
        d["stats"].update(stats)
        d.setdefault("listed", {}).update(listed)      # (the changed ones only: see listed)
        d["digest"], d["diagnostics"] = fp.digest, list(diagnostics)
        try:
            pickle_whole(delta_file(cache_dir, output), d)
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            forget(cache_dir, output)
