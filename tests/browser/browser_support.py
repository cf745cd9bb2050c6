"""Helpers of the browser suite (importable by name: conftest modules are not)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
for _p in (REPO / "tests", REPO / "tests" / "components"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from helpers import Server, artifacts_dir  # noqa: E402,F401  (tests/helpers.py, shared with tests/conftest.py)

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"375": (375, 812), "1280": (1280, 900)}


def _attr(text: str, name: str) -> str | None:
    m = re.search(r"<body[^>]*\s" + name + r'="([^"]*)"', text)
    return m.group(1) if m else None


def page_types(out: Path) -> dict[str, str]:
    """name → path of one page of each type: home, every entry type and validity, a zh-Hant entry,
    the catalogue index, one listing per axis (and a later page), search, 404, a plain page, sitemap."""
    types = {"home": "index.html", "catalogue-index": "catalogue/index.html", "search": "search.html",
             "404": "404.html", "sitemap": "sitemap.html"}
    for axis in sorted(p.name for p in (out / "catalogue").iterdir() if p.is_dir()):
        files = sorted((out / "catalogue" / axis).glob("*.html"))
        if files:
            first = next((f for f in files if not re.search(r"-\d+\.html$", f.name)), files[0])
            types[f"listing-{axis}"] = first.relative_to(out).as_posix()
    later = sorted((out / "catalogue").glob("*/*-2.html"))   # a later page of a long listing
    if later:
        types["listing-page-2"] = later[0].relative_to(out).as_posix()
    for kind in ("policies", "interpretations", "reports"):
        for f in sorted((out / kind).glob("*.html")) if (out / kind).is_dir() else []:
            text = f.read_text(encoding="utf-8")
            rel = f.relative_to(out).as_posix()
            if _attr(text, "data-entry-id") is None:     # e.g. reports/index.html, the reports' overview
                types.setdefault(f"{kind}-overview", rel)
                continue
            types.setdefault(f"entry-{kind}", rel)
            types.setdefault(f"entry-{kind}-{_attr(text, 'data-validity')}", rel)
            if '<html lang="zh-Hant"' in text:
                types.setdefault("entry-zh-Hant", rel)
            if "依申请公开" in text and 'class="apply-note"' in text:
                types.setdefault("entry-on-request", rel)
            if 'class="attachments"' in text:
                types.setdefault("entry-with-attachments", rel)
            if kind == "reports" and 'class="annual-report' in text:
                types.setdefault("entry-report-tables", rel)
    pages = sorted((out / "pages").glob("*.html")) if (out / "pages").is_dir() else []
    if pages:
        types["plain-page"] = pages[0].relative_to(out).as_posix()
    return types


def screenshots_dir() -> Path:
    d = artifacts_dir() / "screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d
