"""Markdown bodies → safe HTML, with links to other entries' .md files turned into page links."""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from ..validate.site import resolve_md_link

EXTENSIONS = ["tables", "footnotes", "attr_list", "def_list", "abbr", "sane_lists", "fenced_code"]


class _LinkRewriter(Treeprocessor):
    """`../policies/x.md#part` → `../policies/x.html#part`, relative to the page being written."""

    def __init__(self, md, converter: "BodyRenderer"):
        super().__init__(md)
        self.converter = converter

    def run(self, root: etree.Element) -> None:
        for el in root.iter("a"):
            href = el.get("href") or ""
            path, sep, frag = href.partition("#")
            if not path.endswith(".md"):
                continue
            target = resolve_md_link(self.converter.entry_path, path)
            if target and target in self.converter.published:
                el.set("href", f"../{target}.html" + (sep + frag if frag else ""))
            else:  # an entry not published (yet): keep the words, drop the link
                el.attrib.pop("href", None)
                el.tag = "span"


class _Structure(Treeprocessor):
    """Fit a body under the page's h1: its heading levels become h2, h3 … with no level skipped, and
    each table gets a caption (the heading or bold line just before it, else 表 N) and column scopes."""

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        levels = sorted({int(el.tag[1]) for el in headings})
        new_level = {lvl: min(2 + i, 6) for i, lvl in enumerate(levels)}
        for el in headings:
            el.tag = f"h{new_level[int(el.tag[1])]}"
        n = 0
        for parent in root.iter():
            previous = None
            for child in list(parent):
                if child.tag == "table":
                    n += 1
                    if child.find("caption") is None:
                        cap = etree.Element("caption")
                        cap.text = self._caption_from(previous) or f"表{n}"
                        child.insert(0, cap)
                    for th in child.iter("th"):
                        th.set("scope", "col")
                previous = child

    @staticmethod
    def _caption_from(el) -> str | None:
        if el is None:
            return None
        text = "".join(el.itertext()).strip()
        if el.tag in ("h2", "h3", "h4", "h5", "h6"):
            return text or None
        if el.tag == "p" and len(el) == 1 and el[0].tag in ("strong", "b") and not (el.text or "").strip() \
                and not (el[0].tail or "").strip():
            return text or None
        return None


class _Rewrite(Extension):
    def __init__(self, converter):
        super().__init__()
        self.converter = converter

    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_LinkRewriter(md, self.converter), "xxgk-links", 1)
        md.treeprocessors.register(_Structure(md), "xxgk-structure", 2)


class BodyRenderer:
    """One reusable Markdown converter (building one costs far more than a reset)."""

    def __init__(self, published: set[str]):
        self.published = published          # {'policies/x', ...}
        self.entry_path = ""
        self.md = markdown.Markdown(
            extensions=EXTENSIONS + ["toc", _Rewrite(self)],
            extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
                               "footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处"}},
            output_format="html",
        )

    def render(self, entry_path: str, body: str) -> tuple[str, list[dict]]:
        from .sanitize import clean_html
        self.entry_path = entry_path
        self.md.reset()
        out = self.md.convert(body)
        toc = getattr(self.md, "toc_tokens", [])
        return clean_html(out), toc


_TAG_RE = re.compile(r"<[^>]+>")
_WS_RE = re.compile(r"\s+")


def plain_text(fragment: str) -> str:
    return _WS_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", fragment))).strip()


def derive_summary(body_html: str, limit: int = 120) -> str:
    # skip headings and tables: the first paragraphs read best as a summary
    paras = re.findall(r"<p[^>]*>(.*?)</p>", body_html, re.S)
    text = plain_text(" ".join(paras[:3])) or plain_text(body_html)
    return text if len(text) <= limit else text[:limit].rstrip() + "……"
