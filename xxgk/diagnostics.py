"""Messages for editors: `PATH:LINE: FIELD: message`, collected for the whole site, then printed.

Errors stop the build; warnings are printed (and become errors with --strict); notices are
informational and never fail a build. Repeated warnings of one kind collapse after a few.
"""
from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, TextIO

from .invocation import as_run

ERROR, WARNING, NOTICE = "error", "warning", "notice"
_PREFIX = {ERROR: "", WARNING: "警告：", NOTICE: "提示："}
COLLAPSE_AFTER = 5
# what the warnings and notices of one kind are about, for the line that counts those not shown
CODE_LABELS = {"scheduled": "定时发布的条目", "unsafe-html": "正文中的原始 HTML", "placeholder": "占位正文",
               "personal-data": "疑似个人信息", "not-md": "不是 .md 的文件", "subfolder": "子文件夹",
               "unknown-folder": "content/ 下的未知文件夹", "todo": "标有 TODO 的字段", "table-2": "年度报告表二与目录统计不符",
               "attachment-unread": "文字无法读取的附件", "attachment-partial": "只读取了一部分的附件",
               "lost-digits": "以数字格式保存的长数字"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    field: str
    message: str
    level: str = ERROR
    code: str = ""  # kind of message, for collapsing repeats

    def format(self, strict: bool = False) -> str:
        level = ERROR if (strict and self.level == WARNING) else self.level
        return f"{_visible(self.path)}:{self.line}: {_visible(self.field)}: {_PREFIX[level]}{_visible(as_run(self.message))}"


def _visible(text: str) -> str:
    """One line, printable: control, invisible and undecodable characters (a file named with a
    newline, a zero-width space, bytes that are not UTF-8) are shown as escapes such as \\u200b."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or unicodedata.category(c) == "Zs" else
                   (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
                   for c in text)


class ContentError(Exception):
    """Raised by a stage when it has recorded errors and the build must stop."""


class UsageError(Exception):
    """A config or usage problem: exit status 2."""

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()):
        super().__init__(message)
        self.diagnostics = list(diagnostics)


@dataclass
class Diagnostics:
    items: list[Diagnostic] = field(default_factory=list)

    def add(self, path: str, line: int, field_: str, message: str, level: str = ERROR, code: str = "") -> None:
        self.items.append(Diagnostic(path, max(int(line or 1), 1), field_ or "-", message, level, code or message))

    def error(self, path, line, field_, message, code=""):
        self.add(path, line, field_, message, ERROR, code)

    def warning(self, path, line, field_, message, code=""):
        self.add(path, line, field_, message, WARNING, code)

    def notice(self, path, line, field_, message, code=""):
        self.add(path, line, field_, message, NOTICE, code)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    def count(self, level: str, strict: bool = False) -> int:
        if strict and level == ERROR:
            return sum(1 for d in self.items if d.level in (ERROR, WARNING))
        if strict and level == WARNING:
            return 0
        return sum(1 for d in self.items if d.level == level)

    def failed(self, strict: bool = False) -> bool:
        return self.count(ERROR, strict) > 0

    def sorted(self) -> list[Diagnostic]:
        rank = {ERROR: 0, WARNING: 1, NOTICE: 2}
        return sorted(set(self.items), key=lambda d: (d.path, d.line, rank[d.level], d.field, d.message))

    def print(self, stream: TextIO | None = None, strict: bool = False) -> None:
        """Errors all, one per line; warnings and notices collapse after a few of one kind."""
        stream = stream or sys.stderr
        shown: dict[tuple[str, str], int] = {}
        hidden: dict[tuple[str, str], int] = {}
        for d in self.sorted():
            key = (d.level, d.code)
            if d.level != ERROR and not (strict and d.level == WARNING):
                shown[key] = shown.get(key, 0) + 1
                if shown[key] > COLLAPSE_AFTER:
                    hidden[key] = hidden.get(key, 0) + 1
                    continue
            print(d.format(strict), file=stream)
        for (level, code), n in sorted(hidden.items()):
            label = CODE_LABELS.get(code)
            print(f"（另有 {n} 条同类{'警告' if level == WARNING else '提示'}未列出{'：' + label if label else ''}）",
                  file=stream)
        summary = self.summary(strict)
        if summary:
            print(summary, file=stream)

    def summary(self, strict: bool = False) -> str:
        parts = []
        e, w, n = self.count(ERROR, strict), self.count(WARNING, strict), self.count(NOTICE)
        if e:
            parts.append(f"{e} 个错误")
        if w:
            parts.append(f"{w} 个警告")
        if n:
            parts.append(f"{n} 条提示")
        return ("共 " + "，".join(parts)) if parts else ""
