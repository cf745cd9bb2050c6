"""Every component renders each of its examples through the real Jinja environment; a site's own
templates/ overrides a component."""
from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest

from component_examples import BUILTIN_TEMPLATES, COMPONENTS, all_examples, load_examples, render

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Balance(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_every_component_documents_its_parameters_and_has_examples():
    for c in COMPONENTS:
        head = (BUILTIN_TEMPLATES / "components" / f"{c}.html").read_text(encoding="utf-8").split("\n", 3)
        assert head[0].startswith("{#- Component: " + c), f"{c}.html: first line must be '{{#- Component: {c}. …'"
        assert "Params:" in "\n".join(head), f"{c}.html: document its parameters"
        assert load_examples(c), f"tests/components/examples/{c}.yaml has no examples"


@pytest.mark.parametrize("component,example", all_examples(), ids=lambda v: v if isinstance(v, str) else v["name"])
def test_component_example(component, example):
    out = render(component, example["params"])
    if example.get("expect_empty"):
        assert out.strip() == "", out
        return
    assert out.strip()
    for s in example.get("expect", []):
        assert str(s) in out, f"{component}/{example['name']}: {s!r} missing in\n{out}"
    for s in example.get("absent", []):
        assert str(s) not in out, f"{component}/{example['name']}: {s!r} must not appear in\n{out}"
    p = _Balance()
    p.feed(out)
    p.close()
    assert not p.errors and not p.stack, (p.errors, p.stack)
    assert len(p.ids) == len(set(p.ids)), p.ids
    assert "None" not in re.sub(r"<[^>]+>", "", out)
    # every table a component makes has a caption and header cells (body: tables are authored)
    for table in re.findall(r"<table.*?</table>", out, re.S) if component != "body" else []:
        assert "<caption" in table and "<th" in table


def test_site_templates_override_one_component(tmp_path):
    site = tmp_path / "site"
    (site / "templates" / "components").mkdir(parents=True)
    (site / "templates" / "components" / "footer.html").write_text(
        '<footer class="site-footer" lang="{{ chrome_lang }}"><p>本站自定义页脚：{{ site.owner }}</p></footer>\n',
        encoding="utf-8")
    ex = load_examples("footer")[0]["params"]
    assert "本站自定义页脚：示例县人民政府办公室" in render("footer", ex, site_dir=site)
    # the other components still come from the built-in templates
    builtin = render("breadcrumb", load_examples("breadcrumb")[0]["params"], site_dir=site)
    assert builtin == render("breadcrumb", load_examples("breadcrumb")[0]["params"])


def test_site_override_reaches_built_pages(tmp_path):
    """End to end: the fixture site plus templates/components/footer.html → every page has the site's footer."""
    import shutil
    import subprocess
    import sys
    repo = Path(__file__).resolve().parents[2]
    site = tmp_path / "site"
    shutil.copytree(repo / "tests" / "fixtures" / "basic", site)
    (site / "templates" / "components").mkdir(parents=True)
    (site / "templates" / "components" / "footer.html").write_text(
        '<footer class="site-footer"><p>本站自定义页脚</p></footer>\n', encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, str(repo / "build.py"), "build", "--site", str(site), "--output", str(out),
                        "--as-of", "2024-01-01", "--no-search"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    for page in ("index.html", "policies/budget-2021.html", "sitemap.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "本站自定义页脚" in text and "主办单位" not in text
        assert 'class="skip-link"' in text   # the built-in header is still used


def test_pagination_shows_first_last_and_two_either_side_of_every_page():
    """The rule, checked for every page of catalogues of 1 to 14 pages: page 1, the last page and
    the two pages either side of the current one, in order, once each; one gap where pages are left
    out; previous/next links except at the ends. (The template visits only the pages it shows.)"""
    for last in range(1, 15):
        pages = [f"p{'' if i == 1 else f'-{i}'}.html" for i in range(1, last + 1)]
        for number in range(1, last + 1):
            out = render("pagination", {"pages": pages, "number": number})
            if last == 1:
                assert out.strip() == ""
                continue
            want = sorted({1, last} | {i for i in range(number - 2, number + 3) if 1 <= i <= last})
            shown = [int(n) for n in re.findall(r"<li>(?:<a [^>]*>|<span aria-current=\"page\">)第 (\d+) 页", out)]
            assert shown == want, (last, number, shown)
            items = re.findall(r"<li>(?:<span class=\"gap\"[^>]*>…</span>|[^<]*<(?:a|span)[^>]*>第 (\d+) 页)", out)
            seq = ["…" if not n else int(n) for n in items]
            expected = []
            for i in want:
                if expected and i > expected[-1] + 1:
                    expected.append("…")
                expected.append(i)
            assert seq == expected, (last, number, seq)
            assert out.count('aria-current="page"') == 1 and f'共 {last} 页' in out
            assert ('rel="prev"' in out) == (number > 1) and ('rel="next"' in out) == (number < last)
