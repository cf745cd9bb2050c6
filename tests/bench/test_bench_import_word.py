"""bench/import_word.py runs end to end at a tiny size and reports its RESULT line."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_word_bench_runs(tmp_path):
    r = subprocess.run([sys.executable, str(REPO / "bench" / "import_word.py"), "--files", "4", "--pages", "1",
                        "--work", str(tmp_path / "work")], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    m = re.search(r"^RESULT import-word files=4 pages=1 wall=([0-9.]+) cpu=([0-9.]+) .*written=4 ", r.stdout, re.M)
    assert m and float(m.group(1)) > 0, r.stdout
