"""Find the site's content files; check their names; read them all."""
from __future__ import annotations

import errno
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics
from .active_files import active_content

TYPES = ("policies", "interpretations", "reports", "pages")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FILE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class Attachment:
    rel: str      # below content/, e.g. files/2017/plan.pdf
    abs: Path
    size: int
    mtime: int = 0
    ino: int = 0
    digest: str = ""            # sha256, and what reading it found: set by attachments.prepare
    report: dict | None = None

    @property
    def key(self) -> tuple:
        """What an entry's kept check depends on (incremental/entries.py): its size and content."""
        return (self.size, self.digest)


def _suggest_id(stem: str) -> str:
    s = unicodedata.normalize("NFKC", stem).lower()
    s = re.sub(r"[^a-z0-9-]+", "-", s).strip("-")
    return s or "entry-1"


MAX_ID_LENGTH = 100     # <id>.html, its .cache records and a mirror's path must stay under the 255-byte name limit


def check_id(stem: str) -> str | None:
    """Why a file stem is not a valid id, or None."""
    if stem == "index":
        return "“index”留给栏目首页使用"
    if ID_RE.match(stem):
        if len(stem) > MAX_ID_LENGTH:
            return (f"长 {len(stem)} 个字符，超过 {MAX_ID_LENGTH} 个字符的上限（过长的文件名在许多文件系统和压缩工具中"
                    f"无法保存），请改短，例如“{stem[:40].rstrip('-')}”")
        return None
    reasons = []           # every reason, so that one fix is enough ("Some_ID": capitals and an underscore)
    if any(unicodedata.category(c) == "Cf" for c in stem):
        reasons.append("含有看不见的字符（如零宽空格）")
    if any(ord(c) > 127 and unicodedata.category(c) != "Cf" for c in stem):
        reasons.append("含有中文或其他非英文字符")
    if stem != stem.lower():
        reasons.append("含有大写字母")
    if " " in stem:
        reasons.append("含有空格")
    if "_" in stem:
        reasons.append("含有下划线")
    other = sorted({c for c in stem if ord(c) < 128 and not c.isalnum() and c not in " _-"})
    if other:
        reasons.append(f"含有符号“{''.join(other)}”")
    if stem.startswith("-") or not stem:
        reasons.append("不能以“-”开头")
    return "，".join(reasons) or "不合规"


def link_problem(path: Path, root: Path, what: str = "站点文件夹") -> str | None:
    """Why the symbolic link (or a path through one) `path` cannot be read as part of the site, or None:
    a loop, a link to nothing, or a target outside `root`. Never raises."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "符号链接形成循环（链接最终又指回自己），无法读取；请删除或改正这个链接"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "符号链接形成循环（链接最终又指回自己），无法读取；请删除或改正这个链接"
        return "符号链接指向的文件不存在，无法读取；请删除或改正这个链接"
    try:
        target.relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return f"这是指向{what}以外的符号链接（{target}），不能发布；请把文件本身放进{what}"
    return None


@dataclass
class Source:
    rel: str      # content/policies/x.md
    abs: Path
    id: str
    type: str
    stat: os.stat_result | None = None


def discover(site_dir: Path, diags: Diagnostics) -> tuple[list[Source], dict[str, Attachment]]:
    """The content files to read (names checked) and the attachments of content/files."""
    content = site_dir / "content"
    entries: list[Source] = []
    attachments: dict[str, Attachment] = {}
    if not content.is_dir():
        diags.error("content", 1, "-", "找不到 content 文件夹：条目应放在 content/policies/ 等文件夹中", code="no-content")
        return entries, attachments
    outside = link_problem(content, site_dir)
    if outside:
        diags.error("content", 1, "-", outside, code="symlink")
        return entries, attachments
    for child in sorted(content.iterdir()):
        if child.name.startswith("."):
            continue
        if child.name not in TYPES + ("files",):
            diags.warning(f"content/{child.name}", 1, "-",
                          f"不认识的文件夹或文件，已忽略（content/ 下只用 {'、'.join(TYPES)} 和 files）",
                          code="unknown-folder")
    seen: dict[str, str] = {}
    for type_ in TYPES:
        folder = content / type_
        if folder.is_symlink() and (why := link_problem(folder, site_dir)):
            diags.error(f"content/{type_}", 1, "-", why, code="symlink")
            continue
        if not folder.is_dir():
            continue
        with os.scandir(folder) as it:
            found = sorted(it, key=lambda d: d.name)
        for d in found:
            f = folder / d.name
            rel = f"content/{type_}/{d.name}"
            if d.name.startswith("."):
                continue
            if d.is_symlink() and (why := link_problem(f, site_dir)):
                diags.error(rel, 1, "-", why, code="symlink")
                continue
            if d.is_dir():
                diags.warning(rel, 1, "-", f"{type_} 下不能再分子文件夹，其中的文件已忽略", code="subfolder")
                continue
            if not d.name.endswith(".md"):
                diags.warning(rel, 1, "-", "不是 .md 文件，已忽略", code="not-md")
                continue
            if not d.is_file():   # a FIFO, socket or device would block or never end when read
                diags.error(rel, 1, "-", "不是普通文件（可能是管道或设备文件），无法读取", code="not-file")
                continue
            stem = f.name[:-3]
            why = check_id(stem)
            if why and ID_RE.match(stem):      # a valid id, only too long
                diags.error(rel, 1, "-", f"文件名“{f.name[:40]}…”不合规：{why}", code="bad-name")
                continue
            if why:
                diags.error(rel, 1, "-", f"文件名“{f.name}”不合规：{why}。文件名（即编号）只能使用小写英文字母、数字和“-”，"
                            f"并以字母或数字开头（中文文件名会使压缩工具和部分服务器出错），例如“{_suggest_id(stem)}.md”",
                            code="bad-name")
                continue
            if stem in seen:
                diags.error(rel, 1, "-", f"编号“{stem}”与 {seen[stem]}:1 重复：编号（文件名）在全站必须唯一，请重命名其中一个",
                            code="dup-id")
                continue
            seen[stem] = rel
            try:
                st = d.stat()
            except OSError:
                st = None
            entries.append(Source(rel, f, stem, type_, st))
    files_dir = content / "files"
    if files_dir.is_symlink() and (why := link_problem(files_dir, site_dir)):
        diags.error("content/files", 1, "-", why, code="symlink")
    elif files_dir.is_dir():
        for dirpath, dirnames, filenames in os.walk(files_dir, followlinks=False):
            dirnames.sort()
            for name in sorted(filenames) + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
                p = Path(dirpath) / name
                rel = p.relative_to(content).as_posix()
                if name.startswith("."):
                    continue
                if p.is_symlink() and (why := link_problem(p, files_dir, " content/files 文件夹")):
                    diags.error(f"content/{rel}", 1, "-", f"附件：{why}", code="symlink")
                    continue
                if not p.is_file():
                    continue
                bad = [part for part in rel.split("/") if not FILE_NAME_RE.match(part)]
                if bad:
                    diags.error(f"content/{rel}", 1, "-", f"附件文件名“{bad[0]}”不合规：只能使用英文字母、数字、“.”、“_”和“-”"
                                "（中文文件名会使压缩工具和部分服务器出错），附件的中文名称请写在条目 attachments 的 title 中",
                                code="bad-file-name")
                    continue
                why = active_content(p)
                if why:
                    diags.error(f"content/{rel}", 1, "-", why, code="active-file")
                    continue
                st = p.stat()
                attachments[rel] = Attachment(rel, p, st.st_size, st.st_mtime_ns, st.st_ino)
    return entries, attachments
