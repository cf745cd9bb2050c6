"""Attachments and the incremental builds: an edited attachment re-checks its entry and re-indexes
its text; a build resumed after a body edit keeps the attachment's record in the search index."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import makers
from helpers import run_build
from sitemaker import make_site, policy

ID = makers.id_number("11010519900101123")


def _indexed_text(bundle: Path) -> str:
    """Every indexed page's text, from the published Pagefind fragments below `bundle` (overlay included)."""
    texts = []
    for f in sorted(bundle.rglob("*.pf_fragment")):
        raw = gzip.decompress(f.read_bytes())
        texts.append(json.loads(raw[raw.index(b"{"):].decode("utf-8"))["content"])
    return "\n".join(texts).replace("\u200b", "")      # (Pagefind marks its word breaks)


def test_edits_to_an_attachment_and_to_its_entry(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/p1.md": policy(
        1, attachments="\n  - file: files/list.xlsx\n    title: 名单", body="第一版正文。")})
    xlsx = site / "content" / "files" / "list.xlsx"
    makers.xlsx(xlsx, {"名单": [["姓名", "作物"], ["张三", "油菜籽"]]})
    out = tmp_path / "out"
    build = lambda: run_build("build", "--site", str(site), "--output", str(out), "--as-of", "2024-01-01")  # noqa: E731
    r = build()
    assert r.returncode == 0, r.stderr
    assert "油菜籽" in _indexed_text(out / "pagefind")
    # only the body edited: the resumed build indexes the page again, with its attachment's text
    p1 = site / "content" / "policies" / "p1.md"
    p1.write_text(p1.read_text(encoding="utf-8").replace("第一版正文。", "第二版正文。"), encoding="utf-8")
    r = build()
    assert r.returncode == 0, r.stderr
    assert (out / "pagefind" / "part-edits").is_dir()          # (it was resumed: see write/search_overlay.py)
    assert "第二版正文" in _indexed_text(out / "pagefind" / "part-edits")
    assert "油菜籽" in _indexed_text(out / "pagefind")        # (its own record, unchanged, still in the index)
    # the attachment edited: a leak is found although the entry's file did not change
    makers.xlsx(xlsx, {"名单": [["姓名", "身份证号"], ["张三", ID]]})
    r = build()
    assert r.returncode == 1
    assert "附件 content/files/list.xlsx（名单!B2）中疑似居民身份证号码“110105********1232”" in r.stderr
    assert ID not in r.stderr
    # fixed again, with new words: they are what the index now finds
    makers.xlsx(xlsx, {"名单": [["姓名", "作物"], ["张三", "马铃薯"]]})
    r = build()
    assert r.returncode == 0, r.stderr
    text = _indexed_text(out / "pagefind")
    assert "马铃薯" in text and "油菜籽" not in text
