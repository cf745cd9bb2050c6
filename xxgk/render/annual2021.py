"""Annual reports in the 2021 national format: statistical tables, charts and number exports.

Every function takes the *normalised* stats of xxgk.validate.annual2021.check_stats; raw `stats:`
that pass the check are accepted too (they are normalised here; checking is idempotent), stats
with errors raise ValueError (the validate stage reports them first).

- render_tables(env, stats, report_id=None) -> {'二': html, '三': html, '四': html}
  (templates/components/annual_report_tables.html, fed by tables_context)
- insert_tables(body_html, tables) -> body with each table at the end of its section
- report_chart_svg(report_id, stats) -> <figure> with an inline SVG bar chart + its data table
- trend_charts_svg(series) -> line charts across a site's reports, one series per agency
- export_json(meta, stats), export_csv(meta, stats), figures_csv(reports), parse_figures_csv(text)

Output is deterministic: fixed number formatting, ids derived from the report id, no randomness.
The labels come from the REFERENCE constant (a verbatim copy of the official tables), never from
files read at run time.
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from decimal import Decimal
from html import escape
from typing import Any, Iterable, Iterator

from ..validate.annual2021 import (
    ACTIVE_LISTS, ACTIVE_ROWS, APPLICANT_COLUMNS, APPLICATION_ITEMS, CORP_GROUP, HEADER_NOTE, REFERENCE, RESULT_LABEL,
    REVIEW_COLUMNS, REVIEW_ROWS, check_stats)

TEMPLATE = "components/annual_report_tables.html"
PARTS = ("二", "三", "四")
SECTION_OF_PART = dict(zip(PARTS, REFERENCE["sections"][1:4]))
APPLICANT_GROUP = "申请人情况"     # the heading over the applicant columns in the official table 三

# chart styling: every colour has a contrast of at least 4.5:1 against white (tests check ≥ 3:1)
COLOURS = ("#1f5fa8", "#b3261e", "#1b7a3a", "#7b3fa0", "#a04a00", "#00707a", "#4d4d4d", "#9c2f6b")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
DASHES = ("", "8 4", "2 3", "10 3 2 3")
TEXT = "#1a1a1a"
GRID = "#c8c8c8"
BAR = COLOURS[0]


# -- numbers ---------------------------------------------------------------------------------------
def normalise(stats: Any) -> dict:
    """The normalised stats (idempotent); ValueError when they have errors."""
    out, problems = check_stats(stats, lambda path: 1)
    if out is None:
        raise ValueError("annual report stats have errors: " + "; ".join(p.message for p in problems[:3]))
    return out


def fmt(value: Any) -> str:
    """Fixed formatting of a figure: integers as they are, amounts without exponent or trailing zeros."""
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    raise TypeError(value)


def _num(x: float) -> str:
    """A coordinate: at most one decimal, no '-0', no trailing '.0'."""
    text = f"{x:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text in ("-0", "-0.0") else text


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


# -- figures: one (table, row, column, value) per cell, in table order ------------------------------
def iter_figures(stats: dict) -> Iterator[tuple[tuple, str, str, str, Any]]:
    """(key path inside stats, table label, row label, column label, value) for every cell."""
    t2, t3, t4 = (SECTION_OF_PART[p] for p in PARTS)
    blocks = REFERENCE["table_2_active_disclosure"]
    act = stats["active_disclosure"]
    for key, (b, label, columns) in ACTIVE_ROWS.items():
        row = f"{blocks[b]['block']} / {label}"
        if isinstance(act[key], list):
            for i, col in enumerate(columns):
                yield ("active_disclosure", key, i), t2, row, col, act[key][i]
        else:
            yield ("active_disclosure", key), t2, row, columns[0], act[key]
    app = stats["applications"]
    cols = [c if i in (0, 6) else f"{CORP_GROUP} / {c}" for i, c in enumerate(APPLICANT_COLUMNS)]
    for item in APPLICATION_ITEMS:
        prefix = f"{item.parent} / " if item.parent else ""
        leaves = item.leaves or ((None, None),)
        for leaf, leaf_label in leaves:
            values = app[item.key][leaf] if leaf else app[item.key]
            row = prefix + item.label + (f" / {leaf_label}" if leaf else "")
            path = ("applications", item.key) + ((leaf,) if leaf else ())
            for i, col in enumerate(cols):
                yield (*path, i), t3, row, col, values[i]
    rl = stats["review_litigation"]
    for key, (group, sub) in REVIEW_ROWS.items():
        row = group if sub is None else f"{group} / {sub}"
        for i, col in enumerate(REVIEW_COLUMNS):
            yield ("review_litigation", key, i), t4, row, col, rl[key][i]


# -- the tables -------------------------------------------------------------------------------------
def _th(text: str, id_: str | None = None, scope: str | None = "col", colspan: int = 1, rowspan: int = 1,
        headers: str | None = None, cls: str | None = None) -> dict:
    return {"th": True, "text": text, "id": id_, "scope": scope, "colspan": colspan, "rowspan": rowspan,
            "headers": headers, "class": cls}


def _td(value: Any, headers: str, colspan: int = 1) -> dict:
    return {"th": False, "text": fmt(value), "id": None, "scope": None, "colspan": colspan, "rowspan": 1,
            "headers": headers, "class": "num"}


def _note(text: str, colspan: int, rowspan: int) -> dict:
    return {"th": False, "text": text, "id": None, "scope": None, "colspan": colspan, "rowspan": rowspan,
            "headers": None, "class": "note"}


def tables_context(normalised: Any, report_id: str | None = None) -> dict:
    """What the template needs: for each part (二, 三, 四) a table as caption, column groups (their
    spans), header rows and row groups.

    Every cell is a dict {th, text, id, scope, colspan, rowspan, headers, class}. Data cells carry
    `headers` (the ids of all their header cells) besides the header cells' scope, because the
    tables have grouped headers on both axes."""
    stats = normalise(normalised)
    base = f"{report_id}-t" if report_id else "ar-t"     # ids are short: every data cell lists several
    return {"二": _table_2(stats, base + "2"), "三": _table_3(stats, base + "3"), "四": _table_4(stats, base + "4")}


def _table_2(stats: dict, p: str) -> dict:
    act = stats["active_disclosure"]
    width = max(len(b["columns"]) for b in REFERENCE["table_2_active_disclosure"])
    bodies = []
    keys_by_block: dict[int, list[str]] = {}
    for key, (b, _label, _cols) in ACTIVE_ROWS.items():
        keys_by_block.setdefault(b, []).append(key)
    for b, block in enumerate(REFERENCE["table_2_active_disclosure"]):
        bid = f"{p}-b{b + 1}"
        cols = block["columns"]
        last_span = width - len(cols) + 1      # the last column spans what the block does not use
        head = [_th(c, f"{bid}-c{i}", "col", last_span if i == len(cols) - 1 else 1, headers=bid)
                for i, c in enumerate(cols)]
        rows = [[_th(block["block"], bid, "rowgroup", colspan=width, cls="block")], head]
        for r, (label, key) in enumerate(zip(block["rows"], keys_by_block[b], strict=True)):
            rid = f"{bid}-r{r + 1}"
            values = act[key] if isinstance(act[key], list) else [act[key]]
            cells = [_th(label, rid, "row", headers=f"{bid} {bid}-c0")]
            for i, v in enumerate(values, 1):
                cells.append(_td(v, f"{bid} {rid} {bid}-c{i}", last_span if i == len(cols) - 1 else 1))
            rows.append(cells)
        bodies.append(rows)
    return {"id": p, "class": "annual-active", "caption": SECTION_OF_PART["二"], "colgroups": [],
            "head": [], "bodies": bodies}


def _table_3(stats: dict, p: str) -> dict:
    app = stats["applications"]
    corp = APPLICANT_COLUMNS[1:6]
    gid, cid = f"{p}-g", f"{p}-corp"
    col_ids = [f"{p}-c{i}" for i in range(7)]
    col_headers = [f"{gid} {col_ids[0]}", *(f"{gid} {cid} {col_ids[i]}" for i in range(1, 6)), f"{gid} {col_ids[6]}"]
    head = [
        [_note(HEADER_NOTE, 3, 3), _th(APPLICANT_GROUP, gid, "col", colspan=7)],   # spans 3 column groups
        [_th(APPLICANT_COLUMNS[0], col_ids[0], rowspan=2, headers=gid),
         _th(CORP_GROUP, cid, "colgroup", colspan=5, headers=gid),
         _th(APPLICANT_COLUMNS[6], col_ids[6], rowspan=2, headers=gid)],
        [_th(c, col_ids[i], headers=f"{gid} {cid}") for i, c in enumerate(corp, 1)],
    ]

    def data(values: list, row_headers: str) -> list[dict]:
        return [_td(v, f"{row_headers} {col_headers[i]}") for i, v in enumerate(values)]

    result_rows = sum(max(len(i.leaves), 1) for i in APPLICATION_ITEMS if i.parent)
    rid_result = f"{p}-res"
    rows: list[list[dict]] = []
    first_result = True
    for number, item in enumerate(APPLICATION_ITEMS, 1):
        rid = f"{p}-r{number}"
        if not item.parent:
            rows.append([_th(item.label, rid, "row", colspan=3), *data(app[item.key], rid)])
            continue
        lead = []
        if first_result:
            lead = [_th(RESULT_LABEL, rid_result, "row", rowspan=result_rows)]
            first_result = False
        if not item.leaves:
            rows.append([*lead, _th(item.label, rid, "row", colspan=2, headers=rid_result),
                         *data(app[item.key], f"{rid_result} {rid}")])
            continue
        for n, (leaf, leaf_label) in enumerate(item.leaves):
            lid = f"{rid}-{n + 1}"
            cells = list(lead) if n == 0 else []
            if n == 0:
                cells.append(_th(item.label, rid, "row", rowspan=len(item.leaves), headers=rid_result))
            cells.append(_th(leaf_label, lid, "row", headers=f"{rid_result} {rid}"))
            rows.append(cells + data(app[item.key][leaf], f"{rid_result} {rid} {lid}"))
            lead = []
    return {"id": p, "class": "annual-applications", "caption": SECTION_OF_PART["三"], "colgroups": [3, 1, 5, 1],
            "head": head, "bodies": [rows]}


def _table_4(stats: dict, p: str) -> dict:
    rl = stats["review_litigation"]
    groups = REFERENCE["table_4_review_litigation"]["groups"]
    n = len(REVIEW_COLUMNS)
    row1, row2, row3, cells = [], [], [], []
    colgroups: list[int] = []
    for g, (group, subs) in enumerate(groups.items()):
        gid = f"{p}-g{g + 1}"
        # a group over several column groups (行政诉讼) is a `col` header spanning its columns
        row1.append(_th(group, gid, "col" if len(subs) > 1 else "colgroup", colspan=n * max(len(subs), 1)))
        colgroups += [n] * max(len(subs), 1)
        if not subs:
            key = next(k for k, (gr, sub) in REVIEW_ROWS.items() if gr == group and sub is None)
            for i, c in enumerate(REVIEW_COLUMNS):
                row2.append(_th(c, f"{gid}-c{i}", rowspan=2, headers=gid))
                cells.append(_td(rl[key][i], f"{gid} {gid}-c{i}"))
            continue
        for s, sub in enumerate(subs):
            sid = f"{gid}-s{s + 1}"
            key = next(k for k, (gr, sb) in REVIEW_ROWS.items() if gr == group and sb == sub)
            row2.append(_th(sub, sid, "colgroup", colspan=n, headers=gid))
            for i, c in enumerate(REVIEW_COLUMNS):
                row3.append(_th(c, f"{sid}-c{i}", headers=f"{gid} {sid}"))
                cells.append(_td(rl[key][i], f"{gid} {sid} {sid}-c{i}"))
    return {"id": p, "class": "annual-review", "caption": SECTION_OF_PART["四"], "colgroups": colgroups,
            "head": [row1, row2, row3], "bodies": [[cells]]}


def render_tables(env, normalised: Any, report_id: str | None = None) -> dict[str, str]:
    """{'二': html, '三': html, '四': html}, through the (overridable) component template."""
    ctx = tables_context(normalised, report_id)
    template = env.get_template(TEMPLATE)
    return {part: template.render(part=part, tables=ctx) for part in PARTS}


# -- placing the tables in the prose --------------------------------------------------------------
_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.S | re.I)
_FOOTNOTES = re.compile(r'<div class="footnote"', re.I)
_TAGS = re.compile(r"<[^>]+>")


def _heading_text(inner: str) -> str:
    text = _TAGS.sub("", inner)
    return text.replace("&nbsp;", " ").replace("\u00a0", " ").strip()


def insert_tables(body_html: str, tables: dict[str, str]) -> str:
    """Put the table of 二/三/四 at the end of the section whose <h2> starts with 二、/三、/四、: before
    the next h1/h2 (or the footnotes, when they come first). A table whose heading is missing is
    appended after the prose (before the footnotes), in the order 二, 三, 四."""
    headings = [(m.start(), m.end(), int(m[1]), _heading_text(m[2])) for m in _HEADING.finditer(body_html)]
    foot = _FOOTNOTES.search(body_html)
    inserts: list[tuple[int, int, str]] = []     # (position, order, html)
    appended: list[str] = []
    for order, part in enumerate(PARTS):
        html = tables.get(part)
        if not html:
            continue
        pattern = re.compile(rf"^[#¶§\s]*{part}\s*[、.．，,]")
        found = next((i for i, h in enumerate(headings) if h[2] == 2 and pattern.match(h[3])), None)
        if found is None:
            appended.append(html)
            continue
        end = headings[found][1]
        at = next((h[0] for h in headings[found + 1:] if h[2] <= 2), len(body_html))
        if foot and end <= foot.start() < at:
            at = foot.start()
        inserts.append((at, order, html))
    out = body_html
    for at, _order, html in sorted(inserts, key=lambda t: (t[0], t[1]), reverse=True):
        out = out[:at] + _block(html) + out[at:]
    if appended:
        tail = "".join(_block(h) for h in appended)
        foot = _FOOTNOTES.search(out)
        out = out[:foot.start()] + tail + out[foot.start():] if foot else out + tail
    return out


def _block(html: str) -> str:
    return "\n" + html.strip("\n") + "\n"


# -- charts --------------------------------------------------------------------------------------
RESULT_CATEGORIES = (("disclosed", "予以公开"), ("partly_disclosed", "部分公开"), ("withheld", "不予公开"),
                     ("cannot_provide", "无法提供"), ("not_processed", "不予处理"), ("other", "其他处理"))


def result_totals(stats: dict) -> list[tuple[str, int]]:
    """How the year's applications were handled: (category, 总计 column) for （一）…（六）."""
    app = stats["applications"]
    out = []
    for key, label in RESULT_CATEGORIES:
        v = app[key]
        out.append((label, sum(row[6] for row in v.values()) if isinstance(v, dict) else v[6]))
    return out


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _nice_step(top: int, ticks: int = 4) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50 … with `ticks` steps reaching `top`."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m * ticks >= top:
                return step * m
        step *= 10


def _svg_open(width: float, height: float, ident: str, title: str, desc: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" width="{_num(width)}" '
            f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
            f'aria-labelledby="{ident}-title {ident}-desc">\n'
            f'<title id="{ident}-title">{_e(title)}</title>\n<desc id="{ident}-desc">{_e(desc)}</desc>')


def _data_table(ident: str, caption: str, head: list[str], rows: list[tuple[str, list[str]]]) -> str:
    out = [f'<div class="table-scroll" role="region" aria-labelledby="{ident}-table-caption" tabindex="0">',
           f'<table class="chart-data" id="{ident}-table">',
           f'<caption id="{ident}-table-caption">{_e(caption)}</caption>',
           "<thead><tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in head) + "</tr></thead>", "<tbody>"]
    for label, values in rows:
        out.append(f'<tr><th scope="row">{_e(label)}</th>'
                   + "".join(f'<td class="num">{_e(v)}</td>' for v in values) + "</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    return "\n".join(out)


def _figure(ident: str, svg: str, caption: str, table: str) -> str:
    return (f'<div class="chart" id="{ident}">\n<figure>\n{svg}<figcaption>{_e(caption)}</figcaption>\n</figure>\n'
            f"{table}\n</div>\n")


def _text_width(text: str, size: float) -> float:
    """Rough advance width: CJK and full-width characters one em, others about half."""
    return sum(size if ord(ch) > 0x2e7f else size * 0.6 for ch in text)


def report_chart_svg(report_id: str, normalised: Any) -> str:
    """Horizontal bars: the year's applications by how they were handled (总计 column)."""
    stats = normalise(normalised)
    data = result_totals(stats)
    total = stats["applications"]["total"][6]
    ident = f"{report_id}-chart-results"
    size, row_h, bar_h = 14, 30, 18
    label_w = max(_text_width(lab, size) for lab, _ in data) + 12
    top_value = max((v for _, v in data), default=0)
    step = _nice_step(max(top_value, 1))
    scale_max = step * -(-max(top_value, 1) // step)
    left, plot_w, right = label_w, 440.0, 56.0
    top, bottom = 8.0, 28.0
    height = top + row_h * len(data) + bottom
    width = left + plot_w + right
    title = "本年度政府信息公开申请办理结果"
    desc = (f"横向条形图，共办理 {total} 件："
            + "，".join(f"{lab} {v} 件" for lab, v in data) + "。")
    parts = [_svg_open(width, height, ident, title, desc)]
    axis_y = top + row_h * len(data)
    parts.append(f'<text x="{_num(left)}" y="{_num(axis_y + 18)}" font-size="12" text-anchor="middle" '
                 f'fill="{TEXT}">0</text>')
    for t in range(step, scale_max + 1, step):
        x = left + plot_w * t / scale_max
        parts.append(f'<line x1="{_num(x)}" y1="{_num(top)}" x2="{_num(x)}" y2="{_num(axis_y)}" stroke="{GRID}" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{_num(x)}" y="{_num(axis_y + 18)}" font-size="12" text-anchor="middle" '
                     f'fill="{TEXT}">{t}</text>')
    for n, (lab, v) in enumerate(data):
        y = top + row_h * n
        w = plot_w * v / scale_max
        parts.append(f'<text x="{_num(left - 8)}" y="{_num(y + row_h / 2 + size * 0.35)}" font-size="{size}" '
                     f'text-anchor="end" fill="{TEXT}">{_e(lab)}</text>')
        parts.append(f'<rect x="{_num(left)}" y="{_num(y + (row_h - bar_h) / 2)}" width="{_num(w)}" '
                     f'height="{bar_h}" fill="{BAR}"/>')
        parts.append(f'<text x="{_num(left + w + 6)}" y="{_num(y + row_h / 2 + size * 0.35)}" font-size="{size}" '
                     f'fill="{TEXT}">{v}</text>')
    parts.append(f'<line x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" y2="{_num(axis_y)}" stroke="{TEXT}" '
                 f'stroke-width="1"/>')
    parts.append("</svg>\n")
    table = _data_table(ident, f"{title}（数据）", ["办理结果", "件数", "占比"],
                        [(lab, [str(v), _pct(v, total)]) for lab, v in data]
                        + [("总计", [str(total), _pct(total, total)])])
    return _figure(ident, "\n".join(parts), f"图：{title}（单位：件）", table)


# -- trends across reports ---------------------------------------------------------------------------
TREND_METRICS = (
    ("new", "本年新收政府信息公开申请数量", "件"),
    ("share", "予以公开占办理结果总数的比例", "%"),
    ("review", "政府信息公开行政复议案件数", "件"),
    ("litigation", "政府信息公开行政诉讼案件数", "件"),
)


def _metric(stats: dict, metric: str) -> float | int | None:
    app, rl = stats["applications"], stats["review_litigation"]
    if metric == "new":
        return app["new"][6]
    if metric == "share":
        return 100 * app["disclosed"][6] / app["total"][6] if app["total"][6] else None
    if metric == "review":
        return rl["review"][4]
    return rl["litigation_direct"][4] + rl["litigation_after_review"][4]


def _metric_text(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}%" if unit == "%" else str(value)


def _marker(shape: str, x: float, y: float, colour: str, r: float = 4.5) -> str:
    if shape == "circle":
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{colour}"/>'
    if shape == "square":
        return (f'<rect x="{_num(x - r)}" y="{_num(y - r)}" width="{_num(2 * r)}" height="{_num(2 * r)}" '
                f'fill="{colour}"/>')
    if shape == "triangle":
        pts = [(x, y - r * 1.2), (x + r * 1.1, y + r * 0.9), (x - r * 1.1, y + r * 0.9)]
    elif shape == "diamond":
        pts = [(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)]
    else:  # cross
        return (f'<path d="M{_num(x - r)} {_num(y - r)}L{_num(x + r)} {_num(y + r)}M{_num(x - r)} {_num(y + r)}'
                f'L{_num(x + r)} {_num(y - r)}" stroke="{colour}" stroke-width="2.5" fill="none"/>')
    return f'<polygon points="{" ".join(f"{_num(a)},{_num(b)}" for a, b in pts)}" fill="{colour}"/>'


def _spread(ys: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label positions near `ys`, in the same order, no two closer than `gap`, kept within [lo, hi]
    where there is room (else they run on below hi)."""
    order = sorted(range(len(ys)), key=lambda i: (ys[i], i))
    placed = [min(max(ys[i], lo), hi) for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    if placed and placed[-1] > hi:
        placed[-1] = max(hi, lo + gap * (len(placed) - 1))
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out


def _series_table(reports: Iterable[dict]) -> tuple[list[str], list[int], dict[tuple[str, int], dict]]:
    """Agencies (sorted), years (sorted) and the stats of each (agency, year); for one agency and year
    with several reports the one with the greatest report id is used."""
    cells: dict[tuple[str, int], tuple[str, dict]] = {}
    for r in reports:
        agency = r["agency"] if isinstance(r["agency"], str) else "、".join(r["agency"])
        key = (agency, int(r["year"]))
        rid = str(r.get("report_id") or r.get("id") or "")
        if key not in cells or rid > cells[key][0]:
            cells[key] = (rid, normalise(r["stats"]))
    agencies = sorted({a for a, _ in cells})
    years = sorted({y for _, y in cells})
    return agencies, years, {k: v[1] for k, v in cells.items()}


def trend_charts_svg(series: list[dict], id_prefix: str = "trend") -> str:
    """Year-over-year line charts across reports: new applications, the share disclosed in full,
    review and litigation cases; one series per agency, told apart by colour, marker shape, dash
    pattern and a label at the line's end. Each chart is followed by its data table."""
    if not series:
        return ""
    agencies, years, cells = _series_table(series)
    return "".join(_trend_chart(f"{id_prefix}-{metric}", title, unit, metric, agencies, years, cells)
                   for metric, title, unit in TREND_METRICS)


def _trend_chart(ident: str, title: str, unit: str, metric: str, agencies: list[str], years: list[int],
                 cells: dict) -> str:
    values = {a: [(_metric(cells[(a, y)], metric) if (a, y) in cells else None) for y in years] for a in agencies}
    size = 13
    label_max = 14                                     # characters of an agency name drawn in the chart
    short = {a: (a if len(a) <= label_max else a[:label_max - 1] + "…") for a in agencies}
    left, top, bottom, plot_w, plot_h = 52.0, 14.0, 34.0, 420.0, 220.0
    right = 24 + max(_text_width(s, size) for s in short.values()) + 20
    unit_label = "%" if unit == "%" else "件"
    if unit == "%":
        scale_max, step = 100, 25
    else:
        top_value = max((v for vs in values.values() for v in vs if v is not None), default=0)
        step = _nice_step(max(int(top_value), 1))
        scale_max = step * -(-max(int(top_value), 1) // step)
    pad = 24.0

    def x_of(i: int) -> float:
        return left + plot_w / 2 if len(years) == 1 else left + pad + (plot_w - 2 * pad) * i / (len(years) - 1)

    def y_of(v: float) -> float:
        return top + plot_h - plot_h * v / scale_max

    lines: list[str] = []
    ends: list[tuple[str, float, int]] = []
    for n, a in enumerate(agencies):
        colour, shape, dash = COLOURS[n % len(COLOURS)], MARKERS[n % len(MARKERS)], DASHES[n % len(DASHES)]
        pts = [(x_of(i), y_of(v)) if v is not None else None for i, v in enumerate(values[a])]
        segment: list[tuple[float, float]] = []
        for p in pts + [None]:
            if p is not None:
                segment.append(p)
                continue
            if len(segment) > 1:
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                lines.append(f'<polyline points="{" ".join(f"{_num(x)},{_num(y)}" for x, y in segment)}" '
                             f'fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
            segment = []
        lines += [_marker(shape, p[0], p[1], colour) for p in pts if p is not None]
        last = next((p for p in reversed(pts) if p is not None), None)
        if last is not None:
            ends.append((a, last[1], n))
    label_ys = _spread([y for _, y, _ in ends], size + 5, top + size / 2, top + plot_h)
    lx = left + plot_w + 12
    for (a, _y, n), ly in zip(ends, label_ys):
        colour, shape = COLOURS[n % len(COLOURS)], MARKERS[n % len(MARKERS)]
        lines.append(_marker(shape, lx + 5, ly, colour, 4))
        lines.append(f'<text x="{_num(lx + 14)}" y="{_num(ly + size * 0.35)}" font-size="{size}" '
                     f'fill="{colour}">{_e(short[a])}</text>')
    width = left + plot_w + right
    height = max(top + plot_h + bottom, max(label_ys, default=0) + size)

    summary = "；".join(f"{a}：" + "，".join(f"{y}年 {_metric_text(v, unit)}" for y, v in zip(years, values[a]))
                       for a in agencies)
    unit_word = "百分比" if unit == "%" else "件数"
    desc = f"折线图，横轴为年度，纵轴为{title}（{unit_word}），每个机构一条线。{summary}。"
    parts = [_svg_open(width, height, ident, f"{title}（按年度）", desc)]
    for t in range(0, scale_max + 1, step):
        y = y_of(t)
        parts.append(f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(left + plot_w)}" y2="{_num(y)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{_num(left - 6)}" y="{_num(y + 4)}" font-size="12" text-anchor="end" '
                     f'fill="{TEXT}">{t}{"%" if unit == "%" else ""}</text>')
    for i, y in enumerate(years):
        parts.append(f'<text x="{_num(x_of(i))}" y="{_num(top + plot_h + 20)}" font-size="12" '
                     f'text-anchor="middle" fill="{TEXT}">{y}</text>')
    parts.append(f'<line x1="{_num(left)}" y1="{_num(top + plot_h)}" x2="{_num(left + plot_w)}" '
                 f'y2="{_num(top + plot_h)}" stroke="{TEXT}" stroke-width="1"/>')
    parts += lines
    parts.append("</svg>\n")
    rows = [(str(y), [_metric_text(values[a][i], unit) for a in agencies]) for i, y in enumerate(years)]
    table = _data_table(ident, f"{title}（按年度，单位：{unit_label}）", ["年度", *agencies], rows)
    return _figure(ident, "\n".join(parts), f"图：{title}（按年度，单位：{unit_label}）", table)


# -- exports --------------------------------------------------------------------------------------------
CSV_COLUMNS = ("report_id", "agency", "year", "table", "row", "column", "value")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _labels() -> dict:
    rows, columns = {}, {}
    for key, (b, label, cols) in ACTIVE_ROWS.items():
        rows[f"active_disclosure.{key}"] = f"{REFERENCE['table_2_active_disclosure'][b]['block']} {label}"
        columns[f"active_disclosure.{key}"] = list(cols)
    for item in APPLICATION_ITEMS:
        for leaf, leaf_label in item.leaves or ((None, None),):
            k = f"applications.{item.key}" + (f".{leaf}" if leaf else "")
            rows[k] = item.full_label + (f" {leaf_label}" if leaf else "")
    columns["applications"] = [c if i in (0, 6) else f"{CORP_GROUP} / {c}" for i, c in enumerate(APPLICANT_COLUMNS)]
    for key, (group, sub) in REVIEW_ROWS.items():
        rows[f"review_litigation.{key}"] = group if sub is None else f"{group} {sub}"
    columns["review_litigation"] = list(REVIEW_COLUMNS)
    return {"sections": dict(zip(("active_disclosure", "applications", "review_litigation"),
                                 REFERENCE["sections"][1:4])),
            "rows": rows, "columns": columns, "units": {"active_disclosure.fees": "万元", "*": "件"}}


def export_json(report_meta: dict, normalised: Any) -> str:
    """reports/<id>.json: {"report": meta (in the caller's order), "stats": the normalised numbers
    (in the order of the official tables), "labels": what each key and column means}."""
    stats = normalise(normalised)
    doc = {"report": _jsonable(report_meta), "format": "2021", "stats": stats, "labels": _labels()}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _agency_text(agency: Any) -> str:
    return ";".join(agency) if isinstance(agency, (list, tuple)) else ("" if agency is None else str(agency))


def _rows_for(report_id: str, agency: Any, year: Any, stats: Any) -> Iterator[list[str]]:
    for _path, table, row, col, value in iter_figures(normalise(stats)):
        yield [report_id, _agency_text(agency), "" if year is None else str(year), table, row, col, fmt(value)]


def _csv(rows: Iterable[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)      # \r\n line ends, the csv module's default
    w.writerow(CSV_COLUMNS)
    w.writerows(rows)
    return "\ufeff" + buf.getvalue()


def export_csv(report_meta: dict, normalised: Any) -> str:
    """reports/<id>.csv: one line per figure (long format, the columns of figures.csv), UTF-8 with BOM."""
    rid = str(report_meta.get("id") or report_meta.get("report_id") or "")
    return _csv(_rows_for(rid, report_meta.get("agency"), report_meta.get("year"), normalised))


def figures_csv(reports: list[dict]) -> str:
    """reports/figures.csv: every report's figures in one long table. Each item is
    {'report_id' (or 'id'), 'agency', 'year', 'stats'}; ordered by agency, year, report id."""
    items = sorted(reports, key=lambda r: (_agency_text(r.get("agency")), int(r.get("year") or 0),
                                           str(r.get("report_id") or r.get("id") or "")))
    rows: list[list[str]] = []
    for r in items:
        rows.extend(_rows_for(str(r.get("report_id") or r.get("id") or ""), r.get("agency"), r.get("year"),
                              r["stats"]))
    return _csv(rows)


def _empty_stats() -> dict:
    act = {k: ([0] * len(cols) if k in ACTIVE_LISTS else 0) for k, (_b, _l, cols) in ACTIVE_ROWS.items()}
    app = {i.key: ({k: [0] * 7 for k, _ in i.leaves} if i.leaves else [0] * 7) for i in APPLICATION_ITEMS}
    return {"active_disclosure": act, "applications": app,
            "review_litigation": {k: [0] * len(REVIEW_COLUMNS) for k in REVIEW_ROWS}}


def parse_figures_csv(text: str) -> dict[str, dict]:
    """The inverse of export_csv / figures_csv: {report id: normalised stats}."""
    where = {(t, r, c): path for path, t, r, c, _v in iter_figures(_empty_stats())}
    out: dict[str, dict] = {}
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader)
    if tuple(header) != CSV_COLUMNS:
        raise ValueError(f"unexpected columns {header}")
    for rid, _agency, _year, table, row, col, value in reader:
        stats = out.setdefault(rid, _empty_stats())
        path = where[(table, row, col)]
        target = stats
        for p in path[:-1]:
            target = target[p]
        number: int | float = int(value) if re.fullmatch(r"\d+", value) else float(value)
        target[path[-1]] = number
    return out
