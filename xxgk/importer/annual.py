"""A published annual report in the 2021 format (国办公开办函〔2021〕30号): its tables → `stats`.

Rows are recognised by their labels (merged label cells — 三、本年度办理结果, （三）不予公开 —
are repeated in every row they cover, so a row's label is the whole path). A row's numbers are the
cells after its label: an empty cell is 0, a `/` is left out, a merged number counts once. The
sum rules of the format are then checked by the generator's own checker, and every inconsistency
is reported with the row and column, not hidden.
"""
from __future__ import annotations

import re

from .annual_check import GROUP_KEYS, check_stats
from .blocks import Table, is_number
from .normalize import squash, to_simplified

ACTIVE = (("normative_documents", ("规范性文件",), 3), ("rules", ("规章",), 3), ("licensing", ("行政许可",), 1),
          ("penalties", ("行政处罚",), 1), ("enforcement", ("行政强制",), 1), ("fees", ("行政事业性收费", "收费"), 1))
# (words in the row's label) → key path below `applications`; the first match wins
APPLICATION_ROWS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("本年新收",), ("new",)), (("上年结转",), ("carried_over",)), (("结转下年度",), ("carried_forward",)),
    (("国家秘密",), ("withheld", "state_secret")), (("禁止公开",), ("withheld", "prohibited_by_law")),
    (("三安全一稳定",), ("withheld", "security_stability")), (("危及",), ("withheld", "security_stability")),
    (("第三方",), ("withheld", "third_party")), (("内部事务",), ("withheld", "internal_affairs")),
    (("过程性",), ("withheld", "process_info")), (("执法案卷",), ("withheld", "enforcement_files")),
    (("行政查询",), ("withheld", "inquiry")),
    (("不掌握",), ("cannot_provide", "not_held")), (("另行制作",), ("cannot_provide", "needs_creation")),
    (("仍不明确",), ("cannot_provide", "unclear")), (("补正后",), ("cannot_provide", "unclear")),
    (("不补正",), ("other", "no_correction")), (("缴纳费用",), ("other", "unpaid_fee")),
    (("收费通知",), ("other", "unpaid_fee")),
    (("信访",), ("not_processed", "complaints")), (("投诉",), ("not_processed", "complaints")),
    (("重复申请",), ("not_processed", "duplicate")), (("公开出版物",), ("not_processed", "publications")),
    (("大量反复",), ("not_processed", "excessive")), (("重新出具",), ("not_processed", "confirmation")),
    (("其他处理",), ("other", "other")),
    (("部分公开",), ("partly_disclosed",)), (("予以公开",), ("disclosed",)), (("总计",), ("total",)),
)
_SLASH = {"/", "／", "\\", "—/—"}
_BLANK = {"", "-", "—", "--", "——", "无"}


def _value(text: str, amount: bool):
    t = text.strip().replace(",", "").replace("，", "")
    if t in _BLANK:
        return 0
    try:
        v = float(t)
    except ValueError:
        return None
    return v if amount and not v.is_integer() else int(v)


def split_row(cells: list[str], origin: list[bool]) -> tuple[str, list[str]]:
    """(label, value cells) of a table row: values are the trailing cells that are numbers, empty or
    `/`; a merged number (a continued cell) counts once; `/` cells are left out (a row of nothing but
    `/` — not applicable to this office — reads as zeros)."""
    k = len(cells)
    while k > 0 and (is_number(cells[k - 1]) or cells[k - 1].strip() in _BLANK | _SLASH):
        k -= 1
    label = to_simplified(squash("".join(dict.fromkeys(c for c in cells[:k] if c.strip()))))
    values = [cells[i] for i in range(k, len(cells)) if origin[i] and cells[i].strip() not in _SLASH]
    if not values and any(cells[i].strip() in _SLASH for i in range(k, len(cells))):
        values = ["" for i in range(k, len(cells)) if origin[i]]
    return label, values


def _app_key(label: str) -> tuple[str, ...] | None:
    for words, key in APPLICATION_ROWS:
        if all(w in label for w in words):
            if key == ("other", "other") and not re.search(r"其他$", label):
                continue
            return key
    return None


def stats_from_tables(tables: list[Table]) -> tuple[dict | None, dict[tuple, int], list[Table]]:
    """(stats, line of each row's key path, the tables used), or (None, {}, []) when these are not
    the tables of a 2021-format report (fewer than five rows of table 三 recognised)."""
    active: dict = {}
    apps: dict = {}
    review: dict = {}
    lines: dict[tuple, int] = {}
    used: list[Table] = []
    found = 0
    for t in tables:
        hits = 0
        text = to_simplified(squash(" ".join(c for r in t.cells for c in r)))
        for r, (cells, origin) in enumerate(zip(t.cells, t.origin)):
            label, raw = split_row(cells, origin)
            line = t.row_lines[r] if r < len(t.row_lines) else t.line
            if not raw or not label:
                if len(raw) >= 10 and "行政复议" in text:
                    label = "行政复议"
                else:
                    continue
            if len(raw) >= 15 and "行政复议" in text:
                vals = [_value(c, False) for c in raw[-15:]]
                for i, key in enumerate(("review", "litigation_direct", "litigation_after_review")):
                    review[key] = vals[i * 5:i * 5 + 5]
                    lines[("stats", "review_litigation", key)] = line
                hits += 1
                continue
            key = _app_key(label) if len(raw) >= 6 else None
            if key:
                vals = [_value(c, False) for c in raw[-7:]]
                node = apps
                for part in key[:-1]:
                    node = node.setdefault(part, {})
                node[key[-1]] = vals
                lines[("stats", "applications", *key)] = line
                hits += 1
                found += 1
                continue
            for akey, words, n in ACTIVE:
                if any(w in label for w in words):
                    vals = [_value(c, akey == "fees") for c in raw[:n]]
                    if len(vals) == n:
                        active[akey] = vals if n > 1 else vals[0]
                        lines[("stats", "active_disclosure", akey)] = line
                        hits += 1
                    break
        if hits:
            used.append(t)
    if found < 5:
        return None, {}, []
    for group, leaves in GROUP_KEYS.items():
        if group in apps:
            apps[group] = {k: apps[group][k] for k in leaves if k in apps[group]} | \
                          {k: v for k, v in apps[group].items() if k not in leaves}
    order = ("new", "carried_over", "disclosed", "partly_disclosed", "withheld", "cannot_provide", "not_processed",
             "other", "total", "carried_forward")
    stats = {"active_disclosure": {k: active[k] for k, _w, _n in sorted(ACTIVE, key=lambda a: _ACTIVE_ORDER.index(a[0]))
                                   if k in active},
             "applications": {k: apps[k] for k in order if k in apps},
             "review_litigation": review}
    return stats, lines, used


_ACTIVE_ORDER = ("rules", "normative_documents", "licensing", "penalties", "enforcement", "fees")


def check(stats: dict, lines: dict[tuple, int]):
    """The checker's problems, each with the source line of its row."""
    def line_of(path: tuple) -> int:
        p = tuple(x for x in path if not isinstance(x, int))
        while p:
            if p in lines:
                return lines[p]
            p = p[:-1]
        return 1
    _normalised, problems = check_stats(stats, line_of)
    return problems
