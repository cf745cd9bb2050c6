"""Markdown bodies → safe HTML, with links to other entries' .md files turned into page links."""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor, slugify_unicode
from markdown.treeprocessors import InlineProcessor, Treeprocessor, UnescapeTreeprocessor

from .. import budget
from ..diagnostics import ContentError, Diagnostics
from ..validate.site import resolve_md_link
from .sanitize import clean_html

EXTENSIONS = ["tables", "footnotes", "attr_list", "def_list", "abbr", "sane_lists", "fenced_code"]
EXTENSION_CONFIGS = {"footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处"}}


def _extensions() -> list[Extension]:
    """EXTENSIONS made here, from their modules, as Markdown makes an extension it finds no entry point
    for: given their names, Markdown first looks for entry points among every installed package's
    metadata (importlib.metadata: 25–30 ms of a resumed build's 0.5 s)."""
    import importlib
    return [importlib.import_module(f"markdown.extensions.{name}").makeExtension(**EXTENSION_CONFIGS.get(name, {}))
            for name in EXTENSIONS]


# Python-Markdown's inline patterns (those of the extensions in use) and, for each, what any text
# it can match must contain (one of the strings, for a tuple). A text containing none of these can
# match no pattern, so inline processing would leave it as it is. Keyed by (name, class, regular
# expression): a pattern not listed here, or one another Markdown version changed, turns the
# shortcut off.
_INLINE_TRIGGERS = {
    ("backtick", "BacktickInlineProcessor", r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): "`",
    ("escape", "EscapeInlineProcessor", r"\\(.)"): "\\",
    ("footnote", "FootnoteInlineProcessor", r"\[\^([^\]]*)\]"): "[",
    ("reference", "ReferenceInlineProcessor", r"(?<!\!)\["): "[",
    ("link", "LinkInlineProcessor", r"(?<!\!)\["): "[",
    ("image_link", "ImageInlineProcessor", r"\!\["): "[",
    ("image_reference", "ImageReferenceInlineProcessor", r"\!\["): "[",
    ("short_reference", "ShortReferenceInlineProcessor", r"(?<!\!)\["): "[",
    ("short_image_ref", "ShortImageReferenceInlineProcessor", r"\!\["): "[",
    ("autolink", "AutolinkInlineProcessor", r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"): "<",
    ("automail", "AutomailInlineProcessor", r"<([^<> !]+@[^@<> ]+)>"): "<",
    ("linebreak", "SubstituteTagInlineProcessor", r"  \n"): "  \n",
    ("html", "HtmlInlineProcessor",
     r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"""): "<",
    ("entity", "HtmlInlineProcessor", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"): "&",
    ("em_strong", "DelimiterProcessor", r"\*|_"): ("*", "_"),
}


def _as_tuple(t):
    return t if isinstance(t, tuple) else (t,)


class _FastInline(InlineProcessor):
    """Python-Markdown's InlineProcessor, except that a text none of whose inline patterns can match
    (most of a Chinese body: no `[`, `*`, `<`, `&` … in it) is returned at once instead of being
    tried against every pattern in turn. The result is the same; only the futile tries go."""

    def __init__(self, md):
        super().__init__(md)
        self._signature = None
        self._trigger = None

    def _triggers(self):
        sig = tuple((name, type(p).__name__, getattr(p, "pattern", None))
                    for name, p in zip(self.inlinePatterns._data, self.inlinePatterns._data.values()))
        if sig != self._signature:
            needed = []
            for key in sig:
                if key in _INLINE_TRIGGERS:
                    needed.extend(_as_tuple(_INLINE_TRIGGERS[key]))
                else:
                    needed = None
                    break
            self._signature = sig
            self._trigger = None if needed is None else re.compile("|".join(map(re.escape, sorted(set(needed)))))
        return self._trigger

    def run(self, tree, ancestors=None):
        self._triggers()
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # noqa: N802 - overrides the private method
        if self._trigger is not None and self._trigger.search(data) is None:
            return data
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)


class _Unescape(UnescapeTreeprocessor):
    """Python-Markdown's, skipping the regular-expression pass over texts with no escape in them."""

    def unescape(self, text: str) -> str:
        return super().unescape(text) if util.STX in text else text


class _TocTreeprocessor(TocTreeprocessor):
    """The toc extension's, minus the work for a `[TOC]` marker the body does not have: it looks for
    the marker once, and builds the table of contents' own HTML (md.toc, which nothing here reads)
    only when there is one to replace. Heading ids and toc_tokens are made exactly as before."""

    _has_marker = True

    def run(self, doc: etree.Element) -> None:
        marker = self.marker
        self._has_marker = bool(marker) and any(el.text and marker in el.text for el in doc.iter())
        super().run(doc)

    def build_toc_div(self, toc_list: list) -> etree.Element:
        if self._has_marker:
            return super().build_toc_div(toc_list)
        return etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self._has_marker:
            super().replace_marker(root, elem)


class _Toc(TocExtension):
    TreeProcessorClass = _TocTreeprocessor


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


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _Structure(Treeprocessor):
    """Fit a body under the page's h1: its heading levels become h2, h3 … with no level skipped, and
    each table gets a caption (the heading or bold line just before it, else 表 N) and column scopes."""

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in _HEADINGS]
        levels = sorted({int(el.tag[1]) for el in headings})
        new_level = {lvl: min(2 + i, 6) for i, lvl in enumerate(levels)}
        for el in headings:
            el.tag = f"h{new_level[int(el.tag[1])]}"
        if root.find(".//table") is None:
            return
        n = 0
        for parent in root.iter():
            if parent.find("table") is None:        # only parents of tables: the rest has nothing to do
                continue
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
        md.treeprocessors.register(_FastInline(md), "inline", 20)
        md.treeprocessors.register(_Unescape(md), "unescape", 0)
        md.treeprocessors.register(_LinkRewriter(md, self.converter), "xxgk-links", 1)
        md.treeprocessors.register(_Structure(md), "xxgk-structure", 2)


def _block_level_test(md: markdown.Markdown):
    """md.is_block_level, remembering its answer per tag (prettify and attr_list ask it for every
    element of every body). Our extensions fix md.block_level_elements when the instance is made."""
    known: dict = {}
    ask = md.is_block_level

    def is_block_level(tag) -> bool:
        try:
            return known[tag]
        except KeyError:
            answer = known[tag] = ask(tag)
            return answer
        except TypeError:          # an unhashable tag: ask every time
            return ask(tag)

    return is_block_level


class BodyRenderer:
    """One reusable Markdown converter (building one costs far more than a reset)."""

    def __init__(self, published: set[str]):
        self.published = published          # {'policies/x', ...}
        self.entry_path = ""
        self.md = markdown.Markdown(
            extensions=_extensions() + [_Toc(slugify=slugify_unicode, toc_depth="2-4"), _Rewrite(self)],
            output_format="html",
        )
        self.md.is_block_level = _block_level_test(self.md)

    def render(self, entry_path: str, body: str) -> tuple[str, list[dict]]:
        self.entry_path = entry_path
        self.md.reset()
        seconds = budget.for_body(body)
        try:
            with budget.within(seconds):
                out = self.md.convert(body)
        except budget.TooSlow:
            self.md.reset()
            diags = Diagnostics()
            diags.error(entry_path, 1, "-", budget.message(seconds), code="too-slow")
            raise ContentError(diags) from None
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
