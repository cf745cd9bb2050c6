"""A full or read-only disk: a message naming the folder and what was needed, exit status 1, the
old site kept (verified). Needs a small tmpfs: mounted here when the test may (root in CI), else
skipped with the reason."""
from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from helpers import FIXTURES
from hostile_kit import REPO_BUILD


@pytest.fixture
def tmpfs(tmp_path):
    mnt = tmp_path / f"tmpfs-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({(r.stderr or r.stdout).strip() or 'mount failed'}): "
                    "the full-disk case needs root or CAP_SYS_ADMIN")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _build(site: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, REPO_BUILD, "build", "--site", str(site), "--output", str(out),
                           "--no-search", "--as-of", "2024-01-01"], capture_output=True, text=True, timeout=120)


def _verify(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, REPO_BUILD, "verify", str(out)], capture_output=True, text=True, timeout=60)


@pytest.fixture
def site(tmp_path) -> Path:
    return shutil.copytree(FIXTURES / "basic", tmp_path / "site")


def test_a_full_disk_keeps_the_old_site_and_says_what_was_needed(site, tmpfs):
    out = tmpfs / "out"
    first = _build(site, out)
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for i in range(4):                  # about 1 MB of new pages: more than the disk has left
        (site / f"content/pages/long-{i}.md").write_text("---\ntitle: 长页面\n---\n" + ("很长的一段正文。" * 3000 + "\n\n") * 6,
                                                         encoding="utf-8")
    r = _build(site, out)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "磁盘空间不足" in r.stderr and f"构建需要在 {tmpfs} 中暂存一份完整的新网站" in r.stderr
    assert "已发布的网站保持不变" in r.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert _verify(out).returncode == 0
    assert sorted(p.name for p in tmpfs.iterdir()) == ["out"], "a staging folder was left on the full disk"


def test_a_read_only_output_keeps_the_old_site(site, tmpfs):
    out = tmpfs / "out"
    assert _build(site, out).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    (site / "content/pages/about.md").write_text("---\ntitle: 关于本站\n---\n改过的正文。\n", encoding="utf-8")
    r = _build(site, out)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert f"错误：无法写入 {tmpfs}：所在的文件系统是只读的；构建需要写入输出文件夹所在的文件夹" in r.stderr
    assert _verify(out).returncode == 0


def test_an_output_folder_that_is_a_mount_point_is_explained(site, tmpfs):
    r = _build(site, tmpfs)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert f"错误：无法写入 {tmpfs}：文件夹正被占用（输出文件夹本身是挂载点时无法整体替换）" in r.stderr
    assert f"请把 --output 指向挂载点里面的一个子文件夹，例如 {tmpfs / 'site'}" in r.stderr
