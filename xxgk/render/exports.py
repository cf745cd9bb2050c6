"""Machine-readable outputs: catalogue.json / .csv, Atom feeds, sitemap.xml, robots.txt."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

from ..config.site import SiteConfig
from ..model import Entry

COLUMNS = ("id", "type", "url", "title", "index_no", "agency", "topic", "doc_no", "written", "published",
           "validity", "validity_since", "interprets", "interpreted_by", "repeals", "repealed_by", "amends",
           "amended_by", "lang", "keywords", "summary", "disclosure", "kind", "reg_no", "valid_until")


def entry_record(e: Entry, config: SiteConfig, summary: str | None) -> dict:
    d = lambda v: v.isoformat() if isinstance(v, date) else None  # noqa: E731
    return {
        "id": e.id, "type": e.type, "url": e.url, "title": e.title, "index_no": e.index_no,
        "agency": [config.agencies[a].name for a in e.agencies], "topic": e.topic, "doc_no": e.doc_no,
        "written": d(e.written), "published": d(e.published), "validity": e.status,
        "validity_since": d(e.status_since), "interprets": list(e.interprets),
        "interpreted_by": list(e.interpreted_by), "repeals": list(e.repeals), "repealed_by": list(e.repealed_by),
        "amends": list(e.amends), "amended_by": list(e.amended_by), "lang": e.lang, "keywords": list(e.keywords),
        "summary": summary, "disclosure": e.disclosure,
        "kind": e.kind, "reg_no": e.reg_no, "valid_until": d(e.valid_until),   # (policies' kind; SPEC 10)
    }


def json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A text cell a spreadsheet program would read as a formula (it begins with = + - @, a tab or a
    carriage return) gets a leading apostrophe, as OWASP's CSV-injection advice and the programs
    themselves expect: shown as text, not run. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_row(record: dict) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow([csv_safe(";".join(v) if isinstance(v, list) else ("" if v is None else v))
                              for v in (record[c] for c in COLUMNS)])
    return buf.getvalue()


def entry_pieces(e: Entry, config: SiteConfig, summary: str | None) -> tuple[bytes, bytes]:
    """An entry's line of catalogue.json and row of catalogue.csv, as published (UTF-8). A full build
    makes them from the entry; the resume snapshot keeps them, so that a resumed build makes again
    only the edited entries' (incremental/snapshot.py)."""
    record = entry_record(e, config, summary)
    return json_line(record).encode("utf-8"), csv_row(record).encode("utf-8")


def catalogue_json(lines: list[bytes], config: SiteConfig, as_of: date) -> bytes:
    """One entry a line (entry_pieces, in catalogue order): quick to write (the C encoder), to read,
    and for mirrors to send as a delta."""
    site = {"title": config.title, "owner": config.owner, "lang": config.lang, "base_url": config.base_url}
    head = json.dumps({"site": site, "as_of": as_of.isoformat()}, ensure_ascii=False)[:-1].encode("utf-8")
    return head + (b', "entries": [\n' + b",\n".join(lines) + b"\n]}\n" if lines else b', "entries": []}\n')


def catalogue_csv(rows: list[bytes]) -> bytes:
    """A header and one row an entry (entry_pieces, in catalogue order), behind a byte order mark."""
    buf = io.StringIO()
    csv.writer(buf).writerow(COLUMNS)
    return ("\ufeff" + buf.getvalue()).encode("utf-8") + b"".join(rows)


FEED_ENTRIES = 50


def changed(e: Entry) -> date:
    """The day an entry last changed as the public sees it: published, or the day its validity changed
    (repealed, expired, amended: status_since) when that is later."""
    since = e.status_since if e.status != "pending" else None
    return max(e.published, since) if since else e.published


def tz_offset(timezone: str) -> str:
    """The site's UTC offset, +08:00 for Asia/Shanghai (China has had no daylight saving since 1991)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo
    off = datetime(2000, 1, 1, tzinfo=ZoneInfo(timezone)).utcoffset()
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def stamp(day: date, offset: str) -> str:
    """Midnight of a day in the site's timezone, as Atom writes a time (RFC 3339)."""
    return f"{day.isoformat()}T00:00:00{offset}"


def atom_feed(feed_path: str, title: str, entries: list[Entry], config: SiteConfig, summaries: dict[str, str],
              limit: int = FEED_ENTRIES) -> str:
    """An Atom feed. Absolute links with base_url; otherwise tag: ids and links relative to the feed."""
    from xml.sax.saxutils import escape, quoteattr     # (here: it imports urllib.request, 12 ms a build)
    entries = entries[:limit]
    depth = feed_path.count("/")
    rel_root = "../" * depth
    base = config.base_url

    def link(url: str) -> str:
        return base + url if base else rel_root + url

    def ident(e: Entry) -> str:
        return base + e.url if base else f"tag:xxgk.invalid,{e.published.isoformat()}:{e.type}/{e.id}"

    offset = tz_offset(config.timezone)
    updated = stamp(max((changed(e) for e in entries), default=date(2000, 1, 1)), offset)
    feed_id = base + feed_path if base else f"tag:xxgk.invalid,2000-01-01:{feed_path}"
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.lang)}>',
           f"<title>{escape(title)}</title>", f"<id>{escape(feed_id)}</id>", f"<updated>{updated}</updated>",
           f'<link rel="alternate" type="text/html" href={quoteattr(link("index.html"))}/>',
           f"<author><name>{escape(config.owner)}</name></author>"]
    if base:
        out.append(f'<link rel="self" href={quoteattr(base + feed_path)}/>')
    for e in entries:
        out += ["<entry>", f"<title>{escape(e.title)}</title>", f"<id>{escape(ident(e))}</id>",
                f'<link rel="alternate" type="text/html" href={quoteattr(link(e.url))}/>',
                f"<published>{stamp(e.published, offset)}</published>", f"<updated>{stamp(changed(e), offset)}</updated>"]
        for a in e.agencies:
            out.append(f"<author><name>{escape(config.agencies[a].name)}</name></author>")
        if summaries.get(e.id):
            out.append(f"<summary>{escape(summaries[e.id])}</summary>")
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


SITEMAP_LIMIT = 50_000     # addresses in one sitemap file (sitemaps.org; search engines accept no more)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(urls: list[tuple[str, date | None]], base_url: str) -> str:
    """One <urlset>: (relative address, lastmod) pairs."""
    from xml.sax.saxutils import escape
    body = "".join(f"<url><loc>{escape(base_url + u)}</loc>" + (f"<lastmod>{d.isoformat()}</lastmod>" if d else "")
                   + "</url>\n" for u, d in urls)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n' + body + "</urlset>\n"


def sitemap_paths(count: int, limit: int = SITEMAP_LIMIT) -> list[str]:
    """The sitemap files for `count` addresses: sitemap.xml alone, or sitemap.xml (an index) and its
    parts sitemaps/sitemap-1.xml …"""
    if count <= limit:
        return ["sitemap.xml"]
    return ["sitemap.xml"] + [f"sitemaps/sitemap-{i}.xml" for i in range(1, -(-count // limit) + 1)]


def sitemap_files(urls: list[tuple[str, date | None]], base_url: str, limit: int = SITEMAP_LIMIT) -> dict[str, str]:
    """path → text of every sitemap file: one <urlset> when the addresses fit in one file, else a
    <sitemapindex> in sitemap.xml naming parts of at most `limit` addresses, each with its lastmod."""
    from xml.sax.saxutils import escape
    paths = sitemap_paths(len(urls), limit)
    if len(paths) == 1:
        return {"sitemap.xml": sitemap_xml(urls, base_url)}
    out, index = {}, []
    for i, path in enumerate(paths[1:]):
        part = urls[i * limit:(i + 1) * limit]
        out[path] = sitemap_xml(part, base_url)
        last = max((d for _u, d in part if d), default=None)
        index.append(f"<sitemap><loc>{escape(base_url + path)}</loc>"
                     + (f"<lastmod>{last.isoformat()}</lastmod>" if last else "") + "</sitemap>\n")
    out["sitemap.xml"] = (f'<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
                          + "".join(index) + "</sitemapindex>\n")
    return out


def robots_txt(base_url: str | None) -> str:
    return "User-agent: *\nAllow: /\n" + (f"Sitemap: {base_url}sitemap.xml\n" if base_url else "")
