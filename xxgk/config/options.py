"""Typed options. Each validates one value and says, in Chinese, what is wrong and how to fix it."""
from __future__ import annotations

import difflib
import re
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..load import controls


class OptionError(Exception):
    def __init__(self, message: str, path: tuple = ()):
        super().__init__(message)
        self.message = message
        self.path = path  # sub-path below the option's key, for the line number


def did_you_mean(word: str, choices, n: int = 1) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=n, cutoff=0.5)
    return f"，是否想写“{close[0]}”？" if close else ""


def type_name(value: Any) -> str:
    return {bool: "真假值", int: "整数", float: "数字", str: "文字", list: "列表", dict: "键值表",
            type(None): "空值"}.get(type(value), type(value).__name__)


class Option:
    """One key of a mapping: documented, with a default, validating its value."""

    def __init__(self, doc: str, required: bool = False, default: Any = None):
        self.doc = doc
        self.required = required
        self.default = default
        self.key = ""  # set by the owner

    def validate(self, value: Any) -> Any:
        return value


class Text(Option):
    def __init__(self, doc, required=False, default=None, allow_empty=False):
        super().__init__(doc, required, default)
        self.allow_empty = allow_empty

    def validate(self, value):
        if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
            raise OptionError(f"应为文字，实为{type_name(value)}")
        value = str(value).strip()
        if not value and not self.allow_empty:
            raise OptionError("不能为空")
        why = controls.describe(value)
        if why:
            raise OptionError(why)
        return value


class Choice(Option):
    def __init__(self, doc, choices, required=False, default=None):
        super().__init__(doc, required, default)
        self.choices = list(choices)

    def validate(self, value):
        if value not in self.choices:
            raise OptionError(f"“{value}”不是可选值（可选：{'、'.join(map(str, self.choices))}）"
                              + did_you_mean(value, self.choices))
        return value


class Integer(Option):
    def __init__(self, doc, minimum=None, maximum=None, required=False, default=None):
        super().__init__(doc, required, default)
        self.minimum, self.maximum = minimum, maximum

    def validate(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise OptionError(f"应为整数，实为{type_name(value)}“{value}”")
        if self.minimum is not None and value < self.minimum:
            raise OptionError(f"不能小于 {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise OptionError(f"不能大于 {self.maximum}")
        return value


class Regex(Text):
    """A regular expression every entry's value is matched against (index_no_pattern, reg_no_pattern):
    one that backtracks catastrophically on some text would hang the build on an entry, so it is
    tried on a few such texts first, within a second of CPU time (budget.py)."""

    PROBES = tuple(c * n + "!" for n in (24, 4000) for c in ("a", "A", "1", "0/", "a1", " ", "-", "〔"))

    def validate(self, value):
        value = super().validate(value)
        try:
            pattern = re.compile(value)
        except re.error as exc:
            raise OptionError(f"不是有效的正则表达式：{exc}") from None
        from .. import budget
        try:
            with budget.within(1.0):
                for probe in self.PROBES:
                    pattern.search(probe)
        except budget.TooSlow:
            raise OptionError("这个正则表达式在某些文本上要回溯极长时间（灾难性回溯，常见于嵌套的重复，如 (a+)+ 或 "
                              "(\\d*)*），会让构建卡住：请改写，例如 '^[0-9A-Z]{9,18}/\\d{4}-\\d{5}$'") from None
        return pattern


class Url(Text):
    """An absolute http(s) address of the site: it is written into robots.txt, sitemap.xml and the
    feeds, so whitespace, quotes, a query or a fragment would change what those files say."""

    def validate(self, value):
        value = super().validate(value)
        if not re.match(r"^https?://[^/\s]+", value):
            raise OptionError(f"“{value}”不是以 http:// 或 https:// 开头的网址")
        if re.search(r"[\s<>\"'`\\{}|^]", value):
            raise OptionError(f"“{value.strip()}”含有空白或 <>\"'`\\{{}}|^ 等字符，不是有效的网址")
        if "?" in value or "#" in value:
            raise OptionError(f"“{value}”含有“?”或“#”：网站地址不能带查询参数或锚点，请只写到路径，"
                              "例如 https://xxgk.example.gov.cn/")
        host = value.split("://", 1)[1].split("/", 1)[0]
        if "@" in host or not re.match(r"^[^:]+(:[0-9]{1,5})?$", host) or host.startswith((".", "-")):
            raise OptionError(f"“{value}”的主机名“{host}”不合规（不能含用户名“@”，端口只能是数字），"
                              "例如 https://xxgk.example.gov.cn/")
        return value if value.endswith("/") else value + "/"


# -- SPEC 12 (government website rules): the footer's marks ----------------------------------------
class Link(Text):
    """An http(s) address kept exactly as written (a query string stays as it is)."""

    def validate(self, value):
        value = super().validate(value)
        if not re.match(r"^https?://[^/\s]+\S*$", value):
            raise OptionError(f"“{value}”不是以 http:// 或 https:// 开头的完整网址")
        return value


class SiteImage(Text):
    """An image file of the site: a path below content/, e.g. files/dzjg.png (published as it is).
    Whether the file exists is checked with the site folder (config.site.check_site_files)."""
    IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")

    def validate(self, value):
        value = super().validate(value).replace("\\", "/")
        if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) or value.startswith("/") or ".." in value.split("/"):
            raise OptionError(f"“{value}”应为站点内的图片文件，写 content/ 下的路径，例如 files/dzjg.png"
                              "（不能引用其他网站的图片）")
        if not value.startswith("files/"):
            raise OptionError(f"“{value}”应放在 content/files/ 中，写成 files/…，例如 files/dzjg.png")
        if not value.lower().endswith(self.IMAGE_EXTS):
            raise OptionError(f"“{value}”不是图片文件（可用：{'、'.join(self.IMAGE_EXTS)}）")
        return value


class Timezone(Text):
    def validate(self, value):
        value = super().validate(value)
        try:
            if not re.match(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$", value) or len(value) > 64:
                raise ValueError(value)
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):     # OSError: "Asia" is a folder of zones
            raise OptionError(f"“{value[:80]}”不是时区名称，例如 Asia/Shanghai") from None
        return value


class SubConfig(Option):
    """A mapping with its own options; unknown keys are errors with a did-you-mean."""

    def __init__(self, doc, options: dict[str, Option], required=False):
        super().__init__(doc, required, None)
        self.options = options
        for k, o in options.items():
            o.key = k

    def validate(self, value):
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise OptionError(f"应为键值表，实为{type_name(value)}")
        return validate_mapping(value, self.options)


class ListOf(Option):
    def __init__(self, doc, item: Callable[[Any, int], Any], required=False, default=None):
        super().__init__(doc, required, default)
        self.item = item

    def validate(self, value):
        if not isinstance(value, list):
            raise OptionError(f"应为列表（每项以“- ”开头），实为{type_name(value)}")
        out, errors = [], []
        for i, v in enumerate(value):
            try:
                out.append(self.item(v, i))
            except OptionError as exc:
                errors.append(OptionError(exc.message, (i,) + exc.path))
            except OptionErrors as exc:
                errors.extend(OptionError(e.message, (i,) + e.path) for e in exc.errors)
        if errors:
            raise OptionErrors(errors)
        return out


class OptionErrors(Exception):
    def __init__(self, errors: list[OptionError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def validate_mapping(data: dict, options: dict[str, Option]) -> dict:
    """Validate every key; raise all problems at once, each with its key path."""
    out, errors = {}, []
    for key in data:
        if key not in options:
            hint = did_you_mean(key, options) or "（可用：" + "、".join(options) + "）"
            errors.append(OptionError(f"未知设置项“{key}”{hint}", (key,)))
    for key, option in options.items():
        if key not in data or data[key] is None:
            if option.required:
                errors.append(OptionError(f"缺少必填设置项 {key}（{option.doc.split('。')[0]}）", (key,)))
            out[key] = option.default
            continue
        try:
            out[key] = option.validate(data[key])
        except OptionError as exc:
            errors.append(OptionError(exc.message, (key,) + exc.path))
        except OptionErrors as exc:
            errors.extend(OptionError(e.message, (key,) + e.path) for e in exc.errors)
    if errors:
        raise OptionErrors(errors)
    return out
