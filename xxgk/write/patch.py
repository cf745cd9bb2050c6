"""Publishing by patching in place: OutputPatch and its journal (the second of the two publish mechanisms).

Used only by a command-line build resumed after bodies were edited (incremental/resume.py): it
replaces the few files it made (an edited entry's pages, the exports that show a changed summary,
the search index's overlay) in the published folder, and notes them in a journal beside the
published files' record instead of writing that record again.

Why two mechanisms: every other build publishes with write/output.OutputWriter, which reads the
record of every published file to compare each output with it and writes the record whole again
(22,000 files at 10,000 entries with the search index; 2.4 million objects at 100,000 entries). A
resumed build knows from its snapshot which few files it changes and what the others are, so it
pays for neither; OutputWriter reads the journal back with the record (`read_journal`), and the
next full build writes the record whole again. Both publish every file whole and SHA256SUMS last.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from ..atomic import write_whole
from .published import SUMS, DuplicateOutput, _stat_key, _unlink_published, _write_bytes, record_file, sums_text


def journal_file(state_file: Path) -> Path:
    """Where resumed builds (OutputPatch) note the files they changed since the record was written."""
    return state_file.with_name(state_file.stem + ".changes.json")


def read_journal(state_file: Path) -> dict[str, list]:
    """The changes noted since `state_file` was written ({} when none, or when they were noted against
    another version of it)."""
    import json
    try:
        journal = json.loads(journal_file(state_file).read_text(encoding="utf-8"))
        if journal.get("base") == list(_stat_key(state_file) or ()) and isinstance(journal.get("files"), dict):
            return journal["files"]
    except (OSError, ValueError, AttributeError):
        pass
    return {}


class OutputPatch:
    """A resumed build's writer (incremental/resume.py): a few outputs replaced in place, every other
    published file left as it is and as recorded.

    Changed files are written into the staging folder, then renamed over the published ones, then
    SHA256SUMS — as OutputWriter's in-place publishing, so a kill leaves every file whole. What was
    written is added to the record's journal (`journal_file`), which OutputWriter reads with the
    record; the next full build writes the record whole again. A file new to the site may be added
    (`added=True`: the search index's overlay of edited pages, write/search_overlay.resumed_index) and a
    published one removed; the journal notes a removed file as None."""

    def __init__(self, out: Path, state_dir: Path, sums: dict[str, str]):
        self.out = out.resolve()
        self.state_file = record_file(state_dir, self.out)
        self.staging = self.out.with_name(f".{self.out.name}.building")
        self.sums = sums                  # the published SHA256SUMS: path → digest
        self.changed: list[str] = []
        self.written: set[str] = set()
        self.noted: dict[str, list | None] = {}  # path → its record, as OutputWriter keeps it (None: removed)
        self.removed: list[str] = []

    def __enter__(self):
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir()
        return self

    def __exit__(self, exc_type, exc, tb):
        shutil.rmtree(self.staging, ignore_errors=True)
        return False

    def write(self, rel: str, data: bytes | str, source: str = "", key: str | None = None, deps=(),
              added: bool = False) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        if rel in self.written or (rel not in self.sums and not added) or rel == SUMS:
            raise DuplicateOutput(f"{source or rel}：{rel} 不是已发布网站中的文件，或被写了两次")
        self.written.add(rel)
        digest = hashlib.sha256(data).hexdigest()
        if digest == self.sums.get(rel):
            st = os.stat(self.out / rel)
            size, mtime = st.st_size, st.st_mtime_ns
        else:
            dest = self.staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            size, mtime = _write_bytes(str(dest), data)
            self.sums[rel] = digest
            self.changed.append(rel)
        self.noted[rel] = [digest, size, mtime] + ([key, list(deps)] if key else [])

    def remove(self, rel: str) -> None:
        """Delete a published file (at `finish`, after the new files are in place)."""
        if rel in self.written or rel not in self.sums or rel == SUMS:
            raise DuplicateOutput(f"{rel} 不是已发布网站中的文件，或已被写过")
        self.written.add(rel)
        del self.sums[rel]
        self.removed.append(rel)
        self.noted[rel] = None

    def finish(self) -> None:
        import json
        if self.changed or self.removed:
            for rel in self.changed:
                (self.out / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / rel, self.out / rel)
            for rel in self.removed:
                _unlink_published(self.out, rel)
            sums = sums_text(self.sums).encode("utf-8")
            size, mtime = _write_bytes(str(self.staging / SUMS), sums)
            os.replace(self.staging / SUMS, self.out / SUMS)      # last, as in OutputWriter
            self.noted[SUMS] = [hashlib.sha256(sums).hexdigest(), size, mtime]
            self.changed.append(SUMS)
        noted = {**read_journal(self.state_file), **self.noted}
        write_whole(journal_file(self.state_file), json.dumps({"base": list(_stat_key(self.state_file) or ()),
                                                               "files": noted}, ensure_ascii=False, separators=(",", ":")))

    def stats(self) -> dict[str, tuple[int, int, str] | None]:
        """Size, mtime and digest of each file written or checked (for the snapshot's record of them)."""
        return {rel: (rec[1], rec[2], rec[0]) if rec is not None else None for rel, rec in self.noted.items()}
