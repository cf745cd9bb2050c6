"""The files of a starter site (`init`), read from xxgk/starter/ with importlib.resources and filled in."""
from __future__ import annotations

import json
from datetime import datetime
from importlib.resources import files
from zoneinfo import ZoneInfo

from .. import __version__

STARTER = "starter"


def _walk(node, prefix: str = ""):
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name == "__pycache__" or child.name.endswith(".pyc") or child.name == "__init__.py":
            continue
        name = "." + child.name[4:] if child.name.startswith("dot-") else child.name
        if child.is_dir():
            yield from _walk(child, prefix + name + "/")
        else:
            yield prefix + name, child.read_text(encoding="utf-8")


def _q(text: str) -> str:
    """A YAML scalar in double quotes (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def starter_files(title: str, owner: str, agencies: list) -> dict[str, str]:
    """Relative path → text of every file of a new site."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    key, _name, code = agencies[0]
    block = "\n".join(f"  - key: {k}\n    name: {_q(n)}\n    code: {_q(c)}" for k, n, c in agencies)
    values = {"TITLE": _q(title), "OWNER": _q(owner), "AGENCIES": block, "AGENCY": key,
              "INDEX_NO": f"{code}/{today.year}-00001", "YEAR": str(today.year), "DATE": today.isoformat()}
    out = {}
    for rel, text in _walk(files("xxgk").joinpath(STARTER)):
        for name, value in values.items():
            text = text.replace(f"@@{name}@@", value)
        out[rel] = text
    out["requirements.txt"] = f"# 本站所用的生成器版本：升级时改这里，检查通过后再提交\nxxgk=={__version__}\n"
    return out
