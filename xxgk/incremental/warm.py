"""What a long-lived process (`serve`) keeps between builds, and the quick rebuild it allows.

A build in the same process as the last one starts from what that build left: the checked
entries (entries.EntryCache, always) and, after a build that succeeded, the renderer with its
linked entries, keys and plan, the published files' record and the build's messages (LastBuild).

When the only change since is in the bodies of published entries — front matter, the links their
bodies make, the attachments, templates, config, generator, date and options all as before — no
other output can show anything new except what shows those entries' summaries (derived from the
body when none is written). So `body_edits` checks just the edited files again and the build puts
their new body digests into the kept plan (render.site.SiteRenderer.bodies_edited) and renders
what the keys say, as any build does. Anything else takes the full path. Either way the output is
byte for byte the full build's (tests/editor/test_editor_warm.py).

At 10,000 entries this turns an edit's rebuild from about a second (checking every file's record
again, linking, keying and planning 13,000 outputs) into the fingerprint walk plus one page.
"""
from __future__ import annotations

import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics
from ..load.site import TYPES
from .entries import EntryCache, _check_one, stat_key
from .records import Fingerprint


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


class Warm:
    def __init__(self, cache_dir: Path | None):
        self.entries = EntryCache(cache_dir)
        self.last: LastBuild | None = None

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
        since = fp.changed_since(last.fingerprint)
        if since is None:                                 # not only files changed
            return None
        renderer = last.renderer
        content = str(Path(site_dir) / "content") + os.sep     # as the fingerprint names them
        files, edited_paths = [], set()
        for path in sorted(since):
            if not path.startswith(content):
                return None
            before, line = last.fingerprint.files.get(path), fp.files.get(path)
            if _editor_leftover(path[len(content):], before, line):
                continue
            if _mode(before) is None or _mode(line) is None:
                return None                              # a file came or went
            if stat.S_ISDIR(_mode(line)):
                continue                                 # a folder's time (a file came or went in it)
            if not path.endswith(".md"):
                return None
            rel = "content/" + path[len(content):].replace(os.sep, "/")
            kept = self.entries.files.get(rel)
            old = kept[1] if kept else None
            if old is None or old.entry is None or renderer.entries.get(old.id) is None \
                    or renderer.entries[old.id].path != rel:
                return None
            try:
                key = stat_key(os.stat(path))
            except OSError:
                return None
            new, items = _check_one(rel, Path(path), old.id, old.type, config, renderer.files)
            if not _same_but_body(old, new) or Diagnostics(list(items)).failed(strict):
                return None
            # no message from the checks across files may name this file (their lines could move)
            if Counter(d for d in last.diagnostics if d.path == rel) != Counter([*kept[2], *old.stats_diagnostics]):
                return None
            files.append((rel, key, new, items))
            edited_paths.add(rel)
        if not files:
            return None
        diagnostics = [d for d in last.diagnostics if d.path not in edited_paths]
        for _rel, _key, new, items in files:
            diagnostics += [*items, *new.stats_diagnostics]
        return BodyEdits(files, diagnostics)

    def take(self, edits: BodyEdits) -> LastBuild:
        """Keep the edited files' checks (as a full build would) and hand over the last build."""
        for rel, key, new, items in edits.files:
            self.entries.store(rel, key, new, items, Diagnostics())
        last, self.last = self.last, None
        return last


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


def _same_but_body(old, new) -> bool:
    """The same entry in everything but its body's text: front matter, the links and attachments."""
    return (new.entry is not None and new.id == old.id and new.type == old.type
            and new.entry.digest == old.entry.digest and new.attachments == old.attachments
            and [(h, t) for _l, h, t in new.links] == [(h, t) for _l, h, t in old.links]
            and new.stats_diagnostics == old.stats_diagnostics)
