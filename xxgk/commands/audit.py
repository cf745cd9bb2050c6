"""`python build.py audit`: what the disclosure rules ask of the catalogue, as of a date (SPEC section 10).

It reads the site as `check` does (pipeline.load_and_check; nothing is written but the report asked
for) and lists the findings of xxgk/audit/rules.py as text, JSON or one HTML page.
Exit status: 0 nothing overdue; 1 something overdue (with --strict: also something coming due), or
content errors; 2 usage or config problems (also an --output inside a published output folder)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..diagnostics import Diagnostics, UsageError
from ..atomic import write_whole

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def add_parser(sub) -> argparse.ArgumentParser:
    from ..argparse_zh import epilog
    from .core import _as_of
    a = sub.add_parser("audit", help="按信息公开规则检查目录（及时公开、政策解读、年度报告、到期文件等）",
                       description="像 check 一样读取站点（除了要求的报告，什么也不写），列出信息公开规则对目录的要求："
                                   "timely（条例第二十六条：20 个工作日内公开）、interpretation（解读在政策公开后若干工作日内"
                                   "发布）、report-due（条例第五十条：1月31日前公布上一年度报告）、report-table-2（年报表二与"
                                   "目录统计相符）、expiring（即将到期的文件）、normative（规范性文件的有效期和登记号）、"
                                   "stale（长期没有更新的机构）。工作日按国务院每年的节假日和调休安排计算。",
                       epilog=epilog(["%(prog)s --site 我的站点",
                                      "%(prog)s --site 我的站点 --format html --output 审查报告.html",
                                      "%(prog)s --site 我的站点 --within 30 --strict"],
                                     ["0  没有逾期的事项", "1  有逾期的事项（--strict：也包括即将到期的）",
                                      "2  用法或配置有错误"]))
    a.add_argument("--site", type=Path, default=Path("."), help="站点文件夹（默认：当前文件夹）")
    a.add_argument("--as-of", type=_as_of, help="检查所依据的日期 YYYY-MM-DD（默认：今天）")
    a.add_argument("--within", type=_days, default=90, help="列出多少天内到期的事项（默认 90）")
    a.add_argument("--format", choices=("text", "json", "html"), default="text", help="报告格式（默认 text）")
    a.add_argument("--output", type=Path, help="把报告写入这个文件（默认：标准输出）；不能在发布的 output/ 文件夹里")
    a.add_argument("--strict", action="store_true", help="即将到期的事项也使退出状态为 1（用于 CI）")
    return a


def _days(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"“{value}”不是天数，请写非负整数，例如 90")
    return n


def run(args) -> int:
    from ..incremental.entries import EntryCache
    from ..pipeline import load_and_check
    from ..audit.rules import Audit
    from ..audit import report

    site = args.site
    if args.output is not None:
        _refuse_published(site, args.output)
    diags = Diagnostics()
    cache = EntryCache(site / ".cache")            # read, never written: audit writes only its report
    config, entries, as_of, _files = load_and_check(site, args.as_of, diags, cache)
    if diags.failed():                             # the rules need a site that checks: say so, as check does
        diags.print(sys.stderr)
        print("未能检查信息公开规则：站点有内容错误，请先按上面的提示修改（python build.py check 报告同样的问题）。",
              file=sys.stderr)
        return EXIT_FINDINGS
    audit = Audit(site, config, entries, as_of, args.within)
    findings = audit.run()
    guessed = audit.cal.guessed
    if args.format == "json":
        out = report.as_json(findings, config)
    elif args.format == "html":
        out = report.as_html(findings, config, site, as_of, args.within, guessed)
    else:
        out = report.as_text(findings)
    if args.output is not None:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            write_whole(args.output, out)
        except OSError as exc:
            raise UsageError(f"不能写入报告 {args.output}：{exc.strerror or exc}") from None
        print(f"报告已写入 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(out)
    print(report.summary(findings, guessed), file=sys.stderr)
    overdue = any(f.level == "overdue" for f in findings)
    due = any(f.level == "due" for f in findings)
    return EXIT_FINDINGS if overdue or (args.strict and due) else EXIT_OK


def _refuse_published(site: Path, output: Path) -> None:
    """The report is for editors, not the public: never inside a published output folder."""
    from ..write.published import MARKER
    target = output.resolve()
    for folder in [site.resolve() / "output", *target.parents]:
        if folder in target.parents and (folder == site.resolve() / "output" or (folder / MARKER).is_file()):
            raise UsageError(f"报告不能写在发布的网站文件夹 {folder} 里（那里的文件都会公开）；"
                             f"请写到别处，例如 --output audit.html")
