"""Word documents made as offices make them (direct formatting, no heading styles): the red
发文机关标志 is not the title, the 文号 is normalised, 成文日期 is the date under the signature,
the signing office is matched to an agency, headings come from numbering and formatting, lists
and tables are kept, the 版记 and 公开属性 lines are not body text."""
from __future__ import annotations

import re

from docmaker import make_gongwen
from importing import empty_site, front_matter, run_import, todo_fields, written_path


def _import(tmp_path, **kw):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    doc = make_gongwen(src / kw.pop("name", "notice.docx"), **kw)
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(doc))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    return front_matter(written_path(r.stdout, site, doc.name)), r


def test_gongwen_fields(tmp_path):
    (got, raw, body), r = _import(tmp_path, doc_no="示政办发[2024]12号",
                                  title_lines=["示例县人民政府办公室关于加强", "政务公开工作的通知"])
    assert got["title"] == "示例县人民政府办公室关于加强政务公开工作的通知"
    assert got["doc_no"] == "示政办发〔2024〕12号"
    assert str(got["written"]) == "2024-03-15"
    assert got["agency"] == "xzfb"
    assert "disclosure" not in got                      # （此件公开发布）: 主动公开, the default
    assert todo_fields(raw) == {"index_no", "topic", "published"}
    assert "未找到：索引号（index_no）、主题分类（topic）、发布日期（published）" in r.stdout


def test_gongwen_body(tmp_path):
    (_got, _raw, body), _r = _import(tmp_path)
    lines = body.splitlines()
    assert "示例县人民政府办公室文件" not in body          # the red header
    assert "示政办发" not in body                         # the 文号 line
    assert "关于加强政务公开工作的通知" not in body         # the title is in the front matter
    assert "## 一、总体要求" in lines                     # 黑体, numbered
    assert "### （一）工作目标" in lines                   # 楷体, numbered
    assert "#### 1.明确公开主体" in lines                  # bold, numbered
    assert "##### （1）建立台账" in lines
    assert "### 保障措施" in lines                        # bold only, no numbering
    assert "- 加强组织领导\n- 强化督促检查" in body       # a list stays one list
    assert "| 县政府办 | 公开目录 | 6月底前 |" in lines     # the Word table, as Markdown
    assert re.search(r"^\|---\|---\|---\|$", body, re.M)
    assert "坚持以公开为常态" in body and "各乡镇人民政府，县政府各部门：" in lines
    assert lines[-3:] == ["示例县人民政府办公室", "", "2024年3月15日"]   # the signature stays, the 版记 goes
    assert "抄送" not in body and "印发" not in body.split("2024年3月15日")[-1]
    assert "此件公开发布" not in body


def test_disclosure_line_and_chinese_numeral_date(tmp_path):
    (got, _raw, _body), _r = _import(tmp_path, disclosure="（此件依申请公开）", date_text="二〇二四年三月五日")
    assert got["disclosure"] == "依申请公开"
    assert str(got["written"]) == "2024-03-05"


def test_signer_not_in_config_is_todo_with_its_name(tmp_path):
    (got, raw, _body), _r = _import(tmp_path, header="示例县教育局文件", signer="示例县教育局")
    assert "agency" in todo_fields(raw)
    assert re.search(r"^agency:\s*# TODO .*“示例县教育局”", raw, re.M), raw


def test_without_red_header_or_doc_no(tmp_path):
    (got, raw, body), _r = _import(tmp_path, header=None, doc_no=None, title="示例县政务公开工作要点")
    assert got["title"] == "示例县政务公开工作要点"
    assert "doc_no" in todo_fields(raw)
    assert got["agency"] == "xzfb"                      # from the signature


def test_long_document_is_read_whole(tmp_path):
    (_got, _raw, body), _r = _import(tmp_path, pages=5)
    assert body.count("第5部分第6段") == 1 and "## 五、总体要求" in body


def test_interpretation_found_by_its_title_and_linked_to_its_policy(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    policy = make_gongwen(src / "a-policy.docx")
    explained = make_gongwen(src / "b-explained.docx", header=None, doc_no=None, disclosure=None,
                             title="《示例县人民政府办公室关于加强政务公开工作的通知》政策解读")
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(src))
    assert r.returncode == 0, r.stdout + r.stderr
    policy_path = written_path(r.stdout, site, policy.name)
    got, raw, _body = front_matter(written_path(r.stdout, site, explained.name))
    assert written_path(r.stdout, site, explained.name).parent.name == "interpretations"
    assert got["interprets"] == policy_path.stem and got["form"] == "text"
    assert "interprets" not in todo_fields(raw)


def test_word_styles_are_understood_too(tmp_path):
    from docx import Document
    doc = Document()
    doc.add_heading("示例县数据开放管理办法", 0)                 # the Title style
    doc.add_heading("第一章 总则", 1)
    doc.add_paragraph("第一条 为规范数据开放，制定本办法。")
    doc.add_heading("第二节 范围", 2)
    doc.add_paragraph("列表项一", style="List Number")
    doc.add_paragraph("列表项二", style="List Number")
    doc.add_paragraph("示例县人民政府办公室")
    doc.add_paragraph("2024年5月1日")
    doc.save(str(tmp_path / "styled.docx"))
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(tmp_path / "styled.docx"))
    got, _raw, body = front_matter(written_path(r.stdout, site, "styled.docx"))
    assert got["title"] == "示例县数据开放管理办法" and str(got["written"]) == "2024-05-01"
    assert body.startswith("## 第一章 总则\n\n第一条 为规范数据开放，制定本办法。\n\n### 第二节 范围\n\n1. 列表项一\n1. 列表项二\n")
