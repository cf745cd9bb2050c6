"""SPEC 11: an attachment's text is searchable (real Pagefind, real Chromium): a query that matches
only an attachment finds its entry, and the result says which attachment and links it. The text
goes only into the copy Pagefind indexes: entry pages and the exports do not carry it."""
from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

import makers
from helpers import CHROMIUM, Server, run_build
from sitemaker import make_site, policy

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("att-search")
    site = make_site(root / "site", {
        "content/policies/p1.md": policy(1, title="关于做好春季农业生产的通知",
                                         attachments="\n  - file: files/jobs.pdf\n    title: 附表一"
                                                     "\n  - file: files/straw.docx\n    title: 实施细则"),
        "content/policies/p2.md": policy(2, title="关于加强安全生产的通知", body="各单位要落实安全生产责任。"),
        "content/policies/p3.md": policy(3, title="示例县财政预算公开", body="本年度一般公共预算收支情况。"),
    })
    files = site / "content" / "files"
    # Chromium prints 用工 with Kangxi radicals (⽤⼯): found only because the text is normalised
    makers.pdf(files / "jobs.pdf", ["农忙季节临时用工需求登记", "第二页：采摘期间的劳务报酬标准"])
    makers.docx(files / "straw.docx", ["秸秆综合利用补助办法", "促进农业生产"], [[["项目", "标准"], ["秸秆还田", "每亩三十元"]]])
    out = root / "output"
    r = run_build("build", "--site", str(site), "--output", str(out), "--as-of", "2024-01-01")
    assert r.returncode == 0, r.stderr
    server = Server(out)
    yield {"out": out, "url": server.url}
    server.close()


def _search(page, base: str, q: str) -> list[dict]:
    page.goto(base + "search.html?" + urllib.parse.urlencode({"q": q}))
    page.wait_for_selector("body[data-search-state=done]", timeout=20000)
    page.wait_for_timeout(300)          # (excerpts and attachment lines arrive with each result's fragment)
    return page.eval_on_selector_all("#search-results li", """lis => lis.map(li => ({
        href: li.querySelector('h2 a').getAttribute('href'),
        attachments: Array.from(li.querySelectorAll('.search-result-attachment')).map(p => ({
            text: p.textContent, href: p.querySelector('a').getAttribute('href')}))}))""")


@pytest.mark.parametrize("q, title, file", [
    ("用工", "附表一", "files/jobs.pdf"),                # PDF, in compatibility characters
    ("劳务报酬", "附表一", "files/jobs.pdf"),            # its second page
    ("秸秆", "实施细则", "files/straw.docx"),                        # a Word paragraph
    ("每亩三十元", "实施细则", "files/straw.docx"),                  # a Word table cell
])
def test_a_word_only_in_an_attachment_finds_the_entry_and_names_the_attachment(site, page, q, title, file):
    results = _search(page, site["url"], q)
    assert [r["href"] for r in results] == ["policies/p1.html"]
    atts = results[0]["attachments"]
    assert atts and atts[0]["href"] == file
    assert atts[0]["text"].startswith(f"在附件《{title}》中找到：")
    link = page.eval_on_selector(f".search-result-attachment a[href='{file}']", "a => a.href")   # (resolved)
    assert link == site["url"] + file and page.request.get(link).ok


def test_a_match_in_the_entry_itself_does_not_mention_attachments(site, page):
    results = _search(page, site["url"], "安全生产")
    assert [r["href"] for r in results] == ["policies/p2.html"]
    assert results[0]["attachments"] == []


def test_a_match_in_both_shows_the_entry_s_own_excerpt(site, page):
    results = _search(page, site["url"], "农业生产")      # in the title and in straw.docx: one result, its own excerpt
    assert [r["href"] for r in results] == ["policies/p1.html"] and results[0]["attachments"] == []


def test_attachment_text_is_a_record_of_its_own_not_in_the_entry_s_fragment(site):
    import gzip
    import json
    contents = {}
    for f in (site["out"] / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(f.read_bytes())
        d = json.loads(raw[raw.index(b"{"):].decode("utf-8"))
        contents[d["url"]] = (d["content"].replace("\u200b", ""), d["meta"])
    page_text, _meta = contents["/policies/p1.html"]
    assert "秸秆" not in page_text and "劳务报酬" not in page_text
    straw, meta = contents["/policies/p1.xxgk-att-2.html"]
    assert "秸秆综合利用补助办法" in straw and meta["attachment"] == "files/straw.docx"
    assert meta["attachment_title"] == "实施细则" and meta["type"] == "政策文件"


def test_the_text_is_only_in_the_index_not_in_what_every_reader_downloads(site):
    out = site["out"]
    page = (out / "policies" / "p1.html").read_text(encoding="utf-8")
    assert "秸秆" not in page and "劳务报酬" not in page and "附表一" in page
    for f in out.rglob("*"):                 # no published file but the index's own carries it
        if f.is_file() and "pagefind" not in f.relative_to(out).parts and f.suffix in (".html", ".js", ".json", ".csv"):
            assert "秸秆" not in f.read_text(encoding="utf-8", errors="replace"), f
