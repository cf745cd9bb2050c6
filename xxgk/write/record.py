"""The record of the published files (a part of write/output.OutputWriter): what each published file
is (sha256, size, mtime) and what it was made from (its key and the names of those inputs), kept in
the site's .cache/ (`record_file`), read at the start of a build and saved after it publishes.

- `_load_state`: the record, with what resumed builds changed since (write/patch.py's journal);
- `_intact`, `fresh`, `_unchanged`: is a published file still as recorded, made from this key,
  these bytes (serve trusts the files no inotify event named: write/watch.py);
- `_stat_others`, `save_record`: the record of this build, saved once it has published (in serve
  after the new site is served);
- KeptRecord: the record serve's last build saved, kept in memory for the next.
"""
from __future__ import annotations

import os

from ..atomic import write_whole
from ..memory import kept_for_the_build
from .patch import journal_file, read_journal
from .published import MARKER, _sha256, _stat_key


class PublishedRecord:
    """(a part of write/output.OutputWriter)"""

    def _load_state(self) -> dict[str, list]:
        """The record of the published files. It lives as long as the build and holds a few objects
        per file (2.4 million at 100,000 entries), so it is kept from the cycle collector (at 100,000
        entries walking it made planning 1.5 s slower after an edit than in a cold build)."""
        import json
        if not self.state_file:
            return {}
        try:
            with kept_for_the_build():
                state = json.loads(self.state_file.read_text(encoding="utf-8"))
            if not isinstance(state, dict) or not (self.out / MARKER).is_file():
                return {}
        except (OSError, ValueError):
            return {}
        for rel, rec in read_journal(self.state_file).items():    # what resumed builds changed since
            if rec is None:
                state.pop(rel, None)          # (removed: an earlier search index overlay's file)
            else:
                state[rel] = rec
        return state

    def _intact(self, rel: str) -> bool:
        """Is the published file `rel` as recorded (size and mtime)?"""
        rec = self.previous.get(rel)
        if not rec:
            return False
        if self.suspects is not None and rel not in self.suspects:
            # serve: no event named the file since this process recorded or checked it (write/watch.py).
            # 10,000 entries with search, a save (cProfile, loaded machine): fresh() 0.14 → 0.05 s, keep_tree 0.23 → 0.16 s
            # (before its listing was reused too); the whole save 0.86/1.15 → 0.30/0.40 s (bench/RESULTS.md session 13)
            return True
        try:
            st = os.stat(f"{self._out}/{rel}", follow_symlinks=False)
        except OSError:
            return False
        return st.st_size == rec[1] and st.st_mtime_ns == rec[2]

    def fresh(self, rel: str, key: str) -> bool:
        """Was `rel` made from exactly this key, and is the published file still what was written?"""
        rec = self.previous.get(rel)
        return bool(rec) and len(rec) > 3 and rec[3] == key and self._intact(rel)

    def _unchanged(self, rel: str, digest: str, size: int) -> bool:
        """Is the published file `rel` already these bytes? Trust the recorded digest while the file's
        size and mtime are as recorded; otherwise compare its bytes."""
        if self._cold:
            return False
        if self._intact(rel):
            self._as_recorded.add(rel)
            return self.previous[rel][0] == digest
        old = self.out / rel
        try:
            st = old.stat()
        except OSError:
            return False
        if not old.is_file() or old.is_symlink() or st.st_size != size:
            return False
        return _sha256(old) == digest

    def _stat_others(self) -> None:
        """Right after publishing: the size and mtime of the published files neither written by this build
        nor found as recorded (a few: copied attachments, search files checked by their bytes), so that
        the record, even when saved later, says what the files were when this build published them."""
        kept = self._as_recorded.intersection(self.kept)
        self._others: dict[str, tuple[int, int]] = {}
        for rel in self.digests:
            if rel in kept and rel in self.previous or rel in self._written_stat:
                continue
            try:
                st = os.stat(f"{self._out}/{rel}")
            except OSError:
                continue
            self._others[rel] = (st.st_size, st.st_mtime_ns)
        self._kept_as_recorded = kept

    def save_record(self) -> None:
        """The record of the published files, in .cache/ (once; after `finish`). Until it is saved the
        one there is the last build's: it names this build's new files with their old sizes and times,
        so no later build trusts it for them (a process killed in between never leaves a record that
        says a file is something it is not). Measured at 10,000 entries with search, a save in serve:
        0.38 s under cProfile (building the record, JSON, writing), moved after the new page is served;
        what stays in the save is _stat_others, 0.02 s."""
        import json
        record = self.record
        if not self.state_file or record is None or record.state is not None:
            return
        state = {}
        # untouched files (left in place, or hard-linked into the new folder) keep the size and mtime
        # recorded; written ones are as their writing thread saw them once written (no stat again:
        # 240,000 files at 100,000 entries); the others as _stat_others found them
        kept, written, others, previous = self._kept_as_recorded, self._written_stat, self._others, self.previous
        for rel, digest in self.digests.items():
            key, deps = self.keys.get(rel, (None, []))
            if rel in kept and rel in previous:
                size, mtime = previous[rel][1], previous[rel][2]
            elif rel in written:
                size, mtime = written[rel]
            elif rel in others:
                size, mtime = others[rel]
            else:
                continue
            state[rel] = [digest, size, mtime] + ([key, deps] if key else [])
        try:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            journal_file(self.state_file).unlink(missing_ok=True)     # (this record includes its changes)
            write_whole(self.state_file, json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
            record.state, record.file_key = state, _stat_key(self.state_file)
        except OSError:
            self.record = None


class KeptRecord:
    """The published files' record as the last build of this process saved it (serve), so the next
    build need not read it again: used while the saved file is still the one it wrote."""

    def __init__(self, state: dict, file_key: tuple | None):
        self.state, self.file_key = state, file_key

    def current(self, writer) -> bool:
        return (self.state is not None and writer.state_file is not None and self.file_key is not None
                and _stat_key(writer.state_file) == self.file_key and (writer.out / MARKER).is_file()
                and not journal_file(writer.state_file).exists())
