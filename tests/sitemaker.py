"""Make small sites in a temp folder for tests: a config and entries written as text."""
from __future__ import annotations

import textwrap
from pathlib import Path

CONFIG = """\
title: 示例县人民政府信息公开
owner: 示例县人民政府办公室
lang: zh-Hans
timezone: Asia/Shanghai
index_no_pattern: '^[0-9A-Z]{9,18}/\\d{4}-\\d{5}$'
page_size: 20
agencies:
  - key: xzf
    name: 示例县人民政府
    code: 11330000MB1234567X
  - key: czj
    name: 示例县财政局
    code: 11330000MB7654321Y
footer:
  contact: 电话 0000-7654321
"""


def policy(n: int = 1, **fields) -> str:
    """Front matter + body of a valid policy; keyword arguments replace or add fields (None removes)."""
    base = {"title": f"政策文件{n}", "index_no": f"11330000MB1234567X/2020-{n:05d}", "agency": "xzf",
            "topic": "综合政务/政务公开", "published": "2020-01-01"}
    base.update(fields)
    return entry(base, fields.pop("body", "正文。"))


def entry(fields: dict, body: str = "正文。") -> str:
    lines = ["---"]
    for k, v in fields.items():
        if v is None or k == "body":
            continue
        lines.append(f"{k}: {v}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body + "\n"


def make_site(root: Path, files: dict[str, str | bytes], config: str = CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site_config.yaml").write_text(config, encoding="utf-8")
    (root / "content" / "policies").mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(textwrap.dedent(data) if data.startswith("\n") else data, encoding="utf-8")
    return root
