"""Raw HTML in Markdown bodies: find what will be removed (with its line), and remove it with nh3."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

UNSAFE_TAGS = {"script", "iframe", "form", "input", "button", "textarea", "select", "object", "embed", "style",
               "frame", "frameset", "link", "meta", "base"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data"}
BAD_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.I)

TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr",
        "th", "td", "caption", "colgroup", "col", "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup",
        "small", "mark", "abbr", "code", "pre", "blockquote", "hr", "br", "img", "div", "span", "section", "figure",
        "figcaption", "dl", "dt", "dd", "details", "summary", "cite", "q", "kbd", "var", "time", "address"}
ATTRIBUTES = {
    "*": {"id", "class", "lang", "title", "dir", "role", "aria-label", "aria-describedby", "aria-hidden"},
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type"},
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "abbr": {"title"},
}
CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "frameset", "textarea", "select", "button"}


def clean_html(html: str) -> str:
    """Sanitise rendered HTML with an allow-list that keeps all Python-Markdown produces."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, clean_content_tags=CLEAN_CONTENT,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel=None, strip_comments=True,
                     filter_style_properties={"text-align"})


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        if tag in UNSAFE_TAGS:
            self.found.append((line, f"已删除 <{tag}> 元素"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, f"已删除事件处理属性 {name}"))
            elif name in URL_ATTRS and value and BAD_SCHEMES.match(value):
                scheme = BAD_SCHEMES.match(value).group(1).split(":")[0].strip().lower()
                self.found.append((line, f"已删除 {scheme}: 链接"))

    handle_startendtag = handle_starttag


_CODE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[^\n]*$|`[^`\n]+`", re.M | re.S)


def find_unsafe_html(markdown_source: str) -> list[tuple[int, str]]:
    """(line, description) of each unsafe thing in the raw HTML of a Markdown body (code is literal)."""
    if "<" not in markdown_source:
        return []
    blanked = _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), markdown_source)
    if "<" not in blanked:
        return []
    finder = _Finder()
    try:
        finder.feed(blanked)
        finder.close()
    except Exception:  # noqa: BLE001 - HTMLParser is lenient; never fail a build on a report
        pass
    return finder.found
