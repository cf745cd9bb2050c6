"""Charts as inline SVG, each with its data table: one report's results, and trends across reports.

- report_chart_svg(report_id, stats) -> <figure> with an inline SVG bar chart + its data table
- trend_charts_svg(series) -> line charts across a site's reports, one series per agency
"""
from __future__ import annotations

from html import escape
from typing import Any, Iterable

from .numbers import _num, _pct, normalise

# chart styling: every colour has a contrast of at least 4.5:1 against white (tests check ≥ 3:1)
COLOURS = ("#1f5fa8", "#b3261e", "#1b7a3a", "#7b3fa0", "#a04a00", "#00707a", "#4d4d4d", "#9c2f6b")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
DASHES = ("", "8 4", "2 3", "10 3 2 3")
TEXT = "#1a1a1a"
GRID = "#c8c8c8"
BAR = COLOURS[0]


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
    # the drawing keeps its own size (labels stay at 12 px and more) and scrolls sideways on a phone,
    # in a box that takes keyboard focus (style.css .chart-scroll)
    return (f'<div class="chart" id="{ident}">\n<figure>\n'
            f'<div class="chart-scroll" role="region" aria-labelledby="{ident}-caption" tabindex="0">\n{svg}</div>'
            f'<figcaption id="{ident}-caption">{_e(caption)}</figcaption>\n</figure>\n'
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


