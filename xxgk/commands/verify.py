"""`python build.py verify DIR`: check a copied site folder against its SHA256SUMS (SPEC section 2).

Reports, one per line and in Chinese, every file that is listed but missing (缺少), present but
not listed (多余) and listed with other bytes (已改变), then a count. Exit status 0 only when the
folder matches; 1 when it does not; 2 when DIR is not a folder or has no SHA256SUMS.

SHA256SUMS itself is never listed and so never "extra". A precompressed copy a server made
beside a listed file (`X.gz`, for nginx's gzip_static) is not extra either when it unpacks to the
listed bytes of X; if it unpacks to anything else it is reported as changed (a server would send
stale text). Files are read in chunks, so large attachments do not fill memory.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import re
import sys
import zlib
from pathlib import Path

SUMS = "SHA256SUMS"
_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")


def file_digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def gzip_digest(path: Path) -> str | None:
    """Digest of the bytes a .gz file unpacks to; None if it is not valid gzip."""
    try:
        with gzip.open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except (OSError, EOFError, zlib.error):
        return None


def read_sums(path: Path) -> tuple[dict[str, str], list[str]]:
    """SHA256SUMS → ({relative path: digest}, [problems with the list itself])."""
    listed: dict[str, str] = {}
    problems: list[str] = []
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if not line.strip():
                continue
            m = _LINE.match(line)
            if not m:
                problems.append(f"{SUMS} 第 {n} 行格式不对（应为“64 位十六进制摘要、两个空格、文件路径”）")
                continue
            digest, rel = m.group(1).lower(), m.group(2)
            if rel.startswith("/") or ".." in rel.split("/") or "\\" in rel:
                problems.append(f"{SUMS} 第 {n} 行的路径 {rel} 指向站点文件夹以外，不予核对")
                continue
            if rel in listed:
                problems.append(f"{SUMS} 第 {n} 行重复列出 {rel}")
                continue
            listed[rel] = digest
    return listed, problems


def present_files(root: Path) -> set[str]:
    """Every file under root (symlinks included, not followed into), as POSIX relative paths."""
    out: set[str] = set()
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        base = Path(dirpath)
        for name in files + [d for d in dirs if (base / d).is_symlink()]:
            out.add((base / name).relative_to(root).as_posix())
    return out


def compare(root: Path) -> tuple[list[str], int, tuple[int, int, int, int]]:
    """(report lines, number of files listed, (missing, extra, changed, problems with the list)). Raises FileNotFoundError if SHA256SUMS is missing."""
    listed, problems = read_sums(root / SUMS)
    present = present_files(root)
    present.discard(SUMS)
    missing, changed, extra = [], [], []
    for rel in sorted(listed):
        p = root / rel
        if rel not in present or not p.is_file():
            missing.append(rel)
        elif file_digest(p) != listed[rel]:
            changed.append(rel)
    for rel in sorted(present - listed.keys()):
        base = rel[:-3] if rel.endswith(".gz") else None
        if base and base in listed and base not in missing:
            if gzip_digest(root / rel) != listed[base]:
                changed.append(f"{rel}（预压缩副本与 {base} 的内容不一致）")
            continue
        extra.append(rel)
    lines = problems + [f"缺少：{r}" for r in missing] + [f"多余：{r}" for r in extra] \
        + [f"已改变：{r}" for r in sorted(changed)]
    counts = (len(missing), len(extra), len(changed), len(problems))
    return lines, len(listed), counts


def verify(directory: Path) -> int:
    root = Path(directory)
    if not root.is_dir():
        print(f"错误：{root} 不是文件夹", file=sys.stderr)
        return 2
    if not (root / SUMS).is_file():
        inner = [d for d in sorted(root.iterdir()) if d.is_dir() and (d / SUMS).is_file()]
        why = (f"：它在子文件夹里，请核对 {inner[0]}（解压 pack 生成的 zip 后，站点在 site/ 中）" if inner else
               "（这不是本工具生成的站点文件夹，或复制时漏掉了它）")
        print(f"错误：{root} 里没有 {SUMS}，无法核对{why}", file=sys.stderr)
        return 2
    lines, checked, (missing, extra, changed, problems) = compare(root)
    for line in lines:
        print(line)
    if not lines:
        print(f"核对通过：{checked} 个文件与 {SUMS} 一致。")
        return 0
    parts = [f"缺少 {missing} 个", f"多余 {extra} 个", f"已改变 {changed} 个"]
    if problems:
        parts.append(f"{SUMS} 本身有 {problems} 处问题")
    print(f"共 {len(lines)} 处不一致：{'，'.join(parts)}（{SUMS} 列出 {checked} 个文件）。")
    return 1
