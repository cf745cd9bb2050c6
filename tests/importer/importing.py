"""Helpers of the import tests: a site to import into, the front matter of what was written."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from helpers import REPO, run_build

# the shared brief beside the repository (as CI lays it out), else where this machine keeps it
SHARED = next((p for p in (REPO.parent / "shared", Path("/work/shared")) if (p / "seeds").is_dir()),
              REPO.parent / "shared")
SEEDS = SHARED / "seeds"
SITE_CONFIG = (REPO / "site_config.yaml").read_text(encoding="utf-8")
CONFIG = """\
title: 示例县人民政府信息公开
owner: 示例县人民政府办公室
lang: zh-Hans
timezone: Asia/Shanghai
index_no_pattern: '^[0-9A-Z]{9,18}/\\d{4}-\\d{5}$'
agencies:
  - key: xzfb
    name: 示例县人民政府办公室
    code: 11330000MB1234567X
  - key: czj
    name: 示例县财政局
    code: 11330000MB7654321Y
footer:
  contact: 示例县人民政府办公室 电话 0000-7654321
"""


def empty_site(root: Path, config: str = CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site_config.yaml").write_text(config, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for rel in re.findall(r"^\s*dzjg_logo:\s*(\S+)", config, re.M):     # an image the config names (the sample's)
        (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "content" / rel, root / "content" / rel)
    return root


def run_import(site: Path, *args: str):
    return run_build("import", *args, "--site", str(site))


def front_matter(path: Path) -> tuple[dict, str, str]:
    """(fields, raw front matter, body) of an entry file."""
    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert m, text[:300]
    return (yaml.safe_load(m.group(1)) or {}), m.group(1), m.group(2)


def todo_fields(raw: str) -> set[str]:
    return set(re.findall(r"^(\w+):\s*# TODO", raw, re.M))


def written_entries(site: Path) -> list[Path]:
    return sorted((site / "content").glob("*/*.md"))


def written_path(stdout: str, site: Path, source_name: str) -> Path:
    m = re.search(r"(?:已写入|将写入) (content/\S+\.md)（来自 \S*" + re.escape(source_name), stdout)
    assert m, stdout
    return site / m.group(1)
