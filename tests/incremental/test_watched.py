"""serve trusts its record of the published files while inotify says nothing touched them (write/watch.py),
and updates the fingerprint's walk from the paths inotify names (incremental/records.InputsWatch). Whatever
is done by hand to the output folder or the inputs between two saves, the next save's result is a clean
build's, and the fingerprint is the one a full walk gives."""
from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from xxgk.config import load_config
from xxgk.incremental import records
from xxgk.incremental.warm import Warm
from xxgk.pipeline import build
from xxgk.write.watch import TreeWatch

from test_warm import AS_OF, append, clean_build, files, new_site, warm_build

pytestmark = pytest.mark.skipif(TreeWatch.start(Path(__file__).parent) is None, reason="no inotify here")


def trusted(tmp_path: Path) -> tuple[Path, Warm]:
    """A site built, then saved twice in one process: the second save trusts the watch."""
    site = new_site(tmp_path)
    warm = Warm(site / ".cache")
    warm_build(site, warm)
    for n in (1, 2):
        append(site, "policies/budget-2019.md", f"\n第{n}次。\n")
        assert warm_build(site, warm).quick
    assert warm._watch.verified and warm._watch.tree is not None
    return site, warm


def same_as_clean(site: Path, tmp_path: Path) -> None:
    want, _ = clean_build(site, tmp_path, "clean")
    assert {k: v[0] for k, v in files(site / "output").items()} == want


@pytest.mark.parametrize("how", ["same size", "appended", "deleted", "folder deleted", "replaced by rename",
                                 "sums", "marker"])
def test_a_published_file_touched_by_hand_between_saves_is_made_again(tmp_path, how):
    site, warm = trusted(tmp_path)
    out = site / "output"
    page = out / "policies" / "fee-rules.html"
    if how == "same size":
        data = page.read_bytes()
        page.write_bytes(data[:-8] + b"XXXXXXXX")
    elif how == "appended":
        with page.open("ab") as f:
            f.write(b"<!-- by hand -->")
    elif how == "deleted":
        page.unlink()
    elif how == "folder deleted":
        shutil.rmtree(out / "interpretations")
    elif how == "replaced by rename":
        tmp = out / "policies" / "x.tmp"
        tmp.write_bytes(b"by hand")
        os.replace(tmp, page)
    elif how == "sums":
        (out / "SHA256SUMS").write_text("by hand\n")
    else:
        (out / ".xxgk-output").write_bytes(b"by hand\n")
    append(site, "policies/budget-2019.md", "\n第3次。\n")
    r = warm_build(site, warm)
    assert r.quick
    same_as_clean(site, tmp_path)


def test_a_file_touched_by_hand_while_a_save_is_built_is_made_again_at_the_next(tmp_path, monkeypatch):
    """An edit by hand after the build looked at the file (here: between rendering and publishing)."""
    site, warm = trusted(tmp_path)
    from xxgk.write import output as output_module
    finish = output_module.OutputWriter.finish

    def finish_after_a_hand_edit(self, *a, **kw):
        with (site / "output" / "policies" / "fee-rules.html").open("ab") as f:
            f.write(b"<!-- by hand -->")
        return finish(self, *a, **kw)
    monkeypatch.setattr(output_module.OutputWriter, "finish", finish_after_a_hand_edit)
    append(site, "policies/budget-2019.md", "\n第3次。\n")
    warm_build(site, warm)
    monkeypatch.setattr(output_module.OutputWriter, "finish", finish)
    append(site, "policies/budget-2019.md", "\n第4次。\n")
    r = warm_build(site, warm)
    assert r.quick and "policies/fee-rules.html" in r.changed
    same_as_clean(site, tmp_path)


def test_the_record_is_saved_when_the_process_settles_and_a_new_process_finds_nothing_to_do(tmp_path):
    site, warm = trusted(tmp_path)
    warm.close()
    r = build(site, as_of=AS_OF, search=False)
    assert r.skipped


def test_a_record_not_yet_saved_never_lets_a_new_process_keep_a_changed_file(tmp_path):
    """serve killed after publishing a save, before saving its records: the record in .cache/ is the
    last one, which names the new files with their old sizes and times; the next process makes them again."""
    site, warm = trusted(tmp_path)
    append(site, "policies/budget-2019.md", "\n第3次。\n")
    build(site, as_of=AS_OF, search=False, warm=warm)       # published; its records wait for settle
    warm._later.clear()                                       # …which never comes
    r = build(site, as_of=AS_OF, search=False)
    assert not r.skipped
    same_as_clean(site, tmp_path)
    assert build(site, as_of=AS_OF, search=False).skipped


def walked(site: Path) -> records.Fingerprint:
    return records.fingerprint(site, load_config(site), AS_OF, {}, site / "output")


@pytest.mark.parametrize("how", ["appended", "atomic save", "new file", "deleted", "new folder", "swap file",
                                 "template", "folder removed", "symlink"])
def test_the_watched_walk_gives_the_full_walks_fingerprint(tmp_path, how):
    site = new_site(tmp_path)
    inputs = records.InputsWatch()
    config = load_config(site)
    first = records.fingerprint(site, config, AS_OF, {}, site / "output", inputs=inputs)
    assert first.digest == walked(site).digest and inputs.tree is not None
    policy = site / "content" / "policies" / "fee-rules.md"
    if how == "appended":
        append(site, "policies/fee-rules.md", "\n补充。\n")
    elif how == "atomic save":
        tmp = policy.with_name(".fee-rules.md.tmp")
        tmp.write_text(policy.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
        os.replace(tmp, policy)
    elif how == "new file":
        (site / "content" / "policies" / "extra.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    elif how == "deleted":
        policy.unlink()
    elif how == "new folder":
        (site / "content" / "policies" / "sub").mkdir()
    elif how == "swap file":
        (policy.with_name(".fee-rules.md.swp")).write_bytes(b"swap")
    elif how == "template":
        (site / "templates").mkdir(exist_ok=True)
        (site / "templates" / "x.html").write_text("x", encoding="utf-8")
    elif how == "folder removed":
        shutil.rmtree(site / "content" / "files")
    else:
        (site / "content" / "policies" / "link.md").symlink_to(policy)
    for _ in range(2):                 # (the second: nothing changed since)
        got = records.fingerprint(site, config, AS_OF, {}, site / "output", inputs=inputs)
        assert got.digest == walked(site).digest
        assert got.files == walked(site).files
    assert got.digest != first.digest
    if how == "symlink":                # the link's target could change unseen: walked each time
        assert inputs.tree is None
        with policy.open("a", encoding="utf-8") as f:
            f.write("x")
        assert records.fingerprint(site, config, AS_OF, {}, site / "output", inputs=inputs).digest == walked(site).digest
    inputs.close()


def test_a_folder_made_in_a_watched_folder_is_watched_with_its_files(tmp_path):
    (tmp_path / "a").mkdir()
    tree = TreeWatch.start(tmp_path)
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c" / "x.html").write_text("x")
    assert {"a/b", "a/b/c/x.html"} <= tree.drain()
    (tmp_path / "a" / "b" / "c" / "x.html").write_text("y")
    assert tree.drain() == {"a/b/c/x.html"}
    shutil.rmtree(tmp_path / "a" / "b")
    assert tree.drain() is None                  # a folder removed: the watch can no longer tell


def test_a_search_index_file_touched_by_hand_between_saves_is_made_again(tmp_path):
    import hashlib
    from xxgk.pipeline import settle_memory
    site = new_site(tmp_path)
    warm = Warm(site / ".cache")
    build(site, as_of=AS_OF, search=True, warm=warm)
    settle_memory(warm)
    for n in (1, 2, 3):
        append(site, "policies/budget-2019.md", f"\n检索第{n}段。\n")
        assert build(site, as_of=AS_OF, search=True, warm=warm).quick
        settle_memory(warm)
    assert warm._watch.memo and warm._watch.listed           # the parts' walk was trusted
    out = site / "output"
    target = sorted(p for p in (out / "pagefind").rglob("*.pf_fragment") if "part-edits" not in p.parts)[0]
    target.write_bytes(b"by hand")
    append(site, "policies/budget-2019.md", "\n检索第4段。\n")
    build(site, as_of=AS_OF, search=True, warm=warm)
    settle_memory(warm)
    assert not target.exists() or target.read_bytes() != b"by hand"
    sums = dict(line.split("  ")[::-1] for line in (out / "SHA256SUMS").read_text().splitlines())
    assert sums == {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                    for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"}
