"""What a long-lived process (`serve`) keeps between builds, and the quick rebuild it allows.

A build in the same process as the last one starts from what that build left: the checked
entries (entries.EntryCache, always) and, after a build that succeeded, the renderer with its
linked entries, keys and plan, the published files' record and the build's messages (LastBuild).

When the only change since is in the bodies of published entries — front matter, the links their
bodies make, the attachments, templates, config, generator, date and options all as before — no
other output can show anything new except what shows those entries' summaries (derived from the
body when none is written). So `body_edits` checks just the edited files again and the build puts
their new body digests into the kept plan (render.edits.BodyEdits.bodies_edited) and renders
what the keys say, as any build does. Anything else takes the full path. Either way the output is
byte for byte the full build's (tests/incremental/test_warm.py).

At 10,000 entries this turns an edit's rebuild from about a second (checking every file's record
again, linking, keying and planning 13,000 outputs) into the fingerprint walk plus one page.
"""
from __future__ import annotations

import atexit
import os
import stat
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Callable, NamedTuple
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics
from ..load.site import TYPES
from .entries import EntryCache, _check_one, stat_key
from .records import Fingerprint, InputsWatch


@dataclass
class LastBuild:
    fingerprint: Fingerprint
    renderer: object                # render.site.SiteRenderer, as the build left it
    record: object                  # write.output.KeptRecord: the published files' record
    diagnostics: list[Diagnostic]
    entries: int


@dataclass
class BodyEdits:
    """The edited files, checked again: (rel, stat key, Checked, its messages) each, and the
    build's messages with theirs in place of the old."""
    files: list[tuple]
    diagnostics: list[Diagnostic]


class KeptCheck(NamedTuple):
    """What `bodies_edited` compares of a file's last per-file check (validate.site.Checked)."""
    rel: str
    id: str
    type: str
    digest: str | None                 # the front matter's (None: no usable entry)
    attachments: dict
    links: list                        # (href, target) of each link its body makes
    stats_diagnostics: list
    items: list                        # its own messages

    @classmethod
    def of(cls, rel: str, checked, items: list) -> "KeptCheck":
        return cls(rel, checked.id, checked.type, checked.entry.digest if checked.entry is not None else None,
                   dict(checked.attachments), [(h, t) for _l, h, t in checked.links],
                   list(checked.stats_diagnostics), list(items))


def bodies_edited(site_dir: Path, last_fp: Fingerprint, fp: Fingerprint, config, strict: bool,
                  kept: Callable[[str], KeptCheck | None], path_of: Callable[[str], str | None], files: dict,
                  last_diagnostics: list[Diagnostic]) -> BodyEdits | None:
    """The files changed between two fingerprints, checked again, if only published entries' bodies
    changed (see the module's docstring); else None. `kept(rel)`: the file's last check; `path_of(id)`:
    the published entry's file; `files`: the attachments; `last_diagnostics`: the last build's messages."""
    since = fp.changed_since(last_fp)
    if since is None:                                 # not only files changed
        return None
    content = str(Path(site_dir) / "content") + os.sep     # as the fingerprint names them
    edited, edited_paths = [], set()
    for path in sorted(since):
        if not path.startswith(content):
            return None
        before, line = last_fp.files.get(path), fp.files.get(path)
        if _editor_leftover(path[len(content):], before, line):
            continue
        if _mode(before) is None or _mode(line) is None:
            return None                              # a file came or went
        if stat.S_ISDIR(_mode(line)):
            continue                                 # a folder's time (a file came or went in it)
        if not path.endswith(".md"):
            return None
        rel = "content/" + path[len(content):].replace(os.sep, "/")
        old = kept(rel)
        if old is None or old.digest is None or path_of(old.id) != rel:
            return None
        try:
            key = stat_key(os.stat(path))
        except OSError:
            return None
        new, items = _check_one(rel, Path(path), old.id, old.type, config, files)
        if not _same_but_body(old, new) or Diagnostics(list(items)).failed(strict):
            return None
        # no message from the checks across files may name this file (their lines could move)
        if Counter(d for d in last_diagnostics if d.path == rel) != Counter([*old.items, *old.stats_diagnostics]):
            return None
        edited.append((rel, key, new, items))
        edited_paths.add(rel)
    if not edited:
        return None
    diagnostics = [d for d in last_diagnostics if d.path not in edited_paths]
    for _rel, _key, new, items in edited:
        diagnostics += [*items, *new.stats_diagnostics]
    return BodyEdits(edited, diagnostics)


class Warm:
    def __init__(self, cache_dir: Path | None):
        self.entries = EntryCache(cache_dir)
        self.last: LastBuild | None = None
        self._pagefind = None
        self._later: list[Callable[[], None]] = []
        self._watch = None                  # write/watch.OutputWatch of the output folder last built
        self.inputs = InputsWatch()         # the fingerprint's walk, kept up to date (records.py)
        atexit.register(_settle_at_exit, weakref.ref(self))     # (a process that never calls close)

    def watch_for(self, output: Path):
        """The watch on the output folder `output` (write/watch.py): which published files to look at again."""
        from ..write.watch import OutputWatch
        out = Path(os.path.realpath(output))
        if self._watch is None or self._watch.out != out:
            if self._watch is not None:
                self._watch.close()
            self._watch = OutputWatch(out)
        return self._watch

    def later(self, fn: Callable[[], None]) -> None:
        """Work the last build leaves until its site is served (its records): done by `settle`."""
        self._later.append(fn)

    def settle(self) -> None:
        """Once the last build's site is served (serve: after announcing it), or before the next build or
        the process ending: save what it left to save, then check the output folder's files once
        against the record if the watch on them is new (so the next build trusts it)."""
        while self._later:
            self._later.pop(0)()
        last = self.last
        if self._watch is not None and last is not None and last.record is not None and last.record.state is not None:
            self._watch.verify(last.record.state)

    def pagefind(self):
        """Pagefind's service, kept warm between builds for the search index's overlay (None when it
        cannot be started): started for each build, it spends about 0.2 s loading its Chinese word lists."""
        if self._pagefind is not None and self._pagefind.exited():
            self._pagefind.close()
            self._pagefind = None
        if self._pagefind is None:
            from ..write.pagefind_service import start_service
            self._pagefind = start_service()
        return self._pagefind

    def close(self) -> None:
        self.settle()
        self.inputs.close()
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        if self._pagefind is not None:
            self._pagefind.close()
            self._pagefind = None

    def keep(self, fp: Fingerprint, renderer, record, diagnostics: list[Diagnostic], entries: int) -> None:
        """After a build that succeeded: keep what the next one may start from (not when the
        renderer let go of its entries for the search stage, or the record was not saved)."""
        usable = record is not None and "jobs" in renderer.__dict__       # (SiteRenderer.release drops it)
        self.last = LastBuild(fp, renderer, record, list(diagnostics), entries) if usable else None

    def body_edits(self, site_dir: Path, fp: Fingerprint, config, strict: bool) -> BodyEdits | None:
        """The edits since the last build, if they are only to published entries' bodies; else None."""
        last = self.last
        if last is None:
            return None
        renderer = last.renderer

        def kept(rel: str) -> KeptCheck | None:
            got = self.entries.files.get(rel)
            return KeptCheck.of(rel, got[1], got[2]) if got else None

        def path_of(eid: str) -> str | None:
            e = renderer.entries.get(eid)
            return e.path if e is not None else None
        return bodies_edited(site_dir, last.fingerprint, fp, config, strict, kept, path_of, renderer.files,
                             last.diagnostics)

    def take(self, edits: BodyEdits) -> LastBuild:
        """Keep the edited files' checks (as a full build would) and hand over the last build."""
        for rel, key, new, items in edits.files:
            self.entries.store(rel, key, new, items, Diagnostics())
        last, self.last = self.last, None
        return last


def _settle_at_exit(ref) -> None:
    warm = ref()
    if warm is not None:
        try:
            warm.settle()
        except Exception:  # noqa: BLE001 - the process ends: a record not saved is only a slower next build
            pass


def _mode(line: str | None) -> int | None:
    """The st_mode in a fingerprint line (records._walk); None for a path not there or not readable
    ("!…" when its stat failed, "?" for a folder that could not be listed)."""
    fields = line.split("\0") if line and line[0] not in "!?" else ()
    return int(fields[1]) if len(fields) > 1 else None


def _editor_leftover(rel: str, old: str | None, line: str | None) -> bool:
    """A change the build cannot see (load.site.discover): a hidden file or folder in content/ or in
    an entry folder (an editor's swap file, `.zc-1.md.swp`), or a file there that is not .md and was
    there before and still is (a backup `zc-1.md~`, rewritten at each save: its "ignored" warning
    stays the same)."""
    parts = rel.replace(os.sep, "/").split("/")
    if parts[0].startswith(".") or (len(parts) > 1 and parts[0] in TYPES and parts[1].startswith(".")):
        return True
    return (len(parts) == 2 and parts[0] in TYPES and not parts[1].endswith(".md")
            and all(_mode(x) is not None and stat.S_ISREG(_mode(x)) for x in (old, line)))


def _same_but_body(old: KeptCheck, new) -> bool:
    """The same entry in everything but its body's text: front matter, the links and attachments."""
    return (new.entry is not None and new.id == old.id and new.type == old.type
            and new.entry.digest == old.digest and new.attachments == old.attachments
            and [(h, t) for _l, h, t in new.links] == old.links
            and new.stats_diagnostics == old.stats_diagnostics)
