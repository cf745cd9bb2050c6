"""Attachments made in the tests: real .xlsx (openpyxl), .docx (python-docx) and PDF (printed by
Chromium from an HTML page with Chinese text), and ID numbers with valid check digits."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from helpers import CHROMIUM

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """An 18-digit resident ID number with its GB 11643 check digit."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W)) % 11]


def xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def docx(path: Path, paragraphs: list[str], tables: list[list[list[str]]] = ()) -> Path:
    import docx as _docx
    d = _docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    for rows in tables:
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path


def pdf(path: Path, pages: list[str]) -> Path:
    """A PDF printed by Chromium, one page per item (HTML allowed), in a CJK font."""
    body = "".join(f'<section style="page-break-after: always">{p}</section>' for p in pages)
    html = ('<!doctype html><html lang="zh-CN"><meta charset="utf-8">'
            '<body style="font-family: \'Noto Sans CJK SC\', \'WenQuanYi Micro Hei\', sans-serif; font-size: 14pt">'
            f'{body}</body></html>')
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(html, encoding="utf-8")
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--disable-sync", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={path}", src.as_uri()],
                       check=True, capture_output=True, timeout=120)
    return path
