"""Annual reports in the 2021 national format: labels, sums, messages, charts, exports, samples.

The two reference files of the shared brief are embedded below verbatim (so the test runs in a
clone without them) and compared with the originals when those are present: a label in the
generator that differs from the official table by one character fails here.
"""
from __future__ import annotations

import copy
import csv
import html.parser
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from xxgk.load.yamltext import parse
from xxgk import annual2021 as R
from xxgk.annual2021 import charts, schema
from xxgk.render.environment import make_env
from xxgk.annual2021 import Problem, check_stats

REPO = Path(__file__).resolve().parents[2]
SHARED_REFERENCE = REPO.parent / "shared" / "reference"
SVG_NS = "{http://www.w3.org/2000/svg}"

REFERENCE_TABLES_YAML = """\
# 国办公开办函〔2021〕30号 《中华人民共和国政府信息公开工作年度报告格式》 — statistical tables.
# Labels cross-checked against published county and city reports in this format.
sections: [一、总体情况, 二、主动公开政府信息情况, 三、收到和处理政府信息公开申请情况, 四、政府信息公开行政复议、行政诉讼情况, 五、存在的主要问题及改进情况, 六、其他需要报告的事项]
table_2_active_disclosure:
  - block: 第二十条第（一）项
    columns: [信息内容, 本年制发件数, 本年废止件数, 现行有效件数]
    rows: [规章, 行政规范性文件]
  - block: 第二十条第（五）项
    columns: [信息内容, 本年处理决定数量]
    rows: [行政许可]
  - block: 第二十条第（六）项
    columns: [信息内容, 本年处理决定数量]
    rows: [行政处罚, 行政强制]
  - block: 第二十条第（八）项
    columns: [信息内容, 本年收费金额（单位：万元）]
    rows: [行政事业性收费]
table_3_applications:
  header_note: （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
  columns: {自然人: [], 法人或其他组织: [商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他], 总计: []}
  rows:
    - 一、本年新收政府信息公开申请数量
    - 二、上年结转政府信息公开申请数量
    - 三、本年度办理结果:
        - （一）予以公开
        - （二）部分公开（区分处理的，只计这一情形，不计其他情形）
        - （三）不予公开: [1.属于国家秘密, 2.其他法律行政法规禁止公开, 3.危及“三安全一稳定”, 4.保护第三方合法权益, 5.属于三类内部事务信息, 6.属于四类过程性信息, 7.属于行政执法案卷, 8.属于行政查询事项]
        - （四）无法提供: [1.本机关不掌握相关政府信息, 2.没有现成信息需要另行制作, 3.补正后申请内容仍不明确]
        - （五）不予处理: [1.信访举报投诉类申请, 2.重复申请, 3.要求提供公开出版物, 4.无正当理由大量反复申请, 5.要求行政机关确认或重新出具已获取信息]
        - （六）其他处理: [1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请, 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请, 3.其他]
        - （七）总计
    - 四、结转下年度继续办理
  invariants:
    - "一 + 二 == 三（七）总计 + 四, per column"
    - "（七）总计 == sum of （一）..（六） leaf rows, per column"
    - "总计 column == 自然人 + the five 法人或其他组织 sub-columns"
table_4_review_litigation:
  groups: {行政复议: [], 行政诉讼: [未经复议直接起诉, 复议后起诉]}
  columns_each: [结果维持, 结果纠正, 其他结果, 尚未审结, 总计]
"""

EXAMPLE_STATS_YAML = """\
# The shape of `stats:` in a report with `format: 2021` (see SPEC.md 3.3).
# Labels and sums come from annual_report_2021_tables.yaml beside this file.
# Numbers are counts, except `fees` (万元, may have decimals). A `total` that is left out is
# computed; a `total` that is given is checked.
stats:
  active_disclosure:                # 二、主动公开政府信息情况
    rules: [0, 0, 3]                # 规章: [本年制发件数, 本年废止件数, 现行有效件数]
    normative_documents: [12, 2, 41]  # 行政规范性文件: same columns
    licensing: 1830                 # 第二十条第（五）项 行政许可: 本年处理决定数量
    penalties: 512                  # 第二十条第（六）项 行政处罚
    enforcement: 37                 # 第二十条第（六）项 行政强制
    fees: 86.4                      # 第二十条第（八）项 行政事业性收费: 本年收费金额（万元）
  applications:                     # 三、收到和处理政府信息公开申请情况
    # every row: [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]
    new: [20, 3, 0, 1, 2, 0, 26]            # 一、本年新收
    carried_over: [2, 0, 0, 0, 0, 0, 2]     # 二、上年结转
    disclosed: [9, 1, 0, 1, 1, 0, 12]       # 三（一）予以公开
    partly_disclosed: [2, 0, 0, 0, 0, 0, 2] # 三（二）部分公开
    withheld:                               # 三（三）不予公开
      state_secret: [0, 0, 0, 0, 0, 0, 0]           # 1.属于国家秘密
      prohibited_by_law: [0, 0, 0, 0, 0, 0, 0]      # 2.其他法律行政法规禁止公开
      security_stability: [0, 0, 0, 0, 0, 0, 0]     # 3.危及“三安全一稳定”
      third_party: [1, 0, 0, 0, 0, 0, 1]            # 4.保护第三方合法权益
      internal_affairs: [0, 0, 0, 0, 0, 0, 0]       # 5.属于三类内部事务信息
      process_info: [1, 0, 0, 0, 0, 0, 1]           # 6.属于四类过程性信息
      enforcement_files: [0, 0, 0, 0, 0, 0, 0]      # 7.属于行政执法案卷
      inquiry: [0, 0, 0, 0, 0, 0, 0]                # 8.属于行政查询事项
    cannot_provide:                         # 三（四）无法提供
      not_held: [4, 1, 0, 0, 1, 0, 6]               # 1.本机关不掌握相关政府信息
      needs_creation: [1, 0, 0, 0, 0, 0, 1]         # 2.没有现成信息需要另行制作
      unclear: [0, 0, 0, 0, 0, 0, 0]                # 3.补正后申请内容仍不明确
    not_processed:                          # 三（五）不予处理
      complaints: [1, 0, 0, 0, 0, 0, 1]             # 1.信访举报投诉类申请
      duplicate: [0, 0, 0, 0, 0, 0, 0]              # 2.重复申请
      publications: [0, 0, 0, 0, 0, 0, 0]           # 3.要求提供公开出版物
      excessive: [0, 0, 0, 0, 0, 0, 0]              # 4.无正当理由大量反复申请
      confirmation: [0, 0, 0, 0, 0, 0, 0]           # 5.要求行政机关确认或重新出具已获取信息
    other:                                  # 三（六）其他处理
      no_correction: [1, 0, 0, 0, 0, 0, 1]          # 1.逾期不补正
      unpaid_fee: [0, 0, 0, 0, 0, 0, 0]             # 2.逾期未缴纳费用
      other: [0, 0, 0, 0, 0, 0, 0]                  # 3.其他
    total: [20, 2, 0, 1, 2, 0, 25]          # 三（七）总计
    carried_forward: [2, 1, 0, 0, 0, 0, 3]  # 四、结转下年度继续办理
  review_litigation:                # 四、行政复议、行政诉讼情况
    # every row: [结果维持, 结果纠正, 其他结果, 尚未审结, 总计]
    review: [2, 1, 0, 0, 3]                 # 行政复议
    litigation_direct: [1, 0, 0, 1, 2]      # 行政诉讼 未经复议直接起诉
    litigation_after_review: [0, 0, 0, 0, 0]  # 行政诉讼 复议后起诉
"""


# -- helpers ---------------------------------------------------------------------------------------
def example_stats() -> dict:
    return yaml.safe_load(EXAMPLE_STATS_YAML)["stats"]


def check_text(text: str) -> tuple[dict | None, list[Problem]]:
    """Check the stats of a YAML text the way the build does: with real line numbers."""
    data, line_of = parse(text)
    return check_stats(data["stats"], line_of)


def messages(text: str) -> list[str]:
    return [p.message for p in check_text(text)[1]]


def edit(old: str, new: str, text: str = EXAMPLE_STATS_YAML) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_with(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def labels_of(node) -> list[str]:
    """Every string of a nested structure of lists and mappings (mapping keys included)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for v in node for s in labels_of(v)]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in [k, *labels_of(v)]]
    return []


class Cells(html.parser.HTMLParser):
    """Tables of an HTML fragment: each a dict with caption and rows of cells (tag, attrs, text)."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.cell: dict | None = None
        self.caption: list[str] | None = None
        self.section = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": None, "rows": [], "attrs": a, "head_rows": 0, "colgroups": []})
        elif tag == "caption":
            self.caption = []
        elif tag == "colgroup":
            self.tables[-1]["colgroups"].append(int(a.get("span", 1)))
        elif tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
            if self.section == "thead":
                self.tables[-1]["head_rows"] += 1
        elif tag in ("th", "td"):
            self.cell = {"tag": tag, "attrs": a, "text": ""}
            self.tables[-1]["rows"][-1].append(self.cell)

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.cell = None
        elif tag == "caption":
            self.tables[-1]["caption"] = "".join(self.caption)
            self.caption = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
        if self.caption is not None:
            self.caption.append(data)


def tables_in(fragment: str) -> list[dict]:
    p = Cells()
    p.feed(fragment)
    p.close()
    return p.tables


def grid_width(table: dict) -> list[int]:
    """The number of columns each row occupies, counting cells spanning down from rows above."""
    pending: dict[int, int] = {}      # column -> rows still covered by a rowspan from above
    widths = []
    for row in table["rows"]:
        col, cells = 0, list(row)
        covered = {c for c, n in pending.items() if n > 0}
        while cells or col in covered:
            if col in covered:
                col += 1
                continue
            c = cells.pop(0)
            span, down = int(c["attrs"].get("colspan", 1)), int(c["attrs"].get("rowspan", 1))
            for k in range(col, col + span):
                if down > 1:
                    pending[k] = down
            col += span
        widths.append(col)
        pending = {c: n - 1 for c, n in pending.items() if n - 1 > 0}
    return widths


@pytest.fixture(scope="module")
def env():
    return make_env(REPO)


@pytest.fixture(scope="module")
def normalised():
    out, problems = check_stats(example_stats(), lambda path: 1)
    assert problems == []
    return out


# -- the reference files ---------------------------------------------------------------------------
@pytest.mark.parametrize("name,text", [("annual_report_2021_tables.yaml", REFERENCE_TABLES_YAML),
                                       ("annual_report_stats_example.yaml", EXAMPLE_STATS_YAML)])
def test_embedded_reference_matches_the_shared_file(name, text):
    original = SHARED_REFERENCE / name
    if not original.is_file():
        pytest.skip(f"{original} is not present in this checkout (the embedded copy is used)")
    assert original.read_text(encoding="utf-8") == text


def test_generator_labels_equal_the_reference():
    """The generator's own copy of the labels (REFERENCE), parsed from the official file here."""
    reference = yaml.safe_load(REFERENCE_TABLES_YAML)
    mine = copy.deepcopy(schema.REFERENCE)
    reference["table_3_applications"].pop("invariants")
    assert mine == reference


def test_reference_example_passes_with_no_problems():
    out, problems = check_text(EXAMPLE_STATS_YAML)
    assert problems == []
    assert out == example_stats()          # complete already: normalising changes nothing
    assert list(out) == ["active_disclosure", "applications", "review_litigation"]


def test_generator_never_reads_the_shared_folder():
    for module in Path(R.__file__).parent.glob("*.py"):
        src = module.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])open\(|\.read_text\(|\.read_bytes\(|^import yaml|^from pathlib", src, re.M)


# -- the tables ------------------------------------------------------------------------------------
def test_every_reference_label_is_rendered_exactly(env, normalised):
    reference = yaml.safe_load(REFERENCE_TABLES_YAML)
    tables = R.render_tables(env, normalised)
    assert list(tables) == ["二", "三", "四"]
    cells = {t: {c["text"] for tb in tables_in(h) for row in tb["rows"] for c in row}
             | {tb["caption"] for tb in tables_in(h)} for t, h in tables.items()}
    t2 = reference["table_2_active_disclosure"]
    expected = {
        "二": [reference["sections"][1], *(lab for b in t2 for lab in [b["block"], *b["columns"], *b["rows"]])],
        "三": [reference["sections"][2], reference["table_3_applications"]["header_note"],
              *labels_of(reference["table_3_applications"]["columns"]),
              *labels_of(reference["table_3_applications"]["rows"])],
        "四": [reference["sections"][3], *labels_of(reference["table_4_review_litigation"]["groups"]),
              *reference["table_4_review_litigation"]["columns_each"]],
    }
    for part, labels in expected.items():
        missing = [lab for lab in labels if lab not in cells[part]]
        assert not missing, f"table {part}: labels not rendered as a cell or caption: {missing}"


def test_tables_are_accessible_and_rectangular(env, normalised):
    tables = R.render_tables(env, normalised, report_id="r-2022")
    widths = {"二": 4, "三": 10, "四": 15}
    for part, fragment in tables.items():
        assert fragment == R.render_tables(env, normalised, report_id="r-2022")[part]   # deterministic
        (table,) = tables_in(fragment)
        assert table["caption"] == schema.SECTION_OF_PART[part]
        assert set(grid_width(table)) == {widths[part]}, (part, grid_width(table))
        if table["colgroups"]:
            assert sum(table["colgroups"]) == widths[part]
        ids = {c["attrs"]["id"] for row in table["rows"] for c in row if "id" in c["attrs"]}
        assert all(i.startswith(f"r-2022-t{'234'['二三四'.index(part)]}") for i in ids)
        for row in table["rows"]:
            for c in row:
                if c["tag"] == "th":
                    assert c["attrs"].get("scope") in ("col", "colgroup", "row", "rowgroup"), c
                elif c["attrs"].get("class") == "num":
                    assert re.fullmatch(r"\d+(\.\d+)?", c["text"]), c
                    refs = c["attrs"]["headers"].split()
                    assert refs and set(refs) <= ids, c
                else:
                    assert c["text"] == schema.HEADER_NOTE
    (t3,) = tables_in(tables["三"])
    assert re.search(r'<thead>.*申请人情况.*</thead>', tables["三"], re.S)
    assert re.search(r'<th[^>]*rowspan="22"[^>]*>三、本年度办理结果</th>', tables["三"])
    assert re.search(r'<th[^>]*rowspan="8"[^>]*>（三）不予公开</th>', tables["三"])
    assert re.search(r'<th[^>]*colspan="5"[^>]*>法人或其他组织</th>', tables["三"])
    assert re.search(r'<th[^>]*colspan="10"[^>]*>行政诉讼</th>', tables["四"])


def test_table_values_in_order(env, normalised):
    (t3,) = tables_in(R.render_tables(env, normalised)["三"])
    body = t3["rows"][t3["head_rows"]:]
    values = [[c["text"] for c in row if c["attrs"].get("class") == "num"] for row in body]
    assert values[0] == ["20", "3", "0", "1", "2", "0", "26"]            # 一、本年新收
    assert values[-2] == ["20", "2", "0", "1", "2", "0", "25"]           # （七）总计
    assert values[-1] == ["2", "1", "0", "0", "0", "0", "3"]             # 四、结转
    assert len(values) == 2 + 22 + 1
    (t4,) = tables_in(R.render_tables(env, normalised)["四"])
    assert [c["text"] for c in t4["rows"][-1]] == "2 1 0 0 3 1 0 0 1 2 0 0 0 0 0".split()
    (t2,) = tables_in(R.render_tables(env, normalised)["二"])
    texts = [[c["text"] for c in row] for row in t2["rows"]]
    assert ["行政规范性文件", "12", "2", "41"] in texts
    assert ["行政事业性收费", "86.4"] in texts


def test_template_documents_its_parameters():
    head = (REPO / "templates" / "components" / "annual_report_tables.html").read_text(encoding="utf-8")
    assert head.startswith("{#- Component: annual_report_tables.")
    assert "Params:" in head.split("-#}", 1)[0]


BODY = ('<p>导语</p>\n<h2 id="a">一、总体情况</h2>\n<p>一</p>\n<h2 id="b">二、主动公开政府信息情况</h2>\n<p>二</p>\n'
        '<h3>小标题</h3>\n<p>二续</p>\n<h2 id="c">三、收到和处理政府信息公开申请情况</h2>\n<p>三</p>\n'
        '<h2 id="d">四、政府信息公开行政复议、行政诉讼情况</h2>\n<p>四</p>\n<h2 id="e">五、存在的主要问题及改进情况</h2>\n<p>五</p>\n')
TABLES = {"二": "<table>T2</table>", "三": "<table>T3</table>", "四": "<table>T4</table>"}


def test_insert_tables_at_the_end_of_their_sections():
    out = R.insert_tables(BODY, TABLES)
    order = re.findall(r"<h2[^>]*>(.)、|<p>([^<]+)</p>|<table>(T\d)</table>", out)
    flat = [a or b or c for a, b, c in order]
    assert flat == ["导语", "一", "一", "二", "二", "二续", "T2", "三", "三", "T3", "四", "四", "T4", "五", "五"]


def test_insert_tables_without_headings_appends_in_order_before_footnotes():
    body = '<p>正文</p>\n<h2>二、主动公开政府信息情况</h2>\n<p>二</p>\n<div class="footnote"><ol><li>注</li></ol></div>\n'
    out = R.insert_tables(body, TABLES)
    assert out.index("<p>二</p>") < out.index("T2") < out.index("T3") < out.index("T4") < out.index('class="footnote"')
    plain = R.insert_tables("<p>没有小标题</p>", TABLES)
    assert plain.index("T2") < plain.index("T3") < plain.index("T4")
    assert plain.startswith("<p>没有小标题</p>")


def test_insert_tables_reads_heading_text_inside_markup():
    body = '<h2 id="x"><a class="anchor" href="#x">¶</a> 三、收到和处理政府信息公开申请情况</h2><p>三</p><h2>四、其他</h2>'
    out = R.insert_tables(body, {"三": "<table>T3</table>"})
    assert out.index("<p>三</p>") < out.index("T3") < out.index("<h2>四")


# -- sums and messages -----------------------------------------------------------------------------
def test_row_total_column_must_be_the_sum_of_the_applicant_columns():
    text = edit("new: [20, 3, 0, 1, 2, 0, 26]", "new: [20, 3, 0, 1, 2, 0, 27]")
    out, problems = check_text(text)
    assert out is None
    assert [(p.line, p.field, p.message) for p in problems] == [
        (line_with(text, "new: [20"), "stats.applications.new",
         "一、本年新收政府信息公开申请数量 行“总计”列：应为 26（自然人与法人或其他组织各列之和），实为 27")]


def test_leaf_row_total_column():
    text = edit("not_held: [4, 1, 0, 0, 1, 0, 6]", "not_held: [4, 1, 0, 0, 1, 0, 5]")
    assert messages(text) == ["三、本年度办理结果（四）无法提供 1.本机关不掌握相关政府信息 行“总计”列："
                              "应为 6（自然人与法人或其他组织各列之和），实为 5"]


def test_grand_total_must_be_the_sum_of_its_rows():
    text = edit("total: [20, 2, 0, 1, 2, 0, 25]", "total: [20, 2, 0, 1, 2, 0, 24]")
    out, problems = check_text(text)
    assert out is None
    assert [(p.line, p.field, p.message) for p in problems] == [
        (line_with(text, "total: [20"), "stats.applications.total",
         "三、本年度办理结果（七）总计 行“总计”列：应为 25（各项之和），实为 24")]


def test_grand_total_per_column():
    text = edit("total: [20, 2, 0, 1, 2, 0, 25]", "total: [19, 2, 0, 1, 2, 0, 24]")
    assert messages(text) == ["三、本年度办理结果（七）总计 行“自然人”列：应为 20（各项之和），实为 19",
                              "三、本年度办理结果（七）总计 行“总计”列：应为 25（各项之和），实为 24"]
    text = edit("total: [20, 2, 0, 1, 2, 0, 25]", "total: [20, 2, 0, 1, 2, 1]")   # 总计 left out
    assert messages(text) == ["三、本年度办理结果（七）总计 行“其他（法人或其他组织）”列：应为 0（各项之和），实为 1"]


def test_a_wrong_leaf_row_shows_in_the_grand_total():
    text = edit("disclosed: [9, 1, 0, 1, 1, 0, 12]", "disclosed: [8, 1, 0, 1, 1, 0, 11]")
    assert messages(text) == ["三、本年度办理结果（七）总计 行“自然人”列：应为 19（各项之和），实为 20",
                              "三、本年度办理结果（七）总计 行“总计”列：应为 24（各项之和），实为 25",
                              "一、本年新收 + 二、上年结转 ≠ 三（七）总计 + 四、结转下年度继续办理（“自然人”列：22 ≠ 21）",
                              "一、本年新收 + 二、上年结转 ≠ 三（七）总计 + 四、结转下年度继续办理（“总计”列：28 ≠ 27）"]


def test_new_plus_carried_over_equals_handled_plus_carried_forward():
    text = edit("carried_forward: [2, 1, 0, 0, 0, 0, 3]", "carried_forward: [1, 1, 0, 0, 0, 0, 2]")
    out, problems = check_text(text)
    assert out is None
    assert [(p.field, p.message) for p in problems] == [
        ("stats.applications", "一、本年新收 + 二、上年结转 ≠ 三（七）总计 + 四、结转下年度继续办理（“自然人”列：22 ≠ 21）"),
        ("stats.applications", "一、本年新收 + 二、上年结转 ≠ 三（七）总计 + 四、结转下年度继续办理（“总计”列：28 ≠ 27）")]
    assert {p.line for p in problems} == {line_with(text, "applications:")}


def test_review_and_litigation_totals():
    text = edit("review: [2, 1, 0, 0, 3]", "review: [2, 1, 0, 0, 4]")
    text = edit("litigation_after_review: [0, 0, 0, 0, 0]", "litigation_after_review: [0, 0, 1, 0, 0]", text)
    out, problems = check_text(text)
    assert out is None
    assert [(p.line, p.field, p.message) for p in problems] == [
        (line_with(text, "review: [2"), "stats.review_litigation.review",
         "行政复议 行“总计”列：应为 3（结果维持、结果纠正、其他结果、尚未审结之和），实为 4"),
        (line_with(text, "litigation_after_review"), "stats.review_litigation.litigation_after_review",
         "行政诉讼 复议后起诉 行“总计”列：应为 1（结果维持、结果纠正、其他结果、尚未审结之和），实为 0")]


def test_totals_left_out_are_computed(normalised):
    stats = example_stats()
    app = stats["applications"]
    del app["total"]
    for key, value in app.items():
        if isinstance(value, dict):
            for leaf in value:
                value[leaf] = value[leaf][:6]
        else:
            app[key] = value[:6]
    for key in stats["review_litigation"]:
        stats["review_litigation"][key] = stats["review_litigation"][key][:4]
    out, problems = check_stats(stats, lambda path: 1)
    assert problems == []
    assert out == normalised
    assert json.dumps(out, ensure_ascii=False) == json.dumps(normalised, ensure_ascii=False)   # same key order
    stats["applications"]["total"] = None            # `total:` with nothing after it: computed too
    assert check_stats(stats, lambda path: 1)[0] == normalised


def test_normalising_is_idempotent(normalised):
    assert check_stats(copy.deepcopy(normalised), lambda path: 1) == (normalised, [])
    assert R.normalise(normalised) == normalised


# -- values, rows, keys ----------------------------------------------------------------------------
@pytest.mark.parametrize("value,shown", [("-1", "-1"), ("2.5", "2.5"), ("true", "真假值 true"), ("'3'", "文字“3”"),
                                         ("null", "空值"), ("[1]", "列表")])
def test_counts_are_non_negative_integers(value, shown):
    text = edit("new: [20, 3", f"new: [{value}, 3")
    out, problems = check_text(text)
    assert out is None
    assert [(p.line, p.field, p.message) for p in problems] == [
        (line_with(text, "new: ["), "stats.applications.new", f"“自然人”列的值必须是非负整数，实为 {shown}")]


def test_scalar_counts_and_fees():
    assert messages(edit("licensing: 1830", "licensing: -3")) == ["行政许可“本年处理决定数量”的值必须是非负整数，实为 -3"]
    assert messages(edit("penalties: 512", "penalties: 5.5")) == ["行政处罚“本年处理决定数量”的值必须是非负整数，实为 5.5"]
    assert messages(edit("fees: 86.4", "fees: -0.5")) == [
        "行政事业性收费“本年收费金额（单位：万元）”的值必须是非负数（可以有小数），实为 -0.5"]
    assert messages(edit("fees: 86.4", "fees: true")) == [
        "行政事业性收费“本年收费金额（单位：万元）”的值必须是非负数（可以有小数），实为 真假值 true"]
    assert messages(edit("fees: 86.4", "fees: .nan")) == [
        "行政事业性收费“本年收费金额（单位：万元）”的值必须是非负数（可以有小数），实为 数字 nan"]
    for ok in ("0", "12", "0.05", "1234.5"):
        out, problems = check_text(edit("fees: 86.4", f"fees: {ok}"))
        assert problems == [] and out["active_disclosure"]["fees"] == yaml.safe_load(ok)
    assert messages(edit("rules: [0, 0, 3]", "rules: [0, -1, 3]")) == ["“本年废止件数”列的值必须是非负整数，实为 -1"]


def test_row_lengths():
    assert messages(edit("new: [20, 3, 0, 1, 2, 0, 26]", "new: [20, 3, 0, 1, 2]")) == [
        "一、本年新收政府信息公开申请数量 应有 7 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计；"
        "总计可省略），实有 5 个"]
    assert messages(edit("review: [2, 1, 0, 0, 3]", "review: [2, 1, 0]")) == [
        "行政复议 应有 5 个数（结果维持、结果纠正、其他结果、尚未审结、总计；总计可省略），实有 3 个"]
    assert messages(edit("rules: [0, 0, 3]", "rules: [0, 3]")) == [
        "规章 应有 3 个数（本年制发件数、本年废止件数、现行有效件数），实有 2 个"]
    assert messages(edit("new: [20, 3, 0, 1, 2, 0, 26]", "new: 26")) == [
        "一、本年新收政府信息公开申请数量 应为 7 个数的列表（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计；"
        "总计可省略），实为 26"]


def test_missing_rows():
    text = edit("      third_party: [1, 0, 0, 0, 0, 0, 1]            # 4.保护第三方合法权益\n", "")
    out, problems = check_text(text)
    assert out is None
    assert [(p.line, p.field, p.message) for p in problems] == [
        (line_with(text, "withheld:"), "stats.applications.withheld", "缺少行 withheld.third_party（4.保护第三方合法权益）")]
    text = edit("    carried_over: [2, 0, 0, 0, 0, 0, 2]     # 二、上年结转\n", "")
    assert messages(text) == ["缺少行 carried_over（二、上年结转政府信息公开申请数量）"]
    text = edit("    litigation_direct: [1, 0, 0, 1, 2]      # 行政诉讼 未经复议直接起诉\n", "")
    assert messages(text) == ["缺少行 litigation_direct（行政诉讼 未经复议直接起诉）"]
    text = edit("    fees: 86.4                      # 第二十条第（八）项 行政事业性收费: 本年收费金额（万元）\n", "")
    assert messages(text) == ["缺少行 fees（行政事业性收费）"]
    stats = example_stats()
    del stats["applications"]["other"]
    assert [p.message for p in check_stats(stats, lambda p: 1)[1]] == [
        "缺少 other（（六）其他处理，含 no_correction、unpaid_fee、other）"]
    stats = example_stats()
    del stats["review_litigation"]
    assert [p.message for p in check_stats(stats, lambda p: 1)[1]] == [
        "缺少 review_litigation（四、政府信息公开行政复议、行政诉讼情况）"]


def test_unknown_keys_have_a_suggestion():
    text = edit("      third_party: [1", "      third_prty: [1")
    out, problems = check_text(text)
    assert out is None
    assert [(p.line, p.field, p.message) for p in problems] == [
        (line_with(text, "third_prty"), "stats.applications.withheld.third_prty",
         "未知项“withheld.third_prty”，是否想写“third_party”？"),
        (line_with(text, "withheld:"), "stats.applications.withheld", "缺少行 withheld.third_party（4.保护第三方合法权益）")]
    assert messages(edit("  applications:", "  applicatons:"))[0] == "未知项“applicatons”，是否想写“applications”？"
    assert messages(edit("    disclosed: [9", "    予以公开: [9"))[0] == "未知项“予以公开”，“予以公开”应写作“disclosed”"
    assert messages(edit("    licensing: 1830", "    licensing: 1830\n    备注: 无"))[0] == (
        "未知项“备注”（可写：rules、normative_documents、licensing、penalties、enforcement、fees）")


@pytest.mark.parametrize("stats,message", [
    ([1, 2], "stats 应为键值表（active_disclosure、applications、review_litigation），实为列表"),
    ("见附件", "stats 应为键值表（active_disclosure、applications、review_litigation），实为文字"),
    (None, "stats 应为键值表（active_disclosure、applications、review_litigation），实为空值"),
])
def test_stats_of_the_wrong_type(stats, message):
    assert check_stats(stats, lambda p: 7) == (None, [Problem(7, "stats", message)])


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))


def test_any_value_anywhere_gives_problems_not_exceptions():
    garbage = (None, "x", -1, 1.5, True, [1] * 9, {"x": 1}, float("inf"))
    base = example_stats()
    for path in list(_paths(base))[1:]:
        for g in garbage:
            stats = copy.deepcopy(base)
            target = stats
            for p in path[:-1]:
                target = target[p]
            target[path[-1]] = g
            seen = []
            out, problems = check_stats(stats, lambda p: seen.append(p) or 3)
            assert (out is None) == bool(problems), (path, g)
            assert all(isinstance(p, Problem) and p.line == 3 and p.field.startswith("stats") for p in problems)
            assert all(s[0] == "stats" for s in seen)


# -- charts ---------------------------------------------------------------------------------------
def contrast_with_white(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


def check_figure(fragment: str, ident: str) -> ET.Element:
    """One chart: figure > svg(role=img, labelled by its title and desc) + figcaption, then its table."""
    assert fragment.startswith(f'<div class="chart" id="{ident}">')
    svg_text = re.search(r"<svg.*?</svg>", fragment, re.S).group(0)
    svg = ET.fromstring(svg_text)                         # well-formed XML
    assert svg.tag == SVG_NS + "svg" and svg.get("role") == "img"
    title, desc = svg.find(SVG_NS + "title"), svg.find(SVG_NS + "desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.get("id") == f"{ident}-title" and desc.get("id") == f"{ident}-desc"
    # the drawing keeps its size in a keyboard-scrollable box (labels stay legible on a phone)
    assert re.search(r"<div class=\"chart-scroll\" role=\"region\" aria-labelledby=\"" + ident
                     + r"-caption\" tabindex=\"0\">\s*<svg", fragment)
    assert re.search(r"</svg>\s*</div>\s*<figcaption id=\"" + ident + r"-caption\">[^<]+</figcaption>\s*</figure>\s*"
                     r"<div class=\"table-scroll\"", fragment)
    (table,) = tables_in(fragment[fragment.index("</figure>"):])
    assert table["caption"]
    assert all(c["attrs"].get("scope") in ("col", "row") for row in table["rows"] for c in row if c["tag"] == "th")
    assert "<script" not in fragment
    for colour in re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg_text):
        if colour != charts.GRID:                              # grid lines are decoration
            assert contrast_with_white(colour) >= 3, colour
    return svg


def test_report_chart(normalised):
    out = R.report_chart_svg("sample-2022", normalised)
    svg = check_figure(out, "sample-2022-chart-results")
    assert out == R.report_chart_svg("sample-2022", copy.deepcopy(normalised))      # deterministic
    assert svg.find(SVG_NS + "desc").text == ("横向条形图，共办理 25 件：予以公开 12 件，部分公开 2 件，不予公开 2 件，"
                                              "无法提供 7 件，不予处理 1 件，其他处理 1 件。")
    labels = [t.text for t in svg.iter(SVG_NS + "text")]
    for label in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"):
        assert label in labels
    assert len(list(svg.iter(SVG_NS + "rect"))) == 6
    (table,) = tables_in(out)
    assert [[c["text"] for c in row] for row in table["rows"]][1:3] == [["予以公开", "12", "48.0%"],
                                                                         ["部分公开", "2", "8.0%"]]


def test_report_chart_with_no_applications(normalised):
    stats = copy.deepcopy(normalised)
    for key, value in stats["applications"].items():
        if isinstance(value, dict):
            for leaf in value:
                value[leaf] = [0] * 7
        else:
            stats["applications"][key] = [0] * 7
    check_figure(R.report_chart_svg("empty", stats), "empty-chart-results")


def test_trend_charts(normalised):
    later = copy.deepcopy(normalised)
    later["applications"]["carried_over"] = later["applications"]["carried_forward"]
    later["applications"]["new"] = [19, 1, 0, 1, 2, 0, 23]        # 一 + 二 = 三（七） + 四 still holds
    later["applications"]["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    assert check_stats(later, lambda p: 1)[1] == []
    series = [
        {"agency": "示例县人民政府", "year": 2023, "report_id": "xzf-2023", "stats": later},
        {"agency": "示例县人民政府", "year": 2022, "report_id": "xzf-2022", "stats": normalised},
        {"agency": "示例县财政局", "year": 2021, "report_id": "czj-2021", "stats": normalised},
        {"agency": "示例县财政局", "year": 2023, "report_id": "czj-2023", "stats": normalised},
    ]
    out = R.trend_charts_svg(series)
    assert out == R.trend_charts_svg(list(reversed(series)))       # input order does not matter
    parts = re.findall(r'<div class="chart" id="[^"]+">.*?</table>\n</div>\n</div>\n', out, re.S)
    assert "".join(parts) == out and len(parts) == 4
    idents = ["trend-new", "trend-share", "trend-review", "trend-litigation"]
    for part, ident in zip(parts, idents):
        svg = check_figure(part, ident)
        texts = [t.text for t in svg.iter(SVG_NS + "text")]
        assert "示例县人民政府" in texts and "示例县财政局" in texts          # direct labels
        assert {"2021", "2022", "2023"} <= set(texts)
        lines = list(svg.iter(SVG_NS + "polyline"))
        # 人民政府: 2022–2023 one line; 财政局: 2021 and 2023 with no 2022 report, so no line
        assert len(lines) == 1 and lines[0].get("stroke-dasharray") is None
        assert len(list(svg.iter(SVG_NS + "circle"))) == 3 and len(list(svg.iter(SVG_NS + "rect"))) == 3
    (new_table,) = tables_in(parts[0])
    assert [[c["text"] for c in row] for row in new_table["rows"]] == [
        ["年度", "示例县人民政府", "示例县财政局"], ["2021", "—", "26"], ["2022", "26", "—"], ["2023", "23", "26"]]
    (share_table,) = tables_in(parts[1])
    assert [c["text"] for c in share_table["rows"][2]] == ["2022", "48.0%", "—"]
    assert R.trend_charts_svg([]) == ""


def test_trend_series_told_apart_without_colour(normalised):
    series = [{"agency": f"机构{n}", "year": y, "report_id": f"a{n}-{y}", "stats": normalised}
              for n in range(4) for y in (2022, 2023)]
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", R.trend_charts_svg(series), re.S).group(0))
    dashes = [p.get("stroke-dasharray") for p in svg.iter(SVG_NS + "polyline")]
    assert len(set(dashes)) == 4
    shapes = {el.tag for el in svg if el.tag != SVG_NS + "text"} - {SVG_NS + "line", SVG_NS + "polyline",
                                                                     SVG_NS + "title", SVG_NS + "desc"}
    assert {SVG_NS + "circle", SVG_NS + "rect", SVG_NS + "polygon"} <= shapes
    for colour in charts.COLOURS:
        assert contrast_with_white(colour) >= 3, colour


# -- exports -------------------------------------------------------------------------------------------
META = {"id": "sample-2022", "title": "示例县人民政府2022年政府信息公开工作年度报告", "agency": "示例县人民政府",
        "year": 2022, "published": "2023-01-20"}


def test_json_export(normalised):
    text = R.export_json(META, normalised)
    assert text.endswith("}\n") and "\n \"report\": {" in text and "示例县" in text      # indent 1, not escaped
    doc = json.loads(text)
    assert list(doc) == ["report", "format", "stats", "labels"]
    assert doc["report"] == META and doc["stats"] == normalised
    assert list(doc["stats"]["applications"]) == list(example_stats()["applications"])
    assert doc["labels"]["rows"]["applications.withheld.third_party"] == "三、本年度办理结果（三）不予公开 4.保护第三方合法权益"
    assert text == R.export_json(dict(META), copy.deepcopy(normalised))


def test_csv_export_round_trip(normalised):
    raw = R.export_csv(META, normalised).encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == raw.count(b"\n") == 1 + len(list(R.iter_figures(normalised)))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["report_id", "agency", "year", "table", "row", "column", "value"]
    assert ["sample-2022", "示例县人民政府", "2022", "三、收到和处理政府信息公开申请情况", "三、本年度办理结果 / （七）总计",
            "总计", "25"] in rows
    assert ["sample-2022", "示例县人民政府", "2022", "二、主动公开政府信息情况", "第二十条第（八）项 / 行政事业性收费",
            "本年收费金额（单位：万元）", "86.4"] in rows
    assert ["sample-2022", "示例县人民政府", "2022", "四、政府信息公开行政复议、行政诉讼情况", "行政诉讼 / 未经复议直接起诉",
            "尚未审结", "1"] in rows
    assert R.parse_figures_csv(raw.decode("utf-8")) == {"sample-2022": normalised}


def test_figures_csv_holds_every_report(normalised):
    other = copy.deepcopy(normalised)
    other["active_disclosure"]["fees"] = 0.05
    reports = [{"report_id": "b-2023", "agency": ["示例县财政局", "示例县人民政府"], "year": 2023, "stats": other},
               {"report_id": "a-2022", "agency": "示例县人民政府", "year": 2022, "stats": normalised}]
    text = R.figures_csv(reports)
    assert text == R.figures_csv(list(reversed(reports)))
    assert text.count("\r\n") == 1 + 2 * len(list(R.iter_figures(normalised)))
    assert "示例县财政局;示例县人民政府,2023" in text and ",0.05\r\n" in text
    assert R.parse_figures_csv(text) == {"a-2022": normalised, "b-2023": other}


def test_number_formatting():
    assert [R.fmt(v) for v in (0, 12, 86.4, 100.0, 0.00001, 1234567.25)] == ["0", "12", "86.4", "100", "0.00001",
                                                                              "1234567.25"]


# -- the sample reports ---------------------------------------------------------------------------------
SAMPLES = [REPO / "content" / "reports" / f"sample-county-{y}-annual-report.md" for y in (2022, 2023)]
ALLOWED = {"title", "index_no", "agency", "doc_no", "written", "published", "keywords", "summary", "lang", "year",
           "format", "stats"}


def load_sample(path: Path) -> tuple[dict, str, dict]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    data, line_of = parse(front, 2)
    out, problems = check_stats(data["stats"], line_of)
    assert problems == [], [f"{path.name}:{p.line}: {p.field}: {p.message}" for p in problems]
    return data, body, out


def test_sample_reports_are_consistent():
    (d22, b22, s22), (d23, b23, s23) = (load_sample(p) for p in SAMPLES)
    for data, year in ((d22, 2022), (d23, 2023)):
        assert set(data) <= ALLOWED
        assert data["format"] == 2021 and data["year"] == year
        assert data["title"] == f"示例县人民政府{year}年政府信息公开工作年度报告"
    assert (d22["published"], d23["published"]) == ("2023-01-20", "2024-01-22")
    assert s23["applications"]["carried_over"] == s22["applications"]["carried_forward"]
    sections = yaml.safe_load(REFERENCE_TABLES_YAML)["sections"]
    for body in (b22, b23):
        assert re.findall(r"^## (.+)$", body, re.M) == sections
        parts = re.split(r"^## .+$", body, flags=re.M)
        assert "示例数据" in parts[1] and "示例数据" in parts[6]


def test_sample_reports_render(env):
    series = []
    for path in SAMPLES:
        data, _body, stats = load_sample(path)
        rid = path.stem
        assert set(R.render_tables(env, stats, rid)) == {"二", "三", "四"}
        check_figure(R.report_chart_svg(rid, stats), f"{rid}-chart-results")
        series.append({"agency": "示例县人民政府", "year": data["year"], "report_id": rid, "stats": stats})
    assert R.parse_figures_csv(R.figures_csv(series)) == {s["report_id"]: s["stats"] for s in series}
