"""Shared by tests/hostile: a built copy of tests/fixtures/basic to break, and the judge of a build.

Builds run in this process (xxgk.cli.main, like a user's `python build.py …`) so that hundreds of
them are cheap; SIGALRM turns a hang into a failure after HANG_SECONDS, and every case must also
finish within BUDGET_SECONDS of CPU time (generous: a case takes well under a second; CPU time, so
that a busy CI machine does not fail it — the alarm still bounds the wall clock)."""
from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import signal
import time
from pathlib import Path

from helpers import FIXTURES

from xxgk.cli import main

AS_OF = "2024-01-01"
HANG_SECONDS = 60
BUDGET_SECONDS = 20
TRACEBACK = "Traceback"
REPO_BUILD = str(Path(__file__).resolve().parents[2] / "build.py")


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"no answer within {HANG_SECONDS} s")


def run_cli(*args: str) -> tuple[int, str, float]:
    """(exit status, stderr, CPU seconds) of `python build.py ARGS` run in this process."""
    err, out = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    start = time.process_time()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(list(args))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return code, err.getvalue(), time.process_time() - start


def build(site: Path, *extra: str) -> tuple[int, str, float]:
    return run_cli("build", "--site", str(site), "--as-of", AS_OF, "--no-search", *extra)


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def built_template(root: Path) -> Path:
    """tests/fixtures/basic, copied and built once (the "old site" each case must leave alone)."""
    site = root / "site"
    shutil.copytree(FIXTURES / "basic", site, symlinks=True)
    code, err, _ = build(site)
    assert code == 0, err
    return site


def copy_built(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest, symlinks=True)
    return dest


def set_field(text: str, key: str, value: str) -> str:
    """The entry text with front-matter field `key` set to the YAML `value` (added if missing)."""
    lines = text.split("\n")
    for i, line in enumerate(lines[1:], 1):
        if line == "---":
            break
        if line.startswith(key + ":"):
            lines[i] = f"{key}: {value}"
            return "\n".join(lines)
    return text.replace("---\n", f"---\n{key}: {value}\n", 1)
