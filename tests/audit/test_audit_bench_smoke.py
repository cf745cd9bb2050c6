"""bench/audit.py runs end to end at a tiny size (the 10,000-entry figures are in bench/RESULTS.md)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_audit_bench_runs(tmp_path):
    r = subprocess.run([sys.executable, str(REPO / "bench" / "audit.py"), "--entries", "40", "--runs", "1",
                        "--work", str(tmp_path)], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    for name in ("check", "audit (text)", "audit (json)", "audit (html)"):
        assert f"\n{name}" in "\n" + r.stdout, name
    assert "in process: load_and_check" in r.stdout
    assert (tmp_path / "audit.html").is_file()
