"""Refused and hostile attachments (SPEC 11): each ends in a clear message at the entry's
`attachments` line, in bounded time and memory, never a traceback; the build goes on past
what is only a warning.
"""
from __future__ import annotations

import random
import resource
import time
import zipfile
from pathlib import Path

import pytest

import hostile
import makers
from helpers import run_build
from sitemaker import make_site, policy

ID = makers.id_number("11010519900101123")
NOT_READ = "其文字既不能被搜索，也未检查个人信息"


def _site(root: Path, files: dict[str, bytes | Path], **fields) -> Path:
    items = "".join(f"\n  - file: files/{name}\n    title: 附件{i}" for i, name in enumerate(files, 1))
    site = make_site(root, {"content/policies/p1.md": policy(1, attachments=items, **fields)})
    for name, data in files.items():
        dest = site / "content" / "files" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data.read_bytes() if isinstance(data, Path) else data)
    return site


def _line(i: int) -> int:
    return 8 + 2 * (i - 1)          # the `- file:` line of the i-th attachment (sitemaker.policy)


def test_refusals_are_errors_and_unreadable_pdfs_are_warnings(tmp_path):
    from pypdf import PdfWriter
    good = makers.docx(tmp_path / "good.docx", ["方案"])
    macro = tmp_path / "macro.docx"                               # a .docx that carries a VBA project
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/vbaProject.bin", b"\0" * 64)
    pe = bytearray(b"MZ" + b"\0" * 200)
    pe[60:64] = (128).to_bytes(4, "little")
    pe[128:132] = b"PE\0\0"
    blank, locked = PdfWriter(), PdfWriter()
    blank.add_blank_page(595, 842)                                 # a page with no text: a scan, as far as text goes
    locked.add_blank_page(595, 842)
    locked.encrypt("secret", algorithm="RC4-128")
    blank.write(tmp_path / "scan.pdf")
    locked.write(tmp_path / "locked.pdf")
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    files = {"m.docm": good, "tool.exe": bytes(pe), "renamed.txt": bytes(pe), "photo.pdf": png,
             "macro.docx": macro, "words.xlsx": good, "scan.pdf": tmp_path / "scan.pdf",
             "locked.pdf": tmp_path / "locked.pdf"}
    site = _site(tmp_path / "site", files)
    r = run_build("build", "--site", str(site), "--as-of", "2024-01-01")
    assert r.returncode == 1
    p = "content/policies/p1.md"
    expected = [
        f"{p}:{_line(1)}: attachments: 附件 content/files/m.docm：“.docm”是启用宏的 Office 文件，宏可能携带恶意代码，不能发布："
        "请另存为不含宏的格式（如 .docx 或 PDF）",
        f"{p}:{_line(2)}: attachments: 附件 content/files/tool.exe：是可执行程序或脚本，不能作为附件发布",
        f"{p}:{_line(3)}: attachments: 附件 content/files/renamed.txt：是可执行程序或脚本，不能作为附件发布"
        "（文件内容是可执行程序，扩展名却是“.txt”）",
        f"{p}:{_line(4)}: attachments: 附件 content/files/photo.pdf：文件内容与扩展名“.pdf”不符：实际是PNG 图片；"
        "请上传正确的文件，或把扩展名改成与内容相符",
        f"{p}:{_line(5)}: attachments: 附件 content/files/macro.docx：文件内含宏（vbaProject.bin），宏可能携带恶意代码，"
        "不能发布：请另存为不含宏的格式后上传",
        f"{p}:{_line(6)}: attachments: 附件 content/files/words.xlsx：文件内容与扩展名“.xlsx”不符：它是 ZIP 压缩包，"
        "但不含 xlsx 文件必有的 xl/workbook.xml",
        f"{p}:{_line(7)}: attachments: 警告：附件 content/files/scan.pdf：PDF 中没有可提取的文字（可能是扫描图片）：{NOT_READ}",
        f"{p}:{_line(8)}: attachments: 警告：附件 content/files/locked.pdf：PDF 已加密（需要密码才能打开）：{NOT_READ}",
    ]
    lines = r.stderr.splitlines()
    for line in expected:
        assert line in lines, f"missing:\n{line}\nin:\n{r.stderr}"
    assert "共 6 个错误，2 个警告" in r.stderr


def test_an_unreadable_pdf_alone_is_a_warning_and_strict_fails_on_it(tmp_path):
    from pypdf import PdfWriter
    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.write(tmp_path / "scan.pdf")
    site = _site(tmp_path / "site", {"scan.pdf": tmp_path / "scan.pdf"})
    assert run_build("build", "--site", str(site), "--as-of", "2024-01-01").returncode == 0
    r = run_build("check", "--site", str(site), "--as-of", "2024-01-01", "--strict")
    assert r.returncode == 1 and "scan.pdf：PDF 中没有可提取的文字（可能是扫描图片）" in r.stderr


def test_hostile_files_end_in_clear_messages_in_bounded_time_and_memory(tmp_path):
    files = {
        "cut.docx": hostile.truncated_docx(tmp_path / "cut.docx", tmp_path),
        "bomb.xlsx": hostile.zip_bomb(tmp_path / "bomb.xlsx"),
        "pages.pdf": hostile.many_pages_pdf(tmp_path / "pages.pdf"),
        "nested.docx": hostile.nested_tables_docx(tmp_path / "nested.docx", tmp_path, 20, ID),
        "abyss.docx": hostile.nested_tables_docx(tmp_path / "abyss.docx", tmp_path, 2000, ID),
    }
    site = _site(tmp_path / "site", files)
    start = time.monotonic()
    r = run_build("build", "--site", str(site), "--as-of", "2024-01-01")
    seconds = time.monotonic() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    p = "content/policies/p1.md"
    expected = [
        f"{p}:{_line(1)}: attachments: 附件 content/files/cut.docx：文件已损坏或不完整（不是完整的 docx 文件，ZIP 结构无法读取："
        "File is not a zip file）；请重新导出或重新上传",
        f"{p}:{_line(2)}: attachments: 附件 content/files/bomb.xlsx：文件解压后过大（部件 xl/worksheets/sheet1.xml 解压后 150 MB，"
        "压缩比 1028 倍），疑似“压缩炸弹”，拒绝读取",
        f"{p}:{_line(3)}: attachments: 警告：附件 content/files/pages.pdf：PDF 共 10000 页，只读取了前 2000 页；"
        "其余页的文字既不能被搜索，也未检查个人信息",
        f"{p}:{_line(4)}: attachments: 警告：附件 content/files/nested.docx：Word 表格嵌套超过 8 层，更深处的文字既不能被搜索，"
        "也未检查个人信息",
        f"{p}:{_line(5)}: attachments: 警告：附件 content/files/abyss.docx：文件无法解析（XMLSyntaxError，可能已损坏）：{NOT_READ}",
    ]
    lines = r.stderr.splitlines()
    for line in expected:
        assert line in lines, f"missing:\n{line}\nin:\n{r.stderr}"
    assert r.returncode == 1 and "共 2 个错误，3 个警告" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert seconds < 90, seconds
    assert peak_mb < 1500, peak_mb


def test_fuzz_damaged_office_and_pdf_files_never_raise_or_hang(tmp_path):
    """Truncated and bit-flipped copies of real files: every one read to a report, in children with a
    time and memory limit, within a bound."""
    from xxgk.attachments.read import _read_all
    seeds = {
        "x.xlsx": makers.xlsx(tmp_path / "s.xlsx", {"名单": [["姓名", "身份证号"], ["张三", ID]] * 20}).read_bytes(),
        "x.docx": makers.docx(tmp_path / "s.docx", ["劳动用工", ID], [[["a", ID], ["b", "c"]]]).read_bytes(),
        "x.pdf": hostile.many_pages_pdf(tmp_path / "s.pdf", 3).read_bytes(),
    }
    rng = random.Random(25)
    todo = []
    for name, data in seeds.items():
        for k in range(12):
            b = bytearray(data)
            if k % 3 == 0:
                b = b[: rng.randrange(1, len(b))]
            else:
                for _ in range(rng.choice((1, 8, 64))):
                    b[rng.randrange(len(b))] = rng.randrange(256)
            p = tmp_path / f"f{k}-{name}"
            p.write_bytes(bytes(b))
            todo.append((str(p), p.name))
    start = time.monotonic()
    results = _read_all(todo)
    assert time.monotonic() - start < 120
    for (path, _name), (report, _text) in zip(todo, results):
        assert set(report) == {"kind", "problems", "hits", "more"}, path
        for level, _code, message in report["problems"]:
            assert level in ("error", "warning") and message and "Traceback" not in message
        assert all(ID not in str(h) for h in report["hits"])


@pytest.mark.parametrize("seconds", ["1"])
def test_a_reader_that_runs_too_long_is_stopped(tmp_path, monkeypatch, seconds):
    from xxgk.attachments import read
    monkeypatch.setenv("XXGK_ATTACHMENT_SECONDS", seconds)
    monkeypatch.setattr(read, "READERS", {"text": lambda path, out: time.sleep(30)})
    p = tmp_path / "slow.txt"
    p.write_text("x", encoding="utf-8")
    start = time.monotonic()
    report, _text = read._read_all([(str(p), p.name)])[0]
    assert time.monotonic() - start < 10
    assert report["problems"] == [["warning", "attachment-unread",
                                   f"读取超过 1 秒仍未完成，已放弃（文件可能被恶意构造）：{NOT_READ}"]]
