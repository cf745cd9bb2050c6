"""The settings of site_config.yaml, declared once (README documents each key)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, UsageError
from ..load import yamltext
from .options import (Choice, Integer, ListOf, OptionError, OptionErrors, Regex, SubConfig, Text,
                      Timezone, Url, did_you_mean, type_name, validate_mapping)

CONFIG_FILE = "site_config.yaml"
LANGS = ("zh-Hans", "zh-Hant", "en")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_TAXONOMY = Path(__file__).with_name("topic_taxonomy_gov_cn.yaml")


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
    }),
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
    agencies = values["agencies"]
    return SiteConfig(
        title=values["title"], owner=values["owner"], lang=values["lang"], timezone=values["timezone"],
        base_url=values["base_url"], index_no_pattern=values["index_no_pattern"], page_size=values["page_size"],
        agencies={a.key: a for a in agencies}, agency_list=agencies,
        topics=values["topics"] or _load_default_topics(),
        footer=values["footer"] or validate_mapping({}, OPTIONS["footer"].options),   # no footer: every key empty
        raw_hash=hashlib.sha256(raw).hexdigest(),
    )


__all__ = ["SiteConfig", "Agency", "Topic", "load_config", "OPTIONS", "did_you_mean"]
