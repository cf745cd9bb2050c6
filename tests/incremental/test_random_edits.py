"""Incremental builds: after any sequence of edits, a rebuild in place gives exactly the bytes of a clean
full build, and files whose bytes did not change keep their modification time (mirrors sync by it)."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

from helpers import FIXTURES, run_build

AS_OF = "2024-01-01"


def files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def build(site: Path, out: Path) -> None:
    r = run_build("build", "--site", str(site), "--output", str(out), "--as-of", AS_OF, "--no-search")
    assert r.returncode == 0, r.stderr


def edit(site: Path, rng: random.Random, step: int) -> str:
    policies = sorted((site / "content" / "policies").glob("*.md"))
    kind = rng.choice(["body", "title", "new", "summary", "delete", "template", "rename"])
    if kind == "rename":          # the same front matter under a new name: a new page address
        free = [p for p in policies if p.stem.startswith("extra-")]
        if free:
            old = rng.choice(free)
            old.rename(old.with_name(f"{old.stem}-r{step}.md"))
            return "rename"
        kind = "new"
    if kind == "delete":
        free = [p for p in policies if p.stem.startswith("extra-")]
        if free:
            rng.choice(free).unlink()
            return "delete"
        kind = "new"
    if kind == "new":
        (site / "content" / "policies" / f"extra-{step}.md").write_text(
            f"---\ntitle: 新增政策{step}\nindex_no: 11330000MB1234567X/2023-{step + 100:05d}\nagency: czj\n"
            f"topic: 财政、金融、审计/财政\npublished: 2023-0{1 + step % 9}-1{step % 10}\n---\n正文第{step}版。\n",
            encoding="utf-8")
        return "new"
    if kind == "template":
        t = site / "templates" / "components" / "footer.html"
        t.parent.mkdir(parents=True, exist_ok=True)
        base = (Path(__file__).resolve().parents[2] / "templates" / "components" / "footer.html").read_text(encoding="utf-8")
        t.write_text(base + f"<!-- edit {step} -->\n", encoding="utf-8")
        return "template"
    p = rng.choice(policies)
    text = p.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    if kind == "body":
        text = head + sep + body + f"\n补充说明第{step}条。\n"
    elif kind == "title":
        text = text.replace("\ntitle: ", f"\ntitle: （第{step}次修改）", 1)
    else:
        text = head.replace("\npublished:", f"\nsummary: 概述{step}\npublished:", 1) + sep + body \
            if "\nsummary:" not in head else text.replace("\nsummary: ", f"\nsummary: {step}", 1)
    p.write_text(text, encoding="utf-8")
    return kind


def test_random_edit_sequences_match_a_clean_build(tmp_path):
    rng = random.Random(20261123)
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "basic", site)
    out = tmp_path / "out"
    build(site, out)
    for step in range(8):
        before = files(out)
        kind = edit(site, rng, step)
        build(site, out)                                   # in place, with the site's .cache/
        clean = tmp_path / f"clean-{step}"
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".cache", "output"))
        build(clean, clean / "output")                     # from nothing
        got, want = files(out), files(clean / "output")
        assert {k: v[0] for k, v in got.items()} == {k: v[0] for k, v in want.items()}, f"step {step}: {kind}"
        for rel, (data, mtime) in got.items():
            if rel in before and before[rel][0] == data:
                assert before[rel][1] == mtime, f"step {step} ({kind}): {rel} was rewritten with the same bytes"
