"""deploy/nginx.conf on Debian's nginx: headers, cache policy, precompressed files, and the search page
working under its Content-Security-Policy in Chromium (no violation reported)."""
from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import REPO

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)),
                                      None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light)")
CONF = REPO / "deploy" / "nginx.conf"
MIME = Path("/etc/nginx/mime.types")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_conf(tmp: Path, root: Path, port: int, prefix: str = "/") -> str:
    """The example server block, pointed at `root` on 127.0.0.1:port, inside a minimal main config."""
    server = CONF.read_text(encoding="utf-8")
    server = re.sub(r"\n\s*listen \[::\]:80;", "", server)
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server = server.replace("root /srv/xxgk/output;", f"root {root};")
    assert f"root {root};" in server and f"127.0.0.1:{port}" in server
    mime = f"include {MIME};" if MIME.is_file() else "types { text/html html; text/css css; application/javascript js; application/json json; }"
    temp = "".join(f"{k}_temp_path {tmp}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
{mime}
default_type application/octet-stream;
access_log off;
{temp}
{server}
}}
"""


class Nginx:
    """Debian's nginx in the foreground on 127.0.0.1 (a free port), everything in a temp folder."""

    def __init__(self, tmp: Path, root: Path, edit=lambda conf: conf):
        tmp.mkdir(parents=True, exist_ok=True)
        port = free_port()
        conf = tmp / "nginx.conf"
        conf.write_text(edit(nginx_conf(tmp, root, port)), encoding="utf-8")
        test = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(conf)], capture_output=True, text=True)
        assert test.returncode == 0, test.stderr
        self.proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        self.base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    pytest.fail(f"nginx exited: {self.proc.stderr.read().decode()}")
                time.sleep(0.05)
        self.close()
        pytest.fail("nginx did not start listening")

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def served_root(fixture_output, tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx") / "www"
    shutil.copytree(fixture_output, root)
    # a precompressed copy, as a server would make after syncing (gzip -9 -k -n)
    (root / "catalogue.json.gz").write_bytes(gzip.compress((root / "catalogue.json").read_bytes(), 9, mtime=0))
    return root


@pytest.fixture(scope="module")
def nginx(served_root, tmp_path_factory):
    server = Nginx(tmp_path_factory.mktemp("nginx-run"), served_root)
    yield server.base, served_root
    server.close()


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, **headers):
    req = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_pages_and_search_index_with_headers(nginx):
    base, root = nginx
    css = next(root.glob("assets/style.*.css")).relative_to(root).as_posix()
    fragment = next(root.glob("pagefind/fragment/*.pf_fragment")).relative_to(root).as_posix()
    for path in ("", "index.html", "policies/budget-2019.html", "search.html", "pagefind/xxgk-search.json", css,
                 "pagefind/pagefind.js", "pagefind/pagefind-entry.json", fragment, "feed.xml", "catalogue.csv",
                 "files/budget-2019.pdf", "SHA256SUMS"):
        status, h, body = fetch(base + path)
        assert status == 200, (path, status)
        assert body, path
        csp = h["Content-Security-Policy"] or ""
        assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp and "'wasm-unsafe-eval'" in csp, path
        assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
        assert h["X-Content-Type-Options"] == "nosniff", path
        assert h["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert h["X-Frame-Options"] == "SAMEORIGIN", path
        cache = h["Cache-Control"]
        if path in (css, fragment):
            assert cache == "public, max-age=31536000, immutable", (path, cache)
        elif path.startswith("files/"):
            assert "max-age=86400" in cache
        else:
            assert cache == "no-cache", (path, cache)    # HTML, feeds, pagefind.js, entry file: revalidated
    assert fetch(base + "index.html")[1]["Content-Type"] == "text/html; charset=utf-8"
    assert fetch(base + "catalogue.csv")[1]["Content-Type"].startswith("text/csv")
    status, h, _ = fetch(base + "no-such-page.html")
    assert status == 404 and h["Content-Security-Policy"], "the site's 404 page, with the same headers"


def test_precompressed_file_is_sent_as_is(nginx):
    base, root = nginx
    status, h, body = fetch(base + "catalogue.json", **{"Accept-Encoding": "gzip"})
    assert status == 200 and h["Content-Encoding"] == "gzip"
    assert body == (root / "catalogue.json.gz").read_bytes(), "gzip_static sends the .gz file itself"
    status, h, body = fetch(base + "catalogue.json")
    assert h["Content-Encoding"] is None and body == (root / "catalogue.json").read_bytes()


CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '')));
"""


def watch_search(context):
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    return page, console


def test_search_runs_under_the_policy(nginx, context, outside_requests):
    base, _ = nginx
    page, console = watch_search(context)
    for path in ("index.html", "policies/budget-2019.html", "catalogue/type/policies.html", "reports/index.html"):
        page.goto(base + path)
        assert page.evaluate("window.__csp") == [], path
    page.goto(base + "search.html?q=预算")
    page.wait_for_selector("body[data-search-state=done]", timeout=15_000)
    results = page.eval_on_selector_all("#search-results a[href]", "els => els.map(a => a.getAttribute('href'))")
    mode = page.locator("#search-mode")
    assert mode.is_hidden(), f"search fell back: {mode.inner_text()}"   # Pagefind itself ran
    assert results and any("budget-2019" in r for r in results), results
    page.fill("#search-q", "复议")
    page.click("#search-form button[type=submit]")
    # polled from here: wait_for_function's string predicate is run with eval, which this very
    # policy forbids once the first check is false
    deadline = time.monotonic() + 15
    while page.evaluate("[document.body.dataset.searchRuns, document.body.dataset.searchState]")[0] == "1" or \
            page.evaluate("document.body.dataset.searchState") != "done":
        assert time.monotonic() < deadline, "the second search did not finish"
        page.wait_for_timeout(100)
    assert page.evaluate("window.__csp") == []
    assert not [c for c in console if "Content Security Policy" in c or "Refused" in c], console
    assert not [c for c in console if c.startswith(("error", "pageerror"))], console
    assert outside_requests == []


def test_the_404_page_for_a_missing_page_in_a_folder_is_styled_and_its_links_work(nginx, context, outside_requests):
    """nginx sends 404.html for /policies/no-such-page.html: relative links would resolve in policies/.
    With base_url (path "/") its stylesheet and script also come from the site's path and the script
    points every link at the site root; under the policy, no violation."""
    base, _ = nginx
    page, console = watch_search(context)
    for missing in ("no-such-page.html", "policies/no-such-page.html", "catalogue/type/x/y/z.html"):
        r = page.goto(base + missing)
        assert r.status == 404 and page.locator("h1").inner_text() == "页面不存在", missing
        bg = page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor")
        assert bg not in ("rgba(0, 0, 0, 0)", "transparent"), (missing, "unstyled")
        hrefs = page.eval_on_selector_all("header a[href], main a[href], footer a[href]", "els => els.map(a => a.href)")
        assert base + "index.html" in hrefs and base + "search.html" in hrefs, (missing, hrefs)
        for href in sorted(set(hrefs)):
            if href.startswith(base):
                assert fetch(href)[0] == 200, (missing, href)
        page.click("#mode-toggle")        # the script may be there twice (same address at the root): one switch
        assert page.get_attribute("#mode-toggle", "aria-pressed") == "true", missing
        page.click("#mode-toggle")
        page.click("main a[href$='catalogue/index.html']")
        page.wait_for_load_state()
        assert page.url == base + "catalogue/index.html"
        assert page.evaluate("window.__csp") == [], missing
    # (the relative copies of the stylesheet and script miss in a folder: refused as text/html, harmless)
    assert not [c for c in console if "Content Security Policy" in c], console
    assert outside_requests == []


def test_the_policy_needs_wasm_unsafe_eval(served_root, tmp_path, context, outside_requests):
    """Why 'wasm-unsafe-eval' is there: without it Pagefind cannot compile its WebAssembly and the search
    page can only say so and offer the catalogue (measured; not reported as a securitypolicyviolation event)."""
    server = Nginx(tmp_path / "run", served_root, edit=lambda conf: conf.replace(" 'wasm-unsafe-eval'", ""))
    try:
        page, console = watch_search(context)
        page.goto(server.base + "search.html?q=预算")
        page.wait_for_selector("body[data-search-state=failed]", timeout=15_000)
        assert page.locator("#search-mode").is_visible(), "Pagefind should not have run"
        assert "现在无法搜索" in page.inner_text("#search-status")      # …and the page says so, with the catalogue
        assert any("WebAssembly" in c and "Content Security Policy" in c for c in console), console
    finally:
        server.close()


def test_under_a_sub_path_with_alias(served_root, tmp_path, context, outside_requests):
    """The commented sub-path variant of deploy/nginx.conf: every link of the home page, a catalogue page
    and an entry page loads under /xxgk/, with the same headers and no policy violation."""
    from mirror_links import follow_all

    def subpath(conf: str) -> str:
        m = re.search(r"#\s+(location /xxgk/ \{[^\n]*\})\n\s*#\s+(error_page 404 /xxgk/404.html;)", conf)
        assert m, "deploy/nginx.conf documents the sub-path variant"
        block = m.group(1).replace("/srv/xxgk/output/", f"{served_root}/")
        conf, n = re.subn(r"location / \{\n\s*try_files[^\n]*\n[^\n]*\n\s*\}", block, conf)
        assert n == 1
        (tmp_path / "other-site").mkdir()                   # the host's own root, not ours
        conf = conf.replace(f"root {served_root};", f"root {tmp_path / 'other-site'};")
        return conf.replace("error_page 404 /404.html;", m.group(2))

    server = Nginx(tmp_path / "run", served_root, edit=subpath)
    try:
        base = server.base + "xxgk/"
        status, h, _ = fetch(base + "assets/" + next(served_root.glob("assets/style.*.css")).name)
        assert status == 200 and "immutable" in h["Cache-Control"]
        assert fetch(server.base + "index.html")[0] == 404, "only /xxgk/ is the site"
        status, h, _ = fetch(base + "catalogue.csv")
        assert status == 200 and h["Content-Type"].startswith("text/csv")
        status, h, _ = fetch(base + "pagefind/" + next(served_root.glob("pagefind/*.pf_meta")).name)
        assert status == 200 and "immutable" in h["Cache-Control"]
        context.add_init_script(CSP_WATCH)
        n, problems = follow_all(context, base, ["index.html", "catalogue/type/policies.html",
                                                 "policies/budget-2019.html"])
        assert not problems, "\n".join(problems)
        page = context.new_page()
        page.goto(base + "search.html?q=预算")
        page.wait_for_selector("body[data-search-state=done]", timeout=15_000)
        assert page.locator("#search-mode").is_hidden() and page.evaluate("window.__csp") == []
        assert page.locator("#search-results a[href*='budget-2019']").count() >= 1
        assert outside_requests == []
    finally:
        server.close()
