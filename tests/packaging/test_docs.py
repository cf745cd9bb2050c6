"""The docs show what the code does: docs/editors.md's CI examples are exactly the files `init`
writes, and the README's first command still builds and serves the sample catalogue."""
from __future__ import annotations

import re

from helpers import REPO
from xxgk.commands.starter import starter_files


def fenced_after(text: str, heading: str) -> str:
    at = text.index(heading)
    m = re.compile(r"```yaml\n(.*?)```", re.S).search(text, at)
    return m.group(1)


def test_editors_ci_examples_are_what_init_writes():
    text = (REPO / "docs/editors.md").read_text(encoding="utf-8")
    files = starter_files("某县人民政府信息公开", "某县人民政府办公室", [("xzf", "某县人民政府", "11330000MB1234567X")])
    assert fenced_after(text, "GitHub Actions (`.github/workflows/xxgk.yml`):") == files[".github/workflows/xxgk.yml"]
    assert fenced_after(text, "GitLab CI (`.gitlab-ci.yml`):") == files[".gitlab-ci.yml"]


def test_readme_first_command_builds_and_serves_the_sample():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```sh\n(.*?)\n```", text, re.S).group(1)
    assert first == "python3 -m pip install -r requirements.txt && python3 build.py serve"
    assert "## Your own site" in text
