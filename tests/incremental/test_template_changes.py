"""A broken template (the site's own templates/ override) ends in a message naming the template and
its line, never a traceback, and the published site stays as it was — in one process and when the
pages are rendered in worker processes (a site with more pages than render/run.PARALLEL_PAGES)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import run_build
from sitemaker import make_site, policy

BROKEN = {
    "filter": ('{% extends "base.html" %}{% block main %}{{ entry.title | nosuchfilter }}{% endblock %}\n',
               "templates/entry.html:1: -: 模板出错（TemplateAssertionError）：No filter named 'nosuchfilter'。"
               "请改正它；删除站点 templates/ 中的这个文件即恢复使用内置模板"),
    "attribute": ('{% extends "base.html" %}\n{% block main %}\n<p>{{ entry.nosuch }}</p>{% endblock %}\n',
                  "templates/entry.html:3: -: 模板出错（UndefinedError）：'xxgk.model.Entry object' has no attribute "
                  "'nosuch'。请改正它；删除站点 templates/ 中的这个文件即恢复使用内置模板"),
}


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("entries", [3, 320], ids=["one-process", "workers"])
@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_template_names_file_and_line(tmp_path, kind, entries):
    site = make_site(tmp_path / "site", {f"content/policies/p-{n:04d}.md": policy(n) for n in range(1, entries + 1)})
    args = ("build", "--site", str(site), "--as-of", "2024-01-01", "--no-search")
    assert run_build(*args).returncode == 0
    before = snapshot(site / "output")
    (site / "templates").mkdir(exist_ok=True)
    text, message = BROKEN[kind]
    (site / "templates" / "entry.html").write_text(text, encoding="utf-8")
    r = run_build(*args)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert message in r.stderr.splitlines(), r.stderr
    assert snapshot(site / "output") == before               # nothing published
    assert not (site / ".output.building").exists()
    os.unlink(site / "templates" / "entry.html")              # fixed: builds again
    r = run_build(*args)
    assert r.returncode == 0, r.stderr
