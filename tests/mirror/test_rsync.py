"""Cheap synchronisation: after one entry is edited and rebuilt, `rsync -a` from the new output to a
mirror copy transfers only the files that really changed (the writer keeps unchanged files' mtimes).

Real rsync between two folders; the counts are printed (pytest -s) for the report.
"""
from __future__ import annotations

import re
import shutil
import time
import subprocess
from pathlib import Path

import pytest

from helpers import FIXTURES, run_build

pytestmark = pytest.mark.skipif(not shutil.which("rsync"), reason="rsync is not installed (apt-get install rsync)")
AS_OF = "2024-01-01"
ENTRY = "content/policies/budget-2021.md"


def rsync(src: Path, dest: Path, *extra: str) -> list[str]:
    """rsync -a src/ dest/ (plus extra options); returns the regular files it sent (or would send)."""
    r = subprocess.run(["rsync", "-a", "--delete", "--out-format=%i %n", *extra, f"{src}/", f"{dest}/"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return sorted(line.split(" ", 1)[1] for line in r.stdout.splitlines() if re.match(r"^[<>]f", line))


def build(site: Path, out: Path) -> None:
    r = run_build("build", "--site", str(site), "--output", str(out), "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A copy of tests/fixtures/basic (its own fresh .cache), built once and mirrored once."""
    tmp = tmp_path_factory.mktemp("rsync")
    site = tmp / "site"
    shutil.copytree(FIXTURES / "basic", site, ignore=shutil.ignore_patterns(".cache", "output"))
    # an editor-written summary, so that a correction in the text does not change the summary that
    # listings, feeds and catalogue.json carry (the derived-summary case is tested below)
    p = site / ENTRY
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("\npublished:", "\nsummary: 县财政局预算公开的办法。\npublished:", 1), encoding="utf-8")
    out, mirror = tmp / "output", tmp / "mirror"
    build(site, out)
    assert rsync(out, mirror)                     # the first sync copies everything
    # rsync's quick check compares whole-second mtimes: a file of the same size rewritten within the
    # same second as the last sync (SHA256SUMS here) would be skipped. Editors do not rebuild that fast.
    time.sleep(1.1)
    return site, out, mirror


def test_no_change_rebuild_transfers_nothing(world):
    site, out, mirror = world
    build(site, out)
    sent = rsync(out, mirror)
    print(f"\nno-change rebuild: rsync sent {len(sent)} files")
    assert sent == []


def test_editing_one_entry_transfers_only_what_changed(world):
    site, out, mirror = world
    p = site / ENTRY
    p.write_text(p.read_text(encoding="utf-8") + "\n本办法由县财政局负责解释。\n", encoding="utf-8")
    build(site, out)
    sent = rsync(out, mirror, "--dry-run")
    really = rsync(out, mirror, "--dry-run", "--checksum")   # files whose bytes differ (or are new)
    rsync(out, mirror)
    site_files = [f for f in sent if not f.startswith("pagefind/")]
    index_files = [f for f in sent if f.startswith("pagefind/")]
    print(f"\nedit of one body: rsync sent {len(sent)} files: {len(site_files)} outside pagefind/ {site_files}, "
          f"{len(index_files)} in pagefind/ ({len([f for f in index_files if f in really])} with new bytes)")
    assert site_files == ["SHA256SUMS", "policies/budget-2021.html"]
    # of the search index, the list of bundles and the overlay of edited pages (pagefind/part-edits/)
    assert "pagefind/xxgk-search.json" in index_files, index_files
    assert all(f.startswith(("pagefind/part-edits/", "pagefind/xxgk-search.json")) for f in index_files), index_files


def test_an_edit_that_changes_the_derived_summary(world):
    """No `summary:`: the summary comes from the text, and feeds/catalogue data carry it, so they change
    too — and nothing else (listings show no summary)."""
    site, out, mirror = world
    p = site / ENTRY
    p.write_text(re.sub(r"\nsummary: .*\n", "\n", p.read_text(encoding="utf-8")), encoding="utf-8")
    build(site, out)
    rsync(out, mirror)
    time.sleep(1.1)        # (whole-second mtimes, as in `world`: 此 and 本 are the same size in UTF-8)
    p.write_text(p.read_text(encoding="utf-8").replace("本办法", "此办法", 1), encoding="utf-8")
    build(site, out)
    sent = [f for f in rsync(out, mirror) if not f.startswith("pagefind/")]
    print(f"\nedit that changes the derived summary: rsync sent {len(sent)} files outside pagefind/: {sent}")
    assert set(sent) <= {"SHA256SUMS", "policies/budget-2021.html", "feed.xml", "feeds/policies.xml",
                         "feeds/agency-czj.xml", "catalogue.json", "catalogue.csv"}, sent
    assert "policies/budget-2021.html" in sent


def test_search_index_files_with_the_same_bytes_are_not_resent(world):
    site, out, mirror = world
    p = site / ENTRY
    p.write_text(p.read_text(encoding="utf-8") + "\n另行通知。\n", encoding="utf-8")
    build(site, out)
    sent = [f for f in rsync(out, mirror, "--dry-run") if f.startswith("pagefind/")]
    really = set(rsync(out, mirror, "--dry-run", "--checksum"))
    rsync(out, mirror)
    same = [f for f in sent if f not in really]
    print(f"\npagefind/: {len(sent)} sent, {len(same)} of them with unchanged bytes: {same}")
    assert same == []
