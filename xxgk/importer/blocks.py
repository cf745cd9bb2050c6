"""What every reader (Word, HTML page, text capture) turns a document into: a list of blocks.

A `Para` is one paragraph or line with what its formatting says (bold, larger, centred, red, a
heading tag or style, a list item); a `Table` is a grid with its merged cells resolved. The
document analysis (document.py) reads the fields from them; `to_markdown` writes the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import md_escape

# -- the numbering of 公文 headings: 一、 （一） 1. （1） ---------------------------------------------
_CN = "一二三四五六七八九十百零〇"
NUMBERING = (
    (re.compile(r"^第[" + _CN + r"\d]+[章编]"), 1),
    (re.compile(r"^[" + _CN + r"]+、"), 1),
    (re.compile(r"^第[" + _CN + r"\d]+节"), 2),
    (re.compile(r"^[（(][" + _CN + r"]+[）)]"), 2),
    (re.compile(r"^\d{1,2}\s*[.．、](?!\d)"), 3),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 4),
)
_FIRST = frozenset("第（(0123456789" + _CN)
_SENTENCE_RE = re.compile(r"[。；;，,：:！？!?]")
HEADING_MAX = 40


def numbering_level(text: str) -> int:
    """1 for 一、, 2 for （一）, 3 for 1., 4 for （1）; 0 when not numbered."""
    if not text or text[0] not in _FIRST:
        return 0
    for rx, level in NUMBERING:
        if rx.match(text):
            return level
    return 0


def heading_like(text: str) -> bool:
    """Short and not a sentence: a line that can be a heading."""
    body = text.rstrip("。")
    return 0 < len(body) <= HEADING_MAX and not _SENTENCE_RE.search(body)


@dataclass
class Para:
    text: str
    line: int = 0             # where it is in the source (1-based; 0 when unknown)
    bold: bool = False        # all of its text bold
    larger: int = 0           # font size above the body's: 0 same, 1 larger, 2 much larger (a title)
    center: bool = False
    right: bool = False
    red: bool = False         # red text: the 发文机关标志 of a 红头文件
    heading: int = 0          # a heading tag or style (h2 → 2 …); 0 none
    list_kind: str | None = None   # "ul" / "ol" for list items
    blank: bool = False       # a line with only spaces (an empty table cell in a capture)
    special_font: bool = False     # 黑体 / 楷体 … where the body is 仿宋: how 公文 mark headings


@dataclass
class Table:
    cells: list[list[str]]                    # merged cells repeated in every grid position they cover
    origin: list[list[bool]] = field(default_factory=list)   # False where a merged cell continues
    row_lines: list[int] = field(default_factory=list)
    line: int = 0

    def __post_init__(self):
        width = max((len(r) for r in self.cells), default=0)
        self.cells = [r + [""] * (width - len(r)) for r in self.cells]
        if not self.origin:
            self.origin = [[True] * width for _ in self.cells]
        self.origin = [r + [True] * (width - len(r)) for r in self.origin]
        if len(self.row_lines) < len(self.cells):
            self.row_lines = self.row_lines + [self.line] * (len(self.cells) - len(self.row_lines))

    @property
    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)


Block = Para | Table


# -- Markdown -----------------------------------------------------------------------------------
_NUMERIC_RE = re.compile(r"^[\d.,，%‰\-—/／]*\d[\d.,，%‰]*$")


def is_number(text: str) -> bool:
    return bool(_NUMERIC_RE.match(text.strip()))


def _cell(text: str) -> str:
    return md_escape(text.replace("\n", " ").strip()).replace("|", "\\|") or " "


def table_markdown(t: Table) -> str:
    rows = [r for r in t.cells if any(c.strip() for c in r)]
    if not rows:
        return ""
    keep = [j for j in range(t.width) if any(r[j].strip() for r in rows)]
    rows = [[r[j] for j in keep] for r in rows]
    if not keep:
        return ""
    head = rows[0]
    if any(is_number(c) for c in head) or len(rows) == 1:
        head, body = [""] * len(keep), rows            # no header row: the columns stay unnamed
    else:
        body = rows[1:]
    out = ["| " + " | ".join(_cell(c) if c.strip() else " " for c in head) + " |",
           "|" + "---|" * len(keep)]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in body]
    return "\n".join(out)


def para_markdown(p: Para, level: int) -> str:
    text = md_escape(p.text.strip())
    if level:
        return "#" * min(level + 1, 6) + " " + text
    if p.list_kind == "ul":
        return "- " + text
    if p.list_kind == "ol":
        return "1. " + text
    if p.bold and len(text) <= 80:
        return f"**{text}**"
    return text


def to_markdown(blocks: list[tuple[Block, int]]) -> str:
    """Blocks with their heading level (0 = not a heading) → the Markdown body."""
    parts: list[str] = []
    prev_list = None
    for b, level in blocks:
        if isinstance(b, Table):
            md = table_markdown(b)
            if md:
                parts.append(md)
            prev_list = None
            continue
        if not b.text.strip():
            continue
        md = para_markdown(b, level)
        if b.list_kind and prev_list == b.list_kind and parts:
            parts[-1] += "\n" + md                      # items of one list stay together
        else:
            parts.append(md)
        prev_list = b.list_kind if not level else None
    return "\n\n".join(parts) + ("\n" if parts else "")
