"""Builds in one long-lived process (serve): each starts from what the last one left (incremental/warm.py).
An edit to nothing but the bodies of published entries takes the quick path (the kept renderer renders
what the new body digests say); anything else takes the full path. Either way the output is byte for
byte a clean full build's, files whose bytes did not change keep their modification time, the
messages are the full build's, and what is saved in .cache/ lets a new process find nothing to do."""
from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from helpers import FIXTURES, run_build
from xxgk.diagnostics import ContentError
from xxgk.incremental.warm import Warm
from xxgk.pipeline import build, settle_memory

AS_OF = date(2024, 1, 1)
PUBLISHED = ["policies/budget-2019.md", "policies/budget-2021.md", "policies/joint-plan.md",
             "policies/fee-rules.md", "policies/fee-rules-2022.md", "interpretations/budget-2019-explained.md",
             "reports/annual-2016.md", "pages/about.md"]          # future-plan is scheduled for 2031
ID_NUMBER = "11010519491231002X"                                   # a valid resident ID (check digit X)


def new_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "basic", site, ignore=shutil.ignore_patterns(".cache", "output"))
    return site


def files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def warm_build(site: Path, warm: Warm, **kw):
    r = build(site, as_of=AS_OF, search=False, warm=warm, **kw)
    settle_memory(warm)                                            # as serve does after each build
    return r


def started(tmp_path: Path) -> tuple[Path, Warm]:
    """A copy of the fixture site, built once in this process (as serve's first build)."""
    site = new_site(tmp_path)
    warm = Warm(site / ".cache")
    warm_build(site, warm)
    return site, warm


def clean_build(site: Path, tmp_path: Path, name: str):
    copy = tmp_path / name
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache", "output"))
    r = build(copy, as_of=AS_OF, search=False)
    return {k: v[0] for k, v in files(copy / "output").items()}, r


def messages(result) -> list[str]:
    return [d.format() for d in result.diagnostics.sorted()]


def append(site: Path, rel: str, text: str) -> None:
    p = site / "content" / rel
    p.write_text(p.read_text(encoding="utf-8") + text, encoding="utf-8")


def edit(site: Path, rng: random.Random, step: int) -> tuple[str, bool]:
    """One random edit; returns (what it was, whether only a published entry's body changed)."""
    kind = rng.choice(["body", "body", "body", "two bodies", "link", "title", "summary", "new", "template",
                       "attachment", "scheduled body", "rename", "swap file", "backup"])
    extras = sorted((site / "content" / "policies").glob("extra-*.md"))
    if kind == "rename" and not extras:
        kind = "new"
    if kind == "body":
        append(site, rng.choice(PUBLISHED), f"\n第{step}次补充的一段正文。\n")
    elif kind == "two bodies":
        for rel in rng.sample(PUBLISHED, 2):
            append(site, rel, f"\n第{step}次补充。\n")
    elif kind == "link":          # a new link in the body: what the page links to is part of its key
        append(site, "policies/joint-plan.md", f"\n參見[第{step}項](../policies/budget-2021.md)。\n")
    elif kind == "title":
        p = site / "content" / rng.choice(PUBLISHED)
        p.write_text(p.read_text(encoding="utf-8").replace("\ntitle: ", f"\ntitle: （第{step}次）", 1), encoding="utf-8")
    elif kind == "summary":
        p = site / "content" / "policies" / "budget-2021.md"
        p.write_text(p.read_text(encoding="utf-8").replace("\npublished:", f"\nsummary: 概述{step}\npublished:", 1)
                     if "\nsummary:" not in p.read_text(encoding="utf-8")
                     else p.read_text(encoding="utf-8").replace("\nsummary: ", f"\nsummary: {step}", 1), encoding="utf-8")
    elif kind == "new":
        (site / "content" / "policies" / f"extra-{step}.md").write_text(
            f"---\ntitle: 新增政策{step}\nindex_no: 11330000MB1234567X/2023-{step + 100:05d}\nagency: czj\n"
            f"topic: 财政、金融、审计/财政\npublished: 2023-01-1{step % 10}\n---\n正文第{step}版。\n", encoding="utf-8")
    elif kind == "swap file":     # an editor's hidden swap file beside the file it edits: the build ignores it
        rel = rng.choice(PUBLISHED)
        (site / "content" / rel).with_name(f".{Path(rel).name}.swp").write_bytes(f"swap {step}".encode())
        append(site, rel, f"\n第{step}次（编辑器）。\n")
        return kind, True
    elif kind == "backup":        # name.md~ (warned about and ignored): the same warning unless it is new
        p = site / "content" / "policies" / "budget-2019.md"
        backup = p.with_name("budget-2019.md~")
        existed = backup.exists()
        backup.write_bytes(p.read_bytes())
        append(site, "policies/budget-2019.md", f"\n第{step}次（备份后）。\n")
        return kind, existed
    elif kind == "rename":
        old = rng.choice(extras)
        old.rename(old.with_name(f"{old.stem}-r{step}.md"))
    elif kind == "template":
        t = site / "templates" / "components" / "footer.html"
        t.parent.mkdir(parents=True, exist_ok=True)
        base = (Path(__file__).resolve().parents[2] / "templates" / "components" / "footer.html").read_text(encoding="utf-8")
        t.write_text(base + f"<!-- edit {step} -->\n", encoding="utf-8")
    elif kind == "attachment":
        with (site / "content" / "files" / "budget-2019.pdf").open("ab") as f:
            f.write(b"\n% edited\n")
    else:                         # not published yet: no page shows it
        append(site, "policies/future-plan.md", f"\n第{step}次。\n")
    return kind, kind in ("body", "two bodies")


def test_edits_in_one_process_give_the_clean_build_and_bodies_take_the_quick_path(tmp_path):
    rng = random.Random(20261123)
    site = new_site(tmp_path)
    warm = Warm(site / ".cache")
    assert not warm_build(site, warm).quick
    quick_seen = 0
    for step in range(24):
        before = files(site / "output")
        kind, bodies_only = edit(site, rng, step)
        r = warm_build(site, warm)
        assert r.quick == bodies_only, f"step {step} ({kind})"
        quick_seen += r.quick
        assert_as_clean(site, tmp_path, r, before, f"step {step} ({kind})")
    assert quick_seen >= 6


def assert_as_clean(site: Path, tmp_path: Path, r, before: dict, label: str) -> None:
    """The output after build result `r` is a clean build's bytes, with its messages; files whose bytes
    are as `before` kept their mtime; `r.changed` names exactly the files whose bytes changed."""
    want, clean = clean_build(site, tmp_path, f"clean-{len(list(tmp_path.glob('clean-*')))}")
    got = files(site / "output")
    assert {k: v[0] for k, v in got.items()} == want, label
    assert messages(r) == messages(clean), label
    for rel, (data, mtime) in got.items():
        if rel in before and before[rel][0] == data:
            assert before[rel][1] == mtime, f"{label}: {rel} was rewritten with the same bytes"
    assert sorted(r.changed) == sorted(k for k in got if before.get(k, (None,))[0] != got[k][0]), label


def test_a_body_edit_renders_its_page_and_what_shows_its_summary(tmp_path):
    site, warm = started(tmp_path)
    # no summary written: the exports show one derived from the first three paragraphs of the body
    append(site, "policies/budget-2021.md", "\n新增的一段。\n\n第三段。\n")
    r = warm_build(site, warm)
    assert r.quick
    assert r.rendered == ["policies/budget-2021.html", "catalogue.json", "catalogue.csv", "feed.xml",
                          "feeds/policies.xml", "feeds/agency-czj.xml"]
    append(site, "policies/budget-2021.md", "\n再一段，在摘要之后。\n")    # a fourth: the summary stays the same
    r = warm_build(site, warm)
    assert r.quick and r.rendered == ["policies/budget-2021.html"]
    assert sorted(r.changed) == ["SHA256SUMS", "policies/budget-2021.html"]
    # the Markdown cache holds the bodies there are, not every version of the edited one
    with sqlite3.connect(site / ".cache" / "markdown.sqlite") as db:
        assert db.execute("SELECT count(*) FROM body2").fetchone()[0] == 7       # every published public body
    assert "再一段，在摘要之后。" in (site / "output" / "policies" / "budget-2021.html").read_text(encoding="utf-8")


def test_an_error_in_an_edited_body_is_reported_as_by_a_full_build_and_nothing_is_written(tmp_path):
    site, warm = started(tmp_path)
    before = files(site / "output")
    p = site / "content" / "policies" / "budget-2021.md"
    good = p.read_text(encoding="utf-8")
    append(site, "policies/budget-2021.md", f"\n联系人身份证号：{ID_NUMBER}。\n")
    with pytest.raises(ContentError) as exc:
        warm_build(site, warm)
    assert [d.format() for d in exc.value.args[0].sorted()] == [
        "content/policies/budget-2021.md:13: -: 疑似居民身份证号码“110105********002X”：发布前须去标识化（删除或部分遮盖）；"
        "依法须公示的（如惩戒公示）请在元数据中写 personal_data: public_notice",
        "content/policies/future-plan.md:6: published: 提示：发布日期 2031-01-01 晚于 2024-01-01，本次构建暂不发布（定时发布）"]
    assert files(site / "output") == before
    p.write_text(good + "\n改好了。\n", encoding="utf-8")
    r = warm_build(site, warm)                     # after a failed build: the full path, then quick again
    assert not r.quick and r.rendered[0] == "policies/budget-2021.html"
    append(site, "policies/budget-2021.md", "\n又一段。\n")
    assert warm_build(site, warm).quick


def test_a_warning_from_an_edited_body_is_kept_for_the_next_process(tmp_path):
    site, warm = started(tmp_path)
    append(site, "policies/joint-plan.md", "\n<script>alert(1)</script>\n")
    r = warm_build(site, warm)
    warning = ("content/policies/joint-plan.md:12: -: 警告：已删除 <script> 元素"
               "（正文中的原始 HTML 不允许脚本、事件属性、iframe 和表单）")
    assert r.quick and warning in messages(r)
    again = run_build("build", "--site", str(site), "--as-of", AS_OF.isoformat(), "--no-search")
    assert again.returncode == 0, again.stderr
    assert warning in again.stderr and "其中 0 个有变化" in again.stdout + again.stderr   # nothing to do
    strict = run_build("build", "--site", str(site), "--as-of", AS_OF.isoformat(), "--no-search", "--strict")
    assert strict.returncode == 1
    assert warning.replace("警告：", "") in strict.stdout + strict.stderr


def test_a_file_changed_outside_the_edit_is_made_again(tmp_path):
    """The quick path trusts the kept record only while each published file is as recorded."""
    site, warm = started(tmp_path)
    (site / "output" / "policies" / "fee-rules.html").write_text("changed by hand", encoding="utf-8")
    append(site, "policies/budget-2019.md", "\n补充。\n")
    r = warm_build(site, warm)
    assert r.quick and "policies/fee-rules.html" in r.changed
    want, _ = clean_build(site, tmp_path, "clean")
    assert {k: v[0] for k, v in files(site / "output").items()} == want


def test_the_first_build_of_a_process_prepares_the_quick_path_and_writes_nothing(tmp_path):
    """serve's first build finds the site as the last `build` left it: it writes nothing, but it does
    not stop there, so that the editor's first save already takes the quick path."""
    site = new_site(tmp_path)
    assert build(site, as_of=AS_OF, search=False).written
    before = files(site / "output")
    warm = Warm(site / ".cache")
    r = warm_build(site, warm)
    assert not r.skipped and r.changed == [] and r.rendered == []
    assert files(site / "output") == before
    append(site, "pages/about.md", "\n联系电话见各部门页面。\n")
    r = warm_build(site, warm)
    assert r.quick and r.rendered == ["pages/about.html"] and sorted(r.changed) == ["SHA256SUMS", "pages/about.html"]


def test_the_quick_path_with_the_site_given_as_the_current_folder(tmp_path, monkeypatch):
    site = new_site(tmp_path)
    monkeypatch.chdir(site)
    warm = Warm(Path(".cache"))
    warm_build(Path("."), warm)
    append(Path("."), "policies/budget-2019.md", "\n补充。\n")
    assert warm_build(Path("."), warm).quick


def test_with_the_search_index_body_edits_stay_quick(tmp_path):
    """serve keeps the search index up to date on small sites: each body edit re-indexes the page's
    part of it, and the next edit still starts from what the last build made."""
    site = new_site(tmp_path)
    warm = Warm(site / ".cache")
    build(site, as_of=AS_OF, search=True, warm=warm)
    for n in (1, 2):
        append(site, "policies/budget-2019.md", f"\n检索测试第{n}段。\n")
        r = build(site, as_of=AS_OF, search=True, warm=warm)
        settle_memory(warm)
        assert r.quick, n
        assert any(p.startswith("pagefind/") for p in r.changed)          # its part indexed again
        assert f"检索测试第{n}段" in (site / "output" / "policies" / "budget-2019.html").read_text(encoding="utf-8")
