"""Read one content file: bytes → text (UTF-8 only, BOM and CRLF accepted) → front matter + body."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any, Callable

from ..diagnostics import Diagnostics
from . import body_limits, controls, yamltext

MAX_BYTES = 32 * 1024 * 1024


@dataclass
class RawEntry:
    path: str                 # relative to the site folder, with "/"
    id: str
    type: str                 # policies, interpretations, reports, pages
    data: dict[str, Any]
    line_of: Callable[[tuple], int]
    body: str
    body_line: int            # file line of the body's first line
    digest: str               # sha256 of the front matter (the body has its own: Entry.body_digest)
    extra: dict = field(default_factory=dict)


def _guess_encoding(raw: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(raw[:65536]).best()
        if best is not None:
            enc = best.encoding.lower().replace("_", "")
            if enc in ("gb2312", "gbk", "gb18030", "cp936", "hz"):
                return "GB18030"
            return {"big5": "Big5", "utf16": "UTF-16", "utf16le": "UTF-16", "utf16be": "UTF-16"}.get(enc, best.encoding)
    except Exception:  # noqa: BLE001 - a guess is only a hint
        pass
    return "未知编码"


def decode(raw: bytes, rel: str, diags: Diagnostics) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        diags.error(rel, 1, "-", "文件是 UTF-16 编码。请用编辑器以 “UTF-8” 编码另存为（记事本：另存为 → 编码选 UTF-8）",
                    code="encoding")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        enc = _guess_encoding(raw)
        diags.error(rel, line, "-",
                    f"文件不是 UTF-8 编码（看起来是 {enc}）。请用编辑器以 “UTF-8” 编码另存为"
                    f"（记事本：另存为 → 编码选 UTF-8；或运行 iconv -f {enc if enc != '未知编码' else 'GB18030'} "
                    f"-t UTF-8 原文件 > 新文件）", code="encoding")
        return None
    if "\x00" in text:
        diags.error(rel, text.count("\n", 0, text.index("\x00")) + 1, "-", "文件含有空字符（\\0），不是文本文件",
                    code="binary")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, rel: str, diags: Diagnostics):
    """Return (yaml_text, body, body_first_line) or None after recording an error."""
    if not text.strip():
        diags.error(rel, 1, "-", "文件是空的：请写入元数据和正文（python build.py new 可以生成一个填好字段名的文件）",
                    code="front-matter")
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        diags.error(rel, 1, "-", "文件开头缺少元数据：第一行应为 ---，接着是 title: 等字段，再以一行 --- 结束",
                    code="front-matter")
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1:]), i + 2
    diags.error(rel, 1, "-", "元数据没有结束：在字段之后、正文之前加一行 ---", code="front-matter")
    return None


def read_entry(abs_path, rel: str, id_: str, type_: str, diags: Diagnostics) -> RawEntry | None:
    try:
        size = abs_path.stat().st_size
        if size > MAX_BYTES:
            diags.error(rel, 1, "-", f"文件过大（{size // 1048576} MB），单个条目不能超过 {MAX_BYTES // 1048576} MB；"
                        "大文件请作为附件放在 content/files/", code="too-big")
            return None
        raw = abs_path.read_bytes()
    except OSError as exc:
        diags.error(rel, 1, "-", f"无法读取文件：{exc.strerror}", code="unreadable")
        return None
    text = decode(raw, rel, diags)
    if text is None:
        return None
    parts = split_front_matter(text, rel, diags)
    if parts is None:
        return None
    yaml_text, body, body_line = parts
    try:
        data, line_of = yamltext.parse(yaml_text, 2)
    except yamltext.YamlProblem as p:
        diags.error(rel, p.line, "-", p.message, code="yaml")
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        diags.error(rel, 2, "-", "元数据应为“字段: 值”的形式，每行一个字段", code="yaml")
        return None
    bad_chars = list(controls.walk(data))
    for path, why in bad_chars:
        diags.error(rel, line_of(path), str(path[0]) if path else "-", why, code="control-char")
    if bad_chars:
        return None
    m = controls.BAD.search(body)
    if m:
        diags.error(rel, body_line + body.count("\n", 0, m.start()), "-",
                    "正文" + controls.describe(body[m.start():m.start() + 1]).replace("（第 1 个字符）", ""),
                    code="control-char")
        return None
    too_hard = body_limits.problem(body)
    if too_hard:
        diags.error(rel, body_line + too_hard[0], "-", too_hard[1], code="body-limit")
        return None
    bad_keys = [k for k in data if not isinstance(k, str)]
    for k in bad_keys:
        diags.error(rel, line_of((k,)), str(k), "字段名应为英文文字，例如 title", code="yaml-key")
    if bad_keys:
        return None
    _todo_fields(yaml_text, data, rel, diags)
    return RawEntry(rel, id_, type_, data, line_of, body, body_line,
                    hashlib.sha256(yaml_text.encode("utf-8", "surrogatepass")).hexdigest())


# required fields left empty are already errors; a TODO on another field (what `import` could not
# find in the source, such as 成文日期 or 文号) is a warning, so `check --strict` fails until it is filled
_REQUIRED = frozenset({"title", "index_no", "agency", "topic", "published", "year", "interprets"})
_TODO_RE = re.compile(r"^([A-Za-z_]\w*):[ \t]*#[ \t]*TODO", re.M)


def _todo_fields(yaml_text: str, data: dict, rel: str, diags: Diagnostics) -> None:
    if "TODO" not in yaml_text:
        return
    for m in _TODO_RE.finditer(yaml_text):
        key = m.group(1)
        if key not in _REQUIRED and data.get(key) is None:
            diags.warning(rel, 2 + yaml_text.count("\n", 0, m.start()), key,
                          "字段仍标有 TODO（原文中没有找到）：请核对填写；确实没有的，删去这一行", code="todo")


def body_of(site_dir, rel: str, digest: str) -> str:
    """An entry's body read again from its file (kept entries do not carry their text: it is needed
    only when its Markdown is rendered again). The file must still be the one that was checked."""
    from ..diagnostics import UsageError
    quiet = Diagnostics()
    try:
        text = decode((Path(site_dir) / rel).read_bytes(), rel, quiet)
    except OSError:
        text = None
    parts = split_front_matter(text, rel, quiet) if text is not None else None
    if parts is None or hashlib.sha256(parts[1].encode("utf-8", "surrogatepass")).hexdigest() != digest:
        raise UsageError(f"{rel} 在构建过程中被修改或删除了：请在编辑完成后重新构建")
    return parts[1]
