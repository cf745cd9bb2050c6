"""Raw HTML in Markdown bodies (SPEC 3.4): report what :func:`xxgk.render.sanitize.clean_html` will remove.

:func:`find_unsafe_html` lists, with their line numbers in the Markdown source, the unsafe things
:func:`~xxgk.render.sanitize.clean_html` will remove (by the allow-list in render/sanitize.py), so
editors get a warning instead of a silent change. Raw HTML is read with the standard library's
:class:`html.parser.HTMLParser`; fenced code blocks and inline code spans are shown literally, so
their contents are not raw HTML and are skipped.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from html.parser import HTMLParser

from markdown.util import BLOCK_LEVEL_ELEMENTS

from .sanitize import (ATTRIBUTES, CLEAN_CONTENT_TAGS, GENERIC_ATTRIBUTES, MEDIA_ATTRIBUTES, MEDIA_TAGS,
                       MEDIA_URL_ATTRIBUTES, PRESENTATIONAL, TAG_ATTRIBUTE_VALUES, TAGS, _URL_NOISE, local_url)

__all__ = ["find_unsafe_html"]

UNSAFE_TAGS = frozenset({"script", "iframe", "form", "input", "button", "textarea", "select", "object",
                         "embed", "style", "frame", "frameset", "applet", "link", "meta", "base"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                            "background", "cite", "srcset"})
UNSAFE_SCHEMES = ("javascript", "vbscript", "data")

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")

# Python-Markdown's fenced_code: a fence of 3+ ` or ~ at the start of a line, closed by the same fence.
_FENCED = re.compile(r"^(?P<fence>`{3,}|~{3,})[^\n]*\n(?P<code>.*?)(?<=\n)(?P=fence)[ ]*$", re.M | re.S)
# Inline code: a run of backticks closed by a run of the same length, within one block.
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
_LIST_ITEM = re.compile(r"[ \t]*(?:[*+-]|[0-9]+\.)(?:[ \t]|$)")
_ATX_HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]|$)")
_HTML_BLOCK_START = re.compile(r"[ ]{0,3}<([A-Za-z][A-Za-z0-9]*)(?=[\s/>]|$)")
_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
_VOID_BLOCK_TAGS = frozenset({"hr"})
# Markdown link destinations and reference definitions (rendered as <a href>/<img src>).
_MD_LINK_URL = re.compile(
    r"\]\([ \t]*\n?[ \t]*<?(?P<url>[^\s)>]+)"                       # [text](url …) / ![alt](url …)
    r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?(?P<ref>[^\s>]+)",     # [label]: url
    re.M)
# attr_list: {: #id .class key=value } can set any attribute, event handlers included.
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]+?)[ \t]*\}")     # ([^{}: "x" + "{" × 200,000 stays linear)
_ATTR_PAIR = re.compile(r"""(?:^|\s)([^\s=#.'"{}]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")


def _unsafe_url(value: str) -> str | None:
    """The scheme of a URL that clean_html removes because it can run code, else None."""
    m = _SCHEME.match(_URL_NOISE.sub("", value).lower())
    if m and m.group(1) in UNSAFE_SCHEMES:
        return m.group(1)
    return None


def _attribute_problems(name: str, value: str | None) -> list[str]:
    if name.startswith("on") and len(name) > 2:
        return [f"已删除事件处理属性 {name}"]
    if name in URL_ATTRIBUTES and value:
        scheme = _unsafe_url(value)
        if scheme:
            return [f"已删除 {scheme}: 链接"]
    return []


def _allowed_attribute(tag: str, name: str, value: str | None) -> bool:
    if name in GENERIC_ATTRIBUTES or name in ATTRIBUTES.get(tag, ()) or name in MEDIA_ATTRIBUTES.get(tag, ()):
        return True
    return value in TAG_ATTRIBUTE_VALUES.get(tag, {}).get(name, ())


class _RawHtmlScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.media: list[list] = []      # open <video>/<audio>: [tag, line, has captions]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        kept = tag in TAGS or tag in MEDIA_TAGS
        if tag in UNSAFE_TAGS:
            self.found.append((line, f"已删除 <{tag}> 元素"))
        elif not kept and tag not in CLEAN_CONTENT_TAGS:
            self.found.append((line, f"已删除 <{tag}> 标记（保留其中的文字；版式由网站统一设置）"))
        for name, value in attrs:
            problems = _attribute_problems(name, value)
            for problem in problems:
                self.found.append((line, problem))
            if problems or not kept:
                continue
            if not _allowed_attribute(tag, name, value):
                why = "版式由网站统一设置" if name in PRESENTATIONAL else "不在允许的属性之列"
                self.found.append((line, f"已删除 <{tag}> 的 {name} 属性（{why}）"))
            elif tag in MEDIA_TAGS and name in MEDIA_URL_ATTRIBUTES and not local_url(value or ""):
                self.found.append((line, f"已删除 <{tag}> 的 {name}=\"{value}\"（视频、音频只能使用本站的文件，"
                                         "请放在 content/files/ 中并写相对路径，如 ../files/video.mp4）"))
        if tag in ("video", "audio"):
            self.media.append([tag, line, False])
        elif tag == "track" and self.media and dict(attrs).get("kind") in ("captions", "subtitles"):
            self.media[-1][2] = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("video", "audio") and self.media and self.media[-1][0] == tag:
            self._close_media()

    def close(self) -> None:
        super().close()
        while self.media:
            self._close_media()

    def _close_media(self) -> None:
        tag, line, captions = self.media.pop()
        if tag == "video" and not captions:
            self.found.append((line, "<video> 没有字幕：请加上 <track kind=\"captions\" src=\"../files/….vtt\" "
                                     "srclang=\"zh\" label=\"中文字幕\">（无障碍要求视频提供字幕）"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        # The standard library raises AssertionError on `<![foo`; HTML reads it as a bogus comment
        # running to the next `>`, and so do we.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            j = self.rawdata.find(">", i)
            return -1 if j < 0 else j + 1


_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})[^\n]*\n", re.M)
_FENCE_CLOSE = re.compile(r"^(`{3,}|~{3,})[ ]*$", re.M)


def fenced_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each match of _FENCED, found in O(n log n): the regular expression itself
    scans to the end of the text for every fence that is never closed (quadratic: ```a × 60,000
    never finishes). A block opened by a run of N marks closes at the first later line that is the
    same run (longest run first, as the expression backtracks) followed only by spaces."""
    import bisect
    closers: dict[str, list[tuple[int, int]]] = {}
    for m in _FENCE_CLOSE.finditer(text):
        closers.setdefault(m.group(1), []).append((m.start(), m.end()))
    starts = {k: [c[0] for c in v] for k, v in closers.items()}
    out, pos = [], 0
    while True:
        m = _FENCE_OPEN.search(text, pos)
        if m is None:
            return out
        run = m.group(1)
        found = None
        for k in range(len(run), 2, -1):
            fence = run[:k]
            i = bisect.bisect_left(starts.get(fence, ()), m.end())
            if i < len(starts.get(fence, ())):
                found = closers[fence][i]
                break
        if found is None:
            pos = m.start() + 1
            continue
        out.append((m.start(), found[1]))
        pos = found[1]


def _blank(match: re.Match) -> str:
    """The matched text with every character but newlines turned into a space (lines stay put)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _raw_block_end(lines: list[str], i: int, tag: str) -> int:
    """Index of the line where the raw HTML block opened by `tag` on line `i` closes (nesting of the
    same tag counted); the last line when it never closes."""
    if tag in _VOID_BLOCK_TAGS:
        return i
    opening = re.compile(rf"<{tag}(?![\w-])", re.I)
    closing = re.compile(rf"</{tag}\s*>", re.I)
    depth = 0
    for j in range(i, len(lines)):
        depth += len(opening.findall(lines[j])) - len(closing.findall(lines[j]))
        if depth <= 0:
            return j
    return len(lines) - 1


def _blank_indented_code(text: str, fenced: set[int]) -> tuple[str, set[int]]:
    """Blank Markdown's indented code blocks; return the text and the (0-based) lines of raw HTML
    blocks, where Markdown is not processed (so backticks there do not make code). `fenced`: the
    lines of fenced code blocks (already blank), each block a block of its own.

    Follows Python-Markdown: a block-level tag at the start of a line opens a raw HTML block up to
    its closing tag; a line indented by 4 columns after a blank line or a heading is code, inside a
    list item it takes 4 more columns than the item's text. Where this reading is unsure it keeps
    the text (a warning too many rather than one too few)."""
    lines = text.split("\n")
    raw: set[int] = set()
    n = len(lines)
    i = 0
    block_start = True          # after a blank line, a heading, code or a raw HTML block
    code_indent = 4             # indentation that makes code here (more inside a list item)
    after_code = False          # this line follows code directly: it stays in the same list item
    block_indented = False      # the current block began indented: it belongs to a list item
    while i < n:
        line = lines[i]
        if i in fenced:
            block_start, code_indent = True, 4
            i += 1
            continue
        if not line.strip():
            block_start = True
            i += 1
            continue
        indent = _indent(line)
        if block_start and indent >= code_indent:
            while i < n and (not lines[i].strip() or _indent(lines[i]) >= code_indent):
                after_code = bool(lines[i].strip())
                lines[i] = " " * len(lines[i])
                i += 1
            block_start = True
            continue
        m = _HTML_BLOCK_START.match(line)
        if m and m.group(1).lower() in _BLOCK_TAGS:
            end = _raw_block_end(lines, i, m.group(1).lower())
            raw.update(range(i, end + 1))
            i = end + 1
            block_start, code_indent = True, 4
            continue
        if block_start:
            block_indented = indent >= 4
        if _LIST_ITEM.match(line) and (block_start or code_indent > 4):
            code_indent = (indent // 4 + 2) * 4
        elif block_start and indent < 4 and not after_code:
            code_indent = 4
        after_code = False
        # A heading line splits its block; unless that block belongs to a list item, what follows
        # is outside any list.
        heading = bool(_ATX_HEADING.match(line))
        if heading and not block_indented:
            code_indent = 4
        block_start = heading
        i += 1
    return "\n".join(lines), raw


def _without_code(markdown_source: str) -> str:
    """The Markdown source with code (fenced blocks, indented blocks, inline code spans) blanked out,
    line and column positions unchanged."""
    text = markdown_source.replace("\r\n", " \n") if "\r" in markdown_source else markdown_source
    fenced: set[int] = set()
    if "```" in text or "~~~" in text:
        blocks = fenced_blocks(text)
        parts, last = [], 0
        for start, end in blocks:
            first = text.count("\n", 0, start)
            fenced.update(range(first, first + text.count("\n", start, end) + 1))
            parts += [text[last:start], re.sub(r"[^\n]", " ", text[start:end])]
            last = end
        text = "".join(parts) + text[last:]
    text, raw_lines = _blank_indented_code(text, fenced)
    if "`" in text:
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

        def blank_span(m: re.Match) -> str:
            if raw_lines and bisect_right(line_starts, m.start()) - 1 in raw_lines:
                return m.group(0)          # inside raw HTML: backticks are just characters
            return _blank(m)

        text = _CODE_SPAN.sub(blank_span, text)
    return text


def find_unsafe_html(markdown_source: str) -> list[tuple[int, str]]:
    """(1-based line in `markdown_source`, description in Chinese) for each unsafe thing that
    clean_html will remove: unsafe elements, event handler attributes and javascript:/vbscript:/
    data: URLs in raw HTML, plus the same URLs as Markdown link targets and event handlers written
    with attr_list. In order of appearance, without exact repeats."""
    text = _without_code(markdown_source)
    found: list[tuple[int, str]] = []

    if "<" in text:
        scanner = _RawHtmlScanner()
        scanner.feed(text)
        scanner.close()
        found.extend(scanner.found)

    if "](" in text or "]:" in text:
        for m in _MD_LINK_URL.finditer(text):
            url = m.group("url") or m.group("ref") or ""
            scheme = _unsafe_url(url)
            if scheme:
                found.append((text.count("\n", 0, m.start("url" if m.group("url") else "ref")) + 1,
                               f"已删除 {scheme}: 链接"))

    if "{" in text:
        for m in _ATTR_LIST.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            for pair in _ATTR_PAIR.finditer(m.group(1)):
                value = next((v for v in pair.group(2, 3, 4) if v is not None), "")
                name = pair.group(1).lower()
                problems = _attribute_problems(name, value)
                for problem in problems:
                    found.append((line, problem))
                if not problems and not any(name in attrs for attrs in (GENERIC_ATTRIBUTES, *ATTRIBUTES.values())):
                    why = "版式由网站统一设置" if name in PRESENTATIONAL else "不在允许的属性之列"
                    found.append((line, f"已删除属性 {name}（{why}）"))

    found.sort(key=lambda item: item[0])   # stable: document order within a line
    return list(dict.fromkeys(found))
