"""What government website rules ask of every page (SPEC 12): the <meta> tags website monitoring
reads, the canonical address, the footer's registry links; and the 文号 that must not break inside
its number in a listing.

The meta names are those national and provincial portals carry (www.gov.cn and provincial sites:
SiteName, SiteDomain, SiteIDCode, ColumnName, ColumnType, ArticleTitle, PubDate, ContentSource,
Keywords, Description, Url), read by the national government-website monitoring (普查/监测).
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

ICP_REGISTRY = "https://beian.miit.gov.cn/"
POLICE_REGISTRY = "https://beian.mps.gov.cn/#/query/webSearch?code="
DZJG_REGISTRY = "https://bszs.conac.cn/"
# the number part of a 文号: 〔2025〕56号, [2025]56号, （2025）56号, or a trailing 56号
_DOCNO_NUMBER = re.compile(r"([〔［\[（(]\s*\d{4}\s*[〕］\]）)]\s*\d+\s*号?|\d+\s*号)\s*$")
DESCRIPTION_CHARS = 200


def docno(value) -> Markup:
    """A 文号 whose number part (〔2025〕56号) is kept on one line."""
    return _docno(str(value or ""))


@lru_cache(maxsize=1 << 16)
def _docno(text: str) -> Markup:
    # (kept: a listed entry's 文号 is written twice in each of its listing rows, in six catalogue
    # axes; at 1,500 entries this halved the listings' template time for it)
    m = _DOCNO_NUMBER.search(text)
    if not m:
        return escape(text)
    return escape(text[:m.start()]) + Markup('<span class="nowrap">') + escape(m.group(1)) + Markup("</span>")


def description(text: str | None) -> str | None:
    """A meta description: the summary on one line, at most DESCRIPTION_CHARS characters."""
    if not text:
        return None
    one = " ".join(str(text).split())
    return one if len(one) <= DESCRIPTION_CHARS else one[:DESCRIPTION_CHARS - 1] + "…"


def police_code(record: str | None) -> str | None:
    """The digits of a 公安机关备案号 (示公网安备33000002000099号 → 33000002000099), for its registry link."""
    m = re.search(r"\d{6,}", record or "")
    return m.group(0) if m else None


def footer_links(footer: dict) -> dict:
    """The registry links of the footer: ICP, 公安备案 (with its code), 党政机关网站标识."""
    code = police_code(footer.get("police_record"))
    return {"icp_url": ICP_REGISTRY, "police_url": POLICE_REGISTRY + quote(code) if code else None,
            "dzjg_url": DZJG_REGISTRY}


def page_meta(config, page_path: str, column: str, column_type: str, entry=None, agency_names=(),
              summary: str | None = None) -> list[tuple[str, str]]:
    """(name, content) of the monitoring meta tags of one page, empty values left out."""
    site_code = (config.footer or {}).get("site_code")
    domain = urlsplit(config.base_url).hostname if config.base_url else None
    tags = [("SiteName", config.title), ("SiteDomain", domain), ("SiteIDCode", site_code),
            ("ColumnName", column), ("ColumnType", column_type)]
    if entry is not None:
        tags += [("ArticleTitle", entry.title), ("PubDate", entry.published.isoformat() if entry.published else None),
                 ("ContentSource", "、".join(agency_names) or config.owner),
                 ("Keywords", ",".join(entry.keywords) if entry.keywords else None),
                 ("Description", description(summary))]
    if config.base_url and page_path != "404.html":     # (404.html is sent for any missing address)
        tags.append(("Url", config.base_url + page_path))
    return [(k, v) for k, v in tags if v]


def column_of(page_path: str, view=None) -> tuple[str, str]:
    """(ColumnName, ColumnType) of a page that is not an entry's."""
    if page_path == "index.html":
        return "首页", "首页"
    if page_path.startswith("catalogue/"):
        return (view.label if view is not None else "主动公开目录"), "主动公开目录"
    if page_path.startswith("reports/"):
        return "政府信息公开工作年度报告", "年度报告"
    if page_path == "search.html":
        return "搜索", "搜索"
    if page_path == "sitemap.html":
        return "站点地图", "站点地图"
    if page_path.startswith("pages/"):
        return "政府信息公开", "页面"
    return "政府信息公开", "其他"
