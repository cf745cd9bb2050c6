"""One build at a time per output folder (xxgk/write/lock.py): two builds started together never
leave a site that fails `verify`; the second one waits, saying who holds the lock; a lock held too
long stops it with exit status 2 naming the holder; a killed build's lock is recognised."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import FIXTURES
from hostile_kit import REPO_BUILD

from xxgk.write.lock import lock_file

ENTRIES = 40
ROUNDS = 10
SEARCH_ROUNDS = {4, 9}       # most rounds without the search index, to keep CI time down


def _cmd(*args: str) -> list[str]:
    return [sys.executable, REPO_BUILD, *args]


def _many_entries(site: Path, n: int, round_no: int) -> None:
    folder = site / "content/policies"
    text = (folder / "budget-2021.md").read_text(encoding="utf-8")
    for i in range(n):
        body = text.replace("2021-00001", f"2021-{10000 + i:05d}")
        (folder / f"gen-{i:04d}.md").write_text(body.replace("---\n", "---\n", 1) + f"\n第 {round_no} 轮的修改 {i}。\n",
                                                encoding="utf-8")


@pytest.fixture
def big_site(tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "basic", site)
    return site


def test_two_builds_started_together_ten_rounds_output_verified(big_site):
    site, out = big_site, big_site / "output"
    waited = 0
    for round_no in range(ROUNDS):
        _many_entries(site, ENTRIES, round_no)                 # every round changes every entry
        search = [] if round_no in SEARCH_ROUNDS else ["--no-search"]
        procs = [subprocess.Popen(_cmd("build", "--site", str(site), "--as-of", "2024-01-01", *search),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [p.communicate(timeout=300) for p in procs]
        for p, (stdout, stderr) in zip(procs, results):
            assert p.returncode == 0, f"round {round_no}: {stderr}"
            assert "Traceback" not in stderr
        waited += sum("正在写入" in stderr and "等待它完成" in stderr for _, stderr in results)
        v = subprocess.run(_cmd("verify", str(out)), capture_output=True, text=True, timeout=120)
        assert v.returncode == 0, f"round {round_no}: {v.stdout}{v.stderr}"
        page = (out / "policies" / f"gen-{ENTRIES - 1:04d}.html").read_text(encoding="utf-8")
        body = page.split("</head>", 1)[1]       # (the head's meta description repeats the summary)
        assert body.count(f"第 {round_no} 轮") == 1 and f"第 {round_no - 1} 轮" not in page
        assert not list(site.glob(".output.*")), "a staging folder was left behind"
    assert waited >= 1, "the builds never overlapped: this test would not see a missing lock"


HOLD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from xxgk.write.lock import build_lock
with build_lock(Path({site!r}), Path({out!r})):
    print("held", flush=True)
    time.sleep(float(sys.argv[1]))
"""


def _holder(site: Path, seconds: float) -> subprocess.Popen:
    code = HOLD.format(repo=str(Path(REPO_BUILD).parent), site=str(site), out=str(site / "output"))
    p = subprocess.Popen([sys.executable, "-c", code, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def test_a_second_build_waits_for_the_first_and_says_who_holds_it(big_site):
    holder = _holder(big_site, 4)
    try:
        r = subprocess.run(_cmd("build", "--site", str(big_site), "--no-search", "--as-of", "2024-01-01"),
                           capture_output=True, text=True, timeout=120)
    finally:
        holder.wait(timeout=30)
    assert r.returncode == 0, r.stderr
    assert f"另一个构建（进程 {holder.pid}，自 " in r.stderr and f"正在写入 {big_site / 'output'}，等待它完成……" in r.stderr


def test_a_lock_held_too_long_stops_with_exit_2_naming_the_holder(big_site):
    holder = _holder(big_site, 30)
    try:
        r = subprocess.run(_cmd("build", "--site", str(big_site), "--no-search", "--as-of", "2024-01-01"),
                           capture_output=True, text=True, timeout=120, env={**os.environ, "XXGK_LOCK_WAIT": "0.5"})
    finally:
        holder.kill()
        holder.wait()
    assert r.returncode == 2, r.stderr
    assert f"错误：另一个构建（进程 {holder.pid}，自 " in r.stderr
    assert "等待 0 秒后仍未结束；请等它完成后再构建（同一个输出文件夹一次只能有一个构建）" in r.stderr
    assert not (big_site / "output").exists()


def test_a_killed_builds_lock_is_recognised_and_does_not_block(big_site):
    holder = _holder(big_site, 60)
    holder.kill()                  # kill -9 while it holds the lock: the file stays, with its pid
    holder.wait()
    assert str(holder.pid) in lock_file(big_site, big_site / "output").read_text()
    start = time.monotonic()
    r = subprocess.run(_cmd("build", "--site", str(big_site), "--no-search", "--as-of", "2024-01-01"),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"提示：上次构建（进程 {holder.pid}，自 " in r.stderr and "没有正常结束" in r.stderr
    assert time.monotonic() - start < 30
    assert lock_file(big_site, big_site / "output").read_text() == ""     # finished: nothing stale left
