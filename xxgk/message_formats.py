"""`--format text|json|github` for check and build (SPEC section 8).

text: `PATH:LINE: FIELD: message` lines on stderr (diagnostics.Diagnostics.print);
json: one JSON list on stdout, each message with path, line, field, level, code and message;
github: GitHub Actions workflow commands on stdout (`::error file=…,line=…,title=…::message`), so
the messages appear on the changed lines of a pull request.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .diagnostics import ERROR, WARNING, Diagnostics
from .invocation import as_run

FORMATS = ("text", "json", "github")


def add_format_option(parser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="消息格式：text（默认，逐行）、json（一个 JSON 列表，写到标准输出）、"
                             "github（GitHub Actions 工作流命令，消息显示在拉取请求的改动行上）")


def records(diags: Diagnostics, strict: bool = False) -> list[dict]:
    out = []
    for d in diags.sorted():
        level = ERROR if strict and d.level == WARNING else d.level
        out.append({"path": d.path, "line": d.line, "field": d.field, "level": level,
                    "code": "" if d.code == d.message else d.code, "message": as_run(d.message)})
    return out


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_lines(diags: Diagnostics, strict: bool = False, site_dir: Path | None = None) -> list[str]:
    """Workflow commands; a file is named from the current folder (the repository's root in a
    runner), so `--site sub/dir` still points at the right file."""
    lines = []
    for r in records(diags, strict):
        path = r["path"]
        if site_dir is not None and path:
            path = Path(os.path.relpath(Path(site_dir) / path)).as_posix()
        props = f"file={_escape(path, True)},line={r['line']},title={_escape(r['field'], True)}"
        lines.append(f"::{r['level']} {props}::{_escape(r['message'])}")
    return lines


def emit(diags: Diagnostics, fmt: str = "text", strict: bool = False, site_dir: Path | None = None) -> None:
    if fmt == "json":
        print(json.dumps(records(diags, strict), ensure_ascii=False))
    elif fmt == "github":
        for line in github_lines(diags, strict, site_dir):
            print(line)
    else:
        diags.print(sys.stderr, strict=strict)


def say(text: str, fmt: str = "text") -> None:
    """A line for people (a summary): on stdout, except with json, whose stdout is the list alone."""
    print(as_run(text), file=sys.stderr if fmt == "json" else sys.stdout)
