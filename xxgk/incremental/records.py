"""The fingerprint of everything a build reads, to stop at once when nothing changed at all.

The fingerprint covers the name, size, mtime and inode of every file and folder below content/
and the templates (the site's own and the built-in ones), the config's bytes, the generator
(code.code_digest), the date validity is computed for, the options, and the output folder. After a
successful build it is kept in `.cache/last-build-<output>.json` with the build's messages. The
next build with the same fingerprint, whose published files are all still as recorded (size and
mtime, see write/output.py), prints the same messages and writes nothing.

(What each output was made from is recorded per output by write/output.OutputWriter; see
render/site.SiteRenderer.plan for the keys.)

Each output folder a site is built into has records of its own in `.cache` (the published files',
the last build's, the search parts'). `keep_records` names them in `.cache/outputs.json` and
deletes those of folders that are gone, so that builds into passing folders (a CI job's temporary
folder, tests) do not fill the disk of a machine that keeps `.cache` (at 100,000 entries the
published files' record alone is 58 MB with the search index).
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..write.published import MARKER, output_tag
from .code import code_digest
from ..resources import BUILTIN_TEMPLATES
from ..atomic import write_whole



def _walk(parts: list[str], root: Path, seen: dict[str, str], at: dict[str, int] | None = None) -> None:
    """Each file and folder below `root`, a line each (its name and stat) appended to `parts`; `seen`:
    path → its line; `at`: path → where its line is in `parts`."""
    stack = [str(root)]
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            parts.append(f"?{d}\n")
            seen[d] = "?"
            continue
        for e in items:
            try:
                st = e.stat(follow_symlinks=False)
                line = f"{e.path}\0{st.st_mode}\0{st.st_mtime_ns}\0{st.st_size}\0{st.st_ino}\n"
                if e.is_symlink():
                    st2 = os.stat(e.path)
                    line = f"L{st2.st_mtime_ns},{st2.st_size},{st2.st_ino}" + line
            except OSError:
                line = f"!{e.path}\n"
            if at is not None:
                at[e.path] = len(parts)
            parts.append(line)
            seen[e.path] = line
            if line[0] != "!" and e.is_dir(follow_symlinks=False):
                stack.append(e.path)


def _line(path: str) -> str | None:
    """A path's line as _walk makes it; None when it is gone or a symbolic link."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return None
    return f"{path}\0{st.st_mode}\0{st.st_mtime_ns}\0{st.st_size}\0{st.st_ino}\n"


class InputsWatch:
    """(serve) The fingerprint's walk, made once and then brought up to date from what inotify says
    changed since (write/watch.TreeWatch): only the paths named and their folders are looked at again.
    Walked afresh whenever that cannot be told path by path: a path that came or went, a folder made
    or removed, a symbolic link or an unreadable path anywhere, a root that came or went, no inotify.
    Measured at 10,000 entries, a save in serve (cProfile): the walk 0.13–0.15 s (21,000 stat calls) → a few
    stat calls; the whole save's figures: bench/RESULTS.md session 13."""

    def __init__(self):
        self.tree = None
        self.key: list | None = None        # the roots, and which of them exist
        self.parts: list[str] = []
        self.files: dict[str, str] = {}
        self.at: dict[str, int] = {}

    def walk(self, roots: list[Path]) -> tuple[list[str], dict[str, str]]:
        key = [(str(r), r.exists()) for r in roots]
        if self.tree is not None and key == self.key:
            touched = self.tree.drain()
            got = self._update(touched) if touched is not None else None
            if got is not None:
                return got
        self.close()
        from ..write.watch import TreeWatch
        self.tree = TreeWatch.start_all([(r, f"{r}{os.sep}") for r, there in key if there])    # before the walk
        parts, files, at = [], {}, {}
        for r, there in key:
            parts.append(f"#{r}\n")
            if there:
                _walk(parts, Path(r), files, at)
        if any(line[0] in "L!?" for line in files.values()):
            self.close()
        self.key, self.parts, self.files, self.at = key, parts, files, at
        return parts, files

    def _update(self, touched: set[str]) -> tuple[list[str], dict[str, str]] | None:
        parts, files = list(self.parts), dict(self.files)       # (the last Fingerprint keeps its own)
        for path in touched | {p.rpartition(os.sep)[0] for p in touched}:
            i = self.at.get(path)
            if i is None:
                if path in touched and os.path.lexists(path):
                    return None                   # a path that came
                continue                          # came and went (an editor's temporary file); a root
            line = _line(path)
            if line is None:
                return None                       # a path that went, or is a symbolic link now
            parts[i] = files[path] = line
        self.parts, self.files = parts, files
        return parts, files

    def close(self) -> None:
        if self.tree is not None:
            self.tree.close()
        self.tree, self.key = None, None


@dataclass
class Fingerprint:
    """What a build reads: `digest` of all of it; `head` of everything but the files (generator,
    config, date, options, output folder); `files`: each file and folder walked → its name and stat."""
    digest: str
    head: str
    files: dict[str, str] = field(default_factory=dict)

    def changed_since(self, other: "Fingerprint") -> set[str] | None:
        """The paths that appeared, went or whose stat changed; None when something other than the
        files changed."""
        if other.head != self.head:
            return None
        changed = {p for p, line in self.files.items() if other.files.get(p) != line}
        if len(self.files) - len(changed) != len(other.files):       # (some went)
            changed |= other.files.keys() - self.files.keys()
        return changed


def fingerprint(site_dir: Path, config, as_of, options: dict, output: Path,
                inputs: InputsWatch | None = None) -> Fingerprint:
    """`inputs`: (serve) the walk kept from the last build, brought up to date."""
    head = hashlib.sha256(json.dumps([code_digest(), config.raw_hash, str(as_of), options, str(output.absolute()),
                                      os.environ.get("XXGK_SEARCH_PART_PAGES", "")]).encode()).hexdigest()
    roots = [site_dir / "content", site_dir / "templates", BUILTIN_TEMPLATES]
    if inputs is not None:
        parts, files = inputs.walk(roots)
    else:
        parts, files = [], {}
        for root in roots:
            parts.append(f"#{root}\n")
            if root.exists():
                _walk(parts, root, files)
    h = hashlib.sha256(head.encode())
    h.update("".join(parts).encode("utf-8", "surrogateescape"))
    return Fingerprint(h.hexdigest(), head, files)


def snapshot_file(cache_dir: Path, output: Path) -> Path:
    """The snapshot a command-line build leaves for the next to resume from (see resume.py)."""
    return cache_dir / f"resume-{output_tag(output.absolute())}.pickle"


def delta_file(cache_dir: Path, output: Path) -> Path:
    return snapshot_file(cache_dir, output).with_suffix(".delta.pickle")


def blobs_file(cache_dir: Path, output: Path) -> Path:
    return snapshot_file(cache_dir, output).with_suffix(".blobs")


def last_build_file(cache_dir: Path, output: Path) -> Path:
    return cache_dir / f"last-build-{output_tag(output.absolute())}.json"


def last_build(cache_dir: Path, output: Path) -> dict:
    try:
        return json.loads(last_build_file(cache_dir, output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_last_build(cache_dir: Path, output: Path, fp: str, diagnostics: list[Diagnostic], entries: int,
                    files: int) -> None:
    path = last_build_file(cache_dir, output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, json.dumps({"fingerprint": fp, "entries": entries, "files": files,
                                      "diagnostics": [[d.path, d.line, d.field, d.message, d.level, d.code]
                                                      for d in diagnostics]}, ensure_ascii=False))
    except OSError:
        pass


def forget_last_build(cache_dir: Path, output: Path) -> None:
    try:
        last_build_file(cache_dir, output).unlink()
    except OSError:
        pass


def replay(record: dict) -> list[Diagnostic]:
    return [Diagnostic(*d) for d in record.get("diagnostics", [])]


OUTPUTS = "outputs.json"


def keep_records(cache_dir: Path, output: Path, files: list[Path | None]) -> None:
    """Name `files` (records in cache_dir) as kept for the output folder `output`, and delete the
    records named for any other folder that no longer holds the output marker (the file every output
    folder we write has): with their folder gone they can never be used again. Records made before
    this index existed are left as they are."""
    index_file = cache_dir / OUTPUTS
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
        index = index if isinstance(index, dict) else {}
    except (OSError, ValueError):
        index = {}
    before = dict(index)
    out = str(output)
    for f in files:
        if f is not None and f.is_file():
            index[f.relative_to(cache_dir).as_posix()] = out
    for name, folder in sorted(index.items()):
        if folder != out and not os.path.isfile(os.path.join(folder, MARKER)):
            try:
                (cache_dir / name).unlink(missing_ok=True)
            except OSError:
                continue
            del index[name]
    if index == before:
        return
    try:
        write_whole(index_file, json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True))
    except OSError:
        pass
