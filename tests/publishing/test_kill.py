"""A build killed with SIGKILL at a random moment leaves the previous output/ complete.

A larger generated site is built once; then its entries change and a rebuild is started and killed
(SIGKILL, to the whole process group, so worker processes die too) after a random delay, several
times. After each kill, output/ must match its own SHA256SUMS exactly: no file missing, changed
or extra. The seed is fixed (XXGK_KILL_SEED to vary it); a last build then succeeds and cleans up.
"""
from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from sitemaker import make_site, policy  # noqa: E402

ENTRIES = 250
KILLS = 6


def build_cmd(site: Path) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "build", "--site", str(site), "--as-of", "2024-01-01",
            "--no-search"]


def verify_sums(out: Path) -> None:
    sums = (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in sums:
        digest, rel = line.split("  ", 1)
        listed[rel] = digest
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert present - {"SHA256SUMS"} == set(listed), (sorted(present - set(listed))[:5], sorted(set(listed) - present)[:5])
    for rel, digest in listed.items():
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest, f"{rel} changed"


def write_entries(site: Path, version: int) -> None:
    for n in range(1, ENTRIES + 1):
        (site / "content/policies" / f"p-{n:04d}.md").write_text(
            policy(n, title=f"第{version}版政策文件{n}", body="正文。" * 200 + f"\n\n版本 {version}"), encoding="utf-8")


def test_sigkill_leaves_previous_output_complete(tmp_path):
    site = make_site(tmp_path / "site", {})
    write_entries(site, 1)
    start = time.monotonic()
    r = subprocess.run(build_cmd(site), capture_output=True, text=True, timeout=600)
    full = time.monotonic() - start
    assert r.returncode == 0, r.stderr
    out = site / "output"
    verify_sums(out)

    rng = random.Random(int(os.environ.get("XXGK_KILL_SEED", "20261123")))
    for version in range(2, 2 + KILLS):
        write_entries(site, version)
        proc = subprocess.Popen(build_cmd(site), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.05, full * 1.1))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        verify_sums(out)                                  # old or new site, but always whole

    r = subprocess.run(build_cmd(site), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    verify_sums(out)
    assert f"第{1 + KILLS}版政策文件1" in (out / "policies/p-0001.html").read_text(encoding="utf-8")
    assert not (site / ".output.building").exists() and not (site / ".output.old").exists()
