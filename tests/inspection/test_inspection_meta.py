"""Issue 26 (2), (8), (9): the meta tags, canonical link, favicon and footer marks of SPEC 12 from the
config, validated like the other keys; nothing loaded from another host; the 依申请公开 entry; 文号
kept whole; the search page and the elderly mode without JavaScript (their markup: the browser
tests drive them)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from helpers import REPO, run_build
from inspection_site import AS_OF, BASE, build_site, files
from sitemaker import CONFIG, make_site

MONITORING = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType")
ARTICLE = ("ArticleTitle", "PubDate", "ContentSource", "Keywords", "Description")


class Head(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.loads: list[str] = []      # what the page loads: src of any element, stylesheets, icons
        self.anchors: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta.setdefault(a["name"], []).append(a.get("content"))
        if tag == "link":
            self.links.append(a)
            if a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
                self.loads.append(a["href"])
        if a.get("src"):
            self.loads.append(a["src"])
        if tag == "a":
            self.anchors.append(a)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("meta26"))


def pages(out):
    return sorted(p for p in out.rglob("*.html"))


def test_every_page_carries_the_monitoring_meta_tags_canonical_and_favicon(out):
    for p in pages(out):
        rel = p.relative_to(out).as_posix()
        h = Head(p.read_text(encoding="utf-8"))
        for name in MONITORING:
            assert len(h.meta.get(name, [])) == 1 and h.meta[name][0], (rel, name)
        assert h.meta["SiteName"] == ["示例县人民政府信息公开"] and h.meta["SiteIDCode"] == ["3300000001"]
        assert h.meta["SiteDomain"] == ["xxgk.example.gov.cn"]
        icon = [link for link in h.links if link.get("rel") == "icon"]
        assert len(icon) == 1 and (p.parent / icon[0]["href"]).resolve() == (out / "favicon.ico").resolve(), rel
        canonical = [link["href"] for link in h.links if link.get("rel") == "canonical"]
        if rel == "404.html":
            assert not canonical and "Url" not in h.meta
        else:
            assert canonical == [BASE + rel] and h.meta["Url"] == [BASE + rel], rel
    assert (out / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"      # an ICO file


def test_entry_pages_carry_article_tags_and_a_description_from_the_summary(out):
    h = Head((out / "policies/old-rules.html").read_text(encoding="utf-8"))
    assert h.meta["ArticleTitle"] == ["收费管理办法（2015年）"]
    assert h.meta["PubDate"] == ["2015-01-01"]
    assert h.meta["ContentSource"] == ["示例县人民政府"]
    assert h.meta["ColumnName"] == ["政策文件"] and h.meta["ColumnType"] == ["政策文件"]
    assert h.meta["description"][0].startswith("第1部分") or h.meta["description"][0].startswith("本段说明")
    assert h.meta["Description"] == h.meta["description"] and len(h.meta["description"][0]) <= 200
    h = Head((out / "policies/formula.html").read_text(encoding="utf-8"))
    assert h.meta["Keywords"] == ["@SUM(A1),-1+2"]
    written = Head((out / "interpretations/old-rules-explained.html").read_text(encoding="utf-8"))
    assert written.meta["ColumnName"] == ["政策解读"]
    listing = Head((out / "catalogue/validity/repealed.html").read_text(encoding="utf-8"))
    assert listing.meta["ColumnType"] == ["主动公开目录"] and "ArticleTitle" not in listing.meta


def test_without_base_url_there_is_no_canonical_and_no_url_tag(tmp_path):
    site = make_site(tmp_path / "site", {k: v for k, v in files().items() if not k.endswith(".png")},
                     CONFIG + "  site_code: '3300000001'\n")
    out = tmp_path / "out"
    r = run_build("build", "--site", str(site), "--output", str(out), "--as-of", AS_OF, "--no-search")
    assert r.returncode == 0, r.stderr
    h = Head((out / "policies/old-rules.html").read_text(encoding="utf-8"))
    assert "Url" not in h.meta and "SiteDomain" not in h.meta
    assert not [link for link in h.links if link.get("rel") == "canonical"]
    assert h.meta["SiteIDCode"] == ["3300000001"] and h.meta["ArticleTitle"]
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "footer-marks" not in text and "党政机关网站标识" not in text     # the footer shows what it has


def test_footer_marks_and_registry_links(out):
    text = (out / "index.html").read_text(encoding="utf-8")
    h = Head(text)
    by_href = {a.get("href"): a for a in h.anchors}
    assert "https://beian.miit.gov.cn/" in by_href                          # ICP → its registry
    assert re.search(r'<a href="https://beian\.miit\.gov\.cn/"[^>]*>示ICP备12345678号</a>', text)
    police = re.search(r'<a class="police-record" href="https://beian\.mps\.gov\.cn/#/query/webSearch\?code=33000002000099"'
                       r'[^>]*><img src="([^"]+)" alt=""[^>]*>示公网安备33000002000099号</a>', text)
    assert police and (out / police.group(1)).is_file()                     # the icon is a file of the site
    logo = re.search(r'<img src="([^"]+)" alt="党政机关网站标识"', text)
    assert logo and logo.group(1) == "files/dzjg.png" and (out / "files/dzjg.png").is_file()
    assert re.search(r'<a class="jiucuo" href="https://zfwzgl\.www\.gov\.cn/exposure/jiucuo\.html\?site_code=3300000001"'
                     r'[^>]*>我为政府网站找错</a>', text)


def test_nothing_is_loaded_from_another_host(out):
    for p in pages(out):
        for url in Head(p.read_text(encoding="utf-8")).loads:
            assert not re.match(r"^(?:[a-z]+:)?//", url), (p.name, url)


@pytest.mark.parametrize("footer, message", [
    ("  dzjg_logo: files/missing.png\n", "site_config.yaml:{line}: footer.dzjg_logo: 找不到图片文件 content/files/missing.png"),
    ("  dzjg_logo: https://bszs.conac.cn/red.png\n", "site_config.yaml:{line}: footer.dzjg_logo: “https://bszs.conac.cn/red.png”应为站点内的图片文件"),
    ("  dzjg_logo: files/dzjg.txt\n", "site_config.yaml:{line}: footer.dzjg_logo: “files/dzjg.txt”不是图片文件"),
    ("  jiucuo_url: zfwzgl.www.gov.cn/jiucuo\n", "site_config.yaml:{line}: footer.jiucuo_url: “zfwzgl.www.gov.cn/jiucuo”不是以 http:// 或 https:// 开头的完整网址"),
    ("  jiucuo: https://x.example/\n", "site_config.yaml:{line}: footer.jiucuo: 未知设置项“jiucuo”，是否想写“jiucuo_url”？"),
])
def test_footer_keys_are_validated_with_file_line_and_fix(tmp_path, footer, message):
    config = CONFIG + footer
    line = config.count("\n")
    site = make_site(tmp_path / "site", {"content/files/dzjg.txt": "x"}, config)
    r = run_build("build", "--site", str(site), "--output", str(tmp_path / "out"), "--no-search")
    assert r.returncode == 2
    assert message.format(line=line) in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_readme_documents_the_footer_keys():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for key in ("footer.dzjg_logo", "footer.jiucuo_url"):
        assert key in readme


def test_navigation_leads_to_applying_and_doc_numbers_do_not_break(out, tmp_path):
    r = run_build("build", "--output", str(tmp_path / "sample"), "--no-search", "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    home = (tmp_path / "sample" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="site-nav".*?</nav>', home, re.S).group(0)
    assert '<a href="pages/guide.html#apply">依申请公开</a>' in nav
    guide = (tmp_path / "sample" / "pages/guide.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="apply">二、依申请公开</h2>', guide)
    listing = (out / "catalogue/type/policies.html").read_text(encoding="utf-8")
    assert '示政发<span class="nowrap">〔2015〕56号</span>' in listing
    assert "示政发〔2015〕56号" not in listing


def test_search_page_and_elderly_mode_markup_without_javascript(out):
    search = (out / "search.html").read_text(encoding="utf-8")
    head = search[:search.index("</head>")]
    assert re.search(r"<noscript><style>#search-form,#search-results,#search-more-wrap\{display:none!important\}</style></noscript>",
                     head)
    assert re.search(r'<noscript>\s*<p class="notice">本站的搜索需要浏览器启用 JavaScript.*?'
                     r'<a href="catalogue/index.html">主动公开目录</a>', search, re.S)
    for p in pages(out):
        text = p.read_text(encoding="utf-8")
        if "site-header" in text:
            assert '<noscript><a class="mode-link" href="#elder">适老模式</a></noscript>' in text, p.name
            assert '<span id="elder" class="elder-target" hidden></span>' in text
