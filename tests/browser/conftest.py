"""Fixtures for the browser suite: the built site to test, its page types, a server, axe-core.

The site is the repository's sample catalogue (sample_output) when content/ exists, otherwise
the fixture site (fixture_output). Tests take outside_requests (tests/conftest.py): every request
that leaves 127.0.0.1 is aborted and recorded.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_support import AXE, REPO, Server, page_types  # noqa: E402


@pytest.fixture(scope="session")
def site_output(request) -> Path:
    """The sample catalogue when the repository has one, else the fixture site.

    XXGK_BROWSER_OUTPUT=<built folder> tests that folder instead (fast iteration on templates);
    XXGK_BROWSER_SITE=basic forces the fixture site."""
    if os.environ.get("XXGK_BROWSER_OUTPUT"):
        return Path(os.environ["XXGK_BROWSER_OUTPUT"])
    if (os.environ.get("XXGK_BROWSER_SITE") != "basic" and (REPO / "content").is_dir()
            and (REPO / "site_config.yaml").is_file()):
        return request.getfixturevalue("sample_output")
    return request.getfixturevalue("fixture_output")


@pytest.fixture(scope="session")
def site_pages(site_output) -> dict[str, str]:
    return page_types(site_output)


@pytest.fixture(scope="session")
def site_server(site_output):
    s = Server(site_output)
    yield s
    s.close()


@pytest.fixture(scope="session")
def gallery_dir(tmp_path_factory) -> tuple[Path, list[str]]:
    from component_examples import gallery
    d = tmp_path_factory.mktemp("gallery")
    return d, gallery(d)


@pytest.fixture(scope="session")
def gallery_server(gallery_dir):
    s = Server(gallery_dir[0])
    yield s
    s.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm install --ignore-scripts axe-core)")
    return AXE.read_text(encoding="utf-8")


