"""Issue 26 (6): every element and attribute the sanitiser removes is named with its line; video and
audio with local sources and a captions track are kept; presentational markup becomes nothing harmful."""
from __future__ import annotations

import re

import markdown
import pytest

from helpers import run_build
from inspection_site import AS_OF, CONFIG_26, files
from sitemaker import entry, make_site
from xxgk.render.sanitize import clean_html
from xxgk.render.sanitize_report import find_unsafe_html

WORD_TABLE = """正文

<center><font face="宋体" color="red" size="4">通知</font></center>

<table border="1" cellspacing="0" style="width:100%" align="center">
<tr><td style="color:red" align="center" valign="top" width="120">一</td><td bgcolor="#eee" data-x="1">二</td></tr>
</table>
"""


def render(src: str) -> str:
    return clean_html(markdown.markdown(src, extensions=["tables", "attr_list"]))


def test_every_presentational_element_and_attribute_is_named_with_its_line():
    found = find_unsafe_html(WORD_TABLE)
    assert found[:2] == [(3, "已删除 <center> 标记（保留其中的文字；版式由网站统一设置）"),
                         (3, "已删除 <font> 标记（保留其中的文字；版式由网站统一设置）")]
    names = {(line, d) for line, d in found}
    assert (5, "已删除 <table> 的 border 属性（版式由网站统一设置）") in names
    assert (5, "已删除 <table> 的 cellspacing 属性（版式由网站统一设置）") in names
    assert (5, "已删除 <table> 的 style 属性（版式由网站统一设置）") in names
    assert (5, "已删除 <table> 的 align 属性（版式由网站统一设置）") in names
    assert (6, "已删除 <td> 的 style 属性（版式由网站统一设置）") in names
    assert (6, "已删除 <td> 的 valign 属性（版式由网站统一设置）") in names
    assert (6, "已删除 <td> 的 width 属性（版式由网站统一设置）") in names
    assert (6, "已删除 <td> 的 bgcolor 属性（版式由网站统一设置）") in names
    assert (6, "已删除 <td> 的 data-x 属性（不在允许的属性之列）") in names
    # align="center" on a cell is what the tables extension writes itself: kept, not reported
    assert not any(d == "已删除 <td> 的 align 属性（版式由网站统一设置）" for _line, d in found)
    out = render(WORD_TABLE)
    for gone in ("<center", "<font", "style=", "border=", "bgcolor", "valign", "cellspacing", "width=", "data-x", "宋体"):
        assert gone not in out, gone
    assert "通知" in out and '<td align="center">一</td>' in out


def test_an_attribute_set_with_attr_list_is_named():
    assert find_unsafe_html("## 标题 {: style=\"color:red\" }\n") == [(1, "已删除属性 style（版式由网站统一设置）")]


VIDEO = """解读视频：

<video controls width="640" poster="../files/poster.jpg">
  <source src="../files/explained.mp4" type="video/mp4">
  <source src="https://cdn.example.com/explained.webm" type="video/webm">
  <track kind="captions" src="../files/explained.vtt" srclang="zh" label="中文字幕" default>
</video>

<audio controls src="//cdn.example.com/a.mp3"></audio>
"""


def test_video_with_local_sources_and_captions_is_kept_and_a_remote_source_is_removed_and_named():
    found = find_unsafe_html(VIDEO)
    assert (3, "已删除 <video> 的 width 属性（版式由网站统一设置）") not in found      # a video's own size stays
    assert (5, "已删除 <source> 的 src=\"https://cdn.example.com/explained.webm\"（视频、音频只能使用本站的文件，"
               "请放在 content/files/ 中并写相对路径，如 ../files/video.mp4）") in found
    assert any(line == 9 and "<audio> 的 src=\"//cdn.example.com/a.mp3\"" in d for line, d in found)
    assert not any("字幕" in d and "没有" in d for _l, d in found)
    out = render(VIDEO)
    assert '<video controls="" width="640" poster="../files/poster.jpg">' in out
    assert '<source src="../files/explained.mp4" type="video/mp4">' in out
    assert '<track kind="captions" src="../files/explained.vtt" srclang="zh" label="中文字幕" default="">' in out
    assert "cdn.example.com" not in out


def test_a_video_without_captions_gets_a_warning():
    found = find_unsafe_html("<video controls src=\"../files/a.mp4\"></video>\n")
    assert found == [(1, "<video> 没有字幕：请加上 <track kind=\"captions\" src=\"../files/….vtt\" srclang=\"zh\" "
                         "label=\"中文字幕\">（无障碍要求视频提供字幕）")]


def test_build_warns_with_file_line_and_publishes_the_video(tmp_path):
    body = WORD_TABLE + "\n" + VIDEO
    extra = {"content/interpretations/video-explained.md": entry(
        {"title": "视频解读", "index_no": "11330000MB1234567X/2021-00009", "agency": "xzf", "published": "2021-01-01",
         "interprets": "new-rules", "form": "video"}, body)}
    site = make_site(tmp_path / "site", {**files(), **extra}, CONFIG_26)
    r = run_build("build", "--site", str(site), "--output", str(tmp_path / "out"), "--as-of", AS_OF, "--no-search")
    assert r.returncode == 0, r.stderr
    text = r.stdout + r.stderr
    front = 8     # the front matter's lines (--- … ---) before the body
    assert f"content/interpretations/video-explained.md:{front + 3}: -: 警告：已删除 <center> 标记（保留其中的文字；版式由网站统一设置）" in text
    assert f"content/interpretations/video-explained.md:{front + 5}: -: 警告：已删除 <table> 的 border 属性（版式由网站统一设置）" in text
    page = (tmp_path / "out/interpretations/video-explained.html").read_text(encoding="utf-8")
    assert re.search(r'<video controls="" width="640" poster="../files/poster.jpg">\s*<source src="../files/explained.mp4"', page)
    assert "<center" not in page and "<font" not in page


@pytest.mark.parametrize("src", ["<p style=\"x\">a</p>", "<font color=red>a</font>", "<video src=\"https://x/a.mp4\"></video>"])
def test_unsafe_html_warning_strict_fails(src, tmp_path):
    """--strict turns these warnings into a failure, as with scripts."""
    site = make_site(tmp_path / "site", {"content/policies/p.md": entry(
        {"title": "文件", "index_no": "11330000MB1234567X/2020-00001", "agency": "xzf", "topic": "综合政务/政务公开",
         "published": "2020-01-01"}, src + "\n")})
    r = run_build("build", "--site", str(site), "--output", str(tmp_path / "out"), "--no-search", "--strict")
    assert r.returncode == 1
