"""xxgk.render.sanitize and sanitize_report: warnings for unsafe raw HTML and the nh3 allow-list (SPEC 3.4)."""
from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from xxgk.render.sanitize import clean_html
from xxgk.render.sanitize_report import find_unsafe_html

# What the site renders bodies with (xxgk/render/markdown.py), HTML output.
SITE_EXTENSIONS = ["tables", "footnotes", "attr_list", "def_list", "abbr", "sane_lists", "fenced_code", "toc"]


def render(src: str) -> str:
    return markdown.markdown(src, extensions=SITE_EXTENSIONS, output_format="html")


class _Events(HTMLParser):
    """A document as parsed events: tags with every attribute and value, text with references resolved."""

    VOID = {"br", "hr", "img", "col", "wbr", "input"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs)))
        if tag in self.VOID:
            self.events.append(("end", tag))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + data)
        else:
            self.events.append(("text", data))

    def handle_comment(self, data):
        self.events.append(("comment", data))


def events(html: str) -> list[tuple]:
    return _Events(html).events


# ------------------------------------------------------------------------ unsafe things are reported

UNSAFE_CASES = [
    # (markdown source, expected (line, description), text that must not survive clean_html)
    ("正文\n\n<script>alert(1)</script>\n", (3, "已删除 <script> 元素"), ["<script", "alert"]),
    ("第一段\n\n第二段\n\n<iframe src=\"https://evil.example/\"></iframe>\n", (5, "已删除 <iframe> 元素"),
     ["<iframe", "evil.example"]),
    ("<form action=\"/submit\">\n<input name=\"q\">\n</form>\n", (1, "已删除 <form> 元素"), ["<form", "<input"]),
    ("<form action=\"/submit\">\n<input name=\"q\">\n</form>\n", (2, "已删除 <input> 元素"), ["<input"]),
    ("段落\n\n<button>提交</button>\n", (3, "已删除 <button> 元素"), ["<button"]),
    ("<textarea>默认文字</textarea>\n", (1, "已删除 <textarea> 元素"), ["<textarea", "默认文字"]),
    ("<select><option>一</option></select>\n", (1, "已删除 <select> 元素"), ["<select", "<option"]),
    ("<object data=\"movie.swf\"></object>\n", (1, "已删除 <object> 元素"), ["<object", "movie.swf"]),
    ("<embed src=\"movie.swf\">\n", (1, "已删除 <embed> 元素"), ["<embed", "movie.swf"]),
    ("<style>body { display: none }</style>\n", (1, "已删除 <style> 元素"), ["<style", "display"]),
    ("<frameset><frame src=\"a.html\"></frameset>\n", (1, "已删除 <frame> 元素"), ["<frame", "a.html"]),
    ("标题\n\n<div class=\"note\"\n     onclick=\"steal()\">注意</div>\n", (3, "已删除事件处理属性 onclick"),
     ["onclick", "steal"]),
    ("<img src=\"files/a.png\" onerror=\"x()\" alt=\"图\">\n", (1, "已删除事件处理属性 onerror"), ["onerror"]),
    ("<a href=\"javascript:alert(1)\">点我</a>\n", (1, "已删除 javascript: 链接"), ["javascript"]),
    ("<a href=\" JaVa&#x09;ScRiPt:alert(1)\">点我</a>\n", (1, "已删除 javascript: 链接"), ["alert"]),
    ("<a href=\"vbscript:msgbox(1)\">点我</a>\n", (1, "已删除 vbscript: 链接"), ["vbscript"]),
    ("<a href=\"data:text/html;base64,PHNjcmlwdD4=\">点我</a>\n", (1, "已删除 data: 链接"), ["data:"]),
    ("<p>\n<button formaction=\"javascript:x()\">b</button>\n</p>\n", (2, "已删除 javascript: 链接"),
     ["javascript", "formaction"]),
    ("正文\n\n[点我](javascript:alert(1))\n", (3, "已删除 javascript: 链接"), ["javascript"]),
    ("正文[点我][x]\n\n[x]: javascript:alert(1)\n", (3, "已删除 javascript: 链接"), ["javascript"]),
    ("## 标题 {: onclick=\"x()\" }\n", (1, "已删除事件处理属性 onclick"), ["onclick"]),
]


@pytest.mark.parametrize("src, expected, gone", UNSAFE_CASES)
def test_unsafe_html_is_reported_with_its_line_and_removed(src, expected, gone):
    assert expected in find_unsafe_html(src)
    out = clean_html(render(src))
    for text in gone:
        assert text not in out.lower(), out


def test_every_unsafe_thing_is_reported_in_order():
    src = ("# 标题\n\n"
           "<script src=\"x.js\"></script>\n"
           "<p onmouseover=\"a()\" onclick=\"b()\">文字</p>\n\n"
           "<iframe src=\"https://x.example\"></iframe>\n")
    assert find_unsafe_html(src) == [
        (3, "已删除 <script> 元素"),
        (4, "已删除事件处理属性 onmouseover"),
        (4, "已删除事件处理属性 onclick"),
        (6, "已删除 <iframe> 元素"),
    ]


def test_script_content_is_removed_entirely():
    out = clean_html(render("前\n\n<script>document.write('<b>x</b>')</script>\n\n<style>p{color:red}</style>\n\n后"))
    assert "document" not in out and "color" not in out and "<b>" not in out
    assert "前" in out and "后" in out


# ------------------------------------------------------------------ code is shown literally: no warning

@pytest.mark.parametrize("src", [
    "示例：\n\n```html\n<script>alert(1)</script>\n<a href=\"javascript:x\" onclick=\"y\">z</a>\n```\n",
    "示例：\n\n~~~\n<iframe src=\"x\"></iframe>\n~~~\n",
    "~~~~\n```\n<form></form>\n```\n~~~~\n",
    "行内代码 `<script>alert(1)</script>` 不执行。",
    "双反引号 ``<a onclick=\"x\">`` 也是代码。",
    "缩进代码：\n\n    <script>alert(1)</script>\n",
    "- 列表项\n\n        <script>alert(1)</script>\n",
])
def test_code_produces_no_warning(src):
    assert find_unsafe_html(src) == []
    out = clean_html(render(src))
    assert "<script" not in out and "<iframe" not in out and "<form" not in out
    assert "&lt;" in out      # shown literally


def test_unsafe_html_after_a_code_block_keeps_its_line():
    src = "```\n<script>1</script>\n```\n\n`<script>`\n\n<script>2</script>\n"
    assert find_unsafe_html(src) == [(7, "已删除 <script> 元素")]


def test_backticks_inside_a_raw_html_block_are_not_code():
    # Python-Markdown does not process Markdown inside a raw <div> block: this script is live HTML
    src = "<div>\n`<script>x()</script>`\n</div>\n"
    assert "<script" in render(src)
    assert find_unsafe_html(src) == [(2, "已删除 <script> 元素")]


def test_an_unclosed_fence_is_not_code():
    src = "```\n<script>x()</script>\n"
    assert "<script" in render(src)          # Python-Markdown renders it as raw HTML
    assert find_unsafe_html(src) == [(2, "已删除 <script> 元素")]


@pytest.mark.parametrize("src", [
    "普通正文，a < b 且 c > d。",
    "<div class=\"note\" id=\"n1\">\n<p>说明</p>\n</div>\n",
    "<a href=\"https://www.gov.cn/\" title=\"中国政府网\">链接</a> <a href=\"../policies/a.md\">原文</a>",
    "[邮件](mailto:a@example.com) [电话](tel:12345) ![图](files/a.png)",
    "<!-- 编辑备注 <script> -->",
    "{: .lead }\n\n设置 onclick 的说明文字",
    "<![if gte mso 9]> 文字",
    "<![foo 损坏的标记",
])
def test_safe_or_harmless_sources_produce_no_warning(src):
    assert find_unsafe_html(src) == []


def test_crlf_line_endings():
    src = "a\r\n\r\n```\r\n<script>x</script>\r\n```\r\n\r\n<iframe></iframe>\r\n"
    assert find_unsafe_html(src) == [(7, "已删除 <iframe> 元素")]


# --------------------------------------------------------------------------------- the allow-list

FOOTNOTE_TABLE_DOC = """\
# 关于开展试点工作的通知 {#notice .lead}

## 一、工作目标

| 项目 | 数量 | 备注 |
|:-----|-----:|:----:|
| 申请[^1] | 12 | 当面 |
| 办结 | 10 | *按期* |

## 二、工作要求 {: #req title="要求" }

各单位应当按期报送[^note]。详见[原文](../policies/a.md "原文")和[中国政府网](https://www.gov.cn/)。

![示意图](files/chart.png "图一"){: width="320" height="200" loading="lazy" }

[^1]: 含网上申请。
[^note]: 报送地址：[邮箱](mailto:gk@example.gov.cn)。
"""


def test_python_markdown_output_passes_through_unchanged():
    html = markdown.markdown(FOOTNOTE_TABLE_DOC, extensions=["tables", "footnotes", "toc", "attr_list"])
    # sanity: the document uses what the allow-list must keep
    for needle in ('id="notice"', 'class="lead"', 'style="text-align: left;"', 'class="footnote-ref"',
                   'id="fn:1"', 'class="footnote-backref"', 'title="Jump back', 'id="req"', "<table>",
                   'loading="lazy"', 'href="mailto:', "<hr"):
        assert needle in html, needle
    cleaned = clean_html(html)
    # every element, attribute and attribute value, and all text, kept exactly
    assert events(cleaned) == events(html)
    # byte for byte, apart from html5ever's spelling of void tags and two character references
    assert cleaned == (html.replace(" />", ">").replace("&#160;", "&nbsp;").replace("&#8617;", "\u21a9"))


def test_site_rendering_passes_through_unchanged():
    src = FOOTNOTE_TABLE_DOC + """
术语
:   释义

*[HTML]: 超文本标记语言

HTML 文本。

```python
print(1)
```

3. 第三
4. 第四
"""
    html = markdown.markdown(src, extensions=SITE_EXTENSIONS + ["toc"],
                             extension_configs={"toc": {"permalink": True},
                                                "footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处"}},
                             output_format="html")
    for needle in ("<dl>", "<abbr title=", 'class="language-python"', '<ol start="3">', 'class="headerlink"'):
        assert needle in html, needle
    assert events(clean_html(html)) == events(html)


def test_clean_html_is_deterministic_and_idempotent():
    html = render(FOOTNOTE_TABLE_DOC + "\n<a href=\"https://x\" onclick=\"y\" target=\"_blank\">x</a>\n")
    once = clean_html(html)
    assert clean_html(html) == once
    assert clean_html(once) == once


def test_links_are_kept_as_written():
    out = clean_html('<p><a href="https://www.gov.cn/" target="_blank">a</a> <a href="../policies/b.html#x">b</a> '
                     '<a href="mailto:a@b.cn">c</a> <a href="tel:+861012345">d</a> <a href="ftp://x/y">e</a> '
                     '<a href="#fn:1" rel="footnote">f</a></p>')
    assert out == ('<p><a href="https://www.gov.cn/">a</a> <a href="../policies/b.html#x">b</a> '
                   '<a href="mailto:a@b.cn">c</a> <a href="tel:+861012345">d</a> <a>e</a> '
                   '<a href="#fn:1" rel="footnote">f</a></p>')


def test_disallowed_attributes_and_styles_are_dropped():
    out = clean_html('<table><tbody><tr><td style="text-align: right;">1</td><td style="color: red">2</td>'
                     '<td style="text-align: right; position: fixed">3</td></tr></tbody></table>'
                     '<p style="text-align: left;" aria-label="说明" aria-hidden="true" data-x="1" lang="en">x</p>'
                     '<!-- 备注 -->')
    assert out == ('<table><tbody><tr><td style="text-align: right;">1</td><td>2</td><td>3</td></tr></tbody>'
                   '</table><p aria-label="说明" aria-hidden="true" lang="en">x</p>')


def test_unknown_and_dangerous_elements():
    out = clean_html('<p>a<svg><script>x()</script></svg><math>m</math><iframe src="https://x">f</iframe>'
                     '<noscript>n</noscript><link rel="stylesheet" href="x.css"><base href="https://x/">b</p>')
    assert "script" not in out and "iframe" not in out and "svg" not in out and "<link" not in out
    assert "<base" not in out and "x()" not in out
    assert out.startswith("<p>a")
