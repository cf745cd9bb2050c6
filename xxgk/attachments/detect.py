"""What an attachment is: its extension and its first bytes, which must agree.

`classify(name, head)` returns the format to read (`pdf`, `docx`, `xlsx`, `csv`, `text`), None for
a format whose text is not read (images, old Office formats …), or raises Refused with the reason:
a macro-enabled Office file, an executable, or a content that is not what the extension says.
"""
from __future__ import annotations

HEAD_BYTES = 4096

MACRO_EXTS = {"docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "ppam", "sldm"}
EXEC_EXTS = {"exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "wsf", "jar", "apk", "sh",
             "bin", "elf", "so", "dylib", "app", "deb", "rpm", "lnk", "hta", "cpl", "pif"}
READ = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "csv": "csv", "txt": "text"}

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# what a file of each extension starts with (any of them); an extension not here is not checked
_MAGIC = {
    "pdf": (b"%PDF-",), "docx": _ZIP, "xlsx": _ZIP, "pptx": _ZIP, "ofd": _ZIP, "zip": _ZIP,
    "doc": (_OLE,), "xls": (_OLE,), "ppt": (_OLE,), "wps": (_OLE,), "et": (_OLE,),
    "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"), "rar": (b"Rar!\x1a\x07",), "7z": (b"7z\xbc\xaf\x27\x1c",),
}
_NAMES = {"pdf": "PDF 文件", "zip": "ZIP 压缩包（或 docx/xlsx/pptx 等新版 Office 文件）",
          "ole": "旧版 Office 文件（doc/xls/ppt，或设置了打开密码的 Office 文件）", "png": "PNG 图片",
          "jpg": "JPEG 图片", "gif": "GIF 图片", "rar": "RAR 压缩包", "7z": "7z 压缩包", "html": "网页（HTML）"}
_EXEC_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")


class Refused(Exception):
    """The attachment cannot be published as it is: an error with this message."""


def sniff(head: bytes) -> str | None:
    """The family of a file's content from its first bytes (None: not recognised)."""
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    for ext in ("png", "jpg", "gif", "rar", "7z"):
        if any(head.startswith(m) for m in _MAGIC[ext]):
            return ext
    if b"%PDF-" in head[:1024]:
        return "pdf"
    low = head[:512].lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def is_executable(head: bytes) -> bool:
    if head.startswith(b"MZ") and len(head) >= 64:
        pe = int.from_bytes(head[60:64], "little")      # a DOS header pointing at a PE header
        return pe + 4 <= len(head) and head[pe:pe + 4] == b"PE\0\0"
    return head.startswith(_EXEC_MAGIC[1:])


def classify(name: str, head: bytes) -> str | None:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in MACRO_EXTS:
        raise Refused(f"“.{ext}”是启用宏的 Office 文件，宏可能携带恶意代码，不能发布："
                      f"请另存为不含宏的格式（如 .{ext[:-1]}x 或 PDF）")
    if ext in EXEC_EXTS or is_executable(head):
        raise Refused("是可执行程序或脚本，不能作为附件发布" + ("" if ext in EXEC_EXTS else
                      f"（文件内容是可执行程序，扩展名却是“.{ext}”）"))
    expected = _MAGIC.get(ext)
    if expected is not None and not any(head.startswith(m) for m in expected) \
            and not (ext == "pdf" and b"%PDF-" in head[:1024]):
        found = sniff(head)
        what = f"实际是{_NAMES[found]}" if found else "内容无法识别（可能已损坏或只上传了一部分）"
        raise Refused(f"文件内容与扩展名“.{ext}”不符：{what}；请上传正确的文件，或把扩展名改成与内容相符")
    if ext in ("csv", "txt"):
        found = sniff(head)
        if found in ("zip", "ole", "pdf", "png", "jpg", "gif", "rar", "7z") or b"\0" in head:
            what = f"实际是{_NAMES[found]}" if found else "实际是二进制文件"
            raise Refused(f"文件内容与扩展名“.{ext}”不符：{what}；请上传正确的文件，或把扩展名改成与内容相符")
    return READ.get(ext)
