"""Full-text search from the unpacked `pack` zip in real Firefox (Debian's firefox-esr, over WebDriver
BiDi: tests/search/firefox.py), as test_search.py does in Chromium: SPEC 6 promises it in both.

Each site is packed once, unzipped, and every query is run twice in the same Firefox: from disk
(file://: the index as classic scripts in offline-search/) and served over http (Pagefind's own
files); the two must find the same entries, in the same order, and the entries the Chromium tests
expect. The generated site is indexed in parts, so from disk too the parts are merged into one runtime.
"""
from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from firefox import FIREFOX, Firefox
from helpers import REPO, Server, indexed_parts
from test_search import HANTAI, KAIYUAN, PANJIN, PART_PAGES, expected, generated_entries, make_generated_site, unpacked

pytestmark = pytest.mark.skipif(not FIREFOX, reason="Firefox is not installed (apt-get install firefox-esr); "
                                                    ".ci/run installs it")


@pytest.fixture(scope="module")
def ff():
    browser = Firefox()
    yield browser
    browser.close()


def ff_search(ff: Firefox, base: str, q: str = "", **params) -> dict:
    """Open search.html?q=…&filters, wait for the results, load them all; their ids, the status line,
    the offline notice, the index state, the files the page fetched (Firefox lists none from disk)
    and whether the runtime is offline-search/'s classic script."""
    query = {"q": q, **params} if q else params
    ff.goto(base + "search.html" + ("?" + urllib.parse.urlencode(query) if query else ""))
    ff.wait_for("['done', 'failed'].includes(document.body.getAttribute('data-search-state'))")
    for _ in range(40):
        ff.wait_for("!document.body.hasAttribute('data-search-more')")
        if ff.evaluate("document.getElementById('search-more-wrap').hidden"):
            break
        ff.evaluate("document.getElementById('search-more').click()")
    got = ff.evaluate("""({
        urls: Array.from(document.querySelectorAll('#search-results li h2 a'), a => a.getAttribute('href')),
        state: document.body.getAttribute('data-search-state'),
        index: document.body.getAttribute('data-search-index'),
        status: document.getElementById('search-status').innerText,
        mode: document.getElementById('search-mode').hidden ? '' : document.getElementById('search-mode').innerText,
        loaded: performance.getEntriesByType('resource').map(e => e.name),
        classic: typeof window.XXGK_PAGEFIND === 'object',
    })""")
    got["ids"] = [Path(u).stem for u in got["urls"]]
    return got


def offline_and_online(ff: Firefox, tmp_path: Path, site: Path, queries) -> dict:
    """Pack `site`, unzip it; each (q, params) from disk and over http: {q: offline result}."""
    base = unpacked(site, tmp_path)
    server = Server(tmp_path / "unzipped" / "site")
    out = {}
    try:
        for q, params in queries:
            off = ff_search(ff, base, q, **params)
            assert off["state"] == "done" and off["index"] == "ready" and not off["mode"], (q, off)
            assert all(u.startswith("file://") for u in off["loaded"]), off["loaded"]
            assert off["classic"], q                                  # offline-search/pagefind.js ran
            on = ff_search(ff, server.url, q, **params)
            assert on["state"] == "done" and on["index"] == "ready", (q, on)
            assert all(u.startswith(server.url) for u in on["loaded"]) and not on["classic"], on["loaded"]
            assert off["ids"] == on["ids"], (q, off["ids"], on["ids"])
            out[q or str(params)] = off
    finally:
        server.close()
    assert not ff.errors(), ff.errors()
    return out


def test_sample_catalogue_from_disk_in_firefox(ff, tmp_path):
    """网络回应人 is only in the body of the 盘锦 plan: from disk Firefox finds it, in either script;
    漢臺區 finds the zh-Hant plan; a 文号 it cites finds it; a whole 索引号 finds its entry first."""
    got = offline_and_online(ff, tmp_path, REPO, [(q, {}) for q in (
        "网络回应人", "網絡回應人", "漢臺區", "20240925-203618-472", "国办发〔2017〕24号")])
    for q, want in (("网络回应人", PANJIN), ("網絡回應人", PANJIN), ("漢臺區", HANTAI), ("国办发〔2017〕24号", PANJIN)):
        assert want in got[q]["ids"][:3], (q, got[q]["ids"])
    assert got["20240925-203618-472"]["ids"][:1] == [KAIYUAN]
    assert "1 条的文号或索引号与之相符" in got["20240925-203618-472"]["status"]


FILTERS = {"agency": "示例县财政局", "validity": "有效", "year": "2019"}


def test_generated_site_in_parts_from_disk_in_firefox(ff, tmp_path, monkeypatch):
    """The generated site (test_search.py) indexed in parts: from disk the parts are merged as online;
    words only in a body, a traditional query for simplified entries, a whole 文号 and 索引号, filters."""
    monkeypatch.setenv("XXGK_SEARCH_PART_PAGES", str(PART_PAGES))
    site = make_generated_site(tmp_path / "gen")
    index_no = next(fields["index_no"] for eid, _, fields, _ in generated_entries() if eid == "f07")
    queries = [("推诿拖延", {}), ("政務公開", {}), ("示政发〔2017〕24号", {}), (index_no, {}),
               ("", FILTERS), ("量子纠缠", {})]
    got = offline_and_online(ff, tmp_path, site, queries)
    assert len(indexed_parts(site, tmp_path / "out")) > 1           # really indexed in several parts
    assert got["推诿拖延"]["ids"][:1] == ["p05"]                      # only in p05's body
    assert {"p07", "p08"} <= set(got["政務公開"]["ids"])             # 政务公开 (simplified) and 政務公開
    assert got["示政发〔2017〕24号"]["ids"][:1] == ["p12"] and "p13" in got["示政发〔2017〕24号"]["ids"]
    assert got[index_no]["ids"][:1] == ["f07"]
    want = expected(tmp_path / "unzipped" / "site", **FILTERS)       # the finance bureau's effective 2019 entries
    assert want and set(got[str(FILTERS)]["ids"]) == want, (got[str(FILTERS)]["ids"], want)
    assert got["量子纠缠"]["ids"] == [] and "没有找到" in got["量子纠缠"]["status"]

