"""Each rule of `audit` (SPEC section 10) on both sides of its boundary, with the exact messages."""
from __future__ import annotations

from audit_sites import audit, interpretation, policy, report, site, texts

P = "content/policies/"


def test_timely_across_national_day(tmp_path):
    """Written Friday 27 September 2024: the 20th working day is 30 October (国庆 and the 调休 days
    counted); counting weekdays alone would make 30 October late."""
    s = site(tmp_path, {P + "p1.md": policy(1, written="2024-09-27", published="2024-10-30"),
                        P + "p2.md": policy(2, written="2024-09-27", published="2024-10-31")})
    findings, _ = audit(s, "2024-12-01", rules=["timely"])
    assert texts(findings) == [
        "content/policies/p2.md:6: timely: 条例第二十六条：应自成文日期 2024-09-27 起 20 个工作日内公开，即不晚于 "
        "2024-10-30；发布日期 2024-10-31，逾期 1 个工作日"]
    assert findings[0].level == "overdue"


def test_interpretation_within_three_working_days(tmp_path):
    """Policy published Wednesday 9 October 2024: day 3 is the 调休 Saturday 12 October."""
    s = site(tmp_path, {P + "p1.md": policy(1, published="2024-10-09"),
                        "content/interpretations/i1.md": interpretation(1, "p1", "2024-10-12"),
                        "content/interpretations/i2.md": interpretation(2, "p1", "2024-10-14")})
    findings, _ = audit(s, "2024-12-01", rules=["interpretation"])
    assert texts(findings) == [
        "content/interpretations/i2.md:5: interpretation: 政策解读要求：政策解读应在政策发布后 3 个工作日内发布（谁起草、谁解读）："
        "content/policies/p1.md 发布于 2024-10-09，解读应不晚于 2024-10-12；本解读发布于 2024-10-14，逾期 1 个工作日"]


def test_interpretation_days_from_the_config(tmp_path):
    s = site(tmp_path, {P + "p1.md": policy(1, published="2024-10-09"),
                        "content/interpretations/i2.md": interpretation(2, "p1", "2024-10-14")},
             "interpretation_days: 5\n")
    assert audit(s, "2024-12-01", rules=["interpretation"])[0] == []


def test_normative_without_interpretation(tmp_path):
    """Published Monday 29 April 2024 (劳动节 1–5 May): day 3 is 7 May. Before it: coming due; after: overdue."""
    s = site(tmp_path, {P + "n1.md": policy(1, published="2024-04-29", kind="normative"),
                        P + "o1.md": policy(2, published="2024-04-29")})
    due, _ = audit(s, "2024-05-07", rules=["interpretation"])
    assert [(f.level, f.message) for f in due] == [
        ("due", "政策解读要求：行政规范性文件尚无政策解读：请在 2024-05-07 前（发布后第 3 个工作日）发布解读，解读写 interprets: n1")]
    late, _ = audit(s, "2024-05-08", rules=["interpretation"])
    assert texts(late) == [
        "content/policies/n1.md:6: interpretation: 政策解读要求：行政规范性文件没有政策解读：应在发布（2024-04-29）后 3 个工作日内、"
        "即不晚于 2024-05-07 发布解读（谁起草、谁解读），在 content/interpretations/ 中新建并写 interprets: n1"]
    assert late[0].level == "overdue"


def test_report_due_by_31_january(tmp_path):
    s = site(tmp_path, {"content/reports/r2022.md": report(1, 2022, "2023-01-31", fmt="free"),
                        "content/reports/r2023.md": report(2, 2023, "2024-02-01", fmt="free")})
    findings, _ = audit(s, "2024-12-01", rules=["report-due"])
    assert texts(findings) == [
        "content/reports/r2023.md:5: report-due: 条例第五十条：示例县人民政府 2023 年度政府信息公开工作年度报告应于 2024-01-31 前公布，"
        "发布日期 2024-02-01，逾期 1 天"]
    assert [f.level for f in findings] == ["overdue"]


def test_report_due_moves_past_the_spring_festival(tmp_path):
    """31 January 2025 fell in 春节 (28 January – 4 February): the deadline is 5 February."""
    s = site(tmp_path, {"content/reports/r2023.md": report(2, 2023, "2024-01-30", fmt="free")})
    due, _ = audit(s, "2025-02-05", rules=["report-due"])
    assert texts(due) == [
        "site_config.yaml:8: report-due: 条例第五十条：示例县人民政府 2024 年度政府信息公开工作年度报告应于 2025-02-05 前公布"
        "（1月31日是节假日，顺延至 2025-02-05），目录中没有（content/reports/ 中 agency: xzf、year: 2024 的报告）"]
    assert [f.level for f in due] == ["due"]
    assert [f.level for f in audit(s, "2025-02-06", rules=["report-due"])[0]] == ["overdue"]
    # published on 5 February 2025: in time
    s2 = site(tmp_path / "b", {"content/reports/r2024.md": report(3, 2024, "2025-02-05", fmt="free")})
    assert audit(s2, "2025-03-01", rules=["report-due"])[0] == []


def test_report_agencies_from_the_config(tmp_path):
    s = site(tmp_path, {"content/reports/r2023.md": report(2, 2023, "2024-01-20", fmt="free")},
             "report_agencies: [czj]\n")
    findings, _ = audit(s, "2024-03-01", rules=["report-due"])
    assert texts(findings) == [
        "site_config.yaml:11: report-due: 条例第五十条：示例县财政局 2023 年度政府信息公开工作年度报告应于 2024-01-31 前公布，"
        "目录中没有（content/reports/ 中 agency: czj、year: 2023 的报告）"]


def test_expiring_within_the_window(tmp_path):
    s = site(tmp_path, {P + "p1.md": policy(1, valid_until="2024-03-31"),      # as_of + 90 (a leap year)
                        P + "p2.md": policy(2, valid_until="2024-04-01"),      # as_of + 91
                        P + "p3.md": policy(3, valid_until="2023-12-31")})     # lapsed already
    findings, _ = audit(s, "2024-01-01", rules=["expiring"])
    assert texts(findings) == [
        "content/policies/p1.md:7: expiring: 文件清理要求：有效期至 2024-03-31，还有 90 天到期：请在到期前评估，"
        "需继续施行的重新发布或修改有效期，到期后本站自动标注为已失效"]
    assert findings[0].level == "due"
    assert texts(audit(s, "2024-01-01", within=91, rules=["expiring"])[0])[1].startswith("content/policies/p2.md")


def test_normative_valid_until_and_reg_no(tmp_path):
    s = site(tmp_path, {P + "n1.md": policy(1, kind="normative", valid_until="2029-12-31", reg_no="XZFG-2024-001"),
                        P + "n2.md": policy(2, kind="normative", published="2024-03-01"),
                        P + "n3.md": policy(3, kind="normative", valid_until="2029-12-31", reg_no="第1号"),
                        P + "o1.md": policy(4)},
             "normative_validity_years: 5\nreg_no_pattern: '^[A-Z]+-\\d{4}-\\d{3}$'\n")
    findings, _ = audit(s, "2024-06-01", rules=["normative"])
    assert sorted(texts(findings)) == [
        "content/policies/n2.md:7: normative: 行政规范性文件管理：行政规范性文件没有写 reg_no（统一登记号）：请按登记机关给出的号码填写",
        "content/policies/n2.md:7: normative: 行政规范性文件管理：行政规范性文件没有写 valid_until（有效期至）：本站按 "
        "normative_validity_years: 5 推算为 2029-02-28；请按文件写明有效期",
        "content/policies/n3.md:9: normative: 行政规范性文件管理：统一登记号“第1号”不符合 site_config.yaml 中 reg_no_pattern "
        "规定的格式（^[A-Z]+-\\d{4}-\\d{3}$）"]
    # without the two keys the rule has nothing to ask
    plain = site(tmp_path / "b", {P + "n2.md": policy(2, kind="normative")})
    assert audit(plain, "2024-06-01", rules=["normative"])[0] == []


def test_stale_agency(tmp_path):
    s = site(tmp_path, {P + "p1.md": policy(1, published="2024-01-01")})
    assert texts(audit(s, "2024-06-29", rules=["stale"])[0]) == [            # overdue first; 180 days: coming due
        "site_config.yaml:11: stale: 主动公开动态更新要求：示例县财政局在目录中没有发布过任何信息",
        "site_config.yaml:8: stale: 主动公开动态更新要求：示例县人民政府最近一次发布信息是 2024-01-01，已 180 天没有发布新信息，"
        "2024-06-29 后将超过 180 天"]
    late, _ = audit(s, "2024-06-30", rules=["stale"])
    assert sorted((f.level, f.path, f.line) for f in late) == [("overdue", "site_config.yaml", 8),
                                                               ("overdue", "site_config.yaml", 11)]
    assert any("已 181 天没有发布新信息（超过 stale_days: 180）" in f.message for f in late)
    assert [f.agencies for f in audit(s, "2024-03-30", rules=["stale"])[0]] == [("czj",)]   # 91 days before


def test_unknown_year_is_said(tmp_path):
    s = site(tmp_path, {P + "p1.md": policy(1, written="2099-01-02", published="2099-03-01")})
    findings, a = audit(s, "2099-06-01", rules=["timely"])
    assert a.cal.guessed == {2099}
    assert findings[0].message.endswith("（节假日日历尚无 2099 年的安排，该年只按周末计算工作日）")
