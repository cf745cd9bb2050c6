"""`python build.py serve`: the editor's loop, end to end in Chromium.

Open a page, edit its file: the page changes without a manual reload. Break the file (bad YAML):
the browser shows the error page naming the file and line. Fix it: the page comes back.
Ctrl+C (SIGINT) stops the server with exit status 0.
"""
from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from helpers import FIXTURES  # noqa: E402

TIMEOUT_MS = 20_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    def __init__(self, site: Path, **env_vars: str):
        self.port = free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **env_vars}
        self.proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(site),
                                      "--port", str(self.port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.url = self.wait_for("http://127.0.0.1:").split("：", 1)[-1].strip()
        assert self.url == f"http://127.0.0.1:{self.port}/"

    def _pump(self):
        for line in self.proc.stdout:
            self.log.append(line)
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 120) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, "serve exited:\n" + "".join(self.log)
                continue
            if text in line:
                return line
        raise AssertionError(f"no “{text}” from serve:\n" + "".join(self.log))

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                return self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("serve did not stop on Ctrl+C:\n" + "".join(self.log))
        return self.proc.returncode


@pytest.fixture
def served(tmp_path):
    site = Path(shutil.copytree(FIXTURES / "basic", tmp_path / "site"))
    sp = ServeProcess(site)
    sp.site = site
    yield sp
    if sp.proc.poll() is None:
        sp.proc.kill()
        sp.proc.wait()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def wait_selector(page, served, selector: str) -> None:
    """page.wait_for_selector, with the server's terminal and the page's text when it fails."""
    try:
        page.wait_for_selector(selector, timeout=TIMEOUT_MS)
    except Exception as exc:  # noqa: BLE001 - re-raised with context
        raise AssertionError(f"{selector} not shown: {exc}\n--- serve:\n{''.join(served.log)[-3000:]}"
                             f"\n--- page:\n{page.inner_text('body')[:1500]}") from None


def test_edit_break_fix_in_chromium(served, page, outside_requests):
    about = served.site / "content/pages/about.md"
    page.goto(served.url + "pages/about.html")
    wait_selector(page, served, "text=本站是示例站点。")
    assert page.evaluate("document.querySelector('script[src=\"/__xxgk/reload.js\"]') !== null")

    # an edit shows up without a manual reload
    about.write_text(about.read_text(encoding="utf-8").replace("本站是示例站点。", "本站已经改版。"), encoding="utf-8")
    wait_selector(page, served, "text=本站已经改版。")

    # bad YAML: the error page names the file and line, escaped, in Chinese
    about.write_text("---\ntitle: [关于本站\nnav_order: 1\n---\n<b>正文</b>\n", encoding="utf-8")
    wait_selector(page, served, "#xxgk-errors")
    text = page.inner_text("#xxgk-errors")
    assert "content/pages/about.md:" in text and "YAML" in text, text
    assert page.inner_text("h1").startswith("构建失败")
    # every HTML request shows it while the site is broken; the server keeps running
    status, body = get(served.url + "index.html")
    assert status == 500 and "content/pages/about.md:" in body
    assert served.proc.poll() is None

    # fixed: the page comes back by itself
    about.write_text("---\ntitle: 关于本站\nnav_order: 1\n---\n修好了。\n", encoding="utf-8")
    wait_selector(page, served, "text=修好了。")
    assert page.query_selector("#xxgk-errors") is None

    # the reload script is only in the served response, never in the files on disk
    on_disk = (served.site / "output/pages/about.html").read_text(encoding="utf-8")
    assert "修好了。" in on_disk and "__xxgk" not in on_disk
    assert outside_requests == []
    assert served.stop() == 0


def test_serving_by_path_across_swaps_and_ctrl_c(served):
    status, body = get(served.url)
    assert status == 200 and "__xxgk/reload.js" in body
    css_href = re.search(r'href="(assets/style[^"]*\.css)"', body).group(1)
    status, css = get(served.url + css_href)
    assert status == 200 and "__xxgk" not in css
    status, _ = get(served.url + "no-such-page.html")
    assert status == 404
    # a config edit rebuilds too; the new output folder (a swapped one) is served
    cfg = served.site / "site_config.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("示例县人民政府信息公开", "改名后的信息公开"), encoding="utf-8")
    served.wait_for("已重建")
    status, body = get(served.url + "index.html")
    assert status == 200 and "改名后的信息公开" in body
    # a burst of saves is one rebuild (debounced), not one per save
    about = served.site / "content/pages/about.md"
    n0 = sum("已重建" in line for line in served.log)
    for i in range(10):
        about.write_text(f"---\ntitle: 关于本站\n---\n第 {i} 次保存。\n", encoding="utf-8")
        time.sleep(0.02)
    served.wait_for("已重建")
    time.sleep(1.5)
    assert sum("已重建" in line for line in served.log) - n0 <= 2
    assert "第 9 次保存。" in get(served.url + "pages/about.html")[1]
    # changes in output/ and .cache/ do not trigger a rebuild
    n = -1
    while n != sum("已重建" in line for line in served.log):   # let the burst of rebuilds settle
        n = sum("已重建" in line for line in served.log)
        time.sleep(1.0)
    (served.site / "output" / "stray.txt").write_text("x")
    (served.site / ".cache").mkdir(exist_ok=True)
    (served.site / ".cache" / "stray.txt").write_text("x")
    time.sleep(1.5)
    assert sum("已重建" in line for line in served.log) == n
    assert served.stop() == 0
    assert "预览已停止" in "".join(served.log)


def test_broken_at_start_then_fixed(tmp_path):
    site = Path(shutil.copytree(FIXTURES / "basic", tmp_path / "site"))
    bad = site / "content/policies/budget-2021.md"
    good = bad.read_text(encoding="utf-8")
    bad.write_text(good.replace("title:", "title: [未闭合", 1), encoding="utf-8")
    sp = ServeProcess(site)
    try:
        status, body = get(sp.url + "policies/budget-2021.html")
        assert status == 500 and "构建失败" in body
        assert re.search(r"content/policies/budget-2021\.md:[23]: -: YAML", body), body
        bad.write_text(good, encoding="utf-8")
        sp.wait_for("已重建")
        status, body = get(sp.url + "policies/budget-2021.html")
        assert status == 200 and "xxgk-errors" not in body
        # the port is taken now: a second server says so, exit 2
        r = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--site", str(site), "--port",
                            str(sp.port)], capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and "--port" in r.stderr and "Traceback" not in r.stderr
    finally:
        assert sp.stop() == 0


def test_a_body_over_its_time_budget_is_stopped_in_the_preview_too(tmp_path):
    """serve rebuilds on its main thread, where the CPU-time budget of a body (xxgk/budget.py) can
    stop Markdown: 40,000 closed paragraphs (over a minute in Python-Markdown) end as the error page
    in seconds, and the preview goes on. The budget's base is lowered to 1 s to keep the test quick."""
    site = Path(shutil.copytree(FIXTURES / "basic", tmp_path / "site"))
    sp = ServeProcess(site, XXGK_BODY_SECONDS="1")
    try:
        policy = site / "content/policies/budget-2021.md"
        good = policy.read_text(encoding="utf-8")
        started = time.monotonic()
        policy.write_text(good + "\n" + "<p>a</p>\n\n" * 40000, encoding="utf-8")
        sp.wait_for("构建失败", timeout=60)
        assert time.monotonic() - started < 60
        status, body = get(sp.url + "policies/budget-2021.html")
        assert status == 500 and "content/policies/budget-2021.md:1: -: 正文过于复杂" in body, body[-2000:]
        policy.write_text(good, encoding="utf-8")
        sp.wait_for("已重建")
        status, body = get(sp.url + "policies/budget-2021.html")
        assert status == 200 and "xxgk-errors" not in body
        assert "Traceback" not in "".join(sp.log)
    finally:
        assert sp.stop() == 0


def test_error_page_escapes_what_the_file_says():
    from xxgk.commands.serve import State, error_page
    st = State(Path("/nonexistent"))
    st.publish(['content/policies/x.md:3: title: 未知字段“<script>alert(1)</script>”'], "内容有错误")
    page = error_page(st).decode("utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'lang="zh-Hans"' in page


def test_a_templates_folder_made_while_serving_is_watched(tmp_path):
    """A site's first own template: templates/ did not exist when serve started."""
    from xxgk.commands.serve import start_watching

    class Pokes:
        n = 0

        def poke(self):
            Pokes.n += 1

    def wait_for(n: int) -> bool:
        end = time.monotonic() + 10
        while time.monotonic() < end:
            if Pokes.n >= n:
                return True
            time.sleep(0.05)
        return False

    site = Path(shutil.copytree(FIXTURES / "basic", tmp_path / "site")).absolute()
    assert not (site / "templates").exists()
    observer = start_watching(site, Pokes())
    try:
        (site / "templates" / "components").mkdir(parents=True)
        assert wait_for(1)
        time.sleep(0.5)
        seen = Pokes.n
        (site / "templates" / "components" / "footer.html").write_text("<footer>本站</footer>\n", encoding="utf-8")
        assert wait_for(seen + 1), "a template saved in the new folder did not start a rebuild"
    finally:
        observer.stop()
        observer.join(timeout=2)
