"""The 2021 format's tables (国办公开办函〔2021〕30号): their official labels and the keys of `stats:`.

checks.py: `check_stats(stats, line_of)` returns `(normalised, problems)`. The normalised dict has exactly the
shape of the reference example (reference/annual_report_stats_example.yaml), in that key order,
with every row complete: application rows have 7 values (总计 computed where left out), the
（七）总计 row is present, review/litigation rows have 5 values. It is None when there are problems.
Checking a normalised dict again gives the same dict (render code relies on this).

The labels of the official tables are copied verbatim into REFERENCE below (the generator never
reads ../shared at run time); the tables, charts and exports of this package use the same
constant, so a label is written once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

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


PARTS = ("二", "三", "四")                      # the three tables of numbers, by their section
SECTION_OF_PART = dict(zip(PARTS, REFERENCE["sections"][1:4]))
