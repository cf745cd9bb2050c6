"""A page saved from a legacy portal (.html / .htm) → blocks, the metadata block, attachments.

The page is parsed with the standard library's forgiving parser into a small tree. Page furniture
(navigation, header, footer, scripts, share bars, elements whose class or id says nav / crumb /
footer / share …) is left out; tables with short cells are data tables (kept as tables, merged
cells resolved), a table of labels and values is the metadata block, and a table that holds the
page's layout is read as text. Links to files beside the page are its attachments.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import metadata
from .blocks import Para, Table
from .furniture import FURNITURE_CLASS_RE, FURNITURE_TAGS
from .model import Extracted
from .normalize import clean
from .textfile import decode, read_bytes

VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "param", "source",
                  "track", "wbr"})
BLOCK = frozenset({"p", "div", "section", "article", "main", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
                   "blockquote", "pre", "center", "ul", "ol", "dl", "table", "tr", "td", "th", "body", "font_block"})
ATTACHMENT_EXT = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar", "7z", "txt",
                            "jpg", "jpeg", "png", "gif", "ppt", "pptx", "csv", "odt", "ods"})
MAX_NODES = 200_000
MAX_CELLS = 200_000
MAX_DEPTH = 200


class Node:
    __slots__ = ("tag", "attrs", "children", "line", "parent")

    def __init__(self, tag, attrs, line, parent=None):
        self.tag, self.attrs, self.line, self.parent = tag, attrs, line, parent
        self.children: list = []


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, 1)
        self.cur = self.root
        self.depth = 0
        self.nodes = 0
        self.metas: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            name = (a.get("name") or a.get("property") or "").lower()
            if name:
                self.metas[name] = a.get("content", "")
            if a.get("charset"):
                self.metas["charset"] = a["charset"]
            return
        if tag == "title":
            self._in_title = True
        self.nodes += 1
        if self.nodes > MAX_NODES or self.depth > MAX_DEPTH:
            return
        node = Node(tag, a, self.getpos()[0], self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            if tag in ("p", "li", "tr", "td", "th", "dt", "dd") and self.cur.tag == tag:
                # an unclosed <p>/<li>/<td>: a new one closes the last (as browsers do)
                self.cur.children.pop()
                self.cur = self.cur.parent or self.root
                node.parent = self.cur
                self.cur.children.append(node)
            self.cur = node
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n is not self.root:
            self.cur = n.parent or self.root
            d, k = 0, self.cur
            while k is not None:
                d += 1
                k = k.parent
            self.depth = d - 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self.nodes <= MAX_NODES:
            self.cur.children.append(data)


def _hidden(node: Node) -> bool:
    if node.tag in FURNITURE_TAGS:
        return True
    names = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}"
    if FURNITURE_CLASS_RE.search(names):
        return True
    style = node.attrs.get("style", "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _text(node) -> str:
    if isinstance(node, str):
        return node
    if _hidden(node):
        return ""
    if node.tag == "br":
        return "\n"
    return "".join(_text(c) for c in node.children)


def _has(node: Node, tags: set) -> bool:
    for c in node.children:
        if isinstance(c, Node) and (c.tag in tags or _has(c, tags)):
            return True
    return False


def _grid(table: Node) -> tuple[list[list[str]], list[list[bool]], list[int]]:
    """Rows of a table with rowspan / colspan resolved (a merged cell fills every position it covers)."""
    rows = []

    def collect(n):
        for c in n.children:
            if isinstance(c, Node):
                if c.tag == "tr":
                    rows.append(c)
                elif c.tag in ("thead", "tbody", "tfoot"):
                    collect(c)
    collect(table)
    cells: list[list[str]] = []
    origin: list[list[bool]] = []
    lines: list[int] = []
    pending: dict[tuple[int, int], str] = {}
    rows = rows[:5000]
    budget = MAX_CELLS                      # bounded work: a hostile rowspan/colspan cannot blow up
    for r, tr in enumerate(rows):
        if budget <= 0:
            break
        row, orow, col = [], [], 0
        tds = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
        for td in tds:
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                orow.append(False)
                col += 1
            text = clean(_text(td).replace("\n", " "))
            try:
                cs = max(1, min(int(td.attrs.get("colspan", "1") or 1), 50))
                rs = max(1, min(int(td.attrs.get("rowspan", "1") or 1), 500, len(rows) - r))
            except ValueError:
                cs = rs = 1
            budget -= cs * rs
            if budget <= 0:
                break
            for k in range(cs):
                row.append(text)
                orow.append(k == 0)
                for dr in range(1, rs):
                    pending[(r + dr, col + k)] = text
            col += cs
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            orow.append(False)
            col += 1
        cells.append(row)
        origin.append(orow)
        lines.append(tr.line)
    return cells, origin, lines


class _Walker:
    def __init__(self, base: Path):
        self.base = base
        self.blocks: list = []
        self.meta_lines: list[str] = []
        self.attachments: list[tuple[Path, str]] = []
        self.missing: list[str] = []          # attachment links to files that are not beside the page
        self.inline: list[str] = []
        self.line = 0
        self.heading = 0
        self.bold = False
        self.center = False

    def flush(self):
        text = "".join(self.inline)
        self.inline = []
        for part in text.split("\n"):
            t = clean(part)
            if t:
                self.blocks.append(Para(t, line=self.line, heading=self.heading, bold=self.bold, center=self.center))
        self.heading, self.bold, self.center = 0, False, False

    def link(self, node: Node) -> bool:
        href = node.attrs.get("href", "")
        path = unquote(urlsplit(href).path) if href and "://" not in href and not href.startswith(("#", "mailto:", "javascript:")) else ""
        ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
        if ext not in ATTACHMENT_EXT:
            return False
        target = (self.base / path.lstrip("/")).resolve() if not path.startswith("/") else None
        title = clean(_text(node)) or Path(path).stem
        if target is not None and target.is_file():
            self.attachments.append((target, title))
            return True
        self.missing.append(path)
        return False

    def walk(self, node):
        if isinstance(node, str):
            self.inline.append(node)
            return
        if _hidden(node):
            return
        tag = node.tag
        if tag == "br":
            self.inline.append("\n")
            return
        if tag == "a" and self.link(node):
            return
        if tag == "table" and not _has(node, {"table", "p", "div", "h1", "h2", "h3"}):
            self.flush()
            cells, origin, lines = _grid(node)
            as_meta = metadata.table_fields(cells)
            if as_meta is not None:
                self.meta_lines.extend(as_meta)
                return
            if sum(len(c) for r in cells for c in r) / max(1, sum(len(r) for r in cells)) <= 200:
                self.blocks.append(Table(cells, origin, lines, node.line))
                return
        block = tag in BLOCK
        if block:
            self.flush()
            self.line = node.line
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.heading = int(tag[1])
            if node.attrs.get("align", "").lower() == "center" or "text-align:center" in node.attrs.get("style", "").replace(" ", "").lower():
                self.center = True
        if tag == "li":
            self.inline.append("- " if node.parent is None or node.parent.tag != "ol" else "1. ")
        for c in node.children:
            self.walk(c)
        if block:
            self.flush()


def read_html(path: Path) -> Extracted:
    raw = read_bytes(path)
    head = raw[:4096].decode("ascii", errors="replace")
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", head, re.I)
    text = decode(raw, m.group(1) if m else None)
    b = _Builder()
    try:
        b.feed(text)
        b.close()
    except (AssertionError, ValueError, RecursionError):   # (a truncated or hostile page: keep what was read)
        pass
    w = _Walker(path.parent)
    try:
        w.walk(b.root)
    except RecursionError:
        pass
    w.flush()
    hints = []
    for key in ("articletitle", "title", "og:title"):
        if b.metas.get(key):
            hints.append(clean(b.metas[key]))
    for blk in w.blocks:
        if isinstance(blk, Para) and blk.heading == 1:
            hints.append(blk.text)
            break
    page_title = clean(b.title)
    if page_title:
        hints.append(re.split(r"\s*[-_|–—]\s*", page_title)[0])
    meta_lines = list(w.meta_lines)
    for key, label in (("pubdate", "发布日期"), ("firstpublishedtime", "发布日期"), ("publishdate", "发布日期"),
                       ("keywords", "关键词"), ("contentsource", "发布机构")):
        if b.metas.get(key) and key != "keywords":
            meta_lines.append(f"{label}：{clean(b.metas[key])}")
    return Extracted(w.blocks, meta_lines=meta_lines, title_hints=[h for h in hints if h],
                     attachments=w.attachments, missing=w.missing, kind="html")
