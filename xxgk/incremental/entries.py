"""The per-file work of the load and validate stages, kept between builds.

Reading, decoding, parsing the front matter and checking one file's fields is most of a check's
time and depends only on that file's bytes, the config, the attachments it names and the
generator. So each file's result (`validate.site.Checked`, messages included) is kept, pickled,
under the file's (mtime, size, inode), and reused while those, the config digest, the digest of
the generator and the attachments it looked up (size and content digest, set by
xxgk/attachments/read.prepare) are unchanged. The kept entries are
never changed afterwards: `validate.site.check_site` hands the later stages copies.

The cache is `.cache/entries.pickle`, plus `.cache/entries-changes.pickle` holding only the files
changed since (up to JOURNAL_MAX, so one edit does not rewrite 50 MB); each is written to a
temporary file that is then renamed over it. A missing, old or unreadable cache is simply empty.
`serve` keeps it in memory between rebuilds.
"""
from __future__ import annotations

import contextlib
import gc
import os
import pickle
from pathlib import Path

from .. import budget
from ..diagnostics import Diagnostics
from ..load.source import read_entry
from ..memory import kept_for_the_build
from ..validate.site import Checked, check_file
from ..parallel import chunks, fork_workers, forked
from .code import code_digest
from ..atomic import pickle_whole

FILE = "entries.pickle"
CHANGES = "entries-changes.pickle"
FORMAT = 1
JOURNAL_MAX = 500     # up to this many files changed since entries.pickle was written: write only them


def stat_key(st: os.stat_result) -> tuple:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class EntryCache:
    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / FILE if cache_dir else None
        self.files: dict[str, tuple] = {}        # rel → (stat key, Checked, its messages)
        self.header: tuple = ()
        self.dirty = False
        self.hits = self.misses = 0
        self.journal: dict[str, tuple | None] = {}   # changed since the base file was written (None: gone)
        self.base_id: str | None = None
        self.base_ok = False

    def load(self, header: tuple) -> None:
        """Read the kept results if they were made with this generator and this config."""
        if self.header == header and self.files:
            return                                        # serve: already in memory
        self.header, self.files, self.journal, self.base_ok = header, {}, {}, False
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as f, kept_for_the_build():
                kept = pickle.load(f)
            if kept.get("format") == FORMAT and kept.get("header") == header:
                self.files, self.base_ok = kept["files"], True
                base_id = kept.get("id")
                try:
                    with open(self.path.with_name(CHANGES), "rb") as f, kept_for_the_build():
                        changes = pickle.load(f)
                    if changes.get("base") == base_id:
                        self.journal = changes["files"]
                        for rel, rec in self.journal.items():
                            if rec is None:
                                self.files.pop(rel, None)
                            else:
                                self.files[rel] = rec
                except FileNotFoundError:
                    pass
                self.base_id = base_id
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError,
                KeyError, IndexError):
            self.files, self.journal, self.base_ok = {}, {}, False

    def kept(self, rel: str, key: tuple | None, attachments: dict, diags: Diagnostics) -> Checked | None:
        """The kept result for a file with this stat key, if still valid (its messages go to diags)."""
        kept = self.files.get(rel)
        if key is not None and kept is not None and kept[0] == key:
            checked, items = kept[1], kept[2]
            if all((attachments[a].key if a in attachments else None) == key_
                   for a, key_ in checked.attachments.items()):
                self.hits += 1
                diags.extend(items)
                return checked
        return None

    def store(self, rel: str, key: tuple | None, checked: Checked, items: list, diags: Diagnostics) -> Checked:
        self.misses += 1
        diags.extend(items)
        if key is not None:
            self.files[rel] = self.journal[rel] = (key, checked, items)
            self.dirty = True
        return checked

    def check_all(self, sources: list, config, attachments: dict, diags: Diagnostics) -> list[Checked]:
        """The per-file results of every source, in order: kept ones reused, the others made now
        (on every core when there are many)."""
        keys = []
        for s in sources:
            try:
                keys.append(stat_key(s.stat or s.abs.stat()))
            except OSError:
                keys.append(None)
        out: list[Checked | None] = [None] * len(sources)
        todo = []
        for i, s in enumerate(sources):
            got = self.kept(s.rel, keys[i], attachments, diags)
            if got is None:
                todo.append(i)
            out[i] = got
        made = _check_many([sources[i] for i in todo], config, attachments)
        for i, (checked, items) in zip(todo, made):
            out[i] = self.store(sources[i].rel, keys[i], checked, items, diags)
        return out

    def forget_except(self, rels: set[str]) -> None:
        gone = set(self.files) - rels
        if gone:
            for rel in gone:
                del self.files[rel]
                self.journal[rel] = None
            self.dirty = True

    def save(self) -> None:
        """Few files changed since entries.pickle was written: write only them (entries-changes.pickle);
        otherwise write everything again."""
        if self.path is None or not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.base_ok and len(self.journal) <= JOURNAL_MAX:
                pickle_whole(self.path.with_name(CHANGES), {"base": self.base_id, "files": self.journal})
            else:
                self.base_id = os.urandom(8).hex()
                pickle_whole(self.path, {"format": FORMAT, "header": self.header, "id": self.base_id, "files": self.files})
                try:
                    self.path.with_name(CHANGES).unlink()
                except FileNotFoundError:
                    pass
                self.journal, self.base_ok = {}, True
            self.dirty = False
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
            pass   # a read-only site folder only costs a full check next time


PARALLEL_MIN = 300       # fewer files to read: one process is quicker than starting workers


def _check_one(rel, abs_path, id_, type_, config, attachments) -> tuple[Checked, list]:
    own = Diagnostics()
    raw = read_entry(abs_path, rel, id_, type_, own)
    seconds = budget.for_body(raw.body) if raw is not None else 0
    try:
        with budget.within(seconds) if raw is not None else contextlib.nullcontext():
            return check_file(raw, id_, type_, config, attachments, own), own.items
    except budget.TooSlow:
        own.error(rel, raw.body_line, "-", budget.message(seconds), code="too-slow")
        return check_file(None, id_, type_, config, attachments, own), own.items


def _check_chunk(shared: tuple, indexes: range) -> bytes:
    """In a worker: these sources checked, pickled at once (quicker than one by one)."""
    sources, config, attachments = shared
    gc.disable()
    return pickle.dumps([_check_one(sources[i].rel, sources[i].abs, sources[i].id, sources[i].type, config,
                                    attachments) for i in indexes], protocol=pickle.HIGHEST_PROTOCOL)


def _check_many(sources: list, config, attachments: dict) -> list[tuple[Checked, list]]:
    """read_entry + check_file for each source; in worker processes forked from this one if many."""
    workers = fork_workers(len(sources), PARALLEL_MIN)
    if not workers:
        return [_check_one(s.rel, s.abs, s.id, s.type, config, attachments) for s in sources]
    out: list = []
    try:
        with forked(_check_chunk, (sources, config, attachments), workers) as run, kept_for_the_build():
            for blob in run(chunks(len(sources), workers, 250)):
                out.extend(pickle.loads(blob))
    except (pickle.PicklingError, RecursionError, OSError, TypeError, AttributeError):
        # a result that cannot travel between processes: do the work here instead
        return [_check_one(s.rel, s.abs, s.id, s.type, config, attachments) for s in sources]
    return out


def header_for(config) -> tuple:
    return (code_digest(), config.raw_hash, config.lang)
