"""Every validation names the file, the line, the field, and says what to do — exactly."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sitemaker import CONFIG, entry, make_site, policy  # noqa: E402

from xxgk.cli import main  # noqa: E402


def check(tmp_path, files, config=CONFIG, *extra):
    site = make_site(tmp_path / "site", files, config)
    return site


def run(capsys, site, *args):
    code = main(["check", "--site", str(site), "--as-of", "2024-01-01", *args])
    captured = capsys.readouterr()
    return code, captured.err.splitlines()


def errors_for(tmp_path, capsys, files, config=CONFIG, *args):
    site = make_site(tmp_path / "site", files, config)
    code, lines = run(capsys, site, *args)
    return code, lines


def test_valid_site_passes(tmp_path, capsys):
    code, lines = errors_for(tmp_path, capsys, {"content/policies/a.md": policy()})
    assert code == 0, lines
    assert lines == []


@pytest.mark.parametrize("files, expected", [
    ({"content/policies/a.md": policy(titel="政策")},
     "content/policies/a.md:7: titel: 未知字段“titel”，是否想写“title”？"),
    ({"content/policies/a.md": policy(title=None)},
     "content/policies/a.md:1: title: 缺少必填字段 title（标题）"),
    ({"content/policies/a.md": policy(published="2017-02-30")},
     "content/policies/a.md:6: published: “2017-02-30”不是有效日期（该月没有这一天），请检查年月日"),
    ({"content/policies/a.md": policy(published="2017年6月5日")},
     "content/policies/a.md:6: published: “2017年6月5日”不是日期，请写成 YYYY-MM-DD，例如 2017-06-05"),
    ({"content/policies/a.md": policy(agency="cjz")},
     "content/policies/a.md:4: agency: 未知机构“cjz”，是否想写“czj”？"),
    ({"content/policies/a.md": policy(agency="示例县财政局")},
     "content/policies/a.md:4: agency: 未知机构“示例县财政局”，“示例县财政局”是机构名称，请写它的代号“czj”"),
    ({"content/policies/a.md": policy(agency="[xzf, nope]")},
     "content/policies/a.md:4: agency: 未知机构“nope”（site_config.yaml 的 agencies 中有：xzf、czj）"),
    ({"content/policies/a.md": policy(topic="政务公开")},
     "content/policies/a.md:5: topic: 未知主题分类“政务公开”，是否想写“综合政务/政务公开”？"
     "（写作“一级”或“一级/二级”，见国务院主题分类或 site_config.yaml 的 topics）"),
    ({"content/policies/a.md": policy(index_no="2020-1")},
     "content/policies/a.md:3: index_no: 索引号“2020-1”不符合 site_config.yaml 中 index_no_pattern 规定的格式"
     "（^[0-9A-Z]{9,18}/\\d{4}-\\d{5}$），形如 11330000MB1234567X/2020-00001（示例县人民政府的统一社会信用代码/"
     "发布年份-本机构当年的五位流水号；python build.py new 会算出下一个未用的号）"),
    ({"content/policies/a.md": policy(written="2020-02-01")},
     "content/policies/a.md:7: written: 成文日期 2020-02-01 晚于发布日期 2020-01-01"),
    ({"content/policies/a.md": policy(validity="已废止")},
     "content/policies/a.md:7: validity: “已废止”不是可选值（可选：effective、amended、repealed、expired），应写作“repealed”"),
    ({"content/policies/a.md": policy(lang="zh-TW")},
     "content/policies/a.md:7: lang: “zh-TW”不是可选值（可选：zh-Hans、zh-Hant、en），应写作“zh-Hant”"),
    ({"content/policies/a.md": policy(title="'a: b: c'", agency="xzf: x")},
     "content/policies/a.md:4: -: YAML 语法错误：mapping values are not allowed in this context"
     "（同一行出现了两个“:”？含冒号的文字请用引号括起来）"),
    ({"content/policies/a.md": "标题：没有元数据\n"},
     "content/policies/a.md:1: -: 文件开头缺少元数据：第一行应为 ---，接着是 title: 等字段，再以一行 --- 结束"),
    ({"content/policies/a.md": " \n\n"},
     "content/policies/a.md:1: -: 文件是空的：请写入元数据和正文（python build.py new 可以生成一个填好字段名的文件）"),
    ({"content/policies/a.md": "---\ntitle: x\n"},
     "content/policies/a.md:1: -: 元数据没有结束：在字段之后、正文之前加一行 ---"),
    ({"content/policies/a.md": "---\na: &x [1]\nb: *x\n---\n"},
     "content/policies/a.md:3: -: 不支持 YAML 锚点和别名（& 和 *），请直接写出完整的值"),
    ({"content/policies/政策.md": policy()},
     "content/policies/政策.md:1: -: 文件名“政策.md”不合规：含有中文或其他非英文字符。文件名（即编号）只能使用小写英文字母、数字和“-”，"
     "并以字母或数字开头（中文文件名会使压缩工具和部分服务器出错），例如“entry-1.md”"),
    ({"content/policies/Plan_2020.md": policy()},
     "content/policies/Plan_2020.md:1: -: 文件名“Plan_2020.md”不合规：含有大写字母，含有下划线。文件名（即编号）只能使用小写英文字母、数字和“-”，"
     "并以字母或数字开头（中文文件名会使压缩工具和部分服务器出错），例如“plan-2020.md”"),
    ({"content/policies/a\u200b.md": policy()},
     "content/policies/a\\u200b.md:1: -: 文件名“a\\u200b.md”不合规：含有看不见的字符（如零宽空格）。文件名（即编号）只能使用小写英文字母、数字和“-”，"
     "并以字母或数字开头（中文文件名会使压缩工具和部分服务器出错），例如“a.md”"),
    ({"content/policies/a.md": policy(body="见[原文](../policies/missing.md)。")},
     "content/policies/a.md:8: -: 链接的条目不存在：content/policies/missing.md"),
    ({"content/policies/a.md": policy(attachments="[{file: ../../etc/passwd, title: x}]")},
     "content/policies/a.md:7: attachments: 附件路径“../../etc/passwd”不合规：必须是 content/files/ 里的文件，写作 files/文件名"),
    ({"content/policies/a.md": policy(attachments="[{file: files/none.pdf, title: x}]")},
     "content/policies/a.md:7: attachments: 找不到附件 content/files/none.pdf：请把文件放进 content/files/，或改正路径"),
    ({"content/interpretations/i.md": entry({"title": "解读", "index_no": "11330000MB1234567X/2020-00009",
                                             "agency": "xzf", "published": "2020-01-01", "interprets": "nope"})},
     "content/interpretations/i.md:6: interprets: 找不到编号为“nope”的条目"),
    ({"content/policies/a.md": policy(title="政策") + "", "content/policies/b.md":
      "---\ntitle: 一\nindex_no: 11330000MB1234567X/2020-00002\nagency: xzf\ntopic: 综合政务/政务公开\n"
      "published: 2020-01-01\ntitle: 二\n---\n正文。\n"},
     "content/policies/b.md:7: -: “title”写了两次（第 2 行和第 7 行），只会用后一个；请删去多余的一行"),
    ({"content/policies/a.md": policy(keywords="[预算, 决算", summary="概述")},
     "content/policies/a.md:7: -: YAML 语法错误：while parsing a flow sequence, did not find expected ',' or ']'"
     "（方括号 [ ] 没有配对，或列表的各项之间缺少英文逗号“,”）"),
    ({"content/policies/a.md": "---\ntitle: 政策\nagency：xzf\npublished: 2020-01-01\n---\n正文。\n"},
     "content/policies/a.md:3: -: YAML 语法错误：while scanning a simple key, could not find expected ':'"
     "（是否漏写了“:”，或者用了中文冒号“：”？）"),
    ({"content/policies/a.md": policy(keywords="政务公开, 重点工作任务")},
     "content/policies/a.md:7: keywords: “政务公开, 重点工作任务”是几个主题词写在了一起，会被当作一个词发布；"
     "请写成列表，各项之间用英文逗号分隔：[政务公开, 重点工作任务]"),
    ({"content/policies/a.md": policy(keywords="[预算，决算]")},
     "content/policies/a.md:7: keywords: 第 1 项“预算，决算”是几个主题词写在了一起，会被当作一个词发布；"
     "请写成列表，各项之间用英文逗号分隔：[预算, 决算]"),
])
def test_error_message(tmp_path, capsys, files, expected):
    code, lines = errors_for(tmp_path, capsys, files)
    assert code == 1
    assert expected in lines, "\n".join(lines)
    assert lines[-1].startswith("共 ")


def test_gb18030_file_names_encoding_and_fix(tmp_path, capsys):
    raw = policy(title="预算公开").encode("gb18030")
    code, lines = errors_for(tmp_path, capsys, {"content/policies/a.md": raw})
    assert code == 1
    assert lines[0] == ("content/policies/a.md:2: -: 文件不是 UTF-8 编码（看起来是 GB18030）。请用编辑器以 “UTF-8” 编码另存为"
                        "（记事本：另存为 → 编码选 UTF-8；或运行 iconv -f GB18030 -t UTF-8 原文件 > 新文件）")


def test_bom_and_crlf_are_accepted(tmp_path, capsys):
    raw = ("\ufeff" + policy()).replace("\n", "\r\n").encode("utf-8")
    code, lines = errors_for(tmp_path, capsys, {"content/policies/a.md": raw})
    assert code == 0, lines


def test_duplicate_id_and_index_no_name_both_files(tmp_path, capsys):
    code, lines = errors_for(tmp_path, capsys, {
        "content/policies/a.md": policy(1),
        "content/reports/a.md": entry({"title": "报告", "index_no": "11330000MB1234567X/2020-00002",
                                       "agency": "xzf", "published": "2020-01-01", "year": 2019}),
        "content/policies/b.md": policy(1),
    })
    assert "content/reports/a.md:1: -: 编号“a”与 content/policies/a.md:1 重复：编号（文件名）在全站必须唯一，请重命名其中一个" in lines
    assert ("content/policies/b.md:3: index_no: 索引号“11330000MB1234567X/2020-00001”与 content/policies/a.md:3 重复："
            "索引号必须唯一") in lines


def test_all_errors_of_the_site_in_one_run_with_count(tmp_path, capsys):
    code, lines = errors_for(tmp_path, capsys, {
        "content/policies/a.md": policy(1, agency="nope"),
        "content/policies/b.md": policy(2, published="soon"),
    })
    assert code == 1
    assert [l.split(":")[0] for l in lines[:-1]] == ["content/policies/a.md", "content/policies/b.md"]
    assert lines[-1] == "共 2 个错误"


def test_contradiction_names_both_files(tmp_path, capsys):
    code, lines = errors_for(tmp_path, capsys, {
        "content/policies/old.md": policy(1, validity="effective"),
        "content/policies/new.md": policy(2, repeals="old", published="2021-01-01"),
    })
    assert ("content/policies/old.md:7: validity: 写明 validity: effective（有效），但本文件已被 content/policies/new.md 所废止"
            "（见 content/policies/new.md:7）；请删去 validity 一行或改为 repealed") in lines


def test_cycle_names_the_files(tmp_path, capsys):
    code, lines = errors_for(tmp_path, capsys, {
        "content/policies/a.md": policy(1, repeals="b"),
        "content/policies/b.md": policy(2, amends="a"),
    })
    assert code == 1
    assert ("content/policies/a.md:7: repeals: 废止/修改关系构成循环：本文件 → content/policies/b.md:1 → 本文件；"
            "请检查哪一方写反了") in lines


def test_dangling_relation_suggests(tmp_path, capsys):
    code, lines = errors_for(tmp_path, capsys, {
        "content/policies/budget-2019.md": policy(1),
        "content/policies/b.md": policy(2, repeals="budget-2018"),
    })
    assert "content/policies/b.md:7: repeals: 找不到编号为“budget-2018”的条目，是否想写“budget-2019”？" in lines


def test_dangling_relation_never_suggests_the_entry_itself(tmp_path, capsys):
    code, lines = errors_for(tmp_path, capsys, {
        "content/policies/plan-2018.md": policy(1),
        "content/interpretations/plan-2018-qa.md": entry({
            "title": "解读", "index_no": "11330000MB1234567X/2020-00009", "agency": "xzf",
            "published": "2020-01-01", "interprets": "plan-2018-q"})})
    assert lines[0] == "content/interpretations/plan-2018-qa.md:6: interprets: 找不到编号为“plan-2018-q”的条目，" \
                       "是否想写“plan-2018”？", "\n".join(lines)


def test_personal_data_is_masked_error_and_notice_when_public(tmp_path, capsys):
    # a valid resident ID number (check digit computed) and a mobile number
    base = "11010519491231002"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check_digit = "10X98765432"[sum(int(a) * b for a, b in zip(base, weights)) % 11]
    idno = base + check_digit
    body = f"第一行\n当事人身份证号 {idno}，电话 13812345678。"
    code, lines = errors_for(tmp_path, capsys, {"content/policies/a.md": policy(body=body)})
    assert code == 1
    joined = "\n".join(lines)
    assert idno not in joined and "13812345678" not in joined
    assert any(l.startswith("content/policies/a.md:9: -: 疑似居民身份证号码“") for l in lines), joined
    assert any(l.startswith("content/policies/a.md:9: -: 疑似手机号码“") for l in lines), joined
    site = tmp_path / "site"
    (site / "content/policies/a.md").write_text(policy(body=body, personal_data="public_notice"), encoding="utf-8")
    code, lines = run(capsys, site, "--strict")
    assert code == 0, lines
    assert any("提示：疑似居民身份证号码" in l for l in lines)


def test_unsafe_html_is_a_warning_and_strict_fails(tmp_path, capsys):
    body = "正文\n\n<script>alert(1)</script>\n"
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy(body=body)})
    code, lines = run(capsys, site)
    assert code == 0
    assert any(l.startswith("content/policies/a.md:10: -: 警告：") and "script" in l for l in lines), lines
    code, lines = run(capsys, site, "--strict")
    assert code == 1
    assert any(l.startswith("content/policies/a.md:10: -: ") and "警告" not in l for l in lines), lines


def test_scheduled_entry_is_a_notice(tmp_path, capsys):
    code, lines = errors_for(tmp_path, capsys, {"content/policies/a.md": policy(published="2030-01-01")},
                             CONFIG, "--strict")
    assert code == 0
    assert lines[0] == "content/policies/a.md:6: published: 提示：发布日期 2030-01-01 晚于 2024-01-01，本次构建暂不发布（定时发布）"


@pytest.mark.parametrize("config_change, expected", [
    (("page_size: 20", "page_szie: 20"), "site_config.yaml:6: page_szie: 未知设置项“page_szie”，是否想写“page_size”？"),
    (("page_size: 20", "page_size: many"), "site_config.yaml:6: page_size: 应为整数，实为文字“many”"),
    (("timezone: Asia/Shanghai", "timezone: Beijing"), "site_config.yaml:4: timezone: “Beijing”不是时区名称，例如 Asia/Shanghai"),
    (("  - key: czj", "  - key: xzf"), "site_config.yaml:11: agencies.1.key: 机构代号“xzf”与第 1 个机构重复"),
    (("index_no_pattern: '^[0-9A-Z]{9,18}/\\d{4}-\\d{5}$'", "index_no_pattern: '([0-9'"),
     "site_config.yaml:5: index_no_pattern: 不是有效的正则表达式：unterminated character set at position 1"),
])
def test_config_errors_exit_2(tmp_path, capsys, config_change, expected):
    config = CONFIG.replace(*config_change)
    assert config != CONFIG
    code, lines = errors_for(tmp_path, capsys, {"content/policies/a.md": policy()}, config)
    assert code == 2
    assert expected in lines, lines


def test_a_tuning_variable_that_is_not_a_number_is_named_and_ignored(tmp_path):
    """XXGK_WORKERS and friends are set by people on servers: a typo is one line, never a traceback."""
    import os
    import subprocess
    repo = Path(__file__).resolve().parents[2]
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy()})
    env = {**os.environ, "XXGK_WORKERS": "two", "XXGK_WRITE_THREADS": "-1", "XXGK_SEARCH_JOBS": "1.5"}
    r = subprocess.run([sys.executable, str(repo / "build.py"), "build", "--site", str(site), "--as-of", "2024-01-01",
                        "--no-search"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "警告：环境变量 XXGK_WORKERS='two' 不是正整数，已忽略（用默认值）" in r.stderr.splitlines()
    assert "警告：环境变量 XXGK_WRITE_THREADS='-1' 不是正整数，已忽略（用默认值）" in r.stderr.splitlines()
    assert (site / "output" / "policies" / "a.html").is_file()


def test_a_file_that_cannot_be_read_is_the_only_error_not_the_links_to_it(tmp_path, capsys):
    """A policy whose front matter is broken: the interpretation that interprets it and the page that
    links to it are not told it does not exist (nor to link to another entry instead)."""
    files = {"content/policies/plan.md": policy(agency="xzf: x"),
             "content/policies/other-plan.md": policy(2),
             "content/interpretations/plan-qa.md": entry({
                 "title": "解读", "index_no": "11330000MB1234567X/2020-00009", "agency": "xzf",
                 "published": "2020-01-01", "interprets": "plan"}, "见[原文](../policies/plan.md)。")}
    code, lines = errors_for(tmp_path, capsys, files)
    assert code == 1
    assert lines == ["content/policies/plan.md:4: -: YAML 语法错误：mapping values are not allowed in this context"
                     "（同一行出现了两个“:”？含冒号的文字请用引号括起来）", "共 1 个错误"], "\n".join(lines)


def test_the_body_new_writes_is_a_warning_and_strict_fails(tmp_path, capsys):
    from xxgk.model import BODY_PLACEHOLDER
    site = make_site(tmp_path / "site", {"content/policies/a.md": policy(body=BODY_PLACEHOLDER)})
    code, lines = run(capsys, site)
    assert code == 0
    assert lines == [f"content/policies/a.md:8: -: 警告：正文仍有占位文字“{BODY_PLACEHOLDER}”（new 和 init 写下的）：请换成正文",
                     "共 1 个警告"], "\n".join(lines)
    code, lines = run(capsys, site, "--strict")
    assert code == 1 and lines[-1] == "共 1 个错误", "\n".join(lines)
