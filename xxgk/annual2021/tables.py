"""The report's three tables of numbers as accessible HTML, each placed at the end of its section.

- render_tables(env, stats, report_id=None) -> {'二': html, '三': html, '四': html}
  (templates/components/annual_report_tables.html, fed by tables_context)
- insert_tables(body_html, tables) -> body with each table at the end of its section
"""
from __future__ import annotations

import re
from typing import Any

from .numbers import fmt, normalise
from .schema import (ACTIVE_ROWS, APPLICANT_COLUMNS, APPLICATION_ITEMS, CORP_GROUP, HEADER_NOTE, PARTS, REFERENCE,
                     RESULT_LABEL, REVIEW_COLUMNS, REVIEW_ROWS, SECTION_OF_PART)

TEMPLATE = "components/annual_report_tables.html"
APPLICANT_GROUP = "申请人情况"     # the heading over the applicant columns in the official table 三


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


