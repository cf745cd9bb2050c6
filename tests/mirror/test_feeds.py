"""Subscriptions: Atom feeds per type and per agency, well-formed, linked from the pages they follow."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ATOM = "{http://www.w3.org/2005/Atom}"


class _Alternates(HTMLParser):
    def __init__(self):
        super().__init__()
        self.feeds: list[tuple[str, str]] = []   # (href, title) of <link rel=alternate type=atom> in <head>
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "link" and self.in_head and a.get("rel") == "alternate" \
                and a.get("type") == "application/atom+xml":
            self.feeds.append((a.get("href") or "", a.get("title") or ""))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def feed_links(page: Path) -> list[tuple[str, str]]:
    p = _Alternates()
    p.feed(page.read_text(encoding="utf-8"))
    return p.feeds


def resolve(out: Path, page: Path, href: str) -> Path:
    rel = page.relative_to(out).as_posix()
    return out / urljoin(rel, href).split("#")[0]


def test_feeds_exist_and_are_well_formed_atom(fixture_output):
    out = fixture_output
    feeds = [out / "feed.xml"] + sorted((out / "feeds").glob("*.xml"))
    names = {f.name for f in feeds}
    assert {"policies.xml", "interpretations.xml", "reports.xml", "agency-xzf.xml", "agency-czj.xml"} <= names
    for f in feeds:
        root = ET.parse(f).getroot()                     # raises on malformed XML
        assert root.tag == f"{ATOM}feed", f
        assert root.find(f"{ATOM}title") is not None and root.find(f"{ATOM}id") is not None
        assert root.find(f"{ATOM}updated") is not None
        entries = root.findall(f"{ATOM}entry")
        assert entries, f"{f.name} has no entries"
        for e in entries:
            assert e.find(f"{ATOM}title").text and e.find(f"{ATOM}id").text
            assert e.find(f"{ATOM}link") is not None


def test_every_page_links_the_site_feed(fixture_output):
    out = fixture_output
    for page in out.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        targets = [resolve(out, page, h) for h, _ in feed_links(page)]
        assert out / "feed.xml" in targets, f"{page.relative_to(out)} does not link feed.xml"
        for t in targets:
            assert t.is_file(), f"{page.relative_to(out)} links a missing feed {t}"


def test_catalogue_pages_of_a_type_or_agency_link_their_own_feed(fixture_output):
    out = fixture_output
    checked = 0
    for page in sorted((out / "catalogue").glob("*/*.html")):
        axis, slug = page.parent.name, re.sub(r"-\d+$", "", page.stem)
        if axis == "type":
            want = out / "feeds" / f"{slug}.xml"
        elif axis == "agency":
            want = out / "feeds" / f"agency-{slug}.xml"
        else:
            continue
        links = feed_links(page)
        targets = [resolve(out, page, h) for h, _ in links]
        assert want in targets, f"{page.relative_to(out)} should link {want.relative_to(out)}"
        title = dict(zip(targets, (t for _, t in links)))[want]
        assert title, "a feed link needs a title (feed readers show it)"
        checked += 1
    assert checked >= 5   # policies (3 pages), interpretations, reports, both agencies
