"""`python build.py verify DIR` (SPEC section 2): a copied site checked against its SHA256SUMS."""
from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from helpers import REPO, copy_site, run_build


@pytest.fixture
def copy(fixture_output, tmp_path):
    return copy_site(fixture_output, tmp_path / "mirror")


def test_an_exact_copy_matches(copy):
    r = run_build("verify", str(copy))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "核对通过" in r.stdout
    # SHA256SUMS lists every other file; the standard tool agrees
    if shutil.which("sha256sum"):
        s = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=copy, capture_output=True, text=True)
        assert s.returncode == 0, s.stdout + s.stderr


def test_missing_extra_and_changed_files_are_reported_one_per_line(copy):
    (copy / "policies" / "fee-rules.html").unlink()
    (copy / "foo.html").write_text("x")
    (copy / "policies" / "notes.txt").write_text("x")
    with open(copy / "index.html", "ab") as f:
        f.write(b"<!-- changed -->")
    r = run_build("verify", str(copy))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[:4] == ["缺少：policies/fee-rules.html", "多余：foo.html", "多余：policies/notes.txt",
                         "已改变：index.html"], r.stdout
    assert "共 4 处不一致" in lines[-1] and "缺少 1 个" in lines[-1] and "多余 2 个" in lines[-1] \
        and "已改变 1 个" in lines[-1], lines[-1]
    assert "SHA256SUMS" not in "\n".join(lines[:-1]), "SHA256SUMS itself is never extra"
    assert "Traceback" not in r.stderr


def test_no_sums_is_exit_2(copy, tmp_path):
    (copy / "SHA256SUMS").unlink()
    r = run_build("verify", str(copy))
    assert r.returncode == 2 and "SHA256SUMS" in r.stderr and "Traceback" not in r.stderr
    r = run_build("verify", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_precompressed_copies_for_gzip_static(copy):
    """A server's X.gz beside X is not extra when it unpacks to X; a stale one is reported."""
    data = (copy / "index.html").read_bytes()
    (copy / "index.html.gz").write_bytes(gzip.compress(data))
    assert run_build("verify", str(copy)).returncode == 0
    (copy / "404.html.gz").write_bytes(gzip.compress(b"old"))
    r = run_build("verify", str(copy))
    assert r.returncode == 1 and r.stdout.startswith("已改变：404.html.gz"), r.stdout


def test_large_file_is_streamed(copy):
    """A 64 MiB attachment is hashed in chunks (the process stays far below the file's size)."""
    big = copy / "files" / "big.bin"
    with open(big, "wb") as f:
        for _ in range(64):
            f.write(b"\0" * (1 << 20))
    sums = copy / "SHA256SUMS"
    digest = hashlib.sha256(b"\0" * (64 << 20)).hexdigest()
    lines = sums.read_text().splitlines() + [f"{digest}  files/big.bin"]
    sums.write_text("".join(line + "\n" for line in sorted(lines, key=lambda s: s[66:])))
    if not os.path.exists("/usr/bin/time"):
        assert run_build("verify", str(copy)).returncode == 0
        return
    r = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, str(REPO / "build.py"), "verify", str(copy)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    peak_kb = int(r.stderr.strip().splitlines()[-1])
    assert peak_kb < 60 * 1024, f"verify used {peak_kb} KB for a 64 MiB file"
