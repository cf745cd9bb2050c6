"""The HTML report of `audit` in real Chromium: WCAG 2.1 AA (axe-core) and the same structural checks as
every published page (tests/browser), at a phone's width and a desktop's, with nothing loaded from
another host (the site's CSS is inlined: the one file opens anywhere)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from audit_sites import interpretation, policy, report, site  # noqa: E402
from browser_support import AXE, WIDTHS, Server  # noqa: E402
from helpers import run_build  # noqa: E402
from test_portal import AXE_RUN, STRUCTURE  # noqa: E402


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("audit-html")
    s = site(tmp, {
        "content/policies/p1.md": policy(1, written="2024-09-27", published="2024-10-31", kind="normative"),
        "content/policies/p2.md": policy(2, published="2024-10-09", valid_until="2025-01-15", agency="czj"),
        "content/interpretations/i1.md": interpretation(1, "p2", "2024-10-14"),
        "content/reports/r2023.md": report(1, 2023, "2024-02-02", normative="[3, 0, 3]"),
    })
    out = tmp / "reports"
    r = run_build("audit", "--site", str(s), "--as-of", "2024-12-01", "--format", "html", "--output",
                  str(out / "audit.html"))
    assert r.returncode == 1, r.stderr
    return out


@pytest.fixture(scope="module")
def axe_js() -> str:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (npm install --ignore-scripts axe-core)")
    return AXE.read_text(encoding="utf-8")


def test_report_page_is_grouped_and_sorted(report_dir):
    html = (report_dir / "audit.html").read_text(encoding="utf-8")
    for rule in ("timely", "interpretation", "report-due", "report-table-2", "expiring"):
        assert f'id="rule-{rule}"' in html, rule
    assert "<link" not in html and "<script" not in html          # one self-contained file
    assert html.index('id="rule-timely"') < html.index('id="rule-expiring"')    # overdue groups before coming due


def test_report_page_passes_axe(page, outside_requests, report_dir, axe_js):
    server = Server(report_dir)
    problems = []
    try:
        for width, (w, h) in WIDTHS.items():
            page.set_viewport_size({"width": w, "height": h})
            page.goto(server.url + "audit.html")
            page.evaluate(axe_js)
            for v in page.evaluate(AXE_RUN):
                problems.append(f"{width}: axe {v['id']}: {v['help']}\n      " + "\n      ".join(v["nodes"]))
            problems += [f"{width}: {p}" for p in page.evaluate(STRUCTURE)]
    finally:
        server.close()
    assert not problems, "\n".join(problems)
    assert outside_requests == []
