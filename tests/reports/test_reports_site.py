"""Annual reports in a built site: tables on the page, the numbers as JSON/CSV, the reports index."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import REPO, run_build  # noqa: E402

from xxgk.load.source import split_front_matter  # noqa: E402
from xxgk.diagnostics import Diagnostics  # noqa: E402
from xxgk import annual2021  # noqa: E402
import yaml  # noqa: E402

REPORTS = ("sample-county-2022-annual-report", "sample-county-2023-annual-report")


def source_stats(rid: str) -> dict:
    text = (REPO / "content" / "reports" / f"{rid}.md").read_text(encoding="utf-8")
    fm, _body, _line = split_front_matter(text, rid, Diagnostics())
    return annual2021.normalise(yaml.safe_load(fm)["stats"])


def test_exports_round_trip_to_the_source_numbers(sample_output):
    figures = annual2021.parse_figures_csv((sample_output / "reports/figures.csv").read_text(encoding="utf-8"))
    for rid in REPORTS:
        want = source_stats(rid)
        doc = json.loads((sample_output / f"reports/{rid}.json").read_text(encoding="utf-8"))
        assert doc["stats"] == want
        assert doc["report"]["agency"] == ["示例县人民政府办公室"]
        one = annual2021.parse_figures_csv((sample_output / f"reports/{rid}.csv").read_text(encoding="utf-8"))
        assert one[rid] == want and figures[rid] == want


def test_report_page_has_the_tables_and_chart(sample_output):
    html = (sample_output / f"reports/{REPORTS[1]}.html").read_text(encoding="utf-8")
    for label in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "（七）总计", "行政复议"):
        assert label in html
    assert html.index("<svg") > html.index("（七）总计")  # the chart follows the table it is drawn from


def test_reports_index_lists_every_year_and_links_the_data(sample_output):
    html = (sample_output / "reports/index.html").read_text(encoding="utf-8")
    for rid in REPORTS + ("kaiyuan-2016-annual-report",):
        assert f'href="../reports/{rid}.html"' in html
    assert 'href="../reports/figures.csv"' in html and "<svg" in html
    # each report's data is named by the report's title, not its file name
    assert "<li>示例县人民政府2023年政府信息公开工作年度报告：<a href=\"../reports/sample-county-2023-annual-report.json\"" \
        in html and "<li>sample-county-2023-annual-report：" not in html


def test_a_sum_that_does_not_hold_stops_the_build(tmp_path):
    import shutil
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site_config.yaml", site)
    p = site / "content" / "reports" / f"{REPORTS[0]}.md"
    text = p.read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(n for n, l in enumerate(lines) if l.strip().startswith("new:"))
    lines[i] = lines[i].replace("[", "[1", 1)  # 自然人 count of 一、本年新收 changes: the sums break
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run_build("check", "--site", str(site), "--as-of", "2026-11-23")
    assert r.returncode == 1, r.stderr
    assert f"content/reports/{REPORTS[0]}.md:{i + 1}: stats." in r.stderr
    assert "Traceback" not in r.stderr
