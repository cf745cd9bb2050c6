"""Issue 26 (3)-(5): a sitemap index of parts of at most 50,000 addresses, each with lastmod; feeds in
the site's timezone whose <updated> moves when validity changes; CSV cells that would be formulas."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from inspection_site import BASE, build_site
from xxgk.render import exports

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("exports26"))


def test_sitemap_at_120000_addresses_is_an_index_of_parts_of_at_most_50000():
    """Called directly: no pages are built."""
    start = date(2000, 1, 1)
    urls = [(f"policies/p{i}.html", start + timedelta(days=i % 9000)) for i in range(120_000)]
    files = exports.sitemap_files(urls, BASE)
    assert sorted(files) == ["sitemap.xml", "sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml", "sitemaps/sitemap-3.xml"]
    index = ET.fromstring(files["sitemap.xml"].encode())
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    locs = [s.findtext("s:loc", namespaces=NS) for s in index.findall("s:sitemap", NS)]
    assert locs == [BASE + f"sitemaps/sitemap-{i}.xml" for i in (1, 2, 3)]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.findtext("s:lastmod", namespaces=NS))
               for s in index.findall("s:sitemap", NS))
    seen = []
    for i in (1, 2, 3):
        part = ET.fromstring(files[f"sitemaps/sitemap-{i}.xml"].encode())
        entries = part.findall("s:url", NS)
        assert len(entries) <= 50_000
        for u in entries:
            assert u.findtext("s:lastmod", namespaces=NS)
        seen += [u.findtext("s:loc", namespaces=NS) for u in entries]
    assert seen == [BASE + u for u, _d in urls]          # every address once, in order
    # the lastmod of a part is its newest address's
    part1 = urls[:50_000]
    assert index.findall("s:sitemap", NS)[0].findtext("s:lastmod", namespaces=NS) == max(d for _u, d in part1).isoformat()


def test_sitemap_of_a_small_site_is_one_urlset_with_lastmod(out):
    root = ET.parse(out / "sitemap.xml").getroot()
    assert root.tag == "{%s}urlset" % NS["s"]
    urls = {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS) for u in root.findall("s:url", NS)}
    assert all(urls.values())
    assert urls[BASE + "policies/old-rules.html"] == "2022-03-01"          # the day it was repealed
    assert urls[BASE + "interpretations/old-rules-explained.html"] == "2022-03-01"
    assert urls[BASE + "policies/new-rules.html"] == "2022-03-01"          # took effect (valid_from)
    assert urls[BASE + "policies/amend-2023.html"] == "2023-06-01"
    assert not (out / "sitemaps").exists()
    assert exports.sitemap_paths(50_000) == ["sitemap.xml"] and len(exports.sitemap_paths(50_001)) == 3


def test_feeds_carry_the_sites_timezone_and_updated_moves_with_validity(out):
    for feed in [out / "feed.xml", *(out / "feeds").glob("*.xml")]:
        text = feed.read_text(encoding="utf-8")
        assert "Z</" not in text and "T00:00:00Z" not in text, feed.name
        stamps = re.findall(r"<(?:updated|published)>([^<]+)<", text)
        assert stamps and all(s.endswith("+08:00") for s in stamps), feed.name
    root = ET.parse(out / "feed.xml").getroot()
    atom = {"a": "http://www.w3.org/2005/Atom"}
    by_link = {e.find("a:link", atom).get("href"): e for e in root.findall("a:entry", atom)}
    old = by_link[BASE + "policies/old-rules.html"]
    assert old.findtext("a:published", namespaces=atom) == "2015-01-01T00:00:00+08:00"
    assert old.findtext("a:updated", namespaces=atom) == "2022-03-01T00:00:00+08:00"     # repealed that day
    expl = by_link[BASE + "interpretations/short-lived-explained.html"]
    assert expl.findtext("a:updated", namespaces=atom) == "2021-01-01T00:00:00+08:00"    # its policy expired
    new = by_link[BASE + "policies/new-rules.html"]        # published 2022-01-20, in force from valid_from
    assert new.findtext("a:updated", namespaces=atom) == "2022-03-01T00:00:00+08:00"
    unchanged = by_link[BASE + "policies/amend-2023.html"]
    assert unchanged.findtext("a:updated", namespaces=atom) == unchanged.findtext("a:published", namespaces=atom)
    assert root.findtext("a:updated", namespaces=atom) == "2023-06-01T00:00:00+08:00"    # the newest change


def test_feed_offset_follows_the_configured_timezone():
    assert exports.tz_offset("Asia/Shanghai") == "+08:00"
    assert exports.tz_offset("Asia/Kolkata") == "+05:30"
    assert exports.tz_offset("America/Caracas").startswith("-04")


def test_csv_cells_that_would_be_formulas_are_neutralised(out):
    rows = list(csv.reader(io.StringIO((out / "catalogue.csv").read_text(encoding="utf-8-sig"))))
    header, body = rows[0], rows[1:]
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (row[0], cell)
    formula = next(dict(zip(header, r)) for r in body if r[0] == "formula")
    assert formula["title"] == "'=HYPERLINK(\"http://evil.example\",\"点我\")"
    assert formula["doc_no"] == "'+示政发〔2020〕1号"
    assert formula["keywords"] == "'@SUM(A1);-1+2"
    # the JSON keeps the words as written
    assert '"title": "=HYPERLINK(' in (out / "catalogue.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+86 123", "'+86 123"), ("-5", "'-5"), ("@A1", "'@A1"), ("\t=x", "'\t=x"),
    ("\r=x", "'\r=x"), ("示政发〔2020〕1号", "示政发〔2020〕1号"), ("", ""), (3, 3),
])
def test_csv_safe(value, expected):
    assert exports.csv_safe(value) == expected
