"""The checks a .docx or .xlsx passes before python-docx or openpyxl opens it.

A zip's central directory states every member's sizes, so a zip bomb (a few KB that inflate to
gigabytes) is refused by reading the directory only. Members are then read through `open_member`,
which stops at the stated size (a member lying about its size cannot inflate past it).
"""
from __future__ import annotations

import zipfile

MAX_MEMBERS = 5000
MAX_TOTAL = 200 * 1024 * 1024      # all members, uncompressed
MAX_MEMBER = 100 * 1024 * 1024     # one member (an xlsx's sheet, a docx's document.xml)
MAX_RATIO = 200                    # uncompressed / compressed, for members above 1 MB

NEEDS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MACRO_MEMBERS = ("vbaproject.bin", "vbadata.xml")


class Unsafe(Exception):
    """The zip must not be opened: an error with this message."""


def check_zip(path, kind: str) -> None:
    """Raise Unsafe when the Office file at `path` is damaged, a bomb, or carries macros."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise Unsafe(f"文件已损坏或不完整（不是完整的 {kind} 文件，ZIP 结构无法读取：{exc}）；请重新导出或重新上传") from None
    if len(infos) > MAX_MEMBERS:
        raise Unsafe(f"文件内含 {len(infos)} 个部件（正常的 {kind} 文件远少于 {MAX_MEMBERS} 个），疑似恶意构造，拒绝读取")
    total = 0
    names = set()
    for info in infos:
        names.add(info.filename.lower())
        total += info.file_size
        if info.flag_bits & 0x1:
            raise Unsafe("文件中的部件已加密，无法读取；请去掉密码后重新上传")
        if info.file_size > MAX_MEMBER or (info.file_size > 1 << 20 and
                                           info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise Unsafe(f"文件解压后过大（部件 {info.filename} 解压后 {info.file_size // (1 << 20)} MB，"
                         f"压缩比 {info.file_size // max(info.compress_size, 1)} 倍），疑似“压缩炸弹”，拒绝读取")
    if total > MAX_TOTAL:
        raise Unsafe(f"文件解压后共 {total // (1 << 20)} MB，超过 {MAX_TOTAL // (1 << 20)} MB 的上限，拒绝读取"
                     "（疑似“压缩炸弹”；正常文件请拆分后上传）")
    if any(n.rsplit("/", 1)[-1] in MACRO_MEMBERS for n in names):
        raise Unsafe("文件内含宏（vbaProject.bin），宏可能携带恶意代码，不能发布：请另存为不含宏的格式后上传")
    need = NEEDS.get(kind)
    if need and need not in names:
        raise Unsafe(f"文件内容与扩展名“.{kind}”不符：它是 ZIP 压缩包，但不含 {kind} 文件必有的 {need}")
