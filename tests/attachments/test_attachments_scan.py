"""SPEC 11: personal data in attachments is found where it is, reported masked, never in full.

Real files made here: .xlsx (openpyxl), .docx (python-docx), a PDF printed by Chromium with
Chinese text, CSV and text; each built with `python build.py build` as an editor runs it.
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import makers
from helpers import CHROMIUM, run_build
from sitemaker import make_site, policy

ID = makers.id_number("11010519900101123")        # 110105199001011232
ID2 = makers.id_number("32010219851231456")       # 320102198512314564
HINT = "发布前须去标识化（删除或部分遮盖）；依法须公示的（如惩戒公示）请在元数据中写 personal_data: public_notice"
ATTS = """
  - file: files/list.xlsx
    title: 补贴发放名单
  - file: files/plan.docx
    title: 实施方案
  - file: files/notes.csv
    title: 导出表
  - file: files/readme.txt
    title: 说明"""


def leak(where: str, masked: str, label: str = "居民身份证号码", how: str = "") -> str:
    return f"附件 {where}中疑似{label}“{masked}”{how}：{HINT}"


def _site(root: Path, **fields) -> Path:
    site = make_site(root, {"content/policies/p1.md": policy(1, attachments=ATTS, **fields)})
    files = site / "content" / "files"
    makers.xlsx(files / "list.xlsx", {"说明": [["本表为示例"]],
                                      "名单": [["序号", "姓名", "身份证号", "电话"],
                                               [1, "张三", ID, "13812345678"],
                                               [2, "李四", ID2[:10], ID2[10:]],
                                               [3, "王五", float(ID), None]]})
    makers.docx(files / "plan.docx", ["劳动用工实施方案", "联系人：赵六，身份证号码 " + ID],
                [[["姓名", "银行卡号"], ["钱七", "6222 0212 3456 7894"]]])
    (files / "notes.csv").write_text(f"姓名,证件号\n孙八,1.10105E+17\n周九,{ID2}\n", encoding="gbk")
    (files / "readme.txt").write_text("第一行\n第二行 电话 139-1234-5678\n", encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = _site(tmp_path_factory.mktemp("scan") / "site")
    return site, run_build("build", "--site", str(site), "--as-of", "2024-01-01")


def test_each_leak_is_found_at_its_place_with_the_line_of_its_attachments_item(built):
    _site_dir, r = built
    assert r.returncode == 1
    lines = set(r.stderr.splitlines())
    p = "content/policies/p1.md"
    expected = [
        f"{p}:8: attachments: " + leak("content/files/list.xlsx（名单!C2）", "110105********1232"),
        f"{p}:8: attachments: " + leak("content/files/list.xlsx（名单!D2）", "138****5678", "手机号码"),
        f"{p}:8: attachments: " + leak("content/files/list.xlsx（名单!C3:D3）", "320102********4564",
                                       how="（号码被拆在相邻的单元格中）"),
        f"{p}:8: attachments: 警告：附件 content/files/list.xlsx：名单!C4 是一个以数字格式保存的 18 位数“110105************”："
        "电子表格只保留 15 位有效数字，末尾几位已经丢失，无法核对它是否为居民身份证号码或银行卡号。若是，发布前须去标识化；"
        "请把该列设为“文本”格式后重新填写核对",
        f"{p}:10: attachments: " + leak("content/files/plan.docx（第 2 段）", "110105********1232"),
        f"{p}:10: attachments: " + leak("content/files/plan.docx（第 1 个表格第 2 行第 2 列）", "6222 **** **** 7894",
                                        "银行卡号"),
        f"{p}:12: attachments: 警告：附件 content/files/notes.csv：单元格 B2 是一个以数字格式保存的 18 位数“110105************”："
        "电子表格只保留 15 位有效数字，末尾几位已经丢失，无法核对它是否为居民身份证号码或银行卡号。若是，发布前须去标识化；"
        "请把该列设为“文本”格式后重新填写核对",
        f"{p}:12: attachments: " + leak("content/files/notes.csv（单元格 B3）", "320102********4564"),
        f"{p}:14: attachments: " + leak("content/files/readme.txt（第 2 行）", "139****5678", "手机号码"),
    ]
    for line in expected:
        assert line in lines, f"missing:\n{line}\nin:\n{r.stderr}"
    assert "共 7 个错误，2 个警告" in r.stderr
    assert "Traceback" not in r.stderr


def test_no_number_is_ever_printed_in_full(built):
    _site_dir, r = built
    out = r.stdout + r.stderr
    for full in (ID, ID2, ID2[:10], ID2[10:], "13812345678", "6222021234567894", "6222 0212 3456 7894", "13912345678",
                 "110105199001", "1.10105E+17"):
        assert full not in out


def test_public_notice_covers_the_attachments(tmp_path):
    site = _site(tmp_path / "site", personal_data="public_notice")
    r = run_build("build", "--site", str(site), "--as-of", "2024-01-01", "--strict")
    assert r.returncode == 0, r.stderr
    assert ("content/policies/p1.md:8: attachments: 提示：" + leak("content/files/list.xlsx（名单!C2）",
                                                                 "110105********1232")) in r.stderr.splitlines()
    assert "提示：附件 content/files/list.xlsx：名单!C4 是一个以数字格式保存的 18 位数" in r.stderr


def test_an_unchanged_attachment_is_read_once_and_a_changed_one_rechecks_its_entry(built, tmp_path):
    from xxgk.attachments import prepare
    from xxgk.diagnostics import Diagnostics
    from xxgk.load.site import discover
    site = shutil.copytree(built[0], tmp_path / "site")
    _sources, atts = discover(site, Diagnostics())
    first = prepare(site, atts)
    assert first["read"] == 0 and first["files"] == 4        # copied .cache: same contents, read before
    _sources, atts = discover(site, Diagnostics())
    assert prepare(site, atts) == {"files": 4, "hashed": 0, "read": 0}
    # the editor fixes the spreadsheet and the text file: their entry is checked again, with no error left
    files = site / "content" / "files"
    makers.xlsx(files / "list.xlsx", {"名单": [["姓名"], ["张三"]]})
    makers.docx(files / "plan.docx", ["劳动用工实施方案"])
    (files / "notes.csv").write_text("姓名\n孙八\n", encoding="utf-8")
    (files / "readme.txt").write_text("第一行\n", encoding="utf-8")
    r = run_build("build", "--site", str(site), "--as-of", "2024-01-01")
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(site / ".cache" / "attachments.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM found").fetchone()[0] == 4     # the old contents forgotten


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_pdf_printed_by_chromium_leak_on_its_page_and_over_a_line_break(tmp_path):
    site = make_site(tmp_path / "site", {"content/policies/p1.md": policy(
        1, attachments="\n  - file: files/list.pdf\n    title: 名单")})
    makers.pdf(site / "content/files/list.pdf", ["第一页：劳动用工说明", f"第二页：张三 身份证号 {ID}",
                                                   f"第三页：李四 {ID2[:9]}<br>{ID2[9:]}"])
    r = run_build("check", "--site", str(site), "--as-of", "2024-01-01")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert "content/policies/p1.md:8: attachments: " + leak("content/files/list.pdf（第 2 页）", "110105********1232") in lines
    assert "content/policies/p1.md:8: attachments: " + leak("content/files/list.pdf（第 3 页）", "320102********4564",
                                                            how="（号码被拆成两行）") in lines
    assert ID not in r.stderr and ID2 not in r.stderr
    assert not (site / ".cache" / "attachments.sqlite").exists()        # check writes nothing


def test_compatibility_characters_are_folded_before_scanning_and_indexing(tmp_path):
    from xxgk.attachments.read import read_one
    p = tmp_path / "k.txt"
    p.write_text("\u2f64\u2f2f合同 \uff11\uff11\uff10\uff11\uff10\uff15" + ID[6:] + " \ufb01le \u2ed4", encoding="utf-8")
    report, text = read_one(str(p), "k.txt")
    assert text.startswith("用工合同 110105") and "file 门" in text
    assert [h[2] for h in report["hits"]] == ["110105********1232"]
