"""`xxgk init DIR [--title T] [--owner O] [--agency KEY NAME CODE]…`: a starter site (SPEC section 8).

The starter's files are in xxgk/starter/ (a name starting `dot-` is written starting with `.`);
`@@NAME@@` in them is filled in here. The site builds at once; its pages and example policy carry
the placeholder body that `check --strict` reports until it is replaced.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..argparse_zh import epilog

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")        # as config.site.KEY_RE
CODE_RE = re.compile(r"^[0-9A-Z]{9,18}$")           # the agency part of the starter's index_no_pattern
DEFAULT_TITLE = "示例县人民政府信息公开"
DEFAULT_OWNER = "示例县人民政府办公室"
DEFAULT_AGENCY = ("xzf", "示例县人民政府", "000000000000000000")


def add_parser(sub) -> None:
    p = sub.add_parser("init", help="新建一个站点（配置、必备页面、示例文件和 CI）",
                       description="在 DIR 中写出一个可以马上构建的新站点：注释齐全的 site_config.yaml、四个必备页面"
                                   "（关于本站、隐私安全、无障碍说明、政府信息公开指南）、一份示例政策文件、.gitignore、"
                                   "固定本版本的 requirements.txt，以及 GitHub Actions 和 GitLab CI 的检查和发布配置。\n"
                                   "页面中的占位文字会让 check --strict 失败，直到换成真实内容。DIR 不存在时新建；"
                                   "不是空文件夹时拒绝，什么也不改。",
                       epilog=epilog(["%(prog)s 我的站点",
                                      "%(prog)s 我的站点 --title 示例县人民政府信息公开 --owner 示例县人民政府办公室 \\\n"
                                      "    --agency xzf 示例县人民政府 11330000MB1234567X \\\n"
                                      "    --agency czj 示例县财政局 11330000MB7654321Y"],
                                     ["0  已写出", "2  DIR 不是空文件夹，或参数有错误"]))
    p.add_argument("dir", type=Path, metavar="DIR", help="新站点的文件夹（不存在时新建，须为空）")
    p.add_argument("--title", default=DEFAULT_TITLE, help=f"网站名称（默认：{DEFAULT_TITLE}）")
    p.add_argument("--owner", default=DEFAULT_OWNER, help=f"主办单位（默认：{DEFAULT_OWNER}）")
    p.add_argument("--agency", nargs=3, action="append", metavar=("KEY", "NAME", "CODE"),
                   help="一个发文机关：代号（小写英文字母、数字和 -）、全称、统一社会信用代码（9–18 位数字或大写字母）；"
                        "可写多次，第一个是默认机构")
    p.set_defaults(run=run, init_parser=p)


def agency_problem(key: str, name: str, code: str, seen: set[str]) -> str | None:
    if not KEY_RE.match(key) or key == "index":
        return f"机构代号“{key}”不合规则：只能用小写英文字母、数字和 -，以字母或数字开头"
    if key in seen:
        return f"机构代号“{key}”重复了：每个 --agency 的代号须不同"
    if not name.strip():
        return f"机构“{key}”的全称是空的"
    if not CODE_RE.match(code):
        return (f"机构“{key}”的统一社会信用代码“{code}”不合规则：须为 9–18 位数字或大写英文字母"
                "（它是索引号的第一部分）")
    return None


def run(args) -> int:
    parser: argparse.ArgumentParser = args.init_parser
    agencies = args.agency or [DEFAULT_AGENCY]
    seen: set[str] = set()
    for key, name, code in agencies:
        why = agency_problem(key, name, code, seen)
        if why:
            parser.error(f"参数 --agency {key} {name} {code}：{why}")     # exit 2
        seen.add(key)
    for label, value in (("--title", args.title), ("--owner", args.owner)):
        if not value.strip():
            parser.error(f"参数 {label} 是空的")
    from .starter import starter_files
    target: Path = args.dir
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        what = "不是文件夹" if not target.is_dir() else "不是空文件夹"
        print(f"错误：{target} {what}：init 只在新的或空的文件夹中写站点，什么也没改。"
              "请换一个文件夹名，或先把它清空。", file=sys.stderr)
        return 2
    files = starter_files(args.title.strip(), args.owner.strip(), agencies)
    target.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    from ..invocation import WRITTEN, program
    run_as = program()
    if run_as == WRITTEN:       # build.py is in this repository, not in the new site
        steps = [f"{run_as} serve --site {target}          # 预览：http://127.0.0.1:8000/",
                 f"{run_as} check --strict --site {target} # 列出还要填写的占位内容"]
    else:
        steps = [f"cd {target}", f"{run_as} serve          # 预览：http://127.0.0.1:8000/",
                 f"{run_as} check --strict # 列出还要填写的占位内容"]
    print(f"已在 {target} 写出新站点（{len(files)} 个文件）。下一步：\n" + "".join(f"  {s}\n" for s in steps)
          + "然后 git init、提交并推送；CI 的发布设置见 .github/workflows/xxgk.yml 或 .gitlab-ci.yml 开头的说明。")
    return 0


