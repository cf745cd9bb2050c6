"""The build command end to end: exit statuses, golden output, determinism, safe replacement."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import FIXTURES, run_build  # noqa: E402
from golden import GOLDEN, files  # noqa: E402
from sitemaker import CONFIG, make_site, policy  # noqa: E402

BASIC = FIXTURES / "basic"


def build(site: Path, out: Path, *args: str):
    return run_build("build", "--site", str(site), "--output", str(out), "--as-of", "2024-01-01", "--no-search", *args)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_golden_output(fixture_output):
    """Compare with tests/golden/basic; after an intended change run: python tests/golden.py --update"""
    got = files(fixture_output)
    got.pop("SHA256SUMS")
    want = files(GOLDEN)
    assert sorted(got) == sorted(want)
    for rel in want:
        assert got[rel] == want[rel], f"{rel} differs from the golden copy (python tests/golden.py --update)"


def test_two_builds_are_byte_identical(tmp_path):
    assert build(BASIC, tmp_path / "a").returncode == 0
    assert build(BASIC, tmp_path / "b").returncode == 0
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a == b


def test_second_build_rewrites_nothing(tmp_path):
    out = tmp_path / "out"
    assert build(BASIC, out).returncode == 0
    before = snapshot(out)
    r = build(BASIC, out)
    assert r.returncode == 0
    assert "其中 0 个有变化" in r.stdout
    assert snapshot(out) == before  # same bytes and the same modification times


def test_a_build_without_search_says_it_deleted_the_index(tmp_path):
    """--no-search after a build with search deletes pagefind/: the summary says so, for whoever
    is about to copy the folder to a mirror."""
    out = tmp_path / "out"
    r = run_build("build", "--site", str(BASIC), "--output", str(out), "--as-of", "2024-01-01")
    assert r.returncode == 0, r.stderr
    index = sum(1 for p in (out / "pagefind").rglob("*") if p.is_file())
    r = build(BASIC, out)                                     # (--no-search)
    assert r.returncode == 0 and not (out / "pagefind").exists()
    assert index > 5 and (f"个有变化，删除 {index} 个（其中 {index} 个是搜索索引：--no-search 的构建不含全文搜索））"
                          in r.stdout), r.stdout
    r = build(BASIC, out)
    assert "其中 0 个有变化）" in r.stdout, r.stdout


def test_content_error_leaves_previous_output(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy()})
    out = tmp_path / "out"
    assert build(site, out).returncode == 0
    before = snapshot(out)
    (site / "content/policies/a.md").write_text(policy(agency="nope"), encoding="utf-8")
    r = build(site, out)
    assert r.returncode == 1
    assert "content/policies/a.md:4: agency: 未知机构“nope”" in r.stderr
    assert "Traceback" not in r.stderr
    assert snapshot(out) == before
    assert not any(p.name.startswith(".out.") for p in tmp_path.iterdir())


def test_refuses_a_folder_it_did_not_make(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy()})
    out = tmp_path / "precious"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    r = build(site, out)
    assert r.returncode == 2
    assert "不是本工具生成的" in r.stderr
    assert (out / "keep.txt").read_text() == "mine" and len(list(out.iterdir())) == 1
    # content errors are still reported first, with exit status 1
    (site / "content/policies/a.md").write_text(policy(topic="nope"), encoding="utf-8")
    assert build(site, out).returncode == 1


def test_strict_fails_on_warnings(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy(), "content/notes.txt": "x"})
    assert build(site, tmp_path / "out").returncode == 0
    r = build(site, tmp_path / "out2", "--strict")
    assert r.returncode == 1
    assert "content/notes.txt:1: -: 不认识的文件夹或文件" in r.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run_build("build", "--site", str(tmp_path)).returncode == 2          # no site_config.yaml
    assert run_build("build", "--as-of", "tomorrow").returncode == 2            # argparse


def test_every_output_path_is_ascii_and_every_link_relative(fixture_output):
    for p in fixture_output.rglob("*"):
        assert p.relative_to(fixture_output).as_posix().isascii()
    link = re.compile(r'(?:href|src)="([^"]*)"')
    for page in fixture_output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if page.name == "404.html":
            # the one exception: sent for missing addresses at any depth, it also loads its stylesheet
            # and script from base_url's path (each is there relative too)
            extra = re.compile(r'<link rel="stylesheet" href="/([^"]*)">|<script src="/([^"]*)" data-site-root="/"></script>')
            for parts in extra.findall(text):
                url = "".join(parts)
                assert f'"{url}"' in text and (fixture_output / url).is_file(), url
            text = extra.sub("", text)
        # the exceptions to relative links (SPEC 12): the canonical address, and the registries the
        # footer's marks link to (ICP, 公安备案, 党政机关网站标识, 我为政府网站找错)
        text = re.sub(r'<link rel="canonical" href="https://[^"]*">', "", text)
        text = re.sub(r'href="https://(?:beian\.miit\.gov\.cn|beian\.mps\.gov\.cn|bszs\.conac\.cn|zfwzgl\.www\.gov\.cn)/[^"]*"',
                      "", text)
        for url in link.findall(text):
            if url.startswith(("#", "mailto:", "tel:")):
                continue
            assert not url.startswith(("/", "http:", "https:")), f"{page.name}: {url}"
            path = url.split("#")[0].split("?")[0]
            assert not path.endswith("/"), f"{page.name}: {url} does not name a file"
            if path:
                target = (page.parent / path).resolve()
                assert target.is_file(), f"{page.relative_to(fixture_output)} links to missing {url}"


def test_entry_page_body_attributes_and_marking(fixture_output):
    html = (fixture_output / "policies/budget-2019.html").read_text(encoding="utf-8")
    assert 'data-entry-id="budget-2019" data-type="policies" data-validity="repealed"' in html
    assert "本文件自 2024-01-01" not in html
    assert '本文件自 2021-02-01 起已废止，废止依据：<a href="../policies/budget-2021.html">' in html
    hant = (fixture_output / "policies/joint-plan.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant">' in hant
    assert "示例县人民政府、示例县财政局" in hant  # joint issuance
    apply_only = (fixture_output / "policies/fee-rules.html").read_text(encoding="utf-8")
    assert "此正文不公开" not in apply_only and "依申请公开" in apply_only
    for export in ("catalogue.json", "catalogue.csv", "feed.xml"):  # nor its derived summary
        assert "此正文不公开" not in (fixture_output / export).read_text(encoding="utf-8-sig")


def test_catalogue_json_and_csv(fixture_output):
    data = json.loads((fixture_output / "catalogue.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2024-01-01"
    by_id = {e["id"]: e for e in data["entries"]}
    assert "about" not in by_id and "future-plan" not in by_id
    e = by_id["budget-2019"]
    assert e["url"] == "policies/budget-2019.html" and e["agency"] == ["示例县财政局"]
    assert e["topic"] == "财政、金融、审计/财政" and e["validity"] == "repealed" and e["validity_since"] == "2021-02-01"
    assert e["repealed_by"] == ["budget-2021"] and e["interpreted_by"] == ["budget-2019-explained"]
    assert by_id["budget-2021"]["repeals"] == ["budget-2019"] and by_id["budget-2021"]["written"] is None
    raw = (fixture_output / "catalogue.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:len(e)] == list(e)[:len(rows[0])]
    assert len(rows) == len(data["entries"]) + 1


def test_pages_never_print_the_as_of_date(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy()})
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_build("build", "--site", str(site), "--output", str(a), "--as-of", "2024-01-01", "--no-search").returncode == 0
    assert run_build("build", "--site", str(site), "--output", str(b), "--as-of", "2024-06-01", "--no-search").returncode == 0
    fa, fb = files(a), files(b)
    changed = sorted(k for k in fa if fa[k] != fb.get(k))
    assert changed == ["SHA256SUMS", "catalogue.json"]


def test_no_sitemap_without_base_url(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy()})
    out = tmp_path / "out"
    assert build(site, out).returncode == 0
    assert not (out / "sitemap.xml").exists()
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<id>tag:" in feed and 'href="policies/a.html"' in feed


def test_sha256sums_lists_every_other_file(fixture_output):
    import hashlib
    listed = {}
    for line in (fixture_output / "SHA256SUMS").read_text().splitlines():
        digest, rel = line.split("  ", 1)
        listed[rel] = digest
    on_disk = {p.relative_to(fixture_output).as_posix() for p in fixture_output.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {"SHA256SUMS"}
    for rel, digest in listed.items():
        assert hashlib.sha256((fixture_output / rel).read_bytes()).hexdigest() == digest
