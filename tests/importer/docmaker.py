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
