#!/usr/bin/env python3
"""Attachments benchmark (SPEC 11): a site whose entries carry 1,000 attachments of mixed types.

    python bench/attachments.py                  # 1,000 attachments, 500 entries
    python bench/attachments.py --attachments 200 --base 84baddb

Makes the site under bench/work/attachments-<N>/ (PDF: text on several pages; .docx: paragraphs and
a table; .xlsx: a sheet of 200 rows; CSV; text — every file different, so each is really read),
then times, each in a fresh process:

  first        output/ and .cache/ deleted: every attachment read (and the search index)
  noop         the same again: nothing changed
  rebuild      output/ deleted, .cache/ kept (attachments.sqlite): no attachment read again
  body-edit    one entry's body edited
  att-edit     one attachment replaced by a new one
  first-nosearch / rebuild-nosearch   the same without the search index

With --base COMMIT, the generator at that commit (git archive, before attachments were read) builds
the same site too (first-nosearch), for the cost of reading them. Prints a table; writes
bench/work/attachments-<N>.json.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "attachments")]

WORDS = ("预算 决算 补贴 发放 名单 用工 农业 秸秆 还田 医疗 救助 养老 服务 教育 交通 道路 水利 防汛 森林 防火 "
         "安全 生产 政务 公开 营商 环境 审计 整改 项目 资金").split()
CONFIG = (REPO / "tests" / "sitemaker.py")


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(n)) + "。"


def make(root: Path, count: int) -> Path:
    import makers
    import hostile
    from sitemaker import make_site, policy
    rng = random.Random(11)
    files = root / "content" / "files"
    entries = {}
    kinds = ("pdf", "docx", "xlsx", "csv", "txt")
    per_entry = 2
    for n in range(count // per_entry):
        items = ""
        for k in range(per_entry):
            i = n * per_entry + k
            kind = kinds[i % len(kinds)]
            name = f"a{i:05d}.{kind}"
            path = files / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if kind == "pdf":
                hostile.many_pages_pdf(path, 5)
                data = path.read_bytes().replace(b"Employment contract page", f"Contract {i:05d} page xxxxx".encode()[:24])
                path.write_bytes(data)
            elif kind == "docx":
                makers.docx(path, [_text(rng, 30) for _ in range(20)], [[[f"{r}", _text(rng, 3)] for r in range(20)]])
            elif kind == "xlsx":
                makers.xlsx(path, {"名单": [[r, _text(rng, 2), rng.randrange(10 ** 6), _text(rng, 4)] for r in range(200)]})
            elif kind == "csv":
                path.write_text("\n".join(f"{r},{_text(rng, 2)},{rng.randrange(10 ** 6)}" for r in range(500)),
                                encoding="utf-8")
            else:
                path.write_text("\n".join(_text(rng, 20) for _ in range(100)), encoding="utf-8")
            items += f"\n  - file: files/{name}\n    title: 附件{i}"
        entries[f"content/policies/p{n:05d}.md"] = policy(n + 1, attachments=items, body=_text(rng, 80))
    make_site(root, entries)
    return root


def run(build_py: Path, site: Path, *args: str) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    r = subprocess.run([sys.executable, str(build_py), "build", "--site", str(site), "--as-of", "2024-01-01", *args],
                       capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"build failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return {"wall": round(wall, 2), "cpu": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
            "line": r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attachments", type=int, default=1000)
    ap.add_argument("--base", help="a commit of the generator before attachments were read, to compare")
    args = ap.parse_args()
    work = REPO / "bench" / "work" / f"attachments-{args.attachments}"
    site = work / "site"
    if not (site / "content").is_dir():
        shutil.rmtree(work, ignore_errors=True)
        t = time.monotonic()
        make(site, args.attachments)
        print(f"site made in {time.monotonic() - t:.1f} s: {site}")
    build_py = REPO / "build.py"
    fresh = lambda: (shutil.rmtree(site / "output", ignore_errors=True),        # noqa: E731
                     shutil.rmtree(site / ".cache", ignore_errors=True))
    results = {}
    if args.base:
        base = work / f"base-{args.base}"
        if not base.is_dir():
            base.mkdir(parents=True)
            subprocess.run(f"git -C {REPO} archive {args.base} | tar -x -C {base}", shell=True, check=True)
        fresh()
        results["base first-nosearch"] = run(base / "build.py", site, "--no-search")
        fresh()
        results["base first"] = run(base / "build.py", site)
    fresh()
    results["first-nosearch"] = run(build_py, site, "--no-search")
    shutil.rmtree(site / "output")
    results["rebuild-nosearch"] = run(build_py, site, "--no-search")
    fresh()
    results["first"] = run(build_py, site)
    results["noop"] = run(build_py, site)
    shutil.rmtree(site / "output")
    results["rebuild"] = run(build_py, site)
    first = sorted((site / "content" / "policies").glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("---\n", "---\n", 1) + "\n补充一句。\n", encoding="utf-8")
    results["body-edit"] = run(build_py, site)
    att = site / "content" / "files" / "a00002.xlsx"
    import makers
    makers.xlsx(att, {"名单": [[r, "新的名单", r * 7] for r in range(200)]})
    results["att-edit"] = run(build_py, site)
    print(f"\n{args.attachments} attachments of mixed types (pdf/docx/xlsx/csv/txt), {args.attachments // 2} entries\n")
    print("| build | wall s | cpu s |\n|---|---|---|")
    for k, v in results.items():
        print(f"| {k} | {v['wall']} | {v['cpu']} |")
    (work.parent / f"attachments-{args.attachments}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
