"""Benchmark: `audit` on a large site costs at most 2 s more than `check` (SPEC section 10).

    python bench/audit.py [--entries 10000] [--runs 3] [--work bench/work/audit]

Makes the synthetic corpus of bench/corpus.py (policies, interpretations, reports, relations,
expiring documents), with every third policy a 行政规范性文件 and the audit keys in the config, then
times `python build.py check` and `python build.py audit` (text, JSON and HTML) as a user runs them,
after one `build --no-search` (so both read the kept per-file checks, as on an office's machine),
and prints the medians and the difference. It also times the audit's own part in this process.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

AS_OF = "2026-01-01"


def make_site(n: int, root: Path) -> Path:
    from corpus import make_entries, write_xxgk
    if (root / "site_config.yaml").is_file() and (root / f".entries-{n}").is_file():
        return root
    write_xxgk(make_entries(n), root)
    for i, f in enumerate(sorted((root / "content" / "policies").glob("*.md"))):
        if i % 3 == 0:                                   # every third policy a normative document
            text = f.read_text(encoding="utf-8")
            extra = "kind: normative\n" + (f"reg_no: XZFG-2020-{i:05d}\n" if i % 2 == 0 else "")
            f.write_text(text.replace("---\n", "---\n" + extra, 1), encoding="utf-8")
    cfg = root / "site_config.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "normative_validity_years: 5\n"
                   "reg_no_pattern: '^XZFG-\\d{4}-\\d{5}$'\n", encoding="utf-8")
    (root / f".entries-{n}").write_text("", encoding="utf-8")
    return root


def timed(*args: str) -> float:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if r.returncode not in (0, 1):
        raise SystemExit(f"{args}: exit {r.returncode}\n{r.stderr[-2000:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "work" / "audit")
    a = ap.parse_args()
    site = make_site(a.entries, a.work / f"site-{a.entries}")
    out = a.work / f"out-{a.entries}"
    t = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site), "--output", str(out),
                    "--as-of", AS_OF, "--no-search"], capture_output=True, check=False)
    print(f"site: {site} ({a.entries} entries); build --no-search {time.perf_counter() - t:.1f} s")
    common = ("--site", str(site), "--as-of", AS_OF)
    runs = {
        "check": ("check", *common),
        "audit (text)": ("audit", *common, "--output", str(a.work / "audit.txt")),
        "audit (json)": ("audit", *common, "--format", "json", "--output", str(a.work / "audit.json")),
        "audit (html)": ("audit", *common, "--format", "html", "--output", str(a.work / "audit.html")),
    }
    medians = {}
    for _ in range(a.runs):           # interleaved: a busy machine slows each alike
        for name, args in runs.items():
            medians.setdefault(name, []).append(timed(*args))
    base = statistics.median(medians["check"])
    for name, times in medians.items():
        m = statistics.median(times)
        extra = "" if name == "check" else f"   +{m - base:.2f} s over check (target < 2 s)"
        print(f"{name:14s} median {m:.2f} s  ({', '.join(f'{x:.2f}' for x in times)}){extra}")
    # the audit's own part, in this process
    from datetime import date
    from xxgk.audit import report
    from xxgk.audit.rules import Audit
    from xxgk.diagnostics import Diagnostics
    from xxgk.incremental.entries import EntryCache
    from xxgk.pipeline import load_and_check
    t = time.perf_counter()
    config, entries, as_of, _f = load_and_check(site, date.fromisoformat(AS_OF), Diagnostics(), EntryCache(site / ".cache"))
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    audit = Audit(site, config, entries, as_of, 90)
    findings = audit.run()
    t_rules = time.perf_counter() - t
    t = time.perf_counter()
    report.as_html(findings, config, site, as_of, 90, audit.cal.guessed)
    t_html = time.perf_counter() - t
    print(f"in process: load_and_check {t_load:.2f} s; rules {t_rules:.2f} s ({len(findings)} findings); "
          f"HTML page {t_html:.2f} s")


if __name__ == "__main__":
    main()
