"""What the search page needs besides Pagefind: `search-data.js` and the index copies of entry pages.

- `search-data.js` sets one global, `XXGK_SEARCH`: a record per listed entry (title, 索引号, 文号,
  agencies, topic, dates, status, keywords, a short summary, url, type), the traditional ⇄
  simplified character tables generated from OpenCC's own dictionaries, and where the Pagefind
  bundles are. It is loaded with a plain `<script src>`, so it also works from disk (file://),
  where Pagefind cannot load; there the page searches these records instead.
- `index_copy()` makes the copy of an entry page that Pagefind indexes: the same page plus a
  hidden `data-pagefind-meta` field holding the text's overlapping character pairs (and, for
  traditional pages, the pairs of its simplified form). Browsers split a Chinese query with
  Intl.Segmenter, which disagrees with the build-time segmentation; the pairs give every piece
  a word to match. The published page does not carry them.
"""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{HAN}]+")
_BODY_OPEN = re.compile(r"<[a-z]+\b[^>]*\bdata-pagefind-body\b[^>]*>")
SUMMARY_CHARS = 120


# -- traditional ⇄ simplified -------------------------------------------------------------------
def _opencc_dir() -> Path:
    import opencc  # opencc-python-reimplemented ships OpenCC's dictionaries
    return Path(opencc.__file__).resolve().parent / "dictionary"


_TABLE_LINE = re.compile(r"^([^\t\n#])\t[^\S\n]*(\S)(?![^\s])", re.M)   # one character → a first candidate of one


def _read_table(name: str) -> dict[str, str]:
    """One character → its first candidate, only where they differ (OpenCC `XXCharacters.txt`)."""
    text = (_opencc_dir() / name).read_text(encoding="utf-8")
    return {src: first for src, first in _TABLE_LINE.findall(text) if first != src}


@lru_cache(maxsize=1)
def ts_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(traditional → simplified, simplified → traditional), generated from OpenCC's data."""
    return _read_table("TSCharacters.txt"), _read_table("STCharacters.txt")


@lru_cache(maxsize=1)
def _t2s_translation() -> dict[int, str]:
    return {ord(k): v for k, v in ts_tables()[0].items()}


def to_simplified(text: str) -> str:
    return text.translate(_t2s_translation())


# -- the records --------------------------------------------------------------------------------
def entry_records(renderer, summaries: dict[str, str | None], memo=None) -> list[dict]:
    """One record per listed entry, in catalogue order (newest first). `memo(kind, entry, make)`
    may return a record kept from an earlier build of the same entry (serve)."""
    cfg = renderer.config
    if memo is None:
        return [entry_record(e, cfg, summaries.get(e.id)) for e in renderer.listed]
    return [memo("search", e, lambda e=e: entry_record(e, cfg, summaries.get(e.id))) for e in renderer.listed]


def entry_record(e, cfg, summary: str | None) -> dict:
    topic = cfg.topics.get(e.topic) if e.topic else None
    summary = summary or ""
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS].rstrip("…") + "……"
    years = sorted({e.published.year} | ({e.year} if e.type == "reports" and e.year else set()))
    return {
        "id": e.id, "url": e.url, "type": e.type_label, "title": e.title, "index_no": e.index_no or "",
        "doc_no": e.doc_no or "", "agency": [cfg.agencies[a].name for a in e.agencies],
        "topic": topic_filter_values(e.topic) if topic else [], "date": e.published.isoformat(),
        "years": [str(y) for y in years], "status": e.status_label, "status_key": e.status,
        "keywords": list(e.keywords), "summary": summary, "lang": e.lang,
    }


def topic_filter_values(topic_key: str | None) -> list[str]:
    """The topic filter values of an entry: its 一级 and, for a 二级 topic, the path 一级/二级."""
    if not topic_key:
        return []
    first = topic_key.split("/")[0]
    return [first] if first == topic_key else [first, topic_key]


def js_safe(text: str) -> str:
    """JSON made safe to load as a script whatever an editor typed."""
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def record_js(record: dict) -> str:
    """One entry's record as search-data.js holds it (a resumed build replaces it there: see
    render.edits.BodyEdits.resumed_exports)."""
    return js_safe(json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=False))


def search_data_js(records: list[dict], bundles: list[str]) -> str:
    t2s, s2t = ts_tables()
    data = {"entries": records, "bundles": bundles, "page_map": "pagefind/xxgk-pages.json",
            "t2s": "".join(k + v for k, v in sorted(t2s.items())),
            "s2t": "".join(k + v for k, v in sorted(s2t.items()))}
    text = js_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False))
    return ("/* Generated by xxgk at build time: the catalogue for search.js (also used from disk),\n"
            "   and traditional/simplified character pairs from OpenCC (t2s, s2t: two characters each). */\n"
            f"window.XXGK_SEARCH = {text};\n")


# -- the index copies ---------------------------------------------------------------------------
# The text Pagefind indexes: inside the data-pagefind-body element, minus subtrees carrying
# data-pagefind-ignore and script/style contents. A single regex walks the tags (what
# html.parser would do on these pages, at a fraction of the cost): every run of text between two
# tags is one part (unescaped when it holds '&'), a '<' that starts no tag is a part of its own,
# void elements do not nest, `<x/>` opens and closes at once, and attribute NAMES decide, never
# the words inside a value.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
_RAW_TEXT = ("script", "style")
_TAG = re.compile(r"""<(?:
      !--.*?--\s*>                                                  # comment
    | ([a-zA-Z][^\t\n\r\f\ />\x00]*)((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>   # start tag: 1 name, 2 attributes
    | /([a-zA-Z][^\t\n\r\f\ />\x00]*)[^>]*>                           # end tag: 3 name
    | [!?/][^>]*>                                                   # declaration, PI, bogus comment
    | )                                                             # a '<' that starts nothing
    """, re.S | re.X)
_MAYBE_PAGEFIND = re.compile("pagefind", re.I)
_ATTR = re.compile(r"""([^\s/>][^\s/=>]*)(?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")
_RAW_END = {t: re.compile(rf"</\s*{t}\s*>", re.I) for t in _RAW_TEXT}


def _scan_attrs(attrs: str, end: int) -> tuple[set[str], int | None]:
    """Walk the attribute tokens of a start tag (its text after the tag name) up to `end`: their
    names, lower case, and where the walk stopped (None: at text that is no attribute)."""
    names, i = set(), 0
    while i < end:
        if attrs[i] in " \t\n\r\f/":
            i += 1
            continue
        m = _ATTR.match(attrs, i)
        if not m or m.end() == i:
            return names, None
        names.add(m.group(1).lower())
        i = m.end()
    return names, i


def _attr_names(attrs: str) -> set[str]:
    return _scan_attrs(attrs, len(attrs))[0]


def _self_closing(attrs: str) -> bool:
    """`<x ... />`: the `/` is not the end of an unquoted attribute value (`<a href=x/>`)."""
    if not attrs.endswith("/"):
        return False
    if len(attrs) == 1 or attrs[-2] in " \t\n\r\f\"'":
        return True
    _names, stop = _scan_attrs(attrs, len(attrs) - 1)   # rare: does the last token swallow the '/'?
    return stop is None or stop == len(attrs) - 1


def _body_start(page_html: str) -> int:
    """Where the element with the data-pagefind-body attribute starts (0 when not found: scan all)."""
    for m in _BODY_OPEN.finditer(page_html):
        t = _TAG.match(page_html, m.start())
        if t and t.group(1) and "data-pagefind-body" in _attr_names(t.group(2)):
            return m.start()
    return 0


def page_text(page_html: str) -> str:
    """The text Pagefind indexes: inside the data-pagefind-body element, minus data-pagefind-ignore."""
    parts: list[str] = []
    append = parts.append
    depth = 0           # open elements inside the body element (0: outside)
    skip_at = 0         # depth at which an ignored subtree started (0: none)
    pos = _body_start(page_html)
    search = _TAG.search
    while True:
        m = search(page_html, pos)
        if m is None:
            if depth and not skip_at and pos < len(page_html):
                chunk = page_html[pos:]
                append(html.unescape(chunk) if "&" in chunk else chunk)
            break
        start = m.start()
        if depth and not skip_at:
            if start > pos:
                chunk = page_html[pos:start]
                append(html.unescape(chunk) if "&" in chunk else chunk)
        pos = m.end()
        name, attrs, end_name = m.groups()
        if name is not None:                                    # start tag
            tag = name.lower()
            if tag in _VOID:
                continue
            if attrs and attrs[-1] == "/" and _self_closing(attrs):
                continue                                        # opens and closes: no change
            names = _attr_names(attrs) if _MAYBE_PAGEFIND.search(attrs) else ()
            if depth == 0:
                if "data-pagefind-body" in names:
                    depth = 1
            else:
                depth += 1
                if not skip_at and (tag in _RAW_TEXT or "data-pagefind-ignore" in names):
                    skip_at = depth
            if tag in _RAW_TEXT:                                # contents are not markup
                end = _RAW_END[tag].search(page_html, pos)
                if end is None:
                    break
                pos = end.end()
                if depth:
                    if skip_at == depth:
                        skip_at = 0
                    depth -= 1
            continue
        if end_name is not None:                                # end tag
            if depth == 0 or end_name.lower() in _VOID:
                continue
            if skip_at == depth:
                skip_at = 0
            depth -= 1
            if depth == 0:                                      # the body element closed
                nxt = _BODY_OPEN.search(page_html, pos)
                if nxt is None:
                    break
            continue
        if start + 1 == pos and depth and not skip_at:          # a lone '<'
            append("<")
    return " ".join(parts)


def char_pairs(text: str) -> list[str]:
    """Distinct overlapping pairs of Han characters, in order of first appearance."""
    seen: dict[str, None] = {}
    for run in _HAN_RUN.findall(text):
        for i in range(len(run) - 1):
            seen.setdefault(run[i:i + 2], None)
    return list(seen)


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    """The characters that have a different simplified form."""
    return frozenset(ts_tables()[0])


def index_copy(page_html: str, lang: str) -> str:
    """The page Pagefind indexes: the published page plus its character pairs in a hidden meta field."""
    m = _BODY_OPEN.search(page_html)
    if not m:
        return page_html
    text = page_text(page_html)
    pairs = char_pairs(text)
    if lang == "zh-Hant" or not _traditional().isdisjoint(text):
        have = set(pairs)
        pairs += [p for p in char_pairs(to_simplified(text)) if p not in have]
    value = html.escape(" ".join(pairs), quote=True)
    span = f'<span hidden data-pagefind-meta="pairs:{value}"></span>'
    return page_html[:m.end()] + span + page_html[m.end():]
