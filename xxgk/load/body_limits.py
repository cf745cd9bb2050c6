"""Bodies whose shape would make Markdown (or the checks before it) take minutes, or recurse until
Python gives up, are refused before any of that runs, with the line to fix.

Python-Markdown is not linear in everything: brackets that never close ("[" × 8,000 takes 29 s and
grows with the cube), fences that never close, "<" that never close, lists nested hundreds deep
(RecursionError). No real document has these shapes; each limit below is far above what a pasted
government document holds and far below where the time grows to seconds. The scan is one pass of
linear regular expressions over the body.
"""
from __future__ import annotations

import re

MAX_BRACKET_DEPTH = 100        # "[" not yet closed by "]", within one paragraph
MAX_INDENT = 200               # columns of leading blanks, quote marks and list markers (≈ 50 levels)
MAX_FENCES = 2000              # lines opening or closing a ``` / ~~~ code block
MAX_UNCLOSED_TAGS = 1000       # "<" followed by another "<" before any ">"
MAX_UNCLOSED_ELEMENTS = 1000  # of one HTML element name, opened more often than closed ("<div>" × 60,000: 15 s)
MAX_OPEN_LINKS = 200           # "](" not closed by ")" before the next "](" ("[a](" × 5,000: minutes)
MAX_BACKTICKS = 2000           # inline "`" or "``" within one paragraph (each unclosed one is searched to its end)

_BRACKETS = re.compile(r"\\.|[\[\]]|\n[ \t]*\n")
_LEADING = re.compile(r"^(?:[ >]|\t|(?:[*+-]|[0-9]{1,9}[.)])(?=[ \t]))+", re.M)
_FENCE = re.compile(r"^[ ]{0,3}(?:`{3,}|~{3,})", re.M)
_UNCLOSED_TAG = re.compile(r"<[^<>]*(?=<)")
_OPEN_LINK = re.compile(r"\]\((?:[^)\]]|\](?!\())*(?=\]\(|$)", re.S)
MAX_TICK_RUN = 64
_INLINE_TICKS = re.compile(r"(?<!`)`{1,2}(?!`)")     # (runs of three or more open or close code blocks)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]{0,15})(?=[\s/>])")
# elements that have no end tag, or whose end tag HTML lets one leave out
_NO_END_TAG = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                         "track", "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "thead",
                         "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "caption"})
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")


def _line(body: str, offset: int) -> int:
    return body.count("\n", 0, offset)


def problem(body: str) -> tuple[int, str] | None:
    """(0-based line in `body`, message in Chinese) for the first shape refused, or None."""
    if "[" in body:
        depth = 0
        for m in _BRACKETS.finditer(body):
            c = m.group()
            if c == "[":
                depth += 1
                if depth > MAX_BRACKET_DEPTH:
                    return (_line(body, m.start()),
                            f"一段正文中有超过 {MAX_BRACKET_DEPTH} 个没有配对的“[”（或嵌套过深），Markdown 处理它需要极长时间；"
                            "请删去多余的“[”，或写成“\\[”")
            elif c == "]":
                depth = max(depth - 1, 0)
            elif c[0] == "\n":
                depth = 0                            # a blank line ends the paragraph
    for m in _LEADING.finditer(body):
        if len(m.group().expandtabs(4)) > MAX_INDENT:
            return (_line(body, m.start()),
                    f"列表或引用嵌套过深（行首缩进和列表符号超过 {MAX_INDENT} 列），无法排版；请减少嵌套层数")
    if "```" in body or "~~~" in body:
        fences = 0
        for m in _FENCE.finditer(body):
            fences += 1
            if fences > MAX_FENCES:
                return (_line(body, m.start()),
                        f"代码块标记（``` 或 ~~~）超过 {MAX_FENCES} 个，Markdown 处理它需要极长时间；请检查是否多写了代码块标记")
    if body.count("<") > MAX_UNCLOSED_TAGS:
        n = 0
        for m in _UNCLOSED_TAG.finditer(body):
            n += 1
            if n > MAX_UNCLOSED_TAGS:
                return (_line(body, m.start()),
                        f"有超过 {MAX_UNCLOSED_TAGS} 个没有以“>”结束的“<”，处理它需要极长时间；"
                        "表示“小于”请写成 &lt; 或全角“＜”")
    if body.count("<") > MAX_UNCLOSED_ELEMENTS:
        open_count: dict[str, int] = {}
        for m in _TAG.finditer(body):
            name = m.group(2).lower()
            if name in _NO_END_TAG:
                continue
            n = open_count.get(name, 0) + (-1 if m.group(1) else 1)
            open_count[name] = n
            if n > MAX_UNCLOSED_ELEMENTS:
                return (_line(body, m.start()),
                        f"HTML 标签 <{name}> 开始了超过 {MAX_UNCLOSED_ELEMENTS} 次却没有相应的 </{name}>，处理它需要极长时间；"
                        "请补上结束标签或删去多余的开始标签")
    if body.count("](") > MAX_OPEN_LINKS:
        n = 0
        for m in _OPEN_LINK.finditer(body):
            n += 1
            if n > MAX_OPEN_LINKS:
                return (_line(body, m.start()),
                        f"有超过 {MAX_OPEN_LINKS} 个没有以“)”结束的链接“](”，Markdown 处理它需要极长时间；请补上“)”或删去多余的“](”")
    if "`" * (MAX_TICK_RUN + 1) in body:
        return (_line(body, body.index("`" * (MAX_TICK_RUN + 1))),
                f"有连续超过 {MAX_TICK_RUN} 个反引号“`”，处理它需要极长时间；代码块标记用三个 ``` 即可")
    if body.count("`") > MAX_BACKTICKS:
        start = 0
        for end in [m.start() for m in _PARAGRAPH_END.finditer(body)] + [len(body)]:
            if body.count("`", start, end) > MAX_BACKTICKS and \
                    sum(1 for _ in _INLINE_TICKS.finditer(body, start, end)) > MAX_BACKTICKS:
                return (_line(body, start),
                        f"一段正文中有超过 {MAX_BACKTICKS} 个反引号“`”，处理它需要极长时间；请删去多余的“`”，或把代码放进代码块")
            start = end
    return None
