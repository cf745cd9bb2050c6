"""`python build.py import SOURCE… [--site DIR] [--type …] [--agency KEY] [--dry-run]` (SPEC 9):
Word documents, saved portal pages and text captures become entries. The work is in xxgk/importer/."""
from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    from ..argparse_zh import epilog
    p = sub.add_parser("import", help="导入已有文件：Word（.docx）、网页（.html）、文本（.txt）或整个文件夹",
                       description="把机关已有的文件变成条目，写入 content/<类型>/：Word 公文（.docx）、从旧门户保存的网页"
                                   "（.html）或抓取的文本（.txt），也可以是装有它们的文件夹。标题、文号、成文日期、发文机关、"
                                   "元数据块（索引号、主题分类、发布日期、有效性……）、正文和附件都会带过来；找不到的字段写成 "
                                   "TODO，check --strict 会一直失败，直到有人补上。2021 年格式的年度报告的表格变成 stats，"
                                   "并核对表格自身的合计关系。同一来源再导入一次不会改变任何文件。",
                       epilog=epilog(["%(prog)s 旧网站/ --site 我的站点 --dry-run",
                                      "%(prog)s 红头文件.docx --site 我的站点 --agency czj"],
                                     ["0  每个来源都读了", "1  有来源读不了（其余的照样写出，逐个说明原因）",
                                      "2  用法或配置有错误"]))
    p.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help="文件或文件夹")
    p.add_argument("--site", type=Path, default=Path("."), help="站点文件夹（默认：当前文件夹）")
    p.add_argument("--type", choices=("auto", "policy", "interpretation", "report"), default="auto",
                   help="条目类型（默认 auto：按标题和内容判断）")
    p.add_argument("--agency", help="文件中找不到发文机关时使用的机构代号")
    p.add_argument("--dry-run", action="store_true", help="只显示将要写入的条目，不写任何文件")


def run(args) -> int:
    from ..config.options import did_you_mean
    from ..config.site import load_config
    from ..diagnostics import UsageError
    from ..importer.fields import Context
    from ..importer.run import import_sources
    config = load_config(args.site)                    # UsageError → exit 2
    if args.agency is not None and args.agency not in config.agencies:
        by_name = [a.key for a in config.agency_list if a.name == args.agency]
        hint = (f"，“{args.agency}”是机构名称，请写它的代号“{by_name[0]}”" if by_name else
                did_you_mean(args.agency, list(config.agencies)))
        raise UsageError(f"--agency：未知机构“{args.agency}”{hint}（site_config.yaml 的 agencies 中有："
                         f"{'、'.join(config.agencies)}）")
    ctx = Context(config, args.type, args.agency)
    try:
        return import_sources(args.site, list(args.sources), ctx, dry_run=args.dry_run)
    except BrokenPipeError:            # stdout closed (`… | head`): stop quietly, no traceback
        import os
        import sys
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
