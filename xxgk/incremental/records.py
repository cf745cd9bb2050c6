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
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..write.published import MARKER, output_tag
from .code import code_digest
from ..resources import BUILTIN_TEMPLATES
from ..atomic import write_whole



def _walk(h, root: Path, seen: dict[str, str]) -> None:
    stack = [str(root)]
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            h.update(f"?{d}\n".encode("utf-8", "surrogateescape"))
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
            h.update(line.encode("utf-8", "surrogateescape"))
            seen[e.path] = line
            if line[0] != "!" and e.is_dir(follow_symlinks=False):
                stack.append(e.path)


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


def fingerprint(site_dir: Path, config, as_of, options: dict, output: Path) -> Fingerprint:
    head = hashlib.sha256(json.dumps([code_digest(), config.raw_hash, str(as_of), options, str(output.absolute()),
                                      os.environ.get("XXGK_SEARCH_PART_PAGES", "")]).encode()).hexdigest()
    h = hashlib.sha256(head.encode())
    files: dict[str, str] = {}
    for root in (site_dir / "content", site_dir / "templates", BUILTIN_TEMPLATES):
        h.update(f"#{root}\n".encode("utf-8", "surrogateescape"))
        if root.exists():
            _walk(h, root, files)
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
