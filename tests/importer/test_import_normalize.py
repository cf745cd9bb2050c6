"""The small rules every source kind shares: dates in every portal form, 文号 brackets, the date
under a signature, traditional characters, the metadata line layouts."""
from __future__ import annotations

from datetime import date

import pytest

from xxgk.importer.metadata import parse_lines, split_fields
from xxgk.importer.normalize import date_line, is_traditional, md_escape, normalise_doc_no, parse_date


@pytest.mark.parametrize("text", ["2024年04月06日 16:40", "2024-4-6", "2024.04.06", "2024/4/6", "2024年4月6日",
                                  "发布日期：2024-04-06 16:40:00", "二〇二四年四月六日", "20240406", "２０２４年４月６日"])
def test_dates_in_every_form(text):
    assert parse_date(text) == date(2024, 4, 6)


@pytest.mark.parametrize("text", ["2024-13-01", "2024年2月30日", "", "第2024号", "1024-01-01"])
def test_not_dates(text):
    assert parse_date(text) is None


def test_date_line_under_a_signature():
    assert date_line("2017年4月24日") == date(2017, 4, 24)
    assert date_line("  2024.04.02 ") == date(2024, 4, 2)
    assert date_line("2015618") == date(2015, 6, 18)            # a capture that lost 年月日
    assert date_line("2015111") is None                         # 1月11日 or 11月1日: not guessed
    assert date_line("2017年4月24日前完成") is None


@pytest.mark.parametrize("raw, want", [("开政办发[2016]87号", "开政办发〔2016〕87号"), ("开政办发【2016】87号", "开政办发〔2016〕87号"),
                                       ("开政办发(2016)87号", "开政办发〔2016〕87号"), ("开政办发（2016）87号", "开政办发〔2016〕87号"),
                                       ("开政办发〔2016〕87号", "开政办发〔2016〕87号"), ("示財發(2023)9號", "示財發〔2023〕9號")])
def test_doc_no_brackets(raw, want):
    assert normalise_doc_no(raw) == want


def test_traditional():
    assert is_traditional("漢臺區全面推進政務公開工作實施方案")
    assert not is_traditional("汉台区全面推进政务公开工作实施方案")
    assert not is_traditional("2024")


@pytest.mark.parametrize("line, want", [
    ("索 引 号: 主题分类: 市政府信息公开制度", [("index_no", ""), ("topic", "市政府信息公开制度")]),
    ("发文机关: 盘锦市政府 成文日期:", [("agency", "盘锦市政府"), ("written", "")]),
    ("索引号20240925-203618-472", [("index_no", "20240925-203618-472")]),
    ("- 发布机构开远市人民政府办公室", [("agency", "开远市人民政府办公室")]),
    ("文号：示财发【2024】4号　发布时间：2024年04月06日 16:40　浏览次数：38",
     [("doc_no", "示财发【2024】4号"), ("published", "2024年04月06日 16:40"), ("furniture", "38")]),
    ("索引號：11330000MB7654321Y/2023-00009", [("index_no", "11330000MB7654321Y/2023-00009")]),
])
def test_metadata_line_layouts(line, want):
    assert split_fields(line) == want


@pytest.mark.parametrize("line", ["标题党是不好的", "有效性审查工作要加强，做到应审尽审。", "来源于群众的意见"])
def test_ordinary_text_is_not_metadata(line):
    assert split_fields(line) is None


def test_labels_alone_take_the_next_line():
    found, used = parse_lines(["索引号：", "1100/2024-00001", "发布机构：", "示例县财政局", "正文第一段。"])
    assert found == {"index_no": "1100/2024-00001", "agency": "示例县财政局"} and used == {0, 1, 2, 3}


def test_markdown_escape():
    assert md_escape("<script>alert(1)</script>") == "&lt;script>alert(1)&lt;/script>"
    assert md_escape("# 不是标题") == "\\# 不是标题"
    assert md_escape("印发<关于全面推进的实施方案>的通知") == "印发<关于全面推进的实施方案>的通知"
