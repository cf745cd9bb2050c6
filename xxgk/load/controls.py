"""Characters that must never reach a published page, feed or table.

Control characters (U+0000–U+001F except Tab and newline, U+007F–U+009F), lone surrogates and the
non-characters U+FFFE/U+FFFF are invisible to an editor, make `feed.xml` and `sitemap.xml` not
well-formed XML, and break CSV readers. They come from YAML escapes ("a\\x01b", "\\uFFFE") or from
text pasted out of other programs. They are an error with the line (not removed silently: the editor
decides what was meant); the message names the character by its code point.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def describe(text: str) -> str | None:
    """“含有不可见的控制字符 U+0001（第 3 个字符）…”, or None when the text is clean."""
    m = BAD.search(text)
    if m is None:
        return None
    return (f"含有不可见的控制字符 U+{ord(m.group()):04X}（第 {m.start() + 1} 个字符），"
            "它会使订阅源（XML）和表格（CSV）无法读取；请删去它（常见来源：YAML 转义如 \"\\x01\"，或从其他程序粘贴的文字）")


def walk(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every (key path, problem) in the strings (keys and values) of parsed YAML."""
    if isinstance(value, str):
        why = describe(value)
        if why:
            yield path, why
    elif isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and (why := describe(k)):
                yield path + (k,), "字段名" + why
            yield from walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, path + (i,))
