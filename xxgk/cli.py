"""The command line: `python build.py [build|check|serve|new|verify|pack] …` (SPEC section 2)."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .diagnostics import ContentError, Diagnostics, UsageError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期，请写成 YYYY-MM-DD") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="政府信息公开目录生成器")
    sub = p.add_subparsers(dest="command", metavar="命令")

    def site_arg(sp):
        sp.add_argument("--site", type=Path, default=Path("."), help="站点文件夹（默认：当前文件夹）")

    b = sub.add_parser("build", help="完整构建到 output/")
    site_arg(b)
    b.add_argument("--output", type=Path, help="输出文件夹（默认：站点文件夹下的 output/）")
    b.add_argument("--as-of", type=_as_of, help="计算有效性所依据的日期 YYYY-MM-DD（默认：今天）")
    b.add_argument("--strict", action="store_true", help="把警告也当作错误（用于 CI）")
    b.add_argument("--no-search", action="store_true", help="不生成搜索索引（更快，用于调试）")

    c = sub.add_parser("check", help="只检查，不写任何文件")
    site_arg(c)
    c.add_argument("--as-of", type=_as_of, help="计算有效性所依据的日期 YYYY-MM-DD（默认：今天）")
    c.add_argument("--strict", action="store_true", help="把警告也当作错误（用于 CI）")

    s = sub.add_parser("serve", help="构建并在 127.0.0.1 上预览，修改后自动重建并刷新浏览器")
    site_arg(s)
    s.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")

    n = sub.add_parser("new", help="新建条目文件")
    n.add_argument("type", choices=("policy", "interpretation", "report", "page"), help="条目类型")
    n.add_argument("id", help="编号（文件名）：小写英文字母、数字和 -")
    site_arg(n)
    n.add_argument("--agency", help="机构代号（默认：配置中的第一个机构）")

    v = sub.add_parser("verify", help="按 SHA256SUMS 核对复制的站点文件夹")
    v.add_argument("dir", type=Path, help="站点输出文件夹")

    k = sub.add_parser("pack", help="构建并打包成一个供离线阅读的 zip")
    site_arg(k)
    k.add_argument("--output", type=Path, help="输出文件夹（默认：站点文件夹下的 output/）")
    k.add_argument("--as-of", type=_as_of, help="计算有效性所依据的日期 YYYY-MM-DD（默认：今天）")
    k.add_argument("--strict", action="store_true", help="把警告也当作错误（用于 CI）")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        args = parser().parse_args(["build"] + (argv or []))
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        for d in exc.diagnostics:
            print(d.format(), file=sys.stderr)
        if str(exc):
            print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        diags: Diagnostics = exc.args[0]
        diags.print(sys.stderr, strict=getattr(args, "strict", False))
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


def cmd_build(args) -> int:
    site, pagefind = args.site, None
    if not args.no_search:       # (before the generator is imported: see write/pagefind_service.py)
        from .write.pagefind_service import start_ahead
        pagefind = start_ahead(site, args.output or site / "output")
    from .pipeline import build
    result = build(site, output=args.output, as_of=args.as_of, strict=args.strict, search=not args.no_search,
                   pagefind=pagefind)
    result.diagnostics.print(sys.stderr, strict=args.strict)
    print(result.summary())
    return EXIT_OK


def cmd_check(args) -> int:
    from .pipeline import check
    result = check(args.site, as_of=args.as_of, strict=args.strict)
    result.diagnostics.print(sys.stderr, strict=args.strict)
    if result.diagnostics.failed(args.strict):
        return EXIT_CONTENT
    print(f"检查通过：{result.entries} 个条目")
    return EXIT_OK


def cmd_serve(args) -> int:
    from .commands.serve import serve
    return serve(args.site, args.port)


def cmd_new(args) -> int:
    from .commands.new import new_entry
    return new_entry(args.site, args.type, args.id, args.agency)


def cmd_verify(args) -> int:
    from .commands.verify import verify
    return verify(args.dir)


def cmd_pack(args) -> int:
    from .commands.pack import pack
    return pack(args.site, args.output, as_of=args.as_of, strict=args.strict)


COMMANDS = {"build": cmd_build, "check": cmd_check, "serve": cmd_serve, "new": cmd_new, "verify": cmd_verify,
            "pack": cmd_pack}
