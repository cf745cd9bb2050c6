"""A Word document (.docx, a 红头文件 as offices format it) → blocks, read with python-docx.

Offices format by hand: the red 发文机关标志 is red and large, the title is centred in a larger
font (小标宋 二号), headings are 黑体 / 楷体 lines or bold, with 一、（一）1. numbering typed in.
So each paragraph carries what its direct formatting says (bold, size above the body's usual
size, a font other than the body's, red, centred, right-aligned) besides its style. Tables keep
their merged cells (gridSpan / vMerge) resolved.
"""
from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

from .blocks import Para, Table
from .model import Extracted, SourceError
from .normalize import clean
from .textfile import MAX_BYTES

MAX_UNZIPPED = 200 * 1024 * 1024
_HEADING_FONTS = ("黑体", "楷体", "楷体_GB2312", "方正小标宋", "小标宋", "方正黑体", "方正楷体", "华文中宋", "宋体-方正超大字符集")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(path: Path):
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SourceError(f"文件过大（超过 {MAX_BYTES // 1048576} MB）：请确认它是一份文件")
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "word/document.xml" not in names:
                raise SourceError("不是 Word 文档（.docx 里没有正文 word/document.xml）：请用 Word 另存为 .docx 后再导入")
            if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
                raise SourceError("Word 文档解压后过大（超过 200 MB）：请确认文件完好")
    except zipfile.BadZipFile:
        raise SourceError("不是有效的 .docx 文件（文件可能已损坏、被截断，或是旧版 .doc 改了扩展名）："
                          "请用 Word 打开后另存为 .docx 再导入") from None
    except OSError as exc:
        raise SourceError(f"无法读取文件：{exc.strerror or exc}") from None
    import docx
    try:
        return docx.Document(str(path))
    except Exception as exc:      # python-docx / lxml on a damaged package
        raise SourceError(f"Word 文档无法打开（{type(exc).__name__}）：文件可能已损坏，请用 Word 打开后另存为 .docx 再导入") from None


def _run_props(r):
    """(text, bold, size in pt or None, font name, red) of a run element, from its direct formatting
    (read from the XML with lxml: python-docx's properties cost an XPath query each)."""
    parts = []
    for child in r:
        tag = child.tag
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
    _t, bold, size, font, red = _run_props_of(r.find(_W + "rPr"))
    return "".join(parts), bold, size, font, red


def _run_props_of(rpr):
    """(None, bold, size in pt, font name, red) from a w:rPr element (or None)."""
    bold = size = font = None
    red = False
    if rpr is not None:
        b = rpr.find(_W + "b")
        if b is not None:
            bold = b.get(_W + "val") not in ("0", "false")
        sz = rpr.find(_W + "sz")
        if sz is not None:
            try:
                size = int(sz.get(_W + "val")) / 2
            except (TypeError, ValueError):
                size = None
        fonts = rpr.find(_W + "rFonts")
        if fonts is not None:
            font = fonts.get(_W + "eastAsia") or fonts.get(_W + "ascii")
        color = rpr.find(_W + "color")
        if color is not None:
            val = (color.get(_W + "val") or "").upper()
            if len(val) == 6:
                try:
                    rr, gg, bb = int(val[:2], 16), int(val[2:4], 16), int(val[4:], 16)
                    red = rr >= 0xC0 and gg <= 0x60 and bb <= 0x60
                except ValueError:
                    pass
    return None, bold, size, font, red


_WRAPPERS = frozenset(_W + t for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "sdt", "sdtContent"))


def _runs(el, depth: int = 0):
    """The paragraph's own runs, also inside links and tracked insertions — not the runs of text
    boxes and drawings anchored in it (their text would come twice: drawing and fallback)."""
    for child in el:
        if child.tag == _W + "r":
            yield child
        elif child.tag in _WRAPPERS and depth < 4:
            yield from _runs(child, depth + 1)


class _Styles:
    """What each paragraph style says (name, bold, size, font, alignment), read once per document
    from the styles part python-docx parsed (its own lookup of the default style runs an XPath
    query over every style, for every paragraph)."""

    def __init__(self, doc):
        self.raw: dict[str, object] = {}
        self.default: str | None = None
        self.cache: dict = {}
        try:
            root = doc.styles.element
        except Exception:
            root = None
        for st in (root.iterchildren(_W + "style") if root is not None else ()):
            if st.get(_W + "type") != "paragraph":
                continue
            sid = st.get(_W + "styleId")
            self.raw[sid] = st
            if st.get(_W + "default") in ("1", "true") and self.default is None:
                self.default = sid
        self.default_size = None
        sz = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz") if root is not None else None
        if sz is not None:
            try:
                self.default_size = int(sz.get(_W + "val")) / 2
            except (TypeError, ValueError):
                pass

    def _own(self, st):
        name_el = st.find(_W + "name")
        name = name_el.get(_W + "val", "") if name_el is not None else ""
        based = st.find(_W + "basedOn")
        rpr = st.find(_W + "rPr")
        bold = size = font = None
        if rpr is not None:
            _t, bold, size, font, _red = _run_props_of(rpr)
        jc = st.find(_W + "pPr/" + _W + "jc")
        align = {"center": 1, "right": 2, "end": 2, "both": 3, "left": 0, "start": 0}.get(
            jc.get(_W + "val", "") if jc is not None else "", None)
        return name, (based.get(_W + "val") if based is not None else None), bold, size, font, align

    def get(self, style_id):
        key = style_id if style_id in self.raw else self.default
        if key in self.cache:
            return self.cache[key]
        name = None
        bold = size = font = align = None
        sid, seen = key, 0
        while sid in self.raw and seen < 10:
            n, based, b, sz, fn, al = self._own(self.raw[sid])
            name = n if name is None else name
            bold = b if bold is None else bold
            size = sz if size is None else size
            font = fn if font is None else font
            align = al if align is None else align
            sid, seen = based, seen + 1
        self.cache[key] = (_STYLE_NAMES.get((name or "").lower(), name or ""), bold, size, font, align)
        return self.cache[key]


# Word stores the built-in styles' names in lower case ("heading 1"); python-docx shows them as "Heading 1"
_STYLE_NAMES = {f"heading {i}": f"Heading {i}" for i in range(1, 10)} | {"title": "Title", "list bullet": "List Bullet",
                                                                        "list number": "List Number",
                                                                        "list paragraph": "List Paragraph"}


def _para(p, line: int, styles: _Styles) -> tuple[Para, list]:
    runs = [_run_props(r) for r in _runs(p._p)]
    ppr = p._p.pPr
    style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
    style_name, s_bold, s_size, s_font, s_align = styles.get(style_id)
    text = clean("".join(t for t, *_x in runs))
    visible = [(t, b if b is not None else s_bold, sz or s_size or styles.default_size, fn or s_font, red)
               for t, b, sz, fn, red in runs if t.strip()]
    bold = bool(visible) and all(b for _t, b, _s, _f, _r in visible)
    red = bool(visible) and all(r for *_x, r in visible)
    align = p.alignment if p.alignment is not None else s_align
    align = int(align) if align is not None else 0
    heading = 0
    low = style_name.lower()
    if low.startswith("heading") or style_name.startswith("标题"):
        digits = "".join(c for c in style_name if c.isdigit())
        heading = int(digits) if digits else 1
    title_style = low == "title" or style_name == "标题"
    numbered = ppr is not None and ppr.numPr is not None
    list_kind = None
    if numbered or "list" in low or "列表" in style_name:
        list_kind = "ol" if "number" in low or "编号" in style_name else "ul"
    para = Para(text, line=line, bold=bold or title_style, center=align == 1 or title_style, right=align == 2,
                red=red, heading=heading,
                list_kind=list_kind if text else None)
    return para, visible


def _table(t, line: int) -> Table:
    cells, origin = [], []
    above: dict[int, str] = {}
    for tr in t._tbl.tr_lst[:5000]:
        row, orow, col = [], [], 0
        for tc in tr.tc_lst:
            span = max(1, min(tc.grid_span or 1, 50))
            text = clean(" ".join("".join(x.text or "" for x in p.iter(_W + "t")) for p in tc.iter(_W + "p")))
            cont = tc.vMerge == "continue"
            if cont:
                text = above.get(col, "")
            for k in range(span):
                row.append(text)
                orow.append(k == 0 and not cont)
                above[col + k] = text
            col += span
        cells.append(row)
        origin.append(orow)
    return Table(cells, origin, [line] * len(cells), line)


def read_docx(path: Path) -> Extracted:
    doc = _open(path)
    blocks: list = []
    fonts: list[list] = []
    styles = _Styles(doc)
    try:
        for n, item in enumerate(doc.iter_inner_content(), 1):
            if hasattr(item, "runs"):
                para, visible = _para(item, n, styles)
                blocks.append(para)
                fonts.append(visible)
            else:
                blocks.append(_table(item, n))
                fonts.append([])
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"Word 文档的内容无法读取（{type(exc).__name__}）：请用 Word 打开后另存为 .docx 再导入") from None
    # the body's usual size and font: weighted by the amount of text
    sizes, faces = Counter(), Counter()
    for vis in fonts:
        for t, _b, sz, fn, _r in vis:
            if sz:
                sizes[sz] += len(t)
            if fn:
                faces[fn] += len(t)
    body_size = sizes.most_common(1)[0][0] if sizes else None
    body_font = faces.most_common(1)[0][0] if faces else None
    for b, vis in zip(blocks, fonts):
        if not isinstance(b, Para) or not vis:
            continue
        top = max((sz for _t, _b, sz, _f, _r in vis if sz), default=None)
        if top and body_size:
            b.larger = 2 if top >= body_size + 5 else 1 if top > body_size else 0
        face = vis[0][3]
        b.special_font = bool(face and face != body_font and any(h in face for h in _HEADING_FONTS))
    return Extracted(blocks, kind="docx")
