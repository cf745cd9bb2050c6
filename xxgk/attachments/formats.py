"""The text of each format, as pieces with their place in the file, within fixed caps.

Each reader fills an `Extracted`: `pieces`, each (where, text, row) — where: the place as an editor
finds it (`第 3 页`, `第 12 段`, `第 1 个表格第 2 行第 3 列`, `名单!C7`, `单元格 C7`, or "" for a text
file, whose hits are placed by line); row: pieces with the same row (the cells of one table or sheet
row) are also scanned joined, for a number split over cells — and `notes`, (level, message) about
what could not be read. Text is normalised (normalize.py) as it is read.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from .normalize import normalize

MAX_PAGES = 2000              # PDF pages read
MAX_CHARS = 5_000_000         # characters kept from one file
MAX_CELLS = 1_000_000         # spreadsheet cells read
MAX_TABLE_DEPTH = 8           # Word tables inside tables
MAX_TEXT_BYTES = 30 * 1024 * 1024


@dataclass
class Extracted:
    pieces: list = field(default_factory=list)      # (where, text, row or None)
    notes: list = field(default_factory=list)       # (level, code, message)
    chars: int = 0
    full: bool = False                              # MAX_CHARS reached

    def add(self, where: str, text, row=None) -> bool:
        """Keep a piece; False once MAX_CHARS is reached (the reader stops)."""
        if self.full:
            return False
        text = normalize(str(text))
        if not text.strip():
            return True
        if self.chars + len(text) > MAX_CHARS:
            text = text[:MAX_CHARS - self.chars]
            self.full = True
            self.notes.append(("warning", "attachment-partial",
                               f"文字超过 {MAX_CHARS // 10000} 万字，只读取了前 {MAX_CHARS // 10000} 万字；"
                               "其余部分既不能被搜索，也未检查个人信息"))
        self.chars += len(text)
        self.pieces.append((where, text, row))
        return not self.full


class Unreadable(Exception):
    """The text cannot be read (a warning: the file is published, its text neither searched nor scanned)."""


# -- PDF ----------------------------------------------------------------------------------------
def read_pdf(path, out: Extracted) -> None:
    import logging
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, DependencyError, FileNotDecryptedError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)     # its warnings are not the editor's
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):                 # (an owner password alone still opens)
                    raise Unreadable("PDF 已加密（需要密码才能打开）")
            except (DependencyError, FileNotDecryptedError, NotImplementedError):
                raise Unreadable("PDF 已加密（需要密码才能打开）") from None
        pages = len(reader.pages)
    except Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError, ZeroDivisionError) as exc:
        raise Unreadable(f"PDF 无法解析（{type(exc).__name__}，文件可能已损坏）") from None
    if pages > MAX_PAGES:
        out.notes.append(("warning", "attachment-partial",
                          f"PDF 共 {pages} 页，只读取了前 {MAX_PAGES} 页；其余页的文字既不能被搜索，也未检查个人信息"))
    failed = 0
    for n in range(min(pages, MAX_PAGES)):
        try:
            text = reader.pages[n].extract_text() or ""
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
                RecursionError, AssertionError, ZeroDivisionError, NotImplementedError):
            failed += 1
            continue
        if not out.add(f"第 {n + 1} 页", text):
            break
    if pages and not any(t.strip() for _w, t, _r in out.pieces):
        raise Unreadable("PDF 中没有可提取的文字（可能是扫描图片）" if failed < pages else "PDF 的页面无法解析")
    if failed:
        out.notes.append(("warning", "attachment-partial",
                          f"PDF 有 {failed} 页无法解析，这些页的文字既不能被搜索，也未检查个人信息"))


# -- Word ---------------------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _para_text(p) -> str:
    parts = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        parts.append(el.text or "" if el.tag == f"{_W}t" else ("\t" if el.tag == f"{_W}tab" else "\n"))
    return "".join(parts)


def read_docx(path, out: Extracted) -> None:
    import docx
    body = docx.Document(str(path)).element.body
    counter = {"p": 0, "t": 0}
    deep = False
    # (element, where-prefix, depth): a body's blocks, in order, without recursion
    stack = [(child, "", 0) for child in reversed(list(body))]
    while stack:
        el, prefix, depth = stack.pop()
        if el.tag == f"{_W}p":
            text = _para_text(el)
            if depth == 0:
                if text.strip():
                    counter["p"] += 1
                    if not out.add(f"第 {counter['p']} 段", text):
                        return
            elif not out.add(prefix, text, row=prefix.rsplit("第", 1)[0]):
                return
        elif el.tag == f"{_W}tbl":
            if depth >= MAX_TABLE_DEPTH:
                deep = True
                continue
            if depth == 0:
                counter["t"] += 1
                name = f"第 {counter['t']} 个表格"
            else:
                name = f"{prefix}中的表格"
            rows = [r for r in el if r.tag == f"{_W}tr"]
            items = []
            for ri, row in enumerate(rows, 1):
                cells = [c for c in row if c.tag == f"{_W}tc"]
                for ci, cell in enumerate(cells, 1):
                    where = f"{name}第 {ri} 行第 {ci} 列"
                    items += [(child, where, depth + 1) for child in cell]
            stack.extend(reversed(items))
        elif el.tag == f"{_W}sdt":               # content controls hold paragraphs and tables
            content = el.find(f"{_W}sdtContent")
            if content is not None:
                stack.extend((child, prefix, depth) for child in reversed(list(content)))
    if deep:
        out.notes.append(("warning", "attachment-partial",
                          f"Word 表格嵌套超过 {MAX_TABLE_DEPTH} 层，更深处的文字既不能被搜索，也未检查个人信息"))


# -- spreadsheets -------------------------------------------------------------------------------
def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _number(v, where: str, out: Extracted) -> str | None:
    """A numeric cell as text; a long whole number stored as a floating-point number has lost its last
    digits (spreadsheets keep 15 significant digits): say so rather than scan a wrong number."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return str(v)
    if v != v or v in (float("inf"), float("-inf")):
        return None
    if v.is_integer() and abs(v) >= 1e15:
        digits = f"{abs(v):.0f}"
        out.notes.append(("lost-digits", where, digits))
        return None
    return str(int(v)) if v.is_integer() else repr(v)


def read_xlsx(path, out: Extracted) -> None:
    import openpyxl
    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    cells = 0
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue
            for row in ws.iter_rows():
                for c in row:
                    v = getattr(c, "value", None)
                    if v is None:
                        continue
                    cells += 1
                    if cells > MAX_CELLS:
                        out.notes.append(("warning", "attachment-partial",
                                          f"表格超过 {MAX_CELLS} 个单元格，只读取了前 {MAX_CELLS} 个；其余单元格既不能被搜索，"
                                          "也未检查个人信息"))
                        return
                    where = f"{ws.title}!{_col(c.column)}{c.row}"
                    text = _number(v, where, out) if isinstance(v, (int, float)) else str(v)
                    if text is not None and not out.add(where, text, row=(ws.title, c.row)):
                        return
    finally:
        wb.close()


# -- CSV and text -------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise Unreadable("文字编码无法识别（既不是 UTF-8 也不是 GB18030）")


def _read_bytes(path, out: Extracted) -> bytes:
    with open(path, "rb") as f:
        data = f.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        out.notes.append(("warning", "attachment-partial",
                          f"文件超过 {MAX_TEXT_BYTES >> 20} MB，只读取了前 {MAX_TEXT_BYTES >> 20} MB；其余部分既不能被搜索，"
                          "也未检查个人信息"))
        data = data[:MAX_TEXT_BYTES]
    return data


_SCI = re.compile(r"^\s*[-+]?\d(?:\.\d+)?[eE]\+?(1[5-9])\s*$")


def read_csv(path, out: Extracted) -> None:
    text = _decode(_read_bytes(path, out))
    csv.field_size_limit(MAX_TEXT_BYTES)
    cells = 0
    try:
        for r, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
            for c, value in enumerate(row, 1):
                if not value.strip():
                    continue
                cells += 1
                if cells > MAX_CELLS:
                    out.notes.append(("warning", "attachment-partial",
                                      f"CSV 超过 {MAX_CELLS} 个单元格，只读取了前 {MAX_CELLS} 个；其余既不能被搜索，也未检查个人信息"))
                    return
                where = f"单元格 {_col(c)}{r}"
                if _SCI.match(value):      # an ID number a spreadsheet saved as 1.10105E+17: digits lost
                    out.notes.append(("lost-digits", where, value.strip()))
                    continue
                if not out.add(where, value, row=r):
                    return
    except csv.Error as exc:
        raise Unreadable(f"CSV 无法解析（{exc}）") from None


def read_text(path, out: Extracted) -> None:
    out.add("", _decode(_read_bytes(path, out)))


READERS = {"pdf": read_pdf, "docx": read_docx, "xlsx": read_xlsx, "csv": read_csv, "text": read_text}
