"""The benchmark runs end to end for our generator alone at a tiny size (no peer tools needed)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_runs_for_xxgk_only(tmp_path):
    r = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--entries", "30", "--runs", "1",
                        "--only", "xxgk", "--work", str(tmp_path / "work")],
                       capture_output=True, text=True, timeout=120, cwd=REPO)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    m = re.search(r"^RESULT cold-nosearch entries=30 median_wall=([0-9.]+) ", r.stdout, re.M)
    assert m and float(m.group(1)) > 0, r.stdout[-2000:]
    for name in ("noop-nosearch", "edit-nosearch", "tmpl-nosearch", "cold-search", "noop-search", "edit-search"):
        assert re.search(rf"^RESULT {name} entries=30 ", r.stdout, re.M), name
    assert "| xxgk cold-nosearch |" in r.stdout
    assert "NOT rewritten" not in r.stdout and "did not reach" not in r.stdout


def test_bench_unknown_tool_is_a_usage_error():
    r = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--only", "jekyll"],
                       capture_output=True, text=True, timeout=60, cwd=REPO)
    assert r.returncode == 2
    assert "jekyll" in r.stderr
