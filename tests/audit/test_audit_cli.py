"""`python build.py audit` as a user runs it: formats, --output, exit statuses, config keys."""
from __future__ import annotations

import json

from audit_sites import CONFIG, interpretation, policy, site
from helpers import run_build

P = "content/policies/"


def _site(tmp_path, extra=""):
    return site(tmp_path, {P + "p1.md": policy(1, published="2024-10-09", kind="normative"),
                           P + "p2.md": policy(2, published="2024-10-09", agency="czj"),
                           "content/interpretations/i1.md": interpretation(1, "p1", "2024-10-10")}, extra)


def test_nothing_overdue_exits_0_and_strict_fails_on_coming_due(tmp_path):
    s = _site(tmp_path)
    r = run_build("audit", "--site", str(s), "--as-of", "2024-12-01")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert r.stderr.strip() == "没有发现问题"
    r = run_build("audit", "--site", str(s), "--as-of", "2025-02-01")     # 115 days: stale within 90 days
    assert r.returncode == 0
    assert r.stdout.splitlines() == [      # the soonest first
        "site_config.yaml:11: stale: 主动公开动态更新要求：示例县财政局最近一次发布信息是 2024-10-09，已 115 天没有发布新信息，"
        "2025-04-07 后将超过 180 天",
        "site_config.yaml:8: stale: 主动公开动态更新要求：示例县人民政府最近一次发布信息是 2024-10-10，已 114 天没有发布新信息，"
        "2025-04-08 后将超过 180 天"]
    assert r.stderr.strip() == "共 2 项：已逾期 0 项，即将到期 2 项"
    assert run_build("audit", "--site", str(s), "--as-of", "2025-02-01", "--strict").returncode == 1
    assert run_build("audit", "--site", str(s), "--as-of", "2025-02-01", "--within", "10").stdout == ""


def test_overdue_exits_1_json_and_output_file(tmp_path):
    s = _site(tmp_path)
    r = run_build("audit", "--site", str(s), "--as-of", "2025-06-01", "--format", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert [(f["rule"], f["level"], f["path"], f["line"], f["agency"], f["due"]) for f in data] == [
        ("stale", "overdue", "site_config.yaml", 11, ["示例县财政局"], "2025-04-07"),     # the longest overdue first
        ("stale", "overdue", "site_config.yaml", 8, ["示例县人民政府"], "2025-04-08")]
    assert data[0]["source"] == "主动公开动态更新要求" and data[0]["entry"] is None
    assert data[0]["message"].startswith("主动公开动态更新要求：示例县财政局最近一次发布信息是 2024-10-09")
    out = tmp_path / "reports" / "audit.json"
    r = run_build("audit", "--site", str(s), "--as-of", "2025-06-01", "--format", "json", "--output", str(out))
    assert r.returncode == 1 and r.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == data


def test_never_inside_the_published_output(tmp_path):
    s = _site(tmp_path)
    assert run_build("build", "--site", str(s), "--as-of", "2024-12-01", "--no-search").returncode == 0
    for target in (s / "output" / "audit.html", s / "output" / "sub" / "audit.html"):
        r = run_build("audit", "--site", str(s), "--format", "html", "--output", str(target))
        assert r.returncode == 2
        assert f"错误：报告不能写在发布的网站文件夹 {s.resolve() / 'output'} 里" in r.stderr
        assert not target.exists()
    other = tmp_path / "elsewhere"        # another build's folder (its marker) is refused too
    assert run_build("build", "--site", str(s), "--output", str(other), "--as-of", "2024-12-01",
                     "--no-search").returncode == 0
    assert run_build("audit", "--site", str(s), "--output", str(other / "a.txt")).returncode == 2


def test_usage_and_config_problems_exit_2(tmp_path):
    s = _site(tmp_path, "interpretation_dys: 5\n")
    r = run_build("audit", "--site", str(s))
    assert r.returncode == 2
    assert "site_config.yaml:16: interpretation_dys: 未知设置项“interpretation_dys”，是否想写“interpretation_days”？" in r.stderr
    s = _site(tmp_path / "b", "stale_days: 半年\nreport_agencies: [czx]\nreg_no_pattern: '[('\n")
    r = run_build("audit", "--site", str(s))
    assert r.returncode == 2
    assert "site_config.yaml:16: stale_days: 应为整数，实为文字“半年”" in r.stderr
    assert "site_config.yaml:18: reg_no_pattern: 不是有效的正则表达式" in r.stderr
    s = _site(tmp_path / "c", "report_agencies: [czx]\n")
    r = run_build("audit", "--site", str(s))
    assert r.returncode == 2
    assert "site_config.yaml:16: report_agencies.0: 未知机构代号“czx”，是否想写“czj”？" in r.stderr
    r = run_build("audit", "--site", str(_site(tmp_path / "d")), "--within", "-3")
    assert r.returncode == 2 and "“-3”不是天数" in r.stderr


def test_content_errors_exit_1_with_the_messages(tmp_path):
    s = site(tmp_path, {P + "p1.md": policy(1, kind="normativ")})
    r = run_build("audit", "--site", str(s))
    assert r.returncode == 1
    assert "content/policies/p1.md:7: kind: “normativ”不是可选值（可选：rule、normative、other），是否想写“normative”？" in r.stderr
    assert r.stderr.splitlines()[-1] == "未能检查信息公开规则：站点有内容错误，请先按上面的提示修改（python build.py check 报告同样的问题）。"
    assert r.stdout == ""
    s = site(tmp_path / "b", {P + "p1.md": policy(1, kind="规范性文件")})
    assert "应写作“normative”" in run_build("check", "--site", str(s)).stderr
