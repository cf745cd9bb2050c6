"""Pages as legacy portals saved them, in several layouts, and 2021-format annual report tables.

Layout `table` (a TRS-style CMS, GBK): the metadata block is a table of label / value cells with
spaced labels (`索 引 号：`); `list`: a bulleted list and several fields on one line, dates as
`2024年04月06日 16:40`; `dl`: a definition list on a traditional-Chinese page with 生效时间 /
废止时间. Every layout carries the usual furniture: header, navigation, breadcrumb, 字号 大 中 小,
浏览次数, share bar, 打印本页 / 关闭窗口, footer with 网站标识码 and ICP number.
"""
from __future__ import annotations

from pathlib import Path

FURNITURE_TOP = """<div class="header"><h1>示例县人民政府</h1><a href="/">首页</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hd/">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 政策文件</div>"""
FURNITURE_BOTTOM = """<div class="share">分享到：<a>微信</a><a>微博</a></div>
<p style="text-align:right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</p>
<div>浏览次数：1024</div>
<div class="footer"><p>主办单位：示例县人民政府办公室　网站标识码：3300000001</p><p>示ICP备12345678号　示公网安备33000002000099号</p></div>
<script>var hits = 1;</script>"""
BODY = """<p>各乡镇人民政府，县政府各部门：</p>
<p>为进一步做好预算公开工作，经县政府同意，现将有关事项通知如下。</p>
<p>一、公开范围</p>
<p>（一）部门预算。各部门应当在批复后20日内公开部门预算。</p>
<p>（二）“三公”经费。随部门预算一并公开。</p>
<p>二、工作要求</p>
<p>各单位要高度重视，按时完成公开任务。</p>"""


def page(layout: str, *, title="示例县财政局关于做好2024年预算公开工作的通知", attachment: str | None = None) -> str:
    att = f'<p>附件：<a href="{attachment}">预算公开任务清单</a></p>' if attachment else ""
    if layout == "table":
        meta = f"""<table class="xxgk_table" border="1">
<tr><td>索 引 号：</td><td>11330000MB7654321Y/2024-00003</td><td>主题分类：</td><td>财政、金融、审计/财政</td></tr>
<tr><td>发文机关：</td><td>示例县财政局</td><td>成文日期：</td><td>2024年04月02日</td></tr>
<tr><td>标　　题：</td><td colspan="3">{title}</td></tr>
<tr><td>发文字号：</td><td>示财发[2024]3号</td><td>发布日期：</td><td>2024-4-6</td></tr>
<tr><td>主 题 词：</td><td colspan="3">预算 公开</td></tr></table>"""
        head = f'<meta http-equiv="Content-Type" content="text/html; charset=gbk"><meta name="ArticleTitle" content="{title}">'
        return (f"<html><head>{head}<title>{title}_示例县人民政府</title></head><body>{FURNITURE_TOP}{meta}"
                f'<div class="article"><h2 class="title">{title}</h2><div class="fontsize">字号：大 中 小</div>'
                f'<div id="zoom" class="TRS_Editor">{BODY}<p style="text-align:right">示例县财政局</p>'
                f'<p style="text-align:right">2024年4月2日</p>{att}</div></div>{FURNITURE_BOTTOM}</body></html>')
    if layout == "list":
        meta = """<ul class="info">
<li>索引号：11330000MB7654321Y/2024-00004</li><li>信息分类：财政</li>
<li>发布机构：示例县财政局</li></ul>
<p class="infoline">文号：示财发【2024】4号　发布时间：2024年04月06日 16:40　浏览次数：38</p>"""
        return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title} - 示例县人民政府</title></head>"
                f"<body>{FURNITURE_TOP}<div class=\"content\"><h1>{title}</h1>{meta}<div class=\"text\">{BODY}"
                f"<p>示例县财政局</p><p>2024.04.02</p>{att}</div></div>{FURNITURE_BOTTOM}</body></html>")
    if layout == "dl":
        body = BODY.replace("各乡镇人民政府，县政府各部门", "各鄉鎮人民政府，縣政府各部門").replace(
            "为进一步做好预算公开工作", "為進一步做好預算公開工作").replace("各单位要高度重视", "各單位要高度重視")
        meta = """<dl class="meta"><dt>索引號：</dt><dd>11330000MB7654321Y/2023-00009</dd>
<dt>發文機關：</dt><dd>示例縣財政局</dd><dt>發文字號：</dt><dd>示財發(2023)9號</dd>
<dt>成文日期：</dt><dd>2023-12-1</dd><dt>發佈日期：</dt><dd>2023-12-05</dd>
<dt>生效时间：</dt><dd>2024-01-01</dd><dt>废止时间：</dt><dd>2024-12-31</dd><dt>有效性：</dt><dd>失效</dd></dl>"""
        return (f"<html lang=\"zh-Hant\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>{FURNITURE_TOP}"
                f"<main><h1>{title}</h1>{meta}{body}<p>示例縣財政局</p><p>2023年12月1日</p>{att}</main>"
                f"{FURNITURE_BOTTOM}</body></html>")
    raise ValueError(layout)


def write_page(folder: Path, name: str, layout: str, encoding: str = "utf-8", **kw) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(page(layout, **kw).encode("gbk" if layout == "table" else encoding))
    return path


# -- a 2021-format annual report -------------------------------------------------------------------
APP_ROWS = [  # (label cells html, key path)
    ('<td colspan="3">一、本年新收政府信息公开申请数量</td>', ("new",)),
    ('<td colspan="3">二、上年结转政府信息公开申请数量</td>', ("carried_over",)),
    ('<td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>', ("disclosed",)),
    ('<td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td>', ("partly_disclosed",)),
]
_GROUPS = [
    ("（三）不予公开", "withheld", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
                             "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"],
     ["state_secret", "prohibited_by_law", "security_stability", "third_party", "internal_affairs", "process_info",
      "enforcement_files", "inquiry"]),
    ("（四）无法提供", "cannot_provide", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"],
     ["not_held", "needs_creation", "unclear"]),
    ("（五）不予处理", "not_processed", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                                 "5.要求行政机关确认或重新出具已获取信息"],
     ["complaints", "duplicate", "publications", "excessive", "confirmation"]),
    ("（六）其他处理", "other", ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                             "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"],
     ["no_correction", "unpaid_fee", "other"]),
]
for _label, _group, _leaves, _keys in _GROUPS:
    for _i, (_leaf, _key) in enumerate(zip(_leaves, _keys)):
        APP_ROWS.append(((f'<td rowspan="{len(_leaves)}">{_label}</td>' if _i == 0 else "") + f"<td>{_leaf}</td>",
                         (_group, _key)))
APP_ROWS += [('<td colspan="2">（七）总计</td>', ("total",)),
             ('<td colspan="3">四、结转下年度继续办理</td>', ("carried_forward",))]


def _cells(values, blank_zero=True):
    return "".join(f"<td>{'' if (v == 0 and blank_zero) else v}</td>" for v in values)


def annual_report_html(stats: dict, year: int = 2023, agency="示例县人民政府办公室") -> str:
    a, apps, rl = stats["active_disclosure"], stats["applications"], stats["review_litigation"]
    t2 = f"""<table border="1"><tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td>{_cells(a['rules'])}</tr><tr><td>行政规范性文件</td>{_cells(a['normative_documents'])}</tr>
<tr><td colspan="4">第二十条第（五）项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">{a['licensing']}</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr><tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">{a['penalties']}</td></tr><tr><td>行政强制</td><td colspan="3">{a['enforcement']}</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr><tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan="3">{a['fees']}</td></tr></table>"""
    rows = []
    for label, key in APP_ROWS:
        node = apps
        for k in key:
            node = node[k]
        rows.append(f"<tr>{label}{_cells(node)}</tr>")
    t3 = ('<table border="1"><tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
          '<td colspan="7">申请人情况</td></tr><tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
          '<td rowspan="2">总计</td></tr><tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td>'
          "<td>其他</td></tr>\n" + "\n".join(rows) + "</table>")
    heads = "".join(f"<td>{h}</td>" for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    t4 = (f'<table border="1"><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
          f'<tr>{heads.replace("<td>", "<td rowspan=2>")}<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
          f"<tr>{heads}{heads}</tr><tr>{_cells(rl['review'] + rl['litigation_direct'] + rl['litigation_after_review'], False)}</tr></table>")
    title = f"示例县人民政府{year}年政府信息公开工作年度报告"
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{FURNITURE_TOP}<h1>{title}</h1>"
            f"<p>发布机构：{agency}　发布日期：{year + 1}-01-20</p>"
            f"<p>本报告依据《中华人民共和国政府信息公开条例》编制。</p><p>一、总体情况</p><p>{year}年，本县推进政务公开。</p>"
            f"<p>二、主动公开政府信息情况</p>{t2}<p>三、收到和处理政府信息公开申请情况</p>{t3}"
            f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{t4}<p>五、存在的主要问题及改进情况</p><p>解读形式较单一。</p>"
            f"<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>{FURNITURE_BOTTOM}</body></html>")
