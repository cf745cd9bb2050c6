"""The command line (SPEC sections 2 and 8): Chinese help with examples and exit statuses, the
command named as the user ran it, `--site DIR` alone builds, `--format text|json|github`, `check`
renders every page, and `--help`/`--version` start without Jinja, Markdown or Pagefind."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import REPO, run_build
from sitemaker import make_site, policy

HEAVY = ("jinja2", "markdown", "pagefind", "nh3", "watchdog")
SPEC_COMMANDS = ["build", "check", "serve", "new", "verify", "pack", "init"]


def _registered() -> list[str]:
    from xxgk.cli import parser
    return list(parser()._subparsers._group_actions[0].choices)


COMMANDS = _registered()      # every registered command (later ones too) must have the same help


def run_as_xxgk(*args, cwd=REPO):
    """The installed `xxgk` command's entry point (xxgk.cli:console), run from this repository."""
    code = "import sys; sys.argv[0] = 'xxgk'; from xxgk.cli import console; console()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("args", [["--version"], ["--help"]] + [[c, "--help"] for c in COMMANDS])
def test_version_and_help_load_no_heavy_library(args):
    code = ("import sys, json\nfrom xxgk.cli import main\ntry:\n    main(%r, prog='xxgk')\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in %r)), file=sys.stderr)" % (args, HEAVY))
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert json.loads(out.stderr.strip().splitlines()[-1]) == []


def test_version():
    out = run_as_xxgk("--version")
    from xxgk import __version__
    assert (out.returncode, out.stdout) == (0, f"xxgk {__version__}\n")


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_in_chinese_with_examples_and_exit_statuses(command):
    out = run_as_xxgk(command, "--help")
    assert out.returncode == 0
    text = out.stdout
    assert text.startswith(f"用法：xxgk {command} ")
    for part in ("选项：", "示例：", "退出状态：", f"  xxgk {command}", "显示本帮助并退出", "  0  "):
        assert part in text, part
    for english in ("usage:", "options:", "show this help", "positional arguments", "error:"):
        assert english not in text
    description = text.split("\n\n")[1]
    assert len(description) > 10 and not description.startswith(("选项", "位置参数"))


def test_top_level_help_lists_every_command():
    out = run_as_xxgk("--help")
    assert out.returncode == 0 and out.stdout.startswith("用法：xxgk ")
    for command in COMMANDS:
        assert f"    {command} " in out.stdout
    assert "位置参数：" in out.stdout and "显示版本号并退出" in out.stdout


@pytest.mark.parametrize("args, message", [
    (["bogus"], "xxgk：错误：参数 命令：无效的选择：'bogus'（可选：'build', "),
    (["build", "--as-of", "2025-13-01"], "xxgk build：错误：参数 --as-of：“2025-13-01”不是日期，请写成 YYYY-MM-DD"),
    (["build", "--bogus"], "xxgk：错误：无法识别的参数：--bogus"),
    (["new", "policy"], "xxgk new：错误：缺少必需的参数：id"),
    (["serve", "--port", "x"], "xxgk serve：错误：参数 --port：无效的 int 值：'x'"),
    (["check", "--format", "xml"], "xxgk check：错误：参数 --format：无效的选择：'xml'"),
])
def test_usage_errors_in_chinese(args, message):
    out = run_as_xxgk(*args)
    assert out.returncode == 2
    assert out.stderr.startswith("用法：xxgk")
    assert message in out.stderr
    assert "error" not in out.stderr and "usage" not in out.stderr


def test_site_alone_builds(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy()})
    out = run_build("--site", str(site), "--no-search")
    assert out.returncode == 0, out.stderr
    assert (site / "output" / "index.html").is_file()
    out = run_as_xxgk("--site", str(site), "--no-search", "--strict")
    assert out.returncode == 0 and "已构建 1 个条目" in out.stdout


def test_messages_name_the_command_the_user_ran(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/a.md": ""})
    expected = "content/policies/a.md:1: -: 文件是空的：请写入元数据和正文（{} new 可以生成一个填好字段名的文件）"
    out = run_build("check", "--site", str(site))
    assert out.returncode == 1 and expected.format("python build.py") in out.stderr.splitlines()
    out = run_as_xxgk("check", "--site", str(site))
    assert out.returncode == 1 and expected.format("xxgk") in out.stderr.splitlines()
    assert "build.py" not in out.stderr
    # the same kept (cached) message, said the other way
    out = run_as_xxgk("build", "--site", str(site))
    assert out.returncode == 1 and expected.format("xxgk") in out.stderr.splitlines()


def _site_with_error_and_warning(root):
    return make_site(root, {"content/policies/a.md": policy(1, agency="nosuch"),
                            "content/policies/b.md": policy(2, body="TODO：在此填写正文（Markdown）。")})


def test_format_json(tmp_path):
    site = _site_with_error_and_warning(tmp_path / "site")
    out = run_as_xxgk("check", "--site", str(site), "--format", "json")
    assert out.returncode == 1
    items = json.loads(out.stdout)
    assert all(list(i) == ["path", "line", "field", "level", "code", "message"] for i in items)
    by_path = {i["path"]: i for i in items}
    assert by_path["content/policies/a.md"]["field"] == "agency"
    assert by_path["content/policies/a.md"]["level"] == "error"
    assert by_path["content/policies/a.md"]["line"] == 4
    assert by_path["content/policies/b.md"] == {
        "path": "content/policies/b.md", "line": 8, "field": "-", "level": "warning", "code": "placeholder",
        "message": "正文仍有占位文字“TODO：在此填写正文（Markdown）。”（new 和 init 写下的）：请换成正文"}
    strict = json.loads(run_as_xxgk("check", "--site", str(site), "--format", "json", "--strict").stdout)
    assert {i["level"] for i in strict} == {"error"}
    out = run_as_xxgk("build", "--site", str(site), "--format", "json")
    assert out.returncode == 1 and json.loads(out.stdout) == items
    assert not (site / "output").exists()


def test_format_github(tmp_path):
    site = _site_with_error_and_warning(tmp_path / "repo" / "site")
    out = run_as_xxgk("check", "--site", "site", "--format", "github", cwd=tmp_path / "repo")
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0].startswith("::error file=site/content/policies/a.md,line=4,title=agency::")
    assert lines[1] == ("::warning file=site/content/policies/b.md,line=8,title=-::正文仍有占位文字"
                        "“TODO：在此填写正文（Markdown）。”（new 和 init 写下的）：请换成正文")
    out = run_as_xxgk("check", "--format", "github", cwd=site)
    assert out.stdout.splitlines()[0].startswith("::error file=content/policies/a.md,line=4,title=agency::")


def test_format_github_escapes():
    from xxgk.diagnostics import Diagnostics
    from xxgk.message_formats import github_lines
    d = Diagnostics()
    d.error("a,b:c.md", 3, "f:x", "50% 完成\n第二行")
    assert github_lines(d) == ["::error file=a%2Cb%3Ac.md,line=3,title=f%3Ax::50%25 完成%0A第二行"]


BROKEN = {
    "syntax": ('{% extends "base.html" %}{% block main %}{{ entry.title }{% endblock %}\n', "TemplateSyntaxError"),
    "render": ('{% extends "base.html" %}{% block main %}{{ entry.no_such_field.x }}{% endblock %}\n',
               "UndefinedError"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_check_fails_on_a_broken_site_template_as_build_does(tmp_path, kind):
    text, error = BROKEN[kind]
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy(),
                                         "content/pages/about.md": "---\ntitle: 关于本站\n---\n正文。\n",
                                         "templates/page.html": text})
    check = run_build("check", "--site", str(site))
    assert check.returncode == 1
    line = [x for x in check.stderr.splitlines() if x.startswith("templates/page.html:")]
    assert len(line) == 1 and f"模板出错（{error}）" in line[0]
    assert sorted(p.name for p in site.iterdir()) == ["content", "site_config.yaml", "templates"]   # wrote nothing
    build = run_build("build", "--site", str(site), "--no-search")
    assert build.returncode == 1 and line[0] in build.stderr.splitlines()


def test_check_passes_and_writes_nothing_on_a_good_site(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy()})
    out = run_build("check", "--site", str(site), "--strict")
    assert (out.returncode, out.stdout) == (0, "检查通过：1 个条目\n"), out.stderr
    assert sorted(p.name for p in site.iterdir()) == ["content", "site_config.yaml"]


def test_a_command_is_registered_in_one_line():
    from xxgk import cli
    import importlib
    for name in cli.COMMANDS:
        assert callable(importlib.import_module(name, "xxgk").add_parser)
    assert set(SPEC_COMMANDS) <= set(COMMANDS)


def test_check_after_a_build_reads_the_compiled_templates_but_sees_an_edit(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy(),
                                         "content/pages/about.md": "---\ntitle: 关于本站\n---\n正文。\n",
                                         "templates/page.html": '{% extends "base.html" %}{% block main %}{{ entry.title }}'
                                                                '{% endblock %}\n'})
    assert run_build("build", "--site", str(site), "--no-search").returncode == 0
    state = {p: p.stat().st_mtime_ns for p in (site / ".cache").rglob("*")}
    assert any("jinja" in p.parts for p in state)
    assert run_build("check", "--site", str(site)).returncode == 0
    (site / "templates/page.html").write_text(BROKEN["syntax"][0], encoding="utf-8")
    out = run_build("check", "--site", str(site))
    assert out.returncode == 1 and "templates/page.html:1: -: 模板出错（TemplateSyntaxError）" in out.stderr
    assert {p: p.stat().st_mtime_ns for p in (site / ".cache").rglob("*")} == state      # check wrote nothing


def test_new_says_the_check_command_as_run(tmp_path):
    site = make_site(tmp_path / "site", {})
    out = run_as_xxgk("new", "policy", "budget-2025", "--site", str(site))
    assert out.returncode == 0 and f"然后运行 xxgk check --site {site}" in out.stdout
    out = run_build("new", "policy", "budget-2026", "--site", str(site))
    assert out.returncode == 0 and f"然后运行 python build.py check --site {site}" in out.stdout
