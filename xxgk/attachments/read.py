"""Read attachments: one file in a child process with a time and memory limit (`read_one`), and the
build's hook (`prepare`): every attachment of content/files read once per content.

`prepare` runs in the load stage, before the per-file checks: it gives each load.site.Attachment its
`digest` (sha256) and `report` (format, problems, personal-data hits — all masked), from the cache
when the file is unchanged. The per-file checks then only turn reports into messages
(messages.py), and the entry cache (incremental/entries.py) re-checks an entry whose attachment's
digest changed. A hostile file ends in a message: a child that runs out of time or memory, or
dies, is reported as such and the build goes on.
"""
from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path

from ..parallel import env_count
from . import cache as _cache
from .detect import HEAD_BYTES, Refused, classify
from .formats import READERS, Extracted, Unreadable
from .safezip import Unsafe, check_zip
from .scan import lost_digits, scan

SECONDS = 60                       # one file's reading, at most (XXGK_ATTACHMENT_SECONDS)
MEMORY_MB = 2048                   # a reading child's address space (XXGK_ATTACHMENT_MEMORY_MB)
TEXT_KEPT = 200_000                # characters of text kept for the search index
NOT_READ = "其文字既不能被搜索，也未检查个人信息"


def _report(kind=None, problems=(), hits=(), more=0) -> dict:
    return {"kind": kind, "problems": [list(p) for p in problems], "hits": [list(h) for h in hits], "more": more}


class _TimeUp(Exception):
    pass


def _alarm(_signum, _frame):
    raise _TimeUp()


def read_one(path: str, name: str) -> tuple[dict, str]:
    """(report, text) of one attachment. Never raises for what is in the file."""
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
        fmt = classify(name, head)
    except Refused as r:
        return _report(problems=[("error", "attachment-refused", str(r))]), ""
    except OSError as exc:
        return _report(problems=[("error", "attachment-unreadable", f"文件无法读取（{exc.strerror}）")]), ""
    if fmt is None:
        return _report(), ""
    out = Extracted()
    seconds = env_count("XXGK_ATTACHMENT_SECONDS") or SECONDS
    timed = hasattr(signal, "setitimer")
    try:
        if fmt in ("docx", "xlsx"):
            check_zip(path, fmt)
        if timed:
            old = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            READERS[fmt](path, out)
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
    except Unsafe as u:
        return _report(fmt, problems=[("error", "attachment-refused", str(u))]), ""
    except Unreadable as u:
        return _report(fmt, problems=[("warning", "attachment-unread", f"{u}：{NOT_READ}")]), ""
    except _TimeUp:
        return _report(fmt, problems=[("warning", "attachment-unread",
                                       f"读取超过 {seconds} 秒仍未完成，已放弃（文件可能被恶意构造）：{NOT_READ}")]), ""
    except MemoryError:
        return _report(fmt, problems=[("warning", "attachment-unread", f"读取所需内存过多，已放弃：{NOT_READ}")]), ""
    except RecursionError:
        return _report(fmt, problems=[("warning", "attachment-unread", f"文件结构嵌套过深，无法读取：{NOT_READ}")]), ""
    except Exception as exc:       # any library's own error on a damaged file: a message, never a traceback
        return _report(fmt, problems=[("warning", "attachment-unread",
                                       f"文件无法解析（{type(exc).__name__}，可能已损坏）：{NOT_READ}")]), ""
    problems = []
    for note in out.notes:
        if note[0] == "lost-digits":
            made = lost_digits(note[1], note[2])
            if made:
                problems.append(("warning", *made[::2]))      # (level, code, message)
        else:
            problems.append(note)
    hits, more = scan(out.pieces)
    text = "\n".join(t for _w, t, _r in out.pieces)[:TEXT_KEPT]
    return _report(fmt, problems, hits, more), text


def _limit() -> None:
    """In a reading child: a cap on memory, so a hostile file cannot take the machine's."""
    try:
        import resource
        mb = env_count("XXGK_ATTACHMENT_MEMORY_MB") or MEMORY_MB
        resource.setrlimit(resource.RLIMIT_AS, (mb << 20, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (ImportError, ValueError, OSError):
        pass


def _read_task(args: tuple[str, str]) -> tuple[dict, str]:
    return read_one(*args)


def _read_all(todo: list[tuple[str, str]]) -> list[tuple[dict, str]]:
    """read_one for each (path, name), in child processes (two at a time at most)."""
    import multiprocessing as mp
    if not todo:
        return []
    if "fork" not in mp.get_all_start_methods():           # (no fork: here, without the memory cap)
        return [read_one(p, n) for p, n in todo]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    workers = max(1, min(env_count("XXGK_WORKERS") or 2, os.cpu_count() or 1, len(todo)))
    results: list = [None] * len(todo)
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=_limit) as pool:
            for i, got in enumerate(pool.map(_read_task, todo, chunksize=8)):
                results[i] = got
    except BrokenProcessPool:
        pass
    for i, got in enumerate(results):          # a child died (killed, out of memory): each alone, to name it
        if got is None:
            try:
                with ProcessPoolExecutor(1, mp_context=mp.get_context("fork"), initializer=_limit) as pool:
                    results[i] = pool.submit(_read_task, todo[i]).result()
            except BrokenProcessPool:
                results[i] = (_report(problems=[("warning", "attachment-unread",
                                                 f"读取程序意外退出（文件可能被恶意构造）：{NOT_READ}")]), "")
    return results


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def prepare(site_dir: Path, attachments: dict, write: bool = True) -> dict:
    """Give every attachment (load.site.Attachment, by path below content/) its digest (sha256 and
    extension) and report,
    reading only files whose content was never read. Returns figures: files, hashed, read."""
    if not attachments and not (Path(site_dir) / ".cache" / _cache.FILE).is_file():
        return {"files": 0, "hashed": 0, "read": 0}
    store = _cache.Store(Path(site_dir) / ".cache", write=write)
    try:
        stats = store.stats()
        new_stats = []
        for rel, att in attachments.items():
            key = f"{att.size}:{att.mtime}:{att.ino}"
            kept = stats.get(rel)
            if kept is not None and kept[0] == key:
                att.digest = kept[1]
                continue
            try:      # (what is found depends on the name's extension too: a .docm and a .docx of one content)
                att.digest = f"{_sha256(att.abs)}.{att.abs.suffix.lower().lstrip('.')}"
            except OSError:
                att.digest = ""
                continue
            new_stats.append((rel, key, att.digest))
        digests = sorted({a.digest for a in attachments.values() if a.digest})
        reports = store.reports(digests)
        todo: dict[str, tuple[str, str]] = {}
        for att in attachments.values():
            if att.digest and att.digest not in reports and att.digest not in todo:
                todo[att.digest] = (str(att.abs), att.abs.name)
        found = []
        for digest, (report, text) in zip(todo, _read_all(list(todo.values()))):
            reports[digest] = report
            found.append((digest, report, text))
        for att in attachments.values():
            att.report = reports.get(att.digest) or _report(problems=[("error", "attachment-unreadable",
                                                                       "文件无法读取")])
        store.put(new_stats, found)
        if write and (new_stats or len(stats) != len(attachments)):
            store.keep_only(set(attachments))
        return {"files": len(attachments), "hashed": len(new_stats), "read": len(todo)}
    finally:
        store.close()
