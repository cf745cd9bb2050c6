"""`xxgk import` on a folder of Word files: N 红头文件 of about five pages each.

    python bench/import_word.py [--files 1000] [--pages 5] [--work bench/work/import-word] [--runs 1]

Makes N distinct .docx files the way offices format them (tests/importer/docmaker.py: red header,
文号, title, 黑体 / 楷体 headings typed with their numbering, body in 仿宋 16 pt, a table, the
signature and date; about 3,000 characters, five printed pages), once, then times
`python build.py import DIR --site SITE` into an empty site (each run a fresh site) as a user runs
it, start-up included. Target (SPEC 9 / issue 22): 1,000 files in under a minute on two cores.
Prints `RESULT import-word files=N pages=P wall=S per_file_ms=M written=W`.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "importer"))

from docmaker import make_gongwen  # noqa: E402

CONFIG = """\
title: 示例县人民政府信息公开
owner: 示例县人民政府办公室
lang: zh-Hans
timezone: Asia/Shanghai
index_no_pattern: '^[0-9A-Z]{9,18}/\\d{4}-\\d{5}$'
agencies:
  - key: xzfb
    name: 示例县人民政府办公室
    code: 11330000MB1234567X
footer:
  contact: 示例县人民政府办公室
"""


def _make(args) -> None:
    folder, i, pages = args
    path = folder / f"doc-{i:05d}.docx"
    if not path.exists():
        make_gongwen(path, doc_no=f"示政办发〔{2000 + i % 25}〕{i}号",
                     title=f"示例县人民政府办公室关于做好第{i}项政务公开工作的通知", pages=pages,
                     date_text=f"{2000 + i % 25}年{1 + i % 12}月{1 + i % 28}日")


def make_corpus(folder: Path, files: int, pages: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    t = time.monotonic()
    with Pool(os.cpu_count() or 1) as pool:
        pool.map(_make, [(folder, i, pages) for i in range(files)], chunksize=16)
    print(f"corpus: {files} files in {folder} ({sum(p.stat().st_size for p in folder.glob('*.docx')) // 1024} KB, "
          f"made in {time.monotonic() - t:.1f} s)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--pages", type=int, default=5)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "work" / "import-word")
    a = ap.parse_args(argv)
    corpus = a.work / f"docx-{a.files}-{a.pages}"
    make_corpus(corpus, a.files, a.pages)
    walls, cpus, written = [], [], 0
    for run in range(a.runs):
        site = a.work / "site"
        shutil.rmtree(site, ignore_errors=True)
        (site / "content").mkdir(parents=True)
        (site / "site_config.yaml").write_text(CONFIG, encoding="utf-8")
        t = time.monotonic()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = subprocess.run([sys.executable, str(REPO / "build.py"), "import", str(corpus), "--site", str(site)],
                           capture_output=True, text=True)
        walls.append(time.monotonic() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if r.returncode != 0:
            print(r.stdout[-2000:], r.stderr[-2000:], file=sys.stderr)
            return 1
        m = re.search(r"写入 (\d+) 个条目", r.stdout)
        written = int(m.group(1)) if m else 0
        print(f"run {run + 1}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU (all processes), {written} entries written")
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    load = os.getloadavg()[0]
    # the wall time depends on what else the machine runs; the CPU time does not (much): on two idle
    # cores the import takes about CPU / 2 (it reads in one worker process a core)
    print(f"RESULT import-word files={a.files} pages={a.pages} wall={wall:.2f} cpu={cpu:.2f} "
          f"cpu_per_file_ms={cpu * 1000 / max(a.files, 1):.1f} written={written} load={load:.1f} cores={os.cpu_count()}")
    return 0 if written == a.files else 1


if __name__ == "__main__":
    sys.exit(main())
