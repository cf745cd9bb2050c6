"""Helpers shared by the tests (import them from here, not from conftest: pytest loads several conftest
modules under one name)."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SAMPLE_AS_OF = "2026-11-23"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def run_build(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` as a user would; returns the completed process (text)."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


class Server:
    def __init__(self, directory: Path, prefix: str = ""):
        handler = functools.partial(_Quiet, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/{prefix}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def artifacts_dir() -> Path:
    d = REPO / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d


def copy_site(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, symlinks=True)
    return dest


def indexed_parts(site: Path, out: Path) -> dict:
    """The parts Pagefind indexed the site in for the output folder `out` (the search state in the
    site's .cache: part name → digest and page map), published merged into one bundle."""
    import json
    from xxgk.write.search_bundles import state_path
    return json.loads(state_path(site, out).read_text(encoding="utf-8"))["cached"]


def published_index(out: Path) -> dict:
    """The files of the published search index, but the overlay and xxgk-search.json: path → inode
    (a file made again gets a new one)."""
    base = out / "pagefind"
    return {p: p.stat().st_ino for p in base.rglob("*")
            if p.is_file() and p.name != "xxgk-search.json" and "part-edits" not in p.relative_to(base).parts}
