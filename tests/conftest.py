"""Shared fixtures: run the generator, build the sample catalogue once, serve a folder, drive Chromium.

Browser tests use pytest-playwright's `page`/`context` fixtures pointed at Debian's Chromium
(never `playwright install`); every request to another host is aborted and recorded.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import (CHROMIUM, FIXTURES, REPO, SAMPLE_AS_OF, Server, artifacts_dir,  # noqa: F401
                     copy_site, run_build)


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    """The repository's sample catalogue, built once (search index included) into a temp folder."""
    out = tmp_path_factory.mktemp("sample") / "output"
    r = run_build("build", "--site", str(REPO), "--output", str(out), "--as-of", SAMPLE_AS_OF)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="session")
def fixture_output(tmp_path_factory) -> Path:
    """The small fixture site tests/fixtures/basic, built once."""
    out = tmp_path_factory.mktemp("basic") / "output"
    r = run_build("build", "--site", str(FIXTURES / "basic"), "--output", str(out), "--as-of", "2024-01-01")
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture
def serve_dir():
    """serve_dir(path) → Server with .url; closed after the test."""
    servers = []

    def start(directory: Path, prefix: str = "") -> Server:
        s = Server(directory, prefix)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.close()


@pytest.fixture(scope="session")
def sample_server(sample_output):
    s = Server(sample_output)
    yield s
    s.close()


# -- Chromium through pytest-playwright ---------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--disable-sync"]}


@pytest.fixture
def outside_requests(context):
    """Abort and record every request that leaves 127.0.0.1 or file://."""
    seen: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "file://", "data:", "blob:")):
            route.continue_()
        else:
            seen.append(url)
            route.abort()

    context.route("**/*", handle)
    return seen


