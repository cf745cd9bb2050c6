"""index_copy()/page_text(): the regex scanner that replaced html.parser gives the same text.

Expected values below are written out by hand; a copy of the old html.parser reading is kept
only to compare against on a set of awkward made-up bodies.
"""
from __future__ import annotations

import random
from html.parser import HTMLParser

import pytest

from xxgk.write import search_data as sd

BODY = (
    '<article class="entry" data-pagefind-body>'
    '<h1>政策&amp;解读</h1>'
    '<div data-pagefind-ignore><p>忽略<span>内层<em>更深</em></span></p><br><img src="a.png"></div>'
    '<p title="a > b data-pagefind-ignore" data-x=\'c>d\'>保留&#20013;文</p>'
    '<script>if (a < b) { x("<p>脚本</p>"); }</script>'
    '<style>p > a { color: red }</style>'
    '<!-- 注释 <p>不算</p> -->'
    '<p>一</p>\n<p>二</p>'
    '<img src="x.png" alt="图"><hr/><br /><span/>尾部'
    '</article>'
)
PAGE = ('<!DOCTYPE html><html lang="zh-Hans"><head><title>标题</title>'
        '<script>var s = "<p>头部脚本</p>";</script></head>'
        f'<body><nav>导航</nav><main>{BODY}</main><footer>页脚</footer></body></html>')
OPEN = '<article class="entry" data-pagefind-body>'


def test_page_text_handmade():
    # parts: "政策&解读", "保留中文", "一", "\n", "二", "尾部" joined with single spaces
    assert sd.page_text(PAGE) == "政策&解读 保留中文 一 \n 二 尾部"


def test_index_copy_handmade_simplified():
    out = sd.index_copy(PAGE, "3")
    # each run's pairs, and its last character alone (a browser may make it a query piece of its own)
    span = ('<span hidden data-pagefind-meta="pairs:政策 策 解读 读 保留 留中 中文 文 一 二 尾部 部"></span>'
            '<span hidden data-pagefind-filter="part:3"></span>')
    assert out == PAGE.replace(OPEN, OPEN + span, 1)


def test_footnote_marks_are_not_indexed():
    page = ('<article data-pagefind-body><p>正文<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>。</p>'
            '<div class="footnote"><ol><li id="fn:1"><p>注释&#160;<a class="footnote-backref" href="#fnref:1" '
            'title="返回正文第 1 处">&#8617;</a></p></li></ol></div></article>')
    out = sd.index_copy(page)
    assert "footnote-ref" not in out and "&#8617;" not in out and "注释" in out and "正文" in out


def test_the_ids_in_the_metadata_table_are_searchable_words():
    page = ('<article data-pagefind-body><h1>通知</h1><table data-pagefind-ignore><tr>'
            '<td data-pagefind-meta="doc_no">示政发<span class="nowrap">〔2017〕24号</span></td>'
            '<td data-pagefind-meta="index_no">11330000MB1234567X/2017-00001</td></tr></table></article>')
    pairs = sd.index_copy(page).split('pairs:', 1)[1].split('"', 1)[0].split()
    for word in ("示政", "政发", "发", "号", "2017", "24", "11330000mb1234567x", "00001"):
        assert word in pairs, (word, pairs)


def test_ignore_is_an_attribute_name_not_a_value():
    page = ('<div data-pagefind-body>'
            '<p class="data-pagefind-ignore">甲乙</p>'
            '<p title=\'x data-pagefind-ignore="1" >\'>丙丁</p>'
            '<p DATA-PAGEFIND-IGNORE>戊己</p>'
            '<p data-pagefind-ignore="all">庚辛</p>'
            '</div><p>外面</p>')
    assert sd.page_text(page) == "甲乙 丙丁"


def test_body_ends_with_its_element():
    page = '<p>前</p><section data-pagefind-body><div><p>里面</p></div>中</section><p>后面</p>'
    assert sd.page_text(page) == "里面 中"


def test_entities_and_stray_less_than():
    page = '<div data-pagefind-body>a &lt; b &#x4E2D;&#20013; &amp;amp; c < d</div>'
    # "a < b 中中 &amp; c " then a lone "<" as its own part, then " d"
    assert sd.page_text(page) == "a < b 中中 &amp; c  <  d"


def test_traditional_page():
    """A zh-Hant page is indexed in simplified characters, its own text kept for the result shown."""
    page = '<html lang="zh-Hant"><body><article data-pagefind-body><h1>國語</h1><p>教學</p></article></body></html>'
    assert sd.page_text(page) == "國語 教學"
    out = sd.index_copy(page)
    assert out == ('<html lang="zh-Hant"><body><article data-pagefind-body>'
                   '<span hidden data-pagefind-meta="pairs:国语 语 教学 学"></span>'
                   '<span hidden data-pagefind-meta="hant_title[data-v]" data-v="國語"></span>'
                   '<span hidden data-pagefind-meta="hant[data-v]" data-v="國語 教學"></span>'
                   '<h1>国语</h1><p>教学</p></article></body></html>')


def test_simplified_page_with_a_traditional_character_keeps_its_text():
    page = '<article data-pagefind-body><p>国语教學</p></article>'
    assert sd.index_copy(page) == ('<article data-pagefind-body><span hidden data-pagefind-meta="pairs:国语 语教 教学 学">'
                                   '</span><p>国语教學</p></article>')


def test_page_without_body_is_unchanged():
    page = "<html><body><p>没有正文标记</p></body></html>"
    assert sd.index_copy(page) == page


def test_pairs_are_escaped():
    page = '<div data-pagefind-body><table><tr><td data-pagefind-meta="doc_no">A"1&lt;</td></tr></table>中文</div>'
    token = sd.id_token('A"1<')                 # the whole 文号 as one word
    assert token.startswith("xid") and token.isalpha() and token == sd.id_token('ａ"１<')
    assert sd.index_copy(page) == ('<div data-pagefind-body><span hidden data-pagefind-meta="pairs:中文 文 a 1 '
                                   f'{token}"></span><table><tr><td data-pagefind-meta="doc_no">A"1&lt;</td></tr>'
                                   '</table>中文</div>')


# -- the old reading, kept only to compare with --------------------------------------------------
class _ReferenceBodyText(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.depth, self.skip_at = [], 0, None

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        names = {k for k, _ in attrs}
        if self.depth == 0:
            if "data-pagefind-body" in names:
                self.depth = 1
            return
        self.depth += 1
        if self.skip_at is None and (tag in ("script", "style") or "data-pagefind-ignore" in names):
            self.skip_at = self.depth

    def handle_endtag(self, tag):
        if self.depth == 0 or tag in self.VOID:
            return
        if self.skip_at is not None and self.depth == self.skip_at:
            self.skip_at = None
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.skip_at is None:
            self.parts.append(data)


def _reference(page: str) -> str:
    p = _ReferenceBodyText()
    p.feed(page)
    p.close()
    return " ".join(p.parts)


PIECES = ["<p>", "</p>", "<div data-pagefind-ignore>", '<div data-pagefind-ignore="all">', "</div>", "<div>",
          '<span title="a > data-pagefind-ignore b">', "</span>", "<br>", "<br/>", "<img src='x>y'>", "<hr />",
          "<script>var a = '<div>';</script>", "<style>p>a{}</style>", "<!-- c <p> -->", "&amp;", "&#20013;",
          "&lt;", "中文", "國語", " text ", "\n", "<p/>", '<a href="x">', "</a>", "<TD>", "</TD>", "a < b",
          '<em class="k">', "</em>", "<table data-pagefind-ignore><tr><td>x</td></tr></table>"]


def test_reference_pages():
    assert _reference(PAGE) == sd.page_text(PAGE)


@pytest.mark.parametrize("seed", range(5))
def test_matches_html_parser_on_scrambled_bodies(seed):
    rnd = random.Random(seed)
    for _ in range(300):
        body = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 25)))
        page = (f'<html><body><header>头</header><main><article data-pagefind-body>{body}</article>'
                '</main><footer>尾</footer></body></html>')
        assert sd.page_text(page) == _reference(page), body
