"""`python build.py new {policy,interpretation,report,page} ID`: a new entry file with every field.

Every field of the type is written. What only a person can fill in (the title, a policy's topic,
the policy an interpretation interprets) is left EMPTY with a `# TODO` comment: an empty required
field is an error that `check` and `build` already report by name ("缺少必填字段 title（标题）"),
so an unfilled entry can never be published. Optional fields are empty (YAML null, the same as
absent) with a comment saying what goes there. The 索引号 is the agency's code + `/YYYY-NNNNN`, the
next free serial of that agency this year; the dates are today in the site's timezone.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from ..config.options import did_you_mean
from ..config.site import load_config
from ..load.site import TYPES, check_id
from ..invocation import as_run
from ..model import BODY_PLACEHOLDER
from ..pipeline import today_in

FOLDER = {"policy": "policies", "interpretation": "interpretations", "report": "reports", "page": "pages"}
TODO = "# TODO"


def _index_serials(site_dir: Path, code: str, year: int) -> list[int]:
    """Serials already used as `code/year-NNNNN` by any entry (read as text: a broken file still counts)."""
    pat = re.compile(r"^\s*index_no\s*:\s*['\"]?" + re.escape(code) + r"/" + str(year) + r"-(\d+)", re.M)
    out = []
    content = site_dir / "content"
    for type_ in TYPES:
        folder = content / type_
        if not folder.is_dir():
            continue
        for f in folder.glob("*.md"):
            try:
                text = f.read_bytes().decode("utf-8-sig", errors="replace")
            except OSError:
                continue
            out.extend(int(m) for m in pat.findall(text))
    return out


def _q(s: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + s.replace("'", "''") + "'"


def entry_text(type_: str, index_no: str | None, agency: str, today: str, year: int) -> str:
    idx = (f"index_no: {_q(index_no)}" if index_no else
           f"index_no:                 {TODO} 索引号：机构没有 code，请按 index_no_pattern 填写")
    if type_ == "page":
        lines = [
            f"title:                    {TODO} 标题（必填）",
            "nav_order:                # 可选：在导航中的顺序，整数",
            "lang:                     # 可选：zh-Hans、zh-Hant 或 en（默认为网站语言）",
            "summary:                  # 可选：内容概述",
            "personal_data:            # 可选：惩戒公示等须公开个人信息时写 public_notice",
        ]
        body = BODY_PLACEHOLDER + "\n"
    else:
        lines = [
            f"title:                    {TODO} 标题（必填）",
            idx,
            f"agency: {agency}",
            (f"topic:                    {TODO} 主题分类（必填），如 财政、金融、审计/财政" if type_ == "policy" else
             "topic:                    # 可选：主题分类，如 财政、金融、审计/财政"),
            "doc_no:                   # 可选：发文字号，如 示政办发〔2024〕1号",
            "written:                  # 可选：成文日期 YYYY-MM-DD，不晚于发布日期",
            f"published: {today}",
            "keywords: []              # 可选：主题词列表，如 [预算, 公开]",
            "summary:                  # 可选：内容概述（不写则取正文开头）",
            "lang:                     # 可选：zh-Hans、zh-Hant 或 en（默认为网站语言）",
            "disclosure: 主动公开       # 或 依申请公开",
            "attachments: []           # 可选：- file: files/文件名.pdf 换行 title: 附件名称",
            "validity:                 # 可选：effective（默认）、amended、repealed、expired",
            "valid_from:               # 可选：施行日期 YYYY-MM-DD",
            "valid_until:              # 可选：有效期至 YYYY-MM-DD",
            "repeals: []               # 可选：本文件废止的条目编号",
            "amends: []                # 可选：本文件修改的条目编号",
            "repealed_by: []           # 可选：废止本文件的条目编号",
            "amended_by: []            # 可选：修改本文件的条目编号",
            "status_date:              # 可选：有效性状态的生效日期 YYYY-MM-DD",
            "validity_note:            # 可选：有效性说明",
            "personal_data:            # 可选：惩戒公示等须公开个人信息时写 public_notice",
        ]
        if type_ == "policy":
            lines += ["kind: other               # 文件类别：rule 规章、normative 行政规范性文件、other 其他文件",
                      "reg_no:                   # 可选：统一登记号（规章和行政规范性文件）"]
        if type_ == "interpretation":
            lines += [f"interprets:               {TODO} 所解读政策的编号（必填），如 budget-2019",
                      "form: text               # text 文字解读、graphic 图解、video 视频、qa 问答、interview 访谈"]
        if type_ == "report":
            lines += [f"year: {year}               # 报告年度（通常为上一年）",
                      "format: free             # free（仅正文）或 2021（须写 stats，格式见 README）",
                      "stats:                    # format: 2021 时填写统计表数据"]
        body = BODY_PLACEHOLDER + "\n"
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def new_entry(site: Path, type_: str, id_: str, agency: str | None) -> int:
    site = Path(site)
    config = load_config(site)                       # UsageError → exit 2
    why = check_id(id_)
    if why:
        print(f"错误：编号“{id_}”不合规：{why}。编号（文件名）只能使用小写英文字母、数字和“-”，并以字母或数字开头",
              file=sys.stderr)
        return 1
    content = site / "content"
    for t in TYPES:
        existing = content / t / f"{id_}.md"
        if existing.exists() or existing.is_symlink():
            print(f"错误：编号“{id_}”已被 content/{t}/{id_}.md 使用（编号在全站必须唯一），请换一个编号", file=sys.stderr)
            return 1
    if agency is None:
        ag = config.agency_list[0]
    elif agency in config.agencies:
        ag = config.agencies[agency]
    else:
        by_name = [a.key for a in config.agency_list if a.name == agency]
        hint = (f"，“{agency}”是机构名称，请写它的代号“{by_name[0]}”" if by_name else
                did_you_mean(agency, list(config.agencies)))
        print(f"错误：未知机构“{agency}”{hint}（site_config.yaml 的 agencies 中有：{'、'.join(config.agencies)}）",
              file=sys.stderr)
        return 1
    today = today_in(config.timezone)
    index_no = None
    if type_ != "page" and ag.code:
        serial = max(_index_serials(site, ag.code, today.year), default=0) + 1
        index_no = f"{ag.code}/{today.year}-{serial:05d}"
        if not config.index_no_pattern.match(index_no):
            print(f"警告：生成的索引号 {index_no} 不符合 index_no_pattern（{config.index_no_pattern.pattern}），请手工改正",
                  file=sys.stderr)
    elif type_ != "page":
        print(f"警告：机构 {ag.key} 没有 code（统一社会信用代码），索引号请手工填写", file=sys.stderr)
    text = entry_text(type_, index_no, ag.key, today.isoformat(), today.year - 1)
    path = content / FOLDER[type_] / f"{id_}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        print(f"错误：content/{FOLDER[type_]}/{id_}.md 已存在", file=sys.stderr)
        return 1
    rel = f"content/{FOLDER[type_]}/{id_}.md"
    print(f"已新建 {rel}" + (f"（索引号 {index_no}）" if index_no else ""))
    print(as_run("请填写标有 TODO 的字段和正文，然后运行 python build.py check") +
          ("" if site == Path(".") else f" --site {site}"))
    return 0
