"""Incremental builds (issue #5): every output records what it was made from, and a build renders again
only the outputs whose inputs changed. A build with no change writes nothing; an edit rewrites only
the outputs that depend on it; every other file keeps its bytes and modification time; the result is
always byte-identical to a clean full build of the same site."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from helpers import FIXTURES, REPO, run_build
from xxgk.diagnostics import ContentError
from xxgk.pipeline import build
from xxgk.write.patch import read_journal

AS_OF = date(2024, 1, 1)
ENTRY_DIRS = ("policies", "interpretations", "reports", "pages")
LISTING = re.compile(r"catalogue/(type|agency|topic|year|validity|kind)/[^/]+\.html")
UNRELATED = {"policies/joint-plan.html", "policies/fee-rules.html", "policies/fee-rules-2022.html",
             "reports/annual-2016.html", "pages/about.html"}   # not related to budget-2019 in any way


# -- helpers ----------------------------------------------------------------------------------------
def new_site(tmp_path: Path, name: str = "site") -> Path:
    """A copy of the fixture site, without whatever .cache/ or output/ a build left in it."""
    site = tmp_path / name
    shutil.copytree(FIXTURES / "basic", site, ignore=shutil.ignore_patterns(".cache", "output"))
    return site


def build_site(site: Path, **kw):
    return build(site, output=site / "output", as_of=kw.pop("as_of", AS_OF), search=False, **kw)


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


def data(snap: dict) -> dict[str, bytes]:
    return {k: v[0] for k, v in snap.items()}


def clean_build(site: Path, tmp_path: Path, name: str = "clean", **kw) -> dict[str, bytes]:
    """The bytes of a full build, from nothing, of a copy of `site` as it is now."""
    copy = tmp_path / name
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache", "output"))
    r = build_site(copy, **kw)
    assert not r.skipped and r.written
    return data(snapshot(copy / "output"))


def assert_same_bytes(got: dict[str, bytes], want: dict[str, bytes]) -> None:
    assert sorted(got) == sorted(want)
    differ = sorted(k for k in want if got[k] != want[k])
    assert differ == [], f"not as a clean build: {differ}"


def assert_only_changed_touched(before: dict, after: dict, changed: list[str]) -> None:
    """Files whose bytes changed are exactly `changed`, and exactly those got a new mtime."""
    common = set(before) & set(after)
    new_bytes = {k for k in common if before[k][0] != after[k][0]} | (set(after) - set(before))
    new_mtime = {k for k in common if before[k][1] != after[k][1]} | (set(after) - set(before))
    assert new_bytes == set(changed)
    assert new_mtime == new_bytes, f"rewritten with the same bytes: {sorted(new_mtime - new_bytes)}"


def entry_pages(paths) -> set[str]:
    return {p for p in paths if p.split("/")[0] in ENTRY_DIRS and p != "reports/index.html" and p.endswith(".html")}


def listing_pages(paths) -> set[str]:
    return {p for p in paths if LISTING.fullmatch(p)}


def record(site: Path) -> dict[str, list]:
    """The published files' record: as the last full build wrote it, with what resumed builds changed."""
    files = [p for p in (site / ".cache").glob("output-*.json") if not p.name.endswith(".changes.json")]
    assert len(files) == 1, files
    return {**json.loads(files[0].read_text(encoding="utf-8")), **read_journal(files[0])}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- 1. no change --------------------------------------------------------------------------------------
def test_a_second_build_with_no_change_does_nothing(tmp_path):
    site = new_site(tmp_path)
    first = build_site(site)
    assert not first.skipped and len(first.changed) == first.written == len(snapshot(site / "output"))
    before = snapshot(site / "output")
    state = {p.name: p.read_bytes() for p in (site / ".cache").glob("*.json")}

    second = build_site(site)
    assert second.skipped
    assert second.rendered == [] and second.changed == []
    assert second.written == first.written and second.entries == first.entries == 8
    assert snapshot(site / "output") == before                      # bytes and mtimes
    assert {p.name: p.read_bytes() for p in (site / ".cache").glob("*.json")} == state

    # the same bytes with a new mtime: the fingerprint changes, so the build runs, but renders nothing
    entry = site / "content" / "policies" / "joint-plan.md"
    st = entry.stat()
    os.utime(entry, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    third = build_site(site)
    assert not third.skipped
    assert third.rendered == []
    assert third.changed == []
    assert snapshot(site / "output") == before
    assert build_site(site).skipped                                  # and now it is recorded again


# -- 2. the body of an entry with no relations ---------------------------------------------------------
def test_editing_the_body_of_an_unrelated_policy_renders_only_what_shows_it(tmp_path):
    site = new_site(tmp_path)
    build_site(site)
    before = snapshot(site / "output")
    edit(site / "content" / "policies" / "joint-plan.md", "現制定如下實施方案。", "現制定如下實施方案（修訂稿）。")

    r = build_site(site)
    after = snapshot(site / "output")
    assert not r.skipped
    assert "policies/joint-plan.html" in r.rendered
    assert entry_pages(r.rendered) == {"policies/joint-plan.html"}      # joint-plan has no relations
    assert "policies/joint-plan.html" in r.changed and "SHA256SUMS" in r.changed
    assert entry_pages(r.changed) == {"policies/joint-plan.html"}
    assert "修訂稿".encode() in after["policies/joint-plan.html"][0]
    assert listing_pages(r.changed) == set()                            # listings do not show bodies
    assert_only_changed_touched(before, after, r.changed)
    assert_same_bytes(data(after), clean_build(site, tmp_path))


def test_a_body_edit_after_the_summary_renders_only_its_page(tmp_path):
    """The summary (derived from the first paragraphs; tables are left out of it) is unchanged: the
    exports that show it, the listings and the feeds are not rendered again, only the page."""
    site = new_site(tmp_path)
    build_site(site)
    before = snapshot(site / "output")
    path = site / "content" / "policies" / "joint-plan.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n| 附則 | 日期 |\n|---|---|\n| 本方案自印發之日起施行 | 2017年 |\n", encoding="utf-8")

    r = build_site(site)
    after = snapshot(site / "output")
    assert r.rendered == ["policies/joint-plan.html"]
    assert sorted(r.changed) == ["SHA256SUMS", "policies/joint-plan.html"]
    assert "本方案自印發之日起施行".encode() in after["policies/joint-plan.html"][0]
    assert_only_changed_touched(before, after, r.changed)
    assert_same_bytes(data(after), clean_build(site, tmp_path))


def test_a_body_edit_that_changes_the_summary_renders_the_exports_that_show_it(tmp_path):
    site = new_site(tmp_path)
    build_site(site)
    before = snapshot(site / "output")
    edit(site / "content" / "policies" / "joint-plan.md", "現制定如下實施方案。", "現制定如下實施方案（修訂稿）。")

    r = build_site(site)
    after = snapshot(site / "output")
    shows_summary = {"catalogue.json", "catalogue.csv", "feed.xml", "feeds/policies.xml",
                     "feeds/agency-xzf.xml", "feeds/agency-czj.xml"}
    assert shows_summary <= set(r.rendered)
    assert set(r.rendered) - shows_summary == {"policies/joint-plan.html"}
    for p in shows_summary:
        assert "修訂稿".encode() in after[p][0], p
    assert listing_pages(r.rendered) == set()
    assert_only_changed_touched(before, after, r.changed)
    assert_same_bytes(data(after), clean_build(site, tmp_path))


# -- 3. the title of a policy others interpret and repeal ----------------------------------------------
def test_a_new_title_renders_the_pages_that_show_it(tmp_path):
    site = new_site(tmp_path)
    build_site(site)
    before = snapshot(site / "output")
    rec = record(site)
    listing_it = {p for p in listing_pages(rec) if "entry:budget-2019" in rec[p][4]}
    assert listing_it and listing_pages(rec) - listing_it                # some list it, some do not
    new_title = "示例县2019年预算公开实施办法（更名）"
    edit(site / "content" / "policies" / "budget-2019.md", "title: 示例县2019年预算公开实施办法",
         f"title: {new_title}")

    r = build_site(site)
    after = snapshot(site / "output")
    related = {"policies/budget-2019.html",
               "interpretations/budget-2019-explained.html",    # interprets it
               "policies/budget-2021.html"}                      # repeals it
    assert entry_pages(r.rendered) == related
    assert listing_pages(r.rendered) == listing_it
    for p in related | listing_it:
        assert new_title.encode() in after[p][0], p
        assert p in r.changed, p
    for p in UNRELATED:
        assert p not in r.rendered and after[p] == before[p], p
    for p in listing_pages(after) - listing_it:
        assert after[p] == before[p], p
    assert_only_changed_touched(before, after, r.changed)
    assert_same_bytes(data(after), clean_build(site, tmp_path))


# -- 4. a template used only by listings ---------------------------------------------------------------
def test_a_listing_template_renders_exactly_the_listings_and_back(tmp_path):
    site = new_site(tmp_path)
    build_site(site)
    before = snapshot(site / "output")                  # a clean build
    listings = listing_pages(before)
    assert len(listings) >= 10

    own = site / "templates" / "listing.html"
    own.parent.mkdir()
    text = (REPO / "templates" / "listing.html").read_text(encoding="utf-8")
    assert text.count("{% block main %}") == 1           # (text outside a block of a child template is not output)
    own.write_text(text.replace("{% block main %}", "{% block main %}<!-- site copy -->"), encoding="utf-8")
    r = build_site(site)
    after = snapshot(site / "output")
    assert sorted(r.rendered) == sorted(listings)
    assert set(r.changed) == listings | {"SHA256SUMS"}
    assert all(b"<!-- site copy -->" in after[p][0] for p in listings)
    assert all(b"<!-- site copy -->" not in after[p][0] for p in set(after) - listings)
    assert_only_changed_touched(before, after, r.changed)
    assert_same_bytes(data(after), clean_build(site, tmp_path))

    own.unlink()
    back = build_site(site)
    restored = snapshot(site / "output")
    assert sorted(back.rendered) == sorted(listings)
    assert set(back.changed) == listings | {"SHA256SUMS"}
    assert data(restored) == data(before)
    assert_only_changed_touched(after, restored, back.changed)


# -- 5. the config -------------------------------------------------------------------------------------
def test_a_config_change_renders_every_page(tmp_path):
    site = new_site(tmp_path)
    build_site(site)
    before = snapshot(site / "output")
    edit(site / "site_config.yaml", "title: 示例县人民政府信息公开", "title: 示例县人民政府信息公开平台")

    r = build_site(site)
    after = snapshot(site / "output")
    html = {p for p in after if p.endswith(".html")}
    assert len(html) > 30
    assert html <= set(r.rendered), sorted(html - set(r.rendered))
    assert html <= set(r.changed), sorted(html - set(r.changed))      # the title is on every page
    assert "files/budget-2019.pdf" not in r.changed
    assert after["files/budget-2019.pdf"] == before["files/budget-2019.pdf"]
    assert_only_changed_touched(before, after, r.changed)
    assert_same_bytes(data(after), clean_build(site, tmp_path))


# -- 6. the record ---------------------------------------------------------------------------------------
def test_the_record_names_what_each_output_was_made_from(tmp_path):
    site = new_site(tmp_path)
    build_site(site)
    out = site / "output"
    rec = record(site)
    assert set(rec) == set(snapshot(out))                               # every published file
    for rel, (sha, size, mtime, *rest) in rec.items():
        st = (out / rel).stat()
        assert sha == hashlib.sha256((out / rel).read_bytes()).hexdigest(), rel
        assert (size, mtime) == (st.st_size, st.st_mtime_ns), rel

    assert rec["policies/joint-plan.html"][4] == ["config", "templates:entry.html", "entry:joint-plan"]
    deps = rec["policies/budget-2019.html"][4]
    assert deps[:3] == ["config", "templates:entry.html", "entry:budget-2019"]
    assert set(deps[3:]) == {"entry:budget-2019-explained", "entry:budget-2021"}
    assert rec["pages/about.html"][4] == ["config", "templates:page.html", "entry:about"]
    assert set(rec["index.html"][4]) == {"config", "templates:home.html", "entries:*"}

    entry_link = re.compile(r'href="(?:\.\./)*(?:policies|interpretations|reports)/([a-z0-9-]+)\.html"')
    listings = listing_pages(rec)
    assert len(listings) >= 10
    for p in listings:
        deps = rec[p][4]
        assert deps[:2] == ["config", "templates:listing.html"], p
        shown = set(entry_link.findall((out / p).read_text(encoding="utf-8"))) - {"index"}
        assert shown, p
        assert {d.removeprefix("entry:") for d in deps[2:]} == shown, p
    # keys differ between outputs made from different things, and stay the same from build to build
    assert len({rec[p][3] for p in entry_pages(rec)}) == len(entry_pages(rec))
    os.utime(site / "content" / "policies" / "fee-rules.md")
    assert not build_site(site).skipped
    assert {k: v[3:] for k, v in record(site).items()} == {k: v[3:] for k, v in rec.items()}


# -- 7. deleting an entry --------------------------------------------------------------------------------
def test_deleting_an_entry_removes_its_page_and_its_checksum(tmp_path):
    site = new_site(tmp_path)
    build_site(site)
    before = snapshot(site / "output")
    assert "  policies/joint-plan.html\n" in before["SHA256SUMS"][0].decode()
    (site / "content" / "policies" / "joint-plan.md").unlink()

    r = build_site(site)
    out = site / "output"
    after = snapshot(out)
    assert "policies/joint-plan.html" not in after
    assert "policies/joint-plan.html" not in record(site)
    sums = after["SHA256SUMS"][0].decode()
    assert "joint-plan" not in sums
    listed = dict(reversed(line.split("  ", 1)) for line in sums.splitlines())
    assert set(listed) == set(after) - {"SHA256SUMS"}
    assert all(hashlib.sha256(after[p][0]).hexdigest() == h for p, h in listed.items())
    assert entry_pages(r.rendered) == set()
    for p in entry_pages(after):
        assert after[p] == before[p], p
    gone = set(before) - set(after)
    assert gone and all("joint-plan" not in p for p in set(after))
    assert_only_changed_touched({k: v for k, v in before.items() if k not in gone}, after, r.changed)
    assert_same_bytes(data(after), clean_build(site, tmp_path))


# -- more: other inputs ----------------------------------------------------------------------------------
def test_a_new_date_gives_the_clean_build_of_that_date(tmp_path):
    site = new_site(tmp_path)
    build_site(site, as_of=date(2018, 6, 1))
    r = build_site(site, as_of=date(2032, 1, 1))              # joint-plan expired, future-plan published …
    assert not r.skipped and "policies/future-plan.html" in r.changed
    assert_same_bytes(data(snapshot(site / "output")), clean_build(site, tmp_path, as_of=date(2032, 1, 1)))
    assert build_site(site, as_of=date(2032, 1, 1)).skipped


def test_a_published_file_changed_or_removed_by_hand_is_made_again(tmp_path):
    site = new_site(tmp_path)
    build_site(site)
    want = snapshot(site / "output")
    (site / "output" / "policies" / "joint-plan.html").write_bytes(b"defaced")
    (site / "output" / "catalogue" / "year" / "2017.html").unlink()
    r = build_site(site)
    assert not r.skipped
    assert sorted(r.rendered) == ["catalogue/year/2017.html", "policies/joint-plan.html"]
    assert sorted(r.changed) == ["catalogue/year/2017.html", "policies/joint-plan.html"]
    got = snapshot(site / "output")
    assert data(got) == data(want)
    assert {k for k in got if got[k][1] != want[k][1]} == set(r.changed)


def test_an_error_then_the_fix_publishes_the_fixed_site(tmp_path):
    site = new_site(tmp_path)
    build_site(site)
    before = snapshot(site / "output")
    p = site / "content" / "policies" / "joint-plan.md"
    good = p.read_text(encoding="utf-8")
    edit(p, "agency: [xzf, czj]", "agency: [xzf, cjz]")
    with pytest.raises(ContentError):
        build_site(site)
    assert snapshot(site / "output") == before                      # nothing written
    with pytest.raises(ContentError):
        build_site(site)                                             # an error is never recorded as done
    p.write_text(good, encoding="utf-8")
    r = build_site(site)
    assert not r.skipped and r.changed == [] and r.rendered == []
    assert snapshot(site / "output") == before


# -- 8. the command line ---------------------------------------------------------------------------------
def cli(site: Path, *extra: str):
    return run_build("build", "--site", str(site), "--as-of", AS_OF.isoformat(), "--no-search", *extra)


def test_cli_second_build_changes_nothing(tmp_path):
    site = new_site(tmp_path)
    first = cli(site)
    assert first.returncode == 0, first.stderr
    n = len(snapshot(site / "output"))
    assert f"（{n} 个文件，其中 {n} 个有变化）" in first.stdout + first.stderr
    before = snapshot(site / "output")
    second = cli(site)
    assert second.returncode == 0, second.stderr
    assert f"（{n} 个文件，其中 0 个有变化）" in second.stdout + second.stderr
    assert snapshot(site / "output") == before


def test_cli_strict_on_a_skipped_build_still_fails_on_the_warning(tmp_path):
    site = new_site(tmp_path)
    with (site / "content" / "policies" / "joint-plan.md").open("a", encoding="utf-8") as f:
        f.write("\n<script>alert(1)</script>\n")
    loose = cli(site)
    assert loose.returncode == 0, loose.stderr
    warning = "content/policies/joint-plan.md:12: -: 警告：已删除 <script> 元素"
    assert warning in loose.stdout + loose.stderr
    before = snapshot(site / "output")

    # the reference: a strict build of a copy, from nothing
    copy = tmp_path / "copy"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache", "output"))
    fresh = cli(copy, "--strict")
    assert fresh.returncode == 1
    assert "content/policies/joint-plan.md:12: -: 已删除 <script> 元素" in fresh.stdout + fresh.stderr
    assert not (copy / "output").exists()

    assert build_site(site).skipped                                  # nothing changed since `loose`
    for _ in range(2):
        strict = cli(site, "--strict")
        assert strict.returncode == 1, strict.stdout + strict.stderr
        assert (strict.stdout, strict.stderr) == (fresh.stdout, fresh.stderr)
        assert snapshot(site / "output") == before
    again = cli(site)                                                # and without --strict, a success again
    assert again.returncode == 0
    assert warning in again.stdout + again.stderr
    assert "其中 0 个有变化" in again.stdout + again.stderr


def test_a_renamed_entry_is_listed_under_its_new_address(tmp_path):
    """Its front matter is the same, its page's address is not: every listing, feed and export that
    names it is made again (they kept linking the old, deleted page)."""
    site = new_site(tmp_path)
    build_site(site)
    old = site / "content" / "policies" / "joint-plan.md"
    old.rename(old.with_name("joint-plan-2017.md"))
    r = build_site(site)
    assert "policies/joint-plan-2017.html" in r.changed
    assert {"catalogue/type/policies-3.html", "feed.xml", "catalogue.json"} <= set(r.rendered)
    after = data(snapshot(site / "output"))
    assert not any(b"policies/joint-plan.html" in body for body in after.values())
    assert_same_bytes(after, clean_build(site, tmp_path))


def test_records_of_an_output_folder_that_is_gone_are_deleted(tmp_path):
    """A build into a passing folder (CI's temporary folder) leaves its records in .cache; once that
    folder is gone, the next build deletes them. The records of folders still there stay and are used."""
    site = new_site(tmp_path)
    cache = site / ".cache"
    keep, passing = tmp_path / "published", tmp_path / "ci-tmp"
    build(site, output=keep, as_of=AS_OF, search=True)
    build(site, output=passing, as_of=AS_OF, search=True)

    def records_of(out: Path) -> list[str]:
        index = json.loads((cache / "outputs.json").read_text(encoding="utf-8"))
        return sorted(name for name, folder in index.items() if folder == str(out.resolve()))

    theirs = records_of(passing)
    assert [n.split("-")[0].split("/")[0] for n in theirs] == ["last", "output", "resume", "resume", "search"], theirs
    assert all((cache / n).is_file() for n in theirs + records_of(keep))
    shutil.rmtree(passing)
    r = build(site, output=keep, as_of=AS_OF, search=True)
    assert r.skipped                                  # its own records were kept and used
    assert r.written and records_of(passing) == [] and not any((cache / n).exists() for n in theirs)
    (site / "content" / "policies" / "budget-2019.md").write_text(
        (site / "content" / "policies" / "budget-2019.md").read_text(encoding="utf-8") + "\n补充一句。\n",
        encoding="utf-8")
    r = build(site, output=keep, as_of=AS_OF, search=True)
    assert not r.skipped and r.changed and len(r.changed) < r.written / 2     # still incremental
    assert r.quick                                    # (resumed: the snapshot's delta and the record's journal)
    assert [re.sub("[0-9a-f]{12,}", "#", n) for n in records_of(keep)] == [
        "last-build-#.json", "output-#.changes.json", "output-#.json", "resume-#.blobs", "resume-#.delta.pickle",
        "resume-#.pickle", "search/#.json"]
    assert not any((cache / n).exists() for n in theirs)
