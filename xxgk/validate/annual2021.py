"""The `stats:` of a 2021-format annual report (国办公开办函〔2021〕30号): shape, counts and sums.

`check_stats(stats, line_of)` returns `(normalised, problems)`. The normalised dict has exactly the
shape of the reference example (reference/annual_report_stats_example.yaml), in that key order,
with every row complete: application rows have 7 values (总计 computed where left out), the
（七）总计 row is present, review/litigation rows have 5 values. It is None when there are problems.
Checking a normalised dict again gives the same dict (render code relies on this).

The labels of the official tables are copied verbatim into REFERENCE below (the generator never
reads ../shared at run time); the table renderer in xxgk/render/annual2021.py uses the same
constant, so a label is written once.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterator

# -- the official labels: a verbatim copy of reference/annual_report_2021_tables.yaml ------------
REFERENCE: dict = {
    "sections": ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                 "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
    "table_2_active_disclosure": [
        {"block": "第二十条第（一）项", "columns": ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
         "rows": ["规章", "行政规范性文件"]},
        {"block": "第二十条第（五）项", "columns": ["信息内容", "本年处理决定数量"], "rows": ["行政许可"]},
        {"block": "第二十条第（六）项", "columns": ["信息内容", "本年处理决定数量"], "rows": ["行政处罚", "行政强制"]},
        {"block": "第二十条第（八）项", "columns": ["信息内容", "本年收费金额（单位：万元）"], "rows": ["行政事业性收费"]},
    ],
    "table_3_applications": {
        "header_note": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "columns": {"自然人": [], "法人或其他组织": ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"], "总计": []},
        "rows": [
            "一、本年新收政府信息公开申请数量",
            "二、上年结转政府信息公开申请数量",
            {"三、本年度办理结果": [
                "（一）予以公开",
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                {"（三）不予公开": ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                                "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                                "7.属于行政执法案卷", "8.属于行政查询事项"]},
                {"（四）无法提供": ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]},
                {"（五）不予处理": ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                                "5.要求行政机关确认或重新出具已获取信息"]},
                {"（六）其他处理": ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]},
                "（七）总计",
            ]},
            "四、结转下年度继续办理",
        ],
    },
    "table_4_review_litigation": {
        "groups": {"行政复议": [], "行政诉讼": ["未经复议直接起诉", "复议后起诉"]},
        "columns_each": ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
    },
}

# -- the keys of `stats:` and the labels they stand for ------------------------------------------
SECTION_KEYS = ("active_disclosure", "applications", "review_litigation")
SECTION_LABELS = dict(zip(SECTION_KEYS, REFERENCE["sections"][1:4]))

_T2 = REFERENCE["table_2_active_disclosure"]
# key -> (block index, row label, column labels of its values); `fees` is an amount, the rest counts
ACTIVE_ROWS: dict[str, tuple[int, str, tuple[str, ...]]] = {}
for _b, _keys in enumerate((("rules", "normative_documents"), ("licensing",), ("penalties", "enforcement"), ("fees",))):
    for _key, _label in zip(_keys, _T2[_b]["rows"], strict=True):
        ACTIVE_ROWS[_key] = (_b, _label, tuple(_T2[_b]["columns"][1:]))
ACTIVE_LISTS = ("rules", "normative_documents")   # [本年制发件数, 本年废止件数, 现行有效件数]
AMOUNT_KEYS = ("fees",)                          # 万元, may have decimals

_T3 = REFERENCE["table_3_applications"]
_corp = _T3["columns"]["法人或其他组织"]
APPLICANT_COLUMNS: tuple[str, ...] = ("自然人", *_corp, "总计")
CORP_GROUP = "法人或其他组织"
# how a column is named in a message: “其他” alone is ambiguous next to （六）其他处理
_COLUMN_IN_MESSAGE = tuple(c if c != "其他" else "其他（法人或其他组织）" for c in APPLICANT_COLUMNS)
HEADER_NOTE = _T3["header_note"]

_rows3 = _T3["rows"]
RESULT_LABEL = next(iter(_rows3[2]))                      # 三、本年度办理结果
_results = _rows3[2][RESULT_LABEL]
GROUP_KEYS = {
    "withheld": ("state_secret", "prohibited_by_law", "security_stability", "third_party", "internal_affairs",
                 "process_info", "enforcement_files", "inquiry"),
    "cannot_provide": ("not_held", "needs_creation", "unclear"),
    "not_processed": ("complaints", "duplicate", "publications", "excessive", "confirmation"),
    "other": ("no_correction", "unpaid_fee", "other"),
}


@dataclass(frozen=True)
class AppItem:
    key: str
    label: str                      # as in the official table
    parent: str | None              # 三、本年度办理结果 for （一）…（七）
    leaves: tuple[tuple[str, str], ...] = ()   # (key, label) of a group's rows

    @property
    def full_label(self) -> str:
        return (self.parent or "") + self.label


def _group(key: str, item: dict) -> AppItem:
    (label, leaf_labels), = item.items()
    return AppItem(key, label, RESULT_LABEL, tuple(zip(GROUP_KEYS[key], leaf_labels, strict=True)))


APPLICATION_ITEMS: tuple[AppItem, ...] = (
    AppItem("new", _rows3[0], None),
    AppItem("carried_over", _rows3[1], None),
    AppItem("disclosed", _results[0], RESULT_LABEL),
    AppItem("partly_disclosed", _results[1], RESULT_LABEL),
    _group("withheld", _results[2]),
    _group("cannot_provide", _results[3]),
    _group("not_processed", _results[4]),
    _group("other", _results[5]),
    AppItem("total", _results[6], RESULT_LABEL),
    AppItem("carried_forward", _rows3[3], None),
)
APP_BY_KEY = {i.key: i for i in APPLICATION_ITEMS}
RESULT_KEYS = ("disclosed", "partly_disclosed", "withheld", "cannot_provide", "not_processed", "other")

_T4 = REFERENCE["table_4_review_litigation"]
REVIEW_COLUMNS: tuple[str, ...] = tuple(_T4["columns_each"])
_review_group, _litigation_group = _T4["groups"]
# key -> (group label, sub-group label or None)
REVIEW_ROWS: dict[str, tuple[str, str | None]] = {
    "review": (_review_group, None),
    "litigation_direct": (_litigation_group, _T4["groups"][_litigation_group][0]),
    "litigation_after_review": (_litigation_group, _T4["groups"][_litigation_group][1]),
}


def review_label(key: str) -> str:
    group, sub = REVIEW_ROWS[key]
    return group if sub is None else f"{group} {sub}"


def app_row_label(key: str, leaf: str | None = None) -> str:
    """三、本年度办理结果（三）不予公开 4.保护第三方合法权益 — the full label of a row, for messages."""
    item = APP_BY_KEY[key]
    if leaf is None:
        return item.full_label
    return f"{item.full_label} {dict(item.leaves)[leaf]}"


def iter_app_rows() -> Iterator[tuple[tuple[str, ...], str]]:
    """Every leaf row of table 三 in table order: (key path below `applications`, full label)."""
    for item in APPLICATION_ITEMS:
        if item.leaves:
            for k, lab in item.leaves:
                yield (item.key, k), f"{item.full_label} {lab}"
        else:
            yield (item.key,), item.full_label


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
