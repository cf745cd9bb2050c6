"""Command-line builds resumed from the last build's snapshot (incremental/resume.py).

Each `build` here is a new build with nothing kept in memory, as `python build.py build --no-search`
runs it. When only published entries' bodies changed since the last build (and no summary the
exports show), it renders just their pages; anything else takes the full path. Either way the
output is byte for byte a clean full build's, unchanged files keep their modification time, and the
messages are the full build's. With the search index, a resumed build indexes the edited pages into
an overlay bundle (write/search_overlay.resumed_index; tests/search checks what the search page finds)."""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys

from helpers import REPO, run_build
from test_warm import AS_OF, append, assert_as_clean, clean_build, edit, files, new_site
from xxgk.incremental import records, snapshot
from xxgk.pipeline import build


def cli_build(site, **kw):
    return build(site, as_of=AS_OF, search=False, **kw)


def snapshot_files(site) -> list[str]:
    return sorted(p.name for p in (site / ".cache").glob("resume-*"))


def test_command_line_edits_give_the_clean_build_and_bodies_alone_resume(tmp_path):
    rng = random.Random(20261124)
    site = new_site(tmp_path)
    assert not cli_build(site).quick
    resumed = 0
    for step in range(24):
        before = files(site / "output")
        kind, bodies_only = edit(site, rng, step)
        r = cli_build(site)
        assert r.quick == bodies_only, f"step {step} ({kind})"
        resumed += r.quick
        assert_as_clean(site, tmp_path, r, before, f"step {step} ({kind})")
        assert cli_build(site).skipped, f"step {step} ({kind}): the next build found something to do"
    assert resumed >= 6


def test_a_body_edit_resumes_and_so_does_a_summary_the_exports_show_that_changes_with_it(tmp_path):
    site = new_site(tmp_path)
    cli_build(site)
    cache, out = site / ".cache", site / "output"
    assert snapshot_files(site) == sorted([records.snapshot_file(cache, out).name, records.blobs_file(cache, out).name])
    # no summary written: the exports show one derived from the first three paragraphs of the body
    append(site, "policies/budget-2021.md", "\n新增的一段。\n\n第三段。\n")
    before = files(site / "output")
    r = cli_build(site)
    assert r.quick
    assert r.rendered == ["policies/budget-2021.html", "catalogue.json", "catalogue.csv", "feed.xml",
                          "feeds/policies.xml", "feeds/agency-czj.xml"]
    assert_as_clean(site, tmp_path, r, before, "summary changed")
    append(site, "policies/budget-2021.md", "\n再一段，在摘要之后。\n")    # a fourth: the summary stays the same
    r = cli_build(site)
    assert r.quick and r.rendered == ["policies/budget-2021.html"]
    assert sorted(r.changed) == ["SHA256SUMS", "policies/budget-2021.html"]
    assert "再一段，在摘要之后。" in (site / "output" / "policies" / "budget-2021.html").read_text(encoding="utf-8")
    append(site, "pages/about.md", "\n联系电话见各部门页面。\n")             # a second resumed build on the first
    r = cli_build(site)
    assert r.quick and sorted(r.changed) == ["SHA256SUMS", "pages/about.html"]
    kept = json.loads((cache / "outputs.json").read_text(encoding="utf-8"))   # deleted with the output folder
    journal = [p.name for p in cache.glob("output-*.changes.json")]
    assert len(journal) == 1 and {records.delta_file(cache, out).name, *journal} <= kept.keys()
    assert run_build("verify", str(site / "output")).returncode == 0


def test_the_exports_are_made_again_from_the_snapshot_s_pieces_never_read_from_the_published_ones(tmp_path,
                                                                                                monkeypatch):
    """catalogue.json and catalogue.csv come from each listed entry's line and row as the full build
    kept them, the edited entries' made anew (render.exports.entry_pieces): the published files are
    not read, so their one-entry-a-line layout carries nothing (issue 20)."""
    import io
    site = new_site(tmp_path)
    cli_build(site)
    out = (site / "output").resolve()
    real_open, read = io.open, []

    def spying_open(file, mode="r", *args, **kw):
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file).startswith(str(out) + os.sep) \
                and "r" in mode:
            read.append(os.path.relpath(os.path.realpath(file), out))
        return real_open(file, mode, *args, **kw)

    def spied_build():
        with monkeypatch.context() as m:
            m.setattr(io, "open", spying_open)
            m.setattr("builtins.open", spying_open)
            return cli_build(site)

    # two summaries (taken from the bodies) change; then one of them again, on top of the first
    append(site, "policies/budget-2021.md", "\n新增的一段。\n")
    append(site, "policies/joint-plan.md", "\n新增的一段。\n")
    before = files(site / "output")
    r = spied_build()
    assert r.quick and {"catalogue.json", "catalogue.csv"} <= set(r.changed)
    assert not [rel for rel in read if rel.startswith("catalogue.")], read
    assert_as_clean(site, tmp_path, r, before, "two summaries changed")
    p = site / "content" / "policies" / "budget-2021.md"
    p.write_text(p.read_text(encoding="utf-8").replace("本办法自", "本办法（修订）自", 1), encoding="utf-8")
    before = files(site / "output")
    read.clear()
    r = spied_build()
    assert r.quick and {"catalogue.json", "catalogue.csv"} <= set(r.changed)
    assert not [rel for rel in read if rel.startswith("catalogue.")], read
    assert_as_clean(site, tmp_path, r, before, "a summary changed again")
    assert "本办法（修订）自" in (site / "output" / "catalogue.csv").read_text(encoding="utf-8-sig")
    # a full build that keeps both files as published (a template changed) takes the pieces from the
    # last snapshot and its delta, or, without them, makes them again
    from xxgk.render import exports
    real_pieces = exports.entry_pieces
    t = site / "templates" / "components" / "footer.html"
    t.parent.mkdir(parents=True, exist_ok=True)
    for step, lost in enumerate((False, True)):
        if lost:
            for f in (site / ".cache").glob("resume-*"):
                f.unlink()
        t.write_text((REPO / "templates" / "components" / "footer.html").read_text(encoding="utf-8")
                     + f"<!-- {step} -->\n", encoding="utf-8")
        made = []
        with monkeypatch.context() as m:
            m.setattr(exports, "entry_pieces", lambda *a: made.append(a) or real_pieces(*a))
            r = cli_build(site)
        assert not r.quick and not {"catalogue.json", "catalogue.csv"} & set(r.rendered)
        assert len(made) == (7 if lost else 0), step           # (the fixture lists 7 entries)
        p = site / "content" / "policies" / "joint-plan.md"                 # (its first paragraph: the summary)
        p.write_text(p.read_text(encoding="utf-8").replace("扎實推進", f"扎實推進{step}", 1), encoding="utf-8")
        before = files(site / "output")
        r = spied_build()
        assert r.quick and {"catalogue.json", "catalogue.csv"} <= set(r.changed), step
        assert not [rel for rel in read if rel.startswith("catalogue.")], read
        assert_as_clean(site, tmp_path, r, before, f"a summary changed after a full build ({step})")


def test_a_full_build_after_resumed_ones_keeps_the_pages_they_made(tmp_path):
    """The resumed builds' record of what each page was made from (the record's journal) is the one
    a full build would have written: the next full build renders none of those pages again."""
    site = new_site(tmp_path)
    append(site, "policies/budget-2021.md", "\n第二段。\n\n第三段。\n")    # (later paragraphs: no summary change)
    cli_build(site)
    append(site, "policies/budget-2021.md", "\n补充一。\n")
    append(site, "pages/about.md", "\n补充二。\n")
    assert cli_build(site).quick
    p = site / "content" / "policies" / "fee-rules.md"                  # front matter: the full path
    p.write_text(p.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: 新", 1), encoding="utf-8")
    r = cli_build(site)
    assert not r.quick
    assert "policies/fee-rules.html" in r.rendered
    assert "policies/budget-2021.html" not in r.rendered and "pages/about.html" not in r.rendered
    assert not any(p.name.endswith(".changes.json") for p in (site / ".cache").iterdir())   # a whole record again
    # the exports a resumed build replaced for a changed summary are keyed as a full build keys them
    append(site, "policies/joint-plan.md", "\n新的第二段。\n")
    r = cli_build(site)
    assert r.quick and "catalogue.json" in r.changed
    t = site / "templates" / "components" / "footer.html"                # a template: the full path
    t.parent.mkdir(parents=True, exist_ok=True)
    t.write_text((REPO / "templates" / "components" / "footer.html").read_text(encoding="utf-8") + "<!-- x -->\n",
                 encoding="utf-8")
    r = cli_build(site)
    assert not r.quick and "policies/joint-plan.html" in r.rendered
    assert not {"catalogue.json", "catalogue.csv", "feed.xml"} & set(r.rendered)


def test_a_published_file_changed_by_hand_takes_the_full_path_which_mends_it(tmp_path):
    site = new_site(tmp_path)
    cli_build(site)
    (site / "output" / "policies" / "fee-rules.html").write_text("changed by hand", encoding="utf-8")
    append(site, "pages/about.md", "\n补充。\n")
    r = cli_build(site)
    assert not r.quick and "policies/fee-rules.html" in r.changed
    want, _ = clean_build(site, tmp_path, "clean")
    assert {k: v[0] for k, v in files(site / "output").items()} == want


def test_a_broken_or_stale_snapshot_is_not_used(tmp_path):
    site = new_site(tmp_path)
    cli_build(site)
    cache, out = site / ".cache", site / "output"
    blobs = records.blobs_file(cache, out)
    blobs.write_bytes(b"not the snapshot's" + blobs.read_bytes()[18:])
    append(site, "pages/about.md", "\n补充一。\n")
    r = cli_build(site)
    assert not r.quick and "pages/about.html" in r.changed               # the full path, and a new snapshot
    append(site, "pages/about.md", "\n补充二。\n")
    assert cli_build(site).quick
    # a build into another folder, or one with the search index, is not the snapshot's build
    other = tmp_path / "other"
    assert not build(site, output=other, as_of=AS_OF, search=False).quick
    append(site, "pages/about.md", "\n补充三。\n")
    assert not build(site, as_of=AS_OF, search=True).quick                # (the snapshot is of one without)
    append(site, "pages/about.md", "\n补充四。\n")
    assert not cli_build(site).quick                                      # (… and now of one with it)
    want, _ = clean_build(site, tmp_path, "clean")
    assert {k: v[0] for k, v in files(out).items()} == want


def test_the_command_line_resumes_in_a_new_process(tmp_path):
    site = new_site(tmp_path)
    args = ("build", "--site", str(site), "--as-of", AS_OF.isoformat(), "--no-search")
    assert run_build(*args).returncode == 0
    append(site, "pages/about.md", "\n新进程中的补充。\n")

    def timed_build() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True, cwd=REPO)
    r = timed_build()
    assert r.returncode == 0, r.stderr
    assert "其中 2 个有变化）；只重新生成了正文改过的页面" in r.stdout
    assert "新进程中的补充" in (site / "output" / "pages" / "about.html").read_text(encoding="utf-8")
    shutil.rmtree(site / ".cache")                                       # no snapshot: the full path
    append(site, "pages/about.md", "\n再补充。\n")
    r = timed_build()
    assert r.returncode == 0 and "只重新生成了" not in r.stdout
    assert "再补充" in (site / "output" / "pages" / "about.html").read_text(encoding="utf-8")


def test_a_snapshot_that_cannot_be_written_is_left_out_and_the_build_succeeds(tmp_path, monkeypatch):
    """A full disk while the snapshot is written costs the next edit the full path, not this build."""
    site = new_site(tmp_path)
    real = snapshot._dumper

    def failing():
        def dump(obj):
            raise OSError(28, "No space left on device")
        return dump
    monkeypatch.setattr(snapshot, "_dumper", failing)
    r = cli_build(site)
    assert r.written and not snapshot_files(site)
    assert run_build("verify", str(site / "output")).returncode == 0
    monkeypatch.setattr(snapshot, "_dumper", real)
    append(site, "pages/about.md", "\n补充。\n")
    assert not cli_build(site).quick and snapshot_files(site)
    append(site, "pages/about.md", "\n再补充。\n")
    assert cli_build(site).quick


def search_files(out) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "pagefind").rglob("*")) if p.is_file()}


def bundles(out) -> list[str]:
    return json.loads((out / "pagefind" / "xxgk-search.json").read_text(encoding="utf-8"))["bundles"]


def page_map(bundle) -> dict[str, str]:
    from xxgk.write.search_bundles import _page_map
    return _page_map(bundle)


def test_with_the_search_index_an_edit_is_indexed_into_an_overlay_the_next_full_build_folds_back(tmp_path):
    from xxgk.commands.verify import compare
    from xxgk.write import search_bundles as search_index
    site = new_site(tmp_path)
    cache, out = site / ".cache", site / "output"
    assert not build(site, as_of=AS_OF).quick                           # with the search index: a snapshot too
    assert records.snapshot_file(cache, out).is_file()
    parts = {k: v for k, v in search_files(out).items()}
    first_map = page_map(out / "pagefind")
    old_ids = {pid for pid, url in first_map.items() if url == "policies/budget-2021.html"}
    assert len(old_ids) == 1 and bundles(out) == ["pagefind/"]

    append(site, "policies/budget-2021.md", "\n再一段，在摘要之后：白鹭计划。\n\n第四段。\n\n第五段。\n")
    before = files(out)
    r = build(site, as_of=AS_OF)
    assert r.quick and r.search
    now = search_files(out)
    overlay = {k for k in now if k.startswith("pagefind/part-edits/")}
    assert "pagefind/part-edits/pagefind.js" in overlay and len([k for k in overlay if "/fragment/" in k]) == 1
    # the parts are the same files; xxgk-search.json names the overlay and the page's old id as stale
    assert {k: v for k, v in now.items() if k not in overlay and not k.endswith("xxgk-search.json")} == \
        {k: v for k, v in parts.items() if not k.endswith("xxgk-search.json")}
    info = json.loads(now["pagefind/xxgk-search.json"])
    assert set(info["stale"]) == old_ids
    assert [pid for pid, url in page_map(out / "pagefind" / "part-edits").items() if url == "policies/budget-2021.html"] == \
        [f.rsplit("/", 1)[1].removesuffix(".pf_fragment") for f in overlay if "/fragment/" in f]
    assert info["overlay"] == "pagefind/part-edits/" and bundles(out) == ["pagefind/"]   # (search.js reads it)
    assert "白鹭计划" in (out / "policies" / "budget-2021.html").read_text(encoding="utf-8")
    assert sorted(r.changed) == sorted(k for k in files(out) if before.get(k, (None,))[0] != files(out)[k][0])
    lines, listed, counts = compare(out)                              # SHA256SUMS lists the overlay
    assert counts == (0, 0, 0, 0) and listed == len(files(out)) - 1, lines
    assert json.loads(search_index.state_path(site, out).read_text())["overlay"] == {"policies/budget-2021.html": "zh-Hans"}

    # a second edit of another entry: both are in the overlay, whose files of the first are replaced
    append(site, "policies/fee-rules.md", "\n补充：灰鹤计划。\n")
    r = build(site, as_of=AS_OF)
    assert r.quick and r.removed and all(k.startswith("pagefind/part-edits/") for k in r.removed)
    assert len([k for k in search_files(out) if k.startswith("pagefind/part-edits/fragment/")]) == 2
    assert compare(out)[2] == (0, 0, 0, 0)
    assert build(site, as_of=AS_OF).skipped
    # outside pagefind/ (and SHA256SUMS, which lists its files) the output is a clean build's, byte for byte
    copy = tmp_path / "clean-search"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache", "output"))
    build(copy, as_of=AS_OF)
    want = {k: v[0] for k, v in files(copy / "output").items() if not k.startswith("pagefind/") and k != "SHA256SUMS"}
    assert {k: v[0] for k, v in files(out).items() if not k.startswith("pagefind/") and k != "SHA256SUMS"} == want

    # a plain page (pages/) is searched too: into the overlay as well
    append(site, "pages/about.md", "\n补充：丹顶鹤计划。\n")
    r = build(site, as_of=AS_OF)
    assert r.quick and len([k for k in search_files(out) if k.startswith("pagefind/part-edits/fragment/")]) == 3

    # the next full build (a title changed) indexes the parts again and publishes no overlay
    p = site / "content" / "policies" / "fee-rules.md"
    p.write_text(p.read_text(encoding="utf-8").replace("title: ", "title: 修订：", 1), encoding="utf-8")
    r = build(site, as_of=AS_OF)
    assert not r.quick
    assert not [k for k in files(out) if k.startswith("pagefind/part-edits/")]
    assert not (out / "pagefind" / "part-edits").exists()
    assert bundles(out) == ["pagefind/"] and compare(out)[2] == (0, 0, 0, 0)
    assert "overlay" not in json.loads(search_index.state_path(site, out).read_text())
    assert sorted(page_map(out / "pagefind").values()) == sorted(first_map.values())
    assert "overlay" not in json.loads((out / "pagefind" / "xxgk-search.json").read_text())
    # …and, apart from the index (Pagefind's output differs from run to run), is a clean build's
    want, _ = clean_build(site, tmp_path, "clean")
    got = {k: v[0] for k, v in files(out).items()}
    assert {k for k in got if not k.startswith("pagefind/")} == {k for k in want if not k.startswith("pagefind/")}
    for k in got:
        if not k.startswith("pagefind/") and k != "SHA256SUMS":
            assert got[k] == want[k], k


def test_too_many_pages_edited_since_the_full_build_take_the_full_path(tmp_path, monkeypatch, capsys):
    from xxgk.write import search_overlay
    monkeypatch.setattr(search_overlay, "OVERLAY_MOST", 1)
    site = new_site(tmp_path)
    build(site, as_of=AS_OF)
    append(site, "policies/budget-2021.md", "\n补充一。\n")
    assert build(site, as_of=AS_OF).quick
    append(site, "policies/fee-rules.md", "\n补充二。\n")
    r = build(site, as_of=AS_OF)
    assert not r.quick
    assert r.full_because == "more than 1 pages edited since the last full build"
    assert not (site / "output" / "pagefind" / "part-edits").exists()
