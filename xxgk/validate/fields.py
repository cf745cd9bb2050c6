"""Front-matter fields: one small parser a field, messages for Chinese editors naming the key."""
from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath
from typing import Any, Callable

from ..config.options import did_you_mean, type_name
from ..config.site import LANGS, SiteConfig
from ..diagnostics import Diagnostics
from ..load.source import RawEntry
from ..model import FORM_LABELS, STATUS_LABELS, AttachmentRef, Entry

DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
VALIDITY = ("effective", "amended", "repealed", "expired")
VALIDITY_ZH = {"有效": "effective", "已修改": "amended", "已废止": "repealed", "已失效": "expired", "失效": "expired",
               "废止": "repealed", "修改": "amended"}
DISCLOSURE = ("主动公开", "依申请公开")
FILE_KINDS = {"pdf": "PDF", "doc": "DOC", "docx": "DOCX", "xls": "XLS", "xlsx": "XLSX", "wps": "WPS", "et": "ET",
              "ofd": "OFD", "txt": "TXT", "csv": "CSV", "zip": "ZIP", "rar": "RAR", "7z": "7Z", "ppt": "PPT",
              "pptx": "PPTX", "png": "PNG 图片", "jpg": "JPEG 图片", "jpeg": "JPEG 图片", "gif": "GIF 图片",
              "svg": "SVG 图片", "webp": "WebP 图片", "mp4": "MP4 视频", "mp3": "MP3 音频"}

FIELD_ZH = {
    "title": "标题", "index_no": "索引号", "agency": "发文机关", "topic": "主题分类", "doc_no": "发文字号",
    "written": "成文日期", "published": "发布日期", "keywords": "主题词", "summary": "内容概述", "lang": "语言",
    "disclosure": "公开方式", "attachments": "附件", "validity": "有效性", "valid_from": "施行日期",
    "valid_until": "有效期至", "repealed_by": "被废止于", "amended_by": "被修改于", "repeals": "废止",
    "amends": "修改", "status_date": "状态日期", "validity_note": "有效性说明", "interprets": "解读的政策",
    "form": "解读形式", "year": "报告年度", "format": "报告格式", "stats": "统计数据",
    "personal_data": "个人信息", "nav_order": "导航顺序", "kind": "文件类别", "reg_no": "统一登记号",
}
KINDS = ("rule", "normative", "other")
KINDS_ZH = {"规章": "rule", "政府规章": "rule", "行政规范性文件": "normative", "规范性文件": "normative",
            "其他文件": "other", "其他": "other"}
COMMON = ("title", "index_no", "agency", "topic", "doc_no", "written", "published", "keywords", "summary", "lang",
          "disclosure", "attachments", "validity", "valid_from", "valid_until", "repealed_by", "amended_by",
          "repeals", "amends", "status_date", "validity_note", "personal_data")
ALLOWED = {
    "policies": COMMON + ("kind", "reg_no"),
    "interpretations": COMMON + ("interprets", "form"),
    "reports": COMMON + ("year", "format", "stats"),
    "pages": ("title", "nav_order", "lang", "summary", "personal_data"),
}
REQUIRED = {
    "policies": ("title", "index_no", "agency", "topic", "published"),
    "interpretations": ("title", "index_no", "agency", "published", "interprets"),
    "reports": ("title", "index_no", "agency", "published", "year"),
    "pages": ("title",),
}


class Problem(Exception):
    def __init__(self, message: str, sub: tuple = ()):
        super().__init__(message)
        self.message, self.sub = message, sub


def text(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise Problem(f"应为文字，实为{type_name(value)}")
    value = str(value).strip()
    if not value:
        raise Problem("不能为空")
    return value


def text_list(value: Any) -> list[str]:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise Problem(f"应为列表，实为{type_name(value)}")
    out = []
    for i, v in enumerate(value):
        try:
            out.append(text(v))
        except Problem as p:
            raise Problem(f"第 {i + 1} 项{p.message}", (i,)) from None
    return out


_ASCII_DIGITS = re.compile(r"^[0-9]{1,18}$")
_KEYWORD_SEPARATORS = re.compile(r"\s*[,，;；]\s*")


def _index_no_example(data: dict, config: SiteConfig) -> str:
    """"，形如 <the agency's code>/<the year published>-00001", when that matches the pattern."""
    agency = data.get("agency")
    agency = agency[0] if isinstance(agency, list) and agency else agency
    ag = config.agencies.get(agency) if isinstance(agency, str) else None
    year = str(data.get("published") or "")[:4]
    if ag is None or not ag.code or not _ASCII_DIGITS.match(year):
        return ""
    example = f"{ag.code}/{year}-00001"
    return (f"，形如 {example}（{ag.name}的统一社会信用代码/发布年份-本机构当年的五位流水号；"
            f"python build.py new 会算出下一个未用的号）" if config.index_no_pattern.match(example) else "")


def keyword_list(value: Any) -> list[str]:
    """A list of 主题词. Several words in one text ("政务公开, 预算" without brackets, or a
    full-width comma inside them, which YAML does not split) would be published as one word."""
    words = text_list(value)
    for i, w in enumerate(words):
        parts = [x for x in _KEYWORD_SEPARATORS.split(w) if x]
        if len(parts) > 1:
            fix = "[" + ", ".join(parts) + "]"
            where = "" if isinstance(value, str) else f"第 {i + 1} 项"
            raise Problem(f"{where}“{w}”是几个主题词写在了一起，会被当作一个词发布；"
                          f"请写成列表，各项之间用英文逗号分隔：{fix}", () if isinstance(value, str) else (i,))
    return words


def a_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    s = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    m = DATE_RE.match(s) if s else None
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise Problem(f"“{s}”不是有效日期（该月没有这一天），请检查年月日") from None
    raise Problem(f"“{value}”不是日期，请写成 YYYY-MM-DD，例如 2017-06-05")


def an_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and _ASCII_DIGITS.match(value.strip()):   # (not isdigit(): "²" and "①" are
            return int(value.strip())                                      # digits to it, and int() refuses them)
        raise Problem(f"应为整数，实为{type_name(value)}“{value}”")
    return value


def choice(options, aliases: dict | None = None) -> Callable[[Any], str]:
    def parse(value):
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value) in options:
            return str(value)
        hint = ""
        if aliases and str(value) in aliases:
            hint = f"，应写作“{aliases[str(value)]}”"
        else:
            hint = did_you_mean(value, options)
        raise Problem(f"“{value}”不是可选值（可选：{'、'.join(options)}）{hint}")
    return parse


def ids(value: Any) -> list[str]:
    out = text_list(value)
    for i, v in enumerate(out):
        v2 = v[:-3] if v.endswith(".md") else v
        v2 = v2.rsplit("/", 1)[-1]
        if v2 != v:
            raise Problem(f"请只写编号（文件名去掉 .md），例如“{v2}”", (i,))
    return out


def validate_entry(raw: RawEntry, config: SiteConfig, attachments: dict, diags: Diagnostics) -> Entry | None:
    """Check every field of one entry; record problems; return the entry (None if unusable)."""
    rel, data, line_of = raw.path, raw.data, raw.line_of
    e = Entry(id=raw.id, type=raw.type, path=rel, line_of=line_of, body=raw.body, body_line=raw.body_line,
              digest=raw.digest, lang=config.lang)
    allowed = ALLOWED[raw.type]
    ok = True

    def err(key: str, message: str, sub: tuple = (), code: str = "", line: int | None = None):
        nonlocal ok
        ok = False
        diags.error(rel, line or line_of((key,) + sub), key, message, code=code or key)

    for key in data:
        if key not in allowed:
            known = [k for k in FIELD_ZH if k in allowed]
            hint = did_you_mean(key, known)
            if not hint:
                zh = {v: k for k, v in FIELD_ZH.items() if k in allowed}
                hint = f"，“{key}”应写作“{zh[key]}”" if key in zh else ""
            if not hint and key in FIELD_ZH:
                hint = f"（{e.type_label}不使用这个字段）"
            diags.error(rel, line_of((key,)), key, f"未知字段“{key}”{hint}", code="unknown-key")
            ok = False

    for key in REQUIRED[raw.type]:
        if key not in data or data[key] is None or data[key] in ("", [], {}):    # (agency: [] too)
            err(key, f"缺少必填字段 {key}（{FIELD_ZH[key]}）", code="required", line=1 if key not in data else None)

    def field(key: str, parse: Callable[[Any], Any]):
        if key not in data or data[key] is None or key not in allowed:
            return None
        try:
            return parse(data[key])
        except Problem as p:
            err(key, p.message, p.sub)
            return None

    e.written_fields = frozenset(k for k in data if data[k] is not None)
    e.title = field("title", text) or e.title
    e.lang = field("lang", choice(LANGS, {"zh-CN": "zh-Hans", "zh-TW": "zh-Hant", "zh-HK": "zh-Hant", "zh": "zh-Hans"})) or config.lang
    e.summary = field("summary", text)
    e.summary_given = e.summary is not None
    e.personal_data = field("personal_data", choice(("public_notice",)))
    if raw.type == "pages":
        e.nav_order = field("nav_order", an_int)
        return e

    index_no = field("index_no", text)
    if index_no is not None and not config.index_no_pattern.match(index_no):
        err("index_no", f"索引号“{index_no}”不符合 site_config.yaml 中 index_no_pattern 规定的格式"
                        f"（{config.index_no_pattern.pattern}）{_index_no_example(data, config)}")
    e.index_no = index_no

    agencies = field("agency", text_list) or []
    for i, a in enumerate(agencies):
        if a not in config.agencies:
            by_name = [ag.key for ag in config.agency_list if ag.name == a]
            hint = (f"，“{a}”是机构名称，请写它的代号“{by_name[0]}”" if by_name else
                    did_you_mean(a, config.agencies) or f"（site_config.yaml 的 agencies 中有：{'、'.join(config.agencies)}）")
            err("agency", f"未知机构“{a}”{hint}", (i,) if isinstance(data.get("agency"), list) else ())
    if len(set(agencies)) != len(agencies):
        err("agency", "同一机构写了两次")
    e.agencies = agencies

    topic = field("topic", text)
    if topic is not None:
        norm = topic.replace("\\", "/").replace("／", "/").replace(" / ", "/")
        if norm not in config.topics:
            seconds = [p for p in config.topics if p.endswith("/" + norm)]
            hint = (f"，是否想写“{seconds[0]}”？" if seconds else did_you_mean(norm, config.topics))
            err("topic", f"未知主题分类“{topic}”{hint}（写作“一级”或“一级/二级”，见国务院主题分类或 site_config.yaml 的 topics）")
        else:
            e.topic = norm

    e.doc_no = field("doc_no", text)
    e.written = field("written", a_date)
    e.published = field("published", a_date)
    if e.written and e.published and e.written > e.published:
        err("written", f"成文日期 {e.written} 晚于发布日期 {e.published}")
    e.keywords = field("keywords", keyword_list) or []
    e.disclosure = field("disclosure", choice(DISCLOSURE)) or "主动公开"

    atts = field("attachments", lambda v: v if isinstance(v, list) else (_ for _ in ()).throw(
        Problem(f"应为列表（每项写 file 和 title），实为{type_name(v)}")))
    for i, item in enumerate(atts or []):
        ref = _attachment(item, i, attachments, err)
        if ref:
            e.attachments.append(ref)

    e.validity = field("validity", choice(VALIDITY, VALIDITY_ZH))
    e.valid_from = field("valid_from", a_date)
    e.valid_until = field("valid_until", a_date)
    e.status_date = field("status_date", a_date)
    e.validity_note = field("validity_note", text)
    if e.valid_from and e.valid_until and e.valid_until < e.valid_from:
        err("valid_until", f"有效期至 {e.valid_until} 早于施行日期 {e.valid_from}")
    for rel_key in ("repeals", "repealed_by", "amends", "amended_by"):
        setattr(e, rel_key, field(rel_key, ids) or [])
    if raw.type == "policies":
        e.kind = field("kind", choice(KINDS, KINDS_ZH)) or "other"
        e.reg_no = field("reg_no", text)
        years = config.normative_validity_years
        if e.kind == "normative" and years and e.valid_until is None and (e.valid_from or e.published):
            e.valid_until = default_valid_until(e.valid_from or e.published, years)
            e.valid_until_default = True

    if raw.type == "interpretations":
        e.interprets = field("interprets", ids) or []
        e.form = field("form", choice(tuple(FORM_LABELS))) or "text"
    if raw.type == "reports":
        e.year = field("year", an_int)
        if e.year is not None and not 1990 <= e.year <= 2200:
            err("year", f"报告年度 {e.year} 不合理")
        fmt = field("format", lambda v: choice(("2021", "free"))(str(v) if isinstance(v, int) else v))
        e.format = fmt or "free"
        e.stats = data.get("stats")
        if e.format == "2021" and e.stats is None:
            err("stats", "format: 2021 的年度报告必须有 stats（统计表数据），格式见 README")
        if e.format == "free" and e.stats is not None:
            err("stats", "只有 format: 2021 的年度报告才写 stats；请加上 format: 2021")
    return e


def default_valid_until(start: date, years: int) -> date:
    """The last valid day of a document valid for `years` years from `start` (inclusive days: from
    2020-03-01 for 5 years is to 2025-02-28; from a 29 February, to 28 February)."""
    from datetime import timedelta
    try:
        end = start.replace(year=start.year + years)
    except ValueError:                    # 29 February into a year without one
        end = date(start.year + years, 3, 1)
    return end - timedelta(days=1)


def _attachment(item, i, attachments, err) -> AttachmentRef | None:
    if isinstance(item, str):
        item = {"file": item}
    if not isinstance(item, dict):
        err("attachments", f"第 {i + 1} 个附件应写成 file: 和 title: 两项", (i,))
        return None
    for k in item:
        if k not in ("file", "title"):
            err("attachments", f"第 {i + 1} 个附件有未知项“{k}”{did_you_mean(k, ('file', 'title'))}", (i, k))
            return None
    f = item.get("file")
    if not isinstance(f, str) or not f.strip():
        err("attachments", f"第 {i + 1} 个附件缺少 file（附件路径，例如 files/2017/plan.pdf）", (i,))
        return None
    f = f.strip()
    norm = f[3:] if f.startswith("../files/") else f
    pure = PurePosixPath(norm)
    if pure.is_absolute() or ".." in pure.parts or "\\" in norm or not norm.startswith("files/"):
        err("attachments", f"附件路径“{f}”不合规：必须是 content/files/ 里的文件，写作 files/文件名", (i, "file"))
        return None
    att = attachments.get(str(pure))
    if att is None:
        err("attachments", f"找不到附件 content/{pure}：请把文件放进 content/files/，或改正路径", (i, "file"))
        return None
    title = item.get("title")
    if title is None:
        title = pure.name
    try:
        title = text(title)
    except Problem as p:
        err("attachments", f"第 {i + 1} 个附件的 title {p.message}", (i, "title"))
        return None
    ext = pure.suffix.lower().lstrip(".")
    return AttachmentRef(str(pure), title, att.size, FILE_KINDS.get(ext, ext.upper() or "文件"),
                         getattr(att, "digest", ""), i)
