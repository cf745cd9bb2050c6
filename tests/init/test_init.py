"""`xxgk init DIR` (SPEC section 8): a starter site that builds at once, whose placeholders fail
`check --strict`; a non-empty DIR or a bad --agency triple is refused with exit 2, changing nothing."""
from __future__ import annotations

import re

import pytest
import yaml

from helpers import run_build
from xxgk import __version__
from xxgk.config.site import OPTIONS

PLACEHOLDER_FILES = ["content/pages/about.md", "content/pages/accessibility.md", "content/pages/guide.md",
                     "content/pages/privacy.md", "content/policies/example-policy.md"]
FILES = sorted([".github/workflows/xxgk.yml", ".gitignore", ".gitlab-ci.yml", "requirements.txt",
                "site_config.yaml"] + PLACEHOLDER_FILES)


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_starter_site_builds_at_once_and_strict_check_names_every_placeholder(tmp_path):
    site = tmp_path / "new" / "site"
    out = run_build("init", str(site))
    assert out.returncode == 0, out.stderr
    assert f"  python build.py serve --site {site}  " in out.stdout
    assert sorted(tree(site)) == FILES
    check = run_build("check", "--site", str(site))
    assert check.returncode == 0, check.stderr
    strict = run_build("check", "--site", str(site), "--strict")
    assert strict.returncode == 1
    flagged = sorted(line.split(":")[0] for line in strict.stderr.splitlines() if "占位文字" in line)
    assert flagged == PLACEHOLDER_FILES
    assert strict.stderr.splitlines()[-1] == "共 5 个错误"
    build = run_build("build", "--site", str(site), "--no-search")
    assert build.returncode == 0, build.stderr
    for page in ("index.html", "pages/about.html", "pages/privacy.html", "pages/accessibility.html",
                 "pages/guide.html", "policies/example-policy.html"):
        assert (site / "output" / page).is_file(), page
    # once the placeholders are written, the strict check passes
    for rel in PLACEHOLDER_FILES:
        p = site / rel
        p.write_text(p.read_text(encoding="utf-8").replace("TODO：在此填写正文（Markdown）。", "已填写。"), encoding="utf-8")
    assert run_build("check", "--site", str(site), "--strict").returncode == 0


def test_options_go_into_the_config(tmp_path):
    site = tmp_path / "site"
    out = run_build("init", str(site), "--title", '某县: "政务" 公开 # 不是注释', "--owner", "某县人民政府办公室",
                    "--agency", "xzf", "某县人民政府", "11330000MB1234567X",
                    "--agency", "czj", "某县财政局", "11330000MB7654321Y")
    assert out.returncode == 0, out.stderr
    config = yaml.safe_load((site / "site_config.yaml").read_text(encoding="utf-8"))
    assert config["title"] == '某县: "政务" 公开 # 不是注释' and config["owner"] == "某县人民政府办公室"
    assert config["agencies"] == [{"key": "xzf", "name": "某县人民政府", "code": "11330000MB1234567X"},
                                  {"key": "czj", "name": "某县财政局", "code": "11330000MB7654321Y"}]
    policy = (site / "content/policies/example-policy.md").read_text(encoding="utf-8")
    assert re.search(r"^index_no: '11330000MB1234567X/\d{4}-00001'$", policy, re.M)
    assert "\nagency: xzf\n" in policy
    assert run_build("build", "--site", str(site), "--no-search").returncode == 0


def test_every_config_key_is_there_with_a_comment(tmp_path):
    site = tmp_path / "site"
    assert run_build("init", str(site)).returncode == 0
    lines = (site / "site_config.yaml").read_text(encoding="utf-8").splitlines()
    for key in OPTIONS:
        at = [i for i, line in enumerate(lines) if re.match(rf"^(# )?{key}:", line)]
        assert at, f"{key} is not in the starter's site_config.yaml"
        assert lines[at[0] - 1].startswith("#"), f"{key} has no comment above it"
    for key in OPTIONS["footer"].options:
        assert re.search(rf"^  (# )?{key}:", "\n".join(lines), re.M), key


def test_requirements_pin_this_version_and_gitignore(tmp_path):
    site = tmp_path / "site"
    assert run_build("init", str(site)).returncode == 0
    reqs = [line for line in (site / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert reqs == [f"xxgk=={__version__}"]
    ignored = (site / ".gitignore").read_text().splitlines()
    assert "output/" in ignored and ".cache/" in ignored


def test_empty_folder_is_fine(tmp_path):
    (tmp_path / "site").mkdir()
    assert run_build("init", str(tmp_path / "site")).returncode == 0


@pytest.mark.parametrize("existing", [{"notes.txt": b"keep me"}, {".git/HEAD": b"ref: refs/heads/main\n"}])
def test_non_empty_folder_is_refused_and_unchanged(tmp_path, existing):
    site = tmp_path / "site"
    for rel, data in existing.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    out = run_build("init", str(site))
    assert out.returncode == 2
    assert out.stderr == f"错误：{site} 不是空文件夹：init 只在新的或空的文件夹中写站点，什么也没改。请换一个文件夹名，或先把它清空。\n"
    assert tree(site) == existing


def test_a_file_is_refused(tmp_path):
    (tmp_path / "site").write_text("x")
    out = run_build("init", str(tmp_path / "site"))
    assert out.returncode == 2 and "不是文件夹" in out.stderr
    assert (tmp_path / "site").read_text() == "x"


@pytest.mark.parametrize("agencies, message", [
    (["Xzf", "某县人民政府", "11330000MB1234567X"],
     "参数 --agency Xzf 某县人民政府 11330000MB1234567X：机构代号“Xzf”不合规则：只能用小写英文字母、数字和 -，以字母或数字开头"),
    (["xzf", "某县人民政府", "1133-0000"],
     "参数 --agency xzf 某县人民政府 1133-0000：机构“xzf”的统一社会信用代码“1133-0000”不合规则：须为 9–18 位数字或大写英文字母"
     "（它是索引号的第一部分）"),
    (["xzf", " ", "11330000MB1234567X"], "机构“xzf”的全称是空的"),
    (["xzf", "甲", "11330000MB1234567X", "--agency", "xzf", "乙", "11330000MB7654321Y"],
     "参数 --agency xzf 乙 11330000MB7654321Y：机构代号“xzf”重复了：每个 --agency 的代号须不同"),
    (["xzf", "某县人民政府"], "参数 --agency：需要 3 个值"),
])
def test_a_bad_agency_triple_is_a_usage_error(tmp_path, agencies, message):
    out = run_build("init", str(tmp_path / "site"), "--agency", *agencies)
    assert out.returncode == 2
    assert out.stderr.startswith("用法：python build.py init")
    error = [line for line in out.stderr.splitlines() if line.startswith("python build.py init：错误：")]
    assert len(error) == 1 and error[0].endswith(message)
    assert not (tmp_path / "site").exists()
