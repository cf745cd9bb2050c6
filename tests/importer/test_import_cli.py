"""The command as a county IT office runs it on a folder: one line per source, a summary, exit
statuses (0 all read, 1 some not, 2 usage), re-running changes nothing, --dry-run writes nothing,
and what was not found fails `check --strict` until a person fills it in."""
from __future__ import annotations

import re
import hashlib

from docmaker import make_gongwen
from helpers import run_build
from importing import SEEDS, empty_site, front_matter, run_import, written_entries
from pagemaker import write_page


def _folder(root):
    src = root / "incoming"
    src.mkdir(parents=True)
    make_gongwen(src / "a.docx")
    make_gongwen(src / "b.docx", title="示例县人民政府办公室关于印发示例县2024年政务公开工作要点的通知",
                 doc_no="示政办发〔2024〕13号")
    write_page(src, "t1.html", "table")
    (src / "capture.txt").write_bytes((SEEDS / "001_fba7ed532cabe418.txt").read_bytes())
    (src / "notes.md").write_text("不是要导入的文件", encoding="utf-8")
    (src / "t1_files").mkdir()
    (src / "t1_files" / "frame.htm").write_text("<p>页面的一部分</p>", encoding="utf-8")
    return src


def _snapshot(site):
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((site / "content").rglob("*")) if p.is_file()}


def test_folder_import_lines_summary_and_rerun(tmp_path):
    src = _folder(tmp_path)
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(src))
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert len([ln for ln in lines if ln.startswith("已写入 content/")]) == 4, r.stdout
    assert lines[-1].startswith("导入完成：写入 4 个条目"), lines[-1]
    assert "frame.htm" not in r.stdout and "notes.md" not in r.stdout
    first = _snapshot(site)
    # the same import again: nothing changes, each source is named as skipped
    r2 = run_import(site, str(src))
    assert r2.returncode == 0, r2.stderr
    assert _snapshot(site) == first
    assert len([ln for ln in r2.stdout.splitlines() if ln.startswith("已跳过 ")]) == 4, r2.stdout
    assert "写入 0 个条目" in r2.stdout and "跳过 4 个（站点已有）" in r2.stdout


def test_ids_are_ascii_and_stable(tmp_path):
    src = _folder(tmp_path)
    ids = []
    for n in (1, 2):
        site = empty_site(tmp_path / f"site{n}")
        assert run_import(site, str(src)).returncode == 0
        ids.append(sorted(p.stem for p in written_entries(site)))
    assert ids[0] == ids[1]
    assert all(i.isascii() and i == i.lower() for i in ids[0]), ids[0]


def test_existing_entry_with_same_index_no_is_skipped(tmp_path):
    src = tmp_path / "p"
    write_page(src, "t1.html", "table")
    site = empty_site(tmp_path / "site")
    (site / "content" / "policies").mkdir(parents=True)
    (site / "content" / "policies" / "budget-2024.md").write_text(
        "---\ntitle: 已有的条目\nindex_no: 11330000MB7654321Y/2024-00003\n---\n正文\n", encoding="utf-8")
    r = run_import(site, str(src / "t1.html"))
    assert r.returncode == 0
    assert f"已跳过 {src / 't1.html'}：索引号 11330000MB7654321Y/2024-00003 已有条目 content/policies/budget-2024.md" in r.stdout
    assert len(written_entries(site)) == 1


def test_dry_run_writes_nothing(tmp_path):
    src = _folder(tmp_path)
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(src), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("将写入 content/") == 4
    assert "试运行（未写入任何文件）" in r.stdout
    assert written_entries(site) == [] and not (site / "content" / "files").exists()


def test_unreadable_sources_exit_1_and_the_others_are_written(tmp_path):
    src = _folder(tmp_path)
    (src / "broken.docx").write_bytes(make_gongwen(tmp_path / "whole.docx").read_bytes()[:3000])
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(src), str(src / "old.doc"), str(tmp_path / "missing.html"))
    assert r.returncode == 1
    out = r.stdout
    assert f"无法导入 {src / 'broken.docx'}：不是有效的 .docx 文件" in out
    assert f"无法导入 {src / 'old.doc'}：不支持的文件类型.doc：请用 Word 打开后另存为 .docx 再导入" in out
    assert f"无法导入 {tmp_path / 'missing.html'}：找不到这个文件或文件夹" in out
    assert "3 个无法导入" in out.splitlines()[-1]
    assert len(written_entries(site)) == 4
    assert "Traceback" not in r.stderr


def test_usage_errors_exit_2(tmp_path):
    src = _folder(tmp_path)
    r = run_import(tmp_path / "not-a-site", str(src))
    assert r.returncode == 2 and "找不到 site_config.yaml" in r.stderr
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(src), "--agency", "czz")
    assert r.returncode == 2 and "未知机构“czz”" in r.stderr and "czj" in r.stderr
    r = run_import(site, str(src), "--type", "page")
    assert r.returncode == 2
    assert written_entries(site) == []


def test_todo_fields_fail_check_strict_until_filled(tmp_path):
    src = tmp_path / "p"
    write_page(src, "t1.html", "list")                # everything but 发文字号 is on the page
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(src))
    assert r.returncode == 0
    path = written_entries(site)[0]
    raw = path.read_text(encoding="utf-8")
    assert "doc_no:                   # TODO" not in raw  # (this layout states its 文号)
    path.write_text(raw.replace("doc_no: 示财发〔2024〕4号", "doc_no:                   # TODO 原文中没有找到发文字号，请填写"),
                    encoding="utf-8")
    rel = path.relative_to(site).as_posix()
    assert run_build("check", "--site", str(site)).returncode == 0
    strict = run_build("check", "--site", str(site), "--strict")
    assert strict.returncode == 1
    assert f"{rel}:7: doc_no: 字段仍标有 TODO（原文中没有找到）：请核对填写；确实没有的，删去这一行" in strict.stderr
    path.write_text(raw, encoding="utf-8")
    assert run_build("check", "--site", str(site), "--strict").returncode == 0


def test_entry_written_by_import_builds(tmp_path):
    src = tmp_path / "p"
    write_page(src, "t1.html", "table", attachment="files/清单.pdf")
    (src / "files").mkdir()
    (src / "files" / "清单.pdf").write_bytes(b"%PDF-1.4\n")
    site = empty_site(tmp_path / "site")
    assert run_import(site, str(src)).returncode == 0
    out = tmp_path / "out"
    b = run_build("build", "--site", str(site), "--output", str(out), "--as-of", "2024-12-01", "--no-search")
    assert b.returncode == 0, b.stderr
    entry = written_entries(site)[0]
    page = (out / "policies" / f"{entry.stem}.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)      # (a 文号's number is kept whole in a <span class="nowrap">)
    assert "示财发〔2024〕3号" in text and "预算公开任务清单" in text
    got, _raw, _body = front_matter(entry)
    assert (out / got["attachments"][0]["file"]).is_file()


def test_progress_on_a_terminal_does_not_mix_with_the_lines(tmp_path, monkeypatch):
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from xxgk import progress
    from xxgk.config.site import load_config
    from xxgk.importer.fields import Context
    from xxgk.importer.run import import_sources
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        make_gongwen(src / f"d{i}.docx", title=f"示例县人民政府办公室关于第{i}项工作的通知")
    site = empty_site(tmp_path / "site")
    monkeypatch.setenv("XXGK_PROGRESS", "1")
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "REDRAW", 0.0)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert import_sources(site, [src], Context(load_config(site))) == 0
    assert "导入：1/4（25%）" in err.getvalue() and "导入：4/4（100%）" in err.getvalue()
    assert "\x1b" not in out.getvalue() and out.getvalue().count("已写入 ") == 4
    assert err.getvalue().endswith("\r\x1b[2K")          # the progress line is gone at the end
