"""Word files made the way offices format a 红头文件: direct formatting, no heading styles.

    make_gongwen(path, title=…, doc_no=…, …)

A red 发文机关标志 line (红色, 小标宋 26 pt, centred), the 文号 line, the title (小标宋 22 pt,
centred, optionally set on two lines), the 主送 line, body text in 仿宋 16 pt, headings typed with
their numbering in 黑体 (一、) and 楷体 (（一）), a bold-only heading without numbering, a bulleted
list, a table with a merged header cell, the signature and the date under it (right-aligned), the
公开属性 line and the 版记.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

BODY_FONT, BODY_PT = "仿宋_GB2312", 16


def _run(p, text, font=BODY_FONT, size=BODY_PT, bold=None, red=False):
    r = p.add_run(text)
    r.font.size = Pt(size)
    r.font.name = font
    r._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    if bold is not None:
        r.bold = bold
    if red:
        r.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    return r


def para(doc, text, align=None, **kw):
    p = doc.add_paragraph()
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if text:
        _run(p, text, **kw)
    return p


def make_gongwen(path: Path, *, header="示例县人民政府办公室文件", doc_no="示政办发〔2024〕12号",
                 title="示例县人民政府办公室关于加强政务公开工作的通知", title_lines: list[str] | None = None,
                 signer="示例县人民政府办公室", date_text="2024年3月15日", disclosure="（此件公开发布）",
                 pages: int = 1, table: bool = True) -> Path:
    doc = Document()
    if header:
        para(doc, header, "center", font="方正小标宋简体", size=26, red=True)
    if doc_no:
        para(doc, doc_no, "center")
    para(doc, "")
    for line in (title_lines or [title]):
        para(doc, line, "center", font="方正小标宋简体", size=22)
    para(doc, "")
    para(doc, "各乡镇人民政府，县政府各部门：")
    para(doc, "为深入贯彻《中华人民共和国政府信息公开条例》，进一步做好政务公开工作，经县政府同意，现就有关事项通知如下。")
    for page in range(pages):
        n = "一二三四五六七八九十"[page % 10]
        para(doc, f"{n}、总体要求", font="黑体")
        para(doc, "（一）工作目标", font="楷体_GB2312")
        for k in range(6):
            para(doc, f"坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开，第{page + 1}部分第{k + 1}段。"
                      "各单位要明确责任分工，按时完成各项任务，确保公开内容准确、及时、完整。")
        para(doc, "1.明确公开主体", bold=True)
        para(doc, "各单位是本单位政务公开工作的责任主体，主要负责同志要亲自抓。")
        para(doc, "（1）建立台账", )
        para(doc, "工作台账按月更新。")
        para(doc, "保障措施", bold=True)
        lst = doc.add_paragraph(style="List Bullet")
        _run(lst, "加强组织领导")
        lst = doc.add_paragraph(style="List Bullet")
        _run(lst, "强化督促检查")
    if table:
        t = doc.add_table(rows=3, cols=3)
        a = t.cell(0, 0).merge(t.cell(0, 1))
        a.text = "单位与任务"
        t.cell(0, 2).text = "完成时限"
        for r, (u, task, when) in enumerate((("县政府办", "公开目录", "6月底前"), ("县财政局", "预算公开", "全年")), 1):
            t.cell(r, 0).text = u
            t.cell(r, 1).text = task
            t.cell(r, 2).text = when
    para(doc, "")
    if signer:
        para(doc, signer, "right")
    if date_text:
        para(doc, date_text, "right")
    if disclosure:
        para(doc, disclosure)
    para(doc, "抄送：县委办公室，县人大常委会办公室。")
    para(doc, "示例县人民政府办公室                2024年3月15日印发")
    doc.save(str(path))
    return path


def _merged(t, r1, c1, r2, c2, text):
    cell = t.cell(r1, c1).merge(t.cell(r2, c2)) if (r1, c1) != (r2, c2) else t.cell(r1, c1)
    cell.text = text
    return cell


def _values(t, r, c0, values):
    for k, v in enumerate(values):
        t.cell(r, c0 + k).text = "" if v == 0 else str(v)          # offices leave zeros blank


def annual_report_docx(path: Path, stats: dict, year: int = 2023) -> Path:
    """A 2021-format annual report as a Word file: the three tables with merged cells (gridSpan and
    vMerge), zeros left blank."""
    from pagemaker import APP_ROWS   # the rows of table 三 and their key paths
    a, apps, rl = stats["active_disclosure"], stats["applications"], stats["review_litigation"]
    doc = Document()
    para(doc, f"示例县人民政府{year}年政府信息公开工作年度报告", "center", font="方正小标宋简体", size=22)
    para(doc, "一、总体情况", font="黑体")
    para(doc, f"{year}年，本县推进政务公开。")
    para(doc, "二、主动公开政府信息情况", font="黑体")
    t = doc.add_table(rows=14, cols=4)
    r = 0
    for block, head, rows in (("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
                               [("规章", a["rules"]), ("行政规范性文件", a["normative_documents"])]),
                              ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", [a["licensing"]])]),
                              ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", [a["penalties"]]),
                                                                   ("行政强制", [a["enforcement"]])]),
                              ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", [a["fees"]])])):
        _merged(t, r, 0, r, 3, block)
        t.cell(r + 1, 0).text = "信息内容"
        if len(head) == 3:
            for k, h in enumerate(head):
                t.cell(r + 1, 1 + k).text = h
        else:
            _merged(t, r + 1, 1, r + 1, 3, head[0])
        r += 2
        for label, values in rows:
            t.cell(r, 0).text = label
            if len(values) == 3:
                _values(t, r, 1, values)
            else:
                _merged(t, r, 1, r, 3, str(values[0]))
            r += 1
    para(doc, "三、收到和处理政府信息公开申请情况", font="黑体")
    t = doc.add_table(rows=3 + len(APP_ROWS), cols=10)
    _merged(t, 0, 0, 2, 2, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    _merged(t, 0, 3, 0, 9, "申请人情况")
    _merged(t, 1, 3, 2, 3, "自然人")
    _merged(t, 1, 4, 1, 8, "法人或其他组织")
    _merged(t, 1, 9, 2, 9, "总计")
    for k, h in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")):
        t.cell(2, 4 + k).text = h
    import re as _re
    r = 3
    for label_html, key in APP_ROWS:
        texts = _re.findall(r">([^<]+)</td>", label_html)
        if key[0] in ("new", "carried_over", "carried_forward"):
            _merged(t, r, 0, r, 2, texts[0])
        elif len(key) == 1:                              # （一）（二）（七）: beside 三、本年度办理结果
            if key == ("disclosed",):
                _merged(t, r, 0, r + 21, 0, "三、本年度办理结果")
            _merged(t, r, 1, r, 2, texts[-1])
        else:                                            # a leaf of （三）…（六）
            span = _re.search(r'rowspan="(\d+)"', label_html)
            if span:
                _merged(t, r, 1, r + int(span.group(1)) - 1, 1, texts[0])
            t.cell(r, 2).text = texts[-1]
        node = apps
        for k in key:
            node = node[k]
        _values(t, r, 3, node)
        r += 1
    para(doc, "四、政府信息公开行政复议、行政诉讼情况", font="黑体")
    t = doc.add_table(rows=4, cols=15)
    _merged(t, 0, 0, 0, 4, "行政复议")
    _merged(t, 0, 5, 0, 14, "行政诉讼")
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    for k, h in enumerate(heads):
        _merged(t, 1, k, 2, k, h)
        t.cell(2, 5 + k).text = h
        t.cell(2, 10 + k).text = h
    _merged(t, 1, 5, 1, 9, "未经复议直接起诉")
    _merged(t, 1, 10, 1, 14, "复议后起诉")
    for k, v in enumerate(rl["review"] + rl["litigation_direct"] + rl["litigation_after_review"]):
        t.cell(3, k).text = str(v)
    para(doc, "五、存在的主要问题及改进情况", font="黑体")
    para(doc, "解读形式较单一。")
    para(doc, "示例县人民政府办公室", "right")
    para(doc, f"{year + 1}年1月18日", "right")
    doc.save(str(path))
    return path
