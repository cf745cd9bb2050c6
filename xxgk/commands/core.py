"""The commands of SPEC section 2 on the command line: build, check, serve, new, verify, pack.

Each `add_parser(sub)` in a command module declares its commands (with their help in Chinese: a
description, examples and exit statuses) and sets `run`; the work is imported only when a
command runs, so `--help` and `--version` load none of it (see cli.py).
"""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ..argparse_zh import epilog
from ..message_formats import add_format_option, emit, say

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
BUILD_EXITS = ["0  构建完成", "1  内容有错误（什么也没写，原来的 output/ 不变）",
               "2  用法或 site_config.yaml 有错误，或输出文件夹不是本程序建立的"]


def _as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期，请写成 YYYY-MM-DD") from None


def site_arg(p) -> None:
    p.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="站点文件夹（默认：当前文件夹）")


def as_of_arg(p) -> None:
    p.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD", help="计算有效性所依据的日期（默认：站点时区的今天）")


def strict_arg(p) -> None:
    p.add_argument("--strict", action="store_true", help="把警告也当作错误（用于 CI 和提交前检查）")


def add_parser(sub) -> None:
    b = sub.add_parser("build", help="完整构建到 output/",
                       description="检查站点的全部内容，然后把网站构建到 output/（默认：站点文件夹下的 output/）。\n"
                                   "内容有错误时什么也不写，已发布的网站保持不变。",
                       epilog=epilog(["%(prog)s", "%(prog)s --site 我的站点 --strict",
                                      "%(prog)s --as-of 2025-01-01 --output /srv/xxgk"], BUILD_EXITS))
    site_arg(b)
    b.add_argument("--output", type=Path, metavar="DIR", help="输出文件夹（默认：站点文件夹下的 output/）")
    as_of_arg(b)
    strict_arg(b)
    b.add_argument("--no-search", action="store_true", help="不生成全文搜索索引（更快，用于调试模板）")
    add_format_option(b)
    b.set_defaults(run=run_build)

    c = sub.add_parser("check", help="只检查，不写任何文件",
                       description="做构建的全部检查，并在内存中渲染每个页面（模板出错同样报告），不写任何文件。",
                       epilog=epilog(["%(prog)s --strict", "%(prog)s --site 我的站点 --strict --format github"],
                                     ["0  检查通过", "1  内容或模板有错误（--strict 时警告也算）",
                                      "2  用法或 site_config.yaml 有错误"]))
    site_arg(c)
    as_of_arg(c)
    strict_arg(c)
    add_format_option(c)
    c.set_defaults(run=run_check)

    s = sub.add_parser("serve", help="构建并在 127.0.0.1 上预览，修改后自动重建并刷新浏览器",
                       description="构建站点，在 127.0.0.1 上提供预览；文件一改就重建并刷新浏览器。按 Ctrl+C 结束。",
                       epilog=epilog(["%(prog)s", "%(prog)s --site 我的站点 --port 8080"],
                                     ["0  已按 Ctrl+C 结束", "2  用法或配置有错误，或端口被占用"]))
    site_arg(s)
    s.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    s.set_defaults(run=lambda a: _serve(a))

    n = sub.add_parser("new", help="新建条目文件",
                       description="写出 content/<类型>/编号.md：每个字段都已列出或标为 TODO，并算好该机构今年下一个未用的索引号。",
                       epilog=epilog(["%(prog)s policy budget-2025", "%(prog)s page contact --site 我的站点",
                                      "%(prog)s interpretation budget-2025-qa --agency czj"],
                                     ["0  已写出", "1  编号已被使用或不合规则", "2  用法或配置有错误"]))
    n.add_argument("type", choices=("policy", "interpretation", "report", "page"), help="条目类型")
    n.add_argument("id", help="编号（文件名）：小写英文字母、数字和 -")
    site_arg(n)
    n.add_argument("--agency", help="机构代号（默认：配置中的第一个机构）")
    n.set_defaults(run=lambda a: _new(a))

    v = sub.add_parser("verify", help="按 SHA256SUMS 核对复制的站点文件夹",
                       description="按文件夹中的 SHA256SUMS 核对一份复制的站点：列出缺少、多出和内容不同的文件。",
                       epilog=epilog(["%(prog)s output", "%(prog)s /srv/xxgk"],
                                     ["0  完全一致", "1  有缺少、多出或不同的文件", "2  找不到或读不了 SHA256SUMS"]))
    v.add_argument("dir", type=Path, help="站点输出文件夹")
    v.set_defaults(run=lambda a: _verify(a))

    k = sub.add_parser("pack", help="构建并打包成一个供离线阅读的 zip",
                       description="构建站点，然后在输出文件夹旁写一个供离线阅读的 zip（<输出文件夹>.zip），并打印它的路径。",
                       epilog=epilog(["%(prog)s", "%(prog)s --site 我的站点 --output dist/xxgk"], BUILD_EXITS))
    site_arg(k)
    k.add_argument("--output", type=Path, metavar="DIR", help="输出文件夹（默认：站点文件夹下的 output/）")
    as_of_arg(k)
    strict_arg(k)
    k.set_defaults(run=lambda a: _pack(a))


def run_build(args) -> int:
    site, pagefind = args.site, None
    if not args.no_search:       # (before the generator is imported: see write/pagefind_service.py)
        from ..write.pagefind_service import start_ahead
        pagefind = start_ahead(site, args.output or site / "output")
    from ..pipeline import build
    result = build(site, output=args.output, as_of=args.as_of, strict=args.strict, search=not args.no_search,
                   pagefind=pagefind)
    emit(result.diagnostics, args.format, args.strict, site)
    say(result.summary(), args.format)
    return EXIT_OK


def run_check(args) -> int:
    from ..pipeline import check
    result = check(args.site, as_of=args.as_of, strict=args.strict)
    emit(result.diagnostics, args.format, args.strict, args.site)
    if result.diagnostics.failed(args.strict):
        return EXIT_CONTENT
    say(f"检查通过：{result.entries} 个条目", args.format)
    return EXIT_OK


def _serve(args) -> int:
    from .serve import serve
    return serve(args.site, args.port)


def _new(args) -> int:
    from .new import new_entry
    return new_entry(args.site, args.type, args.id, args.agency)


def _verify(args) -> int:
    from .verify import verify
    return verify(args.dir)


def _pack(args) -> int:
    from .pack import pack
    return pack(args.site, args.output, as_of=args.as_of, strict=args.strict)


