"""A published 2021-format annual report: its tables (rowspans, colspans, blank cells, `/`) become
`stats`, and the format's sum rules are checked so an inconsistency is reported with its row and
column — on the import's stderr, and again by `check`."""
from __future__ import annotations

import copy
import re

import yaml

from helpers import run_build
from importing import SHARED, empty_site, front_matter, run_import, written_path
from pagemaker import annual_report_html

EXAMPLE = yaml.safe_load((SHARED / "reference" / "annual_report_stats_example.yaml").read_text(encoding="utf-8"))["stats"]


def _import(tmp_path, html: str):
    src = tmp_path / "report2023.html"
    src.write_text(html, encoding="utf-8")
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(src))
    assert "Traceback" not in r.stderr
    return site, src, r


def test_tables_become_stats(tmp_path):
    site, _src, r = _import(tmp_path, annual_report_html(EXAMPLE))
    assert r.returncode == 0, r.stderr
    got, _raw, body = front_matter(written_path(r.stdout, site, "report2023.html"))
    assert got["format"] == "2021" and got["year"] == 2023
    assert got["stats"] == EXAMPLE                     # blank cells read as 0, merged numbers once
    assert "| 自然人" not in body and "行政许可" not in body   # the tables are rendered from stats, not kept
    assert "## 二、主动公开政府信息情况" in body
    assert r.stderr == ""


def test_slash_row_is_left_out_as_zeros(tmp_path):
    html = annual_report_html(EXAMPLE).replace("<tr><td>规章</td><td></td><td></td><td>3</td></tr>",
                                               "<tr><td>规章</td><td>/</td><td>/</td><td>/</td></tr>")
    assert "<td>/</td>" in html
    site, _src, r = _import(tmp_path, html)
    got, _raw, _body = front_matter(written_path(r.stdout, site, "report2023.html"))
    assert got["stats"]["active_disclosure"]["rules"] == [0, 0, 0]


def test_inconsistency_reported_with_row_and_column(tmp_path):
    stats = copy.deepcopy(EXAMPLE)
    stats["applications"]["total"][0] = 21            # 自然人 of （七）总计: the leaves add up to 20
    stats["applications"]["new"][0] = 21              # 一、本年新收: its 总计 26 no longer adds up
    site, src, r = _import(tmp_path, annual_report_html(stats))
    assert r.returncode == 0, r.stderr                # the source was read; the entry is written
    line = next(n for n, text in enumerate(src.read_text(encoding="utf-8").splitlines(), 1) if "（七）总计" in text)
    assert (f"{src}:{line}: stats.applications.total: 三、本年度办理结果（七）总计 行“自然人”列：应为 20（各项之和），实为 21"
            in r.stderr), r.stderr
    new_line = next(n for n, text in enumerate(src.read_text(encoding="utf-8").splitlines(), 1) if "本年新收" in text)
    assert (f"{src}:{new_line}: stats.applications.new: 一、本年新收政府信息公开申请数量 行“总计”列：应为 27"
            "（自然人与法人或其他组织各列之和），实为 26") in r.stderr, r.stderr
    assert "一、本年新收 + 二、上年结转 ≠ 三（七）总计 + 四、结转下年度继续办理（“自然人”列：23 ≠ 22）" in r.stderr
    assert re.search(r"统计表有 \d+ 处与年报格式的勾稽关系不符", r.stdout), r.stdout
    path = written_path(r.stdout, site, "report2023.html")
    assert front_matter(path)[0]["stats"]["applications"]["total"][0] == 21   # kept as published, not hidden
    c = run_build("check", "--site", str(site))
    assert c.returncode == 1
    assert "stats.applications.total: 三、本年度办理结果（七）总计 行“自然人”列：应为 20（各项之和），实为 21" in c.stderr


def test_word_report_tables_with_merged_cells(tmp_path):
    from docmaker import annual_report_docx
    stats = copy.deepcopy(EXAMPLE)
    src = annual_report_docx(tmp_path / "nianbao.docx", stats)
    site = empty_site(tmp_path / "site")
    r = run_import(site, str(src))
    assert r.returncode == 0, r.stdout + r.stderr
    got, _raw, body = front_matter(written_path(r.stdout, site, "nianbao.docx"))
    assert got["stats"] == EXAMPLE and got["format"] == "2021" and got["year"] == 2023
    assert str(got["written"]) == "2024-01-18" and got["agency"] == "xzfb"
    assert "## 五、存在的主要问题及改进情况" in body and "| " not in body
    assert r.stderr == ""
    stats["applications"]["withheld"]["third_party"][6] = 2      # its 总计 column no longer adds up
    src = annual_report_docx(tmp_path / "nianbao2.docx", stats)
    r = run_import(empty_site(tmp_path / "site2"), str(src))
    assert ("stats.applications.withheld.third_party: 三、本年度办理结果（三）不予公开 4.保护第三方合法权益 行“总计”列："
            "应为 1（自然人与法人或其他组织各列之和），实为 2") in r.stderr, r.stderr
