"""Component examples: tests/components/examples/<component>.yaml → rendered HTML.

Each YAML file is a list of examples: {name, params, expect: [substrings], absent: [substrings],
expect_empty: bool}. `params` are the component's documented parameters (the comment at the top
of templates/components/<component>.html); DEFAULTS fill in the site-wide ones (root, site,
chrome_lang, page_lang) unless an example sets them. Rendering goes through the real Jinja
environment, xxgk.render.environment.make_env, with StrictUndefined, so a parameter the comment forgets
fails the render test.

Used by tests/components/test_components.py (render checks) and tests/browser (axe + Nu checker
on a page per example: gallery()).
"""
from __future__ import annotations

import html
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from xxgk.render.environment import BUILTIN_TEMPLATES, make_env  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent / "examples"
COMPONENTS = sorted(p.stem for p in (BUILTIN_TEMPLATES / "components").glob("*.html")
                    if p.stem != "annual_report_tables")   # owned and tested by the annual-report work

DEFAULTS = {
    "root": "../", "page_lang": "zh-Hans", "chrome_lang": "zh-Hans",
    "site": {"title": "示例县人民政府信息公开", "owner": "示例县人民政府办公室", "lang": "zh-Hans",
             "footer": {"contact": "示例县人民政府办公室 电话 0000-7654321", "site_code": "3300000001",
                        "icp": "示ICP备12345678号", "police_record": "示公网安备33000002000099号",
                        "dzjg_logo": "files/dzjg.png",
                        "jiucuo_url": "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3300000001"}},
    "footer_marks": {"icp_url": "https://beian.miit.gov.cn/",
                     "police_url": "https://beian.mps.gov.cn/#/query/webSearch?code=33000002000099",
                     "dzjg_url": "https://bszs.conac.cn/"},
    "assets": {"police_icon": "assets/police.png"},
}


def load_examples(component: str) -> list[dict]:
    return yaml.safe_load((EXAMPLES / f"{component}.yaml").read_text(encoding="utf-8"))


def all_examples() -> list[tuple[str, dict]]:
    return [(c, ex) for c in COMPONENTS for ex in load_examples(c)]


def render(component: str, params: dict, site_dir: Path | None = None) -> str:
    env = make_env(site_dir or REPO / "tests" / "fixtures" / "basic")
    return env.get_template(f"components/{component}.html").render({**DEFAULTS, **params})


PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>组件示例：{title}</title>
<link rel="stylesheet" href="../assets/style.css">
<script src="../assets/site.js"></script>
</head>
<body>
{header}
<main id="main" tabindex="-1">
<div class="wrap">
<h1>组件示例：{title}</h1>
{body}
</div>
</main>
</body>
</html>
"""


def gallery(dest: Path) -> list[str]:
    """Write one page per example under dest/components/ (plus the assets); return the page paths.

    One page per example because several components carry fixed ids (a page has one of each).
    Components that are landmarks of their own (header, footer) are placed where a page puts
    them; the others go inside <main>.
    """
    (dest / "assets").mkdir(parents=True, exist_ok=True)
    (dest / "components").mkdir(parents=True, exist_ok=True)
    for name in ("style.css", "site.js", "police.png"):
        shutil.copy(BUILTIN_TEMPLATES / "assets" / name, dest / "assets" / name)
    (dest / "files").mkdir(exist_ok=True)         # the footer example's 党政机关网站标识
    shutil.copy(REPO / "content" / "files" / "dzjg-example.png", dest / "files" / "dzjg.png")
    nav = {"current": "components/index.html", "main_nav": [{"title": "首页", "url": "index.html"}]}
    skip_header = render("header", nav)
    pages = []
    for component, ex in all_examples():
        out = render(component, ex["params"])
        title = html.escape(f"{component} · {ex['name']}")
        lang = ex["params"].get("page_lang", DEFAULTS["page_lang"])
        if component == "header":
            page = PAGE.format(lang=lang, title=title, header=out, body="<p>页眉组件在页面顶部。</p>")
        elif component == "footer":
            page = PAGE.format(lang=lang, title=title, header=skip_header, body="<p>页脚组件在页面底部。</p>")
            page = page.replace("</main>", "</main>\n" + out)
        else:
            page = PAGE.format(lang=lang, title=title, header=skip_header, body=out or "<p>（此示例不输出内容）</p>")
        rel = f"components/{component}--{ex['name']}.html"
        (dest / rel).write_text(page, encoding="utf-8")
        pages.append(rel)
    return pages
