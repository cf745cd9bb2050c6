"""A portal's metadata block (索引号, 发文机关, 发布日期 …) in whatever layout the portal used.

The block arrives as lines of text (a table's cells joined `label：value`, a definition list, a
bulleted list, several fields on one line, one field per line, labels spaced out as `索 引 号`,
full-width colons, or no colon at all as in `索引号20240925-203618-472`). `parse_lines` finds the
labels and returns {field: raw value} plus the lines that were metadata (left out of the body).
"""
from __future__ import annotations

import re

from .normalize import squash

# label (without spaces) → field; the longer label wins where one contains another (发文字号 / 文号)
LABELS: dict[str, str] = {
    "索引号": "index_no", "索取号": "index_no",
    "主题分类": "topic", "所属主题": "topic", "主题类别": "topic", "信息分类": "topic", "分类": "topic",
    "发文机关": "agency", "发布机构": "agency", "发文单位": "agency", "发布单位": "agency", "制发机关": "agency",
    "公开主体": "agency", "发文机构": "agency", "信息来源": "source", "来源": "source",
    "成文日期": "written", "生成日期": "written", "成文时间": "written", "发文时间": "written_or_published",
    "标题": "title", "名称": "title", "文件名称": "title", "信息名称": "title",
    "发文字号": "doc_no", "文号": "doc_no", "发文号": "doc_no", "文件编号": "doc_no",
    "发布日期": "published", "发文日期": "published", "发布时间": "published", "公开日期": "published",
    "公开时间": "published", "发布于": "published",
    "主题词": "keywords", "关键词": "keywords", "关键字": "keywords",
    "有效性": "validity", "时效性": "validity", "效力状态": "validity", "是否有效": "validity", "效力": "validity",
    "生效时间": "valid_from", "施行日期": "valid_from", "生效日期": "valid_from", "实施日期": "valid_from",
    "施行时间": "valid_from", "实施时间": "valid_from",
    "废止时间": "valid_until", "有效期至": "valid_until", "失效时间": "valid_until", "废止日期": "valid_until",
    "失效日期": "valid_until", "有效期截止": "valid_until",
    "内容概述": "summary", "内容摘要": "summary", "摘要": "summary",
    "公开方式": "disclosure", "公开形式": "disclosure",
    "浏览次数": "furniture", "阅读次数": "furniture", "访问次数": "furniture", "点击数": "furniture",
    "点击次数": "furniture", "字号": "furniture", "作者": "furniture", "责任编辑": "furniture",
}
# traditional forms of the same labels (a traditional page keeps them)
_TRAD = str.maketrans({"號": "号", "題": "题", "關": "关", "鍵": "键", "詞": "词", "機": "机", "發": "发",
                       "佈": "布", "構": "构", "時": "时", "間": "间", "期": "期", "類": "类", "單": "单",
                       "位": "位", "開": "开", "廢": "废", "實": "实", "施": "施", "摘": "摘", "覽": "览",
                       "數": "数", "來": "来", "源": "源", "稱": "称", "責": "责", "編": "编", "輯": "辑",
                       "効": "效", "製": "制", "態": "态", "訊": "讯", "資": "资", "內": "内", "容": "容"})
_ORDER = sorted(LABELS, key=len, reverse=True)
_LABEL_ALT = "|".join(r"\s*".join(map(re.escape, lab)) for lab in _ORDER)
_LABEL_TRAD = {lab.translate(_TRAD): lab for lab in LABELS}
# a label at the start of a line (bullets, dashes allowed before it), then a colon or not
_START_RE = re.compile(r"^[\s\-–—•·*●◆■□>]*(" + _LABEL_ALT + r")\s*([:：]?)\s*")
# a later label on the same line: after a space, and followed by a colon
_LATER_RE = re.compile(r"(?:(?<=\s)|(?<=\|))(" + _LABEL_ALT + r")\s*[:：]")
MAX_VALUE = 300


def _field(label: str) -> str:
    return LABELS[squash(label)]


def translate_label(text: str) -> str:
    """A line with traditional labels written in simplified form, for matching (values are kept)."""
    return text.translate(_TRAD)


def split_fields(line: str) -> list[tuple[str, str]] | None:
    """[(field, value), …] when `line` is a metadata line, else None."""
    probe = translate_label(line)
    m = _START_RE.match(probe)
    if not m:
        return None
    label, colon = m.group(1), m.group(2)
    rest_at = m.end()
    if not colon:
        # no colon: only a known label directly followed by its value, or nothing (an empty field)
        after = probe[rest_at:].strip()
        if after and _field(label) in ("title", "summary", "source", "topic"):
            return None          # 标题… / 分类… without a colon is ordinary text
        if len(after) > 40 or re.search(r"[，。；,;！？]", after):
            return None
    marks = [(label, rest_at, m.start(1))]
    for later in _LATER_RE.finditer(probe, rest_at):
        marks.append((later.group(1), later.end(), later.start(1)))
    out = []
    for i, (lab, start, _s) in enumerate(marks):
        end = marks[i + 1][2] if i + 1 < len(marks) else len(line)
        value = line[start:end].strip(" \t\u3000\u00a0|;；,，")
        out.append((_field(lab), value[:MAX_VALUE]))
    return out


def _label_alone(fields) -> bool:
    return fields is not None and len(fields) == 1 and not fields[0][1]


def parse_lines(lines: list[str], limit: int = 80) -> tuple[dict[str, str], set[int]]:
    """The metadata found in the first `limit` lines: {field: value} (first non-empty value wins)
    and the indexes of the lines that were metadata. Where the block is laid out as labels alone on
    their lines (a definition list, one table cell a line), each takes the next line as its value."""
    head = [line if len(line) <= 400 else "" for line in lines[:limit]]
    split = [split_fields(line) for line in head]
    alone = [i for i, f in enumerate(split) if _label_alone(f)
             and i + 1 < len(head) and head[i + 1].strip() and split[i + 1] is None]
    meta_count = sum(1 for f in split if f is not None)
    pairs = len(alone) >= 2 and len(alone) * 2 >= meta_count
    found: dict[str, str] = {}
    used: set[int] = set()
    i = 0
    while i < len(head):
        fields = split[i]
        if fields is None:
            i += 1
            continue
        used.add(i)
        if pairs and i in alone:
            nxt = head[i + 1].strip()
            fields = [(fields[0][0], "" if nxt in ("-", "—", "无", "/") else nxt[:MAX_VALUE])]
            used.add(i + 1)
            i += 1
        for name, value in fields:
            if value and not found.get(name):
                found[name] = value
            else:
                found.setdefault(name, "")
        i += 1
    return found, used


def table_fields(rows: list[list[str]]) -> list[str] | None:
    """A metadata table (cells alternating label, value) as lines `label：value`; None when the
    table is not one (fewer than two known labels)."""
    lines, labels = [], 0
    for row in rows:
        cells = [c for c in row]
        i = 0
        while i < len(cells):
            cell = cells[i].strip()
            probe = translate_label(squash(cell)).rstrip(":：")
            if probe in LABELS:
                value = cells[i + 1].strip() if i + 1 < len(cells) else ""
                if translate_label(squash(value)).rstrip(":：") in LABELS:
                    value = ""
                    i += 1
                else:
                    i += 2
                lines.append(f"{probe}：{value}")
                labels += 1
            elif split_fields(cell):
                lines.append(cell)
                labels += 1
                i += 1
            else:
                i += 1
    return lines if labels >= 2 else None
