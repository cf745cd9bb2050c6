"""Pagefind as a service (`pagefind_extended --service`), for the few pages a resumed build indexes.

Pagefind's extended build loads its Chinese word lists the first time it meets Chinese text: about
0.2 s, whatever the number of pages (one page or ten, 0.20–0.27 s). A resumed build
(incremental/resume.py) indexes one or a few pages, so that load would be most of its search index
work. This service is started as the build starts, and a warm-up index of one Chinese record makes
it load the word lists on the other core, while this process reads the snapshot and renders the
edited pages; by then indexing those pages takes a few milliseconds.

The protocol is Pagefind's own (its Python package speaks it too, with asyncio and a 0.1 s poll):
each request is base64 JSON followed by a comma, each response likewise.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
from pathlib import Path

from ..diagnostics import UsageError
from ..timing import lap

LANGUAGE = "zh-cn"     # one index for zh-Hans and zh-Hant entries (write/search.py)


class SearchIndexError(UsageError):
    """The search index could not be built (the environment, not the content): exit status 2."""


class ServiceError(Exception):
    pass


def pagefind_executable() -> Path:
    """The extended binary that pagefind-bin-extended installs beside its module (found without running
    the module, which imports logging and platform: 8 ms of a resumed build)."""
    import importlib.util
    spec = importlib.util.find_spec("pagefind_bin_extended")
    if spec is None:
        raise SearchIndexError("没有安装 Pagefind 扩展版（中文分词需要它）：pip install pagefind-bin-extended==1.5.2")
    exe = Path(next(iter(spec.submodule_search_locations or [""]))) / ("pagefind_extended" + (".exe" if os.name == "nt"
                                                                                              else ""))
    if not exe.is_file():
        import pagefind_bin_extended     # (its own search, and its own message when it finds nothing)
        try:
            exe = Path(pagefind_bin_extended.get_executable())
        except FileNotFoundError as exc:
            raise SearchIndexError(f"Pagefind 扩展版的程序文件找不到：{exc}") from exc
    if not exe.name.startswith("pagefind_extended"):
        raise SearchIndexError(f"{exe} 不是 Pagefind 扩展版（pagefind_extended），中文搜索会失效")
    return exe


def start_service() -> "PagefindService | None":
    """Pagefind's service, started (and warming up) ahead of a build that may resume; None when it cannot be."""
    try:
        return PagefindService(pagefind_executable(), LANGUAGE)
    except (SearchIndexError, OSError):
        return None


def start_ahead(site_dir: Path, output: Path) -> "PagefindService | None":
    """For a command-line build with the search index: Pagefind's service, when the last build left a
    snapshot this one may resume from (incremental/resume.py). The command line calls it before it
    imports the rest of the generator (this module imports little), so that Pagefind loads its word
    lists meanwhile."""
    from ..incremental.records import snapshot_file
    return start_service() if snapshot_file(Path(site_dir) / ".cache", Path(output)).is_file() else None


class PagefindService:
    """One `pagefind_extended --service` process, warmed up at once (on a thread of this process that
    only waits for it)."""

    def __init__(self, exe: Path, language: str):
        self.language = language
        self._next = 0
        self._lock = threading.Lock()
        self._proc = subprocess.Popen([str(exe), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL)
        self._warm_error: BaseException | None = None
        self._warm = threading.Thread(target=self._warm_up, name="xxgk-pagefind-warm", daemon=True)
        self._warm.start()

    def _call(self, payload: dict) -> dict:
        with self._lock:
            self._next += 1
            message = base64.b64encode(json.dumps({"message_id": self._next, "payload": payload}).encode()) + b","
            try:
                self._proc.stdin.write(message)
                self._proc.stdin.flush()
                got = bytearray()
                while not got.endswith(b","):
                    chunk = self._proc.stdout.read1(1 << 16)
                    if not chunk:
                        raise ServiceError(f"Pagefind 服务意外退出（{payload['type']}）")
                    got += chunk
            except (OSError, ValueError) as exc:
                raise ServiceError(f"Pagefind 服务无法使用：{exc}") from exc
        try:
            response = json.loads(base64.b64decode(bytes(got[:-1])))["payload"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ServiceError(f"Pagefind 服务的回复无法读取：{exc}") from exc
        if response.get("type") == "Error":
            raise ServiceError(f"Pagefind 服务报错：{response.get('message')}")
        return response

    def _new_index(self) -> int:
        return self._call({"type": "NewIndex", "config": {"force_language": self.language}})["index_id"]

    def _warm_up(self) -> None:
        try:
            index = self._new_index()
            self._call({"type": "AddRecord", "index_id": index, "url": "/warm-up", "content": "政府信息公开",
                        "language": self.language, "meta": {"title": "预热"}})
            self._call({"type": "DeleteIndex", "index_id": index})
        except BaseException as exc:     # (reported by `index`, on the build's thread)
            self._warm_error = exc

    def index(self, pages: list[tuple[str, str]], out: Path) -> None:
        """Index `pages` ((url, html) each) into a new bundle written to the folder `out`."""
        self._warm.join()
        if self._warm_error is not None:
            raise ServiceError(str(self._warm_error))
        lap("search: Pagefind warmed up")
        index = self._new_index()
        for url, html in pages:
            self._call({"type": "AddFile", "index_id": index, "url": "/" + url, "file_contents": html})
        self._call({"type": "WriteFiles", "index_id": index, "output_path": str(out)})
        self._call({"type": "DeleteIndex", "index_id": index})

    def exited(self) -> bool:
        return self._proc.poll() is not None

    def close(self) -> None:
        """Stop the service (what it wrote is written; an unused one need not finish warming up)."""
        self._proc.kill()
        self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        self._warm.join(timeout=5)
