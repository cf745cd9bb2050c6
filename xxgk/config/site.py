"""The settings of site_config.yaml, declared once (README documents each key)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, UsageError
from ..load import yamltext
from ..resources import data_file
from .options import (Choice, Integer, Link, ListOf, OptionError, OptionErrors, Regex, SiteImage, SubConfig, Text,
                      Timezone, Url, did_you_mean, type_name, validate_mapping)

CONFIG_FILE = "site_config.yaml"
LANGS = ("zh-Hans", "zh-Hant", "en")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_TAXONOMY = data_file("config", "topic_taxonomy_gov_cn.yaml")


@dataclass(frozen=True)
class Agency:
    key: str
    name: str
    code: str | None


@dataclass(frozen=True)
class Topic:
    path: str   # 一级 or 一级/二级
    name: str   # its own name (last part)
    slug: str   # ASCII, taxonomy order: 03 or 03-02
    parent: str | None


def _agency(value: Any, i: int) -> Agency:
    if not isinstance(value, dict):
        raise OptionError(f"每个机构应写成 key、name、code 三项，实为{type_name(value)}")
    data = validate_mapping(value, {
        "key": Text("机构代号，条目的 agency 字段写它（小写英文字母、数字和 -）", required=True),
        "name": Text("机构全称", required=True),
        "code": Text("统一社会信用代码，索引号的第一部分"),
    })
    if not KEY_RE.match(data["key"]) or data["key"] == "index":
        raise OptionError(f"机构代号“{data['key']}”只能使用小写英文字母、数字和“-”，例如 czj", ("key",))
    return Agency(data["key"], data["name"], data["code"])


class Agencies(ListOf):
    def validate(self, value):
        agencies = super().validate(value)
        if not agencies:
            raise OptionError("至少要有一个机构")
        seen: dict[str, int] = {}
        for i, a in enumerate(agencies):
            if a.key in seen:
                raise OptionError(f"机构代号“{a.key}”与第 {seen[a.key] + 1} 个机构重复", (i, "key"))
            seen[a.key] = i
        return agencies


class Topics(SubConfig):
    """一级: [二级, …], in taxonomy order."""

    def __init__(self, doc):
        super().__init__(doc, {})

    def validate(self, value):
        if not isinstance(value, dict):
            raise OptionError(f"应为“一级分类: [二级分类, …]”的键值表，实为{type_name(value)}")
        return build_topics(value)


def build_topics(tree: dict) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for i, (first, seconds) in enumerate(tree.items(), 1):
        first = str(first)
        if "/" in first:
            raise OptionError(f"分类名“{first}”不能含“/”", (first,))
        if seconds is None:
            seconds = []
        if not isinstance(seconds, list):
            raise OptionError(f"“{first}”的二级分类应为列表", (first,))
        topics[first] = Topic(first, first, f"{i:02d}", None)
        for j, second in enumerate(seconds, 1):
            second = str(second)
            path = f"{first}/{second}"
            topics[path] = Topic(path, second, f"{i:02d}-{j:02d}", first)
    return topics


def _load_default_topics() -> dict[str, Topic]:
    """The State Council taxonomy (part of the generator: read once a process; Topic is frozen)."""
    return dict(_default_topics())


@functools.lru_cache(maxsize=1)
def _default_topics() -> dict[str, Topic]:
    import yaml
    with open(DEFAULT_TAXONOMY, encoding="utf-8") as f:      # (the C loader: 2 ms, not 19: every build reads it)
        return build_topics(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


OPTIONS = {
    "title": Text("网站名称，显示在每页页头和标题中。", required=True),
    "owner": Text("主办单位，显示在页脚。", required=True),
    "lang": Choice("网站默认语言：zh-Hans（简体）、zh-Hant（繁体）或 en；条目可用 lang 字段单独设置。", LANGS,
                   default="zh-Hans"),
    "timezone": Timezone("时区，用于计算“今天”（默认的 --as-of 日期）。", default="Asia/Shanghai"),
    "base_url": Url("网站正式地址（可选），例如 https://xxgk.example.gov.cn/；订阅源和 sitemap.xml 的绝对链接需要它。"),
    "index_no_pattern": Regex("索引号格式（正则表达式），每个条目的 index_no 必须完全符合。", required=True),
    "page_size": Integer("目录页每页条数。", minimum=1, maximum=1000, default=20),
    "agencies": Agencies("发文机关 / 发布机构列表，每项 key、name、code。", _agency, required=True),
    "topics": Topics("主题分类（可选），形如“一级: [二级, …]”；默认为国务院主题分类。"),
    "footer": SubConfig("页脚信息。", {
        "contact": Text("联系方式"),
        "site_code": Text("网站标识码"),
        "icp": Text("ICP备案号"),
        "police_record": Text("公安机关备案号"),
        # SPEC 12: the marks government website rules ask for
        "dzjg_logo": SiteImage("党政机关网站标识：站点内的图片文件（content/ 下的路径，如 files/dzjg.png），"
                               "链接到党政机关网站标识查询"),
        "jiucuo_url": Link("“我为政府网站找错”的网址（由政府网站找错平台分配给本网站）"),
    }),
    # -- the disclosure rules that `audit` checks (SPEC section 10) --
    "interpretation_days": Integer("政策解读应在所解读政策发布后多少个工作日内发布（audit 的 interpretation 规则；默认 3，"
                                   "即“文件公开3个工作日内发布政策解读”）。", minimum=0, maximum=60, default=3),
    "report_agencies": ListOf("应按条例第五十条每年1月31日前发布上一年度报告的机构代号列表（audit 的 report-due 规则）；"
                              "默认：发布过年度报告的每个机构。", lambda v, i: Text("机构代号").validate(v)),
    "normative_validity_years": Integer("行政规范性文件的默认有效期（年）：没有写 valid_until 的规范性文件（kind: normative）"
                                        "自施行日期（没有则发布日期）起有效这么多年，到期自动标为已失效；"
                                        "audit 的 normative 规则列出未写 valid_until 的。", minimum=1, maximum=100),
    "reg_no_pattern": Regex("行政规范性文件统一登记号（reg_no）的格式（正则表达式）；设置后，规范性文件须写符合格式的 reg_no"
                            "（audit 的 normative 规则列出缺少的）。"),
    "stale_days": Integer("某机构超过多少天没有发布任何条目即被列出（audit 的 stale 规则；默认 180）。", minimum=1,
                          maximum=3650, default=180),
}
for _k, _o in OPTIONS.items():
    _o.key = _k


@dataclass
class SiteConfig:
    title: str
    owner: str
    lang: str
    timezone: str
    base_url: str | None
    index_no_pattern: re.Pattern
    page_size: int
    agencies: dict[str, Agency]
    topics: dict[str, Topic]
    footer: dict[str, str | None]
    raw_hash: str = ""
    agency_list: list[Agency] = field(default_factory=list)
    # the disclosure rules (SPEC section 10; see audit/)
    interpretation_days: int = 3
    report_agencies: list[str] | None = None
    normative_validity_years: int | None = None
    reg_no_pattern: re.Pattern | None = None
    stale_days: int = 180


def load_config(site_dir: Path) -> SiteConfig:
    """Read and validate site_config.yaml; a problem raises UsageError (exit status 2)."""
    import hashlib

    path = site_dir / CONFIG_FILE
    rel = CONFIG_FILE
    if not path.is_file():
        raise UsageError(f"{site_dir} 不是站点文件夹：找不到 {CONFIG_FILE}（用 --site 指定站点文件夹）")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise UsageError("", [Diagnostic(rel, 1, "-", "文件不是 UTF-8 编码，请用编辑器以 UTF-8 编码另存为")]) from None
    try:
        data, line_of = yamltext.parse(text, 1)
    except yamltext.YamlProblem as p:
        raise UsageError("", [Diagnostic(rel, p.line, "-", p.message)]) from None
    if not isinstance(data, dict):
        raise UsageError("", [Diagnostic(rel, 1, "-", "内容应为“设置项: 值”的键值表")])
    try:
        values = validate_mapping(data, OPTIONS)
    except OptionErrors as exc:
        raise UsageError("", [Diagnostic(rel, line_of(e.path), ".".join(map(str, e.path)) or "-", e.message)
                              for e in exc.errors]) from None
    check_site_files(site_dir, values, line_of)
    agencies = values["agencies"]
    _check_report_agencies(values["report_agencies"], agencies, rel, line_of)
    return SiteConfig(
        title=values["title"], owner=values["owner"], lang=values["lang"], timezone=values["timezone"],
        base_url=values["base_url"], index_no_pattern=values["index_no_pattern"], page_size=values["page_size"],
        agencies={a.key: a for a in agencies}, agency_list=agencies,
        topics=values["topics"] or _load_default_topics(),
        footer=values["footer"] or validate_mapping({}, OPTIONS["footer"].options),   # no footer: every key empty
        raw_hash=hashlib.sha256(raw).hexdigest(),
        interpretation_days=values["interpretation_days"], report_agencies=values["report_agencies"],
        normative_validity_years=values["normative_validity_years"], reg_no_pattern=values["reg_no_pattern"],
        stale_days=values["stale_days"],
    )


def check_site_files(site_dir: Path, values: dict, line_of) -> None:
    """SPEC 12: the image of footer.dzjg_logo is a file of the site (nothing is loaded from another host)."""
    logo = (values.get("footer") or {}).get("dzjg_logo")
    if logo and not (site_dir / "content" / logo).is_file():
        raise UsageError("", [Diagnostic(CONFIG_FILE, line_of(("footer", "dzjg_logo")), "footer.dzjg_logo",
                                         f"找不到图片文件 content/{logo}；请把党政机关网站标识图片放在那里，或改正路径")])


def _check_report_agencies(keys: list[str] | None, agencies: list[Agency], rel: str, line_of) -> None:
    """report_agencies names agencies of the config (exit 2 otherwise, with a did-you-mean)."""
    known = [a.key for a in agencies]
    problems = [Diagnostic(rel, line_of(("report_agencies", i)), f"report_agencies.{i}",
                           f"未知机构代号“{k}”" + (did_you_mean(k, known) or f"（agencies 中有：{'、'.join(known)}）"))
                for i, k in enumerate(keys or []) if k not in known]
    if problems:
        raise UsageError("", problems)


__all__ = ["SiteConfig", "Agency", "Topic", "load_config", "OPTIONS", "did_you_mean"]
