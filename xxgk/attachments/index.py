"""Attachment text in the search index: added to the copy of an entry page that Pagefind indexes.

The published entry page stays as it is (its readers download no attachment text). Its copy for
Pagefind (write/search.py → search_data.index_copy) gets, at the end of the indexed element, one
section per attachment the page lists, each under a heading whose id names the file:

    <section><h2 id="xxgk-att:files/list.xlsx">名单</h2><p>…the attachment's text…</p></section>

Pagefind makes each heading with an id a sub-result, so a query that matched in an attachment
comes back with a sub-result whose URL ends in `#xxgk-att:files/list.xlsx`: the search page
(templates/assets/search.js) says the match is in that attachment and links the file.

The attachments are found in the page itself (its attachment list's links into files/), and their
text in `.cache/attachments.sqlite` by path, so a full build and a resumed build (which indexes a
few edited pages: incremental/resume.py) do the same. At most INDEX_CHARS characters of an entry's
attachments are indexed: Pagefind keeps an indexed page's whole text in the fragment the search
page downloads for each result it shows, and a result list must stay light on a slow link.
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

from .cache import Store

INDEX_CHARS = 20_000            # of one entry's attachments together
ANCHOR = "xxgk-att:"
_SECTION = re.compile(r'<section class="attachments"[^>]*>(.*?)</section>', re.S)
_LINK = re.compile(r'<a href="(?:\.\./)*(files/[^"#?]+)"[^>]*>(.*?)</a>', re.S)
_TAGS = re.compile(r"<[^>]*>")
_STORES: dict[str, Store] = {}


def _store(site_dir) -> Store:
    key = f"{os.getpid()}:{site_dir}"       # (a connection never crosses a fork)
    store = _STORES.get(key)
    if store is None:
        store = _STORES[key] = Store(Path(site_dir) / ".cache", write=False)
    return store


def listed_attachments(page_html: str) -> list[tuple[str, str]]:
    """(path below content/, title) of each attachment the page lists."""
    m = _SECTION.search(page_html)
    if not m:
        return []
    return [(html.unescape(f), html.unescape(_TAGS.sub("", t)).strip()) for f, t in _LINK.findall(m.group(1))]


def with_attachments(page_html: str, site_dir) -> str:
    """The page with its attachments' text inside the indexed element (unchanged when none has text)."""
    atts = listed_attachments(page_html)
    if not atts:
        return page_html
    store = _store(site_dir)
    left = INDEX_CHARS
    parts = []
    for rel, title in atts:
        text = store.text_of(rel) if left > 0 else None
        if not text:
            continue
        text = text[:left]
        left -= len(text)
        parts.append(f'<section><h2 id="{html.escape(ANCHOR + rel, quote=True)}">{html.escape(title)}</h2>'
                     f'<p>{html.escape(text, quote=False)}</p></section>')
    if not parts:
        return page_html
    at = _body_end(page_html)
    return page_html[:at] + "".join(parts) + page_html[at:]


_BODY_TAG = re.compile(r"<([a-z]+)\b[^>]*\bdata-pagefind-body\b")


def _body_end(page_html: str) -> int:
    """Where the element Pagefind indexes closes (its last closing tag of that name)."""
    m = _BODY_TAG.search(page_html)
    if not m:
        return len(page_html)
    end = page_html.rfind(f"</{m.group(1)}>")
    return end if end > m.end() else m.end()


def close() -> None:
    for store in _STORES.values():
        store.close()
    _STORES.clear()
