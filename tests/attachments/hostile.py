"""Hostile attachments made in the tests: a truncated zip, a zip bomb, a PDF of 10,000 pages with
text on each, Word tables nested deeper than any real document."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import makers


def truncated_docx(path: Path, tmp: Path) -> Path:
    whole = makers.docx(tmp / "whole.docx", ["劳动用工方案"] * 50).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def zip_bomb(path: Path, megabytes: int = 150) -> Path:
    """A .xlsx whose one sheet inflates to `megabytes` MB of zeros (a few hundred KB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            block = b"0" * (1 << 20)
            for _ in range(megabytes):
                f.write(block)
    return path


def many_pages_pdf(path: Path, pages: int = 10_000) -> Path:
    """A PDF of `pages` pages, each showing a line of text (one shared content stream)."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", None,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    stream = b"BT /F1 12 Tf 72 720 Td (Employment contract page) Tj ET"
    objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    kids = []
    for _ in range(pages):
        objs.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                    "/Contents 4 0 R >>")
        kids.append(f"{len(objs)} 0 R")
    objs[1] = f"<< /Type /Pages /Count {pages} /Kids [{' '.join(kids)}] >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objs, 1):
        offsets.append(out.tell())
        body = obj if isinstance(obj, bytes) else obj.encode()
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


def nested_tables_docx(path: Path, tmp: Path, depth: int, secret: str) -> Path:
    """A .docx whose one table holds a table … `depth` levels deep, `secret` in the deepest cell."""
    base = makers.docx(tmp / f"base-{depth}.docx", ["嵌套表格"])
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    inner = f"<w:p><w:r><w:t>{secret}</w:t></w:r></w:p>"
    for level in range(depth):
        inner = f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>第{level}层</w:t></w:r></w:p>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    doc = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>{inner}<w:p/></w:body></w:document>'
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = doc.encode() if item.filename == "word/document.xml" else src.read(item)
            dst.writestr(item.filename, data)
    return path
