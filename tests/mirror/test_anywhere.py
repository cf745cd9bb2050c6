"""The same folder works at a domain root, under a sub-path (/xxgk/) and opened from disk: every link of
the home page, a catalogue page and an entry page is followed in Chromium; nothing leaves 127.0.0.1."""
from __future__ import annotations

import shutil

import pytest

from mirror_links import follow_all

START_PAGES = ["index.html", "catalogue/index.html", "catalogue/type/policies.html", "policies/budget-2019.html"]


@pytest.fixture(scope="module")
def under_subpath(fixture_output, tmp_path_factory):
    root = tmp_path_factory.mktemp("webroot")
    shutil.copytree(fixture_output, root / "xxgk")
    return root


def _check(context, base, outside_requests):
    n, problems = follow_all(context, base, START_PAGES)
    assert not problems, "\n".join(problems)
    assert n >= 30, f"only {n} links followed"
    assert outside_requests == []


def test_at_a_domain_root(context, outside_requests, fixture_output, serve_dir):
    _check(context, serve_dir(fixture_output).url, outside_requests)


def test_under_a_sub_path(context, outside_requests, under_subpath, serve_dir):
    server = serve_dir(under_subpath, "xxgk/")
    assert server.url.endswith("/xxgk/")
    _check(context, server.url, outside_requests)


def test_opened_from_disk(context, outside_requests, fixture_output):
    _check(context, fixture_output.as_uri() + "/", outside_requests)


def search_from_disk(page, folder_uri: str, query: str) -> tuple[list[str], str]:
    page.goto(f"{folder_uri}search.html?q={query}")
    page.wait_for_selector("body[data-search-state=done]", timeout=10_000)
    hrefs = page.eval_on_selector_all("#search-results a[href]", "els => els.map(a => a.href)")
    return hrefs, page.inner_text("#search-mode")


def test_search_fallback_from_disk(page, outside_requests, fixture_output):
    html = (fixture_output / "search.html").read_text(encoding="utf-8")
    if "<script" not in html.split("<main", 1)[-1]:
        pytest.skip("search.html has no search script yet")
    uri = fixture_output.as_uri() + "/"
    hrefs, mode = search_from_disk(page, uri, "预算")
    assert hrefs, "the offline search found nothing for 预算"
    assert any("budget-2019" in h for h in hrefs)
    assert "本地磁盘" in mode, mode        # it says why only titles/文号/索引号 are searched
    # a 文号 is found from disk too, and the result opens
    hrefs, _ = search_from_disk(page, uri, "示财发")
    assert hrefs
    page.goto(hrefs[0])
    assert page.locator("body[data-entry-id]").count() == 1
    assert outside_requests == []
