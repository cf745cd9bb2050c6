"""The package (SPEC section 8): `python -m build --wheel` (run in a copy of this repository, where
build.py hands `-m build` over to PyPA's build), installed into a fresh virtual environment, gives the
`xxgk` command, which builds a copy of the sample site from another folder — byte for byte what
`python build.py` makes — with the templates and data shipped inside the package."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import REPO, SAMPLE_AS_OF, run_build
from xxgk import __version__

SKIP = shutil.ignore_patterns("output", ".cache", "test-artifacts", "node_modules", "__pycache__", "*.egg-info",
                              "build", "dist", "work", ".git", ".output.*")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(REPO, src, ignore=SKIP)
    out = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp / "dist"), "."], cwd=src,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    wheel = tmp / "dist" / f"xxgk-{__version__}-py3-none-any.whl"
    assert wheel.is_file()
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(tmp / "venv")], check=True)
    out = subprocess.run([str(tmp / "venv/bin/pip"), "install", "-q", "--no-index", str(wheel)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return {"wheel": wheel, "bin": tmp / "venv/bin", "cwd": elsewhere, "tmp": tmp}


def xxgk(installed, *args):
    return subprocess.run([str(installed["bin"] / "xxgk"), *args], cwd=installed["cwd"], capture_output=True,
                          text=True, timeout=600, env={"PATH": f"{installed['bin']}:/usr/bin:/bin", "XXGK_PROGRESS": "0"})


def test_wheel_holds_the_templates_data_starter_and_licence(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for rel in ("templates", "templates/assets", "templates/components"):
        for f in (REPO / rel).iterdir():
            if f.is_file():
                assert f"xxgk/{rel}/{f.name}" in names
    assert "xxgk/config/topic_taxonomy_gov_cn.yaml" in names
    assert {"xxgk/starter/dot-github/workflows/xxgk.yml", "xxgk/starter/dot-gitlab-ci.yml",
            "xxgk/starter/dot-gitignore", "xxgk/starter/site_config.yaml"} <= names
    assert f"xxgk-{__version__}.dist-info/licenses/LICENSE" in names
    meta = zipfile.ZipFile(installed["wheel"]).read(f"xxgk-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MulanPSL-2.0" in meta and "Requires-Dist: jinja2==" in meta


def test_version(installed):
    out = xxgk(installed, "--version")
    assert (out.returncode, out.stdout) == (0, f"xxgk {__version__}\n")


def test_installed_copy_uses_its_own_templates(installed):
    code = "import xxgk.resources as r, xxgk.config.site as s; print(r.BUILTIN_TEMPLATES); print(s.DEFAULT_TAXONOMY)"
    out = subprocess.run([str(installed["bin"] / "python"), "-c", code], cwd=installed["cwd"], capture_output=True,
                         text=True, check=True)
    venv = str(installed["tmp"] / "venv")
    assert all(line.startswith(venv) for line in out.stdout.splitlines()), out.stdout


def test_builds_the_sample_from_another_folder_as_build_py_does(installed):
    site = installed["tmp"] / "sample"
    site.mkdir()
    shutil.copy(REPO / "site_config.yaml", site)
    shutil.copytree(REPO / "content", site / "content")
    out = xxgk(installed, "build", "--site", str(site), "--as-of", SAMPLE_AS_OF, "--no-search")
    assert out.returncode == 0, out.stderr
    repo_out = installed["tmp"] / "repo-output"
    assert run_build("build", "--output", str(repo_out), "--as-of", SAMPLE_AS_OF, "--no-search").returncode == 0
    assert (site / "output" / "SHA256SUMS").read_bytes() == (repo_out / "SHA256SUMS").read_bytes()
    out = xxgk(installed, "--site", str(site), "--as-of", SAMPLE_AS_OF)          # no command: build, with search
    assert out.returncode == 0, out.stderr
    assert (site / "output" / "pagefind" / "pagefind.js").is_file()


def test_init_check_and_messages_from_the_installed_command(installed):
    out = xxgk(installed, "init", "county")
    assert out.returncode == 0 and "  xxgk serve" in out.stdout
    out = xxgk(installed, "check", "--site", "county", "--strict")
    assert out.returncode == 1 and "build.py" not in out.stderr
    assert xxgk(installed, "check", "--site", "county").returncode == 0
