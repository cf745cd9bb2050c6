"""Follow every link of a page in Chromium: shared by the 'anywhere' and 'pack' tests."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

# (not the canonical address, nor the registries the footer's marks link to — ICP, 公安备案, 党政机关网站标识,
# 我为政府网站找错: those leave the site by design, SPEC 12)
LINKS_JS = """() => Array.from(document.querySelectorAll('a[href], link[href]:not([rel=canonical]), script[src], img[src]'))
    .filter(el => !(el.closest('.site-footer') && /^https?:/.test(el.getAttribute('href') || '')))
    .map(el => el.href || el.src)"""
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:")


def watch(page) -> list[str]:
    """Record every failed or non-2xx request of `page` (subresources included)."""
    bad: list[str] = []
    # (net::ERR_ABORTED: a request cancelled by going on to the next page — the search page starts
    # loading its index at once — not a file that failed to load)
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and bad.append(f"failed {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and bad.append(f"{r.status} {r.url}"))
    return bad


def links_of(page, url: str) -> list[str]:
    page.goto(url)
    return sorted({urldefrag(h)[0] for h in page.evaluate(LINKS_JS) if h and not h.startswith(SKIP_SCHEMES)})


def follow_all(context, base: str, start_pages: list[str], external_ok: frozenset[str] = frozenset()
               ) -> tuple[int, list[str]]:
    """Open each start page (relative to `base`, an http://127.0.0.1 or file:// folder URL), follow every
    link on it and return (links checked, problems). Each link must stay inside `base`, name a file,
    and load: status 200 for HTML pages opened in the browser (with all their subresources) and
    for other files fetched over http; an existing file from disk. Links in `external_ok` (the online
    site named on the offline start page) are allowed and not followed."""
    page = context.new_page()
    bad = watch(page)
    problems: list[str] = []
    checked: set[str] = set()
    for start in start_pages:
        for link in links_of(page, base + start):
            if link in checked:
                continue
            checked.add(link)
            if link in external_ok:
                continue
            if not link.startswith(base):
                problems.append(f"{start}: link leaves the site folder: {link}")
                continue
            if link.endswith("/"):
                problems.append(f"{start}: link does not name its file: {link}")
                continue
            if link.startswith("file:"):
                path = Path(unquote(urlparse(link).path))
                if not path.is_file():
                    problems.append(f"{start}: missing file {link}")
                    continue
            if link.endswith(".html"):
                resp = page.goto(link)
                if link.startswith("http") and (resp is None or resp.status != 200):
                    problems.append(f"{start}: {link} → {resp.status if resp else 'no response'}")
            elif link.startswith("http"):
                resp = context.request.get(link)
                if resp.status != 200:
                    problems.append(f"{start}: {link} → {resp.status}")
    page.close()
    return len(checked), problems + [f"request: {b}" for b in bad]
