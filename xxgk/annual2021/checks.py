"""Checking a 2021 report's `stats:`: shape, counts and the sums the format itself states.

`check_stats(stats, line_of)` returns `(normalised, problems)` (see schema.py for the shape).
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any, Callable

from .schema import (ACTIVE_LISTS, ACTIVE_ROWS, AMOUNT_KEYS, APPLICANT_COLUMNS, APPLICATION_ITEMS, RESULT_KEYS,
                     REVIEW_COLUMNS, REVIEW_ROWS, SECTION_KEYS, SECTION_LABELS, _COLUMN_IN_MESSAGE, app_row_label,
                     review_label)


# -- checking --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    line: int
    field: str        # e.g. stats.applications.total
    message: str      # in Chinese, for editors


def _type_name(value: Any) -> str:
    return {bool: "真假值", int: "整数", float: "数字", str: "文字", list: "列表", dict: "键值表",
            type(None): "空值"}.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    """How a wrong value is quoted in a message."""
    if isinstance(value, bool):
        return f"真假值 {'true' if value else 'false'}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"数字 {value}"
    if isinstance(value, str):
        return f"文字“{value}”"
    return _type_name(value)


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def is_amount(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and value >= 0)


def _did_you_mean(word: str, keys: tuple[str, ...], labels: dict[str, str]) -> str:
    """，是否想写“third_party”？ — also when the editor wrote the Chinese label instead of the key."""
    bare = word.strip()
    for key, label in labels.items():
        short = label.split("）", 1)[-1] if label.startswith("（") else label.split(".", 1)[-1].split("、", 1)[-1]
        if bare and bare in (label, short, short.split("（", 1)[0], label.split(" ")[-1]):
            return f"，“{bare}”应写作“{key}”"
    close = difflib.get_close_matches(bare, list(keys), n=1, cutoff=0.5)
    return f"，是否想写“{close[0]}”？" if close else f"（可写：{'、'.join(keys)}）"


class _Checker:
    def __init__(self, line_of: Callable[[tuple], int]):
        self.line_of = line_of
        self.problems: list[Problem] = []

    def add(self, path: tuple, message: str) -> None:
        field = ".".join(["stats", *(str(p) for p in path if not isinstance(p, int))])
        try:
            line = int(self.line_of(("stats", *path)))
        except Exception:  # a line is a convenience; never let it hide the message
            line = 1
        self.problems.append(Problem(max(line, 1), field, message))

    def mapping(self, path: tuple, value: Any, keys: tuple[str, ...], labels: dict[str, str], what: str) -> dict | None:
        """A mapping with known keys: wrong type, unknown and missing keys are problems."""
        if not isinstance(value, dict):
            self.add(path, f"{what} 应为键值表（{'、'.join(keys)}），实为{_type_name(value)}")
            return None
        for k in value:
            if str(k) not in keys:
                name = ".".join([*(str(p) for p in path[1:]), str(k)])
                self.add((*path, str(k)), f"未知项“{name}”{_did_you_mean(str(k), keys, labels)}")
        return {str(k): v for k, v in value.items()}

    def missing(self, path: tuple, key: str, label: str, leaf: bool = True) -> None:
        name = ".".join([*(str(p) for p in path[1:]), key])
        self.add(path, f"缺少行 {name}（{label}）" if leaf else f"缺少 {name}（{label}）")

    def numbers(self, path: tuple, value: Any, columns: tuple[str, ...], optional_total: bool, label: str,
                amount: bool = False) -> list | None:
        """A row [a, b, …]: a list of len(columns) counts, or one fewer when the last (总计) may be left out."""
        n = len(columns)
        if isinstance(value, list) and len(value) in ((n - 1, n) if optional_total else (n,)):
            valid = is_amount if amount else is_count
            bad = [i for i, v in enumerate(value) if not valid(v)]
            if not bad:
                return list(value)
            names = _COLUMN_IN_MESSAGE if columns == APPLICANT_COLUMNS else columns
            for i in bad:
                self.add((*path, i), f"“{names[i]}”列的值必须是非负{'数' if amount else '整数'}，实为 {_shown(value[i])}")
            return None
        listing = "、".join(columns) + ("；总计可省略" if optional_total else "")
        if value is None:
            self.add(path, f"{label} 未填写数值：应为 {n} 个数（{listing}）")
        elif not isinstance(value, list):
            self.add(path, f"{label} 应为 {n} 个数的列表（{listing}），实为 {_shown(value)}")
        else:
            self.add(path, f"{label} 应有 {n} 个数（{listing}），实有 {len(value)} 个")
        return None

    def scalar(self, path: tuple, value: Any, column: str, label: str, amount: bool) -> int | float | None:
        if value is None:
            self.add(path, f"{label}“{column}”未填写数值")
            return None
        if not (is_amount(value) if amount else is_count(value)):
            kind = "非负数（可以有小数）" if amount else "非负整数"
            self.add(path, f"{label}“{column}”的值必须是{kind}，实为 {_shown(value)}")
            return None
        return value


def check_stats(stats: object, line_of: Callable[[tuple], int]) -> tuple[dict | None, list[Problem]]:
    """Check the parsed `stats:` value of a format-2021 report; never raises for a user's mistake.

    `line_of(('stats', 'applications', 'new', 6))` gives the line of that node (or its nearest
    ancestor). Returns (normalised dict, []) or (None, problems)."""
    c = _Checker(line_of)
    top = c.mapping((), stats, SECTION_KEYS, SECTION_LABELS, "stats")
    if top is None:
        return None, c.problems
    for key in SECTION_KEYS:
        if key not in top:
            c.add((), f"缺少 {key}（{SECTION_LABELS[key]}）")
    out = {
        "active_disclosure": _active(c, top["active_disclosure"]) if "active_disclosure" in top else None,
        "applications": _applications(c, top["applications"]) if "applications" in top else None,
        "review_litigation": _review(c, top["review_litigation"]) if "review_litigation" in top else None,
    }
    if c.problems:
        return None, c.problems
    return out, []


def _active(c: _Checker, value: Any) -> dict | None:
    path = ("active_disclosure",)
    keys = tuple(ACTIVE_ROWS)
    m = c.mapping(path, value, keys, {k: v[1] for k, v in ACTIVE_ROWS.items()}, "active_disclosure")
    if m is None:
        return None
    out: dict = {}
    for key, (_block, label, columns) in ACTIVE_ROWS.items():
        if key not in m:
            if key not in ACTIVE_LISTS:   # 规章 / 行政规范性文件 left out: counted from the catalogue at build
                c.missing(path, key, label)
            continue
        if key in ACTIVE_LISTS:
            out[key] = c.numbers((*path, key), m[key], columns, False, label)
        else:
            out[key] = c.scalar((*path, key), m[key], columns[0], label, key in AMOUNT_KEYS)
    return out


def _applications(c: _Checker, value: Any) -> dict | None:
    path = ("applications",)
    keys = tuple(i.key for i in APPLICATION_ITEMS)
    m = c.mapping(path, value, keys, {i.key: i.label for i in APPLICATION_ITEMS}, "applications")
    if m is None:
        return None
    rows: dict[tuple, list | None] = {}      # key path -> the values as written (6 or 7), or None if unusable
    out: dict = {}
    for item in APPLICATION_ITEMS:
        if item.leaves:
            if item.key not in m:
                c.missing(path, item.key, f"{item.label}，含 {'、'.join(k for k, _ in item.leaves)}", leaf=False)
                for k, _ in item.leaves:
                    rows[(item.key, k)] = None
                continue
            sub = c.mapping((*path, item.key), m[item.key], tuple(k for k, _ in item.leaves), dict(item.leaves),
                            f"applications.{item.key}（{item.label}）")
            for k, lab in item.leaves:
                if sub is None:
                    rows[(item.key, k)] = None
                elif k not in sub:
                    c.missing((*path, item.key), k, lab)
                    rows[(item.key, k)] = None
                else:
                    rows[(item.key, k)] = c.numbers((*path, item.key, k), sub[k], APPLICANT_COLUMNS, True,
                                                    f"{item.label} {lab}")
        elif item.key == "total" and m.get("total") is None:
            rows[("total",)] = []              # left out: computed
        elif item.key not in m:
            c.missing(path, item.key, item.full_label)
            rows[(item.key,)] = None
        else:
            rows[(item.key,)] = c.numbers((*path, item.key), m[item.key], APPLICANT_COLUMNS, True, item.full_label)

    full: dict[tuple, list[int]] = {}
    # 1. every row except （七）总计: 总计 = 自然人 + the five 法人或其他组织 columns
    for rp, vals in rows.items():
        if rp == ("total",) or not vals:
            continue
        s = sum(vals[:6])
        if len(vals) == 7 and vals[6] != s:
            label = app_row_label(*rp) if len(rp) == 2 else app_row_label(rp[0])
            c.add((*path, *rp, 6), f"{label} 行“总计”列：应为 {s}（自然人与法人或其他组织各列之和），实为 {vals[6]}")
        full[rp] = vals[:6] + [s]

    # 2. （七）总计 = the sum of its leaf rows, per column
    leaf_paths = [rp for rp in rows if rp[0] in RESULT_KEYS]
    given = rows[("total",)]
    seven: list[int] | None = None
    if all(rp in full for rp in leaf_paths):
        seven = [sum(full[rp][i] for rp in leaf_paths) for i in range(7)]
        if given:
            for i in range(7):
                found = given[i] if i < 6 else (given[6] if len(given) == 7 else None)
                if found is not None and found != seven[i]:
                    c.add((*path, "total", i), f"{app_row_label('total')} 行“{_COLUMN_IN_MESSAGE[i]}”列："
                                               f"应为 {seven[i]}（各项之和），实为 {found}")
    elif given:                                # the leaves are unusable: at least check the row itself
        s = sum(given[:6])
        if len(given) == 7 and given[6] != s:
            c.add((*path, "total", 6), f"{app_row_label('total')} 行“总计”列：应为 {s}"
                                       f"（自然人与法人或其他组织各列之和），实为 {given[6]}")
        seven = given[:6] + [s]

    # 3. 一 + 二 = 三（七）总计 + 四, per column
    ends = [full.get((k,)) for k in ("new", "carried_over", "carried_forward")]
    if seven is not None and all(ends):
        new, carried_over, carried_forward = ends
        for i in range(7):
            lhs, rhs = new[i] + carried_over[i], seven[i] + carried_forward[i]
            if lhs != rhs:
                c.add(path, f"一、本年新收 + 二、上年结转 ≠ 三（七）总计 + 四、结转下年度继续办理"
                            f"（“{_COLUMN_IN_MESSAGE[i]}”列：{lhs} ≠ {rhs}）")

    for item in APPLICATION_ITEMS:
        if item.leaves:
            out[item.key] = {k: full.get((item.key, k)) for k, _ in item.leaves}
        elif item.key == "total":
            out["total"] = seven
        else:
            out[item.key] = full.get((item.key,))
    return out


def _review(c: _Checker, value: Any) -> dict | None:
    path = ("review_litigation",)
    m = c.mapping(path, value, tuple(REVIEW_ROWS), {k: review_label(k) for k in REVIEW_ROWS}, "review_litigation")
    if m is None:
        return None
    out: dict = {}
    for key in REVIEW_ROWS:
        label = review_label(key)
        if key not in m:
            c.missing(path, key, label)
            continue
        vals = c.numbers((*path, key), m[key], REVIEW_COLUMNS, True, label)
        if vals is None:
            out[key] = None
            continue
        s = sum(vals[:4])
        if len(vals) == 5 and vals[4] != s:
            c.add((*path, key, 4), f"{label} 行“总计”列：应为 {s}（结果维持、结果纠正、其他结果、尚未审结之和），实为 {vals[4]}")
        out[key] = vals[:4] + [s]
    return out
