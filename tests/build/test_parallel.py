"""Correctness under parallelism: a site large enough that content checks, Markdown, pages and
search copies all run in worker processes gives exactly the bytes of a one-process build."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
import corpus  # noqa: E402
from helpers import indexed_parts  # noqa: E402

N = 420   # above every threshold: checks 300, Markdown 200, pages 300, search copies 200


def build(site: Path, out: Path, workers: int, search: bool = False) -> None:
    env = dict(os.environ, XXGK_WORKERS=str(workers), XXGK_PROGRESS="0", XXGK_SEARCH_PART_PAGES="150")
    cmd = [sys.executable, str(REPO / "build.py"), "build", "--site", str(site), "--output", str(out),
           "--as-of", "2026-11-23"] + ([] if search else ["--no-search"])
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stderr


def tree(root: Path, skip_pagefind: bool = False) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not (skip_pagefind and p.relative_to(root).parts[0] == "pagefind")}


def test_the_site_is_above_every_parallel_threshold():
    from xxgk.incremental import entries
    from xxgk.render import bodies, run
    from xxgk.write import search
    assert N >= max(entries.PARALLEL_MIN, bodies.PARALLEL_MIN, run.PARALLEL_PAGES)
    assert N > 2 * 150      # search: two or more parts of 150 pages, indexed in worker processes


def test_parallel_and_single_process_builds_are_identical(tmp_path):
    sites = []
    for name in ("one", "two"):
        site = tmp_path / name
        corpus.write_xxgk(corpus.make_entries(N), site)
        sites.append(site)
    build(sites[0], tmp_path / "out-one", workers=1)
    build(sites[1], tmp_path / "out-two", workers=2)
    one, two = tree(tmp_path / "out-one"), tree(tmp_path / "out-two")
    assert len(one) > N
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []
    # with the search index in parts (index copies and two Pagefind runs at a time): the same pages,
    # and one part folder per 150 pages (rounded up to an even number)
    build(sites[1], tmp_path / "search-two", workers=2, search=True)
    with_search = tree(tmp_path / "search-two", skip_pagefind=True)
    assert {k: v for k, v in with_search.items() if k != "SHA256SUMS"} == {k: v for k, v in one.items() if k != "SHA256SUMS"}
    parts = indexed_parts(sites[1], tmp_path / "search-two")
    listed = sum(1 for p in (tmp_path / "out-one").glob("*/*.html") if p.parts[-2] in ("policies", "interpretations",
                                                                                         "reports"))
    assert len(parts) == -(-listed // 150) + (-(-listed // 150)) % 2      # an even number of parts,
    assert (tmp_path / "search-two" / "pagefind" / "pagefind.js").is_file()  # published as one index
