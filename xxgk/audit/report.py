"""The findings as text (`PATH:LINE: RULE: message`), as a JSON list, and as one HTML page.

The HTML page is made through the site's templates (templates/audit_report.html, which a site may
override like any other) with the site's own style.css inlined, so the one file opens anywhere
(it is never written inside the published output/)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .rules import LEVELS, RULE_LABELS, RULES, SOURCES, Finding, urgency


def as_text(findings: list[Finding]) -> str:
    return "".join(f.text() + "\n" for f in findings)


def as_json(findings: list[Finding], config) -> str:
    return json.dumps([f.record(config) for f in findings], ensure_ascii=False, indent=1) + "\n"


def summary(findings: list[Finding], guessed: set[int]) -> str:
    overdue = sum(1 for f in findings if f.level == "overdue")
    due = len(findings) - overdue
    line = f"共 {len(findings)} 项：已逾期 {overdue} 项，即将到期 {due} 项" if findings else "没有发现问题"
    if guessed:
        line += f"\n注意：节假日日历尚无 {'、'.join(map(str, sorted(guessed)))} 年的安排，这些年份只按周末计算工作日"
    return line


def groups(findings: list[Finding], config) -> list[dict]:
    """Rule → agency → findings (most urgent first); agencies in config order, findings about no agency last."""
    order = {a.key: i for i, a in enumerate(config.agency_list)}
    out = []
    for rule in RULES:
        mine = [f for f in findings if f.rule == rule]
        if not mine:
            continue
        by_agency: dict[str, list[Finding]] = {}
        for f in mine:
            by_agency.setdefault(f.agencies[0] if f.agencies else "", []).append(f)
        agencies = []
        for key in sorted(by_agency, key=lambda k: (k == "", order.get(k, 10**6), k)):
            items = sorted(by_agency[key], key=urgency)
            agencies.append({"key": key or "none", "name": config.agencies[key].name if key in config.agencies else "其他",
                             "findings": items, "overdue": sum(1 for f in items if f.level == "overdue")})
        out.append({"rule": rule, "label": RULE_LABELS[rule], "source": SOURCES[rule], "agencies": agencies,
                    "count": len(mine), "overdue": sum(1 for f in mine if f.level == "overdue")})
    # the groups with what is overdue longest first
    out.sort(key=lambda g: (0 if g["overdue"] else 1, urgency(min(
        (f for a in g["agencies"] for f in a["findings"]), key=urgency))))
    return out


BUILTIN_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _env(site_dir: Path):
    """The site's templates over the built-in ones, as the build uses them (render.site.make_env), but
    writing nothing (no compiled-template cache in .cache/) and without the renderer's imports."""
    import jinja2
    loaders = []
    own = site_dir / "templates"
    if own.is_dir() and own.resolve() != BUILTIN_TEMPLATES:
        loaders.append(jinja2.FileSystemLoader(str(own)))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def as_html(findings: list[Finding], config, site_dir: Path, as_of: date, within: int, guessed: set[int]) -> str:
    env = _env(site_dir)
    own_css = site_dir / "templates" / "assets" / "style.css"
    css = (own_css if own_css.is_file() else BUILTIN_TEMPLATES / "assets" / "style.css").read_text(encoding="utf-8")
    overdue = sum(1 for f in findings if f.level == "overdue")
    return env.get_template("audit_report.html").render(
        site=config, css=css, as_of=as_of, within=within, groups=groups(findings, config), levels=LEVELS,
        total=len(findings), overdue=overdue, due=len(findings) - overdue,
        guessed=sorted(guessed), rules=[{"rule": r, "label": RULE_LABELS[r], "source": SOURCES[r]} for r in RULES])
