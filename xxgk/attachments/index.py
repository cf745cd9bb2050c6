"""Attachment text in the search index: one small record per attachment, beside its entry's page.

The published entry page stays as it is (its readers download no attachment text), and so does the
copy of it that Pagefind indexes. Each attachment the page lists that has text gets a record of its
own in the index (write/search.py writes it beside the page's copy, at
`<page>.xxgk-att-<n>.html`): the entry's filters, sort date and metadata (title, 索引号, 文号 …),
copied from the page, the filter `record:附件` (a listing without a query leaves these out), plus
the attachment's path and title as metadata and its text (normalised: attachments/normalize.py)
as content.

Why a record of its own: Pagefind keeps a record's whole text in the fragment the search page
downloads for each result it shows. Inside the page's copy, an attachment's text would be downloaded
with every result for that entry; as its own record it is downloaded only when the attachment is what
matched. The search page (templates/assets/search.js) maps such a result to its entry, says the
match is in that attachment (“在附件《标题》中找到：…”) and links the file; when the entry's page
matched too, the page's (small) fragment is the one shown.

The attachments are found in the page itself (its attachment list's links into files/), their text
in `.cache/attachments.sqlite` by path. At most INDEX_CHARS characters of each are indexed.
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

from .cache import Store

INDEX_CHARS = 10_000            # of one attachment
RECORD = ".xxgk-att-"           # <page without .html> + RECORD + n + ".html"
_SECTION = re.compile(r'<section class="attachments"[^>]*>(.*?)</section>', re.S)
_LINK = re.compile(r'<a href="(?:\.\./)*(files/[^"#?]+)"[^>]*>(.*?)</a>', re.S)
_TAGS = re.compile(r"<[^>]*>")
_BODY_OPEN = re.compile(r"<([a-z]+)\b[^>]*\bdata-pagefind-body\b[^>]*>")
_SPANS = re.compile(r'<span hidden data-pagefind-(?:filter|meta)="[^"]*"></span>')
_META_CELL = re.compile(r'<td\b[^>]*\bdata-pagefind-meta="(\w+)"[^>]*>(.*?)</td>', re.S)   # the metadata table's
_LANG = re.compile(r'<html\b[^>]*\blang="([^"]*)"')
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


def attachment_records(page_url: str, page_html: str, site_dir) -> list[tuple[str, str]]:
    """(url, html) of the index records of the page's attachments that have text."""
    atts = listed_attachments(page_html)
    body = _BODY_OPEN.search(page_html) if atts else None
    if body is None:
        return []
    lang = _LANG.search(page_html)
    spans = "".join(_SPANS.findall(page_html, body.end()))
    # the entry's own fields (title, 索引号, 文号 …), so the search page shows the entry for a match
    # here without downloading the entry's fragment; a filter to leave the records out of listings
    spans += "".join(f'<span hidden data-pagefind-meta="{key}[data-v]" data-v="{html.escape(html.unescape(_TAGS.sub("", value)).strip(), quote=True)}"></span>'
                     for key, value in _META_CELL.findall(page_html))
    spans += '<span hidden data-pagefind-filter="record:附件"></span>'

    store = _store(site_dir)
    out = []
    for n, (rel, title) in enumerate(atts, 1):
        text = store.text_of(rel)
        if not text:
            continue
        out.append((f"{page_url[:-5]}{RECORD}{n}.html",
                    f'<!doctype html><html lang="{lang.group(1) if lang else "zh-CN"}"><head><meta charset="utf-8">'
                    f"<title>{html.escape(title)}</title></head><body>{body.group(0)}{spans}"
                    f'<span hidden data-pagefind-meta="attachment:{html.escape(rel, quote=True)}"></span>'
                    f'<span hidden data-pagefind-meta="attachment_title:{html.escape(title, quote=True)}"></span>'
                    f"<p>{html.escape(text[:INDEX_CHARS], quote=False)}</p></{body.group(1)}></body></html>"))
    return out


def close() -> None:
    for store in _STORES.values():
        store.close()
    _STORES.clear()
