"""The published portal in real Chromium: WCAG 2.1 AA (axe-core), valid HTML (Nu checker), keyboard,
CJK glyphs, the elderly-friendly mode (适老模式), print, reflow, weight, nothing from another host.

Every page type of the built site is checked at 375 px and 1280 px and in the elderly mode; full-page
screenshots go to test-artifacts/screenshots/<page-type>--<mode>.png.
"""
from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess

import pytest

from browser_support import AXE_TAGS, VNU, WIDTHS, Server, page_types, screenshots_dir

ELDER_KEY = "xxgk-elder"

# Run in the page after axe.min.js: WCAG A/AA rules only, violations only.
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}""" % json.dumps(AXE_TAGS)

# Structural checks axe does not make (or makes only as best practice).
STRUCTURE = """() => {
  const out = [];
  const html = document.documentElement;
  if (!/^zh-(Hans|Hant)$/.test(html.lang)) out.push('html lang is ' + JSON.stringify(html.lang));
  const h1 = document.querySelectorAll('h1');
  if (h1.length !== 1) out.push(h1.length + ' h1 elements');
  const mains = document.querySelectorAll('main');
  if (mains.length !== 1 || mains[0].id !== 'main') out.push('needs exactly one <main id="main">');
  if (!document.querySelector('header') || !document.querySelector('footer') || !document.querySelector('nav'))
    out.push('missing header/nav/footer landmark');
  const first = document.querySelector('a[href], button:not([hidden]), input, select, textarea, [tabindex]:not([tabindex="-1"])');
  if (!first || !first.classList.contains('skip-link') || first.getAttribute('href') !== '#main')
    out.push('the first focusable element is not the skip link to #main');
  let last = 1;
  // authored Markdown bodies (.body) are checked by test_authored_bodies_keep_structure
  for (const h of [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')].filter(h => !h.closest('.body'))) {
    const n = +h.tagName[1];
    if (n > last + 1) out.push('heading ' + h.tagName + ' "' + h.textContent.trim().slice(0, 20) + '" skips a level after h' + last);
    last = n;
  }
  for (const t of [...document.querySelectorAll('table')].filter(t => !t.closest('.body'))) {
    if (!t.querySelector('caption') || !t.querySelector('caption').textContent.trim()) out.push('table without caption');
    if (!t.querySelector('th')) out.push('table without header cells');
  }
  // at 1280 px a catalogue listing fits its box: no sideways scrolling, every column in view
  for (const box of document.querySelectorAll('.table-scroll')) {
    if (box.querySelector('table.listing') && box.scrollWidth > box.clientWidth + 1)
      out.push('catalogue listing scrolls sideways at ' + innerWidth + ' px');
    const cap = box.querySelector('caption');
    if (cap && cap.getBoundingClientRect().width > box.clientWidth + 1) out.push('caption wider than its table box');
  }
  for (const s of document.querySelectorAll('.status, .validity-mark'))
    if (!s.textContent.trim()) out.push('validity shown by colour only');
  if (document.querySelector('[style*="@font-face"], link[href*="font"]')) out.push('web font');
  return out;
}"""

# Horizontal overflow of the page itself (tables may scroll inside their own box).
OVERFLOW = """() => {
  const w = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > w + 1) {
    out.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + w);
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 1 && !el.closest('.table-scroll, .body table, pre') && r.width > 0) {
        out.push('  too wide: ' + el.tagName.toLowerCase() + '.' + el.className + ' right=' + Math.round(r.right));
        if (out.length > 6) break;
      }
    }
  }
  // text squeezed into a sliver (e.g. a caption one character per line)
  for (const el of document.querySelectorAll('caption, th, td, h1, h2, h3, p, li, dt, dd, a, label, button')) {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el), fs = parseFloat(s.fontSize);
    if (r.width > 0 && el.textContent.trim().length >= 4 && r.width < 2.5 * fs && r.height > 3.5 * fs) {
      out.push('squeezed text: ' + el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 12) + '" ' +
               Math.round(r.width) + 'x' + Math.round(r.height));
      if (out.length > 8) break;
    }
  }
  return out;
}"""


def _modes():
    return [("375", WIDTHS["375"], False), ("1280", WIDTHS["1280"], False), ("elder", WIDTHS["375"], True)]


def _unique(pages: dict[str, str]) -> list[tuple[str, str]]:
    seen, out = set(), []
    for name, path in pages.items():
        if path not in seen:
            seen.add(path)
            out.append((name, path))
    return out


def test_every_page_type_passes_axe_and_structure(page, outside_requests, site_server, site_pages, axe_source):
    """axe-core (WCAG 2.0/2.1 A and AA) finds nothing on any page type at 375 px, 1280 px and in the
    elderly mode; one h1, skip link first, landmarks, heading order, table captions, no sideways scroll
    at 320 px and at 200 % zoom (640 CSS px), and nothing loaded from another host."""
    problems: list[str] = []
    shots = screenshots_dir()
    for mode, (w, h), elder in _modes():
        page.set_viewport_size({"width": w, "height": h})
        page.goto(site_server.url + "index.html")
        page.evaluate(f"localStorage.setItem('{ELDER_KEY}', '{1 if elder else 0}')")
        for name, path in _unique(site_pages):
            page.goto(site_server.url + path, wait_until="load")
            where = f"{path} [{mode}]"
            if elder and not page.evaluate("document.documentElement.classList.contains('elder')"):
                problems.append(f"{where}: elderly mode is not on")
            page.evaluate(axe_source)
            for v in page.evaluate(AXE_RUN):
                problems.append(f"{where}: axe {v['id']} ({v['impact']}): {v['help']}\n      " + "\n      ".join(v["nodes"]))
            if mode == "1280":
                problems += [f"{where}: {p}" for p in page.evaluate(STRUCTURE)]
            problems += [f"{where}: {p}" for p in page.evaluate(OVERFLOW)]
            page.screenshot(path=str(shots / f"{name}--{mode}.png"), full_page=True)
            if mode == "375":   # reflow (WCAG 1.4.10) and 200 % zoom of a 1280-px window
                for width in (320, 640):
                    page.set_viewport_size({"width": width, "height": 800})
                    problems += [f"{path} [{width}px]: {p}" for p in page.evaluate(OVERFLOW)]
                page.set_viewport_size({"width": w, "height": h})
    assert not outside_requests, f"requests to other hosts: {outside_requests}"
    assert not problems, "\n".join(problems)


def test_component_examples_pass_axe(page, outside_requests, gallery_server, gallery_dir, axe_source):
    """A page per component example (tests/components/examples/*.yaml), checked like a site page."""
    problems = []
    for mode, (w, h), elder in [m for m in _modes() if m[0] != "1280"]:   # the narrow layouts are the hard ones
        page.set_viewport_size({"width": w, "height": h})
        page.goto(gallery_server.url + gallery_dir[1][0])
        page.evaluate(f"localStorage.setItem('{ELDER_KEY}', '{1 if elder else 0}')")
        for rel in gallery_dir[1]:
            page.goto(gallery_server.url + rel)
            page.evaluate(axe_source)
            for v in page.evaluate(AXE_RUN):
                problems.append(f"{rel} [{mode}]: axe {v['id']}: {v['help']}\n      " + "\n      ".join(v["nodes"]))
            problems += [f"{rel} [{mode}]: {p}" for p in page.evaluate(OVERFLOW)]
    assert not outside_requests
    assert not problems, "\n".join(problems)


def test_nu_html_checker_finds_no_errors(site_output, gallery_dir):
    """One JVM over the whole output and the component pages: zero errors."""
    if not VNU.is_file() or not shutil.which("java"):
        pytest.skip("vnu.jar or Java is missing")
    r = subprocess.run(["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout",
                        "--skip-non-html", str(site_output), str(gallery_dir[0])],
                       capture_output=True, text=True, timeout=300)
    messages = json.loads(r.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    found = [f"{m.get('url', '').rsplit('/', 2)[-2:]}:{m.get('lastLine')}: {m['message']}" for m in errors]
    assert not found, "\n".join(found)


def test_authored_bodies_keep_structure(site_output):
    """Headings in a body follow the page h1 without skipping a level; body tables have a caption and th."""
    problems = []
    for f in sorted(site_output.rglob("*.html")):
        text = f.read_text(encoding="utf-8")
        m = re.search(r'<div class="body">(.*)</article>', text, re.S)
        if not m:
            continue
        last = 1
        for level in (int(n) for n in re.findall(r"<h([1-6])[\s>]", m.group(1))):
            if level > last + 1:
                problems.append(f"{f.relative_to(site_output)}: h{level} after h{last}")
            last = level
        for table in re.findall(r"<table.*?</table>", m.group(1), re.S):
            if "<caption" not in table or "<th" not in table:
                problems.append(f"{f.relative_to(site_output)}: body table without caption or th")
    assert not problems, "\n".join(problems)


FOCUS_STYLE = """() => { const s = getComputedStyle(document.activeElement);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|'); }"""


def _shows_focus(style: str) -> bool:
    outline_style, outline_width, _color, shadow = style.split("|", 3)
    has_outline = outline_style != "none" and float(outline_width.rstrip("px") or 0) >= 2
    has_shadow = shadow != "none" and not re.fullmatch(r"(rgba\(0, 0, 0, 0\) 0px 0px 0px 0px,? ?)+", shadow)
    return has_outline or has_shadow


@pytest.mark.parametrize("kind", ["home", "entry", "listing", "search"])
def test_keyboard_walk(page, outside_requests, site_server, site_pages, kind):
    """Tab from the top: the skip link comes first and Enter moves focus into main; every stop shows a
    visible focus indicator; the walk ends (never trapped) within 200 presses."""
    path = {"home": site_pages["home"], "search": site_pages["search"],
            "listing": site_pages.get("listing-page-2") or site_pages["listing-type"],
            "entry": site_pages.get("entry-policies-repealed") or site_pages["entry-policies"]}[kind]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_server.url + path)
    page.keyboard.press("Tab")
    first = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert first == ["skip-link", "#main"], first
    assert page.evaluate("document.activeElement.getBoundingClientRect().left >= 0"), "skip link not on screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id === 'main' || !!document.activeElement.closest('main')")
    # back to the top and walk every stop
    page.goto(site_server.url + path)
    stops, problems = [], []
    for _ in range(200):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            if (!e || e === document.body) return null;
            return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: (e.textContent || e.value || '').trim().slice(0, 20),
                    key: e.outerHTML.slice(0, 120), visible: e.getClientRects().length > 0}; }""")
        if info is None or (stops and info["key"] == stops[0]["key"]):
            break
        if info["key"] in [s["key"] for s in stops[-3:]]:
            problems.append(f"focus stuck on {info['key']}")
            break
        focused = page.evaluate(FOCUS_STYLE)
        page.evaluate("document.activeElement.classList.add('__probe'); document.activeElement.blur()")
        unfocused = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('.__probe'));
            return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|'); }""")
        page.evaluate("const e = document.querySelector('.__probe'); e.classList.remove('__probe'); e.focus({focusVisible: true})")
        style_now = page.evaluate(FOCUS_STYLE)
        if focused == unfocused or not _shows_focus(focused):
            problems.append(f"no visible focus indicator on {info['key']} ({focused} vs {unfocused})")
        if not info["visible"]:
            problems.append(f"focus on an invisible element {info['key']}")
        stops.append(info)
        assert style_now == focused, (style_now, focused)  # focus is back; the walk goes on from here
    else:
        problems.append("still walking after 200 presses: a keyboard trap?")
    assert len(stops) >= 3, stops
    assert not problems, "\n".join(problems)


def test_elder_toggle_is_labelled_keyboard_usable_and_persists(page, outside_requests, site_server, site_pages):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_server.url + site_pages["home"])
    page.evaluate(f"localStorage.removeItem('{ELDER_KEY}')")
    page.reload()
    toggle = page.get_by_role("button", name="适老模式")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-pressed") == "false"
    size_before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    spacing_before = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    target_before = toggle.bounding_box()["height"]
    # reach it with Tab and switch it on with the keyboard
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "mode-toggle":
            break
    assert page.evaluate("document.activeElement.id") == "mode-toggle", "the toggle is not reachable by Tab"
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= size_before * 1.2
    assert page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)") > spacing_before
    assert page.evaluate("getComputedStyle(document.body).letterSpacing") not in ("normal", "0px")
    assert toggle.bounding_box()["height"] >= max(44, target_before)
    # stays on across a navigation (a real link click)
    page.locator("nav.site-nav a", has_text="主动公开目录").click()
    page.wait_for_load_state("load")
    assert "catalogue/index.html" in page.url
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.get_by_role("button", name="适老模式").get_attribute("aria-pressed") == "true"
    # Space switches it off again, and that also persists
    page.get_by_role("button", name="适老模式").focus()
    page.keyboard.press("Space")
    page.goto(site_server.url + site_pages["home"])
    assert not page.evaluate("document.documentElement.classList.contains('elder')")
    assert not outside_requests


def _has_font(family: str) -> bool:
    r = subprocess.run(["fc-list", family], capture_output=True, text=True) if shutil.which("fc-list") else None
    return bool(r and r.stdout.strip())


def test_cjk_glyphs_render(page, site_server, site_pages):
    """Chromium draws the h1 with a CJK font (an empty-box page would still pass axe)."""
    client = page.context.new_cdp_session(page)
    client.send("DOM.enable")
    client.send("CSS.enable")
    for name in ("home", "entry-zh-Hant", "entry-policies"):
        if name not in site_pages:
            continue
        page.goto(site_server.url + site_pages[name])
        doc = client.send("DOM.getDocument", {"depth": -1})
        node = client.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": "h1"})
        # the text node carries the fonts: ask for the element's first child too
        fonts = client.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        families = [f["familyName"] for f in fonts if f["glyphCount"] > 0]
        print(f"{name}: h1 fonts {families}")
        assert any(re.search(r"CJK|Han|Hei|Song|Ming|Kai|PingFang|YaHei|JhengHei|WenQuanYi", f, re.I) for f in families), \
            f"{name}: h1 drawn with {families}"
        if name == "entry-zh-Hant" and _has_font("Noto Sans CJK TC"):
            assert any(re.search(r"\b(TC|HK)\b|JhengHei", f) for f in families), f"zh-Hant h1 drawn with {families}"
    # and the glyphs differ from what an unassigned code point draws (the tofu box)
    differs = page.evaluate("""() => {
        const draw = ch => { const c = document.createElement('canvas'); c.width = c.height = 40;
            const x = c.getContext('2d'); x.font = '32px sans-serif'; x.fillText(ch, 2, 32); return c.toDataURL(); };
        const tofu = draw(String.fromCodePoint(0x0378));   // unassigned: drawn as the missing-glyph box
        return ['政', '府', '公', '開'].every(ch => draw(ch) !== tofu); }""")
    assert differs


def test_readable_without_javascript(browser, site_output):
    """JavaScript off: content and metadata are there and visible, nothing waits on a script,
    the toggle (which needs JS) is not shown, and the page still reflows at 320 px."""
    pages = page_types(site_output)
    server = Server(site_output)
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    try:
        page = ctx.new_page()
        for name in ("home", "entry-policies", "listing-type", "plain-page", "search"):
            if name not in pages:
                continue
            page.goto(server.url + pages[name])
            assert page.locator("h1").is_visible(), name
            assert not page.locator("#mode-toggle").is_visible()
            assert page.evaluate(OVERFLOW) == [], name
            if name == "entry-policies":
                assert page.locator("table.meta").is_visible()
            if name == "listing-type":
                assert page.locator("table.listing a").count() >= 1
            if name == "search":      # said plainly; the form, which does nothing without a script, is not shown
                assert page.locator("p.notice").is_visible()
                assert page.locator("p.notice a[href='catalogue/index.html']").is_visible()
                assert not page.locator("#search-form").is_visible()
    finally:
        ctx.close()
        server.close()


def test_print_shows_metadata_validity_and_text_without_navigation(page, site_server, site_pages):
    path = site_pages.get("entry-policies-repealed") or site_pages["entry-policies"]
    page.goto(site_server.url + path)
    page.emulate_media(media="print")
    display = lambda sel: page.evaluate(  # noqa: E731
        f"[...document.querySelectorAll({json.dumps(sel)})].map(e => getComputedStyle(e).display)")
    for sel in ("header.site-header", "nav.site-nav", "footer.site-footer", "nav.breadcrumb", ".skip", "#mode-toggle"):
        assert set(display(sel)) <= {"none"}, f"{sel} is printed"
    for sel in ("table.meta", "article h1", ".body"):
        shown = display(sel)
        assert shown and "none" not in shown, f"{sel} is not printed"
    if page.locator(".validity-mark").count():
        assert "none" not in display(".validity-mark")
    page.pdf(path=str(screenshots_dir() / "entry--print.pdf"))
    page.emulate_media(media="screen")
    assert "none" not in display("nav.site-nav")


def test_entry_pages_are_light(site_output, site_pages):
    """Every entry page with its CSS and JS is at most 20 KB gzip-compressed; no web fonts, nothing remote."""
    def gz(data: bytes) -> int:
        return len(gzip.compress(data, 9))
    weights = {}
    for kind in ("policies", "interpretations", "reports"):
        for f in sorted((site_output / kind).glob("*.html")) if (site_output / kind).is_dir() else []:
            html = f.read_bytes()
            assets = re.findall(rb'(?:href|src)="(?:\.\./)*(assets/[^"]+\.(?:css|js))"', html)
            weights[f.relative_to(site_output).as_posix()] = gz(html) + sum(gz((site_output / a.decode()).read_bytes())
                                                                         for a in assets)
    heaviest = max(weights, key=weights.get)
    print(f"entry pages + CSS + JS, gzip: heaviest {heaviest} {weights[heaviest]} bytes, "
          f"{site_pages['entry-policies']} {weights[site_pages['entry-policies']]} bytes")
    assert weights[heaviest] <= 20 * 1024, heaviest
    css = b"".join(p.read_bytes() for p in (site_output / "assets").glob("*.css"))
    assert b"@font-face" not in css and b"@import" not in css
    assert not re.search(rb"url\((?!['\"]?data:)", css)
    for rel in site_pages.values():
        text = (site_output / rel).read_text(encoding="utf-8")
        text = re.sub(r'<link rel="canonical" href="[^"]*">', "", text)    # names the page's address, loads nothing
        assert not re.search(r'<(script|link|img|iframe|source|video|audio)\b[^>]*\s(src|href)="(https?:)?//', text), \
            f"{rel} loads from another host"


def test_traditional_entry_marks_its_language(site_output, site_pages):
    """A zh-Hant entry: <html lang="zh-Hant">; the site's own words around it (header, breadcrumb, metadata
    labels, validity marking, footer) carry the site's lang; its own title and doc number carry zh-Hant."""
    if "entry-zh-Hant" not in site_pages:
        pytest.skip("the site has no zh-Hant entry")
    text = (site_output / site_pages["entry-zh-Hant"]).read_text(encoding="utf-8")
    site_lang = re.search(r'<header class="site-header" lang="([^"]+)"', text).group(1)
    assert site_lang != "zh-Hant" and '<html lang="zh-Hant"' in text
    assert re.search(r'<nav class="breadcrumb"[^>]* lang="%s"' % site_lang, text)
    assert re.search(r'<table class="meta"[^>]* lang="%s"' % site_lang, text)
    assert re.search(r'<td colspan="3"[^>]* lang="zh-Hant"', text)
    assert re.search(r'<footer class="site-footer" lang="%s"' % site_lang, text)
    if 'class="validity-mark' in text:
        assert re.search(r'<div class="validity-mark[^>]* lang="%s"' % site_lang, text)


def test_footer_carries_the_site_record(site_output):
    """主办单位 and the records from site_config.yaml, links to 站点地图 and 订阅 and to each footer page that exists."""
    text = (site_output / "index.html").read_text(encoding="utf-8")
    footer = text[text.index('<footer class="site-footer"'):]
    for label in ("主办单位", "站点地图", "订阅"):
        assert label in footer
    for page, label in (("about", "关于本站"), ("privacy", "隐私安全"), ("accessibility", "无障碍说明")):
        assert ((site_output / "pages" / f"{page}.html").is_file()) == (f'href="pages/{page}.html">{label}</a>' in footer)
    for field in ("联系方式", "网站标识码", "ICP备案号", "公安机关备案号"):
        assert footer.count(f"<dt>{field}</dt>") <= 1


TEXT_SPACING = ("*{line-height:1.5!important;letter-spacing:.12em!important;word-spacing:.16em!important}"
                "p{margin-bottom:2em!important}")
CLIPPED = """() => [...document.querySelectorAll('body *')].filter(e => {
    const s = getComputedStyle(e);
    return (s.overflowY === 'hidden' || s.overflowX === 'hidden') && e.textContent.trim() &&
           (e.scrollHeight > e.clientHeight + 2 || e.scrollWidth > e.clientWidth + 2);
  }).map(e => 'text clipped in ' + e.tagName.toLowerCase() + '.' + e.className).slice(0, 5)"""


@pytest.mark.parametrize("width", [320, 1280])
def test_text_spacing_and_elder_mode_lose_nothing(page, site_server, site_pages, width):
    """WCAG 1.4.12: with the text-spacing override (and again in the elderly mode) nothing is clipped
    and the page still does not scroll sideways."""
    names = [n for n in ("home", "entry-policies", "entry-report-tables", "listing-type", "search", "sitemap")
             if n in site_pages]
    page.set_viewport_size({"width": width, "height": 800})
    problems = []
    for elder in (False, True):
        page.goto(site_server.url + "index.html")
        page.evaluate(f"localStorage.setItem('{ELDER_KEY}', '{1 if elder else 0}')")
        for name in names:
            page.goto(site_server.url + site_pages[name])
            page.add_style_tag(content=TEXT_SPACING)
            problems += [f"{name} [{width}{' elder' if elder else ''}]: {p}"
                         for p in page.evaluate(OVERFLOW) + page.evaluate(CLIPPED)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [320, 640])
def test_a_phone_or_200_percent_zoom_shows_titles_and_search_results(page, site_server, site_pages, width):
    """On a narrow screen (and in the elderly mode) a catalogue listing shows each title (the link)
    first, with its 索引号 under it, inside the screen; a search's result count is above the filters,
    and results with long 索引号 do not push the page sideways."""
    page.set_viewport_size({"width": width, "height": 640})
    problems = []
    for elder in (False, True):
        page.goto(site_server.url + "index.html")
        page.evaluate(f"localStorage.setItem('{ELDER_KEY}', '{1 if elder else 0}')")
        where = f"[{width}{' elder' if elder else ''}]"
        page.goto(site_server.url + site_pages["listing-type"])
        link = page.locator("table.listing tbody td a").first
        box = link.bounding_box()
        if box["x"] < 0 or box["x"] + box["width"] > width:
            problems.append(f"listing {where}: the first title is not on the screen: {box}")
        row = link.locator("xpath=ancestor::tr")
        if not row.locator(".col-narrow").is_visible() or "索引号" not in row.inner_text():
            problems.append(f"listing {where}: no 索引号 under the title")
        page.goto(site_server.url + "search.html?q=" + "政府信息公开")
        page.wait_for_selector("body[data-search-state=done]", timeout=15_000)
        problems += [f"search {where}: {p}" for p in page.evaluate(OVERFLOW)]
        status, filters = page.locator("#search-status").bounding_box(), page.locator(".search-filters").bounding_box()
        if not status["y"] < filters["y"] or "找到" not in page.inner_text("#search-status"):
            problems.append(f"search {where}: the result count is not above the filters")
    assert not problems, "\n".join(problems)
