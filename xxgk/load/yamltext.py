"""YAML parsing that remembers where every value came from, and refuses what editors never need.

`parse(text, first_line)` returns the data and a `line_of(path)` function: the 1-based line of
the node at a key path such as ('agency', 1) in the file, or of its nearest existing ancestor.
Anchors and aliases are refused (front matter never needs them, and they make alias bombs).
"""
from __future__ import annotations

import re
from typing import Any, Callable

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is several times faster


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text, so that a bad date gets our own message and line."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))

MAX_NODES = 100_000
MAX_DEPTH = 50
MAX_SCANNED_DEPTH = 1000    # libyaml recurses in C per level and crashes (segfault) near 25,000
_BRACKETS = re.compile(r"[\[\]{}]")
_DEEP_BLOCK = re.compile(r"^[ \t?:-]{%d}" % MAX_SCANNED_DEPTH, re.M)


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _problem_from_yaml_error(exc: yaml.YAMLError, first_line: int) -> YamlProblem:
    context = getattr(exc, "context", None)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if context in _STARTED_AT:           # the parser notices a line later: name where the bracket,
        mark = getattr(exc, "context_mark", None) or mark    # quote or key began
    line = first_line + (mark.line if mark else 0)
    problem = getattr(exc, "problem", None) or str(exc)
    hint = _HINTS.get(problem, "")
    detail = f"{context}, {problem}" if context else problem
    return YamlProblem(line, f"YAML 语法错误：{detail}{hint}")


# errors found after the line at fault: the context's mark is the line that began the construct
_STARTED_AT = {"while parsing a flow sequence", "while parsing a flow mapping", "while scanning a simple key",
               "while scanning a quoted scalar"}
_TAB = "（YAML 不能用 Tab 缩进，请改用空格）"
_HINTS = {
    "mapping values are not allowed in this context": "（同一行出现了两个“:”？含冒号的文字请用引号括起来）",
    "mapping values are not allowed here": "（同一行出现了两个“:”？含冒号的文字请用引号括起来）",
    "found character '\\t' that cannot start any token": _TAB,
    "found character that cannot start any token": "（常见原因：行首用了 Tab 缩进（请改用空格），或值以 @、` 开头（请用引号括起来））",
    "found a tab character that violates indentation": _TAB,
    "could not find expected ':'": "（是否漏写了“:”，或者用了中文冒号“：”？）",
    "did not find expected ',' or ']'": "（方括号 [ ] 没有配对，或列表的各项之间缺少英文逗号“,”）",
    "did not find expected ',' or '}'": "（花括号 { } 没有配对，或各项之间缺少英文逗号“,”）",
    "found unexpected end of stream": "（引号没有配对：从这一行开始的引号没有结束）",
    "found undefined alias": "",
}


class LineMap:
    """Maps key paths to line numbers, from a composed YAML node tree.

    Kept (pickled) as its YAML text only, and made again from it when a line is first asked for:
    most kept entries are never asked, and the maps of 100,000 entries weigh hundreds of MB."""

    def __init__(self, root: yaml.Node | None, first_line: int, text: str | None = None):
        self.first_line = first_line
        self._text = text
        self._lines: dict[tuple, int] | None = {}
        self._key_lines: dict[tuple, int] = {}
        if root is not None:
            self._walk(root, ())

    def __getstate__(self) -> dict:
        return {"first_line": self.first_line, "text": self._text}

    def __setstate__(self, state: dict) -> None:
        self.first_line, self._text = state["first_line"], state["text"]
        self._lines, self._key_lines = None, {}

    def _remake(self) -> None:
        self._lines, self._key_lines = {}, {}
        if self._text is None:
            return
        loader = _Loader(self._text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        self._lines[path] = self.first_line + node.start_mark.line
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else None
                self._key_lines[path + (key,)] = self.first_line + k.start_mark.line
                self._walk(v, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self._walk(v, path + (i,))

    def __call__(self, path: tuple = ()) -> int:
        if self._lines is None:
            self._remake()
        path = tuple(path)
        while path:
            if path in self._key_lines:  # a key's own line reads best ("title:" line)
                return self._key_lines[path]
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), self.first_line)


def _check_graph(node: yaml.Node, first_line: int = 0) -> None:
    """Refuse anchors/aliases, a key written twice in one mapping (YAML would silently keep the
    last) and absurd nesting, without ever expanding anything. Lines raised are relative to the
    text; `first_line` is only for the lines named in messages."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int, int]] = [(node, 0, node.start_mark.line)]
    count = 0
    while stack:
        n, depth, where = stack.pop()
        if id(n) in seen:  # an alias: the same node reached twice; `where` is the line that used it
            raise YamlProblem(where, "不支持 YAML 锚点和别名（& 和 *），请直接写出完整的值")
        seen.add(id(n))
        count += 1
        if count > MAX_NODES:
            raise YamlProblem(n.start_mark.line, f"元数据过于庞大（超过 {MAX_NODES} 个值）")
        if depth > MAX_DEPTH:
            raise YamlProblem(n.start_mark.line, f"元数据嵌套过深（超过 {MAX_DEPTH} 层）")
        if isinstance(n, yaml.MappingNode):
            keys: dict[str, int] = {}
            for k, _v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in keys:
                        raise YamlProblem(k.start_mark.line, f"“{k.value}”写了两次（第 {first_line + keys[k.value]} 行"
                                          f"和第 {first_line + k.start_mark.line} 行），只会用后一个；请删去多余的一行")
                    keys[k.value] = k.start_mark.line
            for k, v in reversed(n.value):
                stack.append((v, depth + 1, k.start_mark.line))
                stack.append((k, depth + 1, k.start_mark.line))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend((v, depth + 1, where) for v in reversed(n.value))


def _refuse_deep_nesting(text: str, first_line: int) -> None:
    """A cheap linear scan BEFORE libyaml sees the text: brackets opened and not closed, and lines
    that begin with a long run of indentation or `- `, bound how deep libyaml would recurse. Brackets
    inside quotes count too (over-counting only refuses text no editor writes)."""
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_SCANNED_DEPTH:
                raise YamlProblem(first_line + text.count("\n", 0, m.start()),
                                  f"元数据嵌套过深（超过 {MAX_SCANNED_DEPTH} 层方括号或花括号），"
                                  "请检查是否多写了“[”或“{”；含方括号的文字请用引号括起来")
        elif depth:
            depth -= 1
    m = _DEEP_BLOCK.search(text)
    if m:
        raise YamlProblem(first_line + text.count("\n", 0, m.start()),
                          f"元数据嵌套过深（一行开头有超过 {MAX_SCANNED_DEPTH} 个空格或“-”），请检查缩进")


def parse(text: str, first_line: int = 1) -> tuple[Any, Callable[[tuple], int]]:
    """Parse one YAML document. `first_line` is the file line of the text's first line."""
    _refuse_deep_nesting(text, first_line)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, LineMap(None, first_line)
        try:
            _check_graph(root, first_line)
        except YamlProblem as p:
            raise YamlProblem(first_line + p.line, p.message) from None
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        raise _problem_from_yaml_error(exc, first_line) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # e.g. a timestamp like 2017-02-30 that the loader tries to turn into a date
        raise YamlProblem(first_line, f"YAML 值无法解析：{exc}") from None
    finally:
        loader.dispose()
    return data, LineMap(root, first_line, text)
