"""Text captured from a portal (.txt, like the seeds): one paragraph a line, the page's furniture
and metadata block included. Also the decoding every text source shares (UTF-8, else GB18030 as
Chinese Windows saves it, else the best guess)."""
from __future__ import annotations

from pathlib import Path

from .blocks import Para
from .model import Extracted, SourceError
from .normalize import clean

MAX_BYTES = 20 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(f"文件过大（{size // 1048576} MB），超过 {MAX_BYTES // 1048576} MB：请确认它是一份文件，或拆分后导入")
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(f"无法读取文件：{exc.strerror or exc}") from None


def decode(raw: bytes, declared: str | None = None) -> str:
    """Text from bytes: a BOM or the page's declared charset, else UTF-8, else GB18030, else a guess."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    tried = []
    if declared:
        enc = declared.lower().strip()
        if enc in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
            enc = "gb18030"
        tried.append(enc)
    tried += ["utf-8", "gb18030"]
    for enc in tried:
        try:
            return raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(raw[:65536]).best()
        if best is not None and best.encoding:
            return raw.decode(best.encoding, errors="replace")
    except Exception:
        pass
    return raw.decode("utf-8", errors="replace")


def lines_to_paras(text: str) -> list[Para]:
    out = []
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if not line:
            continue
        t = clean(line)
        out.append(Para(t, line=n, blank=not t))
    return out


def read_text(path: Path) -> Extracted:
    raw = read_bytes(path)
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("不是文本文件（含有二进制内容）：请导入网页另存的 .html、复制下来的 .txt 或 Word .docx")
    return Extracted(lines_to_paras(decode(raw)), kind="text")
