"""Search (issue #3): real queries in real Chromium against a real Pagefind index.

Two sites:
- a generated site with known answers (a copy of tests/fixtures/basic's config plus ~30 entries
  written here), indexed in parts so every query also goes through mergeIndex, and the same site
  indexed as one part to check that both return the same results;
- the repository's sample catalogue (the five seeds), with the queries a citizen would type.

Expected answers of the generated site are computed from the text of the built entry pages
(what a reader can see), not from the search code.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
sys.path.insert(0, str(REPO))

from helpers import indexed_parts, published_index  # noqa: E402

AS_OF = "2024-06-01"
PART_PAGES = 8          # the generated site (33 entries) is indexed in 6 parts (an even number)

FILLER = ("本规定由县人民政府办公室负责解释，自印发之日起施行。各乡镇、各部门要高度重视，明确责任分工，"
          "加强督促检查，确保各项措施落到实处。")
FILLER_TOPICS = ["安全生产", "防汛抗旱", "森林防火", "农田水利", "道路交通", "文明城市", "垃圾分类", "植树造林",
                 "冬季供暖", "粮食收购", "义务教育", "医疗救助", "养老服务", "殡葬管理", "农村公路", "城市绿化"]

# id, folder, front matter, body.  Words the tests look for: 预算 审计 行政复议 三公经费 政务公开
# 村务公开 营商环境 信息公开 and the 文号 示政发〔2017〕24号.
SPECIAL = [
    ("p01", "policies", dict(title="示例县行政复议工作规定", agency="xzf", topic="综合政务", published="2019-04-01",
                             doc_no="示政发〔2019〕5号"),
     "为规范行政复议工作，制定本规定。" + FILLER),
    ("p02", "policies", dict(title="关于公开部门三公经费的通知", agency="czj", topic="财政、金融、审计/财政",
                             published="2019-05-10", keywords="[三公经费, 部门预算]"),
     "各部门应当在规定时间内公开本部门三公经费预算执行情况。" + FILLER),
    ("p03", "policies", dict(title="示例县预算管理办法", agency="czj", topic="财政、金融、审计/财政", published="2019-02-01",
                             doc_no="示财发〔2019〕2号"),
     "本办法适用于全县各级预算单位。" + FILLER),
    ("p10", "policies", dict(title="示例县预算管理办法（修订）", agency="czj", topic="财政、金融、审计/财政",
                             published="2021-01-05", valid_from="2021-02-01", repeals="p03"),
     "本办法修订了预算编制和执行的要求。" + FILLER),
    ("p04", "policies", dict(title="关于做好整改工作的通知", agency="czj", topic="财政、金融、审计/审计", published="2020-03-01"),
     "对审计发现的问题，各单位要逐项整改。" + FILLER),
    ("p05", "policies", dict(title="关于进一步规范行政执法工作的意见", agency="xzf", topic="综合政务", published="2018-06-01"),
     FILLER + "为进一步规范全县各级行政机关办理行政复议案件的程序和时限要求，切实保障申请人的合法权益，"
     "防止推诿拖延，现就有关事项提出如下意见。" + FILLER),
    ("p06", "policies", dict(title="关于加强公文处理工作的通知", agency="xzf", topic="综合政务/文秘工作", published="2023-02-01"),
     "各行政机关应当规范公文格式。" + FILLER + "对有异议的事项，经集体复议后再行上报。"),
    ("p07", "policies", dict(title="示例县2020年政务公开工作要点", agency="xzf", topic="综合政务/政务公开", published="2020-04-01"),
     "全面推进政务公开标准化规范化。" + FILLER),
    ("p08", "policies", dict(title="關於全面推進政務公開工作的實施意見", agency="xzf", topic="综合政务/政务公开",
                             published="2017-03-01", lang="zh-Hant"),
     "為扎實推進全縣政務公開工作，現提出如下實施意見。各鄉鎮、各部門要高度重視，確保各項措施落到實處。"),
    ("p09", "policies", dict(title="關於做好村務公開工作的通知", agency="xzf", topic="综合政务", published="2018-09-01",
                             lang="zh-Hant"),
     "各鄉鎮要指導村民委員會按季度做好村務公開，接受村民監督。"),
    ("p11", "policies", dict(title="关于优化发展环境的若干措施", agency="xzf", topic="综合政务", published="2021-06-01"),
     FILLER + "持续优化营商环境，降低企业办事成本。"),
    ("p12", "policies", dict(title="示例县人民政府关于印发工作规则的通知", agency="xzf", topic="综合政务",
                             published="2017-06-05", doc_no="示政发〔2017〕24号"),
     "现将《示例县人民政府工作规则》印发给你们，请认真遵照执行。" + FILLER),
    ("p13", "policies", dict(title="关于贯彻落实工作规则的通知", agency="xzf", topic="综合政务", published="2017-08-01"),
     "根据《示例县人民政府关于印发工作规则的通知》（示政发〔2017〕24号），现就贯彻落实有关事项通知如下。" + FILLER),
    ("p15", "policies", dict(title="关于清理2019年度结转资金的通知", agency="czj", topic="财政、金融、审计/财政",
                             published="2019-01-15", valid_until="2019-12-31"),
     "各单位要在年底前清理结转资金。" + FILLER),
    ("i01", "interpretations", dict(title="《示例县预算管理办法》解读", agency="czj", published="2019-02-02",
                                    interprets="p03", form="qa"),
     "问：为什么要制定本办法？答：为了规范预算管理。"),
    ("i02", "interpretations", dict(title="图解：2020年工作要点", agency="xzf", published="2020-04-02",
                                    interprets="p07", form="graphic"),
     "一图读懂本年度工作要点。"),
    ("r01", "reports", dict(title="示例县2019年政府信息公开工作年度报告", agency="xzf", published="2020-01-20",
                            year=2019, format="free"),
     "本报告由县人民政府办公室编制，反映2019年政府信息公开工作情况。"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    """A folder served on 127.0.0.1 (port 0) from a thread of the test process (module-scoped here)."""

    def __init__(self, directory: Path):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def generated_entries() -> list[tuple[str, str, dict, str]]:
    entries = list(SPECIAL)
    for n, topic in enumerate(FILLER_TOPICS, 1):
        year = 2016 + n % 8
        fields = dict(title=f"关于做好{topic}工作的通知", agency="czj" if n % 3 == 0 else "xzf",
                      topic="综合政务/应急管理" if n % 2 else "综合政务", published=f"{year}-{(n % 12) + 1:02d}-10")
        if n % 5 == 0:
            fields["valid_until"] = "2020-12-31"
        entries.append((f"f{n:02d}", "policies", fields, f"做好{topic}工作。" + FILLER))
    serial: dict[tuple[str, str], int] = {}
    out = []
    for eid, folder, fields, body in entries:
        code = "11330000MB7654321Y" if fields["agency"] == "czj" else "11330000MB1234567X"
        y = fields["published"][:4]
        serial[(code, y)] = serial.get((code, y), 0) + 1
        fields = {"index_no": f"{code}/{y}-{serial[(code, y)]:05d}", **fields}
        out.append((eid, folder, fields, body))
    return out


def make_generated_site(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copy(FIXTURES / "basic" / "site_config.yaml", root / "site_config.yaml")
    for eid, folder, fields, body in generated_entries():
        p = root / "content" / folder / f"{eid}.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        front = "\n".join(f"{k}: {v}" for k, v in fields.items())
        p.write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")
    return root


def build(site: Path, out: Path, part_pages: int | None = None, as_of: str = AS_OF) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if part_pages:
        env["XXGK_SEARCH_PART_PAGES"] = str(part_pages)
    return subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site), "--output", str(out),
                           "--as-of", as_of], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    """The generated site, built in parts and as one index; served over http."""
    root = tmp_path_factory.mktemp("gen")
    site = make_generated_site(root / "site")
    r = build(site, root / "parts", PART_PAGES)
    assert r.returncode == 0, r.stderr
    r = build(site, root / "single")
    assert r.returncode == 0, r.stderr
    parts, single = Server(root / "parts"), Server(root / "single")
    yield {"site": site, "out": root / "parts", "single_out": root / "single", "url": parts.url, "single_url": single.url}
    parts.close()
    single.close()


@pytest.fixture(scope="module")
def spage(browser):
    """One browser page for the module; every request off 127.0.0.1 / file:// is aborted and recorded."""
    context = browser.new_context()
    outside: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "file://", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.outside, page.errors = outside, errors
    yield page
    context.close()
    assert not outside, f"requests to other hosts: {outside}"


def search(page, base: str, q: str = "", fresh: bool = False, **params) -> dict:
    """Search as a reader does: type into the box, choose the filters, submit (the first time, and with
    fresh=True, by opening search.html?q=…&filters instead); load every result. Returns urls, ids, texts."""
    here = page.url.split("?")[0] == base + "search.html"
    if fresh or not here:
        query = {"q": q, **params} if q else params
        page.goto(base + "search.html" + ("?" + urllib.parse.urlencode(query) if query else ""))
        page.wait_for_selector("body[data-search-runs]", timeout=20000)
    else:
        before = page.get_attribute("body", "data-search-runs")
        page.evaluate("""([q, params]) => {
            document.getElementById('search-q').value = q;
            for (const k of ['type', 'agency', 'topic', 'year', 'validity', 'sort'])
                document.getElementById('search-' + k).value = params[k] || (k === 'sort' ? 'relevance' : '');
            document.getElementById('search-form').requestSubmit();
        }""", [q, params])
        page.wait_for_function("b => document.body.getAttribute('data-search-runs') !== b", arg=before, timeout=20000)
    for _ in range(40):
        page.wait_for_function("!document.body.hasAttribute('data-search-more')")
        if page.locator("#search-more-wrap").is_hidden():
            break
        page.click("#search-more")
    urls = page.eval_on_selector_all("#search-results li h2 a", "as => as.map(a => a.getAttribute('href'))")
    return {"urls": urls, "ids": [Path(u).stem for u in urls], "status": page.inner_text("#search-status"),
            "mode": page.inner_text("#search-mode") if page.locator("#search-mode").is_visible() else ""}


def fold(text: str) -> str:
    from xxgk.write.search_data import to_simplified
    return to_simplified(text)


def page_texts(out: Path) -> dict[str, str]:
    """entry id → the visible text of its article (what a reader sees on the page), T/S folded."""
    cat = json.loads((out / "catalogue.json").read_text(encoding="utf-8"))
    texts = {}
    for e in cat["entries"]:
        html = (out / e["url"]).read_text(encoding="utf-8")
        art = re.search(r"<article\b.*?</article>", html, re.S).group(0)
        art = re.sub(r"<table class=\"meta\".*?</table>", " ", art, flags=re.S)   # metadata block: not full text
        texts[e["id"]] = fold(re.sub(r"<[^>]+>", "", art))
    return texts


def records(out: Path) -> dict[str, dict]:
    cat = json.loads((out / "catalogue.json").read_text(encoding="utf-8"))
    return {e["id"]: e for e in cat["entries"]}


# -- the generated site: words -------------------------------------------------------------------
@pytest.mark.parametrize("word", ["预算", "审计", "行政复议", "三公经费", "政务公开", "营商环境", "信息公开"])
def test_every_entry_containing_the_word_comes_first(gen, spage, word):
    """Two- and four-character words: every entry whose text contains the word is found, before looser matches."""
    want = {eid for eid, text in page_texts(gen["out"]).items() if word in text}
    assert want, f"test data: nothing contains {word}"
    got = search(spage, gen["url"], word, sort="relevance")["ids"]
    assert set(got[:len(want)]) == want, f"{word}: want {sorted(want)} first, got {got}"


def test_word_inside_a_long_sentence_and_a_looser_match_after_it(gen, spage):
    got = search(spage, gen["url"], "行政复议")["ids"]
    assert set(got[:2]) == {"p01", "p05"}, got          # p05 has it in the middle of a long sentence
    assert "p06" not in got[:2]                           # 行政 … 复议 far apart: at most after the phrase


def test_query_with_nothing_matching_says_so_helpfully(gen, spage):
    r = search(spage, gen["url"], "量子纠缠")
    assert r["ids"] == []
    assert "没有找到" in r["status"] and "量子纠缠" in r["status"]
    assert spage.locator("#search-status a[href='catalogue/index.html']").count() == 1


def test_nonsense_pieces_are_not_dropped_silently(gen, spage):
    """Pagefind drops query pieces that match nothing; 不存在的词语 must not list pages with 不 and 的."""
    assert search(spage, gen["url"], "不存在的词语")["ids"] == []


# -- 文号 and 索引号 -----------------------------------------------------------------------------
@pytest.mark.parametrize("q,first", [
    ("〔2017〕24号", "p12"), ("示政发〔2017〕24号", "p12"), ("示政发[2017]24号", "p12"), ("示政发〔2019〕5号", "p01"),
    ("示财发〔2019〕2号", "p03"),
])
def test_doc_no_finds_the_entry_that_carries_it(gen, spage, q, first):
    got = search(spage, gen["url"], q)["ids"]
    assert got and got[0] == first, got
    if first == "p12":
        assert "p13" in got        # the entry that cites it in its text is found too, after
        status = spage.inner_text("#search-status")    # … and the count says which one carries it
        assert f"找到 {len(got)} 条结果" in status and "其中 1 条的文号或索引号与之相符，排在最前" in status, status


def test_full_index_no_finds_its_entry(gen, spage):
    recs = records(gen["out"])
    for eid in ("p04", "i02", "f07"):
        got = search(spage, gen["url"], recs[eid]["index_no"])["ids"]
        assert got[:1] == [eid], (eid, got)


# -- traditional ⇄ simplified -------------------------------------------------------------------
@pytest.mark.parametrize("q,want", [
    ("政務公開", {"p07", "p08", "i02"}),      # traditional query finds simplified entries (and the zh-Hant one)
    ("政务公开", {"p07", "p08", "i02"}),      # simplified query finds the zh-Hant entry
    ("村务公开", {"p09"}),                    # simplified → traditional
    ("村務公開", {"p09"}),
    ("營商環境", {"p11"}),
])
def test_traditional_and_simplified_find_each_other(gen, spage, q, want):
    got = search(spage, gen["url"], q, sort="relevance")["ids"]
    assert set(got[:len(want)]) == want, got


# -- filters and sort --------------------------------------------------------------------------
def expected(out: Path, **conds) -> set[str]:
    """The entries of the generated site that a filter must return, from the catalogue and the sources."""
    status = {"有效": "effective", "已废止": "repealed", "已失效": "expired", "已修改": "amended"}
    types = {"政策文件": "policies", "政策解读": "interpretations", "年度报告": "reports"}
    source = {eid: fields for eid, _folder, fields, _body in generated_entries()}
    found = set()
    for eid, e in records(out).items():
        years = {e["published"][:4]} | ({str(source[eid]["year"])} if "year" in source[eid] else set())
        topic = e["topic"] or ""
        checks = {"agency": lambda v: v in e["agency"], "year": lambda v: v in years,
                  "validity": lambda v: e["validity"] == status[v], "type": lambda v: e["type"] == types[v],
                  "topic": lambda v: topic == v or topic.startswith(v + "/")}
        if all(checks[k](v) for k, v in conds.items()):
            found.add(eid)
    return found


@pytest.mark.parametrize("filters", [
    {"type": "政策解读"}, {"type": "年度报告"}, {"agency": "示例县财政局"}, {"topic": "综合政务/政务公开"},
    {"topic": "财政、金融、审计"}, {"year": "2019"}, {"validity": "已废止"}, {"validity": "已失效"},
    {"validity": "有效", "agency": "示例县财政局", "year": "2019"},   # effective policies of 财政局 in 2019, no query
])
def test_each_filter_without_a_query(gen, spage, filters):
    r = search(spage, gen["url"], **filters)
    want = expected(gen["out"], **filters)
    assert want and set(r["ids"]) == want, (filters, sorted(want), r["ids"])
    assert len(r["ids"]) == len(set(r["ids"]))
    assert f"找到 {len(want)} 条结果" in r["status"]


def test_filter_with_a_query(gen, spage):
    got = search(spage, gen["url"], "预算", type="政策解读")["ids"]
    assert got == ["i01"]
    got = search(spage, gen["url"], "预算", validity="已废止")["ids"]
    assert got == ["i01", "p03"]      # i01 interprets p03: it is repealed with it (issue 26)


def test_filter_for_effective_2019_policies_of_the_finance_bureau(gen, spage):
    got = search(spage, gen["url"], validity="有效", agency="示例县财政局", year="2019", type="政策文件")["ids"]
    assert set(got) == {"p02"} | {eid for eid in expected(gen["out"], validity="有效", agency="示例县财政局",
                                                         year="2019", type="政策文件")}
    assert "p03" not in got and "p15" not in got     # repealed, expired


def test_sort_newest_first_by_default_and_oldest_first_on_request(gen, spage):
    recs = records(gen["out"])
    got = search(spage, gen["url"], type="政策文件")["ids"]
    dates = [recs[i]["published"] for i in got]
    assert len(got) > 20 and dates == sorted(dates, reverse=True)
    got = search(spage, gen["url"], type="政策文件", sort="date-asc")["ids"]
    dates = [recs[i]["published"] for i in got]
    assert dates == sorted(dates)
    got = search(spage, gen["url"], "预算", sort="date-desc")["ids"]      # a query, newest first on request
    dates = [recs[i]["published"] for i in got]
    assert len(got) > 2 and dates == sorted(dates, reverse=True), got
    got = search(spage, gen["url"], "预算", sort="date-asc")["ids"]
    assert [recs[i]["published"] for i in got] == sorted(dates), got
    got = search(spage, gen["url"], "预算")["ids"]           # by default: relevance, the titles that hold it first
    assert set(got[:3]) == {"p03", "p10", "i01"}, got


def test_results_show_the_metadata(gen, spage):
    search(spage, gen["url"], "示政发〔2017〕24号")
    first = spage.locator("#search-results li").first
    text = first.inner_text()
    for want in ("示例县人民政府关于印发工作规则的通知", "示政发〔2017〕24号", "11330000MB1234567X/2017-", "示例县人民政府",
                 "2017-06-05", "有效"):
        assert want in text, (want, text)
    assert first.locator("a").get_attribute("href") == "policies/p12.html"


def test_parts_return_the_same_results_as_one_index(gen, spage):
    n = len(records(gen["out"]))
    parts = -(-n // PART_PAGES)
    assert len(indexed_parts(gen["site"], gen["out"])) == parts + parts % 2 > 1       # indexed in parts,
    assert json.loads((gen["out"] / "pagefind" / "xxgk-search.json").read_text())["bundles"] == ["pagefind/"]  # one
    assert (gen["single_out"] / "pagefind" / "pagefind.js").is_file()
    queries = (("预算", {}), ("行政复议", {}), ("政務公開", {}), ("", {"agency": "示例县财政局"}), ("公开", {}),
               ("村务公开", {}), ("不存在的词语", {}))
    a = [search(spage, gen["url"], q, sort="relevance", **params)["ids"] for q, params in queries]
    b = [search(spage, gen["single_url"], q, sort="relevance", **params)["ids"] for q, params in queries]
    for (q, _), x, y in zip(queries, a, b):
        assert set(x) == set(y), (q, x, y)
    assert all(a[:-1]) and not a[-1]


# -- the page itself --------------------------------------------------------------------------
def test_search_page_is_accessible_by_keyboard(gen, spage):
    spage.goto(gen["url"] + "search.html")
    spage.wait_for_selector("body[data-search-runs]")
    assert spage.locator("label[for=search-q]").count() == 1
    assert spage.locator("#search-status[role=status][aria-live=polite]").count() == 1
    runs = spage.get_attribute("body", "data-search-runs")
    spage.focus("#search-q")
    spage.keyboard.type("预算")
    spage.keyboard.press("Enter")
    spage.wait_for_function("b => document.body.getAttribute('data-search-runs') !== b", arg=runs)
    assert "找到" in spage.inner_text("#search-status")
    assert "q=%E9%A2%84%E7%AE%97" in spage.url           # the query is kept in the address
    seen = []
    for _ in range(40):
        spage.keyboard.press("Tab")
        seen.append(spage.evaluate("document.activeElement.id || document.activeElement.getAttribute('href') || ''"))
        if seen[-1].endswith(".html") and "/" in seen[-1] and seen[-1] != "catalogue/index.html":
            break
    for control in ("search-type", "search-agency", "search-topic", "search-year", "search-validity", "search-sort"):
        assert control in seen, (control, seen)
    assert seen[-1].startswith(("policies/", "interpretations/", "reports/")), seen
    # change a filter with the keyboard: results follow
    runs = spage.get_attribute("body", "data-search-runs")
    spage.focus("#search-type")
    spage.select_option("#search-type", "政策解读")
    spage.wait_for_function("b => document.body.getAttribute('data-search-runs') !== b", arg=runs)
    spage.wait_for_function("document.querySelectorAll('#search-results li').length === 1")
    assert spage.eval_on_selector_all("#search-results li h2 a", "as => as.map(a => a.getAttribute('href'))") == \
        ["interpretations/i01.html"]
    assert not spage.errors, spage.errors


def test_arrowing_through_a_filter_searches_once(gen, spage):
    """A closed select changes at each arrow key: one search when the choice settles, so a screen
    reader hears one result count, not one for every option passed on the way."""
    spage.goto(gen["url"] + "search.html?q=" + "预算")
    spage.wait_for_selector("body[data-search-state=done]")
    runs = int(spage.get_attribute("body", "data-search-runs"))
    spage.focus("#search-agency")
    for _ in range(3):
        spage.keyboard.press("ArrowDown")
        spage.wait_for_timeout(60)
    spage.wait_for_function("b => document.body.getAttribute('data-search-runs') !== b", arg=str(runs))
    spage.wait_for_timeout(800)
    assert int(spage.get_attribute("body", "data-search-runs")) == runs + 1
    assert spage.evaluate("document.body.dataset.searchState") == "done"
    assert "agency=" in spage.url and spage.eval_on_selector("#search-agency", "s => s.selectedIndex") >= 2


def test_no_javascript_points_to_the_catalogue(gen, browser):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(gen["url"] + "search.html?q=预算")
    assert page.locator("main noscript").count() == 1     # (the others: the form's style, the elderly-mode link)
    assert "catalogue/index.html" in page.content()
    ctx.close()


# -- from disk ----------------------------------------------------------------------------------
def unpacked(site: Path, tmp: Path) -> str:
    """The site as a reader on disk has it: `pack`'s zip, unzipped; the search page's file:// URL base."""
    import zipfile
    out = tmp / "out"
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "pack", "--site", str(site), "--output", str(out),
                        "--as-of", AS_OF], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(tmp / "out.zip") as z:
        z.extractall(tmp / "unzipped")
    return (tmp / "unzipped" / "site").as_uri() + "/"


def test_from_disk_the_same_full_text_search(gen, spage, tmp_path):
    """The pack zip, unzipped and opened from disk: the same index answers the same queries —
    words only in a body, traditional and simplified folded, 文号 and 索引号, filters."""
    base = unpacked(gen["site"], tmp_path)
    queries = [("行政复议", {}), ("示政发〔2017〕24号", {}), ("村务公开", {}), ("政務公開", {}), ("推诿拖延", {}),
               ("", {"agency": "示例县财政局", "validity": "有效", "year": "2019"}), ("量子纠缠", {})]
    recs = records(gen["out"])
    queries.append((recs["f07"]["index_no"], {}))
    for q, params in queries:
        got = search(spage, base, q, fresh=True, **params)
        want = search(spage, gen["single_url"], q, fresh=True, **params)
        assert got["ids"] == want["ids"], (q, got, want)
        assert not got["mode"], got["mode"]
    assert "p05" in search(spage, base, "推诿拖延", fresh=True)["ids"]          # only in p05's body
    assert search(spage, base, "示政发〔2017〕24号", fresh=True)["ids"][:1] == ["p12"]
    assert not spage.errors, spage.errors


def test_from_disk_with_index_files_missing_says_so_instead_of_nothing_found(gen, spage, tmp_path):
    """A pack whose offline-search/ lost some of the index (a copy cut short): Pagefind itself only logs
    the missing files and finds less, so the page says the search could not be done rather than
    "nothing found" (search.js counts the index files that did not load)."""
    base = unpacked(gen["site"], tmp_path)
    assert "p05" in search(spage, base, "推诿拖延", fresh=True)["ids"]
    chunks = list((tmp_path / "unzipped" / "offline-search").rglob("index/*.js"))
    assert chunks
    for f in chunks:
        f.unlink()
    r = search(spage, base, "推诿拖延", fresh=True)
    assert r["ids"] == [] and "没有找到" not in r["status"], r
    assert "现在无法搜索" in r["status"] and "offline-search" in r["mode"], r
    assert spage.get_attribute("body", "data-search-state") == "failed"


def test_from_disk_without_the_pack_files_says_how_to_search(gen, spage):
    r = search(spage, gen["out"].as_uri() + "/", "行政复议", fresh=True)
    assert r["ids"] == [] and "offline-search" in r["mode"] and "pack" in r["mode"]
    assert spage.locator("#search-status a[href='catalogue/index.html']").count() == 1


# -- the build ----------------------------------------------------------------------------------
def test_index_kept_when_pages_unchanged_and_rebuilt_when_they_change(tmp_path):
    site = make_generated_site(tmp_path / "site")
    out = tmp_path / "out"
    assert build(site, out).returncode == 0
    assert not (out / ".cache").exists() and (site / ".cache" / "search").is_dir()
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}
    assert build(site, out).returncode == 0
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}
    assert after == before                    # the same files (hard links), not a new run
    p = site / "content" / "policies" / "p04.md"
    p.write_text(p.read_text(encoding="utf-8").replace("逐项整改", "逐项整改并公开整改结果"), encoding="utf-8")
    assert build(site, out).returncode == 0
    again = {p.relative_to(out).as_posix(): p.stat().st_ino for p in (out / "pagefind").rglob("*") if p.is_file()}
    assert set(again) != set(before)          # re-indexed: the edited page's fragment has a new name
    # …while index files whose bytes did not change stay the same published file (mirrors skip them)
    assert again["pagefind/pagefind.js"] == before["pagefind/pagefind.js"]
    # a removed pagefind folder is rebuilt although the pages did not change
    shutil.rmtree(out / "pagefind")
    (out / "SHA256SUMS").write_text("", encoding="utf-8")
    assert build(site, out).returncode == 0
    assert (out / "pagefind" / "pagefind.js").is_file()


def _resumed_build(site: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "XXGK_SEARCH_PART_PAGES": str(PART_PAGES)}
    return subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site), "--output", str(out),
                           "--as-of", AS_OF], capture_output=True, text=True, env=env, timeout=300)


def _replace(site: Path, rel: str, old: str, new: str) -> None:
    p = site / "content" / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bodies_edited_since_the_full_build_are_searched_as_they_now_read(tmp_path, spage):
    """A command-line build after bodies were edited is resumed: Pagefind indexes just the edited pages
    into an overlay (pagefind/part-edits/) and the page map forgets their old ids. The search page then
    answers as on a clean build of the same content: the new words find the pages, the words taken out
    no longer do, and no page is listed twice."""
    site = make_generated_site(tmp_path / "site")
    out, clean = tmp_path / "out", tmp_path / "clean"
    assert build(site, out, PART_PAGES).returncode == 0
    parts = published_index(out)
    assert len(indexed_parts(site, out)) > 1
    _replace(site, "policies/p11.md", "持续优化营商环境", "持续优化办事环境，推行白鹭计划")      # 营商环境 gone
    r = _resumed_build(site, out)
    assert r.returncode == 0 and "只重新生成了正文改过的页面" in r.stdout, r.stderr[-2000:]
    _replace(site, "policies/p04.md", "逐项整改", "逐项整改，白鹭计划同步推进")
    r = _resumed_build(site, out)
    assert r.returncode == 0 and "只重新生成了正文改过的页面" in r.stdout, r.stderr[-2000:]
    assert (out / "pagefind" / "part-edits" / "pagefind.js").is_file()
    assert published_index(out) == parts                  # the index was not made again (nor its parts)
    assert build(site, clean, PART_PAGES).returncode == 0
    got = _same_results_as_a_clean_build(spage, out, clean, ["白鹭计划", "营商环境", "營商環境", "持续优化", "整改",
                                                             "逐项整改", "预算", "不存在的词语"])
    assert set(got["白鹭计划"]) == {"p04", "p11"}
    assert "p11" not in got["营商环境"] and "p11" not in got["營商環境"] and "p11" in got["持续优化"]
    assert not got["不存在的词语"]
    assert not spage.errors, spage.errors


def _same_results_as_a_clean_build(spage, out: Path, clean: Path, queries: list[str]) -> dict[str, list[str]]:
    """The ids each query finds on `out` (an index with an overlay), after checking that they are the
    pages a clean build of the same content (`clean`) finds, none twice, and that `out` verifies."""
    served, reference = Server(out), Server(clean)
    try:
        got = {q: search(spage, served.url, q, sort="relevance")["ids"] for q in queries}
        want = {q: search(spage, reference.url, q, sort="relevance")["ids"] for q in queries}
    finally:
        served.close()
        reference.close()
    for q in queries:
        assert len(got[q]) == len(set(got[q])), (q, got[q])               # no page twice
        assert set(got[q]) == set(want[q]), (q, got[q], want[q])
    verify = subprocess.run([sys.executable, str(REPO / "build.py"), "verify", str(out)], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    return got


def test_serve_keeps_the_search_index_current_whatever_the_site_size(tmp_path, spage, monkeypatch):
    """serve's quick rebuild after a save puts the edited page into the index's overlay, as a resumed
    command-line build does: no part is indexed again, and the search page finds the page as it now
    reads, as on a clean build (a site in several parts, like a large one)."""
    from xxgk.commands import serve
    monkeypatch.setenv("XXGK_SEARCH_PART_PAGES", str(PART_PAGES))
    site = make_generated_site(tmp_path / "site")
    out, clean = site / "output", tmp_path / "clean"
    rebuilder = serve.Rebuilder(site, serve.State(out))
    try:
        rebuilder.build(first=True)
        parts = published_index(out)
        assert len(indexed_parts(site, out)) > 1
        _replace(site, "policies/p11.md", "持续优化营商环境", "持续优化办事环境，推行白鹭计划")
        rebuilder.build()
        assert rebuilder.result.quick and rebuilder.search
        _replace(site, "policies/p04.md", "逐项整改", "逐项整改，白鹭计划同步推进")
        rebuilder.build()
        assert rebuilder.result.quick
    finally:
        rebuilder.warm.close()
    assert (out / "pagefind" / "part-edits" / "pagefind.js").is_file()
    assert published_index(out) == parts                  # the index was not made again (nor its parts)
    assert build(site, clean, PART_PAGES).returncode == 0
    got = _same_results_as_a_clean_build(spage, out, clean, ["白鹭计划", "营商环境", "營商環境", "整改", "预算"])
    assert set(got["白鹭计划"]) == {"p04", "p11"} and "p11" not in got["营商环境"]


def test_published_pages_do_not_carry_the_pairs_and_no_whole_catalogue_file_is_published(gen):
    out = gen["single_out"]
    html = (out / "policies" / "p05.html").read_text(encoding="utf-8")
    assert "pairs:" not in html and 'data-pagefind-body' in html
    assert 'data-pagefind-filter="agency:示例县人民政府"' in html
    assert not (out / "search-data.js").exists() and not (out / "pagefind" / "xxgk-pages.json").exists()
    info = json.loads((out / "pagefind" / "xxgk-search.json").read_text(encoding="utf-8"))
    assert info["bundles"] == ["pagefind/"]
    parts = json.loads((gen["out"] / "pagefind" / "xxgk-search.json").read_text(encoding="utf-8"))
    assert parts["bundles"] == ["pagefind/"] and len(indexed_parts(gen["site"], gen["out"])) > 1   # parts, merged
    search_html = (out / "search.html").read_text(encoding="utf-8")
    fold = re.search(r'data-fold="(assets/fold\.[0-9a-f]+\.)" data-fold-parts="(\d+)"', search_html)
    pairs, count = {}, int(fold.group(2))
    for n in range(count):                 # the folding table's parts: a pair in its two characters' parts
        text = (out / f"{fold.group(1)}{n}.js").read_text(encoding="utf-8")
        t2s = json.loads(text.split(f"window.XXGK_FOLD_PART({n}, ", 1)[1].rsplit(");", 1)[0])
        for t, simplified in zip(t2s[::2], t2s[1::2]):
            assert n in (ord(t) % count, ord(simplified) % count), (n, t, simplified)
            pairs.setdefault(t, set()).add((simplified, n))
    assert all({n for _s, n in got} == {ord(t) % count, ord(next(iter(got))[0]) % count} for t, got in pairs.items())
    assert pairs["務"] == {("务", ord("務") % count), ("务", ord("务") % count)} and len(pairs) > 2000
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", search_html), "no inline script"
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh-cn"]          # one index for zh-Hans and zh-Hant entries
    assert entry["languages"]["zh-cn"]["page_count"] == len(records(out)) + len(list((out / "pages").glob("*.html")))


def test_only_the_pagefind_files_the_search_page_loads_are_published(gen):
    """Pagefind's own UI bundles (~420 KB a part) are not used by search.js, so they are not published;
    the searches above run against these very folders."""
    bundles = [gen["single_out"] / "pagefind", gen["out"] / "pagefind"]     # one part; parts merged
    for b in bundles:
        names = {p.name for p in b.iterdir() if p.is_file()}
        assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.unknown.pagefind"} <= names, b
        assert not {n for n in names if "-ui." in n or n == "pagefind-highlight.js"}, (b, sorted(names))
    sums = (gen["out"] / "SHA256SUMS").read_text(encoding="utf-8")
    assert "pagefind-ui.js" not in sums and "pagefind/pagefind.js" in sums


def test_non_extended_pagefind_fails_the_build_loudly(tmp_path):
    from xxgk.write import search_bundles as search_mod
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Indexing Chinese in non-extended mode'\nexit 0\n")
    fake.chmod(0o755)
    (tmp_path / "site").mkdir()
    with pytest.raises(search_mod.SearchIndexError, match="non-extended"):
        search_mod._run_pagefind(fake, tmp_path / "site", tmp_path / "bundle")


# -- the sample catalogue -------------------------------------------------------------------
# Queries a citizen would type about the five seed documents (/work/shared/seeds), and the entry
# each must return in its top three.
RUIJIN = "ruijin-2015-disclosure-work-plan"                     # 瑞金市2015年政府信息公开工作要点
PANJIN = "panjin-2017-gov-affairs-disclosure-arrangement"       # 盘锦市2017年政务公开工作安排
KAIYUAN = "kaiyuan-2016-annual-report"                          # 开远市2016年政府信息公开年度报告
HANTAI = "hantai-2017-gov-affairs-disclosure-plan"              # 漢臺區全面推進政務公開工作實施方案 (zh-Hant)
TASKS = "gov-affairs-disclosure-key-tasks-2018"                 # 2018年政务公开重点工作任务分解表

SAMPLE_QUERIES = [
    # query                      must be in the top three
    ("政府信息公开工作要点",        RUIJIN),
    ("瑞金",                       RUIJIN),
    ("三公经费",                   RUIJIN),     # written “三公”经费 in the text
    ("行政权力清单",               RUIJIN),
    ("招商引资",                   RUIJIN),
    ("财政预算决算",               RUIJIN),
    ("盘锦",                       PANJIN),
    ("政务公开工作安排",           PANJIN),
    ("国办发〔2017〕24号",          PANJIN),     # cited in its text
    ("〔2017〕24号",                PANJIN),
    ("谁起草、谁解读",             PANJIN),
    ("减税降费",                   PANJIN),
    ("开远",                       KAIYUAN),
    ("政府信息公开年度报告",        KAIYUAN),
    ("行政复议",                   KAIYUAN),
    ("20240925-203618-472",       KAIYUAN),    # its 索引号, as the public sees it
    ("汉台区",                     HANTAI),     # simplified query, traditional entry
    ("漢臺區",                     HANTAI),
    ("政务公开实施方案",           HANTAI),
    ("重大决策预公开",             HANTAI),     # 重大決策預公開 in the text
    ("11610702MB17000258/2017-00001", HANTAI),
    ("重点工作任务",               TASKS),
    ("双随机、一公开",             TASKS),
    ("公共资源交易",               TASKS),
    ("国办发〔2018〕22号",          TASKS),
    ("去标识化",                   TASKS),
]


@pytest.fixture(scope="module")
def sample(sample_output):
    s = Server(sample_output)
    yield {"url": s.url, "out": sample_output, "ids": set(records(sample_output))}
    s.close()


@pytest.mark.parametrize("q,want", SAMPLE_QUERIES)
def test_sample_catalogue_citizen_queries(sample, spage, q, want):
    assert want in sample["ids"], f"the sample catalogue has no entry {want}"
    got = search(spage, sample["url"], q, sort="relevance")["ids"]
    assert want in got[:3], f"{q}: want {want} in the top three, got {got}"


def test_sample_catalogue_every_entry_with_a_word(sample, spage):
    """预算 / 信息公开 / 政务公开: every sample entry whose text contains the word is found."""
    texts = page_texts(sample["out"])
    for word in ("预算", "信息公开", "政务公开"):
        want = {eid for eid, text in texts.items() if word in text}
        got = search(spage, sample["url"], word, sort="relevance")["ids"]
        got = [i for i in got if i in texts]           # (the plain pages that hold it are found too)
        assert want and set(got[:len(want)]) == want, (word, sorted(want), got)


def test_sample_catalogue_from_disk(sample, spage, tmp_path):
    """网络回应人 is only in the body of the 盘锦 plan: from the pack zip it is found as online."""
    base = unpacked(REPO, tmp_path)
    for q, want in (("网络回应人", PANJIN), ("漢臺區", HANTAI), ("汉台区", HANTAI), ("20240925-203618-472", KAIYUAN)):
        got = search(spage, base, q, fresh=True)
        assert want in got["ids"][:3] and not got["mode"], (q, got)
        assert got["ids"] == search(spage, sample["url"], q, fresh=True)["ids"], q
