"""Writing a draft as `content/<type>/<id>.md` (and its attachments into content/files/<id>/).

Ids are ASCII and stable: the source file's own ASCII name (t20240101_123.html → t20240101-123)
or the type and year, then eight hex digits of the source's bytes, so the same source always gives
the same id. An entry is never replaced: a source whose id, 索引号, or 文号 and title an entry
already has is skipped and named.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import yaml

from .model import TYPE_FOLDERS, Draft

_GENERIC = {"index", "content", "default", "article", "detail", "page", "doc", "document", "new", "file", "text",
            "main", "view", "show", "info", "art"}
_FIELD_RE = re.compile(r"^(title|index_no|doc_no):[ \t]*(.*?)[ \t]*(?:#.*)?$", re.M)
TODO = "# TODO"


def _unquote(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        v = v[1:-1].replace("''", "'") if v[0] == "'" else v[1:-1]
    return v.strip()


class Existing:
    """The entries a site already has: ids, 索引号, (文号, 标题), titles."""

    def __init__(self, site: Path):
        self.ids: dict[str, str] = {}
        self.index_nos: dict[str, str] = {}
        self.doc_titles: dict[tuple[str, str], str] = {}
        self.titles: dict[str, str] = {}
        content = site / "content"
        for folder in ("policies", "interpretations", "reports", "pages"):
            d = content / folder
            if not d.is_dir():
                continue
            for f in sorted(d.glob("*.md")):
                rel = f"content/{folder}/{f.name}"
                self.ids[f.stem] = rel
                try:
                    head = f.read_bytes()[:65536].decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
                except OSError:
                    continue
                fm = head.split("\n---", 1)[0] if head.startswith("---") else ""
                found = {k: _unquote(v) for k, v in _FIELD_RE.findall(fm)}
                self.add(rel, f.stem, found.get("title", ""), found.get("index_no", ""), found.get("doc_no", ""))

    def add(self, rel: str, id_: str, title: str, index_no: str, doc_no: str) -> None:
        self.ids[id_] = rel
        if index_no:
            self.index_nos.setdefault(index_no, rel)
        if doc_no and title:
            self.doc_titles.setdefault((doc_no, title), rel)
        if title:
            self.titles.setdefault(title, id_)

    def duplicate(self, d: Draft, id_: str) -> str | None:
        """Why the draft must not be written (the entry it would repeat), or None."""
        if id_ in self.ids:
            return f"编号 {id_} 已有条目 {self.ids[id_]}（同一来源已导入过）"
        idx = d.fields.get("index_no")
        if idx and idx in self.index_nos:
            return f"索引号 {idx} 已有条目 {self.index_nos[idx]}"
        key = (d.fields.get("doc_no") or "", d.fields.get("title") or "")
        if all(key) and key in self.doc_titles:
            return f"文号和标题已有条目 {self.doc_titles[key]}"
        return None


def make_id(d: Draft, digest: str) -> str:
    stem = unicodedata.normalize("NFKC", d.source.stem).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    if not slug or slug in _GENERIC or any(ord(c) > 127 for c in stem) or len(slug) > 40:
        year = d.fields.get("year") or next((v.year for k in ("written", "published")
                                             if isinstance(v := d.fields.get(k), date)), None)
        slug = f"{d.type}-{year}" if year else d.type
    return f"{slug}-{digest[:8]}"


def _scalar(v) -> str:
    if isinstance(v, bool) or v is None:
        return ""
    if isinstance(v, (int, float, date)):
        return str(v) if not isinstance(v, date) else v.isoformat()
    return yaml.safe_dump(str(v), allow_unicode=True, default_flow_style=True, width=10 ** 6).strip().removesuffix("\n...").removesuffix("...").strip()


def _flow(values) -> str:
    return "[" + ", ".join(_scalar(x) for x in values) + "]"


def _stats_lines(stats: dict) -> list[str]:
    out = ["stats:"]
    for section, rows in stats.items():
        out.append(f"  {section}:")
        for key, value in rows.items():
            if isinstance(value, dict):
                out.append(f"    {key}:")
                out += [f"      {k}: {_flow(v) if isinstance(v, list) else _scalar(v)}" for k, v in value.items()]
            else:
                out.append(f"    {key}: {_flow(value) if isinstance(value, list) else _scalar(value)}")
    return out


ORDER = ("title", "index_no", "agency", "topic", "doc_no", "written", "published", "keywords", "lang", "disclosure",
         "validity", "valid_from", "valid_until", "interprets", "form", "year", "format")


def render(d: Draft, source_label: str) -> str:
    lines = ["---", f"# 由 xxgk import 从 {source_label} 导入；标有 TODO 的字段请核对填写后删去 TODO"]
    f = d.fields
    for key in ORDER:
        if key not in f and key not in d.todo:
            continue
        v = f.get(key)
        if key in d.todo and v in (None, "", []):
            lines.append(f"{key}:".ljust(26) + f"{TODO} {d.todo[key]}")
            continue
        if v in (None, "", []):
            continue
        if key == "agency":
            lines.append(f"agency: {v[0]}" if len(v) == 1 else f"agency: {_flow(v)}")
        elif isinstance(v, list):
            lines.append(f"{key}: {_flow(v)}")
        else:
            lines.append(f"{key}: {_scalar(v)}")
    if d.attachments:
        lines.append("attachments:")
        for rel, title in d.attachments:
            lines.append(f"  - file: {_scalar(rel)}")
            lines.append(f"    title: {_scalar(title)}")
    if "stats" in f:
        lines += _stats_lines(f["stats"])
    body = d.body if d.body.strip() else "TODO：原文中没有找到正文，请在此填写正文（Markdown）。\n"
    return "\n".join(lines) + "\n---\n" + body


def _safe_name(name: str, n: int) -> str:
    stem, dot, ext = name.rpartition(".")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", unicodedata.normalize("NFKC", stem)).strip("-._")
    ext = re.sub(r"[^A-Za-z0-9]", "", ext).lower()
    if not ascii_stem or any(ord(c) > 127 for c in stem):
        ascii_stem = f"attachment-{n}"
    return f"{ascii_stem}.{ext}" if dot and ext else ascii_stem


def plan_attachments(d: Draft, id_: str) -> list[tuple[Path, str, str]]:
    """(source file, path below content/, title) of each attachment."""
    out, used = [], set()
    for n, (src, title) in enumerate(d.attachments, 1):
        name = _safe_name(src.name, n)
        while name in used:
            name = f"{n}-{name}"
        used.add(name)
        out.append((src, f"files/{id_}/{name}", title))
    return out


def write(site: Path, d: Draft, id_: str, text: str, attachments: list[tuple[Path, str, str]]) -> str:
    """Write the entry (never over an existing file) and copy its attachments; the entry's path."""
    rel = f"content/{TYPE_FOLDERS[d.type]}/{id_}.md"
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    for src, dest, _title in attachments:
        target = site / "content" / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            shutil.copyfile(src, target)
    tmp = path.with_name(f".{id_}.md.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    try:
        os.link(tmp, path)           # appears whole or not at all, and never over an existing file
    except OSError:
        if path.exists():
            raise
        with open(path, "x", encoding="utf-8", newline="\n") as f:   # a file system without hard links
            f.write(text)
    finally:
        tmp.unlink(missing_ok=True)
    return rel


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
