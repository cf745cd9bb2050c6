"""`python build.py serve [--site DIR] [--port N]`: build, preview on 127.0.0.1, rebuild on change.

- Builds into the site's output folder (as `build` does), then serves that folder BY PATH: every
  request resolves the file afresh, because each rebuild replaces the folder by an atomic swap.
- Watches content/, templates/ and site_config.yaml with watchdog (never output/ or .cache/);
  a burst of saves is collected until it has been quiet for DEBOUNCE seconds, then one rebuild.
- Every served HTML response (never the files on disk) gets `<script src="/__xxgk/reload.js">`,
  which listens to `/__xxgk/events` (Server-Sent Events carrying the build number) and reloads
  the tab when the number changes. Nothing is loaded from another host.
- While the site has content errors, every HTML request gets a readable page in Chinese listing
  the diagnostics `PATH:LINE: FIELD: message` (escaped); fixing the file brings the pages back.
- Ctrl+C stops cleanly with exit status 0.
"""
from __future__ import annotations

import html
import http.server
import io
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import progress
from ..config.site import CONFIG_FILE
from ..diagnostics import ContentError, UsageError
from .serve_requests import QuietServer, folder_location, request_problem

DEBOUNCE = 0.3          # seconds of quiet after the last change before rebuilding
RELOAD_PATH = "/__xxgk/reload.js"
EVENTS_PATH = "/__xxgk/events"


def script_tag(build_no: int) -> str:
    """The build the page was served from, so a rebuild between load and connect still reloads."""
    return f'<script src="{RELOAD_PATH}" data-build="{build_no}"></script>'

RELOAD_JS = """(function () {
  // xxgk serve: reload this tab when the site has been rebuilt (injected by the preview server only)
  var me = document.currentScript;
  var seen = me && me.getAttribute("data-build");
  function listen() {
    var es = new EventSource("/__xxgk/events");
    es.onmessage = function (ev) {
      if (seen === null) { seen = ev.data; return; }
      if (ev.data !== seen) { es.close(); location.reload(); }
    };
  }
  if (window.EventSource) { listen(); }
})();
"""


class State:
    """What the server shows: the build number and, while broken, the error text."""

    def __init__(self, output: Path):
        self.output = output
        self.build_no = 0
        self.errors: list[str] | None = None     # None: the site is fine
        self.error_title = ""
        self.cond = threading.Condition()
        self.stopping = False

    def publish(self, errors: list[str] | None, title: str = "") -> None:
        with self.cond:
            self.errors, self.error_title = errors, title
            self.build_no += 1
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.stopping = True
            self.cond.notify_all()


def error_page(state: State) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in state.errors or [])
    page = f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>构建失败 — 预览</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#222}}
h1{{color:#a00}} ul{{padding-left:1.2rem}} li{{margin:.3rem 0}} code{{white-space:pre-wrap;word-break:break-all;
background:#fff3f3;padding:.1rem .3rem}}</style></head>
<body data-xxgk-error="1"><main>
<h1>构建失败：{html.escape(state.error_title or '内容有错误')}</h1>
<p>下面每一行是 <code>文件:行号: 字段: 说明</code>。请按提示修改文件并保存，本页会自动刷新；已生成的网站暂不更新。</p>
<ul id="xxgk-errors">
{items}
</ul>
</main>
{script_tag(state.build_no)}
</body></html>
"""
    return page.encode("utf-8")


def inject(data: bytes, build_no: int) -> bytes:
    """Add the reload script before </body> (or at the end) of an HTML response."""
    tag = script_tag(build_no).encode()
    i = data.lower().rfind(b"</body>")
    return data[:i] + tag + data[i:] if i >= 0 else data + tag


def make_handler(state: State):
    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def __init__(self, *args, **kwargs):
            # the directory is given by path for each request, never held open
            super().__init__(*args, directory=str(state.output), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - keep the terminal for build messages
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _send(self, code: int, body: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            problem = request_problem(self.path)
            if problem:
                return self._send(problem[0], f"{problem[0]} {problem[1]}\n".encode(), "text/plain; charset=utf-8")
            path = unquote(urlsplit(self.path).path)
            n = state.build_no          # before reading any file: a newer file only costs an extra reload
            try:
                if path == RELOAD_PATH:
                    return self._send(200, RELOAD_JS.encode(), "text/javascript; charset=utf-8")
                if path == EVENTS_PATH:
                    return self._events()
                is_html = path.endswith((".html", "/")) or "." not in path.rsplit("/", 1)[-1]
                if is_html and state.errors is not None:
                    return self._send(500, error_page(state), "text/html; charset=utf-8")
                if is_html:
                    fs = Path(self.translate_path(self.path))
                    if fs.is_dir():
                        if not path.endswith("/"):
                            self.send_response(301)
                            self.send_header("Location", folder_location(path))
                            self.send_header("Content-Length", "0")
                            return self.end_headers()
                        fs = fs / "index.html"
                    if fs.is_file():
                        return self._send(200, inject(fs.read_bytes(), n), "text/html; charset=utf-8")
                    nf = state.output / "404.html"
                    body = inject(nf.read_bytes(), n) if nf.is_file() else b"<h1>404</h1>"
                    return self._send(404, body, "text/html; charset=utf-8")
                return self._plain()
            except (BrokenPipeError, ConnectionResetError):
                pass
            except FileNotFoundError:   # the folder was swapped between two steps: answer afresh
                if not getattr(self, "_retried", False):
                    self._retried = True
                    return self.do_GET()
            except OSError:             # e.g. a name too long for the file system: no such page
                return self._send(404, b"404 Not Found\n", "text/plain; charset=utf-8")

        def _plain(self):
            return super().do_HEAD() if self.command == "HEAD" else super().do_GET()

        def _events(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.end_headers()
            last = None
            try:
                while True:
                    with state.cond:
                        if state.stopping:
                            return
                        if last == state.build_no:
                            state.cond.wait(timeout=15)
                        current, stopping = state.build_no, state.stopping
                    if stopping:
                        return
                    if current != last:
                        self.wfile.write(f"retry: 500\ndata: {current}\n\n".encode())
                        last = current
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                return

    return Handler


class Rebuilder:
    """Builds the site and tells the server the result."""

    def __init__(self, site: Path, state: State):
        self.site, self.state = site, state
        self.search = True
        self.result = None       # the last build's (pipeline.BuildResult)
        self.lock = threading.Lock()
        from ..incremental.warm import Warm
        self.warm = Warm(site / ".cache")     # what one build leaves for the next (see incremental/warm.py)

    def build(self, first: bool = False) -> None:
        from ..pipeline import build, settle_memory
        with self.lock:
            progress.reset()
            start = time.monotonic()
            try:
                try:
                    result = build(self.site, search=self.search, warm=self.warm)
                except UsageError as exc:
                    if self.search and type(exc).__name__ == "SearchIndexError":
                        print(f"搜索索引无法生成（{exc}）；预览不含搜索索引", file=sys.stderr)
                        self.search = False
                        result = build(self.site, search=False, warm=self.warm)
                    else:
                        raise
            except ContentError as exc:
                diags = exc.args[0]
                buf = io.StringIO()
                diags.print(buf)
                lines = [line for line in buf.getvalue().splitlines() if line]
                sys.stderr.write(buf.getvalue())
                self.state.publish(lines, "内容有错误")   # served before it is announced
                print("构建失败：浏览器中显示错误清单；修改并保存文件后会自动重建。", file=sys.stderr)
                return
            except UsageError as exc:
                lines = [d.format() for d in exc.diagnostics] + ([str(exc)] if str(exc) else [])
                for line in lines:
                    print(line, file=sys.stderr)
                self.state.publish(lines, "设置有错误")
                print("构建失败：设置有错误；修改并保存后会自动重建。", file=sys.stderr)
                return
            except Exception:  # noqa: BLE001 - a generator bug must not stop the preview
                tb = traceback.format_exc()
                sys.stderr.write(tb)
                self.state.publish(["生成器内部错误（请把终端中的信息报告给开发者）："] + tb.splitlines()[-3:], "生成器内部错误")
                return
            seconds = time.monotonic() - start
            self.result = result
            result.diagnostics.print(sys.stderr)
            note = "" if self.search else "（未更新搜索索引）"
            self.state.publish(None)     # served before it is announced: a reader of the log sees the new site
            print(f"{'已构建' if first else '已重建'} {result.entries} 个条目，{len(result.changed)} 个文件有变化，"
                  f"用时 {seconds:.1f} 秒{note}", file=sys.stderr)
            settle_memory(self.warm)    # the browser already has the new page: its records, and tidy up
            if self.search and first:   # the first save's search overlay need not wait for Pagefind to start
                self.warm.pagefind()


def _watched(site: Path, path: str) -> bool:
    try:
        rel = Path(path).resolve().relative_to(site.resolve())
    except (ValueError, OSError):
        return False
    parts = rel.parts
    if not parts:
        return False
    name = parts[-1]
    if name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp")):
        return False
    if parts[0] in ("content", "templates"):
        return True
    return rel.as_posix() == CONFIG_FILE


class Debouncer:
    """Collects change events; one rebuild after DEBOUNCE seconds without a new one. `serve` runs the
    rebuilds on its main thread (`run`): only there can a body's CPU-time budget (budget.py) stop
    Markdown that would otherwise keep the preview busy for minutes; `start=True` runs them on a
    thread of their own instead."""

    def __init__(self, rebuild, start: bool = True):
        self.rebuild = rebuild
        self.pending = threading.Event()
        self.last = 0.0
        self.stopping = False
        if start:
            self.thread = threading.Thread(target=self._run, name="xxgk-rebuild", daemon=True)
            self.thread.start()

    def poke(self) -> None:
        self.last = time.monotonic()
        self.pending.set()

    def run(self, alive) -> None:
        """Rebuild after changes, on this thread, while `alive()` (the server's thread runs)."""
        self._run(alive)

    def _run(self, alive=None) -> None:
        while not self.stopping:
            if alive is not None and not alive():
                return
            if not self.pending.wait(timeout=0.5):
                continue
            while not self.stopping and time.monotonic() - self.last < DEBOUNCE:
                time.sleep(0.05)
            if self.stopping:
                return
            self.pending.clear()
            self.rebuild()

    def stop(self) -> None:
        self.stopping = True
        self.pending.set()


def start_watching(site: Path, debouncer: Debouncer):
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    observer = Observer()
    watching: set[str] = set()

    def watch(sub: str) -> None:
        """Watch content/ or templates/ (with everything below) once it exists: either may be made
        while serve runs (a site's first own template)."""
        if sub not in watching and (site / sub).is_dir():
            try:
                observer.schedule(handler, str(site / sub), recursive=True)
                watching.add(sub)
            except OSError:
                pass

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type in ("opened", "closed_no_write"):
                return
            paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "") or "") if p]
            if any(_watched(site, p) for p in paths):
                for sub in ("content", "templates"):
                    if any(Path(p) == site / sub for p in paths):
                        watch(sub)
                debouncer.poke()

    handler = OnChange()
    for sub in ("content", "templates"):
        watch(sub)
    observer.schedule(handler, str(site), recursive=False)      # site_config.yaml, a new content/ or templates/
    observer.daemon = True
    observer.start()
    return observer


def serve(site: Path, port: int) -> int:
    site = Path(site).absolute()
    if not (site / CONFIG_FILE).is_file():
        raise UsageError(f"{site} 不是站点文件夹：找不到 {CONFIG_FILE}（用 --site 指定站点文件夹）")
    output = site / "output"
    state = State(output)
    try:
        httpd = QuietServer(("127.0.0.1", port), make_handler(state))
    except OSError as exc:
        raise UsageError(f"无法在 127.0.0.1:{port} 上启动预览服务器（{exc.strerror}）；请用 --port 换一个端口") from None
    httpd.daemon_threads = True
    rebuilder = Rebuilder(site, state)
    rebuilder.build(first=True)
    debouncer = Debouncer(rebuilder.build, start=False)
    observer = start_watching(site, debouncer)
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    print(f"预览地址：{url}", flush=True)
    print("正在监视 content/、templates/ 和 site_config.yaml 的修改；按 Ctrl+C 停止。", flush=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)     # also when started in the background (SIGINT ignored there)
    signal.signal(signal.SIGTERM, stop)
    try:
        debouncer.run(alive=thread.is_alive)       # the rebuilds, on this (the main) thread
    except KeyboardInterrupt:
        pass
    finally:
        debouncer.stop()
        rebuilder.warm.close()
        state.stop()
        observer.stop()
        httpd.shutdown()
        httpd.server_close()
        observer.join(timeout=2)
    print("预览已停止。", flush=True)
    return 0
