"""`python build.py pack`: build, then one deterministic zip for offline readers beside the output."""
from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from helpers import FIXTURES, run_build
from mirror_links import follow_all


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pack")
    site = tmp / "site"
    shutil.copytree(FIXTURES / "basic", site, ignore=shutil.ignore_patterns(".cache", "output"))
    r = run_build("pack", "--site", str(site), "--output", str(tmp / "output"))
    assert r.returncode == 0, r.stderr
    return site, tmp, r


def test_pack_prints_the_zip_beside_the_output(packed):
    site, tmp, r = packed
    zpath = tmp / "output.zip"
    assert r.stdout.strip() == str(zpath)
    assert zpath.is_file() and (tmp / "output" / "index.html").is_file()
    print(f"\nzip of tests/fixtures/basic: {zpath.stat().st_size} bytes")
    # default output: DIR/output → DIR/output.zip
    r2 = run_build("pack", "--site", str(site))
    assert r2.returncode == 0, r2.stderr
    assert Path(r2.stdout.strip()) == (site / "output.zip").absolute()


def test_zip_layout_and_determinism(packed):
    site, tmp, _ = packed
    zpath = tmp / "output.zip"
    with zipfile.ZipFile(zpath) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names), "entries are sorted"
        assert all(n.isascii() for n in names)
        assert "START.html" in names
        assert all(n == "START.html" or n.startswith(("site/", "offline-search/")) for n in names)
        assert {i.date_time for i in infos} == {(2000, 1, 1, 0, 0, 0)}
        for i in infos:
            mode = i.external_attr >> 16
            assert mode == (0o040755 if i.is_dir() else 0o100644), (i.filename, oct(mode))
        built = {p.relative_to(tmp / "output").as_posix() for p in (tmp / "output").rglob("*") if p.is_file()}
        assert {n[5:] for n in names if n.startswith("site/") and not n.endswith("/")} == built
        start = zf.read("START.html").decode("utf-8")
    for words in ("解压", "index.html", "offline-search", "索引号", "全文"):
        assert words in start, words
    before = hashlib.sha256(zpath.read_bytes()).hexdigest()
    r = run_build("pack", "--site", str(site), "--output", str(tmp / "output"))
    assert r.returncode == 0, r.stderr
    assert hashlib.sha256(zpath.read_bytes()).hexdigest() == before, "the same site gives the same zip"


def test_unpacked_zip_verifies_and_browses_from_disk(packed, context, outside_requests, tmp_path):
    _, tmp, _ = packed
    with zipfile.ZipFile(tmp / "output.zip") as zf:
        zf.extractall(tmp_path)
    assert run_build("verify", str(tmp_path / "site")).returncode == 0
    r = run_build("verify", str(tmp_path))            # the unpacked folder itself: pointed to site/
    assert r.returncode == 2 and f"请核对 {tmp_path / 'site'}（解压 pack 生成的 zip 后，站点在 site/ 中）" in r.stderr
    page = context.new_page()
    page.goto((tmp_path / "START.html").as_uri())
    assert page.locator("h1").count() == 1
    page.click("#open-site")
    page.wait_for_load_state()
    assert page.url == (tmp_path / "site" / "index.html").as_uri()
    page.locator("main a[href*='policies/']").first.click()
    page.wait_for_load_state()
    assert page.locator("body[data-entry-id]").count() == 1, page.url
    # every link of the start page, the home page and an entry page resolves inside the unpacked folder
    # the start page names the online site (base_url) for full-text search: the only link that leaves
    n, problems = follow_all(context, tmp_path.as_uri() + "/", ["START.html"],
                             external_ok=frozenset({"https://xxgk.example.gov.cn/"}))
    assert not problems, "\n".join(problems)
    n, problems = follow_all(context, (tmp_path / "site").as_uri() + "/", ["index.html", "policies/budget-2019.html"])
    assert not problems, "\n".join(problems)
    assert outside_requests == []


def test_pack_exit_codes_are_those_of_build(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "basic", site, ignore=shutil.ignore_patterns(".cache", "output"))
    # 2: an output folder the generator did not make
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("x")
    r = run_build("pack", "--site", str(site), "--output", str(tmp_path / "mine"))
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "mine.zip").exists()
    # 1: a content error; nothing written
    p = site / "content" / "policies" / "budget-2019.md"
    p.write_text(p.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    r = run_build("pack", "--site", str(site), "--output", str(tmp_path / "out"))
    assert r.returncode == 1 and "titel" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "out.zip").exists() and not (tmp_path / "out").exists()


def test_pack_takes_strict_and_as_of_like_build(tmp_path):
    """CI can pack in one strict step: a warning fails it, and --as-of is the validity date."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "basic", site, ignore=shutil.ignore_patterns(".cache", "output"))
    p = site / "content" / "policies" / "budget-2019.md"
    p.write_text(p.read_text(encoding="utf-8") + "\n<iframe src=x></iframe>\n", encoding="utf-8")
    r = run_build("pack", "--site", str(site), "--output", str(tmp_path / "out"), "--as-of", "2024-01-01")
    assert r.returncode == 0 and "警告" in r.stderr and (tmp_path / "out.zip").is_file(), r.stderr
    (tmp_path / "out.zip").unlink()
    r = run_build("pack", "--site", str(site), "--output", str(tmp_path / "out"), "--as-of", "2024-01-01", "--strict")
    assert r.returncode == 1 and "iframe" in r.stderr and not (tmp_path / "out.zip").exists(), r.stderr
