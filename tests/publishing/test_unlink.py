"""Deleting a published file that is no longer made, when its folder is gone already."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from xxgk.write.published import _unlink_published  # noqa: E402


def test_a_file_whose_folders_were_deleted_by_hand_is_no_error(tmp_path):
    """The search index's overlay (pagefind/part-edits/…) after `pagefind/` was removed by hand: the
    next build deletes the overlay's recorded files and must not trip over their missing folders."""
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "pagefind.js").write_text("x")
    _unlink_published(tmp_path, "pagefind/part-edits/filter/zh-cn_1.pf_filter")
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()


def test_the_folders_a_deletion_leaves_empty_go_too(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c.txt").write_text("x")
    (tmp_path / "keep.txt").write_text("x")
    _unlink_published(tmp_path, "a/b/c.txt")
    assert not (tmp_path / "a").exists() and (tmp_path / "keep.txt").is_file()
