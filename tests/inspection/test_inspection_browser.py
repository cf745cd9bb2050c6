"""Issue 26 in real Chromium: the 2021 report's tables and charts on a 375 px phone (also in the
elderly mode), the reports index at 1280 and 375 px, the repeated validity marking on a long page, the
search page and the elderly mode without JavaScript; axe-core and the Nu checker on the new markup."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from helpers import REPO, Server, run_build
from inspection_site import AS_OF, build_site
from sitemaker import entry

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                     resultTypes: ['violations']});
  return r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""
REPORT = "reports/sample-county-2023-annual-report.html"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The repository's sample catalogue (its 2021-format reports), built without the search index."""
    out = tmp_path_factory.mktemp("sample26") / "out"
    r = run_build("build", "--output", str(out), "--no-search", "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr
    s = Server(out)
    yield out, s.url
    s.close()


@pytest.fixture(scope="module")
def site26(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser26")
    years = range(2012, 2025)
    agencies = ["xzf", "czj"]
    reports = {}
    for y in years:
        for n, a in enumerate(agencies):
            reports[f"content/reports/{a}-{y}.md"] = entry(
                {"title": f"{'示例县人民政府' if a == 'xzf' else '示例县财政局'}{y}年政府信息公开工作年度报告",
                 "index_no": f"11330000MB1234567X/{y + 1}-{n + 901:05d}", "agency": a,
                 "published": f"{y + 1}-01-20", "year": y, "format": "free"}, "报告正文。")
    out = build_site(root, reports)
    s = Server(out)
    yield out, s.url
    s.close()


def _block_outside(context) -> list[str]:
    seen: list[str] = []

    def handle(route):
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            seen.append(route.request.url)
            route.abort()
    context.route("**/*", handle)
    return seen


def _elder(page, on: bool) -> None:
    page.evaluate(f"localStorage.setItem('xxgk-elder', '{1 if on else 0}')")
    page.reload()


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_report_tables_on_a_phone_lose_no_column_show_a_cue_and_keep_row_labels(page, outside_requests, sample, elder):
    out, url = sample
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(url + REPORT)
    _elder(page, elder)
    for table_id in ("ar-t3", "ar-t4"):
        box = page.locator(f"#{table_id}").locator("xpath=..")
        info = box.evaluate("""b => { const t = b.querySelector('table'); const cue = b.previousElementSibling;
            const cells = [...t.querySelectorAll('th, td')];
            return {over: b.scrollWidth > b.clientWidth + 1, height: t.offsetHeight,
                    hidden: cells.filter(c => getComputedStyle(c).display === 'none' || c.offsetWidth === 0).length,
                    cue: cue && cue.classList.contains('scroll-cue') && cue.offsetHeight > 0 && cue.textContent,
                    cueHidden: cue && cue.getAttribute('aria-hidden'),
                    focusable: b.tabIndex === 0 && b.getAttribute('role') === 'region'}; }""")
        assert info["hidden"] == 0, f"{table_id}: a column is lost"
        assert info["over"] and info["cue"] and "左右滑动" in info["cue"] and info["cueHidden"] == "true", info
        assert info["focusable"]
        if table_id == "ar-t3" and not elder:
            assert info["height"] < 2600, f"row labels squeezed: table {info['height']} px tall"
    # scrolled to its end, each row of table 三 still shows its own label at the left edge
    box = page.locator("#ar-t3").locator("xpath=..")
    labels = box.evaluate("""b => { b.scrollLeft = b.scrollWidth; const left = b.getBoundingClientRect().left;
        return [...b.querySelectorAll('tbody tr')].map(tr => { const ths = tr.querySelectorAll('th[scope=row]');
            const th = ths[ths.length - 1]; const r = th.getBoundingClientRect();
            return [th.textContent.trim(), Math.round(r.left - left), r.width / parseFloat(getComputedStyle(th).fontSize)]; }); }""")
    assert labels
    for text, offset, chars in labels:
        assert -1 <= offset <= 1, f"{text}: {offset} px from the left edge after scrolling"
        assert chars >= 7.5, f"{text}: label {chars:.1f} characters wide"
    # the 总计 column is reachable: after scrolling, the last column's cells are inside the box
    last = box.evaluate("""b => { const box = b.getBoundingClientRect(); const c = b.querySelector('tbody tr td:last-child').getBoundingClientRect();
        return c.right <= box.right + 1 && c.left >= box.left - 1; }""")
    assert last
    assert not outside_requests


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_chart_labels_stay_legible_on_a_phone(page, outside_requests, sample, elder):
    out, url = sample
    for path in (REPORT, "reports/index.html"):
        page.set_viewport_size({"width": 375, "height": 812})
        page.goto(url + path)
        _elder(page, elder)
        sizes = page.evaluate("""() => [...document.querySelectorAll('svg.chart-svg text')].map(t => {
            const svg = t.ownerSVGElement; const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale]; })""")
        assert sizes, path
        small = [(t, round(s, 1)) for t, s in sizes if s < 12]
        assert not small, f"{path}: labels under 12 px: {small[:5]}"
        # the chart scrolls in its own box, the page does not
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"), path
    assert not outside_requests


def test_reports_index_fits_at_1280_and_reads_at_375(page, outside_requests, site26):
    out, url = site26
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url + "reports/index.html")
    box = page.locator("table.reports-grid").locator("xpath=..")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), "the grid scrolls at 1280 px"
    assert page.locator("table.reports-grid thead th").count() == 14       # 机构 + 13 years
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(url + "reports/index.html")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), "the grid scrolls at 375 px"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    rows = page.evaluate("""() => [...document.querySelectorAll('.reports-grid tbody tr')].map(tr => {
        const th = tr.querySelector('th').getBoundingClientRect();
        const links = [...tr.querySelectorAll('a')].map(a => a.getBoundingClientRect());
        return {th: th.width, links: links.length, inside: links.every(r => r.right <= innerWidth)}; })""")
    assert len(rows) == 2
    for r in rows:
        assert r["th"] > 250 and r["links"] == 13 and r["inside"], r       # the agency as a heading line, every year
    assert not outside_requests


@pytest.mark.parametrize("width", [375, 1280])
def test_a_long_repealed_page_keeps_its_marking_in_view(page, outside_requests, site26, width):
    out, url = site26
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(url + "interpretations/old-rules-explained.html")
    page.evaluate("document.querySelector('.body h2:last-of-type').scrollIntoView()")
    rect = page.evaluate("""() => { const s = document.querySelector('.validity-sticky').getBoundingClientRect();
        return [s.top, s.bottom, innerHeight]; }""")
    assert 0 <= rect[0] and rect[1] <= rect[2], f"the marking is out of view in the middle of the page: {rect}"
    banner = page.evaluate("document.querySelector('.validity-mark').getBoundingClientRect().bottom")
    assert banner < 0                                         # the banner itself scrolled away
    text = page.locator(".validity-sticky").inner_text()
    assert "已废止" in text and "2022-03-01" in text
    # not read twice: hidden from the accessibility tree
    snapshot = page.accessibility.snapshot(interesting_only=False) if hasattr(page, "accessibility") else None
    if snapshot is not None:
        assert "详见页首说明" not in json.dumps(snapshot, ensure_ascii=False)
    assert not outside_requests


def test_without_javascript_search_says_so_and_elderly_mode_can_be_turned_on(browser, site26):
    out, url = site26
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    outside = _block_outside(context)
    page = context.new_page()
    page.goto(url + "search.html")
    assert not page.locator("#search-form").is_visible()
    notice = page.locator("main p.notice")
    assert notice.is_visible() and "搜索需要浏览器启用 JavaScript" in notice.inner_text()
    link = notice.locator("a[href='catalogue/index.html']")
    assert link.is_visible() and link.inner_text() == "主动公开目录"
    # the elderly mode: a link in the header turns it on for the page
    page.goto(url + "policies/old-rules.html")
    before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    mode = page.locator("a.mode-link")
    assert mode.is_visible() and mode.inner_text() == "适老模式"
    assert page.locator("#mode-toggle").is_hidden()
    mode.click()
    after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert after >= before * 1.25, (before, after)
    context.close()
    assert not outside


def test_elderly_mode_link_also_turns_the_mode_on_with_javascript(page, outside_requests, site26):
    """With JavaScript the same address (#elder) turns the switch on and it stays on across pages."""
    out, url = site26
    page.goto(url + "index.html")
    _elder(page, False)
    page.goto(url + "catalogue/index.html#elder")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    page.goto(url + "search.html")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.locator("#mode-toggle").get_attribute("aria-pressed") == "true"
    assert not outside_requests


@pytest.mark.parametrize("width, elder", [(375, False), (1280, False), (375, True)], ids=["375", "1280", "375-elder"])
def test_axe_finds_no_violations_in_the_new_markup(page, outside_requests, sample, site26, width, elder):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm install --ignore-scripts axe-core)")
    axe = AXE.read_text(encoding="utf-8")
    problems = []
    targets = [(sample[1], REPORT), (sample[1], "reports/index.html"), (sample[1], "index.html"),
               (site26[1], "interpretations/old-rules-explained.html"),
               (site26[1], "interpretations/amended-rules-explained.html"), (site26[1], "reports/index.html"),
               (site26[1], "search.html"), (site26[1], "catalogue/type/policies.html")]
    page.set_viewport_size({"width": width, "height": 812})
    page.goto(targets[0][0] + "index.html")
    for base, path in targets:
        page.goto(base + path)
        _elder(page, elder)
        page.evaluate(axe)
        problems += [f"{path}: {v}" for v in page.evaluate(AXE_RUN)]
    assert not problems, "\n".join(problems)
    assert not outside_requests


def test_nu_checker_finds_no_errors_in_the_new_markup(sample, site26):
    if not VNU.is_file() or not shutil.which("java"):
        pytest.skip("vnu.jar or Java is missing")
    pages = [sample[0] / REPORT, sample[0] / "reports/index.html", sample[0] / "index.html", sample[0] / "search.html",
             *(site26[0] / "interpretations").glob("*.html"), site26[0] / "reports/index.html",
             site26[0] / "catalogue/type/policies.html", site26[0] / "404.html"]
    r = subprocess.run(["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout",
                        *map(str, pages)], capture_output=True, text=True, timeout=300)
    errors = [m for m in json.loads(r.stdout)["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(f"{m.get('url', '').rsplit('/', 2)[-2:]}:{m.get('lastLine')}: {m['message']}"
                                 for m in errors)
