"""argparse in Chinese: its own words (用法, 选项, 错误 …) and a help layout that keeps examples.

argparse takes its words from gettext at the moment it uses them; ChineseParser swaps in the
Chinese ones only while one of its own methods runs, so nothing else in the process changes.
"""
from __future__ import annotations

import argparse
import contextlib
import functools

WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可能是 %(matches)s",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "unexpected option string: %s": "意外的选项：%s",
}
_PLURAL = {"expected %s argument": "需要 %s 个值"}


def _gettext(text: str) -> str:
    return WORDS.get(text, text)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _PLURAL.get(singular, singular if n == 1 else plural)


@contextlib.contextmanager
def chinese():
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _in_chinese(method):
    @functools.wraps(method)
    def wrapped(*args, **kwargs):
        with chinese():
            return method(*args, **kwargs)
    return wrapped


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the description's and the epilog's lines (examples, exit statuses) as written."""

    def __init__(self, prog, indent_increment=2, max_help_position=30, width=None):
        super().__init__(prog, indent_increment, max_help_position, width)

    def start_section(self, heading):
        super().start_section(heading and heading + "：")   # (argparse adds ":" after it; removed below)

    def format_help(self):
        return super().format_help().replace("：:\n", "：\n")


class ChineseParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        with chinese():
            super().__init__(*args, **kwargs)

    add_argument = _in_chinese(argparse.ArgumentParser.add_argument)
    add_subparsers = _in_chinese(argparse.ArgumentParser.add_subparsers)
    parse_args = _in_chinese(argparse.ArgumentParser.parse_args)
    parse_known_args = _in_chinese(argparse.ArgumentParser.parse_known_args)
    format_usage = _in_chinese(argparse.ArgumentParser.format_usage)
    format_help = _in_chinese(argparse.ArgumentParser.format_help)
    error = _in_chinese(argparse.ArgumentParser.error)


def epilog(examples: list[str], exits: list[str]) -> str:
    """The end of a command's --help: examples (%(prog)s is the command as run) and exit statuses."""
    return "\n".join(["示例："] + [f"  {e}" for e in examples] + ["", "退出状态："] + [f"  {x}" for x in exits])
