"""What a published output folder holds, and the small file operations both ways of publishing share.

A published folder carries the generator's marker (MARKER: only a folder with it is ever replaced)
and SHA256SUMS; the record of its files lives in the site's .cache/ (`record_file`). The two
publishing mechanisms, write/output.OutputWriter (every full build) and write/patch.OutputPatch (a
resumed command-line build), both use what is here; neither imports the other's class.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

MARKER = ".xxgk-output"
MARKER_TEXT = b"This folder is written by the xxgk generator; every build replaces it whole.\n"
SUMS = "SHA256SUMS"


class DuplicateOutput(Exception):
    pass


def output_tag(path: Path | str, length: int = 12) -> str:
    """The short digest of an output folder's path that names its records in the site's .cache."""
    return hashlib.sha256(str(path).encode()).hexdigest()[:length]


def record_file(state_dir: Path, out: Path) -> Path:
    """The published files' record of the output folder `out` (resolved)."""
    return state_dir / f"output-{output_tag(out)}.json"


def sums_text(digests: dict[str, str]) -> str:
    """SHA256SUMS: a line a file, sorted by path (commands/verify.read_sums reads it)."""
    return "".join(f"{digests[p]}  {p}\n" for p in sorted(digests))


def _unlink_published(out: Path, rel: str) -> None:
    """Delete the published file `rel`, and the folders that it leaves empty."""
    try:
        (out / rel).unlink()
    except FileNotFoundError:
        pass
    parent = (out / rel).parent
    while parent != out:          # (a folder may be gone already: deleted by hand, e.g. pagefind/)
        try:
            if any(parent.iterdir()):
                break
            parent.rmdir()
        except FileNotFoundError:
            pass
        parent = parent.parent


def _write_bytes(path: str, data: bytes) -> tuple[int, int]:
    """Write the file; its size and modification time as written (closing it changes neither)."""
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        st = os.fstat(f.fileno())
    return st.st_size, st.st_mtime_ns


def _stat_key(p: Path) -> tuple | None:
    try:
        st = p.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _sha256(p: Path) -> str:
    with open(p, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
