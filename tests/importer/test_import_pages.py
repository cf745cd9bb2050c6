"""Pages saved from legacy portals, in three layouts of the metadata block (a table with spaced
labels on a GBK page, a bulleted list plus several fields on one line, a definition list on a
traditional page): exact fields, the body kept, the furniture dropped, attachments copied."""
from __future__ import annotations

import pytest

from importing import empty_site, front_matter, run_import, todo_fields, written_path
from pagemaker import write_page

FURNITURE = ("当前位置", "首页", "互动交流", "字号", "大 中 小", "浏览次数", "分享到", "微信", "打印本页", "关闭窗口",
             "主办单位", "网站标识码", "ICP备", "公网安备", "var hits")
BODY = ("各乡镇人民政府，县政府各部门：", "## 一、公开范围", "（一）部门预算。各部门应当在批复后20日内公开部门预算。",
        "## 二、工作要求")
TITLE = "示例县财政局关于做好2024年预算公开工作的通知"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    src = root / "saved"
    (src / "P020240406.pdf").parent.mkdir(parents=True, exist_ok=True)
    (src / "P020240406.pdf").write_bytes(b"%PDF-1.4\n% test\n")
    write_page(src, "t20240406_1.html", "table", attachment="./P020240406.pdf")
    write_page(src / "2024", "t20240406_2.htm", "list", attachment="P0202404.xls")
    write_page(src, "t20231205_3.html", "dl")
    site = empty_site(root / "site")
    r = run_import(site, str(src))
    assert r.returncode == 0, r.stdout + r.stderr
    return site, r


def _entry(imported, name):
    site, r = imported
    return front_matter(written_path(r.stdout, site, name))


def test_table_layout(imported):
    got, raw, body = _entry(imported, "t20240406_1.html")
    assert {k: str(v) if k in ("written", "published") else v for k, v in got.items()} == {
        "title": TITLE, "index_no": "11330000MB7654321Y/2024-00003", "agency": "czj", "topic": "财政、金融、审计/财政",
        "doc_no": "示财发〔2024〕3号", "written": "2024-04-02", "published": "2024-04-06", "keywords": ["预算", "公开"],
        "attachments": [{"file": "files/" + written_path(imported[1].stdout, imported[0], "t20240406_1.html").stem
                         + "/P020240406.pdf", "title": "预算公开任务清单"}]}
    assert todo_fields(raw) == set()
    site = imported[0]
    assert (site / "content" / got["attachments"][0]["file"]).read_bytes() == b"%PDF-1.4\n% test\n"
    assert "附件" not in body                      # the link became the attachment


def test_list_layout_several_fields_on_a_line(imported):
    got, raw, _body = _entry(imported, "t20240406_2.htm")
    assert got["index_no"] == "11330000MB7654321Y/2024-00004"
    assert got["topic"] == "财政、金融、审计/财政"    # 信息分类：财政 — a topic name of the config
    assert got["agency"] == "czj"
    assert got["doc_no"] == "示财发〔2024〕4号"        # 【】 → 〔〕
    assert str(got["published"]) == "2024-04-06"     # 2024年04月06日 16:40
    assert str(got["written"]) == "2024-04-02"       # 2024.04.02 under the signature
    assert got["title"] == TITLE


def test_definition_list_layout_traditional_with_validity(imported):
    got, raw, body = _entry(imported, "t20231205_3.html")
    assert got["index_no"] == "11330000MB7654321Y/2023-00009"
    assert got["agency"] == "czj"                      # 示例縣財政局 matched through simplified characters
    assert got["doc_no"] == "示財發〔2023〕9號"          # kept traditional, brackets normalised
    assert str(got["written"]) == "2023-12-01" and str(got["published"]) == "2023-12-05"
    assert str(got["valid_from"]) == "2024-01-01" and str(got["valid_until"]) == "2024-12-31"
    assert got["validity"] == "expired"
    assert got["lang"] == "zh-Hant"
    assert "各鄉鎮人民政府，縣政府各部門：" in body
    assert todo_fields(raw) == {"topic"}


@pytest.mark.parametrize("name", ["t20240406_1.html", "t20240406_2.htm", "t20231205_3.html"])
def test_body_kept_and_furniture_dropped(imported, name):
    _got, _raw, body = _entry(imported, name)
    for text in BODY if name != "t20231205_3.html" else BODY[1:]:
        assert text in body.splitlines(), (name, text)
    for word in FURNITURE:
        assert word not in body, (name, word)
    assert "索引号" not in body and "索引號" not in body and "发文字号" not in body


def test_attachment_link_without_its_file_is_named(imported):
    site, r = imported
    line = next(ln for ln in r.stdout.splitlines() if "t20240406_2.htm" in ln)
    assert "附件文件不在网页旁边，未复制：P0202404.xls" in line, line
    got, _raw, _body = _entry(imported, "t20240406_2.htm")
    assert "attachments" not in got
