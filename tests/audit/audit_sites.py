"""Small sites for the audit tests, and running the rules on them in this process."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sitemaker import CONFIG, entry, make_site, policy  # noqa: E402,F401

ZERO7 = "[0, 0, 0, 0, 0, 0, 0]"


def report(n: int, year: int, published: str, agency: str = "xzf", rules: str | None = None,
           normative: str | None = None, fmt: str = "2021", **fields) -> str:
    """A report; with fmt 2021, stats of zeros, `rules` / `normative` rows only when given."""
    head = {"title": f"{year}年政府信息公开工作年度报告{n}", "index_no": f"11330000MB1234567X/{year + 1}-{90000 + n:05d}",
            "agency": agency, "published": published, "year": year, "format": fmt, **fields}
    lines = ["---", *(f"{k}: {v}" for k, v in head.items() if v is not None)]
    if fmt == "2021":
        lines += ["stats:", "  active_disclosure:"]
        if rules is not None:
            lines.append(f"    rules: {rules}")
        if normative is not None:
            lines.append(f"    normative_documents: {normative}")
        lines += ["    licensing: 0", "    penalties: 0", "    enforcement: 0", "    fees: 0", "  applications:"]
        for key in ("new", "carried_over", "disclosed", "partly_disclosed"):
            lines.append(f"    {key}: {ZERO7}")
        groups = {"withheld": ("state_secret", "prohibited_by_law", "security_stability", "third_party",
                               "internal_affairs", "process_info", "enforcement_files", "inquiry"),
                  "cannot_provide": ("not_held", "needs_creation", "unclear"),
                  "not_processed": ("complaints", "duplicate", "publications", "excessive", "confirmation"),
                  "other": ("no_correction", "unpaid_fee", "other")}
        for g, leaves in groups.items():
            lines.append(f"    {g}:")
            lines += [f"      {leaf}: {ZERO7}" for leaf in leaves]
        lines += [f"    total: {ZERO7}", f"    carried_forward: {ZERO7}", "  review_litigation:",
                  "    review: [0, 0, 0, 0, 0]", "    litigation_direct: [0, 0, 0, 0, 0]",
                  "    litigation_after_review: [0, 0, 0, 0, 0]"]
    lines.append("---")
    return "\n".join(lines) + "\n## 一、总体情况\n\n正文。\n\n## 二、主动公开政府信息情况\n\n见下表。\n"


def interpretation(n: int, interprets: str, published: str, **fields) -> str:
    base = {"title": f"解读{n}", "index_no": f"11330000MB1234567X/2020-{50000 + n:05d}", "agency": "xzf",
            "published": published, "interprets": interprets, **fields}
    return entry(base)


def site(tmp_path: Path, files: dict[str, str], config_extra: str = "") -> Path:
    return make_site(tmp_path / "site", files, CONFIG + config_extra)


def audit(site_dir: Path, as_of: str, within: int = 90, rules=None):
    """(findings, calendar) of the rules on a site, in process, as `audit` runs them."""
    from xxgk.audit.rules import RULES, Audit
    from xxgk.diagnostics import Diagnostics
    from xxgk.pipeline import load_and_check
    diags = Diagnostics()
    config, entries, day, _files = load_and_check(site_dir, date.fromisoformat(as_of), diags)
    assert not diags.failed(), [d.format() for d in diags.items]
    a = Audit(site_dir, config, entries, day, within)
    return a.run(rules or RULES), a


def texts(findings, rule: str | None = None) -> list[str]:
    return [f.text() for f in findings if rule is None or f.rule == rule]
