"""`xxgk import SOURCE…`: every source read, turned into a draft, checked against what the site
already has, and written — one line on stdout per source, a summary, exit 0 / 1 (SPEC 9).

Reading is the slow part; with many sources it runs in worker processes forked from this one
(xxgk/parallel.py decides how many), in order, while this process writes the entries one by one
(so ids and duplicates are decided in a fixed order and a re-run changes nothing).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from .. import progress
from .entry import Existing, digest, make_id, plan_attachments, render, write
from .fields import LABEL, Context, build_draft
from .model import Draft, SourceError

SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html", ".txt": "text"}
PARALLEL_FROM = 16                  # fewer sources are read in this process


@dataclass
class Outcome:
    source: Path
    draft: Draft | None = None
    error: str | None = None
    digest: str = ""


def find_sources(args: list[Path]) -> list[tuple[Path, str | None]]:
    """(file, why it cannot be imported or None) for every source named; folders are walked."""
    out: list[tuple[Path, str | None]] = []
    for a in args:
        if a.is_dir():
            for f in sorted(a.rglob("*")):
                rel = f.relative_to(a).parts
                if any(p.startswith(".") or p.endswith(("_files", ".files")) for p in rel[:-1]):
                    continue
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith(("~$", ".")):
                    out.append((f, None))
        elif a.is_file():
            why = None if a.suffix.lower() in SUFFIXES else (
                "不支持的文件类型" + (a.suffix or "（无扩展名）") +
                ("：请用 Word 打开后另存为 .docx 再导入" if a.suffix.lower() in (".doc", ".wps") else
                 "：可以导入 Word（.docx）、网页（.html/.htm）和文本（.txt）"))
            out.append((a, why))
        else:
            out.append((a, "找不到这个文件或文件夹"))
    return out


def read_source(path: Path, ctx: Context) -> Outcome:
    kind = SUFFIXES.get(path.suffix.lower())
    try:
        from .textfile import read_bytes
        raw = read_bytes(path)
        if kind == "docx":
            from .wordfile import read_docx
            ex = read_docx(path)
        elif kind == "html":
            from .htmlpage import read_html
            ex = read_html(path)
        else:
            from .textfile import read_text
            ex = read_text(path)
        return Outcome(path, build_draft(path, ex, ctx), digest=digest(raw))
    except SourceError as exc:
        return Outcome(path, error=str(exc))
    except (MemoryError, RecursionError) as exc:
        return Outcome(path, error=f"文件过于复杂，无法读取（{type(exc).__name__}）")
    except Exception as exc:           # a bug: the source is named, the others still imported
        return Outcome(path, error=f"导入时出错（{type(exc).__name__}: {exc}），请把这个文件报告给维护者")


def _work(ctx: Context, path: Path) -> Outcome:
    return read_source(path, ctx)


def _outcomes(paths: list[Path], ctx: Context):
    from ..parallel import fork_workers, forked
    workers = fork_workers(len(paths), PARALLEL_FROM)
    if not workers:
        for p in paths:
            yield read_source(p, ctx)
        return
    with forked(_work, ctx, workers) as run:      # (the workers inherit ctx; paths and outcomes are pickled)
        yield from run(paths, chunksize=4)


class Lines:
    """stdout lines that do not mix with the progress line on the terminal."""

    def __init__(self, stage):
        self.stage = stage

    def say(self, text: str, err: bool = False) -> None:
        if getattr(self.stage, "_drawn", False):
            try:
                self.stage.stream.write("\r\x1b[2K")
                self.stage.stream.flush()
                self.stage._drawn = False          # drawn again at the next advance
            except (OSError, ValueError):
                pass
        print(text, file=sys.stderr if err else sys.stdout, flush=True)


def import_sources(site: Path, sources: list[Path], ctx: Context, dry_run: bool = False) -> int:
    found = find_sources(sources)
    existing = Existing(site)
    ctx.titles = existing.titles
    written = skipped = failed = with_todo = problems = 0
    readable = [p for p, why in found if why is None]
    progress.reset()
    with progress.stage("导入", total=len(found)) as stage:
        out = Lines(stage)
        for p, why in found:
            if why is not None:
                out.say(f"无法导入 {p}：{why}")
                failed += 1
                stage.advance()
        for o in _outcomes(readable, ctx):
            stage.advance()
            if o.error:
                out.say(f"无法导入 {o.source}：{o.error}")
                failed += 1
                continue
            d = o.draft
            id_ = make_id(d, o.digest)
            dup = existing.duplicate(d, id_)
            if dup:
                out.say(f"已跳过 {o.source}：{dup}")
                skipped += 1
                continue
            attachments = plan_attachments(d, id_)
            d.attachments = [(dest, title) for _src, dest, title in attachments]
            text = render(d, o.source.name)
            rel = f"content/{_folder(d)}/{id_}.md"
            if not dry_run:
                try:
                    rel = write(site, d, id_, text, attachments)
                except OSError as exc:
                    out.say(f"无法导入 {o.source}：写入 {rel} 失败（{exc.strerror or exc}）")
                    failed += 1
                    continue
            existing.add(rel, id_, d.fields.get("title") or "", d.fields.get("index_no") or "",
                         d.fields.get("doc_no") or "")
            written += 1
            todo = [LABEL.get(k, k) + f"（{k}）" for k in sorted(d.todo, key=_order)]
            if todo:
                with_todo += 1
            notes = "".join(f"；{n}" for n in d.notes)
            if d.problems:
                problems += len(d.problems)
                notes += f"；统计表有 {len(d.problems)} 处与年报格式的勾稽关系不符（见上）"
                for line, field, message in d.problems:
                    out.say(f"{o.source}:{line}: {field}: {message}", err=True)
            verb = "将写入" if dry_run else "已写入"
            extra = f"，附件 {len(attachments)} 个" if attachments else ""
            out.say(f"{verb} {rel}（来自 {o.source}{extra}）" +
                    (f"；未找到：{'、'.join(todo)}，已标为 TODO" if todo else "；字段齐全") + notes)
    parts = [f"{'试运行（未写入任何文件）' if dry_run else '导入完成'}：{'将写入' if dry_run else '写入'} {written} 个条目"]
    if with_todo:
        parts.append(f"其中 {with_todo} 个有待填写的 TODO 字段（python build.py check --strict 会列出）")
    if skipped:
        parts.append(f"跳过 {skipped} 个（站点已有）")
    if failed:
        parts.append(f"{failed} 个无法导入（原因见上）")
    if problems:
        parts.append(f"年报统计表共 {problems} 处不一致")
    print("，".join(parts))
    return 1 if failed else 0


def _order(key: str) -> int:
    from .entry import ORDER
    return ORDER.index(key) if key in ORDER else len(ORDER)


def _folder(d: Draft) -> str:
    from .model import TYPE_FOLDERS
    return TYPE_FOLDERS[d.type]
