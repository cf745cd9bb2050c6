"""The command line: `xxgk …` (installed) and `python build.py …` (this repository), SPEC sections 2 and 8.

A command lives in a module with `add_parser(sub)`, which declares it (sub.add_parser(...), its
options, and `set_defaults(run=...)`), or with `run(args)` beside it. Registering one is one line
in COMMANDS. Keep a command module's top-level imports light (argparse, pathlib): `--help` and
`--version` import every command module, and must not load Jinja, Markdown or Pagefind
(tests/packaging/test_cli.py checks).
"""
from __future__ import annotations

import importlib
import sys

from . import __version__
from .argparse_zh import ChineseParser, epilog
from .diagnostics import ContentError, Diagnostics, UsageError
from .invocation import as_run, set_program

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

COMMANDS = [
    ".commands.core",   # build, check, serve, new, verify, pack (SPEC section 2)
    ".commands.init",   # init (SPEC section 8)
    ".commands.importer",   # import (SPEC section 9)
    ".commands.audit",      # audit (SPEC section 10)
]

_TOP_LEVEL = {"-h", "--help", "--version"}


def parser(prog: str = "xxgk") -> ChineseParser:
    p = ChineseParser(prog=prog, description="政府信息公开目录生成器：把 YAML + Markdown 写的政策文件、解读、年报构建成"
                                             "无障碍、可搜索的静态门户。\n不写命令时等于 build（例如 %(prog)s --site 我的站点）。",
                      epilog=epilog(["%(prog)s init 我的站点 --title 示例县人民政府信息公开",
                                     "%(prog)s serve --site 我的站点", "%(prog)s check --strict",
                                     "%(prog)s 命令 --help    （每个命令的说明、示例和退出状态）"],
                                    ["0  成功", "1  内容有错误", "2  用法或配置有错误"]))
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", metavar="命令")
    for name in COMMANDS:
        module = importlib.import_module(name, __package__)
        before = set(sub.choices)
        module.add_parser(sub)
        if hasattr(module, "run"):
            for new in set(sub.choices) - before:
                sub.choices[new].set_defaults(run=sub.choices[new].get_default("run") or module.run)
    return p


def main(argv: list[str] | None = None, prog: str = "python build.py") -> int:
    """Run one command; return its exit status. `prog`: how the user ran it, for the messages."""
    set_program(prog)
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in _TOP_LEVEL):
        argv = ["build"] + argv        # no command: build (`xxgk --site DIR` builds DIR)
    args = parser(prog).parse_args(argv)
    fmt = getattr(args, "format", "text")
    try:
        return args.run(args)
    except UsageError as exc:
        from .message_formats import emit
        if exc.diagnostics:
            emit(Diagnostics(list(exc.diagnostics)), fmt, site_dir=getattr(args, "site", None))
        if str(exc):
            print(f"错误：{as_run(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        from .message_formats import emit
        emit(exc.args[0], fmt, getattr(args, "strict", False), getattr(args, "site", None))
        print("构建未完成：请按上面的提示修改后重试；已发布的网站保持不变。", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except OSError as exc:      # a full, read-only or unwritable disk: say where and what (write/disk.py)
        from .write.disk import explain
        output = getattr(args, "output", None) or (args.site / "output" if getattr(args, "site", None) else None)
        message = explain(exc, output)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return EXIT_CONTENT


def console() -> None:
    """The installed `xxgk` command."""
    code = main(sys.argv[1:], prog="xxgk")
    sys.stdout.flush()
    sys.stderr.flush()
    raise SystemExit(code)
